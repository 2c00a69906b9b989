/**
 * A resource container (sdk-behaviour.md 3.2): filter objects, then `await retrieve()` and synchronous
 * iteration as in the seed, or `stream()` for constant memory. Results accumulate across retrievals and
 * are identified by id: an id already known gives the same object again.
 */
import { inspect } from 'node:util';
import { indicatorTypeName, type ResourceType, resourceTypeName } from '../core/enums.js';
import type { ContainerKind } from '../filters/definitions.js';
import { type Filter, FilterObject } from '../filters/filter.js';
import type { FilterTarget } from '../filters/requests.js';
import { AbortError, ValidationError } from '../core/errors.js';
import { describeValue, isAbortSignal } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { ObjectStream } from './object-stream.js';
import {
  checkRetrieveOptions,
  type ParseItem,
  type Retrieved,
  type RetrievalPlan,
  type RetrieveOptions,
  streamAll,
} from './retrieval.js';

export type { RetrieveOptions } from './retrieval.js';

/** What a concrete container supplies. */
export interface ContainerSpec<T extends Retrieved> {
  readonly target: FilterTarget;
  readonly resourceType: ResourceType;
  readonly ownerCheck: boolean;
  /** Turns a wire item into a new object (the container looks ids up first). */
  parse: ParseItem<T>;
}

export abstract class Container<T extends Retrieved, K extends ContainerKind> implements Iterable<T> {
  /** @internal */
  protected readonly context: ResourceContext;
  readonly #spec: ContainerSpec<T>;
  #filters: FilterObject[] = [];
  /** The retrieved objects, in first-seen order. */
  #results: T[] = [];
  /**
   * The results by id, for identity across retrievals (sdk-behaviour.md 3.6): made by the first
   * retrieval that needs it, so that a container retrieved once pays for no map.
   */
  #byId: Map<number, T> | undefined;

  /** @internal */
  constructor(context: ResourceContext, spec: ContainerSpec<T>) {
    this.context = context;
    this.#spec = spec;
  }

  /** @internal The filter objects' target, for subclasses that add filters of another type. */
  protected filterFor(target: FilterTarget): FilterObject {
    const filter = new FilterObject(target);
    this.#filters.push(filter);
    return filter;
  }

  /** A new filter object; API filters in it are OR'd, post filters AND'd. */
  addFilter(): Filter<K> {
    // An argument is refused, not ignored: only `tc.indicators()` has typed filter objects, and a
    // JavaScript caller's `tc.adversaries().addFilter(IndicatorType.HOSTS)` would otherwise filter nothing.
    // eslint-disable-next-line prefer-rest-params
    const given: unknown = arguments[0];
    if (arguments.length > 0 && given !== undefined) {
      throw new ValidationError(
        `addFilter takes no argument on a container of ${resourceTypeName(this.#spec.resourceType) ?? 'this type'}: only tc.indicators() has typed filter objects (addFilter(IndicatorType.X)), got ${indicatorTypeName(given) ?? describeValue(given)}`,
      );
    }
    // A filter object has every filter; the view shows the container's (a missing one throws).
    return this.filterFor(this.#spec.target) as unknown as Filter<K>;
  }

  /** @internal `modifiedSince` for the default requests (indicators only). */
  protected modifiedSince(): string | undefined {
    return undefined;
  }

  #plan(): RetrievalPlan<T> {
    return {
      context: this.context,
      target: this.#spec.target,
      resourceType: this.#spec.resourceType,
      ownerCheck: this.#spec.ownerCheck,
      modifiedSince: this.modifiedSince(),
      parse: this.#spec.parse.bind(this.#spec),
    };
  }

  /**
   * Adds a retrieval's objects to the results: an id already there keeps its object (identity,
   * sdk-behaviour.md 3.6). Post filters and the owner check have already run on the object as this
   * request read it, so a known object read earlier without tags or attributes is not judged on what
   * it lacks; it gains them instead. The usual case, a first retrieval whose walk gave each id once,
   * takes the objects as they are: a set of their ids ({@link hasDuplicateIds}) shows there is nothing
   * to merge.
   */
  #addResults(found: T[]): number {
    if (this.#results.length === 0 && !hasDuplicateIds(found)) {
      this.#results = found;
      return found.length;
    }
    let byId = this.#byId;
    if (byId === undefined) {
      byId = new Map();
      for (const object of this.#results) byId.set(object.id, object);
      this.#byId = byId;
    }
    // The distinct objects of this retrieval (the ids it gave), old or new to the container.
    const ids = new Set<number>();
    for (const object of found) {
      ids.add(object.id);
      const known = byId.get(object.id);
      if (known === undefined) {
        byId.set(object.id, object);
        this.#results.push(object);
        continue;
      }
      if (known === object) continue;
      const from = object as unknown as Record<string, unknown>;
      const to = known as unknown as Record<string, unknown>;
      for (const key of ['tags', 'attributes']) {
        if (to[key] === undefined && from[key] !== undefined) to[key] = from[key];
      }
    }
    return ids.size;
  }

  /**
   * Objects as pages arrive: the filter objects combined left to right (see docs/filters.md for
   * what each shape keeps in memory). The filter objects are used up when the walk starts.
   */
  stream(options: RetrieveOptions = {}): AsyncGenerator<T> {
    const { recorder } = this.context.requester;
    // The options are checked when the walk starts; until then a signal is taken only if it is one.
    const signal: unknown = (options as { signal?: unknown } | null)?.signal;
    return new ObjectStream<T>(
      () => this.#batches(options, 'stream'),
      (delivered) => {
        recorder.addFilteredResults(delivered);
      },
      isAbortSignal(signal) ? signal : undefined,
    );
  }

  /**
   * @internal The filter objects as retrieval sends them; a container whose filter objects need
   * something read first (the indicator types of a custom type's filter) replaces them here.
   */
  protected prepareFilters(filters: FilterObject[], signal?: AbortSignal): Promise<FilterObject[]> {
    return signal?.aborted === true
      ? Promise.reject(AbortError.fromSignal(signal))
      : Promise.resolve(filters);
  }

  /** The batches of a walk; the filter objects are used up when it starts. */
  async *#batches(options: RetrieveOptions, method: 'retrieve' | 'stream'): AsyncGenerator<T[]> {
    // Checked before any request, the type table's read included, and before the filter objects are
    // taken: a call refused for its options leaves them for the corrected call (which would otherwise
    // read the whole base listing).
    checkRetrieveOptions(options, method);
    const taken = this.#filters;
    this.#filters = [];
    for (const filter of taken) filter.markUsed();
    const filters = await this.prepareFilters(taken, options.signal);
    yield* streamAll(this.#plan(), filters, this.context.requester.config.defaultOrg, options);
  }

  /** Runs the filter objects and adds their results to the container; resolves to the container. */
  async retrieve(options: RetrieveOptions = {}): Promise<this> {
    // All or nothing: a retrieval that throws (IncompleteResultError, ApiError, an abort) leaves the
    // container's results as they were, so no partial result hides behind a caught error.
    const found: T[] = [];
    for await (const batch of this.#batches(options, 'retrieve')) {
      for (const object of batch) found.push(object);
    }
    // The size of the final set (sdk-behaviour.md 9.1): a retrieval that throws has none and counts
    // nothing, and an id a shifting listing gave twice counts once.
    this.context.requester.recorder.addFilteredResults(this.#addResults(found));
    return this;
  }

  /** The retrieved objects, in first-seen order. */
  [Symbol.iterator](): Iterator<T> {
    return this.#results.values();
  }

  /** How many objects have been retrieved. */
  get length(): number {
    return this.#results.length;
  }

  /** The same one line as `util.inspect` gives, for `String(x)` and template strings. */
  toString(): string {
    return this[inspect.custom]();
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `${this.constructor.name} { length: ${this.length} }`;
  }
}

/**
 * @internal Whether two of `objects` share an id (a walk gives an id twice only when a listing shifted
 * under it): an open-addressing set of the ids in a typed array, a few instructions an id where a
 * `Set` or a sort costs hundreds.
 */
export function hasDuplicateIds(objects: readonly Retrieved[]): boolean {
  const count = objects.length;
  if (count < 2) return false;
  let bits = 4;
  while (1 << bits < count * 2) bits += 1;
  const mask = (1 << bits) - 1;
  // NaN marks an empty slot.
  const table = new Float64Array(1 << bits).fill(Number.NaN);
  for (let i = 0; i < count; i += 1) {
    const id = (objects[i] as Retrieved).id;
    // (A NaN id equals nothing: the map, which takes NaN as one key, decides then.)
    if (Number.isNaN(id)) return true;
    let at = Math.imul((id | 0) ^ Math.imul((id / 4294967296) | 0, 0x27d4eb2d), 0x9e3779b1) >>> (32 - bits);
    for (;;) {
      const slot = table[at] as number;
      if (slot === id) return true;
      if (Number.isNaN(slot)) break;
      at = (at + 1) & mask;
    }
    table[at] = id;
  }
  return false;
}
