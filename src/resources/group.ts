/**
 * A group (rest-api-v2.md 7): adversaries, campaigns, documents, emails, incidents, signatures and
 * threats. The read side lives here; setters, `commit()`, `delete()`, associations and document
 * contents build on it.
 */
import { inspect } from 'node:util';
import type { ResourceContext } from './context.js';
import { GROUP_KIND_BY_TYPE, type GroupKind } from './kinds.js';
import {
  type AttributeValue,
  readAttributes,
  readNumber,
  readOwnerName,
  readString,
  readTags,
} from './values.js';

export class Group {
  id: number;
  /** `Adversary`, `Campaign`, …; a type the SDK does not model keeps its name with no kind. */
  readonly type: string;
  readonly kind: GroupKind | undefined;
  name: string | undefined;
  ownerName: string | undefined;
  dateAdded: string | undefined;
  webLink: string | undefined;
  /** The type's own fields as read (`eventDate`, `fileName`, `fileType`, `fileSize`, `status`, `subject`, …). */
  readonly fields: Record<string, unknown>;
  tags: string[] | undefined;
  attributes: AttributeValue[] | undefined;
  securityLabels: string[] | undefined;
  /** @internal */
  readonly context: ResourceContext;

  /** @internal Built by {@link parseGroup} and by `container.add()`. */
  constructor(init: { id: number; type: string; kind: GroupKind | undefined; context: ResourceContext }) {
    this.id = init.id;
    this.type = init.type;
    this.kind = init.kind;
    this.context = init.context;
    this.name = undefined;
    this.ownerName = undefined;
    this.dateAdded = undefined;
    this.webLink = undefined;
    this.fields = {};
    this.tags = undefined;
    this.attributes = undefined;
    this.securityLabels = undefined;
  }

  /** A signature's or document's file type, for `addPfFileType`. */
  get fileType(): string | undefined {
    return readString(this.fields.fileType);
  }

  [inspect.custom](): string {
    return `Group { id: ${this.id}, type: ${JSON.stringify(this.type)}, name: ${JSON.stringify(this.name ?? null)}, ownerName: ${JSON.stringify(this.ownerName ?? null)} }`;
  }
}

const COMMON = new Set([
  'id',
  'name',
  'type',
  'ownerName',
  'owner',
  'dateAdded',
  'webLink',
  'tag',
  'attribute',
]);

/** A group from a wire item; `kind` names the type of a typed listing (whose items carry no `type`). */
export function parseGroup(item: Record<string, unknown>, context: ResourceContext, kind?: GroupKind): Group {
  const typeName = readString(item.type) ?? kind?.type ?? 'Group';
  const group = new Group({
    id: readNumber(item.id) ?? 0,
    type: typeName,
    kind: kind ?? GROUP_KIND_BY_TYPE.get(typeName),
    context,
  });
  group.name = readString(item.name);
  group.ownerName = readOwnerName(item);
  group.dateAdded = readString(item.dateAdded);
  group.webLink = readString(item.webLink);
  group.tags = readTags(item.tag);
  group.attributes = readAttributes(item.attribute);
  for (const [key, value] of Object.entries(item)) if (!COMMON.has(key)) group.fields[key] = value;
  return group;
}
