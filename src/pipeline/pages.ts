/**
 * What `apiRequestPages` returns: an async iterable of pages that also iterates item by item.
 */
import type { ApiResponse } from '../core/response.js';

/** One page of a listing. */
export interface ApiPage<T = unknown> {
  /** The page's response, as `apiRequest` returns it. */
  response: ApiResponse;
  /** The envelope's `data` object. */
  data: Record<string, unknown>;
  /** The one array under `data`. */
  items: T[];
  /** Offset of the page's first item. */
  resultStart: number;
  /** Page size asked for. */
  resultLimit: number;
  /** The total from the first page. */
  resultCount: number;
}

/**
 * The pages of a listing, in order: `for await (const page of pages)`, or item by item with
 * `for await (const item of pages.items())`. Each iteration walks the listing afresh.
 */
export class PageIterable<T = unknown> implements AsyncIterable<ApiPage<T>> {
  readonly #walk: () => AsyncGenerator<ApiPage<T>>;

  /** @internal Built by the client's requester. */
  constructor(walk: () => AsyncGenerator<ApiPage<T>>) {
    this.#walk = walk;
  }

  /** Iterates over the pages, in order. */
  [Symbol.asyncIterator](): AsyncIterator<ApiPage<T>> {
    return this.#walk();
  }

  /** The items of every page, in order. Leaving the loop early aborts the pages in flight. */
  async *items(): AsyncGenerator<T> {
    for await (const page of this) yield* page.items;
  }
}
