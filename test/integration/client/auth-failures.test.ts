/**
 * Review of the auth step inside the retry loop:
 * - a 401 to a streamed request is the call's answer (HMAC, or a token already renewed): it resolves
 *   with that 401 and its body, and a 401 cured by a renewal frees the body it discards without an
 *   uncaught error;
 * - a token renewal due before the request that fails is not an attempt of the call: nothing was
 *   sent, so the call is not retried around it (which multiplied the renewal's own tries), and its
 *   error is thrown as it is (docs/decisions.md, Client core 13 and 23).
 */
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { ConnectionError, type ClientOptions, ThreatConnect } from '../../../src/index.js';
import { call } from '../../helpers/signer.js';
import {
  logSummary,
  admin,
  recordingClock,
  rejection,
  request,
  requestLog,
  setRules,
  setServerClock,
  useSandboxClient,
} from './support.js';

const TTL_SECONDS = 120;
const summary = logSummary;

/** Collects the uncaught exceptions raised while `fn` runs (and a moment after, for late stream errors). */
async function uncaughtDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (error: unknown): void => {
    seen.push(error);
  };
  process.on('uncaughtException', listener);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('uncaughtException', listener);
  }
  return seen;
}

describe('review: auth failures inside the retry loop', () => {
  const fx = useSandboxClient({ sandbox: { tokenTtlSeconds: TTL_SECONDS }, resetEach: true });

  const tokenClient = (options: Partial<ClientOptions>) =>
    fx.track(
      new ThreatConnect({
        defaultOrg: fx.sandbox.defaultOrg,
        baseUrl: fx.sandbox.baseUrl,
        apiSleep: 0.005,
        consoleLevel: 'off',
        ...options,
      }),
    );

  /** A token of its own: renewals issue new tokens and leave the old ones valid. */
  const freshToken = async (): Promise<string> => {
    const target = `/appAuth?expiredToken=${encodeURIComponent(fx.sandbox.apiToken)}`;
    const r = await call(fx.sandbox, 'GET', target, { unsigned: true });
    assert.equal(r.status, 200, r.text);
    assert.equal((await admin(fx.sandbox, 'DELETE', 'requests')).status, 200);
    return (r.json() as { apiToken: string }).apiToken;
  };

  it('HMAC, streamed: a 401 resolves with the 401 and its body, readable by the caller', async () => {
    await setRules(fx.sandbox, { kind: 'status', status: 401 });
    const tc = fx.client({ apiRetries: 2, consoleLevel: 'off' });
    const response = await tc.apiRequest(request('GET', '/v2/owners/mine'), { stream: true });
    assert.equal(response.status, 401);
    assert.equal(response.attempts, 1);
    assert.deepEqual(response.json(), { status: 'Failure', message: 'Injected fault 401' });
  });

  it('token, streamed: a 401 on the renewed token resolves with that 401; nothing is left uncaught', async () => {
    const apiToken = await freshToken();
    await setRules(fx.sandbox, { kind: 'status', status: 401, pathPrefix: '/v2' });
    const tc = tokenClient({ apiToken });
    let status = 0;
    const uncaught = await uncaughtDuring(async () => {
      const response = await tc.apiRequest(request('GET', '/v2/owners/mine'), { stream: true });
      status = response.status;
      assert.deepEqual(response.json(), { status: 'Failure', message: 'Injected fault 401' });
    });
    assert.deepEqual(uncaught, []);
    assert.equal(status, 401);
    assert.deepEqual(summary(await requestLog(fx.sandbox)), [
      ['GET', '/api/v2/owners/mine', 401],
      ['GET', '/api/appAuth', 200],
      ['GET', '/api/v2/owners/mine', 401],
    ]);
  });

  it('token, streamed: the 401 discarded for a renewal raises no uncaught error; the re-sent answer streams', async () => {
    const tc = tokenClient({ apiToken: await freshToken() });
    await setServerClock(fx.sandbox, TTL_SECONDS + 10);
    let body = '';
    const uncaught = await uncaughtDuring(async () => {
      const response = await tc.apiRequest(request('GET', '/v2/owners/mine'), { stream: true });
      assert.equal(response.status, 200);
      body = await text(response.body);
    });
    assert.deepEqual(uncaught, []);
    assert.equal((JSON.parse(body) as { status: string }).status, 'Success');
  });

  for (const method of ['GET', 'POST'] as const) {
    it(`${method}: a renewal due before the request that fails is tried apiRetries + 1 times, then thrown as it is`, async () => {
      const apiToken = await freshToken();
      await setRules(fx.sandbox, { kind: 'reset', pathPrefix: '/appAuth' });
      const clock = recordingClock();
      // 30 s left: inside the 60 s margin, so the token is renewed before the request.
      const apiTokenExpires = Math.floor(clock.now() / 1000) + 30;
      const tc = tokenClient({ apiToken, apiTokenExpires, apiRetries: 2, clock });
      tc.reportEnable();
      const ro =
        method === 'GET'
          ? request('GET', '/v2/owners/mine')
          : request('POST', '/v2/groups/incidents', {
              body: { name: 'renewal review', eventDate: '2024-01-01T00:00:00Z' },
            });
      const error = await rejection(() => tc.apiRequest(ro));
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(error.code, 'TC_CONNECTION');
      const [entry] = tc.report.entries;
      assert.ok(entry?.kind === 'request');
      // The renewal's three tries, and no attempt of the request itself: it was never sent.
      assert.deepEqual(
        entry.attempts.map((a) => [a.purpose, a.status ?? a.error?.code]),
        [
          ['tokenRenewal', 'TC_CONNECTION'],
          ['tokenRenewal', 'TC_CONNECTION'],
          ['tokenRenewal', 'TC_CONNECTION'],
        ],
      );
      assert.deepEqual(summary(await requestLog(fx.sandbox)), [
        ['GET', '/api/appAuth', null],
        ['GET', '/api/appAuth', null],
        ['GET', '/api/appAuth', null],
      ]);
    });
  }
});
