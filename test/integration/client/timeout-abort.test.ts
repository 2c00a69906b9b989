/**
 * The per-attempt idle timeout (decisions.md 1.2: connect plus idle, not a total deadline) and
 * cancellation with an AbortSignal, against the sandbox's stall and latency faults.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AbortError,
  type ClientOptions,
  RequestObject,
  RetryExhaustedError,
  type ThreatConnect,
  TimeoutError,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import {
  recordingClock,
  rejection,
  request,
  requestLog,
  resetSandbox,
  setFaults,
  setRules,
  waitForLog,
} from './support.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timeouts and cancellation against the sandbox', () => {
  let sandbox: Sandbox;
  const clients: ThreatConnect[] = [];
  const make = (options: Partial<ClientOptions> = {}) => {
    const tc = clientFor(sandbox, options);
    clients.push(tc);
    return tc;
  };

  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await Promise.all(clients.map((tc) => tc.close()));
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  describe('idle timeout', () => {
    it('a POST whose answer stalls past the timeout: TimeoutError (idle), not retried', async () => {
      await setRules(sandbox, { kind: 'stall', ms: 600 });
      const clock = recordingClock();
      const tc = make({ apiRetries: 3, clock });
      tc.setApiRequestTimeout(0.2);
      const started = Date.now();
      const error = await rejection(() =>
        tc.apiRequest(
          request('POST', '/v2/groups/incidents', {
            body: { name: 'stalled incident', eventDate: '2024-01-01T00:00:00Z' },
          }),
        ),
      );
      const elapsed = Date.now() - started;
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.phase, 'idle');
      assert.equal(error.timeoutMs, 200);
      assert.equal(error.code, 'TC_TIMEOUT');
      assert.equal(error.message, 'No data from the server for 200 ms');
      assert.ok(elapsed >= 190 && elapsed < 550, `gave up after ${elapsed} ms`);
      assert.deepEqual(clock.sleeps, [], 'no retry wait');
      const log = await waitForLog(sandbox, 1);
      assert.deepEqual(
        log.map((e) => [e.method, e.fault]),
        [['POST', 'stall']],
      );
    });

    it('a GET that stalls on every attempt: RetryExhaustedError whose cause is a TimeoutError', async () => {
      await setRules(sandbox, { kind: 'stall', ms: 600 });
      const clock = recordingClock();
      const tc = make({ apiRetries: 1, apiRequestTimeout: 0.2, clock });
      const started = Date.now();
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners')));
      const elapsed = Date.now() - started;
      assert.ok(error instanceof RetryExhaustedError, String(error));
      assert.equal(error.attempts.length, 2);
      assert.deepEqual(
        error.attempts.map((a) => a.error?.name),
        ['TimeoutError', 'TimeoutError'],
      );
      assert.ok(error.cause instanceof TimeoutError);
      assert.equal(error.cause.phase, 'idle');
      assert.equal(clock.sleeps.length, 1);
      assert.ok(elapsed >= 380 && elapsed < 1100, `gave up after ${elapsed} ms`);
      assert.equal((await waitForLog(sandbox, 2)).length, 2);
    });

    it('latency under the timeout is waited for', async () => {
      await setFaults(sandbox, { latencyMs: 150 });
      const tc = make({ apiRetries: 0, apiRequestTimeout: 0.2 });
      const started = Date.now();
      const response = await tc.apiRequest(request('GET', '/v2/owners'));
      assert.equal(response.status, 200);
      assert.ok(Date.now() - started >= 150);
    });

    it('is not a total deadline: a streamed download that keeps flowing outlasts it, byte-exact', async () => {
      const tc = make({ apiRetries: 0 });
      const content = randomBytes(1024 * 1024);
      const created = await tc.apiRequest(
        request('POST', '/v2/groups/documents', { body: { name: 'slow reader', fileName: 'slow.bin' } }),
        { throwOnError: true },
      );
      const id = created.json<{ data: { document: { id: number } } }>().data.document.id;
      const upload = new RequestObject()
        .setHttpMethod('POST')
        .setRequestUri(`/v2/groups/documents/${id}/upload`)
        .setContentType('application/octet-stream')
        .setBody(content);
      assert.equal((await tc.apiRequest(upload, { throwOnError: true })).status, 201);

      tc.setApiRequestTimeout(0.05);
      const started = Date.now();
      const response = await tc.apiRequest(request('GET', `/v2/groups/documents/${id}/download`), {
        stream: true,
      });
      // Start reading late (the stream must not have lost what arrived meanwhile), then read with
      // pauses: the whole read takes longer than the timeout, and nothing cuts it.
      await pause(30);
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        if (chunks.length <= 4) await pause(15);
      }
      const elapsed = Date.now() - started;
      const received = Buffer.concat(chunks);
      assert.equal(received.length, content.length);
      assert.equal(sha256(received), sha256(content));
      assert.ok(elapsed >= 90, `the download took ${elapsed} ms, more than the 50 ms timeout`);
    });
  });

  describe('AbortSignal', () => {
    it('aborting mid-request: AbortError with the reason as cause, and no retry', async () => {
      await setRules(sandbox, { kind: 'stall', ms: 400 });
      const clock = recordingClock();
      const tc = make({ apiRetries: 3, clock });
      const controller = new AbortController();
      const reason = new Error('the user cancelled');
      setTimeout(() => {
        controller.abort(reason);
      }, 50);
      const started = Date.now();
      const error = await rejection(() =>
        tc.apiRequest(request('GET', '/v2/owners'), { signal: controller.signal }),
      );
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.code, 'TC_ABORT');
      assert.equal(error.message, 'The operation was aborted: the user cancelled');
      assert.equal(error.cause, reason);
      assert.ok(Date.now() - started < 350, 'aborted before the stall ended');
      assert.deepEqual(clock.sleeps, []);
      // The sandbox logs the request once its stall is over: one request, never a second.
      assert.deepEqual(
        (await waitForLog(sandbox, 1)).map((e) => e.fault),
        ['stall'],
      );
    });

    it('aborting during a retry wait (real clock, apiSleep 5 s): AbortError at once', async () => {
      await setRules(sandbox, { kind: 'status', status: 503 });
      const tc = make({ apiRetries: 3, apiSleep: 5 });
      const controller = new AbortController();
      setTimeout(() => {
        controller.abort();
      }, 50);
      const started = Date.now();
      const error = await rejection(() =>
        tc.apiRequest(request('GET', '/v2/owners'), { signal: controller.signal }),
      );
      const elapsed = Date.now() - started;
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.message, 'The operation was aborted');
      assert.ok(elapsed < 1000, `aborted after ${elapsed} ms`);
      assert.deepEqual(
        (await requestLog(sandbox)).map((e) => e.status),
        [503],
      );
    });

    it('an already-aborted signal: AbortError and no request sent', async () => {
      const tc = make();
      const signal = AbortSignal.abort();
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners'), { signal }));
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.message, 'The operation was aborted');
      const pages = await rejection(async () => {
        for await (const page of tc.apiRequestPages(request('GET', '/v2/owners'), { signal })) {
          assert.fail(`no page expected, got ${page.resultStart}`);
        }
      });
      assert.ok(pages instanceof AbortError, String(pages));
      assert.deepEqual(await requestLog(sandbox), []);
    });
  });
});
