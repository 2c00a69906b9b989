/**
 * The sandbox's deterministic sample data (decisions.md 2.5 and 2.6): a pure, synchronous function of
 * n that needs no database, no clock and no randomness from outside.
 */
import { SampleBuilder } from './sample/builder.js';
import { addFixedRecords } from './sample/fixed.js';
import { addGeneratedRecords } from './sample/generated.js';
import type { SampleData } from './sample-types.js';

/**
 * Returns the sample records: the fixed records (always, whatever n is) plus `n` generated indicators
 * with generated groups, victims and tasks. The same n always gives deep-equal data.
 *
 * @param n number of generated indicators (default 0: the fixed records only)
 * @throws {RangeError} when n is not a non-negative safe integer
 */
export function sampleData(n = 0): SampleData {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`sampleData: n must be a non-negative integer, got ${String(n)}`);
  }
  const builder = new SampleBuilder();
  addFixedRecords(builder);
  addGeneratedRecords(builder, n);
  return builder.finish();
}
