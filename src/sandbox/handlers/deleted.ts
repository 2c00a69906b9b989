/**
 * `GET /v2/indicators/deleted` and `/v2/indicators/{branch}/deleted` (rest-api-v2.md 6.5): the
 * indicators of the requested owner deleted within the retention window, oldest deletion first, as
 * `data.indicator[]` of `{ownerName, type, dateAdded, summary}`. `deletedSince` (ISO 8601) keeps those
 * deleted at or after that time. Deletions are recorded by `Store.deleteIndicators`.
 */
import { type RequestContext, listReply, pageWindow, requestOwner } from '../context.js';
import { type Reply, badRequest } from '../reply.js';
import { DELETED_RETENTION_MS, clientDateMs } from '../store.js';
import { indicatorType } from './shared.js';

interface DeletedRow {
  type: string;
  summary: string;
  date_added: string;
}

/** `deletedSince` as epoch ms, or a 400 for a value that is not a date. */
function deletedSince(ctx: RequestContext): number | null {
  const raw = ctx.query.get('deletedSince');
  if (raw === null || raw === '') return null;
  const ms = clientDateMs(raw);
  if (Number.isNaN(ms)) throw badRequest(`The deletedSince value is invalid: ${raw}`);
  return ms;
}

export function listDeletedIndicators(ctx: RequestContext, branch?: string): Reply {
  const info = branch === undefined ? undefined : indicatorType(ctx, branch);
  const owner = requestOwner(ctx);
  const { start, limit } = pageWindow(ctx);
  const since = deletedSince(ctx);
  const oldest = Math.max(ctx.nowMs() - DELETED_RETENTION_MS, since ?? Number.NEGATIVE_INFINITY);
  const where = ['owner_id = ?', 'deleted_ms >= ?'];
  const params: unknown[] = [owner.id, oldest];
  if (info) {
    where.push('type = ?');
    params.push(info.name);
  }
  const clause = where.join(' AND ');
  const rows = ctx.store.all<DeletedRow>(
    `SELECT type, summary, date_added FROM deleted_indicators WHERE ${clause} ORDER BY seq LIMIT ? OFFSET ?`,
    ...params,
    limit,
    start,
  );
  const total =
    start === 0
      ? (ctx.store.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM deleted_indicators WHERE ${clause}`,
          ...params,
        )?.n ?? 0)
      : 0;
  const items = rows.map((row) => ({
    ownerName: owner.name,
    type: row.type,
    dateAdded: row.date_added,
    summary: row.summary,
  }));
  return listReply('indicator', items, total, start);
}
