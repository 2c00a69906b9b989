/**
 * `tc.batch()` against a job that answers its polls with the bare `{"status":"Running"}` while it runs
 * (rest-api-v2.md 3.1 and 11.2 step 3): the poller takes it, reports the status by name and no count it
 * was not given, and reads the counts from the completed job's envelope.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BatchIndicatorRecord, BatchProgress } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { batchClient, batchTraffic } from './support.js';

/** 20 chunks of 500: the job answers Running between them, and the client polls without waiting. */
const RECORDS = 10_000;

function* hosts(): Generator<BatchIndicatorRecord> {
  for (let i = 0; i < RECORDS; i += 1) yield { type: 'Host', summary: `p${i}.poll.example.com` };
}

describe('tc.batch: polls of a running job', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('reports Running as a status event with the counts of completed jobs only, then the final counts', async () => {
    const tc = batchClient(sandbox);
    const events: BatchProgress[] = [];
    const result = await tc.batch('Example Org', hosts(), {
      onProgress: (event) => {
        events.push(event);
      },
    });
    await tc.close();

    const running = events.filter((e) => e.phase === 'status' && e.status === 'Running');
    assert.ok(running.length > 0, events.map((e) => `${e.phase}:${e.status ?? ''}`).join(' '));
    // Nothing was counted before the job completed: a bare Running answer carries no count.
    for (const event of running) {
      assert.deepEqual(
        { succeeded: event.succeeded, failed: event.failed, unprocessed: event.unprocessed },
        { succeeded: 0, failed: 0, unprocessed: 0 },
      );
    }
    const last = events.at(-1);
    assert.equal(last?.phase, 'done');
    assert.equal(last.status, 'Completed');
    assert.equal(last.succeeded, RECORDS);
    assert.equal(result.jobs.length, 1);
    assert.deepEqual(result.jobs[0], {
      batchId: result.jobs[0]?.batchId,
      status: 'Completed',
      successCount: RECORDS,
      errorCount: 0,
      unprocessCount: 0,
    });
    assert.deepEqual(
      { succeeded: result.succeeded, failed: result.failed, unprocessed: result.unprocessed },
      { succeeded: RECORDS, failed: 0, unprocessed: 0 },
    );
    const traffic = await batchTraffic(sandbox);
    assert.ok(traffic.polls > running.length, `${traffic.polls} polls`);
  });
});
