/** An owner (rest-api-v2.md 3): an organization or a community. */
import { inspect } from 'node:util';
import { readNumber, readString } from './values.js';

/** An owner the API user can see, as listed by `tc.owners()`. */
export class Owner {
  readonly id: number;
  readonly name: string | undefined;
  /** `Organization` or `Community`. */
  readonly type: string | undefined;

  /** @internal */
  constructor(id: number, name: string | undefined, type: string | undefined) {
    this.id = id;
    this.name = name;
    this.type = type;
  }

  /** Owners are listed as they are: the owner filter of other containers does not apply. */
  get ownerName(): string | undefined {
    return this.name;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `Owner { id: ${this.id}, name: ${JSON.stringify(this.name ?? null)}, type: ${JSON.stringify(this.type ?? null)} }`;
  }
}

export function parseOwner(item: Record<string, unknown>): Owner {
  return new Owner(readNumber(item.id) ?? 0, readString(item.name), readString(item.type));
}
