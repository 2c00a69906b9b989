/**
 * What every item shares: attributes, tags, security labels, and the association and pivot listings of
 * rest-api-v2.md sections 9 and 10, from either end.
 */
import {
  type RequestContext,
  accessibleOwnerIds,
  isoNow,
  listReply,
  pageWindow,
  parseId,
  readObject,
  requestOwner,
  windowed,
} from '../context.js';
import { indicatorListing } from '../indicator-list.js';
import { readFilters } from '../query-filters.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import {
  type AttributeRow,
  type GroupRow,
  INDICATOR_COLUMNS,
  type IndicatorRow,
  type TaskRow,
  type VictimRow,
  lookupKey,
} from '../store.js';
import { GROUP_BY_BRANCH, type ItemKind } from '../types.js';
import {
  attributeView,
  groupView,
  indicatorView,
  labelView,
  tagView,
  taskView,
  victimView,
} from '../views.js';
import {
  checkAttribute,
  indicatorType,
  parseBoolean,
  requireGroup,
  requireIndicator,
  requireTask,
  requireVictim,
  type StoreScope,
  tagName,
} from './shared.js';

export interface ItemRef {
  kind: ItemKind;
  id: number;
  /** The item's owner. Tags and labels have one too: the owner the path's `owner` parameter names. */
  ownerId: number;
  /** For indicators: their type name. */
  type?: string;
}

function indicatorRef(row: IndicatorRow): ItemRef {
  return { kind: 'indicator', id: row.id, ownerId: row.owner_id, type: row.type };
}

/** Resolves `/{kind}/{...}` at the start of `segments` to an item; returns it and the remaining segments. */
export function resolvePivot(
  ctx: RequestContext,
  segments: readonly string[],
): { item: ItemRef; rest: string[] } {
  const [head, a, b, ...more] = segments;
  switch (head) {
    case 'indicators': {
      const row = requireIndicator(ctx, a, b);
      return { item: indicatorRef(row), rest: more };
    }
    case 'groups': {
      const row = requireGroup(ctx, a, b);
      return { item: { kind: 'group', id: row.id, ownerId: row.owner_id }, rest: more };
    }
    case 'victims': {
      const row = requireVictim(ctx, a);
      return { item: { kind: 'victim', id: row.id, ownerId: row.owner_id }, rest: segments.slice(2) };
    }
    case 'tasks': {
      const row = requireTask(ctx, a);
      return { item: { kind: 'task', id: row.id, ownerId: row.owner_id }, rest: segments.slice(2) };
    }
    case 'tags': {
      // The owner is checked first, as on every owner-scoped listing: a bad owner is a 403 even when the
      // tag does not exist either.
      const owner = requestOwner(ctx);
      const tag = a === undefined ? undefined : ctx.store.tagByName(owner.id, a);
      if (!tag) throw notFound();
      return { item: { kind: 'tag', id: tag.id, ownerId: owner.id }, rest: segments.slice(2) };
    }
    case 'securityLabels': {
      const owner = requestOwner(ctx);
      const label = a === undefined ? undefined : ctx.store.labelByName(owner.id, a);
      if (!label) throw notFound();
      return { item: { kind: 'label', id: label.id, ownerId: owner.id }, rest: segments.slice(2) };
    }
    default:
      throw notFound();
  }
}

/**
 * Owners whose items a pivot listing shows. A tag or label lists its own owner's items (the `owner`
 * parameter, else the default org); an item's own links are shown across every owner the user may access,
 * because associations may cross owners (decisions.md 2.4).
 */
function listingOwners(ctx: RequestContext, item: ItemRef): number[] {
  if (item.kind === 'tag' || item.kind === 'label') return [item.ownerId];
  return [...accessibleOwnerIds(ctx)];
}

interface TargetSpec {
  kind: 'indicator' | 'group' | 'victim' | 'task';
  table: string;
  columns: string;
  typeName?: string;
  key: string;
  shape: 'generic' | 'typed';
}

function targetSpec(ctx: RequestContext, collection: string, branch: string | undefined): TargetSpec {
  switch (collection) {
    case 'indicators': {
      if (branch === undefined) {
        return {
          kind: 'indicator',
          table: 'indicators',
          columns: INDICATOR_COLUMNS,
          key: 'indicator',
          shape: 'generic',
        };
      }
      const info = indicatorType(ctx, branch);
      return {
        kind: 'indicator',
        table: 'indicators',
        columns: INDICATOR_COLUMNS,
        typeName: info.name,
        key: info.entity,
        shape: 'typed',
      };
    }
    case 'groups': {
      if (branch === undefined)
        return { kind: 'group', table: 'groups', columns: '*', key: 'group', shape: 'generic' };
      const info = GROUP_BY_BRANCH.get(branch);
      if (!info) throw notFound();
      return {
        kind: 'group',
        table: 'groups',
        columns: '*',
        typeName: info.name,
        key: info.entity,
        shape: 'typed',
      };
    }
    case 'victims':
      return { kind: 'victim', table: 'victims', columns: '*', key: 'victim', shape: 'typed' };
    case 'tasks':
      return { kind: 'task', table: 'tasks', columns: '*', key: 'task', shape: 'typed' };
    default:
      throw notFound();
  }
}

function renderTarget(
  ctx: RequestContext,
  spec: TargetSpec,
  row: unknown,
  single: boolean,
): Record<string, unknown> {
  const shape = single ? 'single' : spec.shape;
  switch (spec.kind) {
    case 'indicator':
      return indicatorView(ctx.view, row as IndicatorRow, shape);
    case 'group':
      return groupView(ctx.view, row as GroupRow, shape);
    case 'victim':
      return victimView(ctx.view, row as VictimRow);
    case 'task':
      return taskView(ctx.view, row as TaskRow, shape);
  }
}

function listLinked(ctx: RequestContext, item: ItemRef, spec: TargetSpec): Reply {
  const { start, limit } = pageWindow(ctx);
  const owners = listingOwners(ctx, item).filter(Number.isInteger);
  const where = [
    'l.a_kind = ?',
    'l.a_id = ?',
    'l.b_kind = ?',
    `t.owner_id IN (${owners.join(', ') || 'NULL'})`,
  ];
  const params: unknown[] = [item.kind, item.id, spec.kind];
  if (spec.typeName !== undefined) {
    where.push('t.type = ?');
    params.push(spec.typeName);
  }
  const filter = readFilters(ctx, { kind: spec.kind, type: spec.typeName }, 't.');
  // Active indicators only, unless the filter names `active` (as on the base listings).
  if (spec.kind === 'indicator' && filter?.fields.has('active') !== true) where.push('t.active = 1');
  if (filter !== null) {
    where.push(filter.clause);
    params.push(...filter.params);
  }
  const from = `FROM links l JOIN ${spec.table} t ON t.id = l.b_id WHERE ${where.join(' AND ')}`;
  const columns =
    spec.columns === '*'
      ? 't.*'
      : spec.columns
          .split(', ')
          .map((c) => `t.${c}`)
          .join(', ');
  // Cached ids plus a keyset seek, as for the base listings (Store.orderedIds).
  const idsQuery = `SELECT l.b_id ${from} ORDER BY l.b_id`;
  const ids = ctx.store.orderedIds(idsQuery, params);
  if (spec.kind === 'indicator') {
    return indicatorListing(ctx, {
      listing: `${idsQuery}\u0000${JSON.stringify(params)}`,
      key: spec.key,
      shape: spec.shape,
      ids,
      start,
      limit,
      pageQuery: (names) => ({
        sql: `SELECT ${names.map((c) => `t.${c}`).join(', ')} ${from} AND l.b_id >= ? ORDER BY l.b_id LIMIT ?`,
        params: [...params, ids[start], limit],
      }),
    });
  }
  const first = ids[start];
  const page = `SELECT ${columns} ${from} AND l.b_id >= ? ORDER BY l.b_id LIMIT ?`;
  const rows: unknown[] = first === undefined ? [] : ctx.store.all(page, ...params, first, limit);
  const total = ids.length;
  return listReply(
    spec.key,
    rows.map((row) => renderTarget(ctx, spec, row, false)),
    total,
    start,
  );
}

/** Resolves the far end of an association path (`indicators/{b}/{v}`, `groups/{b}/{id}`, `victims/{id}`, ...). */
function resolveTarget(
  ctx: RequestContext,
  item: ItemRef,
  spec: TargetSpec,
  rest: readonly string[],
): { id: number; ownerId: number; row: unknown } {
  switch (spec.kind) {
    case 'indicator': {
      const value = rest[2];
      if (value === undefined) throw notFound();
      // The `owner` parameter picks the indicator's owner; else the pivot item's owner; else the default org.
      const ownerName = ctx.query.get('owner');
      const owner =
        ownerName !== null && ownerName !== ''
          ? requestOwner(ctx)
          : (ctx.store.ownerById(item.ownerId) ?? requestOwner(ctx));
      const row = requireIndicator(ctx, rest[1], value, owner);
      return { id: row.id, ownerId: row.owner_id, row };
    }
    case 'group': {
      const row = requireGroup(ctx, rest[1], rest[2]);
      return { id: row.id, ownerId: row.owner_id, row };
    }
    case 'victim': {
      const row = requireVictim(ctx, rest[1]);
      return { id: row.id, ownerId: row.owner_id, row };
    }
    case 'task': {
      const row = requireTask(ctx, rest[1]);
      return { id: row.id, ownerId: row.owner_id, row };
    }
  }
}

function findLinkedIndicator(
  ctx: RequestContext,
  item: ItemRef,
  branch: string | undefined,
  value: string,
): IndicatorRow {
  const info = indicatorType(ctx, branch);
  const owners = listingOwners(ctx, item);
  const key = lookupKey(info, value);
  const row = ctx.store.get<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS.split(', ')
      .map((c) => `t.${c}`)
      .join(', ')} FROM links l JOIN indicators t ON t.id = l.b_id
     WHERE l.a_kind = ? AND l.a_id = ? AND l.b_kind = 'indicator' AND t.type = ?
       AND t.owner_id IN (${owners.join(', ') || 'NULL'})
       AND (t.lookup = ? OR t.md5 = ? OR t.sha1 = ? OR t.sha256 = ?)
     ORDER BY t.id LIMIT 1`,
    item.kind,
    item.id,
    info.name,
    key,
    key,
    key,
    key,
  );
  if (!row) throw notFound();
  return row;
}

/** Names with their article, for association messages. */
const KIND_NAMES: Record<string, string> = {
  indicator: 'an Indicator',
  group: 'a Group',
  victim: 'a Victim',
  task: 'a Task',
  tag: 'a Tag',
  label: 'a Security Label',
};

const ASSOCIABLE: Record<string, readonly string[]> = {
  indicator: ['group', 'victim', 'task'],
  group: ['indicator', 'group', 'victim', 'task'],
  victim: ['indicator', 'group', 'task'],
  task: ['indicator', 'group', 'victim'],
  tag: ['indicator', 'group', 'victim', 'task'],
  label: ['indicator', 'group', 'victim', 'task'],
};

/** Association listings and link changes under an item (`{item}/indicators|groups|victims|tasks/...`). */
function associations(ctx: RequestContext, item: ItemRef, rest: string[]): Reply {
  const collection = rest[0] ?? '';
  const spec = targetSpec(ctx, collection, targetBranch(collection, rest));
  const idDepth = collection === 'victims' || collection === 'tasks' ? 2 : 3;
  if (item.kind === 'victim' && spec.kind === 'victim' && ctx.method === 'GET') {
    return victimsViaGroups(ctx, item, rest);
  }
  if (rest.length < idDepth) {
    if (ctx.method !== 'GET') throw notFound();
    return listLinked(ctx, item, spec);
  }
  if (rest.length > idDepth) throw notFound();
  if (ctx.method === 'GET') {
    if (spec.kind === 'indicator') {
      const row = findLinkedIndicator(ctx, item, rest[1], rest[2] ?? '');
      return single(spec.key, renderTarget(ctx, spec, row, true));
    }
    const target = resolveTarget(ctx, item, spec, rest);
    if (!ctx.store.isLinked(item.kind, item.id, spec.kind, target.id)) throw notFound();
    return single(spec.key, renderTarget(ctx, spec, target.row, true));
  }
  const target = resolveTarget(ctx, item, spec, rest);
  if (ctx.method === 'POST') {
    if (
      !(ASSOCIABLE[item.kind] ?? []).includes(spec.kind) ||
      (item.kind === spec.kind && item.id === target.id)
    ) {
      throw badRequest(
        `Invalid association, ${KIND_NAMES[item.kind]} cannot be associated with ${KIND_NAMES[spec.kind]}`,
      );
    }
    // A tag or label attaches only to its own owner's items (decisions.md 2.4).
    if ((item.kind === 'tag' || item.kind === 'label') && target.ownerId !== item.ownerId)
      throw badRequest('The owners of the requested objects were different');
    ctx.store.link(item.kind, item.id, spec.kind, target.id);
    return success(201);
  }
  if (ctx.method === 'DELETE') {
    if (ctx.store.unlink(item.kind, item.id, spec.kind, target.id) === 0) throw notFound();
    return success();
  }
  throw notFound();
}

/**
 * `GET /v2/victims/{vid}/victims[/{vid2}]`: the victims that share a group with this one (rest-api-v2.md
 * 10, read-only). There are no direct victim-to-victim links.
 */
function victimsViaGroups(ctx: RequestContext, item: ItemRef, rest: string[]): Reply {
  if (rest.length > 2) throw notFound();
  const owners = listingOwners(ctx, item);
  const from = `FROM victims t WHERE t.id != ? AND t.owner_id IN (${owners.join(', ') || 'NULL'}) AND t.id IN (
      SELECT g.b_id FROM links v JOIN links g ON g.a_kind = 'group' AND g.a_id = v.b_id AND g.b_kind = 'victim'
      WHERE v.a_kind = 'victim' AND v.a_id = ? AND v.b_kind = 'group')`;
  if (rest.length === 2) {
    const target = requireVictim(ctx, rest[1]);
    const row = ctx.store.get<VictimRow>(`SELECT t.* ${from} AND t.id = ?`, item.id, item.id, target.id);
    if (!row) throw notFound();
    return single('victim', victimView(ctx.view, row));
  }
  const { start, limit } = pageWindow(ctx);
  const filter = readFilters(ctx, { kind: 'victim' }, 't.');
  const where = filter === null ? from : `${from} AND ${filter.clause}`;
  const params = [item.id, item.id, ...(filter?.params ?? [])];
  const rows = ctx.store.all<VictimRow>(
    `SELECT t.* ${where} ORDER BY t.id LIMIT ? OFFSET ?`,
    ...params,
    limit,
    start,
  );
  const total =
    start === 0 ? (ctx.store.get<{ n: number }>(`SELECT COUNT(*) AS n ${where}`, ...params)?.n ?? 0) : 0;
  return listReply(
    'victim',
    rows.map((row) => victimView(ctx.view, row)),
    total,
    start,
  );
}

/** The type branch after an indicator or group collection (`indicators/hosts`), if any. */
function targetBranch(collection: string, rest: readonly string[]): string | undefined {
  return collection === 'indicators' || collection === 'groups' ? rest[1] : undefined;
}

// ---- tags and security labels on an item ----

function itemTags(ctx: RequestContext, item: ItemRef, rest: string[]): Reply {
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
function itemLabels(
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

async function itemAttributes(ctx: RequestContext, item: ItemRef, rest: string[]): Promise<Reply> {
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

/** Dispatches the sub-resources shared by indicators, groups, victims, tasks, tags and labels. */
export async function itemSubresource(ctx: RequestContext, item: ItemRef, rest: string[]): Promise<Reply> {
  const head = rest[0];
  const isMetadataCarrier = item.kind !== 'tag' && item.kind !== 'label';
  switch (head) {
    case 'attributes':
      if (!isMetadataCarrier) throw notFound();
      return itemAttributes(ctx, item, rest);
    case 'tags':
      if (!isMetadataCarrier) throw notFound();
      return itemTags(ctx, item, rest);
    case 'securityLabels':
      if (!isMetadataCarrier) throw notFound();
      return itemLabels(ctx, item.kind, item.id, item.ownerId, rest);
    case 'indicators':
    case 'groups':
    case 'victims':
    case 'tasks':
      return associations(ctx, item, rest);
    default:
      throw notFound();
  }
}
