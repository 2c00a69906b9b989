/**
 * Post filters (sdk-behaviour.md 3.5): predicates run on each retrieved object as it streams by. The
 * original's bugs are fixed: dates compare real instants (the original ignored the UTC offset on one
 * side), `addPfName` works with every operator (the original matched nothing but EQ), and an object
 * is tested on its own fields, so a post filter never empties a whole result because an index was
 * empty.
 */
import { FilterOperator } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { describeValue, isDate } from '../core/validators.js';
import { isoToEpochMs } from '../formats/dates.js';
import type { PostFilterName } from './definitions.js';

/** The fields a post filter reads from an object. */
export interface FilterableObject {
  readonly name?: string | undefined;
  readonly type?: string | undefined;
  readonly dateAdded?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly rating?: number | undefined;
  readonly confidence?: number | undefined;
  readonly threatAssessRating?: number | undefined;
  readonly threatAssessConfidence?: number | undefined;
  readonly fileType?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly attributes?: readonly { readonly type: string }[] | undefined;
}

/** One post filter of a filter object. */
export interface PostFilter {
  readonly name: PostFilterName;
  /** `post filter by rating GE 2.0`, as the report and `String(filter)` show it. */
  readonly description: string;
  /** The value as the report shows it (dates as epoch seconds). */
  readonly filter: string | number;
  /** The report's `method`: `filterRating`, `filterDateAdded`, … */
  readonly method: string;
  readonly operator: FilterOperator;
  /** Needs `includeTags` / `includeAttributes` on the listing. */
  readonly needs?: 'tags' | 'attributes' | undefined;
  /** Whether an item passes this filter. */
  test(object: FilterableObject): boolean;
}

const OPERATORS = new Set<string>(Object.values(FilterOperator));

export function checkOperator(operator: unknown, method: string): FilterOperator {
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw new ValidationError(
      `${method}: the operator must be a FilterOperator (EQ, NE, GT, GE, LT, LE), got ${describeValue(operator)}`,
    );
  }
  return operator as FilterOperator;
}

function compare<T extends number | string>(a: T, b: T, operator: FilterOperator): boolean {
  switch (operator) {
    case 'EQ':
      return a === b;
    case 'NE':
      return a !== b;
    case 'GT':
      return a > b;
    case 'GE':
      return a >= b;
    case 'LT':
      return a < b;
    case 'LE':
      return a <= b;
  }
}

/**
 * Epoch ms of a date as the API wrote it: ISO 8601 read by `isoToEpochMs` (so a date-time the server
 * sent without a zone is UTC, not the machine's local time), anything else by `Date.parse`.
 */
function wireDateMs(text: string): number {
  return isoToEpochMs(text) ?? Date.parse(text);
}

/**
 * Epoch ms of a date value (a Date, or an ISO 8601 string with or without offset, UTC without one, of
 * a date that exists: `isoToEpochMs`), or throws. The original's dates depended on the machine's zone.
 */
export function parseFilterDate(value: unknown, method: string): number {
  let ms = Number.NaN;
  if (isDate(value)) ms = value.getTime();
  else if (typeof value === 'string') ms = isoToEpochMs(value) ?? Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationError(
      `${method}: ${describeValue(value)} is not a valid date (use a Date or an ISO 8601 string)`,
    );
  }
  return ms;
}

/** A number as a string may give it: decimal digits with an optional sign and fraction (not `0x10`, `1e2`). */
const DECIMAL = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

function numberValue(
  value: unknown,
  method: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DECIMAL.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n) || !check(n)) {
    throw new ValidationError(`${method}: ${describeValue(value)} is not ${expected}`);
  }
  return n;
}

function text(value: unknown, method: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(`${method}: ${describeValue(value)} is not a non-empty string`);
  }
  return value;
}

const WORDS: Readonly<Record<PostFilterName, string>> = {
  addPfAttribute: 'attribute',
  addPfConfidence: 'confidence',
  addPfDateAdded: 'date added',
  addPfFileType: 'file type',
  addPfLastModified: 'last modified',
  addPfName: 'name',
  addPfRating: 'rating',
  addPfTag: 'tag',
  addPfThreatAssessConfidence: 'threat assess confidence',
  addPfThreatAssessRating: 'threat assess rating',
  addPfType: 'type',
};

function methodOf(name: PostFilterName): string {
  return `filter${name.slice('addPf'.length)}`;
}

/** Builds a post filter; throws ValidationError for a bad value or operator, before any request. */
export function createPostFilter(
  name: PostFilterName,
  value: unknown,
  operator: unknown,
  /** Whether the description quotes the value: the owners container's name filter (sdk-behaviour.md 3.5). */
  quoted = false,
): PostFilter {
  const op = checkOperator(operator, name);
  const base = { name, method: methodOf(name), operator: op };
  const describe = (shown: string | number): string =>
    `post filter by ${WORDS[name]} ${op} ${quoted ? `"${shown}"` : shown}`;
  switch (name) {
    case 'addPfDateAdded':
    case 'addPfLastModified': {
      const ms = parseFilterDate(value, name);
      const seconds = Math.floor(ms / 1000);
      const field = name === 'addPfDateAdded' ? 'dateAdded' : 'lastModified';
      return {
        ...base,
        description: `${describe(seconds)} seconds`,
        filter: seconds,
        // In whole seconds on both sides, as the description says (sdk-behaviour.md 3.5: the exact
        // second for EQ, `op(keySec, filterSec)` for the others).
        test: (o) => {
          const raw = o[field];
          if (raw === undefined) return false;
          const at = wireDateMs(raw);
          return Number.isFinite(at) && compare(Math.floor(at / 1000), seconds, op);
        },
      };
    }
    case 'addPfConfidence':
    case 'addPfThreatAssessConfidence': {
      // A confidence is an integer; the threat assessment's is a mean, a real number (rest-api-v2.md 4.2).
      const integer = name === 'addPfConfidence';
      const n = numberValue(
        value,
        name,
        (x) => (!integer || Number.isInteger(x)) && x >= 0 && x <= 100,
        integer ? 'an integer from 0 to 100' : 'a number from 0 to 100',
      );
      const field = integer ? 'confidence' : 'threatAssessConfidence';
      return {
        ...base,
        description: describe(n),
        filter: n,
        test: (o) => o[field] !== undefined && compare(o[field], n, op),
      };
    }
    case 'addPfRating':
    case 'addPfThreatAssessRating': {
      const n = numberValue(value, name, (x) => x >= 0 && x <= 5, 'a rating from 0 to 5');
      const field = name === 'addPfRating' ? 'rating' : 'threatAssessRating';
      // The report shows the value as given ('2.0'), as the original did.
      const shown = typeof value === 'string' ? value.trim() : Number.isInteger(n) ? n.toFixed(1) : String(n);
      return {
        ...base,
        description: describe(shown),
        filter: shown,
        test: (o) => o[field] !== undefined && compare(o[field], n, op),
      };
    }
    case 'addPfTag':
    case 'addPfAttribute': {
      const v = text(value, name);
      const isTag = name === 'addPfTag';
      return {
        ...base,
        description: describe(v),
        filter: v,
        needs: isTag ? 'tags' : 'attributes',
        test: (o) =>
          isTag
            ? (o.tags ?? []).some((t) => compare(t, v, op))
            : (o.attributes ?? []).some((a) => compare(a.type, v, op)),
      };
    }
    case 'addPfName':
    case 'addPfType':
    case 'addPfFileType': {
      const v = text(value, name);
      const field = name === 'addPfName' ? 'name' : name === 'addPfType' ? 'type' : 'fileType';
      return {
        ...base,
        description: describe(v),
        filter: v,
        test: (o) => o[field] !== undefined && compare(o[field], v, op),
      };
    }
  }
}
