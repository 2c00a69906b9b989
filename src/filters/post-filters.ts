/**
 * Post filters (sdk-behaviour.md 3.5): predicates run on each retrieved object as it streams by. The
 * original's bugs are fixed: dates compare real instants (the original ignored the UTC offset on one
 * side), `addPfName` works with every operator (the original matched nothing but EQ), and an object
 * is tested on its own fields, so a post filter never empties a whole result because an index was
 * empty.
 */
import { FilterOperator } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { describeValue } from '../core/validators.js';
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

/** An ISO 8601 date, or date and time with an optional offset. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Epoch ms of a date value (a Date, or an ISO 8601 string with or without offset), or throws. A string
 * without an offset is UTC, as a date-only string is in JavaScript: the same filter gives the same
 * result on every machine (the original's dates depended on the machine's zone).
 */
export function parseFilterDate(value: unknown, method: string): number {
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') {
    const iso = ISO_DATE.exec(value);
    if (iso !== null) ms = Date.parse(iso[1] === undefined && /t/i.test(value) ? `${value}Z` : value);
  }
  if (!Number.isFinite(ms)) {
    throw new ValidationError(
      `${method}: ${describeValue(value)} is not a valid date (use a Date or an ISO 8601 string)`,
    );
  }
  return ms;
}

function numberValue(
  value: unknown,
  method: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
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
export function createPostFilter(name: PostFilterName, value: unknown, operator: unknown): PostFilter {
  const op = checkOperator(operator, name);
  const base = { name, method: methodOf(name), operator: op };
  const describe = (shown: string | number): string => `post filter by ${WORDS[name]} ${op} ${shown}`;
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
        test: (o) => {
          const raw = o[field];
          if (raw === undefined) return false;
          const at = Date.parse(raw);
          return Number.isFinite(at) && compare(at, ms, op);
        },
      };
    }
    case 'addPfConfidence':
    case 'addPfThreatAssessConfidence': {
      const n = numberValue(
        value,
        name,
        (x) => Number.isInteger(x) && x >= 0 && x <= 100,
        'an integer from 0 to 100',
      );
      const field = name === 'addPfConfidence' ? 'confidence' : 'threatAssessConfidence';
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
