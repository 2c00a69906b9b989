/** Victims and victim assets (rest-api-v2.md section 8). */
import {
  type RequestContext,
  ownerListing,
  parseId,
  readObject,
  requestOwner,
  windowed,
} from '../context.js';
import { readFilters } from '../query-filters.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import { VICTIM_ASSET_TYPES } from '../types.js';
import { victimView } from '../views.js';
import { type AssetRow, assetView, checkText, requireVictim } from './shared.js';

const VICTIM_FIELDS = [
  ['name', 'name'],
  ['description', 'description'],
  ['org', 'org'],
  ['suborg', 'suborg'],
  ['workLocation', 'work_location'],
  ['nationality', 'nationality'],
] as const;

export function listVictims(ctx: RequestContext): Reply {
  const filter = readFilters(ctx, { kind: 'victim' });
  return ownerListing(ctx, 'victims', 'victim', (r) => victimView(ctx.view, r), filter);
}

export function getVictim(ctx: RequestContext, id: string): Reply {
  return single('victim', victimView(ctx.view, requireVictim(ctx, id)));
}

function victimBody(body: Record<string, unknown>, requireName: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const [field, column] of VICTIM_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badRequest(`The ${field} for this Victim is invalid`);
    out.set(column, value);
  }
  const name = out.get('name');
  if ((requireName || body.name !== undefined) && (name === undefined || name.trim() === '')) {
    throw badRequest('The name for this Victim is invalid');
  }
  if (name !== undefined) checkText(name, 'name', 'Victim');
  return out;
}

export async function createVictim(ctx: RequestContext): Promise<Reply> {
  const owner = requestOwner(ctx);
  const fields = victimBody(await readObject(ctx), true);
  const id = ctx.store.transaction(() => {
    const newId = ctx.store.nextId('victims');
    ctx.store.run(
      'INSERT INTO victims (id, owner_id, name, web_link) VALUES (?, ?, ?, ?)',
      newId,
      owner.id,
      fields.get('name'),
      `/auth/victim/victim.xhtml?victim=${newId}`,
    );
    for (const [column, value] of fields)
      ctx.store.run(`UPDATE victims SET ${column} = ? WHERE id = ?`, value, newId);
    return newId;
  });
  return single('victim', victimView(ctx.view, requireVictim(ctx, String(id))), 201);
}

export async function updateVictim(ctx: RequestContext, rawId: string): Promise<Reply> {
  const row = requireVictim(ctx, rawId);
  // rest-api-v2.md 8: "`name` is required on create and (per the docs) on update".
  const fields = victimBody(await readObject(ctx), true);
  ctx.store.transaction(() => {
    for (const [column, value] of fields)
      ctx.store.run(`UPDATE victims SET ${column} = ? WHERE id = ?`, value, row.id);
  });
  return single('victim', victimView(ctx.view, requireVictim(ctx, rawId)));
}

export function deleteVictim(ctx: RequestContext, rawId: string): Reply {
  const row = requireVictim(ctx, rawId);
  ctx.store.transaction(() => {
    ctx.store.run('DELETE FROM victims WHERE id = ?', row.id);
    ctx.store.run('DELETE FROM victim_assets WHERE victim_id = ?', row.id);
    ctx.store.forgetItem('victim', row.id);
  });
  return success();
}

/** `/v2/victims/{id}/victimAssets[/{assetType}[/{assetId}]]`. */
export async function victimAssets(ctx: RequestContext, rawId: string, rest: string[]): Promise<Reply> {
  const victim = requireVictim(ctx, rawId);
  const [, branch, rawAssetId] = rest;
  if (rest.length > 3) throw notFound();
  if (branch === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const rows = ctx.store.all<AssetRow>(
      'SELECT * FROM victim_assets WHERE victim_id = ? ORDER BY id',
      victim.id,
    );
    return windowed(ctx, 'victimAsset', rows, (r) => assetView(ctx, r, false));
  }
  const info = VICTIM_ASSET_TYPES.find((t) => t.branch === branch);
  if (!info) throw notFound();
  if (rawAssetId === undefined) {
    if (ctx.method === 'GET') {
      const rows = ctx.store.all<AssetRow>(
        'SELECT * FROM victim_assets WHERE victim_id = ? AND type = ? ORDER BY id',
        victim.id,
        info.type,
      );
      return windowed(ctx, info.entity, rows, (r) => assetView(ctx, r, true));
    }
    if (ctx.method === 'POST') {
      const body = await readObject(ctx);
      const fields = assetFields(info, body, true);
      const id = ctx.store.transaction(() => {
        // The body was read asynchronously: the victim may have been deleted meanwhile.
        if (!ctx.store.itemExists('victim', victim.id)) throw notFound();
        const newId = ctx.store.nextId('victim_assets');
        ctx.store.run(
          'INSERT INTO victim_assets (id, victim_id, type, name, fields) VALUES (?, ?, ?, ?, ?)',
          newId,
          victim.id,
          info.type,
          fields[info.required] ?? '',
          JSON.stringify(fields),
        );
        return newId;
      });
      return single(info.entity, assetView(ctx, assetById(ctx, victim.id, info.type, id), true), 201);
    }
    throw notFound();
  }
  const asset = assetById(ctx, victim.id, info.type, parseId(rawAssetId));
  if (ctx.method === 'GET') return single(info.entity, assetView(ctx, asset, true));
  if (ctx.method === 'PUT') {
    const patch = assetFields(info, await readObject(ctx), false);
    // Read the asset again after the body: another write may have changed or deleted it meanwhile.
    const current = assetById(ctx, victim.id, info.type, asset.id);
    const fields = { ...(JSON.parse(current.fields) as Record<string, string>), ...patch };
    ctx.store.run(
      'UPDATE victim_assets SET fields = ?, name = ? WHERE id = ?',
      JSON.stringify(fields),
      fields[info.required] ?? current.name,
      asset.id,
    );
    return single(info.entity, assetView(ctx, assetById(ctx, victim.id, info.type, asset.id), true));
  }
  if (ctx.method === 'DELETE') {
    ctx.store.transaction(() => {
      ctx.store.run('DELETE FROM victim_assets WHERE id = ?', asset.id);
      // Nothing may stay behind that names a deleted asset (ids are not given again, but a database
      // written before they came from a sequence may give this one to a new asset).
      ctx.store.run('DELETE FROM hidden_victim_assets WHERE asset_id = ?', asset.id);
    });
    return success();
  }
  throw notFound();
}

function assetFields(
  info: (typeof VICTIM_ASSET_TYPES)[number],
  body: Record<string, unknown>,
  creating: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of [info.required, ...info.optional]) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badRequest(`The ${field} for this ${info.type} is invalid`);
    out[field] = value;
  }
  // The required field may be left out of an update, but not emptied by one: the asset would be left
  // without the value a create must give (rest-api-v2.md 8, "path segment: required field").
  if (
    (creating || out[info.required] !== undefined) &&
    (out[info.required] === undefined || out[info.required] === '')
  ) {
    throw badRequest(`The ${info.required} for this ${info.type} is invalid`);
  }
  return out;
}

function assetById(ctx: RequestContext, victimId: number, type: string, id: number): AssetRow {
  const row = ctx.store.get<AssetRow>(
    'SELECT * FROM victim_assets WHERE id = ? AND victim_id = ? AND type = ?',
    id,
    victimId,
    type,
  );
  if (!row) throw notFound();
  return row;
}
