/**
 * One window of an indicator listing (`/v2/indicators[/{type}]` and the pivots that list indicators),
 * through the listing cache: the texts of the window's items come from {@link FragmentCache} when they
 * are there, and only a window with a missing item reads rows, and only the columns a list item shows
 * (docs/sandbox.md, "Listing cache"). With the cache off (`listingCacheBytes: 0`) every item is built as
 * an object and encoded with the page, the reference the tests compare the cached pages against.
 */
import { type RequestContext, listReply } from './context.js';
import { createJsonEncoder } from './encode.js';
import type { Reply } from './reply.js';
import { INDICATOR_COLUMNS } from './store.js';
import { GENERIC_ITEM_COLUMN_COUNT, ITEM_COLUMNS, indicatorItemJson, indicatorView } from './views.js';

const encode = createJsonEncoder();

export interface IndicatorWindow {
  /** The list's key in `data` (`indicator`, `host`, ...). */
  key: string;
  shape: 'generic' | 'typed';
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

export function indicatorListing(ctx: RequestContext, window: IndicatorWindow): Reply {
  const { key, shape, ids, start, limit } = window;
  const windowIds = ids.slice(start, start + limit);
  const cache = ctx.store.fragments;
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
    `${shape}|${String(view.includeTags)}|${String(view.includeAttributes)}|${String(view.includeAdditional)}|${view.origin}`,
  );
  let items: string[] = [];
  for (const id of windowIds) {
    const cached = variant.get(id);
    if (cached === undefined) break;
    items.push(cached);
  }
  if (items.length < windowIds.length) {
    const { sql, params } = window.pageQuery(shape === 'generic' ? GENERIC_COLUMNS : TYPED_COLUMNS);
    items = ctx.store.rawRows(sql, ...params).map((row) => {
      const id = row[0] as number;
      let item = variant.get(id);
      if (item === undefined) {
        item = indicatorItemJson(view, row, shape, encode);
        cache.add(variant, id, item);
      }
      return item;
    });
  }
  return { kind: 'list', status: 200, key, items, total: ids.length, start };
}
