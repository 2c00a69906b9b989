/** Indicator listings and CRUD (rest-api-v2.md section 6). */
import { type RequestContext, isoNow, pageWindow, readObject, requestOwner, windowed } from '../context.js';
import { indicatorListing } from '../indicator-list.js';
import { readFilters } from '../query-filters.js';
import { Failure, type Reply, badRequest, notFound, single, success } from '../reply.js';
import {
  INDICATOR_COLUMNS,
  type IndicatorRow,
  type OwnerRow,
  clientDateMs,
  dateMs,
  lookupKey,
} from '../store.js';
import type { IndicatorTypeInfo } from '../types.js';
import { isFileHash, matchesValuePatterns, valuePatterns } from '../value-patterns.js';
import { indicatorView } from '../views.js';
import { type StoreScope, checkText, findIndicator, indicatorType, requireIndicator } from './shared.js';

/** `modifiedSince` as epoch ms, or a 400 for a value that is not a date. */
function modifiedSince(ctx: RequestContext): number | null {
  const raw = ctx.query.get('modifiedSince');
  if (raw === null || raw === '') return null;
  const ms = clientDateMs(raw);
  if (Number.isNaN(ms)) throw badRequest(`The modifiedSince value is invalid: ${raw}`);
  return ms;
}

export function listIndicators(ctx: RequestContext, branch?: string): Reply {
  const info = branch === undefined ? undefined : indicatorType(ctx, branch);
  const owner = requestOwner(ctx);
  const { start, limit } = pageWindow(ctx);
  const since = modifiedSince(ctx);
  const filter = readFilters(ctx, { kind: 'indicator', type: info?.name });
  // Active indicators only, unless the filter names `active` (rest-api-v2.md 4.2's example lists both).
  const where = filter?.fields.has('active') === true ? ['owner_id = ?'] : ['owner_id = ?', 'active = 1'];
  const params: unknown[] = [owner.id];
  if (info) {
    where.push('type = ?');
    params.push(info.name);
  }
  if (since !== null) {
    where.push('last_modified_ms >= ?');
    params.push(since);
  }
  if (filter !== null) {
    where.push(filter.clause);
    params.push(...filter.params);
  }
  const clause = where.join(' AND ');
  const idsQuery = `SELECT id FROM indicators WHERE ${clause} ORDER BY id`;
  const ids = ctx.store.orderedIds(idsQuery, params);
  return indicatorListing(ctx, {
    listing: `${idsQuery}\u0000${JSON.stringify(params)}`,
    key: info ? info.entity : 'indicator',
    shape: info ? 'typed' : 'generic',
    ids,
    start,
    limit,
    pageQuery: (columns) => ({
      sql: `SELECT ${columns.join(', ')} FROM indicators WHERE ${clause} AND id >= ? ORDER BY id LIMIT ?`,
      params: [...params, ids[start], limit],
    }),
  });
}

export function getIndicator(ctx: RequestContext, branch: string, value: string): Reply {
  const row = requireIndicator(ctx, branch, value);
  const info = indicatorType(ctx, branch);
  return single(info.entity, indicatorView(ctx.view, row, 'single'));
}

// ---- validation ----

function invalidValue(info: IndicatorTypeInfo, value: string): Failure {
  return badRequest(`Please enter a valid ${info.name}: ${value}`);
}

function stringField(
  body: Record<string, unknown>,
  field: string,
  info: IndicatorTypeInfo,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`The ${field} for this ${info.name} is invalid`);
  return checkText(value, field, info.name);
}

/** Checks a value of a base or custom type against its type's patterns (value-patterns.ts). */
export function validateValue(info: IndicatorTypeInfo, value: string): string {
  if (!matchesValuePatterns(info.name, value)) throw invalidValue(info, value);
  return value;
}

function parseRating(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  // A numeric string is a plain decimal ('2.0'); Number() alone would also take '0x5' or '1e0'.
  const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 5) {
    throw badRequest(
      `The rating for this Indicator is invalid, please enter a number from 0 to 5: ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function parseConfidence(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100) {
    throw badRequest(
      `The confidence for this Indicator is invalid, please enter an integer from 0 to 100: ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function parseFlag(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  throw badRequest(
    `The ${field} for this Host is invalid, please enter one of the following values: true, false`,
  );
}

function parseSize(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw badRequest('The size for this File is invalid');
  return n;
}

interface Mutable {
  rating?: number | undefined;
  confidence?: number | undefined;
  dnsActive?: string | undefined;
  whoisActive?: string | undefined;
  size?: number | undefined;
}

export function mutableFields(info: IndicatorTypeInfo, body: Record<string, unknown>): Mutable {
  const out: Mutable = { rating: parseRating(body.rating), confidence: parseConfidence(body.confidence) };
  if (info.name === 'Host') {
    out.dnsActive = parseFlag(body.dnsActive, 'dnsActive');
    out.whoisActive = parseFlag(body.whoisActive, 'whoisActive');
  }
  if (info.name === 'File') out.size = parseSize(body.size);
  return out;
}

export function applyMutable(ctx: StoreScope, id: number, fields: Mutable, now: string): void {
  const columns: [string, unknown][] = [
    ['rating', fields.rating],
    ['confidence', fields.confidence],
    ['dns_active', fields.dnsActive],
    ['whois_active', fields.whoisActive],
    ['size', fields.size],
  ];
  for (const [column, value] of columns) {
    if (value !== undefined) ctx.store.run(`UPDATE indicators SET ${column} = ? WHERE id = ?`, value, id);
  }
  ctx.store.run(
    'UPDATE indicators SET last_modified = ?, last_modified_ms = ? WHERE id = ?',
    now,
    dateMs(now),
    id,
  );
}

function byId(ctx: StoreScope, id: number): IndicatorRow {
  const row = ctx.store.get<IndicatorRow>(`SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE id = ?`, id);
  if (!row) throw notFound();
  return row;
}

/**
 * `POST /v2/indicators/{branch}`. Creating a value that already exists in the owner updates that
 * indicator and answers 201 with its existing id (decisions.md 2.4).
 */
export async function createIndicator(ctx: RequestContext, branch: string): Promise<Reply> {
  const info = indicatorType(ctx, branch);
  const owner = requestOwner(ctx);
  const body = await readObject(ctx);
  const now = isoNow(ctx);
  const id = ctx.store.transaction(() => writeIndicator(ctx, info, owner, body, now));
  return single(info.entity, indicatorView(ctx.view, byId(ctx, id), 'single'), 201);
}

/**
 * Creates the indicator a create body describes, or updates the owner's indicator of that value;
 * returns its id. Run inside a transaction. Batch jobs write through it too, so a batch writes what
 * the single-item endpoint would.
 */
export function writeIndicator(
  ctx: StoreScope,
  info: IndicatorTypeInfo,
  owner: OwnerRow,
  body: Record<string, unknown>,
  now: string,
): number {
  const fields = mutableFields(info, body);
  if (info.name === 'File') return upsertFile(ctx, info, owner, body, fields, now);
  const values = info.fields.map((field) => stringField(body, field, info));
  if (values.some((v) => v === undefined || v === '')) {
    const missing = info.fields.find((_, i) => values[i] === undefined || values[i] === '') ?? info.fields[0];
    throw badRequest(`The ${missing} for this ${info.name} is invalid`);
  }
  const summary = (values as string[]).join(' : ');
  validateValue(info, summary);
  const existing = findIndicator(ctx, info, summary, owner.id);
  if (existing) {
    applyMutable(ctx, existing.id, fields, now);
    return existing.id;
  }
  const newId = ctx.store.nextId('indicators');
  ctx.store.run(
    `INSERT INTO indicators (id, owner_id, type, summary, lookup, vals, date_added, last_modified, last_modified_ms, web_link, active)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    newId,
    owner.id,
    info.name,
    summary,
    lookupKey(info, summary),
    info.custom ? JSON.stringify(values) : null,
    now,
    now,
    dateMs(now),
    webLinkPath(info, summary, owner, newId),
  );
  applyMutable(ctx, newId, fields, now);
  return newId;
}

function upsertFile(
  ctx: StoreScope,
  info: IndicatorTypeInfo,
  owner: OwnerRow,
  body: Record<string, unknown>,
  fields: Mutable,
  now: string,
): number {
  const hashes: Partial<Record<'md5' | 'sha1' | 'sha256', string>> = {};
  for (const field of ['md5', 'sha1', 'sha256'] as const) {
    const value = stringField(body, field, info);
    if (value === undefined || value === '') continue;
    if (!isFileHash(field, value)) {
      throw badRequest(`Please enter a valid ${field.toUpperCase()}: ${value}`);
    }
    hashes[field] = value.toUpperCase();
  }
  const present = (['md5', 'sha1', 'sha256'] as const).filter((f) => hashes[f] !== undefined);
  if (present.length === 0)
    throw badRequest('The md5, sha1 or sha256 for this File is invalid: at least one hash is required');
  const matches = new Map<number, IndicatorRow>();
  for (const field of present) {
    const row = findIndicator(ctx, info, hashes[field] as string, owner.id);
    if (row) matches.set(row.id, row);
  }
  if (matches.size > 1) {
    throw badRequest('The hashes for this File are invalid, they belong to different existing Files');
  }
  const existing = [...matches.values()][0];
  if (existing) {
    for (const field of present) {
      const current = existing[field];
      if (current !== null && current !== hashes[field]) {
        const label = field === 'md5' ? 'MD5' : field === 'sha1' ? 'SHA-1' : 'SHA-256';
        throw badRequest(`The ${label} for this File is invalid, a File with this ${label} already exists`);
      }
    }
    const md5 = existing.md5 ?? hashes.md5 ?? null;
    const sha1 = existing.sha1 ?? hashes.sha1 ?? null;
    const sha256 = existing.sha256 ?? hashes.sha256 ?? null;
    const summary = [md5, sha1, sha256].filter((h) => h !== null).join(' : ');
    ctx.store.run(
      'UPDATE indicators SET md5 = ?, sha1 = ?, sha256 = ?, summary = ? WHERE id = ?',
      md5,
      sha1,
      sha256,
      summary,
      existing.id,
    );
    applyMutable(ctx, existing.id, fields, now);
    return existing.id;
  }
  const summary = present.map((f) => hashes[f]).join(' : ');
  const newId = ctx.store.nextId('indicators');
  ctx.store.run(
    `INSERT INTO indicators (id, owner_id, type, summary, md5, sha1, sha256, date_added, last_modified, last_modified_ms, web_link, active)
     VALUES (?, ?, 'File', ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    newId,
    owner.id,
    summary,
    hashes.md5 ?? null,
    hashes.sha1 ?? null,
    hashes.sha256 ?? null,
    now,
    now,
    dateMs(now),
    webLinkPath(info, hashes.md5 ?? hashes.sha1 ?? hashes.sha256 ?? '', owner, newId),
  );
  applyMutable(ctx, newId, fields, now);
  return newId;
}

function webLinkPath(info: IndicatorTypeInfo, value: string, owner: OwnerRow, id: number): string {
  // Form-encoded, as the recorded links' `owner=Example+Community` (an `&` or `+` in a name stays its own).
  const ownerParam = encodeURIComponent(owner.name).replace(/%20/g, '+');
  if (info.custom) return `/auth/indicators/details/customIndicator.xhtml?id=${id}&owner=${ownerParam}`;
  if (info.name === 'URL') return `/auth/indicators/details/url.xhtml?orgid=${id}&owner=${ownerParam}`;
  const param = info.name.toLowerCase();
  return `/auth/indicators/details/${param}.xhtml?${param}=${encodeURIComponent(value)}&owner=${ownerParam}`;
}

export async function updateIndicator(ctx: RequestContext, branch: string, value: string): Promise<Reply> {
  const row = requireIndicator(ctx, branch, value);
  const info = indicatorType(ctx, branch);
  const body = await readObject(ctx);
  const fields = mutableFields(info, body);
  ctx.store.transaction(() => {
    applyMutable(ctx, row.id, fields, isoNow(ctx));
  });
  return single(info.entity, indicatorView(ctx.view, byId(ctx, row.id), 'single'));
}

export function deleteIndicator(ctx: RequestContext, branch: string, value: string): Reply {
  const row = requireIndicator(ctx, branch, value);
  ctx.store.deleteIndicators([row.id], ctx.nowMs());
  return success();
}

/** Deletes an indicator with its links and attributes (the single-item DELETE, and batch deletes). */
export function removeIndicator(ctx: StoreScope, id: number, nowMs: number): void {
  // Through the store's one deletion path, which records it for `/v2/indicators/deleted`.
  ctx.store.deleteIndicators([id], nowMs);
}

/** `GET /v2/types/indicatorTypes[/{apiEntity}]`: the sandbox's type table, custom types included. */
export function indicatorTypes(ctx: RequestContext, entity?: string): Reply {
  const table = ctx.store.indicatorTypes;
  const describe = (t: IndicatorTypeInfo): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      name: t.name,
      custom: String(t.custom),
      parsable: String(!t.custom),
      apiBranch: t.branch,
      apiEntity: t.entity,
    };
    if (t.custom) {
      out.casePreference = t.casePreference;
      t.fields.forEach((field, i) => {
        out[`value${i + 1}Label`] = field;
        out[`value${i + 1}Type`] = t.fieldTypes?.[i] ?? 'text';
      });
    }
    if (ctx.view.includeAdditional) {
      // rest-api-v2.md 6.1: "adds `regexes[]` and `keys`": the patterns the sandbox enforces for the type
      // (value-patterns.ts; none for a custom type given as an option), and the value fields by number
      // (`{"key1":"ip"}`).
      out.regexes = [...valuePatterns(t.name)];
      out.keys = Object.fromEntries(t.fields.map((field, i) => [`key${i + 1}`, field]));
    }
    return out;
  };
  if (entity !== undefined) {
    const info = table.byEntity(entity) ?? table.byName(entity);
    if (!info) throw notFound();
    return single('indicatorType', describe(info));
  }
  return windowed(ctx, 'indicatorType', table.list, describe);
}
