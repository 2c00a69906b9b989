/**
 * Adversary assets (rest-api-v2.md 7.4): handles, phone numbers and URLs of an adversary, under
 * `/v2/groups/adversaries/{id}/adversaryAssets[/{handles|phoneNumbers|urls}[/{assetId}]]`.
 */
import { type RequestContext, parseId, readObject, windowed } from '../context.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import { checkText, requireGroup } from './shared.js';

/** The asset types: path segment, `type` on the wire, single-object key and value field. */
export const ADVERSARY_ASSET_TYPES = [
  { branch: 'handles', type: 'Handle', entity: 'adversaryHandle', field: 'handle', label: 'Handle' },
  {
    branch: 'phoneNumbers',
    type: 'PhoneNumber',
    entity: 'adversaryPhoneNumber',
    field: 'phoneNumber',
    label: 'Phone Number',
  },
  { branch: 'urls', type: 'URL', entity: 'adversaryUrl', field: 'url', label: 'URL' },
] as const;

type AssetType = (typeof ADVERSARY_ASSET_TYPES)[number];

interface AssetRow {
  id: number;
  group_id: number;
  type: string;
  value: string;
}

/** Longest asset value. */
const MAX_VALUE_LENGTH = 500;

function webLink(ctx: RequestContext, adversaryId: number): string {
  return `${ctx.view.origin}/auth/adversary/adversary.xhtml?adversary=${adversaryId}`;
}

/** A list item of `bucketAsset` (`{id, name, type, webLink}`), or a single asset with its value field. */
function assetView(ctx: RequestContext, row: AssetRow, info: AssetType | undefined): Record<string, unknown> {
  if (info === undefined) {
    return { id: row.id, name: row.value, type: row.type, webLink: webLink(ctx, row.group_id) };
  }
  return { id: row.id, type: row.type, webLink: webLink(ctx, row.group_id), [info.field]: row.value };
}

function assetValue(info: AssetType, body: Record<string, unknown>): string {
  const value = body[info.field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw badRequest(`The ${info.field} for this ${info.label} is invalid`);
  }
  if (value.length > MAX_VALUE_LENGTH) {
    throw badRequest(
      `The ${info.field} for this ${info.label} is invalid, it may have at most ${MAX_VALUE_LENGTH} characters`,
    );
  }
  return checkText(value, info.field, info.label);
}

function assetById(ctx: RequestContext, adversaryId: number, info: AssetType, rawId: string): AssetRow {
  const row = ctx.store.get<AssetRow>(
    'SELECT * FROM adversary_assets WHERE id = ? AND group_id = ? AND type = ?',
    parseId(rawId),
    adversaryId,
    info.type,
  );
  if (!row) throw notFound();
  return row;
}

/** `{GET,POST,PUT,DELETE} /v2/groups/{branch}/{id}/adversaryAssets/...`; other group types are a 404. */
export async function adversaryAssets(
  ctx: RequestContext,
  branch: string,
  rawId: string,
  rest: string[],
): Promise<Reply> {
  if (branch !== 'adversaries') throw notFound();
  const adversary = requireGroup(ctx, branch, rawId);
  const [assetBranch, rawAssetId, ...more] = rest;
  if (more.length > 0) throw notFound();
  if (assetBranch === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const rows = ctx.store.all<AssetRow>(
      'SELECT * FROM adversary_assets WHERE group_id = ? ORDER BY id',
      adversary.id,
    );
    return windowed(ctx, 'bucketAsset', rows, (r) => assetView(ctx, r, undefined));
  }
  const info = ADVERSARY_ASSET_TYPES.find((t) => t.branch === assetBranch);
  if (!info) throw notFound();
  if (rawAssetId === undefined) {
    if (ctx.method === 'GET') {
      const rows = ctx.store.all<AssetRow>(
        'SELECT * FROM adversary_assets WHERE group_id = ? AND type = ? ORDER BY id',
        adversary.id,
        info.type,
      );
      return windowed(ctx, info.entity, rows, (r) => assetView(ctx, r, info));
    }
    if (ctx.method !== 'POST') throw notFound();
    const value = assetValue(info, await readObject(ctx));
    const id = ctx.store.transaction(() => {
      // The body was read asynchronously: the adversary may have been deleted meanwhile.
      if (!ctx.store.itemExists('group', adversary.id)) throw notFound();
      const newId = ctx.store.nextId('adversary_assets');
      ctx.store.run(
        'INSERT INTO adversary_assets (id, group_id, type, value) VALUES (?, ?, ?, ?)',
        newId,
        adversary.id,
        info.type,
        value,
      );
      return newId;
    });
    return single(info.entity, assetView(ctx, assetById(ctx, adversary.id, info, String(id)), info), 201);
  }
  const asset = assetById(ctx, adversary.id, info, rawAssetId);
  if (ctx.method === 'GET') return single(info.entity, assetView(ctx, asset, info));
  if (ctx.method === 'PUT') {
    const value = assetValue(info, await readObject(ctx));
    const changed = ctx.store.run('UPDATE adversary_assets SET value = ? WHERE id = ?', value, asset.id);
    if (changed.changes === 0) throw notFound();
    return single(info.entity, assetView(ctx, assetById(ctx, adversary.id, info, rawAssetId), info));
  }
  if (ctx.method === 'DELETE') {
    ctx.store.run('DELETE FROM adversary_assets WHERE id = ?', asset.id);
    return success();
  }
  throw notFound();
}
