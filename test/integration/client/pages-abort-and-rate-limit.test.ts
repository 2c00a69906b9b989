/**
 * The retrieval engine against the sandbox:
 * - a caller's signal that fires between pages must not start (and report) a window that is never sent;
 * - a Retry-After above 300 s on a later window: decisions.md 1.4 says retrieval throws RateLimitError.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RateLimitError, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { rejection, request, requestLog, resetSandbox, setRules } from './support.js';

const OWNER = 'Example Community';
const LIMIT = 10;

describe('retrieval engine: aborts between pages, a long Retry-After (apiRequestPages, retrieve)', () => {
  let sandbox: Sandbox;
  const clients: ThreatConnect[] = [];
  const make = (options: Parameters<typeof clientFor>[1] = {}) => {
    const tc = clientFor(sandbox, { apiResultLimit: LIMIT, apiRetries: 2, ...options });
    clients.push(tc);
    return tc;
  };
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 300 });
  });
  after(async () => {
    await Promise.all(clients.map((tc) => tc.close()));
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('an abort between pages reports no call that was never sent', async () => {
    const tc = make({ concurrency: 2 });
    tc.reportEnable();
    const controller = new AbortController();
    const pages = tc.apiRequestPages(request('GET', '/v2/indicators', { owner: OWNER }), {
      signal: controller.signal,
    });
    const iterator = pages[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    // The caller works on page 0 until the two windows started with it have come back.
    for (let i = 0; i < 3000 && tc.report.entries.length < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(tc.report.entries.length, 3);
    controller.abort(new Error('stop'));
    await assert.rejects(iterator.next(), (error: Error) => error.name === 'AbortError');
    const sent = (await requestLog(sandbox)).filter((e) => e.target.includes('/v2/indicators')).length;
    const entries = tc.report.entries.filter((e) => e.kind === 'request');
    assert.deepEqual(
      entries.filter((e) => e.attempts.length === 0).map((e) => e.url),
      [],
      'a report entry without any attempt: a window started after the abort',
    );
    assert.equal(tc.report.apiFilters, sent, 'API Filters counts the page requests made');
    assert.equal(tc.report.failures.length, 0);
  });

  it('a Retry-After above 300 s on a later window: retrieve() throws RateLimitError (decisions.md 1.4)', async () => {
    // The second request (concurrency 1: the window at resultStart=LIMIT) gets a 429 with Retry-After 301.
    await setRules(sandbox, {
      kind: 'status',
      status: 429,
      retryAfter: 301,
      every: 2,
      pathPrefix: '/v2/indicators',
    });
    const tc = make({ concurrency: 1 });
    const container = tc.indicators();
    container.addFilter().addOwner(OWNER);
    const error = await rejection(() => container.retrieve());
    assert.ok(error instanceof RateLimitError, `${(error as Error).name}: ${(error as Error).message}`);
    assert.equal(error.retryAfterMs, 301_000);
  });
});
