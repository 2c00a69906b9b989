/**
 * The `filters` and `orParams` query parameters of v2 listings (rest-api-v2.md 4.2): each listing's
 * fields and their operators, compiled to one SQL condition over the listing's table.
 *
 * - `filters` is read decoded, then split on commas: the operator may come raw (`=`, `<`, `>`, `^`, `!`)
 *   or percent-encoded (`%3D`, `%3C`, `%3E`, `%5E`, `%21`), with the same meaning. A comma always
 *   separates two expressions, so a value cannot hold one (decisions: docs/decisions.md).
 * - Expressions are ANDed; `orParams=true` ORs them.
 * - A field the listing does not have, an operator the field does not take, a value of the wrong
 *   kind and a malformed expression are each a 400 naming the field, operator or value.
 * - Values compare as the listing shows them: dates as instants (`Date.parse`, as the SDK's post filters
 *   do; a date without an offset is UTC), ratings at the two decimals they are sent with, names exactly
 *   (tags and labels without case, as their names are).
 */
import type { Database } from 'better-sqlite3';
import type { RequestContext } from './context.js';
import { type Failure, badRequest } from './reply.js';
import { clientDateMs } from './store.js';
import { TASK_STATUSES } from './types.js';

/** The listing a filter applies to: its item kind and, for typed listings, the type name. */
export type FilterListing =
  | { readonly kind: 'indicator'; readonly type?: string | undefined }
  | { readonly kind: 'group'; readonly type?: string | undefined }
  | { readonly kind: 'victim' | 'task' | 'tag' | 'label' };

type ValueKind = 'bool' | 'flag' | 'text' | 'date' | 'decimal' | 'int' | 'taskStatus';

interface FieldDef {
  /** The operators the field takes, as one string of symbols. */
  readonly ops: string;
  readonly value: ValueKind;
  /** The SQL expression of the field, given the table alias prefix (`t.` or ``). */
  readonly expr: (t: string) => string;
  /** Compare without case (tag and label names). */
  readonly nocase?: boolean;
}

/** A field the sandbox keeps no data for: every comparison with it is unknown, so nothing matches. */
const ABSENT = (): string => 'NULL';

const column =
  (name: string) =>
  (t: string): string =>
    `${t}${name}`;
const dateColumn =
  (name: string) =>
  (t: string): string =>
    `tc_date_ms(${t}${name})`;
const jsonField =
  (key: string) =>
  (t: string): string =>
    `json_extract(${t}fields, '$.${key}')`;
const jsonDate =
  (key: string) =>
  (t: string): string =>
    `tc_date_ms(json_extract(${t}fields, '$.${key}'))`;

const INDICATOR_FIELDS: Readonly<Record<string, FieldDef>> = {
  active: { ops: '=', value: 'bool', expr: column('active') },
  summary: { ops: '=^', value: 'text', expr: column('summary') },
  dateAdded: { ops: '<>', value: 'date', expr: dateColumn('date_added') },
  rating: { ops: '<>', value: 'decimal', expr: (t) => `tc_decimal2(${t}rating)` },
  confidence: { ops: '=<>', value: 'int', expr: column('confidence') },
  // The sandbox computes no threat assess score and records no false positives (docs/sandbox.md).
  threatAssessScore: { ops: '=<>', value: 'int', expr: ABSENT },
  threatAssessRating: { ops: '<>', value: 'decimal', expr: (t) => `tc_decimal2(${t}threat_assess_rating)` },
  threatAssessConfidence: { ops: '<>', value: 'decimal', expr: column('threat_assess_confidence') },
  falsePositive: { ops: '=<>', value: 'int', expr: ABSENT },
};

/** Address only; the sandbox keeps no geolocation or ASN data for addresses. */
const ADDRESS_FIELDS: Readonly<Record<string, FieldDef>> = {
  city: { ops: '=', value: 'text', expr: ABSENT },
  countryCode: { ops: '=', value: 'text', expr: ABSENT },
  countryName: { ops: '=', value: 'text', expr: ABSENT },
  organization: { ops: '=', value: 'text', expr: ABSENT },
  state: { ops: '=', value: 'text', expr: ABSENT },
  timezone: { ops: '=', value: 'text', expr: ABSENT },
  asn: { ops: '=', value: 'int', expr: ABSENT },
};

const HOST_FIELDS: Readonly<Record<string, FieldDef>> = {
  dnsActive: { ops: '=', value: 'flag', expr: (t) => `COALESCE(${t}dns_active, 'false')` },
  whoisActive: { ops: '=', value: 'flag', expr: (t) => `COALESCE(${t}whois_active, 'false')` },
};

const GROUP_FIELDS: Readonly<Record<string, FieldDef>> = {
  name: { ops: '=^', value: 'text', expr: column('name') },
  dateAdded: { ops: '<>', value: 'date', expr: dateColumn('date_added') },
};

const GROUP_TYPE_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldDef>>>> = {
  Campaign: { firstSeen: { ops: '<>', value: 'date', expr: jsonDate('firstSeen') } },
  Document: { fileType: { ops: '=', value: 'text', expr: jsonField('fileType') } },
  Incident: { eventDate: { ops: '<>', value: 'date', expr: jsonDate('eventDate') } },
};

const taskUser =
  (key: 'assignee' | 'escalatee') =>
  (t: string): string =>
    `(SELECT MAX(json_extract(u.value, '$.userName') = ?1) FROM json_each(${t}fields, '$.${key}') u)`;

const TASK_FIELDS: Readonly<Record<string, FieldDef>> = {
  name: { ops: '=^', value: 'text', expr: column('name') },
  dateAdded: { ops: '<>', value: 'date', expr: dateColumn('date_added') },
  dueDate: { ops: '<>', value: 'date', expr: jsonDate('dueDate') },
  status: { ops: '=!', value: 'taskStatus', expr: jsonField('status') },
  assignee: { ops: '=', value: 'text', expr: taskUser('assignee') },
  escalatee: { ops: '=', value: 'text', expr: taskUser('escalatee') },
  overdue: { ops: '=', value: 'bool', expr: jsonField('overdue') },
  escalated: { ops: '=', value: 'bool', expr: jsonField('escalated') },
  reminded: { ops: '=', value: 'bool', expr: jsonField('reminded') },
};

const TAG_FIELDS: Readonly<Record<string, FieldDef>> = {
  name: { ops: '=^', value: 'text', expr: column('name'), nocase: true },
  // The number of items carrying the tag (links hold one row per direction).
  weight: {
    ops: '=<>',
    value: 'int',
    expr: (t) => `(SELECT COUNT(*) FROM links w WHERE w.a_kind = 'tag' AND w.a_id = ${t}id)`,
  },
};

const LABEL_FIELDS: Readonly<Record<string, FieldDef>> = {
  name: { ops: '=^', value: 'text', expr: column('name'), nocase: true },
};

/** The spec's example filters victims with `^` too, so names take both operators (docs/decisions.md). */
const VICTIM_FIELDS: Readonly<Record<string, FieldDef>> = {
  name: { ops: '=^', value: 'text', expr: column('name') },
};

/** The fields of a listing, in the order its messages list them. */
export function listingFields(listing: FilterListing): Readonly<Record<string, FieldDef>> {
  switch (listing.kind) {
    case 'indicator':
      if (listing.type === 'Address') return { ...INDICATOR_FIELDS, ...ADDRESS_FIELDS };
      if (listing.type === 'Host') return { ...INDICATOR_FIELDS, ...HOST_FIELDS };
      return INDICATOR_FIELDS;
    case 'group':
      return { ...GROUP_FIELDS, ...(GROUP_TYPE_FIELDS[listing.type ?? ''] ?? {}) };
    case 'task':
      return TASK_FIELDS;
    case 'tag':
      return TAG_FIELDS;
    case 'label':
      return LABEL_FIELDS;
    case 'victim':
      return VICTIM_FIELDS;
  }
}

/** A listing's filter as SQL: `(clause)` holds for the rows it keeps. */
export interface CompiledFilter {
  readonly clause: string;
  readonly params: readonly unknown[];
  /** The fields it names (`active` lifts the indicator listings' active-only default). */
  readonly fields: ReadonlySet<string>;
}

const registered = new WeakSet<Database>();

/** The SQL functions filters use, registered once per database. */
function ensureFunctions(db: Database): void {
  if (registered.has(db)) return;
  db.function('tc_date_ms', { deterministic: true }, (value: unknown) => {
    if (typeof value !== 'string') return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  });
  // A rating as the listing sends it (`toFixed(2)`), so a filter compares what a client reads.
  db.function('tc_decimal2', { deterministic: true }, (value: unknown) =>
    typeof value === 'number' ? Number(value.toFixed(2)) : null,
  );
  registered.add(db);
}

const EXPRESSION = /^([A-Za-z][A-Za-z0-9]*)([=<>^!])([\s\S]*)$/;
const SYMBOL_LIST = (ops: string): string => ops.split('').join(', ');

function valueError(field: string, raw: string, expected: string): Failure {
  return badRequest(`The filter value "${raw}" for the field ${field} is invalid: expected ${expected}`);
}

/** The value of one expression, checked against the field's kind. */
function parseValue(field: string, kind: ValueKind, raw: string): unknown {
  switch (kind) {
    case 'bool':
    case 'flag': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw valueError(field, raw, 'true or false');
      if (kind === 'flag') return lower;
      return lower === 'true' ? 1 : 0;
    }
    case 'int':
      if (!/^-?\d{1,15}$/.test(raw)) throw valueError(field, raw, 'an integer');
      return Number(raw);
    case 'decimal':
      if (!/^-?\d{1,15}(\.\d{1,15})?$/.test(raw)) throw valueError(field, raw, 'a decimal number');
      return Number(raw);
    case 'date': {
      const ms = clientDateMs(raw);
      if (!Number.isFinite(ms)) throw valueError(field, raw, 'a date such as 2017-07-13 or 2017-07-13T00:00');
      return ms;
    }
    case 'taskStatus':
      if (!(TASK_STATUSES as readonly string[]).includes(raw))
        throw valueError(field, raw, `one of ${TASK_STATUSES.join(', ')}`);
      return raw;
    case 'text':
      return raw;
  }
}

/** One expression as SQL; `?1` in a field expression is the value (taskUser uses it). */
function condition(def: FieldDef, op: string, alias: string, value: unknown): [string, unknown[]] {
  const expr = def.expr(alias);
  const collate = def.nocase === true ? ' COLLATE NOCASE' : '';
  if (expr.includes('?1')) return [`${expr.replace('?1', '?')} = 1`, [value]];
  switch (op) {
    case '=':
      return [`${expr} = ?${collate}`, [value]];
    case '<':
      return [`${expr} < ?`, [value]];
    case '>':
      return [`${expr} > ?`, [value]];
    case '!':
      return [`${expr} IS NOT ?`, [value]];
    default:
      // '^': starts with, counted in characters as SQLite's substr does.
      return [`substr(${expr}, 1, length(?)) = ?${collate}`, [value, value]];
  }
}

/** The `filters` parameter's expressions, decoded (several `filters` parameters add up). */
function expressions(ctx: RequestContext): string[] {
  const values = ctx.query.getAll('filters').filter((v) => v !== '');
  return values.flatMap((v) => v.split(','));
}

/** Whether `orParams` asks for OR; a value other than true or false is a 400. */
function orParams(ctx: RequestContext): boolean {
  const raw = ctx.query.get('orParams');
  if (raw === null || raw === '') return false;
  const lower = raw.toLowerCase();
  if (lower !== 'true' && lower !== 'false')
    throw badRequest(`The orParams value "${raw}" is invalid: expected true or false`);
  return lower === 'true';
}

/**
 * Reads the request's `filters` and `orParams` for a listing and marks them read (a listing that does
 * not read them refuses them, see {@link refuseUnreadFilters}). Null when there is no filter.
 * `alias` prefixes the listing table's columns (`t.` in a join).
 */
export function readFilters(ctx: RequestContext, listing: FilterListing, alias = ''): CompiledFilter | null {
  ctx.filtersRead = true;
  const useOr = orParams(ctx);
  const parts = expressions(ctx);
  if (parts.length === 0) return null;
  const fields = listingFields(listing);
  const clauses: string[] = [];
  const params: unknown[] = [];
  const named = new Set<string>();
  for (const part of parts) {
    const match = EXPRESSION.exec(part);
    if (match === null) {
      throw badRequest(
        `The filter "${part}" is not properly formed: expected a field, an operator (=, <, >, ^ or !) and a value`,
      );
    }
    const [, field = '', op = '', raw = ''] = match;
    const def = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (def === undefined) {
      throw badRequest(
        `The filter field ${field} is not supported by this listing; its fields are ${Object.keys(fields).join(', ')}`,
      );
    }
    if (!def.ops.includes(op)) {
      throw badRequest(
        `The filter operator ${op} is not supported for the field ${field}; its operators are ${SYMBOL_LIST(def.ops)}`,
      );
    }
    if (raw === '') throw valueError(field, raw, 'a value after the operator');
    const [sql, values] = condition(def, op, alias, parseValue(field, def.value, raw));
    clauses.push(sql);
    params.push(...values);
    named.add(field);
  }
  ensureFunctions(ctx.store.db);
  return { clause: `(${clauses.join(useOr ? ' OR ' : ' AND ')})`, params, fields: named };
}

/**
 * A 400 for a listing that has no filters, when the request sends some: never a silent unfiltered
 * answer. Called by the server on every listing reply.
 */
export function refuseUnreadFilters(ctx: RequestContext): void {
  if (ctx.filtersRead === true) return;
  const first = expressions(ctx)[0];
  if (first === undefined) return;
  const field = EXPRESSION.exec(first)?.[1];
  throw badRequest(
    field === undefined
      ? `The filters parameter is not supported by this listing: "${first}"`
      : `The filter field ${field} is not supported by this listing: it takes no filters`,
  );
}
