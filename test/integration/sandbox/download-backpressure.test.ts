/**
 * A large download read slowly waits for 'drain' once per chunk; each wait must leave no listener
 * behind (issue 7 §3: a 50 MB download used to raise MaxListenersExceededWarning, one 'close' and one
 * 'error' listener per wait).
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call, signHeaders } from '../../helpers/signer.js';

const SIZE = 60 * 1024 * 1024;
const EVENTS = ['close', 'error', 'drain', 'finish'] as const;

/** The listener counts of each server response as it finishes, by request target. */
function watchResponses(): { counts: Map<string, Record<string, number>>; stop: () => void } {
  const counts = new Map<string, Record<string, number>>();
  const onFinish = (message: unknown): void => {
    const { request, response } = message as { request: http.IncomingMessage; response: http.ServerResponse };
    counts.set(
      request.url ?? '',
      Object.fromEntries(EVENTS.map((event) => [event, response.listenerCount(event)])),
    );
  };
  diagnostics.subscribe('http.server.response.finish', onFinish);
  return { counts, stop: () => diagnostics.unsubscribe('http.server.response.finish', onFinish) };
}

describe('a slow download leaves no listeners behind', () => {
  let sandbox: Sandbox;
  let documentId = 0;
  before(async () => {
    sandbox = await withSandbox();
    const created = await call(sandbox, 'POST', '/v2/groups/documents?owner=Example%20Community', {
      body: JSON.stringify({ name: 'Large', fileName: 'large.bin' }),
    });
    assert.equal(created.status, 201, created.text);
    documentId = (created.json() as { data: { document: { id: number } } }).data.document.id;
    const content = Buffer.alloc(SIZE);
    for (let i = 0; i < SIZE; i += 4096) content[i] = (i >> 12) & 0xff;
    const upload = await call(sandbox, 'POST', `/v2/groups/documents/${documentId}/upload`, {
      body: content,
      contentType: 'application/octet-stream',
    });
    assert.equal(upload.status, 201, upload.text);
  });
  after(async () => {
    await sandbox.close();
  });

  it('streams 60 MB to a reader that keeps pausing, without MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const responses = watchResponses();
    try {
      // A download that never waits: its listener counts are the baseline.
      const small = await call(sandbox, 'GET', '/v2/groups/documents/19/download');
      assert.equal(small.status, 200);
      const base = new URL(sandbox.baseUrl);
      const wirePath = `${base.pathname}/v2/groups/documents/${documentId}/download`;
      const headers = signHeaders(
        sandbox.accessId,
        sandbox.secretKey,
        'GET',
        wirePath,
        Math.floor(Date.now() / 1000),
      );
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.get(
          { host: base.hostname, port: base.port, path: wirePath, headers, agent: false },
          resolve,
        );
        req.on('error', reject);
      });
      assert.equal(res.statusCode, 200);
      let received = 0;
      let sinceRest = 0;
      let rests = 0;
      let checksum = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        for (let i = (4096 - (received % 4096)) % 4096; i < chunk.length; i += 4096)
          checksum += chunk[i] ?? 0;
        received += chunk.length;
        sinceRest += chunk.length;
        // Stop reading for a moment every 2 MiB, so that the server's writes back up.
        if (sinceRest >= 2 * 1024 * 1024) {
          sinceRest = 0;
          rests += 1;
          await delay(10);
        }
      }
      assert.equal(received, SIZE);
      let expected = 0;
      for (let i = 0; i < SIZE; i += 4096) expected += (i >> 12) & 0xff;
      assert.equal(checksum, expected);
      assert.ok(rests >= 20, `the reader rested ${rests} times`);
      // A warning is emitted on the next tick.
      await delay(50);
      const leaks = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
      assert.deepEqual(
        leaks.map((w) => w.message),
        [],
      );
      const baseline = responses.counts.get('/api/v2/groups/documents/19/download');
      const large = responses.counts.get(wirePath);
      assert.ok(baseline && large, 'both responses were seen finishing');
      assert.deepEqual(large, baseline);
    } finally {
      responses.stop();
      process.off('warning', onWarning);
    }
  });
});
