/**
 * The association and pivot listings of rest-api-v2.md section 10 under an item, from either end:
 * `{item}/indicators|groups|victims|tasks[/{branch}[/{id or value}]]`, and the links POST and DELETE make
 * and remove there. `routes.ts` resolves the item (`resolvePivot` of shared.ts) and dispatches here.
 */
import { type RequestContext, listReply, pageWindow, requestOwner } from '../context.js';
import { indicatorQueryListing } from '../indicator-list.js';
import { readFilters } from '../query-filters.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import {
  type GroupRow,
  INDICATOR_COLUMNS,
  type IndicatorRow,
  type TaskRow,
  type VictimRow,
  lookupKey,
} from '../store.js';
import { GROUP_BY_BRANCH } from '../types.js';
import { groupView, indicatorView, taskView, victimView } from '../views.js';
import {
  type ItemRef,
  indicatorType,
  pivotOwners,
  requireGroup,
  requireIndicator,
  requireTask,
  requireVictim,
  tagName,
} from './shared.js';

/** The far end of an association path: what it lists, from which table, under which key. */
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

/** A row of the far end as a list item, or (`single`) as a single object. */
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

function listLinked(ctx: RequestContext, item: ItemRef, spec: TargetSpec): Reply {
  const { start, limit } = pageWindow(ctx);
  const owners = pivotOwners(ctx, item).filter(Number.isInteger);
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
  if (spec.kind === 'indicator') {
    return indicatorQueryListing(ctx, { from, params, idColumn: 'l.b_id', key: spec.key, shape: spec.shape });
  }
  // Cached ids plus a keyset seek, as for the base listings (Store.orderedIds).
  const idsQuery = `SELECT l.b_id ${from} ORDER BY l.b_id`;
  const ids = ctx.store.orderedIds(idsQuery, params);
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

function findLinkedIndicator(
  ctx: RequestContext,
  item: ItemRef,
  branch: string | undefined,
  value: string,
): IndicatorRow {
  const info = indicatorType(ctx, branch);
  const owners = pivotOwners(ctx, item);
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
export function associations(ctx: RequestContext, item: ItemRef, rest: string[]): Reply {
  const collection = rest[0] ?? '';
  const spec = targetSpec(ctx, collection, targetBranch(collection, rest));
  const idDepth = collection === 'victims' || collection === 'tasks' ? 2 : 3;
  // A tag that does not exist yet is there only for the POST that attaches, and so creates, it.
  if (item.newTag !== undefined && (ctx.method !== 'POST' || rest.length !== idDepth)) throw notFound();
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
    if (!(ASSOCIABLE[item.kind] ?? []).includes(spec.kind)) {
      throw badRequest(
        `Invalid association, ${KIND_NAMES[item.kind]} cannot be associated with ${KIND_NAMES[spec.kind]}`,
      );
    }
    if (item.kind === spec.kind && item.id === target.id) {
      throw badRequest(`Invalid association, ${KIND_NAMES[item.kind]} cannot be associated with itself`);
    }
    // A tag or label attaches only to its own owner's items (decisions.md 2.4).
    if ((item.kind === 'tag' || item.kind === 'label') && target.ownerId !== item.ownerId)
      throw badRequest('The owners of the requested objects were different');
    // rest-api-v2.md 8: "A victim needs ≥ 1 asset before it can be associated with anything" (a tag or
    // a label is metadata, not an association).
    if (item.kind !== 'tag' && item.kind !== 'label') {
      for (const [kind, id] of [
        [item.kind, item.id],
        [spec.kind, target.id],
      ] as const) {
        if (
          kind === 'victim' &&
          ctx.store.get('SELECT 1 FROM victim_assets WHERE victim_id = ? LIMIT 1', id) === undefined
        )
          throw badRequest(
            `Invalid association, the Victim ${id} has no assets: add one before associating it`,
          );
      }
    }
    // An unknown tag is created on attach, in the owner it was named in, as from the item's side
    // (rest-api-v2.md 9 and 13.5). Its name is checked once the item is known, as from that side.
    const name = item.newTag === undefined ? undefined : tagName(item.newTag);
    ctx.store.transaction(() => {
      const id = name === undefined ? item.id : ctx.store.ensureTag(item.ownerId, name).id;
      ctx.store.link(item.kind, id, spec.kind, target.id);
    });
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
  const owners = pivotOwners(ctx, item);
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
