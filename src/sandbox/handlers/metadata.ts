/** Top-level tags and security labels, owners, the current user (rest-api-v2.md sections 5 and 9). */
import {
  type RequestContext,
  accessibleOwnerIds,
  assertOwnerAccess,
  listReply,
  pageWindow,
  parseId,
  readObject,
  windowed,
} from '../context.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import type { LabelRow, OwnerRow, TagRow } from '../store.js';
import { labelView, ownerView, tagView } from '../views.js';
import { tagName } from './shared.js';

export function listTags(ctx: RequestContext): Reply {
  const { start, limit } = pageWindow(ctx);
  const rows = ctx.store.all<TagRow>(
    'SELECT id, name, description FROM tags ORDER BY id LIMIT ? OFFSET ?',
    limit,
    start,
  );
  const total = start === 0 ? (ctx.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM tags')?.n ?? 0) : 0;
  return listReply(
    'tag',
    rows.map((t) => tagView(ctx.view, t)),
    total,
    start,
  );
}

export function getTag(ctx: RequestContext, name: string): Reply {
  const tag = ctx.store.tagByName(name);
  if (!tag) throw notFound();
  return single('tag', tagView(ctx.view, tag));
}

export async function createTag(ctx: RequestContext): Promise<Reply> {
  const body = await readObject(ctx);
  const name = tagName(body.name);
  if (body.description !== undefined && typeof body.description !== 'string') {
    throw badRequest('The description for this Tag is invalid');
  }
  const tag = ctx.store.ensureTag(name);
  if (typeof body.description === 'string')
    ctx.store.run('UPDATE tags SET description = ? WHERE id = ?', body.description, tag.id);
  return single('tag', tagView(ctx.view, ctx.store.tagByName(name) as TagRow), 201);
}

export async function updateTag(ctx: RequestContext, name: string): Promise<Reply> {
  const found = ctx.store.tagByName(name);
  if (!found) throw notFound();
  const body = await readObject(ctx);
  // Read the tag again after the body: it may have been deleted or renamed meanwhile.
  const tag = ctx.store.get<TagRow>('SELECT id, name, description FROM tags WHERE id = ?', found.id);
  if (!tag) throw notFound();
  const newName = body.name === undefined ? tag.name : tagName(body.name);
  if (body.description !== undefined && typeof body.description !== 'string') {
    throw badRequest('The description for this Tag is invalid');
  }
  const clash = ctx.store.tagByName(newName);
  if (clash && clash.id !== tag.id)
    throw badRequest(`The name for this Tag is invalid, a Tag with this name already exists`);
  ctx.store.run(
    'UPDATE tags SET name = ?, description = ? WHERE id = ?',
    newName,
    typeof body.description === 'string' ? body.description : tag.description,
    tag.id,
  );
  return single('tag', tagView(ctx.view, ctx.store.tagByName(newName) as TagRow));
}

export function deleteTag(ctx: RequestContext, name: string): Reply {
  const tag = ctx.store.tagByName(name);
  if (!tag) throw notFound();
  ctx.store.transaction(() => {
    ctx.store.run('DELETE FROM tags WHERE id = ?', tag.id);
    ctx.store.forgetItem('tag', tag.id);
  });
  return success();
}

export function listLabels(ctx: RequestContext): Reply {
  const rows = ctx.store.all<LabelRow>('SELECT * FROM security_labels ORDER BY id');
  return windowed(ctx, 'securityLabel', rows, labelView);
}

export function getLabel(ctx: RequestContext, name: string): Reply {
  const label = ctx.store.labelByName(name);
  if (!label) throw notFound();
  return single('securityLabel', labelView(label));
}

export function deleteLabel(ctx: RequestContext, name: string): Reply {
  const label = ctx.store.labelByName(name);
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

export function members(ctx: RequestContext): Reply {
  const rows = ctx.store.all<{ user_name: string; first_name: string; last_name: string }>(
    'SELECT u.user_name, u.first_name, u.last_name FROM users u WHERE u.org_owner_id = ? ORDER BY u.id',
    ctx.user.org_owner_id,
  );
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
    pseudonym: u.user_name,
    role: 'Api User',
  });
}

/** Reads a JSON body and ignores it; for endpoints that accept an optional body. */
export async function ignoreBody(ctx: RequestContext): Promise<void> {
  if (ctx.req.headers['content-length'] !== undefined && ctx.req.headers['content-length'] !== '0')
    await readObject(ctx);
}
