/**
 * An item's own metadata (rest-api-v2.md 9): its tags, its security labels (and those of its
 * attributes), and its attributes. The pivot dispatch of `routes.ts` sends `{item}/tags|securityLabels|
 * attributes/...` here.
 */
import { type RequestContext, isoNow, parseId, readObject, windowed } from '../context.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import type { AttributeRow } from '../store.js';
import type { ItemKind } from '../types.js';
import { attributeView, labelView, tagView } from '../views.js';
import { type ItemRef, type StoreScope, checkAttribute, parseBoolean, tagName } from './shared.js';

// ---- tags and security labels on an item ----

export function itemTags(ctx: RequestContext, item: ItemRef, rest: string[]): Reply {
  const name = rest[1];
  if (rest.length > 2) throw notFound();
  if (name === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const tags = ctx.store.tagsOf(item.kind, item.id);
    return windowed(ctx, 'tag', tags, (t) => tagView(ctx.view, t));
  }
  if (ctx.method === 'POST') {
    tagName(name);
    // Attaching a tag creates it, in the item's owner (decisions.md 2.4).
    ctx.store.transaction(() => {
      ctx.store.link(item.kind, item.id, 'tag', ctx.store.ensureTag(item.ownerId, name).id);
    });
    return success(201);
  }
  const tag = ctx.store.tagByName(item.ownerId, name);
  if (!tag || !ctx.store.isLinked(item.kind, item.id, 'tag', tag.id)) throw notFound();
  if (ctx.method === 'GET') return single('tag', tagView(ctx.view, tag));
  if (ctx.method === 'DELETE') {
    ctx.store.unlink(item.kind, item.id, 'tag', tag.id);
    return success();
  }
  throw notFound();
}

/** Labels on an item, or on an attribute of it; `ownerId` is the item's owner, whose labels apply. */
export function itemLabels(
  ctx: RequestContext,
  kind: ItemKind | 'attribute',
  id: number,
  ownerId: number,
  rest: string[],
): Reply {
  const name = rest[1];
  if (rest.length > 2) throw notFound();
  if (name === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    const labels = ctx.store.labelsOf(kind as ItemKind, id);
    return windowed(ctx, 'securityLabel', labels, labelView);
  }
  const label = ctx.store.labelByName(ownerId, name);
  // Applying a label that does not exist is an error: labels are not created on attach (rest-api-v2.md 9).
  if (!label) throw notFound();
  if (ctx.method === 'POST') {
    ctx.store.link(kind as ItemKind, id, 'label', label.id);
    return success(201);
  }
  if (!ctx.store.isLinked(kind as ItemKind, id, 'label', label.id)) throw notFound();
  if (ctx.method === 'GET') return single('securityLabel', labelView(label));
  if (ctx.method === 'DELETE') {
    ctx.store.unlink(kind as ItemKind, id, 'label', label.id);
    return success();
  }
  throw notFound();
}

// ---- attributes ----

/** Keeps an indicator's `description`/`source` equal to its first displayed Description/Source attribute. */
export function refreshDisplayed(ctx: StoreScope, item: Pick<ItemRef, 'kind' | 'id'>): void {
  if (item.kind !== 'indicator') return;
  for (const [type, column] of [
    ['Description', 'description'],
    ['Source', 'source'],
  ] as const) {
    const row = ctx.store.get<{ value: string }>(
      "SELECT value FROM attributes WHERE kind = 'indicator' AND item_id = ? AND type = ? AND displayed = 1 ORDER BY id LIMIT 1",
      item.id,
      type,
    );
    ctx.store.run(`UPDATE indicators SET ${column} = ? WHERE id = ?`, row?.value ?? null, item.id);
  }
}

export async function itemAttributes(ctx: RequestContext, item: ItemRef, rest: string[]): Promise<Reply> {
  const rawId = rest[1];
  if (rawId === undefined) {
    if (ctx.method === 'GET') {
      const rows = ctx.store.attributesOf(item.kind, item.id);
      return windowed(ctx, 'attribute', rows, attributeView);
    }
    if (ctx.method === 'POST') {
      const body = await readObject(ctx);
      const value = body.value;
      if (typeof body.type !== 'string' || body.type.trim() === '')
        throw badRequest('The requested attribute type was not found');
      if (typeof value !== 'string' || value === '') throw badRequest('This attribute requires a value');
      const type = checkAttribute(body.type, value);
      const displayed = parseBoolean(body.displayed, 'displayed', 'Attribute');
      if (body.source !== undefined && typeof body.source !== 'string')
        throw badRequest('The source for this Attribute is invalid');
      const now = isoNow(ctx);
      const id = ctx.store.transaction(() => {
        // The body was read asynchronously: the item may have been deleted meanwhile.
        if (!ctx.store.itemExists(item.kind, item.id)) throw notFound();
        const newId = insertAttribute(ctx, item, {
          type,
          value,
          displayed: displayed === true,
          source: typeof body.source === 'string' ? body.source : null,
          now,
        });
        refreshDisplayed(ctx, item);
        return newId;
      });
      return single('attribute', attributeView(attributeById(ctx, item, id)), 201);
    }
    throw notFound();
  }
  const attribute = attributeById(ctx, item, parseId(rawId));
  if (rest[2] === 'securityLabels')
    return itemLabels(ctx, 'attribute', attribute.id, item.ownerId, rest.slice(2));
  if (rest.length > 2) throw notFound();
  if (ctx.method === 'GET') return single('attribute', attributeView(attribute));
  if (ctx.method === 'PUT') {
    const body = await readObject(ctx);
    if (body.value !== undefined && (typeof body.value !== 'string' || body.value === '')) {
      throw badRequest('This attribute requires a value');
    }
    if (typeof body.value === 'string') checkAttribute(attribute.type, body.value);
    const displayed = parseBoolean(body.displayed, 'displayed', 'Attribute');
    ctx.store.transaction(() => {
      if (typeof body.value === 'string')
        ctx.store.run('UPDATE attributes SET value = ? WHERE id = ?', body.value, attribute.id);
      if (displayed !== undefined)
        ctx.store.run('UPDATE attributes SET displayed = ? WHERE id = ?', displayed ? 1 : 0, attribute.id);
      if (typeof body.source === 'string')
        ctx.store.run('UPDATE attributes SET source = ? WHERE id = ?', body.source, attribute.id);
      ctx.store.run('UPDATE attributes SET last_modified = ? WHERE id = ?', isoNow(ctx), attribute.id);
      refreshDisplayed(ctx, item);
    });
    return single('attribute', attributeView(attributeById(ctx, item, attribute.id)));
  }
  if (ctx.method === 'DELETE') {
    ctx.store.transaction(() => {
      ctx.store.run('DELETE FROM attributes WHERE id = ?', attribute.id);
      ctx.store.run("DELETE FROM links WHERE a_kind = 'attribute' AND a_id = ?", attribute.id);
      ctx.store.run("DELETE FROM links WHERE b_kind = 'attribute' AND b_id = ?", attribute.id);
      refreshDisplayed(ctx, item);
    });
    return success();
  }
  throw notFound();
}

/** Inserts an attribute of an item; returns its id. The caller refreshes the displayed fields. */
export function insertAttribute(
  ctx: StoreScope,
  item: Pick<ItemRef, 'kind' | 'id'>,
  attribute: { type: string; value: string; displayed: boolean; source: string | null; now: string },
): number {
  const newId = ctx.store.nextId('attributes');
  ctx.store.run(
    'INSERT INTO attributes (id, kind, item_id, type, value, displayed, source, date_added, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    newId,
    item.kind,
    item.id,
    attribute.type,
    attribute.value,
    attribute.displayed ? 1 : 0,
    attribute.source,
    attribute.now,
    attribute.now,
  );
  return newId;
}

function attributeById(ctx: RequestContext, item: ItemRef, id: number): AttributeRow {
  const row = ctx.store.get<AttributeRow>(
    'SELECT * FROM attributes WHERE id = ? AND kind = ? AND item_id = ?',
    id,
    item.kind,
    item.id,
  );
  if (!row) throw notFound();
  return row;
}
