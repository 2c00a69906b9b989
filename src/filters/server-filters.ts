/**
 * Post filters sent ahead as a server-side `filters=` parameter (rest-api-v2.md 4.2), when a retrieval
 * asks for it (`retrieve({ serverFilters: true })`, docs/filters.md).
 *
 * Each expression sent is implied by its post filter: every object the post filter keeps, the server
 * keeps too, whatever its date precision, time zone or decimal rounding. The post filters still run on
 * every object the server sends, so the results are those of the client-side path, with less traffic.
 * Hence the margins: a date bound is moved out by two days and sent as a date (the spec's own form),
 * a rating bound by 0.02; `GE`/`LE` on an integer become `>`/`<` of the next integer out. A post filter
 * whose field or operator the listing cannot filter on (`NE`, a tag, a type, a name other than `EQ`, a
 * value holding a comma, which separates expressions) is not sent and stays client-side only.
 */
import type { FilterOperator } from '../core/enums.js';
import { quoteValue } from '../core/url.js';
import type { ContainerKind } from './definitions.js';
import type { PostFilter } from './post-filters.js';

/** The container a filter object lists: its kind and, for typed containers, its branch. */
export interface ServerFilterTarget {
  readonly kind: ContainerKind;
  readonly branch?: string | undefined;
}

const DAY_MS = 86_400_000;
/** How far a date bound is moved out: covers any server time zone and a day-precision compare. */
const DATE_MARGIN_MS = 2 * DAY_MS;
/** How far a rating bound is moved out: covers rounding to the two decimals ratings are kept with. */
const RATING_MARGIN = 0.02;
const OPERATOR_CODES = { '=': '%3D', '<': '%3C', '>': '%3E' } as const;
type OperatorSymbol = keyof typeof OPERATOR_CODES;

/** One expression, its operator and value percent-encoded, as the spec's encoding note asks. */
function expression(field: string, symbol: OperatorSymbol, value: string): string {
  return `${field}${OPERATOR_CODES[symbol]}${quoteValue(value)}`;
}

/** `YYYY-MM-DD` (UTC) of an instant, or undefined outside the years every parser takes. */
function day(ms: number): string | undefined {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(ms) || year < 1000 || year > 9999) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Bounds that hold for every value `x` with `x <op> value`, each an expression or none. */
function bounds(
  operator: FilterOperator,
  lower: string | undefined,
  upper: string | undefined,
  field: string,
): string[] {
  const out: string[] = [];
  const wantsLower = operator === 'GT' || operator === 'GE' || operator === 'EQ';
  const wantsUpper = operator === 'LT' || operator === 'LE' || operator === 'EQ';
  if (wantsLower && lower !== undefined) out.push(expression(field, '>', lower));
  if (wantsUpper && upper !== undefined) out.push(expression(field, '<', upper));
  return out;
}

function dateBounds(field: string, p: PostFilter): string[] {
  // The post filter keeps whole seconds for the report; the margin is far wider than the second lost.
  const ms = Number(p.filter) * 1000;
  return bounds(p.operator, day(ms - DATE_MARGIN_MS), day(ms + DATE_MARGIN_MS + DAY_MS), field);
}

function ratingBounds(field: string, p: PostFilter): string[] {
  const value = Number(p.filter);
  if (!Number.isFinite(value)) return [];
  const low = value - RATING_MARGIN;
  // Ratings are never negative: no lower bound then (it would only drop unrated objects).
  return bounds(p.operator, low > 0 ? low.toFixed(2) : undefined, (value + RATING_MARGIN).toFixed(2), field);
}

/** An integer field: exact bounds (`GE n` is `> n-1`), `EQ` as `=` when the field takes it. */
function integerBounds(field: string, p: PostFilter, takesEquals: boolean): string[] {
  const n = Number(p.filter);
  if (!Number.isInteger(n)) return [];
  switch (p.operator) {
    case 'EQ':
      return takesEquals
        ? [expression(field, '=', String(n))]
        : [expression(field, '>', String(n - 1)), expression(field, '<', String(n + 1))];
    case 'GT':
      return [expression(field, '>', String(n))];
    case 'GE':
      return [expression(field, '>', String(n - 1))];
    case 'LT':
      return [expression(field, '<', String(n))];
    case 'LE':
      return [expression(field, '<', String(n + 1))];
    case 'NE':
      return [];
  }
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A text field's `EQ`: sent when the value survives the trip (no comma, no lone surrogate). */
function textEquals(field: string, p: PostFilter): string[] {
  const value = String(p.filter);
  if (p.operator !== 'EQ' || value.includes(',') || LONE_SURROGATE.test(value)) return [];
  return [expression(field, '=', value)];
}

const INDICATOR_KINDS: ReadonlySet<ContainerKind> = new Set(['indicators', 'typedIndicators']);
const GROUP_KINDS: ReadonlySet<ContainerKind> = new Set(['groups', 'groupType']);

/** The server-side expressions of one post filter on a container's listings (none when it has none). */
export function serverExpressions(target: ServerFilterTarget, p: PostFilter): string[] {
  const indicators = INDICATOR_KINDS.has(target.kind);
  const groups = GROUP_KINDS.has(target.kind);
  switch (p.name) {
    case 'addPfDateAdded':
      return indicators || groups || target.kind === 'tasks' ? dateBounds('dateAdded', p) : [];
    case 'addPfRating':
      return indicators ? ratingBounds('rating', p) : [];
    case 'addPfThreatAssessRating':
      return indicators ? ratingBounds('threatAssessRating', p) : [];
    case 'addPfConfidence':
      return indicators ? integerBounds('confidence', p, true) : [];
    case 'addPfThreatAssessConfidence':
      // A double on the wire: integer bounds one apart still hold every value the post filter keeps.
      return indicators ? integerBounds('threatAssessConfidence', p, false) : [];
    case 'addPfName':
      return groups || target.kind === 'victims' || target.kind === 'tasks' ? textEquals('name', p) : [];
    case 'addPfFileType':
      return target.kind === 'groupType' && target.branch === 'documents' ? textEquals('fileType', p) : [];
    default:
      return [];
  }
}

/**
 * The `filters` value for a filter object's post filters on its container's listings, expressions
 * joined by literal commas (rest-api-v2.md 4.2), or undefined when none applies.
 */
export function serverFilterValue(
  target: ServerFilterTarget,
  postFilters: readonly PostFilter[],
): string | undefined {
  const parts = [...new Set(postFilters.flatMap((p) => serverExpressions(target, p)))];
  return parts.length === 0 ? undefined : parts.join(',');
}
