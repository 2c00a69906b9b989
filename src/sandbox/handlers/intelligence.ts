/**
 * Indicator intelligence (rest-api-v2.md 6.6): observations, false positives, file occurrences, DNS
 * resolutions, the observed-indicators listing and the owners holding a value (section 5). The
 * choices the spec leaves open are in docs/decisions.md ("Indicator intelligence").
 */
import {
  type RequestContext,
  accessibleOwnerIds,
  isoNow,
  isoSeconds,
  listReply,
  pageWindow,
  parseId,
  readObject,
  requestOwner,
} from '../context.js';
import { Decimal2 } from '../encode.js';
import { indicatorQueryListing } from '../indicator-list.js';
import { intelligenceSummary } from '../intelligence.js';
import { type Reply, badRequest, json, notFound, single, success } from '../reply.js';
import { INDICATOR_COLUMNS, type IndicatorRow } from '../store.js';
import { owner, webLink } from '../views.js';
import { checkText, findIndicator, indicatorType, requireIndicator } from './shared.js';

/** Most items `/v2/indicators/observed` returns (rest-api-v2.md 12). */
export const MAX_OBSERVED = 20_000;
/** Largest observation count one POST may add: the real server's Java `int`. */
export const MAX_OBSERVATION_COUNT = 2_147_483_647;

/** The sub-resources this module serves under `/v2/indicators/{type}/{value}/`. */
export const INTELLIGENCE_RESOURCES = [
  'observations',
  'observationCount',
  'falsePositive',
  'fileOccurrences',
  'dnsResolutions',
] as const;

/** `{indicator}/{resource}[/...]`. A resource of another indicator type (a host's file occurrences) is a 404. */
export async function indicatorIntelligence(
  ctx: RequestContext,
  branch: string,
  value: string,
  resource: string,
  rest: readonly string[],
): Promise<Reply> {
  const row = requireIndicator(ctx, branch, value);
  if (resource === 'fileOccurrences') {
    if (row.type !== 'File') throw notFound();
    return fileOccurrences(ctx, row, rest);
  }
  if (rest.length > 0) throw notFound();
  switch (`${ctx.method} ${resource}`) {
    case 'GET observations':
      return listObservations(ctx, row);
    case 'POST observations':
      return addObservation(ctx, row);
    case 'GET observationCount':
      return observationCount(ctx, row);
    case 'POST falsePositive':
      return reportFalsePositive(ctx, row);
    case 'GET dnsResolutions':
      if (row.type === 'Host') return hostResolutions(ctx, row);
      if (row.type === 'Address') return addressResolutions(ctx, row);
      throw notFound();
    default:
      throw notFound();
  }
}

// ---- observations ----

const midnight = (day: string): string => `${day}T00:00:00Z`;

/**
 * An ISO 8601 date or time in ms, NaN when it is none. A time without a zone is UTC, as a date alone is
 * (Date.parse would read it in the machine's zone, and the sandbox must not depend on the machine).
 */
function isoMs(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return Number.NaN;
  const zoneless = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  return Date.parse(zoneless ? `${value}Z` : value);
}

function listObservations(ctx: RequestContext, row: IndicatorRow): Reply {
  const { start, limit } = pageWindow(ctx);
  const days = ctx.store.all<{ day: string; n: number }>(
    'SELECT day, SUM(count) AS n FROM observations WHERE indicator_id = ? GROUP BY day ORDER BY day LIMIT ? OFFSET ?',
    row.id,
    limit,
    start,
  );
  const total =
    start === 0
      ? (ctx.store.get<{ n: number }>(
          'SELECT COUNT(DISTINCT day) AS n FROM observations WHERE indicator_id = ?',
          row.id,
        )?.n ?? 0)
      : 0;
  return listReply(
    'observation',
    days.map((d) => ({ count: d.n, dateObserved: midnight(d.day) })),
    total,
    start,
  );
}

/** A positive whole count, as a JSON number or a numeric string (decisions.md 2.4). */
function observationCountValue(value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_OBSERVATION_COUNT) {
    throw badRequest(
      `The count for this Observation is invalid, it must be a whole number from 1 to ${MAX_OBSERVATION_COUNT}`,
    );
  }
  return n;
}

/** `dateObserved` of a POST: an ISO 8601 date or time, not after the server's now; absent is now. */
function observationTime(ctx: RequestContext, value: unknown): number {
  const now = ctx.nowMs();
  if (value === undefined || value === null) return now;
  const ms = isoMs(value);
  if (!Number.isFinite(ms)) {
    throw badRequest(
      'The dateObserved for this Observation is invalid, please enter an ISO 8601 date such as 2024-01-02 or 2024-01-02T03:04:05Z',
    );
  }
  if (ms > now) throw badRequest('The dateObserved for this Observation is invalid, it is in the future');
  return ms;
}

async function addObservation(ctx: RequestContext, row: IndicatorRow): Promise<Reply> {
  const body = await readObject(ctx);
  const count = observationCountValue(body.count);
  const observed = isoSeconds(observationTime(ctx, body.dateObserved));
  ctx.store.transaction(() => {
    // The body was read asynchronously: the indicator may have been deleted meanwhile.
    if (!ctx.store.itemExists('indicator', row.id)) throw notFound();
    ctx.store.run(
      `INSERT INTO observations (indicator_id, user_name, day, count, last_observed) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (indicator_id, user_name, day)
       DO UPDATE SET count = count + excluded.count, last_observed = MAX(last_observed, excluded.last_observed)`,
      row.id,
      ctx.user.user_name,
      observed.slice(0, 10),
      count,
      observed,
    );
  });
  return success();
}

function observationCount(ctx: RequestContext, row: IndicatorRow): Reply {
  const total = intelligenceSummary(ctx.store, row.id);
  const mine = ctx.store.get<{ n: number; last: string | null }>(
    'SELECT COALESCE(SUM(count), 0) AS n, MAX(last_observed) AS last FROM observations WHERE indicator_id = ? AND user_name = ?',
    row.id,
    ctx.user.user_name,
  );
  const out: Record<string, unknown> = { count: total.observationCount };
  if (total.lastObserved !== null) out.lastObserved = total.lastObserved;
  out.yourCount = mine?.n ?? 0;
  if (mine?.last != null) out.yourLastObserved = mine.last;
  return single('observationCount', out);
}

/** `GET /v2/indicators/observed[?dateObserved=YYYY-MM-DD]`: the owner's observed indicators, latest first. */
export function observedIndicators(ctx: RequestContext): Reply {
  const ownerRow = requestOwner(ctx);
  const raw = ctx.query.get('dateObserved');
  let day: string | undefined;
  if (raw !== null && raw !== '') {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Number.NaN;
    // Date.parse rolls 2015-02-30 over to March: the day must read back as given.
    const valid = Number.isFinite(ms) && new Date(ms).toISOString().startsWith(raw);
    if (!valid)
      throw badRequest('The dateObserved parameter is invalid, please enter a date such as 2024-01-02');
    day = raw;
  }
  const where = `i.owner_id = ?${day === undefined ? '' : ' AND o.day = ?'}`;
  const params: unknown[] = day === undefined ? [ownerRow.id] : [ownerRow.id, day];
  const rows = ctx.store.all<{ id: number; summary: string; n: number; last: string }>(
    `SELECT o.indicator_id AS id, i.summary, SUM(o.count) AS n, MAX(o.last_observed) AS last
     FROM observations o JOIN indicators i ON i.id = o.indicator_id WHERE ${where}
     GROUP BY o.indicator_id ORDER BY last DESC, o.indicator_id LIMIT ?`,
    ...params,
    MAX_OBSERVED,
  );
  const users = new Map<number, Record<string, unknown>[]>();
  for (const u of ctx.store.all<{ id: number; user: string; n: number; last: string }>(
    `SELECT o.indicator_id AS id, o.user_name AS user, SUM(o.count) AS n, MAX(o.last_observed) AS last
     FROM observations o JOIN indicators i ON i.id = o.indicator_id WHERE ${where}
     GROUP BY o.indicator_id, o.user_name ORDER BY o.indicator_id, o.user_name`,
    ...params,
  )) {
    let list = users.get(u.id);
    if (!list) {
      list = [];
      users.set(u.id, list);
    }
    list.push({ userName: u.user, userLastObservedDate: u.last, count: u.n });
  }
  const items = rows.map((r) => ({
    summary: r.summary,
    observationCount: r.n,
    lastObserved: r.last,
    userObservedList: users.get(r.id) ?? [],
  }));
  return json({ status: 'Success', data: { resultCount: items.length, indicator: items } }, 200, 'indicator');
}

// ---- false positives ----

function reportFalsePositive(ctx: RequestContext, row: IndicatorRow): Reply {
  const now = isoNow(ctx);
  // Once per user, per indicator, per day: a second report the same day changes nothing.
  ctx.store.run(
    'INSERT OR IGNORE INTO false_positives (indicator_id, user_name, day, reported) VALUES (?, ?, ?, ?)',
    row.id,
    ctx.user.user_name,
    now.slice(0, 10),
    now,
  );
  const summary = intelligenceSummary(ctx.store, row.id);
  return single('falsePositive', {
    count: summary.falsePositiveCount,
    lastReported: summary.falsePositiveLastReported,
  });
}

// ---- file occurrences ----

interface OccurrenceRow {
  id: number;
  indicator_id: number;
  file_name: string | null;
  path: string | null;
  date: string | null;
}

function occurrenceView(row: OccurrenceRow): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id };
  if (row.file_name !== null) out.fileName = row.file_name;
  if (row.path !== null) out.path = row.path;
  if (row.date !== null) out.date = row.date;
  return out;
}

const OCCURRENCE_FIELDS = [
  ['fileName', 'file_name'],
  ['path', 'path'],
  ['date', 'date'],
] as const;

/** The fields a body sets: a string sets one, null clears it, absent leaves it. */
function occurrenceFields(body: Record<string, unknown>): Map<'file_name' | 'path' | 'date', string | null> {
  const out = new Map<'file_name' | 'path' | 'date', string | null>();
  for (const [field, column] of OCCURRENCE_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === '') {
      out.set(column, null);
      continue;
    }
    if (typeof value !== 'string') throw badRequest(`The ${field} for this File Occurrence is invalid`);
    if (field === 'date') {
      const ms = isoMs(value);
      if (!Number.isFinite(ms)) {
        throw badRequest(
          'The date for this File Occurrence is invalid, please enter an ISO 8601 date such as 2024-01-02T03:04:05Z',
        );
      }
      out.set(column, isoSeconds(ms));
    } else {
      out.set(column, checkText(value, field, 'File Occurrence'));
    }
  }
  return out;
}

const NEEDS_ONE =
  'The request was not properly formed: a file occurrence needs at least one of fileName, path and date';

function occurrenceById(ctx: RequestContext, file: IndicatorRow, raw: string | undefined): OccurrenceRow {
  const row = ctx.store.get<OccurrenceRow>(
    'SELECT * FROM file_occurrences WHERE id = ? AND indicator_id = ?',
    parseId(raw),
    file.id,
  );
  if (!row) throw notFound();
  return row;
}

async function fileOccurrences(
  ctx: RequestContext,
  file: IndicatorRow,
  rest: readonly string[],
): Promise<Reply> {
  if (rest.length > 1) throw notFound();
  if (rest.length === 0) {
    if (ctx.method === 'GET') {
      // Unpaged, without resultCount (rest-api-v2.md 4.1): the whole list in one answer.
      const rows = ctx.store.all<OccurrenceRow>(
        'SELECT * FROM file_occurrences WHERE indicator_id = ? ORDER BY id',
        file.id,
      );
      return json(
        { status: 'Success', data: { fileOccurrence: rows.map(occurrenceView) } },
        200,
        'fileOccurrence',
      );
    }
    if (ctx.method !== 'POST') throw notFound();
    const fields = occurrenceFields(await readObject(ctx));
    if (![...fields.values()].some((v) => v !== null)) throw badRequest(NEEDS_ONE);
    const id = ctx.store.transaction(() => {
      if (!ctx.store.itemExists('indicator', file.id)) throw notFound();
      return Number(
        ctx.store.run(
          'INSERT INTO file_occurrences (indicator_id, file_name, path, date) VALUES (?, ?, ?, ?)',
          file.id,
          fields.get('file_name') ?? null,
          fields.get('path') ?? null,
          fields.get('date') ?? null,
        ).lastInsertRowid,
      );
    });
    return single('fileOccurrence', occurrenceView(occurrenceById(ctx, file, String(id))), 201);
  }
  const current = occurrenceById(ctx, file, rest[0]);
  switch (ctx.method) {
    case 'GET':
      return single('fileOccurrence', occurrenceView(current));
    case 'PUT': {
      const fields = occurrenceFields(await readObject(ctx));
      const next = {
        file_name: fields.has('file_name') ? (fields.get('file_name') ?? null) : current.file_name,
        path: fields.has('path') ? (fields.get('path') ?? null) : current.path,
        date: fields.has('date') ? (fields.get('date') ?? null) : current.date,
      };
      if (next.file_name === null && next.path === null && next.date === null) throw badRequest(NEEDS_ONE);
      const changed = ctx.store.run(
        'UPDATE file_occurrences SET file_name = ?, path = ?, date = ? WHERE id = ? AND indicator_id = ?',
        next.file_name,
        next.path,
        next.date,
        current.id,
        file.id,
      ).changes;
      if (changed === 0) throw notFound();
      return single('fileOccurrence', occurrenceView({ ...current, ...next }));
    }
    case 'DELETE':
      ctx.store.run('DELETE FROM file_occurrences WHERE id = ?', current.id);
      return success();
    default:
      throw notFound();
  }
}

// ---- DNS resolutions ----

/** Accessible owner ids, as SQL text (they are integers from the database). */
function ownerList(ctx: RequestContext): string {
  return [...accessibleOwnerIds(ctx)].filter(Number.isInteger).join(', ') || 'NULL';
}

/** `GET /v2/indicators/hosts/{host}/dnsResolutions`: one item per resolution date, with its addresses. */
function hostResolutions(ctx: RequestContext, host: IndicatorRow): Reply {
  const { start, limit } = pageWindow(ctx);
  const from = `FROM dns_resolutions r JOIN indicators a ON a.id = r.address_id
    WHERE r.host_id = ? AND a.owner_id IN (${ownerList(ctx)})`;
  const dates = ctx.store.all<{ d: string }>(
    `SELECT DISTINCT r.resolution_date AS d ${from} ORDER BY d LIMIT ? OFFSET ?`,
    host.id,
    limit,
    start,
  );
  const total =
    start === 0
      ? (ctx.store.get<{ n: number }>(`SELECT COUNT(DISTINCT r.resolution_date) AS n ${from}`, host.id)?.n ??
        0)
      : 0;
  const columns = INDICATOR_COLUMNS.split(', ')
    .map((c) => `a.${c}`)
    .join(', ');
  const items = dates.map(({ d }) => ({
    resolutionDate: d,
    addresses: ctx.store
      .indicators(`SELECT ${columns} ${from} AND r.resolution_date = ? ORDER BY a.id`, host.id, d)
      .map((a) => resolvedAddress(ctx, a)),
  }));
  return listReply('dnsResolution', items, total, start);
}

function resolvedAddress(ctx: RequestContext, a: IndicatorRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: a.id,
    ownerName: owner(ctx.view, a.owner_id).name,
    dateAdded: a.date_added,
    lastModified: a.last_modified,
  };
  if (a.threat_assess_rating !== null) out.threatAssessRating = new Decimal2(a.threat_assess_rating);
  if (a.threat_assess_confidence !== null) out.threatAssessConfidence = a.threat_assess_confidence;
  out.webLink = webLink(ctx.view, a.web_link);
  out.ip = a.summary;
  return out;
}

/** `GET /v2/indicators/addresses/{ip}/dnsResolutions`: the active hosts that resolved to it, as generic items. */
function addressResolutions(ctx: RequestContext, address: IndicatorRow): Reply {
  return indicatorQueryListing(ctx, {
    from: `FROM indicators t WHERE t.type = 'Host' AND t.active = 1 AND t.owner_id IN (${ownerList(ctx)})
    AND t.id IN (SELECT host_id FROM dns_resolutions WHERE address_id = ?)`,
    params: [address.id],
    idColumn: 't.id',
    key: 'indicator',
    shape: 'generic',
  });
}

// ---- owners of a value ----

/**
 * `GET /v2/indicators/{type}/{value}/owners`: the owners the user may access that hold this value, by
 * id, without `resultCount`; `includeAdditional` adds `itemId`. No owner holding it is an empty list.
 */
export function indicatorOwners(ctx: RequestContext, branch: string, value: string): Reply {
  const info = indicatorType(ctx, branch);
  const owners: Record<string, unknown>[] = [];
  for (const ownerId of [...accessibleOwnerIds(ctx)].sort((x, y) => x - y)) {
    const row = findIndicator(ctx, info, value, ownerId);
    if (!row) continue;
    const o = owner(ctx.view, ownerId);
    const out: Record<string, unknown> = { id: o.id, name: o.name, type: o.type };
    if (ctx.view.includeAdditional) out.itemId = row.id;
    owners.push(out);
  }
  return json({ status: 'Success', data: { owner: owners } }, 200, 'owner');
}
