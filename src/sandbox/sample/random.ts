/**
 * A small seeded pseudo-random generator (mulberry32) for the sample data. The same seed always gives
 * the same sequence, so `sampleData(n)` is deterministic.
 */
/** Character codes of `0-9A-F`. */
const HEX_DIGITS: readonly number[] = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));

export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A 32-bit unsigned integer. */
  uint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('SeededRandom.pick: empty list');
    return item;
  }

  /** One item of a non-empty list, chosen with the given weights (same length as the list). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i += 1) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return this.pick(items);
  }

  /** `length` upper-case hexadecimal digits. */
  hex(length: number): string {
    const chars = Buffer.allocUnsafe(length);
    let bits = 0;
    let word = 0;
    for (let k = 0; k < length; k += 1) {
      if (bits === 0) {
        word = this.uint32();
        bits = 32;
      }
      chars[k] = HEX_DIGITS[word & 15] ?? 48;
      word >>>= 4;
      bits -= 4;
    }
    return chars.toString('latin1');
  }
}
