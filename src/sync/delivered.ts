/**
 * The changes a sync run has delivered, as (id, lastModified) pairs, kept for the whole run (to skip a
 * change a shifting listing shows twice, and for the progress state of a stream sink).
 *
 * A change is its id and the instant of its lastModified: `2015-06-21T10:40:33-05:00` and
 * `2015-06-21T15:40:33Z` are one change. The instant is kept as a number of seconds beside its id in
 * typed arrays, so the run's memory hardly grows with the count: about 14 bytes a change, where a map
 * from id to the lastModified text took about 80 and a map of `id\0lastModified` keys 170. An id's
 * rare second lastModified (an indicator changed during the run), ids and dates outside 32 bits, and a
 * lastModified that is no date (kept as text) are held apart.
 */
export type Change = readonly [id: number, lastModified: string];

/** The text key of one change whose lastModified is no date. */
const changeKey = (id: number, lastModified: string): string => `${id}\u0000${lastModified}`;

/** An ISO date-time with its zone (`Z`, `±HH:MM`, `±HHMM`): the instant does not depend on the machine. */
const ZONED = /^\d{4}-\d\d-\d\dT[^ ]*(?:[Zz]|[+-]\d\d:?\d\d)$/;

/**
 * A lastModified as stored: seconds since the epoch (fractional below a second), or NaN for a text that
 * is no zoned ISO date-time (kept as text: JavaScript reads a time without a zone in local time).
 */
function seconds(lastModified: string): number {
  if (!ZONED.test(lastModified)) return Number.NaN;
  const s = Date.parse(lastModified) / 1000;
  // `s | 0` for whole seconds, so that the map holds a small integer rather than a boxed double.
  return (s | 0) === s ? s | 0 : s;
}

/** The ISO text of stored seconds: whole seconds as the API writes them (UTC), else with milliseconds. */
function isoText(s: number): string {
  const iso = new Date(Math.round(s * 1000)).toISOString();
  // (Years past 9999 print as `+010000-…`, kept whole.)
  return Number.isInteger(s) && iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso;
}

/** Ids and seconds that fit the compact table: integers from 0 to 2^31 - 1 (dates up to 2038). */
const fits = (n: number): boolean => (n | 0) === n && n >= 0;

/**
 * Each id's first change (id, whole seconds), in insertion order, in typed arrays with an
 * open-addressing index: about 14 bytes a change and no object per change, where a `Map` took about 30.
 */
class IdSeconds {
  #ids = new Int32Array(1024);
  #seconds = new Int32Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }
  /** Position + 1 of each id, by hash (0: empty). */
  #index = new Int32Array(2048);
  #bits = 11;

  #slot(id: number): number {
    const mask = this.#index.length - 1;
    let at = Math.imul(id, 0x9e3779b1) >>> (32 - this.#bits);
    for (;;) {
      const pos = this.#index[at] as number;
      if (pos === 0 || this.#ids[pos - 1] === id) return at;
      at = (at + 1) & mask;
    }
  }

  /** The seconds of `id`, or -1. */
  get(id: number): number {
    const pos = this.#index[this.#slot(id)] as number;
    return pos === 0 ? -1 : (this.#seconds[pos - 1] as number);
  }

  /** Adds `id` (not there yet). */
  add(id: number, seconds: number): void {
    if (this.#size === this.#ids.length) {
      const ids = new Int32Array(this.#size * 2);
      ids.set(this.#ids);
      this.#ids = ids;
      const secs = new Int32Array(this.#size * 2);
      secs.set(this.#seconds);
      this.#seconds = secs;
    }
    this.#ids[this.#size] = id;
    this.#seconds[this.#size] = seconds;
    this.#size += 1;
    // The index at most half full.
    if (this.#size * 2 > this.#index.length) {
      this.#bits += 1;
      this.#index = new Int32Array(1 << this.#bits);
      for (let pos = 1; pos <= this.#size; pos += 1)
        this.#index[this.#slot(this.#ids[pos - 1] as number)] = pos;
    } else {
      this.#index[this.#slot(id)] = this.#size;
    }
  }

  *entries(): Generator<[id: number, seconds: number]> {
    for (let i = 0; i < this.#size; i += 1) yield [this.#ids[i] as number, this.#seconds[i] as number];
  }
}

export class DeliveredChanges {
  /** Each id's first change, when both fit the compact table. */
  readonly #compact = new IdSeconds();
  /** Each id's first change otherwise (ids past 2^31, dates before 1970 or past 2038, fractions). */
  readonly #first = new Map<number, number>();
  /** `id\0seconds` of an id's later changes, with the pair to list. */
  readonly #more = new Map<string, Change>();
  /** Changes whose lastModified is no date, by {@link changeKey}. */
  readonly #text = new Map<string, Change>();

  /** The changes of a list (a state's `delivered`). */
  static of(changes: Iterable<Change>): DeliveredChanges {
    const out = new DeliveredChanges();
    for (const [id, lastModified] of changes) out.add(id, lastModified);
    return out;
  }

  has(id: number, lastModified: string): boolean {
    // An empty set answers without reading the date. (A change in `#more` has its first in the others.)
    if (this.#compact.size === 0 && this.#first.size === 0 && this.#text.size === 0) return false;
    const s = seconds(lastModified);
    if (Number.isNaN(s)) return this.#text.has(changeKey(id, lastModified));
    const first = this.#firstOf(id);
    return first !== undefined && (first === s || this.#hasMore(id, s));
  }

  #hasMore(id: number, s: number): boolean {
    return this.#more.size > 0 && this.#more.has(`${id}\u0000${s}`);
  }

  #firstOf(id: number): number | undefined {
    if (fits(id)) {
      const s = this.#compact.get(id);
      if (s !== -1) return s;
    }
    return this.#first.size === 0 ? undefined : this.#first.get(id);
  }

  /** Adds the change (its instant read once); false when it was there already. */
  addIfNew(id: number, lastModified: string): boolean {
    const s = seconds(lastModified);
    if (Number.isNaN(s)) {
      const key = changeKey(id, lastModified);
      if (this.#text.has(key)) return false;
      this.#text.set(key, [id, lastModified]);
      return true;
    }
    const first = this.#firstOf(id);
    if (first === undefined) {
      if (fits(id) && fits(s)) this.#compact.add(id, s);
      else this.#first.set(id, s);
      return true;
    }
    if (first === s || this.#hasMore(id, s)) return false;
    this.#more.set(`${id}\u0000${s}`, [id, isoText(s)]);
    return true;
  }

  add(id: number, lastModified: string): void {
    this.addIfNew(id, lastModified);
  }

  /**
   * Every pair, made on demand (nothing is kept as text): each id's first change in the order they were
   * added (those of the compact table first), then the others. A lastModified that is a date comes
   * back as UTC ISO text of the same instant.
   */
  *values(): Generator<Change> {
    for (const [id, s] of this.#compact.entries()) yield [id, isoText(s)];
    for (const [id, s] of this.#first) yield [id, isoText(s)];
    yield* this.#more.values();
    yield* this.#text.values();
  }
}
