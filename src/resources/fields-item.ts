/**
 * What victims and tasks share (rest-api-v2.md 8): a name required to create one, a web link, and
 * every other wire field kept in `fields` as read or set; how a wire item or a save answer is read
 * (groups read theirs the same way, with `readLinkedWire`).
 */
import { inspect } from 'node:util';
import { ValidationError } from '../core/errors.js';
import type { ResourceContext } from './context.js';
import type { Phase } from './item.js';
import { LinkedItem } from './linked-item.js';
import { readAttributes, readOptionalId, readOwnerName, readString, readTags } from './values.js';

/** The wire keys every such object reads into its own properties, not into `fields`. */
const COMMON_KEYS = ['id', 'name', 'ownerName', 'owner', 'webLink', 'tag', 'attribute'];

/** What {@link readLinkedWire} reads into: a victim, a task or a group. */
type LinkedWireTarget = LinkedItem & {
  webLink: string | undefined;
  readonly fields: Record<string, unknown>;
};

/**
 * Reads what victims, tasks and groups have in common from a wire item (name, owner, web link, tags,
 * attributes), those present replacing the old ones, and puts every other key into `fields` unless
 * `own` lists it (the keys the object reads into properties of its own).
 */
export function readLinkedWire(
  target: LinkedWireTarget,
  item: Record<string, unknown>,
  own: readonly string[],
): void {
  target.name = readString(item.name) ?? target.name;
  const ownerName = readOwnerName(item);
  if (ownerName !== undefined) target.ownerName = ownerName;
  target.webLink = readString(item.webLink) ?? target.webLink;
  target.tags = readTags(item.tag) ?? target.tags;
  target.attributes = readAttributes(item.attribute) ?? target.attributes;
  for (const [key, value] of Object.entries(item)) {
    if (!COMMON_KEYS.includes(key) && !own.includes(key)) target.fields[key] = value;
  }
}

/** A victim or a task: see the module comment. */
export abstract class FieldsItem extends LinkedItem {
  declare name: string | undefined;
  declare webLink: string | undefined;
  /** The wire fields besides the common ones, as read or set. */
  declare readonly fields: Record<string, unknown>;

  /** @internal Declared fields, set here in this order (item-state.ts says why). */
  protected constructor(id: number, context: ResourceContext, phase: Phase) {
    super(id, context, phase);
    this.name = undefined;
    this.webLink = undefined;
    this.fields = {};
  }

  /** `Task` or `Victim`: neither has a type on the wire; post filters see this. */
  abstract get type(): string;

  get label(): string {
    return `${this.type} ${this.phase === 'new' ? '(new)' : this.id} ${JSON.stringify(this.name ?? '')}`;
  }

  /** Records a field set by `method` for the next commit, and keeps its value. */
  protected storeField(field: string, value: unknown, method: string): this {
    this.change(field, value, method);
    this.fields[field] = value;
    return this;
  }

  /**
   * @internal Reads the fields of `item` that are present (a listing's item, or a save answer): they
   * replace the old ones. A subclass with properties of its own reads them in its override.
   */
  readWire(item: Record<string, unknown>): void {
    readLinkedWire(this, item, []);
  }

  protected override checkCreate(): void {
    if (this.name === undefined || this.name === '') {
      throw new ValidationError(`${this.label} cannot be created without a name (setName())`);
    }
  }

  protected applySaved(item: Record<string, unknown>): void {
    const id = readOptionalId(item.id);
    if (id !== undefined) this.id = id;
    this.readWire(item);
  }

  /** The same one line as `util.inspect` gives, for `String(x)` and template strings. */
  override toString(): string {
    return this[inspect.custom]();
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `${this.type} { id: ${this.id}, name: ${JSON.stringify(this.name ?? null)} }`;
  }
}
