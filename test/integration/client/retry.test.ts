/**
 * The retry table and waits of decisions.md 1.6, end to end against the sandbox's fault injection:
 * each trigger and non-trigger for GET/DELETE and POST/PUT, Retry-After, the exact backoff, the
 * retry budget, what apiRequest gives when retries run out (decisions.md 1.4), the attempts in the
 * report, and no duplicate POST under faults.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ApiResponse,
  type ClientOptions,
  ConnectionError,
  RateLimitError,
  RetryExhaustedError,
  ServerError,
} from '../../../src/index.js';
import { call } from '../../helpers/signer.js';
import {
  type RecordingClockOptions,
  clearFaults,
  closedPort,
  recordingClock,
  rejection,
  request,
  requestLog,
  setRules,
  useSandboxClient,
} from './support.js';

type Method = 'GET' | 'DELETE' | 'POST' | 'PUT';

/** The tag the DELETE requests remove from incident 804; re-added between attempts where needed. */
const TAG = 'retry-test-tag';
const TAG_PATH = `/v2/groups/incidents/804/tags/${TAG}`;

/** One request per method, on endpoints where the sandbox would answer 2xx without a fault. */
const ENDPOINTS: Record<Method, () => ReturnType<typeof request>> = {
  GET: () => request('GET', '/v2/owners'),
  DELETE: () => request('DELETE', TAG_PATH),
  POST: () =>
    request('POST', '/v2/groups/incidents', {
      body: { name: 'retry test incident', eventDate: '2024-01-01T00:00:00Z' },
    }),
  // 804: Example Org's incident (docs/sandbox.md, per-owner groups).
  PUT: () => request('PUT', '/v2/groups/incidents/804', { body: { name: 'renamed by the retry test' } }),
};
const WIRE_PATH: Record<Method, string> = {
  GET: '/api/v2/owners',
  DELETE: `/api${TAG_PATH}`,
  POST: '/api/v2/groups/incidents',
  PUT: '/api/v2/groups/incidents/804',
};

/** [method, status, retried] — decisions.md 1.6. */
const STATUS_TABLE: readonly [Method, number, boolean][] = [
  ['GET', 503, true],
  ['GET', 429, true],
  ['GET', 502, true],
  ['GET', 504, true],
  ['GET', 500, false],
  ['GET', 400, false],
  ['GET', 401, false],
  ['GET', 403, false],
  ['GET', 404, false],
  ['GET', 409, false],
  ['DELETE', 503, true],
  ['DELETE', 429, true],
  ['DELETE', 502, true],
  ['DELETE', 504, true],
  ['DELETE', 500, false],
  ['POST', 503, true],
  ['POST', 429, true],
  ['POST', 502, false],
  ['POST', 504, false],
  ['POST', 500, false],
  ['POST', 400, false],
  ['PUT', 503, true],
  ['PUT', 429, true],
  ['PUT', 502, false],
  ['PUT', 504, false],
  ['PUT', 500, false],
  ['PUT', 404, false],
];

describe('retries against the sandbox (decisions.md 1.6)', () => {
  const fx = useSandboxClient({ resetEach: true });

  /** A client with a recording clock: apiSleep 1 s, jitter draw 0.5, so retry n waits 750 × 2^(n−1) ms. */
  const make = (options: Partial<ClientOptions> = {}, clockOptions: RecordingClockOptions = {}) => {
    const clock = recordingClock(clockOptions);
    const tc = fx.client({ apiSleep: 1, apiRetries: 2, clock, ...options });
    return { tc, clock };
  };

  describe('HTTP statuses', () => {
    for (const [method, status, retried] of STATUS_TABLE) {
      it(`${method} answered ${status} is ${retried ? 'retried' : 'not retried'}`, async () => {
        await setRules(fx.sandbox, { kind: 'status', status });
        const { tc, clock } = make();
        const response = await tc.apiRequest(ENDPOINTS[method]());
        const attempts = retried ? 3 : 1;
        assert.equal(response.status, status);
        assert.equal(response.attempts, attempts);
        assert.deepEqual(response.json(), { status: 'Failure', message: `Injected fault ${status}` });
        assert.deepEqual(clock.sleeps, retried ? [750, 1500] : []);
        const log = await requestLog(fx.sandbox);
        assert.deepEqual(
          log.map((e) => [e.method, e.target.split('?')[0], e.status, e.fault]),
          Array.from({ length: attempts }, () => [method, WIRE_PATH[method], status, 'status']),
        );
      });
    }
  });

  describe('connection failures', () => {
    for (const [kind, errorKind] of [
      ['reset', 'reset'],
      ['truncate', 'early-end'],
    ] as const) {
      for (const method of ['GET', 'DELETE'] as const) {
        it(`${method} with a ${kind} is retried; when every attempt fails: RetryExhaustedError`, async () => {
          // A reset or truncate fires only after the handler succeeded, so a DELETE needs its tag back
          // before every attempt.
          const addTag = async () => {
            if (method === 'DELETE') assert.equal((await call(fx.sandbox, 'POST', TAG_PATH)).status, 201);
          };
          await addTag();
          await setRules(fx.sandbox, { kind, method });
          const { tc, clock } = make({}, { onSleep: addTag });
          const error = await rejection(() => tc.apiRequest(ENDPOINTS[method]()));
          assert.ok(error instanceof RetryExhaustedError, String(error));
          assert.equal(error.code, 'TC_RETRY_EXHAUSTED');
          assert.equal(error.attempts.length, 3);
          assert.deepEqual(
            error.attempts.map((a) => [a.attempt, a.delayMs, a.status, a.error?.name]),
            [
              [1, 0, undefined, 'ConnectionError'],
              [2, 750, undefined, 'ConnectionError'],
              [3, 1500, undefined, 'ConnectionError'],
            ],
          );
          assert.ok(error.cause instanceof ConnectionError);
          assert.equal(error.cause.kind, errorKind);
          assert.equal(error.message, `The request failed after 3 attempts: ${error.cause.message}`);
          assert.deepEqual(clock.sleeps, [750, 1500]);
          const log = (await requestLog(fx.sandbox)).filter((e) => e.method === method);
          assert.deepEqual(
            log.map((e) => [e.method, e.status, e.fault]),
            [
              [method, null, kind],
              [method, null, kind],
              [method, null, kind],
            ],
          );
        });
      }
      for (const method of ['POST', 'PUT'] as const) {
        it(`${method} with a ${kind} is not retried: the ConnectionError itself`, async () => {
          await setRules(fx.sandbox, { kind });
          const { tc, clock } = make({ apiRetries: 3 });
          const error = await rejection(() => tc.apiRequest(ENDPOINTS[method]()));
          assert.ok(error instanceof ConnectionError, String(error));
          assert.ok(!(error instanceof RetryExhaustedError));
          assert.equal(error.kind, errorKind);
          assert.equal(error.code, 'TC_CONNECTION');
          assert.deepEqual(clock.sleeps, []);
          const log = await requestLog(fx.sandbox);
          assert.deepEqual(
            log.map((e) => [e.method, e.status, e.fault]),
            [[method, null, kind]],
          );
        });
      }
    }

    for (const method of ['GET', 'POST', 'PUT'] as const) {
      it(`${method} to a closed port (connection refused) is retried, then RetryExhaustedError`, async () => {
        const port = await closedPort();
        const { tc, clock } = make({ baseUrl: `http://127.0.0.1:${port}/api` });
        const error = await rejection(() => tc.apiRequest(ENDPOINTS[method]()));
        assert.ok(error instanceof RetryExhaustedError, String(error));
        assert.equal(error.attempts.length, 3);
        assert.ok(error.cause instanceof ConnectionError);
        assert.equal(error.cause.kind, 'refused');
        assert.match(error.cause.message, /^The connection was refused/);
        assert.equal(
          error.request?.url,
          `http://127.0.0.1:${port}${WIRE_PATH[method]}?createActivityLog=false`,
        );
        assert.deepEqual(clock.sleeps, [750, 1500]);
      });
    }

    it('a single attempt that fails with no retry allowed throws the ConnectionError itself', async () => {
      await setRules(fx.sandbox, { kind: 'reset' });
      const { tc, clock } = make({ apiRetries: 0 });
      const error = await rejection(() => tc.apiRequest(ENDPOINTS.GET()));
      assert.ok(error instanceof ConnectionError, String(error));
      assert.ok(!(error instanceof RetryExhaustedError));
      assert.equal(error.kind, 'reset');
      assert.deepEqual(clock.sleeps, []);
      assert.equal((await requestLog(fx.sandbox)).length, 1);
    });
  });

  describe('Retry-After', () => {
    for (const method of ['GET', 'POST'] as const) {
      it(`${method}: a 429 with Retry-After: 1 waits exactly 1000 ms, then succeeds`, async () => {
        await setRules(fx.sandbox, { kind: 'status', status: 429, retryAfter: 1 });
        const { tc, clock } = make({}, { onSleep: () => clearFaults(fx.sandbox) });
        const response = await tc.apiRequest(ENDPOINTS[method]());
        assert.equal(response.status, method === 'GET' ? 200 : 201);
        assert.equal(response.attempts, 2);
        assert.deepEqual(clock.sleeps, [1000]);
        const log = await requestLog(fx.sandbox);
        assert.deepEqual(
          log.map((e) => [e.method, e.status]),
          [
            [method, 429],
            [method, method === 'GET' ? 200 : 201],
          ],
        );
      });
    }

    it('a Retry-After of exactly 300 s is still waited', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 503, retryAfter: 300 });
      const { tc, clock } = make({}, { onSleep: () => clearFaults(fx.sandbox) });
      const response = await tc.apiRequest(ENDPOINTS.GET());
      assert.equal(response.status, 200);
      assert.deepEqual(clock.sleeps, [300_000]);
    });

    it('a Retry-After above 300 s ends the retries: the 429 response, or RateLimitError', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 429, retryAfter: 301 });
      const { tc, clock } = make({ apiRetries: 5 });
      const response = await tc.apiRequest(ENDPOINTS.POST());
      assert.equal(response.status, 429);
      assert.equal(response.headers['retry-after'], '301');
      assert.equal(response.attempts, 1);
      const error = await rejection(() => tc.apiRequest(ENDPOINTS.GET(), { throwOnError: true }));
      assert.ok(error instanceof RateLimitError, String(error));
      assert.equal(error.status, 429);
      assert.equal(error.code, 'TC_RATE_LIMIT');
      assert.equal(error.retryAfterMs, 301_000);
      assert.equal(error.message, 'Injected fault 429');
      assert.deepEqual(clock.sleeps, []);
      assert.equal((await requestLog(fx.sandbox)).length, 2);
    });

    it('a 503 with a Retry-After above 300 s: ServerError with the hint', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 503, retryAfter: 400 });
      const { tc, clock } = make();
      const error = await rejection(() => tc.apiRequest(ENDPOINTS.GET(), { throwOnError: true }));
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.status, 503);
      assert.equal(error.retryAfterMs, 400_000);
      assert.equal(error.message, 'Injected fault 503');
      assert.deepEqual(clock.sleeps, []);
      assert.equal((await requestLog(fx.sandbox)).length, 1);
    });
  });

  describe('backoff and budget', () => {
    for (const [random, waits] of [
      [0.25, [6250, 12_500, 25_000, 50_000, 100_000, 187_500]],
      [0, [5000, 10_000, 20_000, 40_000, 80_000, 150_000]],
    ] as const) {
      it(`waits min(300 s, apiSleep × 2^(n−1)) × (0.5 + random/2) with random ${random}`, async () => {
        await setRules(fx.sandbox, { kind: 'status', status: 503 });
        const { tc, clock } = make({ apiSleep: 10, apiRetries: 6 }, { random });
        tc.reportEnable();
        const response = await tc.apiRequest(ENDPOINTS.GET());
        assert.equal(response.status, 503);
        assert.equal(response.attempts, 7);
        assert.deepEqual(clock.sleeps, waits);
        const [entry] = tc.report.entries;
        assert.ok(entry?.kind === 'request');
        assert.deepEqual(
          entry.attempts.map((a) => a.delayMs),
          [0, ...waits],
        );
        assert.equal((await requestLog(fx.sandbox)).length, 7);
      });
    }

    it('apiRetries 0 makes exactly one attempt', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 503 });
      const { tc, clock } = make({ apiRetries: 0 });
      const response = await tc.apiRequest(ENDPOINTS.POST());
      assert.equal(response.status, 503);
      assert.equal(response.attempts, 1);
      assert.deepEqual(clock.sleeps, []);
      assert.equal((await requestLog(fx.sandbox)).length, 1);
    });

    it('N retries make up to N+1 attempts, and stop at the first success', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 503 });
      const { tc, clock } = make(
        { apiRetries: 4 },
        {
          onSleep: async (_ms, count) => {
            if (count === 2) await clearFaults(fx.sandbox);
          },
        },
      );
      const response = await tc.apiRequest(ENDPOINTS.GET());
      assert.equal(response.status, 200);
      assert.equal(response.attempts, 3);
      assert.deepEqual(clock.sleeps, [750, 1500]);
      assert.deepEqual(
        (await requestLog(fx.sandbox)).map((e) => e.status),
        [503, 503, 200],
      );
    });

    it('exhausted on a status: apiRequest resolves with the last 503; throwOnError gives ServerError', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 503 });
      const { tc } = make({ apiRetries: 3 });
      const response = await tc.apiRequest(ENDPOINTS.GET());
      assert.equal(response.status, 503);
      assert.equal(response.statusCode, 503);
      assert.equal(response.attempts, 4);
      assert.equal((await requestLog(fx.sandbox)).length, 4);

      const error = await rejection(() => tc.apiRequest(ENDPOINTS.GET(), { throwOnError: true }));
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.message, 'Injected fault 503');
      assert.equal(error.status, 503);
      assert.equal(error.code, 'TC_SERVER');
      assert.equal(error.retryAfterMs, undefined);
      assert.equal(error.body, '{"status":"Failure","message":"Injected fault 503"}');
      assert.equal(error.request?.url, `${fx.sandbox.baseUrl}/v2/owners?createActivityLog=false`);
      assert.equal((await requestLog(fx.sandbox)).length, 8);
    });
  });

  describe('the report', () => {
    it('records every attempt of a call in its entry: error, status, delay', async () => {
      await setRules(fx.sandbox, { kind: 'reset' });
      const { tc } = make(
        { apiRetries: 3 },
        {
          onSleep: async (_ms, count) => {
            if (count === 1) await setRules(fx.sandbox, { kind: 'status', status: 503 });
            else await clearFaults(fx.sandbox);
          },
        },
      );
      tc.reportEnable();
      const response = await tc.apiRequest(ENDPOINTS.GET());
      assert.equal(response.status, 200);
      const entries = tc.report.entries;
      assert.equal(entries.length, 1);
      const entry = entries[0];
      assert.ok(entry?.kind === 'request');
      assert.equal(entry.status, 200);
      assert.equal(entry.retries, 2);
      assert.deepEqual(
        entry.attempts.map((a) => [a.attempt, a.delayMs, a.status, a.error?.name, a.error?.code]),
        [
          [1, 0, undefined, 'ConnectionError', 'TC_CONNECTION'],
          [2, 750, 503, undefined, undefined],
          [3, 1500, 200, undefined, undefined],
        ],
      );
      const json = tc.report.toJSON();
      assert.equal(json.attempts, 3);
      assert.equal(json.retries, 2);
    });

    it('a call that ends without an answer has an entry with every attempt and the final error', async () => {
      await setRules(fx.sandbox, { kind: 'reset' });
      const { tc } = make();
      tc.reportEnable();
      await rejection(() => tc.apiRequest(ENDPOINTS.GET()));
      const [entry] = tc.report.entries;
      assert.ok(entry?.kind === 'request');
      assert.equal(entry.status, undefined);
      assert.equal(entry.error?.name, 'RetryExhaustedError');
      assert.deepEqual(
        entry.attempts.map((a) => a.error?.name),
        ['ConnectionError', 'ConnectionError', 'ConnectionError'],
      );
      assert.equal(tc.report.failures.length, 1);
      assert.equal(tc.report.apiCalls, 0);
    });
  });

  it('no duplicate POST under faults: each logical POST creates at most one incident', async () => {
    // Rule 0 answers 503 before the handler (nothing is written) to every third POST; rule 1
    // resets the connection after the handler committed (the row exists) to every second POST
    // that rule 0 let through. The client retries the 503s (decisions.md 1.6) but not the resets:
    // a POST whose connection dropped may have been processed, and here it was. So each logical
    // POST makes exactly one row when it succeeded, and exactly one when it failed with a reset,
    // never two.
    const path = '/v2/groups/incidents';
    await setRules(
      fx.sandbox,
      { kind: 'status', status: 503, every: 3, method: 'POST', pathPrefix: path },
      { kind: 'reset', every: 2, method: 'POST', pathPrefix: path },
    );
    const { tc, clock } = make({ apiRetries: 3 });
    const prefix = `no-dup ${Date.now()}`;
    const outcomes: { name: string; response?: ApiResponse; error?: unknown }[] = [];
    for (let i = 0; i < 12; i += 1) {
      const name = `${prefix} #${i}`;
      const ro = request('POST', path, {
        owner: 'Example Org',
        body: { name, eventDate: '2024-02-03T04:05:06Z' },
      });
      try {
        outcomes.push({ name, response: await tc.apiRequest(ro) });
      } catch (error) {
        outcomes.push({ name, error });
      }
    }
    await clearFaults(fx.sandbox);

    const succeeded = outcomes.filter((o) => o.response !== undefined);
    const reset = outcomes.filter((o) => o.error instanceof ConnectionError && o.error.kind === 'reset');
    for (const o of succeeded) assert.equal(o.response?.status, 201);
    assert.equal(
      succeeded.length + reset.length,
      outcomes.length,
      'every POST either succeeded or was reset',
    );
    // The faults did fire: some POSTs were retried after a 503, some failed with a reset.
    assert.ok(clock.sleeps.length > 0, 'some 503s were retried');
    assert.ok(reset.length > 0, 'some POSTs were reset');
    assert.ok(
      succeeded.some((o) => (o.response?.attempts ?? 0) > 1),
      'a retried POST succeeded',
    );

    const listing = request('GET', '/v2/groups/incidents', { owner: 'Example Org' });
    listing.addPayload('resultLimit', 500);
    const body = (await tc.apiRequest(listing, { throwOnError: true })).json<{
      data: { incident: { name: string }[] };
    }>();
    const names = body.data.incident.map((g) => g.name).filter((n) => n.startsWith(prefix));
    assert.equal(new Set(names).size, names.length, 'no name appears twice');
    assert.deepEqual(
      [...names].sort(),
      [...succeeded, ...reset].map((o) => o.name).sort(),
      'one row per POST that succeeded or was reset after commit',
    );

    // The wire agrees: POST attempts = the client's attempts; rows = 201s + resets.
    const posts = (await requestLog(fx.sandbox)).filter((e) => e.method === 'POST');
    const attempts = succeeded.reduce((n, o) => n + (o.response?.attempts ?? 0), 0) + reset.length;
    assert.equal(posts.length, attempts);
    assert.equal(posts.filter((e) => e.status === 201).length, succeeded.length);
    assert.equal(posts.filter((e) => e.fault === 'reset').length, reset.length);
    assert.equal(posts.filter((e) => e.status === 503).length, clock.sleeps.length);
  });
});
