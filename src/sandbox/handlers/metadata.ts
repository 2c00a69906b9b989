/** Top-level tags and security labels, owners, the current user (rest-api-v2.md sections 5 and 9). */
import {
  type RequestContext,
  accessibleOwnerIds,
  assertOwnerAccess,
  isTrue,
  listReply,
  pageWindow,
  parseId,
  readObject,
  requestOwner,
  windowed,
} from '../context.js';
import { readFilters } from '../query-filters.js';
import { type Reply, badRequest, json, notFound, single, success } from '../reply.js';
import type { LabelRow, OwnerRow, TagRow } from '../store.js';
import { labelView, ownerView, tagView } from '../views.js';
import { tagName } from './shared.js';

/*
 * Tags and security labels belong to an owner (decisions.md 2.4): each endpoint works on the tags of the
 * `owner` parameter (else the default org), so it needs access to that owner (403 otherwise).
 */

export function listTags(ctx: RequestContext): Reply {
  const owner = requestOwner(ctx);
  const { start, limit } = pageWindow(ctx);
  const filter = readFilters(ctx, { kind: 'tag' });
  const where = filter === null ? 'owner_id = ?' : `owner_id = ? AND ${filter.clause}`;
  const params = [owner.id, ...(filter?.params ?? [])];
  const rows = ctx.store.all<TagRow>(
    `SELECT id, owner_id, name, description FROM tags WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`,
    ...params,
    limit,
    start,
  );
  const total =
    start === 0
      ? (ctx.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM tags WHERE ${where}`, ...params)?.n ?? 0)
      : 0;
  // rest-api-v2.md 9: "`GET /v2/tags` (… `detailed=true` adds descriptions)"; without it the listing
  // has names and webLinks only. The single GET, POST and PUT answers always carry the description.
  const detailed = isTrue(ctx.query.get('detailed'));
  return listReply(
    'tag',
    rows.map((t) => tagView(ctx.view, detailed ? t : { ...t, description: null })),
    total,
    start,
  );
}

export function getTag(ctx: RequestContext, name: string): Reply {
  const tag = ctx.store.tagByName(requestOwner(ctx).id, name);
  if (!tag) throw notFound();
  return single('tag', tagView(ctx.view, tag));
}

export async function createTag(ctx: RequestContext): Promise<Reply> {
  const owner = requestOwner(ctx);
  const body = await readObject(ctx);
  const name = tagName(body.name);
  if (body.description !== undefined && typeof body.description !== 'string') {
    throw badRequest('The description for this Tag is invalid');
  }
  const tag = ctx.store.transaction(() => {
    const found = ctx.store.ensureTag(owner.id, name);
    if (typeof body.description === 'string')
      ctx.store.run('UPDATE tags SET description = ? WHERE id = ?', body.description, found.id);
    return ctx.store.tagByName(owner.id, name) as TagRow;
  });
  return single('tag', tagView(ctx.view, tag), 201);
}

export async function updateTag(ctx: RequestContext, name: string): Promise<Reply> {
  const owner = requestOwner(ctx);
  const found = ctx.store.tagByName(owner.id, name);
  if (!found) throw notFound();
  const body = await readObject(ctx);
  const newName = body.name === undefined ? found.name : tagName(body.name);
  if (body.description !== undefined && typeof body.description !== 'string') {
    throw badRequest('The description for this Tag is invalid');
  }
  const tag = ctx.store.transaction(() => {
    // Read the tag again after the body: it may have been deleted or renamed meanwhile.
    const current = ctx.store.get<TagRow>('SELECT * FROM tags WHERE id = ?', found.id);
    if (!current) throw notFound();
    const clash = ctx.store.tagByName(owner.id, newName);
    if (clash && clash.id !== current.id)
      throw badRequest('The name for this Tag is invalid, a Tag with this name already exists');
    ctx.store.run(
      'UPDATE tags SET name = ?, description = ? WHERE id = ?',
      newName,
      typeof body.description === 'string' ? body.description : current.description,
      current.id,
    );
    return ctx.store.get<TagRow>('SELECT * FROM tags WHERE id = ?', current.id) as TagRow;
  });
  return single('tag', tagView(ctx.view, tag));
}

export function deleteTag(ctx: RequestContext, name: string): Reply {
  const tag = ctx.store.tagByName(requestOwner(ctx).id, name);
  if (!tag) throw notFound();
  ctx.store.transaction(() => {
    ctx.store.run('DELETE FROM tags WHERE id = ?', tag.id);
    ctx.store.forgetItem('tag', tag.id);
  });
  return success();
}

export function listLabels(ctx: RequestContext): Reply {
  const owner = requestOwner(ctx);
  const filter = readFilters(ctx, { kind: 'label' });
  const where = filter === null ? 'owner_id = ?' : `owner_id = ? AND ${filter.clause}`;
  const rows = ctx.store.all<LabelRow>(
    `SELECT * FROM security_labels WHERE ${where} ORDER BY id`,
    owner.id,
    ...(filter?.params ?? []),
  );
  return windowed(ctx, 'securityLabel', rows, labelView);
}

export function getLabel(ctx: RequestContext, name: string): Reply {
  const label = ctx.store.labelByName(requestOwner(ctx).id, name);
  if (!label) throw notFound();
  return single('securityLabel', labelView(label));
}

export function deleteLabel(ctx: RequestContext, name: string): Reply {
  const label = ctx.store.labelByName(requestOwner(ctx).id, name);
  if (!label) throw notFound();
  ctx.store.transaction(() => {
    ctx.store.run('DELETE FROM security_labels WHERE id = ?', label.id);
    ctx.store.forgetItem('label', label.id);
  });
  return success();
}

// ---- owners ----

function visibleOwners(ctx: RequestContext): OwnerRow[] {
  const ids = accessibleOwnerIds(ctx);
  return ctx.store
    .all<OwnerRow>('SELECT id, name, type FROM owners ORDER BY id')
    .filter((o) => ids.has(o.id));
}

export function listOwners(ctx: RequestContext): Reply {
  return windowed(ctx, 'owner', visibleOwners(ctx), ownerView);
}

export function mine(ctx: RequestContext): Reply {
  const org = ctx.store.ownerById(ctx.user.org_owner_id);
  if (!org) throw notFound();
  return single('owner', ownerView(org));
}

export function getOwner(ctx: RequestContext, rawId: string): Reply {
  const row = ctx.store.ownerById(parseId(rawId));
  if (!row) throw notFound();
  assertOwnerAccess(ctx, row.id);
  return single('owner', ownerView(row));
}

/** A member's pseudonym in an organization with anonymous membership. */
function pseudonym(user: { id: number }): string {
  return `Member ${user.id}`;
}

/**
 * `GET /v2/owners/mine/members`: the users of the API user's organization. With anonymous membership
 * (`startSandbox({ anonymousMembers: true })`) the body is un-enveloped and names pseudonyms only
 * (rest-api-v2.md 5).
 */
export function members(ctx: RequestContext): Reply {
  const rows = ctx.store.all<{ id: number; user_name: string; first_name: string; last_name: string }>(
    'SELECT u.id, u.user_name, u.first_name, u.last_name FROM users u WHERE u.org_owner_id = ? ORDER BY u.id',
    ctx.user.org_owner_id,
  );
  if (ctx.store.anonymousMembers) {
    const { start, limit } = pageWindow(ctx);
    const page = rows.slice(start, start + limit).map((u) => ({ pseudonym: pseudonym(u) }));
    const body: Record<string, unknown> = { anonymous: true, status: 'Success' };
    if (start === 0) body.resultCount = rows.length;
    body.members = page;
    return json(body, 200);
  }
  return windowed(ctx, 'user', rows, (u) => ({
    userName: u.user_name,
    firstName: u.first_name,
    lastName: u.last_name,
  }));
}

export function whoami(ctx: RequestContext): Reply {
  const u = ctx.user;
  return single('user', {
    userName: u.user_name,
    firstName: u.first_name,
    lastName: u.last_name,
    pseudonym: ctx.store.anonymousMembers ? pseudonym(u) : u.user_name,
    role: 'Api User',
  });
}

/** Reads a JSON body and ignores it; for endpoints that accept an optional body. */
export async function ignoreBody(ctx: RequestContext): Promise<void> {
  if (ctx.req.headers['content-length'] !== undefined && ctx.req.headers['content-length'] !== '0')
    await readObject(ctx);
}
