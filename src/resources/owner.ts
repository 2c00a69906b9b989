/** An owner (rest-api-v2.md 3): an organization or a community. */
import { inspect } from 'node:util';
import type { ResourceContext } from './context.js';
import { checkMadeByClient } from './item-state.js';
import { type LookupOptions, type OwnerMetric, readOwnerMetrics } from './lookups.js';
import { readId, readString } from './values.js';

/** An owner the API user can see, as listed by `tc.owners()`. */
export class Owner {
  readonly id: number;
  readonly name: string | undefined;
  /** `Organization` or `Community`. */
  readonly type: string | undefined;
  readonly #context: ResourceContext;

  /**
   * @internal The SDK's way to make one ({@link parseOwner}): users get owners from `tc.owners()`, and
   * the published constructor is private, so that `new Owner()` does not compile.
   */
  static create(
    id: number,
    name: string | undefined,
    type: string | undefined,
    context: ResourceContext,
  ): Owner {
    return new Owner(id, name, type, context);
  }

  private constructor(
    id: number,
    name: string | undefined,
    type: string | undefined,
    context: ResourceContext,
  ) {
    checkMadeByClient(context, 'Owner');
    this.id = id;
    this.name = name;
    this.type = type;
    this.#context = context;
  }

  /**
   * The owner's metrics for each of the last 30 days (`GET /v2/owners/{id}/metrics`, rest-api-v2.md 5),
   * in the API's order.
   */
  metrics(options: LookupOptions = {}): Promise<OwnerMetric[]> {
    return readOwnerMetrics(this.#context, this.id, options);
  }

  /** Owners are listed as they are: the owner filter of other containers does not apply. */
  get ownerName(): string | undefined {
    return this.name;
  }

  /** The same one line as `util.inspect` gives, for `String(x)` and template strings. */
  toString(): string {
    return this[inspect.custom]();
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `Owner { id: ${this.id}, name: ${JSON.stringify(this.name ?? null)}, type: ${JSON.stringify(this.type ?? null)} }`;
  }
}

export function parseOwner(item: Record<string, unknown>, context: ResourceContext): Owner {
  return Owner.create(readId(item.id), readString(item.name), readString(item.type), context);
}
