/**
 * The sandbox's deterministic sample data (decisions.md 2.5 and 2.6): a pure, synchronous function of
 * n that needs no database, no clock and no randomness from outside.
 */
import { SampleBuilder, joinParts } from './sample/builder.js';
import { addFixedRecords } from './sample/fixed.js';
import { generatedRecords } from './sample/generated.js';
import { addFixedIntelligence } from './sample/intelligence.js';
import type { SampleData } from './sample-types.js';

/** Generated indicators per part of {@link sampleDataBatches}, unless told otherwise. */
export const DEFAULT_BATCH_SIZE = 1000;

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new RangeError(`${name} must be ${what}, got ${String(value)}`);
  }
}

function* parts(n: number, batchSize: number): Generator<SampleData> {
  const builder = new SampleBuilder();
  addFixedRecords(builder);
  addFixedIntelligence(builder);
  yield { ...builder.take(), ...SampleBuilder.head() };
  yield* generatedRecords(builder, n, batchSize);
  yield builder.finish();
}

/**
 * The records of `sampleData(n)` in parts, for seeding a large database without holding every record
 * at once. Each part has the shape of `SampleData`, its lists holding some of the records; joining the
 * lists of every part and sorting them as `sampleData` does gives exactly `sampleData(n)`, whatever
 * `batchSize` is. Every record is complete when its part is yielded, and appears in one part only.
 *
 * - The first part holds the owners, the users, the security labels and the fixed records, with the
 *   indicator intelligence (observations, false positives, file occurrences, DNS resolutions).
 * - Then come the generated indicators, `batchSize` at a time, with their attributes and links.
 * - The last part holds the generated groups, victims and tasks, and the tag list, which is known only
 *   once every record has been made.
 * - Attributes, links and documents come with the first part taken after they were made, so they may
 *   come before the record at one of their ends (a group's attributes with the first indicators).
 *
 * @throws {RangeError} when n is not a non-negative safe integer or batchSize not a positive one
 */
export function sampleDataBatches(n = 0, batchSize = DEFAULT_BATCH_SIZE): Generator<SampleData> {
  checkCount('sampleDataBatches: n', n, 0);
  checkCount('sampleDataBatches: batchSize', batchSize, 1);
  return parts(n, batchSize);
}

/**
 * Returns the sample records: the fixed records (always, whatever n is) plus `n` generated indicators
 * with generated groups, victims and tasks. The same n always gives deep-equal data. It joins the parts
 * of {@link sampleDataBatches}, which the sandbox seeds from.
 *
 * @param n number of generated indicators (default 0: the fixed records only)
 * @throws {RangeError} when n is not a non-negative safe integer
 */
export function sampleData(n = 0): SampleData {
  checkCount('sampleData: n', n, 0);
  return joinParts(parts(n, DEFAULT_BATCH_SIZE));
}
