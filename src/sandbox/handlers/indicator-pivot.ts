/**
 * The indicator-to-indicator pivot of rest-api-v2.md 10: `GET /v2/indicators/{b}/{v}/indicators[/{b2}]`
 * lists the indicators linked to one through any typed association (the custom association types and the
 * file actions that `typed-associations.ts` stores in `indicator_links`), whichever end the link was made
 * from; `GET .../indicators/{b2}/{v2}` reads one of them, and `DELETE .../indicators/{b2}/{v2}` removes
 * every link between the two. There is no POST: links are made through a typed path, which names the
 * association type.
 */
import { type RequestContext, requestOwner } from '../context.js';
import { indicatorQueryListing } from '../indicator-list.js';
import { readFilters } from '../query-filters.js';
import { type Reply, notFound, single, success } from '../reply.js';
import { INDICATOR_COLUMNS, type IndicatorRow, lookupKey } from '../store.js';
import { indicatorView } from '../views.js';
import { type ItemRef, indicatorType, requireIndicator } from './shared.js';

/** The ids linked to an indicator, in either direction (custom types are stored both ways, file actions once). */
const LINKED_IDS =
  'SELECT b_id FROM indicator_links WHERE a_id = ? UNION SELECT a_id FROM indicator_links WHERE b_id = ?';

/**
 * `rest` is `['indicators', b2?, v2?]`; `owners` are those whose indicators the pivot may show (every
 * owner the user may access: associations may cross owners, decisions.md 2.4).
 */
export function indicatorPivot(
  ctx: RequestContext,
  item: ItemRef,
  rest: readonly string[],
  owners: readonly number[],
): Reply {
  const [, branch, value, ...more] = rest;
  if (more.length > 0) throw notFound();
  const info = branch === undefined ? undefined : indicatorType(ctx, branch);
  const ownerList = owners.filter(Number.isInteger).join(', ') || 'NULL';
  const where = [`t.id IN (${LINKED_IDS})`, `t.owner_id IN (${ownerList})`];
  const params: unknown[] = [item.id, item.id];
  if (info !== undefined) {
    where.push('t.type = ?');
    params.push(info.name);
  }
  if (value === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const filter = readFilters(ctx, { kind: 'indicator', type: info?.name }, 't.');
    // Active indicators only, unless the filter names `active` (as on the other indicator listings).
    if (filter?.fields.has('active') !== true) where.push('t.active = 1');
    if (filter !== null) {
      where.push(filter.clause);
      params.push(...filter.params);
    }
    return indicatorQueryListing(ctx, {
      from: `FROM indicators t WHERE ${where.join(' AND ')}`,
      params,
      idColumn: 't.id',
      key: info === undefined ? 'indicator' : info.entity,
      shape: info === undefined ? 'generic' : 'typed',
    });
  }
  const typeInfo = info as NonNullable<typeof info>;
  if (ctx.method === 'GET') {
    // As the other pivots' single reads: the linked indicator of that value in any of the owners.
    const key = lookupKey(typeInfo, value);
    const columns = INDICATOR_COLUMNS.split(', ')
      .map((c) => `t.${c}`)
      .join(', ');
    const row = ctx.store.get<IndicatorRow>(
      `SELECT ${columns} FROM indicators t WHERE ${where.join(' AND ')}
         AND (t.lookup = ? OR t.md5 = ? OR t.sha1 = ? OR t.sha256 = ?) ORDER BY t.id LIMIT 1`,
      ...params,
      key,
      key,
      key,
      key,
    );
    if (!row) throw notFound();
    return single(typeInfo.entity, indicatorView(ctx.view, row, 'single'));
  }
  if (ctx.method !== 'DELETE') throw notFound();
  // The `owner` parameter picks the other indicator's owner, else the pivot indicator's owner, as on
  // the other association paths.
  const owner = ctx.query.get('owner') ? requestOwner(ctx) : { id: item.ownerId, name: '', type: '' };
  const target = requireIndicator(ctx, branch, value, owner);
  const removed = ctx.store.run(
    'DELETE FROM indicator_links WHERE (a_id = ? AND b_id = ?) OR (a_id = ? AND b_id = ?)',
    item.id,
    target.id,
    target.id,
    item.id,
  ).changes;
  if (removed === 0) throw notFound();
  return success();
}
