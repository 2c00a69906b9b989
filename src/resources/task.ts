/** A task (rest-api-v2.md 8): read side, setters, metadata, associations, `commit()` and `delete()`. */
import { inspect } from 'node:util';
import { ValidationError } from '../core/errors.js';
import { formatModifiedSince } from '../core/request-object.js';
import { describeValue } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { checkText } from './checks.js';
import type { ItemKind, Phase } from './item.js';
import { LinkedItem } from './linked-item.js';
import { idTarget } from './targets.js';
import { readAttributes, readNumber, readOwnerName, readString, readTags } from './values.js';
import type { Victim } from './victim.js';

function checkDate(value: unknown, label: string): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return formatModifiedSince(value);
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
  throw new ValidationError(
    `${label} must be a date (an ISO 8601 string or a Date), got ${value instanceof Date ? 'Invalid Date' : describeValue(value)}`,
  );
}

function checkUsers(value: unknown, label: string): { userName: string }[] {
  if (!Array.isArray(value)) {
    throw new ValidationError(`${label} must be an array of user names, got ${describeValue(value)}`);
  }
  return value.map((user, i) => ({ userName: checkText(user, `${label}[${i}]`) }));
}

/** A task (rest-api-v2.md 8): read side, setters, assignees and escalatees, associations, `commit()` and `delete()`. */
export class Task extends LinkedItem {
  name: string | undefined;
  dateAdded: string | undefined;
  lastModified: string | undefined;
  webLink: string | undefined;
  /** `status`, `dueDate`, `escalated`, `reminded`, `assignee`, … as read or set. */
  readonly fields: Record<string, unknown> = {};

  /** @internal Built by {@link parseTask} and by `createTask()`. */
  constructor(id: number, context: ResourceContext, phase: Phase = 'clean') {
    super(id, context, phase);
    this.name = undefined;
    this.dateAdded = undefined;
    this.lastModified = undefined;
    this.webLink = undefined;
  }

  get itemKind(): ItemKind {
    return 'task';
  }

  /** Always `Task` (tasks have no type on the wire; post filters see this). */
  get type(): string {
    return 'Task';
  }

  get label(): string {
    return `Task ${this.phase === 'new' ? '(new)' : this.id} ${JSON.stringify(this.name ?? '')}`;
  }

  /** `Not Started`, `In Progress`, `Completed`, `Waiting on Someone` or `Deferred`. */
  get status(): string | undefined {
    return readString(this.fields.status);
  }
  /** The due date as the server sent it (ISO 8601), if any. */
  get dueDate(): string | undefined {
    return readString(this.fields.dueDate);
  }

  // ---- setters ---------------------------------------------------------------------------------

  private setField(field: string, value: unknown, method: string): this {
    this.change(field, value, method);
    this.fields[field] = value;
    return this;
  }

  /** `Not Started`, `In Progress`, `Completed`, `Waiting on Someone` or `Deferred`. */
  setStatus(status: string): this {
    return this.setField('status', checkText(status, 'status'), 'setStatus');
  }
  /** The task's description. */
  setDescription(description: string): this {
    if (typeof description !== 'string') {
      throw new ValidationError(`description must be a string, got ${describeValue(description)}`);
    }
    return this.setField('description', description, 'setDescription');
  }
  /** The due date: an ISO 8601 string or a `Date`. */
  setDueDate(date: string | Date): this {
    return this.setField('dueDate', checkDate(date, 'dueDate'), 'setDueDate');
  }
  /** The reminder date: an ISO 8601 string or a `Date`. */
  setReminderDate(date: string | Date): this {
    return this.setField('reminderDate', checkDate(date, 'reminderDate'), 'setReminderDate');
  }
  /** The escalation date: an ISO 8601 string or a `Date`. */
  setEscalationDate(date: string | Date): this {
    return this.setField('escalationDate', checkDate(date, 'escalationDate'), 'setEscalationDate');
  }
  /** The users the task is assigned to, by user name (replaces the list). */
  setAssignees(userNames: readonly string[]): this {
    return this.setField('assignee', checkUsers(userNames, 'assignees'), 'setAssignees');
  }
  /** The users the task escalates to, by user name (replaces the list). */
  setEscalatees(userNames: readonly string[]): this {
    return this.setField('escalatee', checkUsers(userNames, 'escalatees'), 'setEscalatees');
  }

  // ---- associations ----------------------------------------------------------------------------

  /** Queues `POST /v2/tasks/{id}/victims/{id}`. */
  associateVictim(victim: Victim | number): this {
    return this.queueAssociation('POST', 'associateVictim', idTarget('victims', victim));
  }

  /** Queues `DELETE /v2/tasks/{id}/victims/{id}`. */
  disassociateVictim(victim: Victim | number): this {
    return this.queueAssociation('DELETE', 'disassociateVictim', idTarget('victims', victim));
  }

  // ---- what commit() needs ---------------------------------------------------------------------

  protected itemPath(): string {
    return `/v2/tasks/${this.id}`;
  }

  protected get entityKey(): string {
    return 'task';
  }

  protected override checkCreate(): void {
    if (this.name === undefined || this.name === '') {
      throw new ValidationError(`${this.label} cannot be created without a name (setName())`);
    }
  }

  protected saveRequest(
    creating: boolean,
    changes: ReadonlyMap<string, unknown>,
  ): { path: string; body: Record<string, unknown> } {
    const body: Record<string, unknown> = creating && this.name !== undefined ? { name: this.name } : {};
    for (const [field, value] of changes) body[field] = value;
    return { path: creating ? '/v2/tasks' : this.itemPath(), body };
  }

  protected applySaved(item: Record<string, unknown>): void {
    const id = readNumber(item.id);
    if (id !== undefined) this.id = id;
    readFields(this, item);
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `Task { id: ${this.id}, name: ${JSON.stringify(this.name ?? null)} }`;
  }
}

const COMMON = new Set(['id', 'name', 'ownerName', 'owner', 'dateAdded', 'webLink', 'tag', 'attribute']);

function readFields(task: Task, item: Record<string, unknown>): void {
  task.name = readString(item.name) ?? task.name;
  const ownerName = readOwnerName(item);
  if (ownerName !== undefined) task.ownerName = ownerName;
  task.dateAdded = readString(item.dateAdded) ?? task.dateAdded;
  task.lastModified = readString(item.lastModified) ?? task.lastModified;
  task.webLink = readString(item.webLink) ?? task.webLink;
  task.tags = readTags(item.tag) ?? task.tags;
  task.attributes = readAttributes(item.attribute) ?? task.attributes;
  for (const [key, value] of Object.entries(item)) if (!COMMON.has(key)) task.fields[key] = value;
}

export function parseTask(item: Record<string, unknown>, context: ResourceContext): Task {
  const task = new Task(readNumber(item.id) ?? 0, context);
  readFields(task, item);
  return task;
}
