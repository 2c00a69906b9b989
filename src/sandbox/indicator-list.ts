/**
 * One window of an indicator listing (`/v2/indicators[/{type}]` and the pivots that list indicators),
 * through the listing cache (docs/sandbox.md, "Listing cache"): a window served before is its cached
 * page; another window is built from cached items, and only a window with a missing item reads rows,
 * and only the columns a list item shows. With the cache off (`listingCacheBytes: 0`) every item is
 * built as an object and encoded with its page: the reference the tests compare cached pages against.
 */
import { type RequestContext, listReply, pageWindow } from './context.js';
import { createJsonEncoder } from './encode.js';
import type { Reply } from './reply.js';
import { INDICATOR_COLUMNS } from './store.js';
import { GENERIC_ITEM_COLUMN_COUNT, ITEM_COLUMNS, indicatorItemJson, indicatorView } from './views.js';

const encode = createJsonEncoder();

export interface IndicatorWindow {
  /** The list's key in `data` (`indicator`, `host`, ...). */
  key: string;
  shape: 'generic' | 'typed';
  /** What identifies the listing among others: the query of its ids and their parameters. */
  listing: string;
  /** Every id the listing selects, in order (`Store.orderedIds`). */
  ids: readonly number[];
  start: number;
  limit: number;
  /**
   * The query for the window's rows, selecting `columns` (column names of the indicators table, which
   * the caller may qualify) in that order: the rows of `ids` from `ids[start]` on, at most `limit`.
   */
  pageQuery: (columns: readonly string[]) => { sql: string; params: unknown[] };
}

const TYPED_COLUMNS = [...ITEM_COLUMNS];
const GENERIC_COLUMNS = ITEM_COLUMNS.slice(0, GENERIC_ITEM_COLUMN_COUNT);
const ALL_COLUMNS = INDICATOR_COLUMNS.split(', ');

/** The indicators a query selects, for {@link indicatorQueryListing}. */
export interface IndicatorQuery {
  /** `FROM … WHERE …`, with the indicators as `t`. */
  from: string;
  params: unknown[];
  /** The column that orders the ids (`t.id`, or a link table's). */
  idColumn: string;
  key: string;
  shape: 'generic' | 'typed';
}

/**
 * The request's window of the indicators a query selects, in id order: the ids are cached
 * (`Store.orderedIds`) and a window's rows read by a keyset seek, as for the base listings.
 */
export function indicatorQueryListing(ctx: RequestContext, query: IndicatorQuery): Reply {
  const { start, limit } = pageWindow(ctx);
  const { from, params, idColumn } = query;
  const idsQuery = `SELECT ${idColumn} ${from} ORDER BY ${idColumn}`;
  const ids = ctx.store.orderedIds(idsQuery, params);
  return indicatorListing(ctx, {
    listing: `${idsQuery}\u0000${JSON.stringify(params)}`,
    key: query.key,
    shape: query.shape,
    ids,
    start,
    limit,
    pageQuery: (names) => ({
      sql: `SELECT ${names.map((c) => `t.${c}`).join(', ')} ${from} AND ${idColumn} >= ? ORDER BY ${idColumn} LIMIT ?`,
      params: [...params, ids[start], limit],
    }),
  });
}

export function indicatorListing(ctx: RequestContext, window: IndicatorWindow): Reply {
  const { key, shape, ids, start, limit } = window;
  const windowIds = ids.slice(start, start + limit);
  const cache = ctx.store.listingCache;
  if (!cache.enabled) {
    const { sql, params } = window.pageQuery(ALL_COLUMNS);
    const rows = windowIds.length === 0 ? [] : ctx.store.indicators(sql, ...params);
    return listReply(
      key,
      rows.map((row) => indicatorView(ctx.view, row, shape)),
      ids.length,
      start,
    );
  }
  const view = ctx.view;
  const variant = cache.variant(
    `${shape}|${String(view.includeTags)}|${String(view.includeAttributes)}|${String(view.includeAdditional)}|${String(view.includeLabels)}|${view.origin}`,
  );
  const pageKey = `${key}\u0000${String(start)}\u0000${String(limit)}\u0000${window.listing}`;
  const cached = variant.pages.get(pageKey);
  if (cached) return { kind: 'list', status: 200, page: cached.page };

  let items: Buffer[] = [];
  let fresh: boolean[] = windowIds.map(() => false);
  let itemIds: readonly number[] = windowIds;
  for (const id of windowIds) {
    const item = variant.items.get(id);
    if (item === undefined) break;
    items.push(item);
  }
  if (items.length < windowIds.length) {
    const { sql, params } = window.pageQuery(shape === 'generic' ? GENERIC_COLUMNS : TYPED_COLUMNS);
    const rows = ctx.store.rawRows(sql, ...params);
    itemIds = rows.map((row) => row[0] as number);
    fresh = [];
    items = rows.map((row, i) => {
      const item = variant.items.get(itemIds[i] as number);
      fresh.push(item === undefined);
      return item ?? Buffer.from(indicatorItemJson(view, row, shape, encode), 'utf8');
    });
  }
  const head =
    start === 0
      ? `{"status":"Success","data":{"resultCount":${String(ids.length)},${JSON.stringify(key)}:[`
      : `{"status":"Success","data":{${JSON.stringify(key)}:[`;
  const page = cache.add(variant, pageKey, { head, ids: itemIds, items, fresh });
  return { kind: 'list', status: 200, page };
}
