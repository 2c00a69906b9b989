/**
 * A running batch job's poll is the bare `{"status":"Running"}` (rest-api-v2.md 3.1: "No envelope: …
 * batch upload/'Running' poll"; 11.2 step 3: "While running: {status:"Running"}"); the other states keep
 * the envelope with the counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { call, withSandbox } from '../../helpers/sandbox.js';

/** Enough records for 20 chunks of 500, between which the job is running and the server answers. */
const RECORDS = 10_000;

describe('sandbox: polling a running batch job', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('answers {"status":"Running"} without envelope or counts while running, with or without includeAdditional', async () => {
    const created = await call(sandbox, 'POST', '/v2/batch', {
      body: JSON.stringify({
        version: 'V2',
        owner: 'Example Org',
        haltOnError: false,
        action: 'Create',
        attributeWriteType: 'Replace',
      }),
    });
    assert.equal(created.status, 201, created.text);
    const id = (created.json() as { data: { batchId: number } }).data.batchId;
    const indicator = Array.from({ length: RECORDS }, (_, i) => ({
      type: 'Host',
      summary: `r${i}.running.example.com`,
    }));
    const upload = await call(sandbox, 'POST', `/v2/batch/${id}`, {
      body: Buffer.from(JSON.stringify({ indicator })),
      contentType: 'application/octet-stream',
    });
    assert.equal(upload.status, 202, upload.text);

    const seen = new Set<string>();
    const running = { plain: 0, additional: 0 };
    for (let i = 0; i < 100_000; i += 1) {
      const additional = i % 2 === 1;
      const r = await call(sandbox, 'GET', `/v2/batch/${id}${additional ? '?includeAdditional=true' : ''}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['content-type'], 'application/json');
      const body = r.json() as { status: string; data?: { batchStatus: { status: string } } };
      if (body.data === undefined) {
        assert.equal(r.text, '{"status":"Running"}');
        running[additional ? 'additional' : 'plain'] += 1;
        seen.add('Running');
        continue;
      }
      assert.equal(body.status, 'Success');
      assert.notEqual(body.data.batchStatus.status, 'Running', r.text);
      seen.add(body.data.batchStatus.status);
      if (body.data.batchStatus.status === 'Completed') break;
    }
    assert.ok(running.plain > 0 && running.additional > 0, JSON.stringify(running));
    assert.ok(seen.has('Completed'), [...seen].join(' '));
    const done = await call(sandbox, 'GET', `/v2/batch/${id}`);
    assert.deepEqual(done.json(), {
      status: 'Success',
      data: {
        batchStatus: { id, status: 'Completed', errorCount: 0, successCount: RECORDS, unprocessCount: 0 },
      },
    });
  });
});
