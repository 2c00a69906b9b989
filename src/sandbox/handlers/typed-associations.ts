/**
 * Typed indicator-to-indicator associations (rest-api-v2.md 10):
 * `/v2/indicators/{b}/{v}/associations/{assocType}/indicators[/{b2}[/{v2}]]` for the custom association
 * types (symmetric: either end lists the link), and `/v2/indicators/files/{hash}/actions/{action}/
 * indicators[/{b2}[/{v2}]]` for file actions (from the file only). GET lists or reads one linked
 * indicator; POST and DELETE on a full path add or remove the link.
 */
import { type RequestContext, accessibleOwnerIds, requestOwner, windowed } from '../context.js';
import { ASSOCIATION_TYPES, type AssociationTypeInfo, linksTypes } from '../metadata-types.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import { INDICATOR_COLUMNS, type IndicatorRow, lookupKey } from '../store.js';
import { indicatorView } from '../views.js';
import { indicatorType, requireIndicator } from './shared.js';

/** A/an before a type name, for the association message of rest-api-v2.md 3.3. */
function article(type: string): string {
  return /^[AEIOU]/i.test(type) ? `an ${type}` : `a ${type}`;
}

function linked(
  ctx: RequestContext,
  item: IndicatorRow,
  assoc: AssociationTypeInfo,
  typeName: string | undefined,
): IndicatorRow[] {
  const owners = [...accessibleOwnerIds(ctx)].filter(Number.isInteger);
  const columns = INDICATOR_COLUMNS.split(', ')
    .map((c) => `t.${c}`)
    .join(', ');
  return ctx.store.all<IndicatorRow>(
    `SELECT ${columns} FROM indicator_links l JOIN indicators t ON t.id = l.b_id
      WHERE l.a_id = ? AND l.assoc = ? AND t.active = 1 AND t.owner_id IN (${owners.join(', ') || 'NULL'})
        ${typeName === undefined ? '' : 'AND t.type = ?'}
      ORDER BY t.id`,
    item.id,
    assoc.apiBranch,
    ...(typeName === undefined ? [] : [typeName]),
  );
}

/**
 * `{indicator}/associations/...` (`via` = 'associations') or `files/{hash}/actions/...` (`via` =
 * 'actions'). `rest` starts after `via`: `[assocType, 'indicators', b2?, v2?]`.
 */
export function typedAssociations(
  ctx: RequestContext,
  branch: string,
  value: string,
  via: 'associations' | 'actions',
  rest: readonly string[],
): Reply {
  const item = requireIndicator(ctx, branch, value);
  const [assocName, collection, targetBranch, targetValue, ...more] = rest;
  const assoc = ASSOCIATION_TYPES.find(
    (t) => t.apiBranch === assocName && t.fileAction === (via === 'actions'),
  );
  if (!assoc || collection !== 'indicators' || more.length > 0) throw notFound();
  if (via === 'actions' && item.type !== 'File') throw notFound();
  const targetInfo = targetBranch === undefined ? undefined : indicatorType(ctx, targetBranch);
  if (targetValue === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const rows = linked(ctx, item, assoc, targetInfo?.name);
    const key = targetInfo === undefined ? 'indicator' : targetInfo.entity;
    const shape = targetInfo === undefined ? 'generic' : 'typed';
    return windowed(ctx, key, rows, (row) => indicatorView(ctx.view, row, shape));
  }
  const info = targetInfo as NonNullable<typeof targetInfo>;
  if (ctx.method === 'GET') {
    const key = lookupKey(info, targetValue);
    const upper = targetValue.toUpperCase();
    const row = linked(ctx, item, assoc, info.name).find((r) =>
      info.name === 'File' ? [r.md5, r.sha1, r.sha256].includes(upper) : r.lookup === key,
    );
    if (!row) throw notFound();
    return single(info.entity, indicatorView(ctx.view, row, 'single'));
  }
  // The `owner` parameter picks both ends (as for the other association paths); else the item's owner.
  const owner = ctx.query.get('owner') ? requestOwner(ctx) : { id: item.owner_id, name: '', type: '' };
  const target = requireIndicator(ctx, targetBranch, targetValue, owner);
  if (ctx.method === 'POST') {
    if (target.id === item.id || !linksTypes(assoc, item.type, target.type)) {
      throw badRequest(
        `Invalid association, ${article(item.type)} cannot be associated with ${article(target.type)} by ${assoc.name}`,
      );
    }
    const insert = 'INSERT OR IGNORE INTO indicator_links (assoc, a_id, b_id) VALUES (?, ?, ?)';
    ctx.store.transaction(() => {
      ctx.store.run(insert, assoc.apiBranch, item.id, target.id);
      if (!assoc.fileAction) ctx.store.run(insert, assoc.apiBranch, target.id, item.id);
    });
    return success(201);
  }
  if (ctx.method === 'DELETE') {
    const remove = 'DELETE FROM indicator_links WHERE assoc = ? AND a_id = ? AND b_id = ?';
    const changes = ctx.store.transaction(() => {
      const n = ctx.store.run(remove, assoc.apiBranch, item.id, target.id).changes;
      if (!assoc.fileAction) ctx.store.run(remove, assoc.apiBranch, target.id, item.id);
      return n;
    });
    if (changes === 0) throw notFound();
    return success();
  }
  throw notFound();
}
