/**
 * The report's bounded stores (docs/decisions.md, Client core 21): a fixed log-scale latency
 * histogram for p50/p95, and a list that keeps only its most recent items. A client that runs for
 * months keeps the same report size as one that made a few thousand calls.
 */

/** Buckets per power of two: a bucket spans 1/128 of its lower bound. */
const SUB_BUCKETS = 128;
/** Durations below 2^-20 ms (about 1 ns) share the lowest buckets. */
const MIN_EXPONENT = -20;
/** Durations from 2^53 ms (about 285,000 years) share the highest bucket. */
const MAX_EXPONENT = 52;
/** The key of the bucket for 0 ms. */
const ZERO_KEY = -1;

/** The most buckets a histogram can hold, whatever it is fed. */
export const MAX_HISTOGRAM_BUCKETS = (MAX_EXPONENT - MIN_EXPONENT + 1) * SUB_BUCKETS + 1;

interface Bucket {
  count: number;
  min: number;
  max: number;
}

function bucketKey(value: number): number {
  if (!(value > 0)) return ZERO_KEY;
  let exponent = Math.floor(Math.log2(value));
  // Math.log2 may be off by one next to a power of two; the comparisons below are exact.
  if (2 ** exponent > value) exponent -= 1;
  else if (2 ** (exponent + 1) <= value) exponent += 1;
  exponent = Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, exponent));
  // value / 2^exponent is exact, and so is (x - 1) * 128 for x in [1, 2).
  const sub = Math.floor((value / 2 ** exponent - 1) * SUB_BUCKETS);
  return (exponent - MIN_EXPONENT) * SUB_BUCKETS + Math.min(SUB_BUCKETS - 1, Math.max(0, sub));
}

/**
 * Latency percentiles from a fixed log-scale histogram: each power of two of milliseconds is split
 * into 128 equal buckets, and each bucket keeps its count and the smallest and largest value it
 * received. A percentile is the nearest-rank value: the bucket's min or max when the rank is the
 * bucket's first or last value (so it is exact when the bucket holds one distinct value, which is
 * every whole number of ms below 256 ms), otherwise the middle of min and max, within 1/256 (0.4%)
 * of the exact value. At most {@link MAX_HISTOGRAM_BUCKETS} buckets exist.
 */
export class LatencyHistogram {
  readonly #buckets = new Map<number, Bucket>();
  #count = 0;

  /** Values recorded so far. */
  get count(): number {
    return this.#count;
  }

  /** Buckets in use (at most {@link MAX_HISTOGRAM_BUCKETS}). */
  get buckets(): number {
    return this.#buckets.size;
  }

  /** Records one duration in ms; a negative or NaN duration counts as 0. */
  record(durationMs: number): void {
    const value = durationMs > 0 ? durationMs : 0;
    const key = bucketKey(value);
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) this.#buckets.set(key, { count: 1, min: value, max: value });
    else {
      bucket.count += 1;
      if (value < bucket.min) bucket.min = value;
      if (value > bucket.max) bucket.max = value;
    }
    this.#count += 1;
  }

  /** The nearest-rank `p`th percentile (0 < p ≤ 100), or null before the first value. */
  percentile(p: number): number | null {
    if (this.#count === 0) return null;
    const rank = Math.min(this.#count, Math.max(1, Math.ceil((p / 100) * this.#count)));
    let seen = 0;
    for (const key of [...this.#buckets.keys()].sort((a, b) => a - b)) {
      const bucket = this.#buckets.get(key) as Bucket;
      const before = seen;
      seen += bucket.count;
      if (seen < rank) continue;
      if (rank === before + 1) return bucket.min;
      if (rank === seen) return bucket.max;
      return bucket.min + (bucket.max - bucket.min) / 2;
    }
    return null;
  }
}

/** A list that keeps its `capacity` most recent items and counts the ones it let go. */
export class RecentList<T> {
  readonly capacity: number;
  readonly #items: T[] = [];
  /** Once full: the index of the oldest item, where the next one goes. */
  #next = 0;
  #dropped = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be a whole number ≥ 0, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Items held (at most `capacity`). */
  get length(): number {
    return this.#items.length;
  }

  /** Items dropped to make room for newer ones. */
  get dropped(): number {
    return this.#dropped;
  }

  push(item: T): void {
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
      return;
    }
    this.#dropped += 1;
    if (this.capacity === 0) return;
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** The items held, oldest first. */
  toArray(): T[] {
    return this.#next === 0
      ? [...this.#items]
      : [...this.#items.slice(this.#next), ...this.#items.slice(0, this.#next)];
  }
}
