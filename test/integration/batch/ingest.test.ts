/**
 * `tc.batch()` at volume: 60,000 indicators in three jobs, with rows the SDK refuses before sending
 * and rows the server refuses. Exactly the valid rows are stored, once; every invalid row is reported
 * with its input index and reason.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BatchIndicatorRecord } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { batchClient, batchTraffic, countIndicators } from './support.js';

const TOTAL = 60_000;
/** Refused by the SDK: an Address that is not an IP, a rating out of range. */
const LOCAL_BAD = new Map<number, RegExp>([
  [5, /"not-an-ip-5" is not an IPv4 or IPv6 address/],
  [31_337, /rating must be a number from 0 to 5, got 9/],
  [59_999, /"not-an-ip-59999" is not an IPv4 or IPv6 address/],
]);
/** Refused by the server: host names its own rules reject (they start with a hyphen). */
const SERVER_BAD = new Set([12, 25_010, 40_000]);

function* records(): Generator<BatchIndicatorRecord> {
  for (let i = 0; i < TOTAL; i += 1) {
    if (LOCAL_BAD.has(i)) {
      yield i === 31_337
        ? { type: 'Host', summary: `rated${i}.example.com`, rating: 9 }
        : { type: 'Address', summary: `not-an-ip-${i}` };
    } else if (SERVER_BAD.has(i)) yield { type: 'Host', summary: `-bad${i}.example.com` };
    else yield { type: 'Host', summary: `h${i}.batch.example.com`, rating: 2, confidence: 40 };
  }
}

describe('tc.batch: 60,000 indicators', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('stores exactly the valid rows, once, and reports each invalid row with its index and reason', async () => {
    const tc = batchClient(sandbox);
    const before = await countIndicators(sandbox, 'hosts', 'Example Org');
    const jobsSeen: number[] = [];
    const result = await tc.batch('Example Org', records(), {
      onProgress: (event) => {
        if (event.phase === 'done') jobsSeen.push(event.jobIndex);
      },
    });
    await tc.close();
    const valid = TOTAL - LOCAL_BAD.size - SERVER_BAD.size;

    assert.ok(result.jobs.length >= 3, `${result.jobs.length} jobs`);
    assert.deepEqual(
      jobsSeen,
      result.jobs.map((_, i) => i),
    );
    for (const job of result.jobs) {
      assert.equal(job.status, 'Completed');
      assert.ok(job.successCount + job.errorCount <= 25_000);
    }
    assert.equal(result.succeeded, valid);
    assert.equal(result.failed, LOCAL_BAD.size + SERVER_BAD.size);
    assert.equal(result.unprocessed, 0);
    assert.equal(await countIndicators(sandbox, 'hosts', 'Example Org'), before + valid);

    const byIndex = new Map(result.errors.map((e) => [e.index, e]));
    assert.deepEqual(
      [...byIndex.keys()].sort((a, b) => a - b),
      [...LOCAL_BAD.keys(), ...SERVER_BAD].sort((a, b) => a - b),
    );
    for (const [index, reason] of LOCAL_BAD) {
      const error = byIndex.get(index);
      assert.equal(error?.code, 'TC_VALIDATION');
      assert.match(error.reason, reason);
    }
    for (const index of SERVER_BAD) {
      const error = byIndex.get(index);
      assert.equal(error?.code, '0x1001');
      assert.match(error.reason, new RegExp(`Please enter a valid Host: -bad${index}\\.example\\.com`));
      assert.deepEqual(error.record, { type: 'Host', summary: `-bad${index}.example.com` });
    }

    // Each job was created and uploaded once.
    const traffic = await batchTraffic(sandbox);
    assert.equal(traffic.creates, result.jobs.length);
    assert.equal(new Set(traffic.uploads).size, traffic.uploads.length);
    assert.equal(traffic.uploads.length, result.jobs.length);
  });
});
