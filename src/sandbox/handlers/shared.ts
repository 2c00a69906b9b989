/**
 * What the handlers share: finding the item a path addresses (404 when absent, 403 when its owner is out
 * of reach), the item at the head of a pivot path, the victim asset view, and the limits every handler
 * checks. Handlers import this module and never each other, so the handler modules form no import cycle.
 */
import {
  type RequestContext,
  accessibleOwnerIds,
  assertOwnerAccess,
  isoSeconds,
  parseId,
  requestOwner,
} from '../context.js';
import { type Failure, badRequest, notFound } from '../reply.js';
import {
  type GroupRow,
  INDICATOR_COLUMNS,
  type IndicatorRow,
  type OwnerRow,
  type TaskRow,
  type VictimRow,
  lookupKey,
} from '../store.js';
import { ATTRIBUTE_TYPE_BY_NAME } from '../metadata-types.js';
import { GROUP_BY_BRANCH, type GroupTypeInfo, type IndicatorTypeInfo, type ItemKind } from '../types.js';

/** Longest tag name (rest-api-v2.md 9 and 12). */
export const MAX_TAG_LENGTH = 128;

/** Whether `value` holds a C0 control character (U+0000 to U+001F) other than tab (U+0009). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 && code !== 0x09) return true;
  }
  return false;
}

/**
 * An indicator value, a name or a tag is text: NUL and the other C0 controls except tab are a 400
 * naming the field (decisions.md 2.4). Longer texts (attribute values, e-mail bodies) may hold line breaks.
 */
export function checkText(value: string, field: string, entity: string): string {
  if (hasControlCharacter(value)) {
    throw badRequest(`The ${field} for this ${entity} is invalid, it may not contain control characters`);
  }
  return value;
}

/** An ISO 8601 date, or date and time with an optional fraction and zone (`Z`, `±HH:MM` or `±HHMM`). */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;
/** The two forms the API itself writes dates in (rest-api-v2.md 3.4): `...Z` and a `±HH:MM` offset. */
const WIRE_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A date a client writes (a campaign's `firstSeen`, an incident's `eventDate`, a task's `dueDate`,
 * `reminderDate` and `escalationDate`), as it goes on the wire. It must be ISO 8601 (rest-api-v2.md 3.4)
 * and name a day and time that exist: `June 17, 2015`, `1` or `2015-02-30`, which `Date.parse` takes,
 * are a 400 naming the field. A value already in one of the API's own forms (seconds and a zone) is kept
 * as given; any other (a date alone, no seconds, a fraction, no zone, which is UTC) becomes its instant
 * as `YYYY-MM-DDTHH:MM:SSZ`, the form the sandbox writes its own dates in.
 */
export function clientDate(value: unknown, field: string, entity: string): string {
  const invalid = (): Failure => badRequest(`The ${field} for this ${entity} is invalid`);
  if (typeof value !== 'string') throw invalid();
  const m = ISO_DATE.exec(value);
  if (m === null) throw invalid();
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, 0);
  const exists =
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === month - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute &&
    at.getUTCSeconds() === second;
  const offsetHours = Number(m[10] ?? '0');
  const offsetMinutes = Number(m[11] ?? '0');
  if (!exists || offsetHours > 23 || offsetMinutes > 59) throw invalid();
  if (WIRE_DATE.test(value)) return value;
  const sign = m[9] === '-' ? -1 : 1;
  const ms = at.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const iso = isoSeconds(ms);
  // Years outside 0000-9999 have no plain ISO form; such a value stays a 400.
  if (!/^\d{4}-/.test(iso)) throw invalid();
  return iso;
}

/**
 * A boolean field: JSON `true`/`false`, or the strings `"true"`/`"false"` that the Python SDK sends
 * (`add_attribute` sends `"displayed": "true"`) and the real server's lenient binding takes
 * (decisions.md 2.4). Anything else is a 400 naming the field; absent or null is undefined.
 */
export function parseBoolean(value: unknown, field: string, entity: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw badRequest(
    `The ${field} for this ${entity} is invalid, please enter one of the following values: true, false`,
  );
}

/** A tag name to write: non-blank text of at most {@link MAX_TAG_LENGTH} characters. */
export function tagName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest('The name for this Tag is invalid');
  if (value.length > MAX_TAG_LENGTH) {
    throw badRequest(`The name for this Tag is invalid, a tag may have at most ${MAX_TAG_LENGTH} characters`);
  }
  return checkText(value, 'name', 'Tag');
}

/**
 * An attribute's type and value as the attribute endpoints accept them: a type of
 * `/v2/types/attributeTypes` (any case; stored with the table's spelling), a value within its
 * `maxSize` and matching its validation rule. Returns the type's name.
 */
export function checkAttribute(type: unknown, value: string): string {
  const info = typeof type === 'string' ? ATTRIBUTE_TYPE_BY_NAME.get(type.toLowerCase()) : undefined;
  if (!info) throw badRequest('The requested attribute type was not found');
  if (value.length > info.maxSize) {
    throw badRequest(
      `The value for this ${info.name} attribute is invalid, it may have at most ${info.maxSize} characters`,
    );
  }
  if (info.validationRule !== undefined && !new RegExp(info.validationRule.text).test(value)) {
    throw badRequest(`Please enter a valid ${info.name}: ${info.validationRule.description}`);
  }
  return info.name;
}

const HASH_COLUMNS: Record<number, 'md5' | 'sha1' | 'sha256'> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * The indicator type of a path branch (`hosts`, or a custom type's `apiBranch` from the sandbox's type
 * table); 404 for an unknown branch.
 */
export function indicatorType(ctx: RequestContext, branch: string | undefined): IndicatorTypeInfo {
  const info = branch === undefined ? undefined : ctx.store.indicatorTypes.byBranch(branch);
  if (!info) throw notFound();
  return info;
}

/** The group type of a path branch (`adversaries`); 404 for an unknown branch. */
export function groupType(branch: string | undefined): GroupTypeInfo {
  const info = branch === undefined ? undefined : GROUP_BY_BRANCH.get(branch);
  if (!info) throw notFound();
  return info;
}

/** What writing and finding items needs: the store (a request's context, or a batch job's). */
export type StoreScope = Pick<RequestContext, 'store'>;

/** Finds an indicator by value in one owner; a file by any of its hashes. */
export function findIndicator(
  ctx: StoreScope,
  info: IndicatorTypeInfo,
  value: string,
  ownerId: number,
): IndicatorRow | undefined {
  if (info.name === 'File') {
    const column = HASH_COLUMNS[value.length];
    if (column === undefined || !/^[0-9a-fA-F]+$/.test(value)) return undefined;
    return ctx.store.get<IndicatorRow>(
      `SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE owner_id = ? AND ${column} = ?`,
      ownerId,
      value.toUpperCase(),
    );
  }
  return ctx.store.get<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE owner_id = ? AND type = ? AND lookup = ?`,
    ownerId,
    info.name,
    lookupKey(info, value),
  );
}

/** The indicator a path addresses, in the request's owner; 404 when absent. */
export function requireIndicator(
  ctx: RequestContext,
  branch: string | undefined,
  value: string | undefined,
  owner: OwnerRow = requestOwner(ctx),
): IndicatorRow {
  const info = indicatorType(ctx, branch);
  const row = value === undefined ? undefined : findIndicator(ctx, info, value, owner.id);
  if (!row) throw notFound();
  return row;
}

/** The group a path addresses, found by its global id whatever `owner` says (decisions.md 2.4). */
export function requireGroup(
  ctx: RequestContext,
  branch: string | undefined,
  rawId: string | undefined,
): GroupRow {
  const info = groupType(branch);
  const id = parseId(rawId);
  const row = ctx.store.get<GroupRow>('SELECT * FROM groups WHERE id = ? AND type = ?', id, info.name);
  if (!row) throw notFound();
  assertOwnerAccess(ctx, row.owner_id);
  return row;
}

export function requireVictim(ctx: RequestContext, rawId: string | undefined): VictimRow {
  const row = ctx.store.get<VictimRow>('SELECT * FROM victims WHERE id = ?', parseId(rawId));
  if (!row) throw notFound();
  assertOwnerAccess(ctx, row.owner_id);
  return row;
}

export function requireTask(ctx: RequestContext, rawId: string | undefined): TaskRow {
  const row = ctx.store.get<TaskRow>('SELECT * FROM tasks WHERE id = ?', parseId(rawId));
  if (!row) throw notFound();
  assertOwnerAccess(ctx, row.owner_id);
  return row;
}

// ---- items addressed by a pivot path ----

export interface ItemRef {
  kind: ItemKind;
  id: number;
  /** The item's owner. Tags and labels have one too: the owner the path's `owner` parameter names. */
  ownerId: number;
  /** For indicators: their type name. */
  type?: string;
  /**
   * A tag named from its own side that does not exist yet (`id` is then -1): a POST attaching it to an
   * item creates it (rest-api-v2.md 9: "Attaching an unknown tag creates it"); anything else is a 404.
   */
  newTag?: string;
}

function indicatorRef(row: IndicatorRow): ItemRef {
  return { kind: 'indicator', id: row.id, ownerId: row.owner_id, type: row.type };
}

/** Resolves `/{kind}/{...}` at the start of `segments` to an item; returns it and the remaining segments. */
export function resolvePivot(
  ctx: RequestContext,
  segments: readonly string[],
): { item: ItemRef; rest: string[] } {
  const [head, a, b, ...more] = segments;
  switch (head) {
    case 'indicators': {
      const row = requireIndicator(ctx, a, b);
      return { item: indicatorRef(row), rest: more };
    }
    case 'groups': {
      const row = requireGroup(ctx, a, b);
      return { item: { kind: 'group', id: row.id, ownerId: row.owner_id }, rest: more };
    }
    case 'victims': {
      const row = requireVictim(ctx, a);
      return { item: { kind: 'victim', id: row.id, ownerId: row.owner_id }, rest: segments.slice(2) };
    }
    case 'tasks': {
      const row = requireTask(ctx, a);
      return { item: { kind: 'task', id: row.id, ownerId: row.owner_id }, rest: segments.slice(2) };
    }
    case 'tags': {
      // The owner is checked first, as on every owner-scoped listing: a bad owner is a 403 even when the
      // tag does not exist either.
      const owner = requestOwner(ctx);
      const tag = a === undefined ? undefined : ctx.store.tagByName(owner.id, a);
      if (tag) return { item: { kind: 'tag', id: tag.id, ownerId: owner.id }, rest: segments.slice(2) };
      if (a === undefined || ctx.method !== 'POST') throw notFound();
      return { item: { kind: 'tag', id: -1, ownerId: owner.id, newTag: a }, rest: segments.slice(2) };
    }
    case 'securityLabels': {
      const owner = requestOwner(ctx);
      const label = a === undefined ? undefined : ctx.store.labelByName(owner.id, a);
      if (!label) throw notFound();
      return { item: { kind: 'label', id: label.id, ownerId: owner.id }, rest: segments.slice(2) };
    }
    default:
      throw notFound();
  }
}

/**
 * Owners whose items a pivot listing shows. A tag or label lists its own owner's items (the `owner`
 * parameter, else the default org); an item's own links are shown across every owner the user may access,
 * because associations may cross owners (decisions.md 2.4).
 */
export function pivotOwners(ctx: RequestContext, item: ItemRef): number[] {
  if (item.kind === 'tag' || item.kind === 'label') return [item.ownerId];
  return [...accessibleOwnerIds(ctx)];
}

// ---- victim assets ----

export interface AssetRow {
  id: number;
  victim_id: number;
  type: string;
  name: string;
  fields: string;
}

/** An asset as a `victimAsset` list item, or (`full`) as its typed object with its fields. */
export function assetView(ctx: RequestContext, row: AssetRow, full: boolean): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: row.id,
    ...(full ? {} : { name: row.name }),
    type: row.type,
    webLink: `${ctx.view.origin}/auth/victim/victim.xhtml?victim=${row.victim_id}`,
  };
  return full ? { ...base, ...(JSON.parse(row.fields) as Record<string, unknown>) } : base;
}
