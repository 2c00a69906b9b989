/**
 * The encoded JSON of listed items, kept between requests so that a page of a listing is mostly a join
 * of cached texts (docs/sandbox.md, "Listing cache").
 *
 * Entries are grouped by variant (what else shapes an item's text: the listing shape, `includeTags`,
 * `includeAttributes`, `includeAdditional`, the origin of webLinks) and keyed by item id. The store
 * drops every entry on any write that could change an item's text, so entries never need to be checked
 * one by one. Memory is bounded: when the entries exceed `maxBytes`, the oldest ones go first
 * (first in, first out: a hit does not refresh an entry, which keeps hits free of bookkeeping).
 */

/** Counted per entry on top of its text: the map slot, the queue slots and the string header, roughly. */
export const ENTRY_OVERHEAD_BYTES = 64;

export class FragmentCache {
  /** Upper bound of {@link bytes}; 0 turns the cache off. */
  readonly maxBytes: number;
  #bytes = 0;
  #variants = new Map<string, Map<number, string>>();
  /** Insertion order of the live entries, for eviction: parallel arrays, read from `#head`. */
  #queueMaps: Map<number, string>[] = [];
  #queueIds: number[] = [];
  #head = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /**
   * Approximate memory held: one byte per character of each text (the sample data is ASCII; text
   * outside Latin-1 takes two in V8) plus {@link ENTRY_OVERHEAD_BYTES} per entry.
   */
  get bytes(): number {
    return this.#bytes;
  }

  get entries(): number {
    return this.#queueIds.length - this.#head;
  }

  /** The entries of one variant, by item id. */
  variant(key: string): Map<number, string> {
    let map = this.#variants.get(key);
    if (!map) {
      map = new Map();
      this.#variants.set(key, map);
    }
    return map;
  }

  /** Keeps `text` as the entry of `id` in `map` (a map from {@link variant}), evicting the oldest as needed. */
  add(map: Map<number, string>, id: number, text: string): void {
    const size = text.length + ENTRY_OVERHEAD_BYTES;
    if (size > this.maxBytes || map.has(id)) return;
    map.set(id, text);
    this.#queueMaps.push(map);
    this.#queueIds.push(id);
    this.#bytes += size;
    while (this.#bytes > this.maxBytes) this.#evictOldest();
  }

  /** Drops every entry. */
  clear(): void {
    if (this.#queueIds.length === 0 && this.#variants.size === 0) return;
    this.#variants = new Map();
    this.#queueMaps = [];
    this.#queueIds = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  #evictOldest(): void {
    const map = this.#queueMaps[this.#head];
    const id = this.#queueIds[this.#head];
    if (map === undefined || id === undefined) {
      this.#bytes = 0;
      return;
    }
    this.#head += 1;
    const text = map.get(id);
    if (text !== undefined) {
      map.delete(id);
      this.#bytes -= text.length + ENTRY_OVERHEAD_BYTES;
    }
    // Compact the queue once its consumed head is the larger half.
    if (this.#head > 1024 && this.#head * 2 > this.#queueIds.length) {
      this.#queueMaps = this.#queueMaps.slice(this.#head);
      this.#queueIds = this.#queueIds.slice(this.#head);
      this.#head = 0;
    }
  }
}
