/**
 * Encoded listing pages and items, kept between writes so that a warm page of an indicator listing
 * is one cached Buffer written to the socket (docs/sandbox.md, "Listing cache").
 *
 * - A **page** is the whole body of one window of one listing: the envelope and the encoded items,
 *   with the offset where each item ends, so that a `shortPage` fault can still cut items off.
 * - An **item** is the UTF-8 JSON of one list item, by id: a view into the body of the page that first
 *   encoded it, so items take no memory of their own. A window that is not cached as a page (another
 *   `resultStart` or `resultLimit`, another listing showing the same items) is built from cached items
 *   and encodes only the missing ones.
 *
 * Entries are grouped by variant (what else shapes an item's text: the listing shape, `includeTags`,
 * `includeAttributes`, `includeAdditional`, `includes=labels`, the origin of webLinks). The store drops everything on a
 * write that a listing could show, so no entry is ever checked for staleness. Memory is bounded by
 * `maxBytes`: each page counts its body plus {@link PAGE_OVERHEAD_BYTES}, and
 * {@link ITEM_OVERHEAD_BYTES} per item it holds. Over the bound, the oldest page goes first (first in,
 * first out; a hit does not refresh an entry, which keeps hits free of bookkeeping), and with it the
 * items that point into its body.
 */

/** Counted per page on top of its body: the entry, its offsets and its map slot, roughly. */
export const PAGE_OVERHEAD_BYTES = 512;
/** Counted per item a page holds: the Buffer view object and its map slot, roughly. */
export const ITEM_OVERHEAD_BYTES = 128;

const COMMA = Buffer.from(',');
const TAIL = Buffer.from(']}}');

/** The body of one listing window. */
export interface CachedPage {
  readonly body: Buffer;
  /** The offset just after the `[` that opens the list. */
  readonly listStart: number;
  /** The offset just after each item. */
  readonly ends: Uint32Array;
}

/** What a listing window's items are: encoded item bytes, with the ids of those just encoded. */
export interface PageParts {
  /** The envelope up to and including the `[` that opens the list. */
  head: string;
  /** The ids of the window's items, in order. */
  ids: readonly number[];
  /** The encoded items, in order. */
  items: readonly Buffer[];
  /** Whether each item was just encoded (and is not an entry yet). */
  fresh: readonly boolean[];
}

export interface Variant {
  readonly items: Map<number, Buffer>;
  readonly pages: Map<string, PageEntry>;
}

interface PageEntry {
  readonly page: CachedPage;
  readonly variant: Variant;
  readonly key: string;
  /** The ids whose item entries are views into this page's body. */
  readonly owned: readonly number[];
  readonly bytes: number;
}

/** Joins a window into one body, recording where each item ends. */
export function buildPage(parts: PageParts): CachedPage {
  const head = Buffer.from(parts.head, 'utf8');
  const chunks: Buffer[] = [head];
  const ends = new Uint32Array(parts.items.length);
  let offset = head.length;
  parts.items.forEach((item, i) => {
    if (i > 0) {
      chunks.push(COMMA);
      offset += 1;
    }
    chunks.push(item);
    offset += item.length;
    ends[i] = offset;
  });
  chunks.push(TAIL);
  return { body: Buffer.concat(chunks, offset + TAIL.length), listStart: head.length, ends };
}

/** The body of a page keeping only its first `count` items (a shortPage fault keeps fewer). */
export function pageBody(page: CachedPage, count = page.ends.length): Buffer {
  if (count >= page.ends.length) return page.body;
  const cut = count <= 0 ? page.listStart : (page.ends[count - 1] ?? page.listStart);
  return Buffer.concat([page.body.subarray(0, cut), TAIL]);
}

export class ListingCache {
  /** Upper bound of {@link bytes}; 0 turns the cache off. */
  readonly maxBytes: number;
  #bytes = 0;
  #variants = new Map<string, Variant>();
  /** The cached pages in the order they were added, read from `#head`. */
  #queue: PageEntry[] = [];
  #head = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** Memory held, as counted against {@link maxBytes}. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of cached pages. */
  get pages(): number {
    return this.#queue.length - this.#head;
  }

  /** The entries of one variant. */
  variant(key: string): Variant {
    let variant = this.#variants.get(key);
    if (!variant) {
      variant = { items: new Map(), pages: new Map() };
      this.#variants.set(key, variant);
    }
    return variant;
  }

  /**
   * Builds the page of `parts` and keeps it as the page `key` of `variant`, its fresh items as item
   * entries, evicting the oldest pages as needed. A page larger than the bound is built but not kept.
   */
  add(variant: Variant, key: string, parts: PageParts): CachedPage {
    const page = buildPage(parts);
    const owned: number[] = [];
    parts.fresh.forEach((fresh, i) => {
      const id = parts.ids[i];
      if (fresh && id !== undefined && !variant.items.has(id)) owned.push(i);
    });
    const bytes = page.body.length + PAGE_OVERHEAD_BYTES + owned.length * ITEM_OVERHEAD_BYTES;
    if (bytes > this.maxBytes || variant.pages.has(key)) return page;
    const ownedIds: number[] = [];
    for (const i of owned) {
      const id = parts.ids[i] as number;
      const start = i === 0 ? page.listStart : (page.ends[i - 1] ?? 0) + 1;
      variant.items.set(id, page.body.subarray(start, page.ends[i]));
      ownedIds.push(id);
    }
    const entry: PageEntry = { page, variant, key, owned: ownedIds, bytes };
    variant.pages.set(key, entry);
    this.#queue.push(entry);
    this.#bytes += bytes;
    while (this.#bytes > this.maxBytes) this.#evictOldest();
    return page;
  }

  /** Drops everything. */
  clear(): void {
    if (this.#variants.size === 0) return;
    this.#variants = new Map();
    this.#queue = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  #evictOldest(): void {
    const entry = this.#queue[this.#head];
    if (entry === undefined) {
      this.#bytes = 0;
      return;
    }
    this.#head += 1;
    const { variant, page } = entry;
    if (variant.pages.get(entry.key) === entry) variant.pages.delete(entry.key);
    const { buffer, byteOffset, length } = page.body;
    for (const id of entry.owned) {
      const item = variant.items.get(id);
      if (item?.buffer === buffer && item.byteOffset >= byteOffset && item.byteOffset < byteOffset + length)
        variant.items.delete(id);
    }
    this.#bytes -= entry.bytes;
    // Compact the queue once its consumed head is the larger half.
    if (this.#head > 64 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
