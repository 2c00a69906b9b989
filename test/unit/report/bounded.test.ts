/**
 * The report's bounded stores (docs/decisions.md, Client core 21): the latency histogram against
 * the exact nearest-rank percentile, and the list that keeps its most recent items.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LatencyHistogram, MAX_HISTOGRAM_BUCKETS, RecentList } from '../../../src/report/index.js';

/** The exact nearest-rank percentile, as the report computed it from every duration before. */
function exactPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function histogramOf(values: readonly number[]): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  return histogram;
}

const PERCENTILES = [1, 25, 50, 90, 95, 99, 100];

describe('LatencyHistogram', () => {
  it('null before the first value; a single value is exact', () => {
    const histogram = new LatencyHistogram();
    assert.equal(histogram.percentile(50), null);
    histogram.record(1234.5678);
    assert.equal(histogram.percentile(50), 1234.5678);
    assert.equal(histogram.percentile(95), 1234.5678);
  });

  it('exact for whole milliseconds below 256 ms, and for 0', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 300 }), (values) => {
        const histogram = histogramOf(values);
        for (const p of PERCENTILES) assert.equal(histogram.percentile(p), exactPercentile(values, p));
      }),
    );
  });

  it('exact for a few distinct values of any size (each its own bucket min or max)', () => {
    const values = [0, 0, 10, 30, 100, 750, 750, 60_000, 3_600_000];
    const histogram = histogramOf(values);
    for (const p of PERCENTILES) assert.equal(histogram.percentile(p), exactPercentile(values, p));
  });

  it('within 1/256 (0.4%) of the exact value for any duration from 1 ns', () => {
    const duration = fc.oneof(
      fc.constant(0),
      fc.double({ min: 2 ** -20, max: 10, noNaN: true }),
      fc.double({ min: 2 ** -20, max: 100_000, noNaN: true }),
      fc.integer({ min: 0, max: 10_000_000 }),
    );
    fc.assert(
      fc.property(fc.array(duration, { minLength: 1, maxLength: 500 }), (values) => {
        const histogram = histogramOf(values);
        for (const p of PERCENTILES) {
          const exact = exactPercentile(values, p) as number;
          const approx = histogram.percentile(p) as number;
          assert.ok(Math.abs(approx - exact) <= exact / 256, `p${p}: ${approx} for ${exact}`);
        }
      }),
    );
  });

  it('below 1 ns (2^-20 ms) the error is under 1 ns', () => {
    const values = [1e-9, 3e-8, 5e-7, 2e-7];
    const histogram = histogramOf(values);
    for (const p of PERCENTILES) {
      const exact = exactPercentile(values, p) as number;
      assert.ok(Math.abs((histogram.percentile(p) as number) - exact) < 1e-6);
    }
  });

  it('negative and NaN durations count as 0', () => {
    const histogram = histogramOf([-5, Number.NaN, 7]);
    assert.equal(histogram.count, 3);
    assert.equal(histogram.percentile(50), 0);
    assert.equal(histogram.percentile(100), 7);
  });

  it('never holds more than MAX_HISTOGRAM_BUCKETS buckets', () => {
    const histogram = new LatencyHistogram();
    // Every bucket of every power of two from 2^-25 to 2^60 ms, and the extremes.
    for (let exponent = -25; exponent <= 60; exponent += 1) {
      for (let sub = 0; sub < 128; sub += 1) histogram.record(2 ** exponent * (1 + sub / 128));
    }
    for (const value of [Number.MIN_VALUE, Number.MAX_VALUE, Number.POSITIVE_INFINITY, 0]) {
      histogram.record(value);
    }
    assert.equal(histogram.buckets, MAX_HISTOGRAM_BUCKETS);
    assert.equal(MAX_HISTOGRAM_BUCKETS, 73 * 128 + 1);
    assert.equal(histogram.percentile(100), Number.POSITIVE_INFINITY);
    assert.equal(histogram.percentile(0.001), 0);
  });
});

describe('RecentList', () => {
  it('keeps the most recent items in order and counts the dropped ones', () => {
    const list = new RecentList<number>(3);
    assert.deepEqual(list.toArray(), []);
    for (const n of [1, 2]) list.push(n);
    assert.deepEqual(list.toArray(), [1, 2]);
    assert.equal(list.dropped, 0);
    for (const n of [3, 4, 5, 6, 7]) list.push(n);
    assert.deepEqual(list.toArray(), [5, 6, 7]);
    assert.equal(list.length, 3);
    assert.equal(list.dropped, 4);
  });

  it('matches the last `capacity` items of an unbounded array', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(fc.integer()), (capacity, items) => {
        const list = new RecentList<number>(capacity);
        for (const item of items) list.push(item);
        assert.deepEqual(list.toArray(), capacity === 0 ? [] : items.slice(-capacity));
        assert.equal(list.dropped, Math.max(0, items.length - capacity));
      }),
    );
  });

  it('refuses a capacity that is not a whole number ≥ 0', () => {
    assert.throws(() => new RecentList(-1), RangeError);
    assert.throws(() => new RecentList(1.5), RangeError);
  });
});
