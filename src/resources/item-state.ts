/**
 * What every indicator, group, victim and task object stores: its id, owner and client context, and
 * one slot for its phase, which grows into {@link Extras} (tags, attributes, labels, queued work) only
 * when one of those is set. The write side that uses them is item-core.ts.
 */
import { notConstructible } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import type { AttributeValue } from './values.js';

/**
 * Where an object stands: `new` (made by `add()`, not yet created), `clean` (as on the server, as far
 * as the client knows), `modified` (a field was set; `commit()` sends an update), `deleted`.
 */
export type Phase = 'new' | 'clean' | 'modified' | 'deleted';

/** One queued request of `commit()`. */
export interface Step {
  /** What it does, as the user asked for it: `addTag("APT")`. */
  readonly description: string;
  run(signal: AbortSignal | undefined): Promise<void>;
}

/**
 * What an object holds besides its phase: its tags, attributes and labels once read, and its queued
 * work. Made when first needed, so that an object read from a listing and never changed carries its
 * phase in one slot instead of seven (such objects are built, and kept by `retrieve()`, by the
 * hundred thousand).
 */
interface Extras {
  phase: Phase;
  tags: string[] | undefined;
  attributes: AttributeValue[] | undefined;
  securityLabels: string[] | undefined;
  /** Field changes for the create or update body, in the order they were set. */
  changes: Map<string, unknown> | undefined;
  steps: Step[] | undefined;
  /** Commits and deletes of one object run one after the other. */
  chain: Promise<unknown> | undefined;
}

/**
 * Where an object keeps its phase or {@link Extras}: a property under a symbol this module keeps to
 * itself, not a `#private` field. A listing builds these objects by the hundred thousand, and V8
 * defines each `#` field (and each declared field) anew on every instance: with both slots of an
 * indicator as `#` fields and its fields declared, making one cost about 50 ns more (a third more).
 * `Object.keys`, `JSON.stringify` and `for…in` do not see a symbol.
 */
const STATE = Symbol('threatconnect.item.state');

/**
 * The storage of {@link ItemCore}. Its subclasses keep their helper methods TypeScript-`private`, not
 * `#private`: a class with `#` methods stamps a brand on every instance (one more slot per class in
 * the chain: four for an indicator) and its constructor can never be skipped. For the same reason the
 * fields are `declare`d (the constructor gives each its value, always in the same order) and the
 * state is under {@link STATE}. An indicator read from a listing is 80 bytes: id, owner, context and
 * this slot, and its own type, kind and wire item.
 */
export abstract class ItemState {
  /** The API id; a temporary negative id until a new object is committed. Indicators are addressed by value. */
  declare id: number;
  declare ownerName: string | undefined;
  /** @internal */
  declare readonly context: ResourceContext;
  /** The phase alone, or the {@link Extras} that hold it once anything else is set. */
  declare private [STATE]: Phase | Extras;

  /** @internal */
  protected constructor(id: number, context: ResourceContext, phase: Phase) {
    // The published constructors are private, but plain JavaScript can still call `new Indicator()`.
    checkMadeByClient(context, new.target.name);
    this.id = id;
    this.context = context;
    this[STATE] = phase;
    this.ownerName = undefined;
  }

  protected extrasIfAny(): Extras | undefined {
    const state = this[STATE];
    return typeof state === 'string' ? undefined : state;
  }

  protected extras(): Extras {
    const state = this[STATE];
    if (typeof state !== 'string') return state;
    const extras: Extras = {
      phase: state,
      tags: undefined,
      attributes: undefined,
      securityLabels: undefined,
      changes: undefined,
      steps: undefined,
      chain: undefined,
    };
    this[STATE] = extras;
    return extras;
  }

  protected setPhase(phase: Phase): void {
    const state = this[STATE];
    if (typeof state === 'string') this[STATE] = phase;
    else state.phase = phase;
  }

  /** Tag names, when read with `includeTags` or `loadTags()`. */
  get tags(): string[] | undefined {
    return this.extrasIfAny()?.tags;
  }
  /** Tag names, when read with `includeTags` or `loadTags()`. */
  set tags(value: string[] | undefined) {
    if (value !== undefined || this.extrasIfAny() !== undefined) this.extras().tags = value;
  }

  /** Attributes, when read with `includeAttributes` or `loadAttributes()`. */
  get attributes(): AttributeValue[] | undefined {
    return this.extrasIfAny()?.attributes;
  }
  /** Attributes, when read with `includeAttributes` or `loadAttributes()`. */
  set attributes(value: AttributeValue[] | undefined) {
    if (value !== undefined || this.extrasIfAny() !== undefined) this.extras().attributes = value;
  }

  /** Security label names, after `loadSecurityLabels()`. */
  get securityLabels(): string[] | undefined {
    return this.extrasIfAny()?.securityLabels;
  }
  /** Security label names, after `loadSecurityLabels()`. */
  set securityLabels(value: string[] | undefined) {
    if (value !== undefined || this.extrasIfAny() !== undefined) this.extras().securityLabels = value;
  }

  /**
   * The fields as data, for `JSON.stringify` (tags, attributes and labels are accessors, which it does
   * not see), without the client context.
   */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: this.id,
      ownerName: this.ownerName,
      tags: this.tags,
      attributes: this.attributes,
      securityLabels: this.securityLabels,
    };
    for (const [key, value] of Object.entries(this)) if (key !== 'context' && !(key in out)) out[key] = value;
    return out;
  }

  /** `new`, `clean`, `modified` or `deleted`. */
  get phase(): Phase {
    const state = this[STATE];
    return typeof state === 'string' ? state : state.phase;
  }
}

/**
 * Throws unless `context` is a client's (it has the requester every call goes through): `new Indicator()`
 * (`Group`, `Victim`, `Task`, `Owner`, `Bulk`) from plain JavaScript would make an object with no client
 * to commit through. One property load, on the constructor a listing runs for every item.
 * @internal
 */
export function checkMadeByClient(context: unknown, name: string, from = CONTAINERS): void {
  if (typeof context !== 'object' || (context as Partial<ResourceContext> | null)?.requester === undefined)
    throw notConstructible(name, from);
}

const CONTAINERS = "a client's containers (add(), retrieve(), stream())";
