/**
 * API-token authentication against the sandbox (decisions.md 1.2, rest-api-v2.md 2.3): renewal
 * through /appAuth 60 s before a known expiry, one renewal shared by concurrent requests, one
 * renewal on a 401 when the expiry is unknown, and a failed renewal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthenticationError,
  type ClientOptions,
  ConnectionError,
  RateLimitError,
  ServerError,
  ThreatConnect,
} from '../../../src/index.js';
import { startProxy } from '../../helpers/proxy.js';
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
const MINE = '/api/v2/owners/mine';
const APP_AUTH = '/api/appAuth';

describe('token authentication against the sandbox', () => {
  const fx = useSandboxClient({ sandbox: { tokenTtlSeconds: TTL_SECONDS }, resetEach: true });

  /** A token of its own for each test: renewals issue new tokens and leave the old ones valid. */
  const freshToken = async (): Promise<{ apiToken: string; apiTokenExpires: string }> => {
    const r = await call(
      fx.sandbox,
      'GET',
      `/appAuth?expiredToken=${encodeURIComponent(fx.sandbox.apiToken)}`,
      {
        unsigned: true,
      },
    );
    assert.equal(r.status, 200, r.text);
    const body = r.json() as { apiToken: string; apiTokenExpires: string };
    assert.equal((await admin(fx.sandbox, 'DELETE', 'requests')).status, 200);
    return body;
  };

  /** A token client: clientFor() would add the HMAC credentials. */
  const make = (options: Partial<ClientOptions>) =>
    fx.track(
      new ThreatConnect({
        defaultOrg: fx.sandbox.defaultOrg,
        baseUrl: fx.sandbox.baseUrl,
        apiSleep: 0.005,
        ...options,
      }),
    );

  it('a client built with apiToken and apiTokenExpires works, without renewing', async () => {
    const tc = make({ apiToken: fx.sandbox.apiToken, apiTokenExpires: fx.sandbox.apiTokenExpires });
    const response = await tc.apiRequest(request('GET', '/v2/owners/mine'));
    assert.equal(response.status, 200);
    const log = await requestLog(fx.sandbox);
    assert.deepEqual(summary(log), [['GET', MINE, 200]]);
    assert.equal(log[0]?.accessId, fx.sandbox.accessId);
  });

  it('renews through /appAuth before a request made within 60 s of the expiry', async () => {
    const { apiToken, apiTokenExpires } = await freshToken();
    // 70 s on, the token has 50 s left: inside the 60 s margin.
    const clock = recordingClock();
    clock.offsetMs = 70_000;
    const tc = make({ apiToken, apiTokenExpires, clock });
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    const log = await requestLog(fx.sandbox);
    assert.deepEqual(summary(log), [
      ['GET', APP_AUTH, 200],
      ['GET', MINE, 200],
    ]);
    const query = new URLSearchParams(log[0]?.target.split('?')[1]);
    assert.deepEqual([...query.keys()], ['expiredToken']);
    assert.equal(query.get('expiredToken'), apiToken);

    // The renewed token is fresh: the next request does not renew again.
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    assert.deepEqual(summary((await requestLog(fx.sandbox)).slice(2)), [['GET', MINE, 200]]);
  });

  it('concurrent requests near the expiry share one renewal', async () => {
    const { apiToken, apiTokenExpires } = await freshToken();
    const clock = recordingClock();
    clock.offsetMs = 70_000;
    const tc = make({ apiToken, apiTokenExpires, clock });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => tc.apiRequest(request('GET', '/v2/owners/mine'))),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    assert.deepEqual(summary(await requestLog(fx.sandbox)), [
      ['GET', APP_AUTH, 200],
      ...Array.from({ length: 5 }, () => ['GET', MINE, 200]),
    ]);
  });

  it('with an unknown expiry, an expired token is renewed once on the 401 and the request succeeds', async () => {
    const { apiToken } = await freshToken();
    const tc = make({ apiToken });
    await setServerClock(fx.sandbox, TTL_SECONDS + 10);
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    assert.deepEqual(summary(await requestLog(fx.sandbox)), [
      ['GET', MINE, 401],
      ['GET', APP_AUTH, 200],
      ['GET', MINE, 200],
    ]);
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    assert.equal((await requestLog(fx.sandbox)).length, 4, 'no second renewal');
  });

  it('a 401 on the renewed token is final: one renewal, no loop', async () => {
    const { apiToken } = await freshToken();
    await setRules(fx.sandbox, { kind: 'status', status: 401, pathPrefix: '/v2/owners' });
    const tc = make({ apiToken });
    const response = await tc.apiRequest(request('GET', '/v2/owners/mine'));
    assert.equal(response.status, 401);
    assert.deepEqual(summary(await requestLog(fx.sandbox)), [
      ['GET', MINE, 401],
      ['GET', APP_AUTH, 200],
      ['GET', MINE, 401],
    ]);
  });

  describe('a failed renewal', () => {
    const message = 'Could not refresh ThreatConnect Token (Unauthorized).';

    it('on a 401 with an unknown token: AuthenticationError', async () => {
      // consoleLevel off: the failed renewal is logged at critical, which the console shows by default.
      const tc = make({ apiToken: 'APIV2:1:unknown:0:not-a-token', consoleLevel: 'off' });
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners/mine')));
      assert.ok(error instanceof AuthenticationError, String(error));
      assert.equal(error.message, message);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'TC_AUTH');
      assert.equal(error.request?.url, `${fx.sandbox.baseUrl}/appAuth?expiredToken=[REDACTED]`);
      assert.deepEqual(summary(await requestLog(fx.sandbox)), [
        ['GET', MINE, 401],
        ['GET', APP_AUTH, 401],
      ]);
    });

    it('before the request, for a token past its expiry: AuthenticationError, nothing else sent', async () => {
      const tc = make({
        apiToken: 'APIV2:1:unknown:0:not-a-token',
        apiTokenExpires: Math.floor(Date.now() / 1000) - 10,
        consoleLevel: 'off',
      });
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners/mine')));
      assert.ok(error instanceof AuthenticationError, String(error));
      assert.equal(error.message, message);
      assert.deepEqual(summary(await requestLog(fx.sandbox)), [['GET', APP_AUTH, 401]]);
    });
  });

  describe('renewals are attempts of the call that caused them', () => {
    const purposes = (attempts: readonly { status: number | null; purpose: string }[]) =>
      attempts.map((a) => [a.purpose, a.status]);

    it('a 401, the renewal and the re-sent request: three attempts in the response, entry and toJSON()', async () => {
      const { apiToken } = await freshToken();
      const tc = make({ apiToken });
      tc.reportEnable();
      await setServerClock(fx.sandbox, TTL_SECONDS + 10);
      const response = await tc.apiRequest(request('GET', '/v2/owners/mine'));
      assert.equal(response.status, 200);
      assert.equal(response.attempts, 3);
      const [entry] = tc.report.entries;
      assert.ok(entry?.kind === 'request');
      assert.deepEqual(
        entry.attempts.map((a) => [a.attempt, a.purpose, a.status]),
        [
          [1, 'request', 401],
          [2, 'tokenRenewal', 200],
          [3, 'request', 200],
        ],
      );
      const json = tc.report.toJSON() as {
        attempts: number;
        entries: { attempts: { status: number | null; purpose: string }[] }[];
      };
      assert.equal(json.attempts, 3);
      assert.deepEqual(purposes(json.entries[0]?.attempts ?? []), [
        ['request', 401],
        ['tokenRenewal', 200],
        ['request', 200],
      ]);
    });

    it('a renewal before the request (near the expiry) is the first attempt of the call', async () => {
      const { apiToken, apiTokenExpires } = await freshToken();
      const clock = recordingClock();
      clock.offsetMs = 70_000;
      const tc = make({ apiToken, apiTokenExpires, clock });
      tc.reportEnable();
      const response = await tc.apiRequest(request('GET', '/v2/owners/mine'));
      assert.equal(response.attempts, 2);
      const [entry] = tc.report.entries;
      assert.ok(entry?.kind === 'request');
      assert.deepEqual(
        entry.attempts.map((a) => [a.purpose, a.status]),
        [
          ['tokenRenewal', 200],
          ['request', 200],
        ],
      );
    });

    it('a renewal that gets a reset is retried like a GET, and each try is recorded', async () => {
      // every 2: freshToken()'s own /appAuth passes, the client's first try is reset, its retry passes.
      await setRules(fx.sandbox, { kind: 'reset', pathPrefix: '/appAuth', every: 2 });
      const { apiToken } = await freshToken();
      const clock = recordingClock();
      const tc = make({ apiToken, clock, apiRetries: 2 });
      tc.reportEnable();
      await setServerClock(fx.sandbox, TTL_SECONDS + 10);
      const response = await tc.apiRequest(request('GET', '/v2/owners/mine'));
      assert.equal(response.status, 200);
      assert.equal(response.attempts, 4);
      const [entry] = tc.report.entries;
      assert.ok(entry?.kind === 'request');
      assert.deepEqual(
        entry.attempts.map((a) => [a.purpose, a.status ?? a.error?.code]),
        [
          ['request', 401],
          ['tokenRenewal', 'TC_CONNECTION'],
          ['tokenRenewal', 200],
          ['request', 200],
        ],
      );
      assert.equal(clock.sleeps.length, 1, 'one wait, with the client clock, before the renewal retry');
    });

    it('a renewal answered 503 on every try is a ServerError, not an AuthenticationError', async () => {
      const { apiToken } = await freshToken();
      await setRules(fx.sandbox, { kind: 'status', status: 503, pathPrefix: '/appAuth' });
      const tc = make({ apiToken, clock: recordingClock(), apiRetries: 1, consoleLevel: 'off' });
      await setServerClock(fx.sandbox, TTL_SECONDS + 10);
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners/mine')));
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.code, 'TC_SERVER');
      assert.equal(error.status, 503);
      assert.equal(error.message, 'Could not refresh ThreatConnect Token (Injected fault 503).');
      assert.equal(error.request?.url, `${fx.sandbox.baseUrl}/appAuth?expiredToken=[REDACTED]`);
      assert.deepEqual(summary(await requestLog(fx.sandbox)), [
        ['GET', MINE, 401],
        ['GET', APP_AUTH, 503],
        ['GET', APP_AUTH, 503],
      ]);
    });

    it("a renewal refused with a 429 is a RateLimitError carrying the server's Retry-After", async () => {
      const { apiToken } = await freshToken();
      // 1,000 s: longer than the client waits, so the renewal is not retried.
      await setRules(fx.sandbox, { kind: 'status', status: 429, retryAfter: 1000, pathPrefix: '/appAuth' });
      const tc = make({ apiToken, clock: recordingClock(), apiRetries: 1, consoleLevel: 'off' });
      await setServerClock(fx.sandbox, TTL_SECONDS + 10);
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners/mine')));
      assert.ok(error instanceof RateLimitError, String(error));
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterMs, 1_000_000);
      assert.match(error.message, /^Could not refresh ThreatConnect Token \(/);
    });

    it('a renewal reset on every try fails the call with the connection error after the retries', async () => {
      const { apiToken } = await freshToken();
      await setRules(fx.sandbox, { kind: 'reset', pathPrefix: '/appAuth' });
      const tc = make({ apiToken, clock: recordingClock(), apiRetries: 2, consoleLevel: 'off' });
      tc.reportEnable();
      await setServerClock(fx.sandbox, TTL_SECONDS + 10);
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners/mine')));
      assert.ok(error instanceof ConnectionError, String(error));
      const [entry] = tc.report.entries;
      assert.ok(entry?.kind === 'request');
      assert.deepEqual(
        entry.attempts.map((a) => [a.purpose, a.status ?? a.error?.code]),
        [
          ['request', 401],
          ['tokenRenewal', 'TC_CONNECTION'],
          ['tokenRenewal', 'TC_CONNECTION'],
          ['tokenRenewal', 'TC_CONNECTION'],
        ],
      );
      assert.deepEqual(summary(await requestLog(fx.sandbox)), [
        ['GET', MINE, 401],
        ['GET', APP_AUTH, null],
        ['GET', APP_AUTH, null],
        ['GET', APP_AUTH, null],
      ]);
    });

    it('/appAuth goes through the client transport: its proxy carries the renewal too', async () => {
      const proxy = await startProxy();
      try {
        const { apiToken } = await freshToken();
        const tc = make({ apiToken, proxy: { host: proxy.host, port: proxy.port } });
        await setServerClock(fx.sandbox, TTL_SECONDS + 10);
        assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
        assert.deepEqual(summary(await requestLog(fx.sandbox)), [
          ['GET', MINE, 401],
          ['GET', APP_AUTH, 200],
          ['GET', MINE, 200],
        ]);
        // Plain HTTP through the proxy is tunnelled (CONNECT), so the proxy sees the sandbox's address.
        const sandboxHost = new URL(fx.sandbox.baseUrl).host;
        assert.ok(proxy.log.length >= 1);
        assert.ok(proxy.log.every((r) => r.method === 'CONNECT' && r.target === sandboxHost));
      } finally {
        await proxy.close();
      }
    });
  });
});
