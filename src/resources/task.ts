/** A task (rest-api-v2.md 7.5): read side. */
import { inspect } from 'node:util';
import type { ResourceContext } from './context.js';
import {
  type AttributeValue,
  readAttributes,
  readNumber,
  readOwnerName,
  readString,
  readTags,
} from './values.js';

export class Task {
  id: number;
  name: string | undefined;
  ownerName: string | undefined;
  dateAdded: string | undefined;
  webLink: string | undefined;
  /** `status`, `dueDate`, `escalated`, `reminded`, … as read. */
  readonly fields: Record<string, unknown> = {};
  tags: string[] | undefined;
  attributes: AttributeValue[] | undefined;
  /** @internal */
  readonly context: ResourceContext;

  /** @internal */
  constructor(id: number, context: ResourceContext) {
    this.id = id;
    this.context = context;
    this.name = undefined;
    this.ownerName = undefined;
    this.dateAdded = undefined;
    this.webLink = undefined;
    this.tags = undefined;
    this.attributes = undefined;
  }

  get type(): string {
    return 'Task';
  }

  [inspect.custom](): string {
    return `Task { id: ${this.id}, name: ${JSON.stringify(this.name ?? null)} }`;
  }
}

const COMMON = new Set(['id', 'name', 'ownerName', 'owner', 'dateAdded', 'webLink', 'tag', 'attribute']);

export function parseTask(item: Record<string, unknown>, context: ResourceContext): Task {
  const task = new Task(readNumber(item.id) ?? 0, context);
  task.name = readString(item.name);
  task.ownerName = readOwnerName(item);
  task.dateAdded = readString(item.dateAdded);
  task.webLink = readString(item.webLink);
  task.tags = readTags(item.tag);
  task.attributes = readAttributes(item.attribute);
  for (const [key, value] of Object.entries(item)) if (!COMMON.has(key)) task.fields[key] = value;
  return task;
}
