/**
 * Victim assets of an indicator, group or task (rest-api-v2.md 10: "Victim assets (of
 * indicator/group/task) | GET .../victimAssets[/{assetType}[/{assetId}]] | DELETE
 * .../victimAssets/{assetType}/{assetId}"): the assets of the victims associated with the item, in the
 * shapes of `/v2/victims/{id}/victimAssets` (a generic `victimAsset[]` list, the typed key and the
 * asset's fields under `/{assetType}`).
 *
 * DELETE removes the association between the item and that one asset: the item no longer lists it, while
 * the asset stays with its victim and the item keeps its victim and the victim's other assets. It neither
 * deletes the asset (that is `DELETE /v2/victims/{id}/victimAssets/...`) nor unlinks the victim (that is
 * `DELETE {item}/victims/{id}`): section 10 lists associations, and its DELETEs remove links only.
 * Removing the item's link to the victim forgets what was hidden (store.ts `unlink`).
 */
import { type RequestContext, parseId, windowed } from '../context.js';
import { type Reply, notFound, single, success } from '../reply.js';
import { VICTIM_ASSET_TYPES } from '../types.js';
import { type AssetRow, type ItemRef, assetView } from './shared.js';

/** The assets the item shows: of its victims in `owners`, less those hidden from it; by asset id. */
function visibleAssets(
  ctx: RequestContext,
  item: ItemRef,
  owners: readonly number[],
  filter: { type?: string; id?: number } = {},
): AssetRow[] {
  const where: string[] = [];
  const params: unknown[] = [item.kind, item.id, item.kind, item.id];
  if (filter.type !== undefined) {
    where.push('a.type = ?');
    params.push(filter.type);
  }
  if (filter.id !== undefined) {
    where.push('a.id = ?');
    params.push(filter.id);
  }
  const ownerList = owners.filter(Number.isInteger).join(', ') || 'NULL';
  return ctx.store.all<AssetRow>(
    `SELECT a.* FROM links l
       JOIN victims v ON v.id = l.b_id
       JOIN victim_assets a ON a.victim_id = v.id
     WHERE l.a_kind = ? AND l.a_id = ? AND l.b_kind = 'victim' AND v.owner_id IN (${ownerList})
       AND NOT EXISTS (SELECT 1 FROM hidden_victim_assets h
                       WHERE h.item_kind = ? AND h.item_id = ? AND h.asset_id = a.id)
       ${where.map((w) => `AND ${w}`).join(' ')}
     ORDER BY a.id`,
    ...params,
  );
}

/**
 * `{item}/victimAssets[/{assetType}[/{assetId}]]`; `rest` starts at `victimAssets`. `owners` are those
 * whose victims the item may show (associations may cross owners, decisions.md 2.4).
 */
export function itemVictimAssets(
  ctx: RequestContext,
  item: ItemRef,
  rest: readonly string[],
  owners: readonly number[],
): Reply {
  // Victims serve their own assets (handlers/victims.ts); tags and labels have none.
  if (item.kind !== 'indicator' && item.kind !== 'group' && item.kind !== 'task') throw notFound();
  const [, branch, rawAssetId, ...more] = rest;
  if (more.length > 0) throw notFound();
  if (branch === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    return windowed(ctx, 'victimAsset', visibleAssets(ctx, item, owners), (r) => assetView(ctx, r, false));
  }
  const info = VICTIM_ASSET_TYPES.find((t) => t.branch === branch);
  if (!info) throw notFound();
  if (rawAssetId === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const rows = visibleAssets(ctx, item, owners, { type: info.type });
    return windowed(ctx, info.entity, rows, (r) => assetView(ctx, r, true));
  }
  const [asset] = visibleAssets(ctx, item, owners, { type: info.type, id: parseId(rawAssetId) });
  if (!asset) throw notFound();
  if (ctx.method === 'GET') return single(info.entity, assetView(ctx, asset, true));
  if (ctx.method === 'DELETE') {
    ctx.store.run(
      'INSERT OR IGNORE INTO hidden_victim_assets (item_kind, item_id, asset_id, victim_id) VALUES (?, ?, ?, ?)',
      item.kind,
      item.id,
      asset.id,
      asset.victim_id,
    );
    return success();
  }
  throw notFound();
}
