/** A victim (rest-api-v2.md 8): read side. */
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

export class Victim {
  id: number;
  name: string | undefined;
  ownerName: string | undefined;
  webLink: string | undefined;
  /** `org`, `suborg`, `workLocation`, `nationality`, … as read. */
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
    this.webLink = undefined;
    this.tags = undefined;
    this.attributes = undefined;
  }

  /** Victims have no `type` on the wire; post filters see `Victim`. */
  get type(): string {
    return 'Victim';
  }

  [inspect.custom](): string {
    return `Victim { id: ${this.id}, name: ${JSON.stringify(this.name ?? null)} }`;
  }
}

const COMMON = new Set(['id', 'name', 'ownerName', 'owner', 'webLink', 'tag', 'attribute']);

export function parseVictim(item: Record<string, unknown>, context: ResourceContext): Victim {
  const victim = new Victim(readNumber(item.id) ?? 0, context);
  victim.name = readString(item.name);
  victim.ownerName = readOwnerName(item);
  victim.webLink = readString(item.webLink);
  victim.tags = readTags(item.tag);
  victim.attributes = readAttributes(item.attribute);
  for (const [key, value] of Object.entries(item)) if (!COMMON.has(key)) victim.fields[key] = value;
  return victim;
}
