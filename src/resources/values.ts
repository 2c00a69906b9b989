/** Readers of wire values: the API sends numbers as numbers or strings, booleans as strings. */
import { InvalidResponseError } from '../core/errors.js';

export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * An id read from the wire (rest-api-v2.md 3.4: "`id`: integer"), or undefined when there is none.
 * @throws {InvalidResponseError} for an id a JavaScript number cannot hold exactly (2^53 and beyond,
 *   or a fraction): `JSON.parse` has already rounded it, and the object would address another one.
 */
export function readOptionalId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  const n = readNumber(value);
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n)) {
    throw new InvalidResponseError(
      `The server sent the id ${typeof value === 'string' ? value : String(n)}, which is not an integer the SDK can hold exactly (up to 2^53 - 1)`,
      { status: 200, contentType: 'application/json' },
    );
  }
  return n;
}

/** {@link readOptionalId}, 0 when there is none. */
export function readId(value: unknown): number {
  return readOptionalId(value) ?? 0;
}

export function readString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * The object of a single-object answer's `data[key]`: an object, or an array holding only one object,
 * as a lone item may come either way (rest-api-v2.md 3.1: "Accept `data[key]` as object or array").
 * Undefined when there is none.
 */
export function readSingleObject(value: unknown): Record<string, unknown> | undefined {
  const item: unknown = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  return typeof item === 'object' && item !== null && !Array.isArray(item)
    ? (item as Record<string, unknown>)
    : undefined;
}

/** `tag[]` of an item read with `includeTags`: the names. */
export function readTags(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((t: unknown) =>
    typeof t === 'object' && t !== null && typeof (t as { name?: unknown }).name === 'string'
      ? [(t as { name: string }).name]
      : [],
  );
}

/** One attribute of an item. */
export interface AttributeValue {
  readonly id?: number | undefined;
  readonly type: string;
  readonly value: string;
  readonly displayed?: boolean | undefined;
  readonly dateAdded?: string | undefined;
  readonly lastModified?: string | undefined;
}

/** `attribute[]` of an item read with `includeAttributes`. */
export function readAttributes(value: unknown): AttributeValue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((a: unknown) => {
    if (typeof a !== 'object' || a === null) return [];
    const r = a as Record<string, unknown>;
    const type = readString(r.type);
    if (type === undefined) return [];
    return [
      {
        id: readOptionalId(r.id),
        type,
        value: readString(r.value) ?? '',
        displayed: r.displayed === true || r.displayed === 'true',
        dateAdded: readString(r.dateAdded),
        lastModified: readString(r.lastModified),
      },
    ];
  });
}

/** `ownerName` of a list item, or `owner.name` of a single object. */
export function readOwnerName(item: Record<string, unknown>): string | undefined {
  const name = readString(item.ownerName);
  if (name !== undefined) return name;
  const owner = item.owner;
  return typeof owner === 'object' && owner !== null
    ? readString((owner as { name?: unknown }).name)
    : undefined;
}
