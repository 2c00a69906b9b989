/**
 * Fault injection over real HTTP (decisions.md 2.3): every rule kind with its timing, firing schedules,
 * matching, ordering, validation and the request log's view of faults.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import {
  type FaultConfig,
  type RequestLogEntry,
  type Sandbox,
  SandboxOptionsError,
  faultDraw,
  startSandbox,
} from '../../../src/sandbox/index.js';
import { failureBody } from '../../helpers/api.js';
import { admin, withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call, signHeaders } from '../../helpers/signer.js';

interface PartialResponse {
  status: number | undefined;
  headers: http.IncomingHttpHeaders | undefined;
  received: Buffer;
  error: NodeJS.ErrnoException | undefined;
}

/** A signed request that never rejects: it reports what arrived before the connection ended. */
function rawRequest(sandbox: Sandbox, method: string, pathAndQuery: string): Promise<PartialResponse> {
  const base = new URL(sandbox.baseUrl);
  const wirePath = `${base.pathname}${pathAndQuery}`;
  const headers = signHeaders(
    sandbox.accessId,
    sandbox.secretKey,
    method,
    wirePath,
    Math.floor(Date.now() / 1000),
  );
  return new Promise((resolve) => {
    const result: PartialResponse = {
      status: undefined,
      headers: undefined,
      received: Buffer.alloc(0),
      error: undefined,
    };
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (error?: NodeJS.ErrnoException): void => {
      if (settled) return;
      settled = true;
      result.received = Buffer.concat(chunks);
      result.error = error;
      resolve(result);
    };
    const req = http.request(
      { host: base.hostname, port: base.port, method, path: wirePath, headers, agent: false },
      (res) => {
        result.status = res.statusCode;
        result.headers = res.headers;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => {
          settle(error);
        });
        res.on('end', () => {
          settle();
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      settle(error);
    });
    req.end();
  });
}

/** Node timers run off a loop clock that can lag a few ms, so a delay may end slightly early. */
const TIMER_SLACK_MS = 5;

async function setFaults(sandbox: Sandbox, config: unknown): Promise<RawResponse> {
  const r = await admin(sandbox, 'POST', 'faults', config);
  assert.equal(r.status, 200, r.text);
  return r;
}

async function lastLogEntry(sandbox: Sandbox): Promise<RequestLogEntry> {
  const r = await admin(sandbox, 'GET', 'requests');
  const { requests } = r.json() as { requests: RequestLogEntry[] };
  const entry = requests.at(-1);
  assert.ok(entry, 'the request log is empty');
  return entry;
}

async function statuses(sandbox: Sandbox, count: number, path = '/v2/owners'): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await call(sandbox, 'GET', path)).status);
  return seen;
}

async function hostCount(sandbox: Sandbox): Promise<number> {
  const r = await call(sandbox, 'GET', '/v2/indicators/hosts?resultStart=0&resultLimit=1');
  assert.equal(r.status, 200);
  return (r.json() as { data: { resultCount: number } }).data.resultCount;
}

function createHost(sandbox: Sandbox, hostName: string): Promise<RawResponse> {
  return call(sandbox, 'POST', '/v2/indicators/hosts', { body: JSON.stringify({ hostName }) });
}

describe('sandbox fault injection (decisions.md 2.3)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  describe('status rules', () => {
    for (const status of [503, 500]) {
      it(`answers ${status} with the failure envelope and no Retry-After`, async () => {
        await setFaults(sandbox, { rules: [{ kind: 'status', status }] });
        const r = await call(sandbox, 'GET', '/v2/owners');
        assert.equal(r.status, status);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['retry-after'], undefined);
        assert.deepEqual(r.json(), failureBody(`Injected fault ${status}`));
        const entry = await lastLogEntry(sandbox);
        assert.equal(entry.status, status);
        assert.equal(entry.fault, 'status');
      });
    }

    it('answers 429 with its Retry-After header', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 429, retryAfter: 7 }] });
      const r = await call(sandbox, 'GET', '/v2/indicators');
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], '7');
      assert.deepEqual(r.json(), failureBody('Injected fault 429'));
    });

    it('fires before the handler: a POST create under a status rule writes nothing', async () => {
      await admin(sandbox, 'DELETE', 'faults');
      const before = await hostCount(sandbox);
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 503, method: 'POST' }] });
      const r = await createHost(sandbox, 'status-fault.example.com');
      assert.equal(r.status, 503);
      assert.deepEqual(r.json(), failureBody('Injected fault 503'));
      await admin(sandbox, 'DELETE', 'faults');
      assert.equal(await hostCount(sandbox), before);
      const lookup = await call(sandbox, 'GET', '/v2/indicators/hosts/status-fault.example.com');
      assert.equal(lookup.status, 404);
    });
  });

  describe('post-handler rules', () => {
    it('reset: the create is committed, then the socket closes before any byte', async () => {
      const before = await hostCount(sandbox);
      await setFaults(sandbox, { rules: [{ kind: 'reset', method: 'POST', pathPrefix: '/v2/indicators' }] });
      await assert.rejects(createHost(sandbox, 'reset-fault.example.com'), (error: NodeJS.ErrnoException) => {
        assert.ok(
          error.code === 'ECONNRESET' || error.message === 'socket hang up',
          `unexpected error ${error.code} ${error.message}`,
        );
        return true;
      });
      const entry = await lastLogEntry(sandbox);
      assert.equal(entry.method, 'POST');
      assert.equal(entry.status, null);
      assert.equal(entry.fault, 'reset');
      // The rule is POST-only, so these reads pass.
      assert.equal(await hostCount(sandbox), before + 1);
      const lookup = await call(sandbox, 'GET', '/v2/indicators/hosts/reset-fault.example.com');
      assert.equal(lookup.status, 200);
    });

    it('reset: a GET gets no status line at all', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'reset' }] });
      const r = await rawRequest(sandbox, 'GET', '/v2/owners');
      assert.equal(r.status, undefined);
      assert.equal(r.received.length, 0);
      assert.ok(r.error, 'expected a socket error');
    });

    it('truncate: full Content-Length, half the body, then the socket is destroyed', async () => {
      await admin(sandbox, 'DELETE', 'faults');
      const whole = await call(sandbox, 'GET', '/v2/owners');
      assert.equal(whole.status, 200);
      await setFaults(sandbox, { rules: [{ kind: 'truncate', pathPrefix: '/v2/owners' }] });
      const r = await rawRequest(sandbox, 'GET', '/v2/owners');
      assert.equal(r.status, 200);
      assert.equal(r.headers?.['content-type'], 'application/json');
      assert.equal(r.headers['content-length'], String(whole.body.length));
      assert.ok(r.error, 'expected the body to end early');
      assert.equal(r.received.length, Math.floor(whole.body.length / 2));
      assert.deepEqual(r.received, whole.body.subarray(0, r.received.length));
      const entry = await lastLogEntry(sandbox);
      assert.equal(entry.status, null);
      assert.equal(entry.fault, 'truncate');
    });

    it('truncate: a streamed document download is cut at half its Content-Length', async () => {
      await admin(sandbox, 'DELETE', 'faults');
      const content = Buffer.from('Example document #19 contents.\n');
      const whole = await call(sandbox, 'GET', '/v2/groups/documents/19/download');
      assert.deepEqual(whole.body, content);
      await setFaults(sandbox, {
        rules: [{ kind: 'truncate', pathPrefix: '/v2/groups/documents/19/download' }],
      });
      const r = await rawRequest(sandbox, 'GET', '/v2/groups/documents/19/download');
      assert.equal(r.status, 200);
      assert.equal(r.headers?.['content-type'], 'application/octet-stream');
      assert.equal(r.headers['content-length'], String(content.length));
      assert.ok(r.error, 'expected the body to end early');
      assert.deepEqual(r.received, content.subarray(0, Math.floor(content.length / 2)));
    });

    it('truncate: a POST create is committed before the body is cut', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'truncate', method: 'POST' }] });
      await assert.rejects(createHost(sandbox, 'truncate-fault.example.com'));
      const lookup = await call(sandbox, 'GET', '/v2/indicators/hosts/truncate-fault.example.com');
      assert.equal(lookup.status, 200);
    });

    it('stall: holds the answer ms after the handler committed, then sends it whole', async () => {
      await admin(sandbox, 'DELETE', 'faults');
      const expected = await call(sandbox, 'GET', '/v2/owners');
      await setFaults(sandbox, { rules: [{ kind: 'stall', ms: 150 }] });
      const started = performance.now();
      const r = await call(sandbox, 'GET', '/v2/owners');
      const elapsed = performance.now() - started;
      assert.equal(r.status, 200);
      assert.deepEqual(r.json(), expected.json());
      assert.ok(elapsed >= 150 - TIMER_SLACK_MS, `answered after ${elapsed} ms`);
      const entry = await lastLogEntry(sandbox);
      assert.equal(entry.status, 200);
      assert.equal(entry.fault, 'stall');

      // The write is visible to other clients while its own answer is still held.
      await setFaults(sandbox, { rules: [{ kind: 'stall', ms: 1000, method: 'POST' }] });
      let answered = false;
      const post = createHost(sandbox, 'stall-fault.example.com').then((response) => {
        answered = true;
        return response;
      });
      let seenWhileHeld = false;
      while (!answered) {
        const lookup = await call(sandbox, 'GET', '/v2/indicators/hosts/stall-fault.example.com');
        if (lookup.status === 200) {
          seenWhileHeld = !answered;
          break;
        }
      }
      assert.equal((await post).status, 201);
      assert.equal(seenWhileHeld, true);
    });

    it('stall: fires on a 404 listing as on a 200, and holds the failure envelope', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'stall', ms: 150, pathPrefix: '/v2/tags' }] });
      for (const [path, status] of [
        ['/v2/tags/No%20Such%20Tag/indicators', 404],
        ['/v2/tags/APT/indicators', 200],
      ] as const) {
        const started = performance.now();
        const r = await call(sandbox, 'GET', path);
        const elapsed = performance.now() - started;
        assert.equal(r.status, status, r.text);
        if (status === 404) assert.deepEqual(r.json(), failureBody('The requested resource was not found'));
        assert.ok(elapsed >= 150 - TIMER_SLACK_MS, `${path} answered after ${elapsed} ms`);
        const entry = await lastLogEntry(sandbox);
        assert.deepEqual([entry.status, entry.fault], [status, 'stall']);
      }
      await admin(sandbox, 'DELETE', 'faults');
    });

    it('shortPage: drops the last N items of a listing and keeps resultCount', async () => {
      await admin(sandbox, 'DELETE', 'faults');
      const path = '/v2/indicators?owner=Example%20Community&resultStart=0&resultLimit=10';
      const whole = (await call(sandbox, 'GET', path)).json() as {
        data: { resultCount: number; indicator: { id: number }[] };
      };
      assert.equal(whole.data.indicator.length, 10);
      await setFaults(sandbox, { rules: [{ kind: 'shortPage', drop: 3 }] });
      const r = await call(sandbox, 'GET', path);
      assert.equal(r.status, 200);
      const short = r.json() as typeof whole;
      assert.equal(short.data.resultCount, whole.data.resultCount);
      assert.deepEqual(short.data.indicator, whole.data.indicator.slice(0, 7));
      const entry = await lastLogEntry(sandbox);
      assert.equal(entry.status, 200);
      assert.equal(entry.fault, 'shortPage');
    });

    it('shortPage: non-listings are unaffected and not counted', async () => {
      await admin(sandbox, 'DELETE', 'faults');
      const mine = (await call(sandbox, 'GET', '/v2/owners/mine')).json();
      const host = (
        await call(sandbox, 'GET', '/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community')
      ).json();
      await setFaults(sandbox, { rules: [{ kind: 'shortPage', drop: 1, every: 2 }] });
      const listing = '/v2/groups/adversaries?owner=Example%20Community&resultLimit=3';
      const lengths: number[] = [];
      for (let i = 0; i < 2; i += 1) {
        const one = await call(sandbox, 'GET', '/v2/owners/mine');
        assert.deepEqual(one.json(), mine);
        const indicator = await call(
          sandbox,
          'GET',
          '/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community',
        );
        assert.deepEqual(indicator.json(), host);
        const page = (await call(sandbox, 'GET', listing)).json() as { data: { adversary: unknown[] } };
        lengths.push(page.data.adversary.length);
      }
      // Only the listings count: the second one is the rule's 2nd match.
      assert.deepEqual(lengths, [3, 2]);
    });
  });

  describe('firing schedules', () => {
    it('every: N fires on the Nth, 2Nth and 3Nth matching request', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 503, every: 3 }] });
      assert.deepEqual(await statuses(sandbox, 9), [200, 200, 503, 200, 200, 503, 200, 200, 503]);
    });

    it('probability is deterministic for a seed and follows faultDraw(seed, ruleIndex, count)', async () => {
      const config: FaultConfig = {
        seed: 42,
        latencyMs: 0,
        jitterMs: 0,
        rules: [
          { kind: 'status', status: 500, pathPrefix: '/v2/nothing-matches-this' },
          { kind: 'status', status: 503, probability: 0.4 },
        ],
      };
      const expected = Array.from({ length: 30 }, (_, i) => (faultDraw(42, 1, i + 1) < 0.4 ? 503 : 200));
      assert.ok(expected.includes(503) && expected.includes(200), 'the seed should give a mixed pattern');
      await setFaults(sandbox, config);
      const first = await statuses(sandbox, 30);
      const other = await startSandbox({ faults: config });
      try {
        const second = await statuses(other, 30);
        assert.deepEqual(first, expected);
        assert.deepEqual(second, expected);
      } finally {
        await other.close();
      }
      // Another seed follows its own draws.
      const seven = Array.from({ length: 30 }, (_, i) => (faultDraw(7, 1, i + 1) < 0.4 ? 503 : 200));
      await setFaults(sandbox, { ...config, seed: 7 });
      assert.deepEqual(await statuses(sandbox, 30), seven);
    });

    it('probability 0 never fires and 1 always fires', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 503, probability: 0 }] });
      assert.deepEqual(await statuses(sandbox, 3), [200, 200, 200]);
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 503, probability: 1 }] });
      assert.deepEqual(await statuses(sandbox, 3), [503, 503, 503]);
    });
  });

  describe('matching and order', () => {
    it('matches method (any case) and pathPrefix', async () => {
      const r = await setFaults(sandbox, {
        rules: [{ kind: 'status', status: 503, method: 'post', pathPrefix: '/v2/victims' }],
      });
      assert.deepEqual(r.json(), {
        seed: 0,
        latencyMs: 0,
        jitterMs: 0,
        rules: [{ kind: 'status', status: 503, method: 'POST', pathPrefix: '/v2/victims' }],
      });
      assert.equal((await call(sandbox, 'GET', '/v2/victims')).status, 200);
      assert.equal((await createHost(sandbox, 'match-fault.example.com')).status, 201);
      const victim = await call(sandbox, 'POST', '/v2/victims', {
        body: JSON.stringify({ name: 'Faulted' }),
      });
      assert.equal(victim.status, 503);
    });

    it('counts only requests that reach and match a rule; the first firing rule wins', async () => {
      await setFaults(sandbox, {
        rules: [
          { kind: 'status', status: 500, pathPrefix: '/v2/groups', every: 2 },
          { kind: 'status', status: 503, every: 2 },
        ],
      });
      const seen: number[] = [];
      for (const path of ['/v2/owners', '/v2/groups', '/v2/groups', '/v2/owners', '/v2/owners']) {
        seen.push((await call(sandbox, 'GET', path)).status);
      }
      // rule 1 sees owners(1) groups(2: fires); rule 0 fires on the 2nd groups, which never reaches
      // rule 1; rule 1 then sees owners(3) and owners(4: fires).
      assert.deepEqual(seen, [200, 503, 500, 200, 503]);
    });

    it('auth failures never reach the rules', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 503, every: 2 }] });
      const unsigned = await call(sandbox, 'GET', '/v2/owners', { unsigned: true });
      assert.equal(unsigned.status, 401);
      assert.deepEqual(unsigned.json(), failureBody('Access Denied'));
      const badSignature = await call(sandbox, 'GET', '/v2/owners', { secretKey: 'wrong' });
      assert.equal(badSignature.status, 401);
      assert.deepEqual(await statuses(sandbox, 2), [200, 503]);
      await setFaults(sandbox, { rules: [{ kind: 'reset' }] });
      const stale = await call(sandbox, 'GET', '/v2/owners', {
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      });
      assert.equal(stale.status, 401);
      assert.deepEqual(stale.json(), failureBody('Timestamp out of acceptable time range'));
    });

    it('faults /appAuth only through a rule whose pathPrefix is /appAuth', async () => {
      const renew = `/appAuth?expiredToken=${encodeURIComponent(sandbox.apiToken)}`;
      await setFaults(sandbox, {
        rules: [
          { kind: 'status', status: 503 },
          { kind: 'status', status: 500, pathPrefix: '/' },
          { kind: 'reset', method: 'GET' },
        ],
      });
      const untouched = await call(sandbox, 'GET', renew, { unsigned: true });
      assert.equal(untouched.status, 200);
      assert.equal((untouched.json() as { success: boolean }).success, true);
      await setFaults(sandbox, {
        rules: [{ kind: 'status', status: 503, retryAfter: 2, pathPrefix: '/appAuth' }],
      });
      const faulted = await call(sandbox, 'GET', renew, { unsigned: true });
      assert.equal(faulted.status, 503);
      assert.equal(faulted.headers['retry-after'], '2');
      assert.deepEqual(faulted.json(), failureBody('Injected fault 503'));
      assert.equal((await call(sandbox, 'GET', '/v2/owners')).status, 200);
      const entry = await lastLogEntry(sandbox);
      assert.equal(entry.target, '/api/v2/owners');
      const log = (await admin(sandbox, 'GET', 'requests')).json() as { requests: RequestLogEntry[] };
      const appAuth = log.requests.at(-2);
      assert.equal(appAuth?.target, `/api${renew}`);
      assert.equal(appAuth.status, 503);
      assert.equal(appAuth.fault, 'status');
    });

    it('applies reset, truncate and stall rules to /appAuth too', async () => {
      const renew = `/appAuth?expiredToken=${encodeURIComponent(sandbox.apiToken)}`;
      await setFaults(sandbox, { rules: [{ kind: 'reset', pathPrefix: '/appAuth' }] });
      const reset = await rawRequest(sandbox, 'GET', renew);
      assert.equal(reset.status, undefined);
      assert.ok(reset.error);
      assert.equal((await lastLogEntry(sandbox)).fault, 'reset');

      await setFaults(sandbox, { rules: [{ kind: 'truncate', pathPrefix: '/appAuth' }] });
      const truncated = await rawRequest(sandbox, 'GET', renew);
      assert.equal(truncated.status, 200);
      assert.ok(truncated.error, 'expected the body to end early');
      assert.equal(truncated.received.length, Math.floor(Number(truncated.headers?.['content-length']) / 2));
      const truncatedEntry = await lastLogEntry(sandbox);
      assert.equal(truncatedEntry.status, null);
      assert.equal(truncatedEntry.fault, 'truncate');

      await setFaults(sandbox, { rules: [{ kind: 'stall', ms: 120, pathPrefix: '/appAuth' }] });
      const started = performance.now();
      const stalled = await call(sandbox, 'GET', renew, { unsigned: true });
      assert.ok(performance.now() - started >= 120 - TIMER_SLACK_MS, 'the renewal answer is held');
      assert.equal(stalled.status, 200);
      assert.equal((stalled.json() as { success: boolean }).success, true);
      const entry = await lastLogEntry(sandbox);
      assert.equal(entry.status, 200);
      assert.equal(entry.fault, 'stall');
    });

    it('exempts the admin endpoints from rules and latency', async () => {
      // Ten minutes of latency: a delayed admin call would not answer before the test runner's limit,
      // so the test fails without timing anything itself.
      await setFaults(sandbox, {
        latencyMs: 600_000,
        rules: [{ kind: 'status', status: 503 }, { kind: 'reset' }],
      });
      const r = await admin(sandbox, 'GET', 'faults');
      assert.equal(r.status, 200);
      assert.equal((r.json() as { latencyMs: number }).latencyMs, 600_000);
      assert.equal((await admin(sandbox, 'GET', 'requests')).status, 200);
      assert.equal((await admin(sandbox, 'GET', 'clock')).status, 200);
      assert.equal((await admin(sandbox, 'DELETE', 'faults')).status, 200);
    });
  });

  describe('latency', () => {
    it('delays every faultable request by latencyMs, status faults included', async () => {
      await setFaults(sandbox, { latencyMs: 100 });
      let started = performance.now();
      assert.equal((await call(sandbox, 'GET', '/v2/owners')).status, 200);
      assert.ok(performance.now() - started >= 100 - TIMER_SLACK_MS, 'latency applied');
      await setFaults(sandbox, { latencyMs: 100, rules: [{ kind: 'status', status: 503 }] });
      started = performance.now();
      assert.equal((await call(sandbox, 'GET', '/v2/owners')).status, 503);
      assert.ok(
        performance.now() - started >= 100 - TIMER_SLACK_MS,
        'latency applied before the status fault',
      );
    });

    it('adds deterministic jitter: latencyMs + floor(faultDraw(seed, 0xFFFF, n) × (jitterMs + 1))', async () => {
      await setFaults(sandbox, { seed: 11, latencyMs: 20, jitterMs: 100 });
      for (let n = 1; n <= 3; n += 1) {
        const expected = 20 + Math.floor(faultDraw(11, 0xffff, n) * 101);
        const started = performance.now();
        assert.equal((await call(sandbox, 'GET', '/v2/owners')).status, 200);
        const elapsed = performance.now() - started;
        assert.ok(
          elapsed >= expected - TIMER_SLACK_MS,
          `request ${n}: ${elapsed} ms, expected at least ${expected}`,
        );
      }
    });
  });

  describe('configuration', () => {
    it('GET returns the active configuration with defaults filled in', async () => {
      await setFaults(sandbox, { rules: [{ kind: 'stall', ms: 5, every: 4 }] });
      const r = await admin(sandbox, 'GET', 'faults');
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json(), {
        seed: 0,
        latencyMs: 0,
        jitterMs: 0,
        rules: [{ kind: 'stall', ms: 5, every: 4 }],
      });
    });

    it('POST replaces the configuration and resets the counters', async () => {
      const config = { rules: [{ kind: 'status', status: 503, every: 2 }] };
      await setFaults(sandbox, config);
      assert.deepEqual(await statuses(sandbox, 1), [200]);
      await setFaults(sandbox, config);
      assert.deepEqual(await statuses(sandbox, 2), [200, 503]);
      await setFaults(sandbox, { seed: 3, rules: [] });
      assert.deepEqual(await statuses(sandbox, 2), [200, 200]);
    });

    it('DELETE clears the configuration', async () => {
      await setFaults(sandbox, { seed: 9, latencyMs: 1, rules: [{ kind: 'status', status: 500 }] });
      const r = await admin(sandbox, 'DELETE', 'faults');
      assert.equal(r.status, 200);
      const empty = { seed: 0, latencyMs: 0, jitterMs: 0, rules: [] };
      assert.deepEqual(r.json(), empty);
      assert.deepEqual((await admin(sandbox, 'GET', 'faults')).json(), empty);
      assert.deepEqual(await statuses(sandbox, 2), [200, 200]);
    });

    const invalid: [string, unknown, string][] = [
      [
        'both every and probability',
        { rules: [{ kind: 'status', status: 503, every: 2, probability: 0.5 }] },
        'Invalid fault configuration: rules[0] sets both every and probability',
      ],
      [
        'an unknown kind',
        { rules: [{ kind: 'explode' }] },
        'Invalid fault configuration: rules[0].kind must be one of status, reset, truncate, stall, shortPage',
      ],
      [
        'a success status',
        { rules: [{ kind: 'status', status: 200 }] },
        'Invalid fault configuration: rules[0].status must be an HTTP status from 400 to 599',
      ],
      [
        'a status given as a string',
        { rules: [{ kind: 'reset' }, { kind: 'status', status: '503' }] },
        'Invalid fault configuration: rules[1].status must be an HTTP status from 400 to 599',
      ],
      [
        'a negative every',
        { rules: [{ kind: 'reset', every: -1 }] },
        'Invalid fault configuration: rules[0].every must be a non-negative integer',
      ],
      [
        'every 0',
        { rules: [{ kind: 'reset', every: 0 }] },
        'Invalid fault configuration: rules[0].every must be at least 1',
      ],
      [
        'a probability above 1',
        { rules: [{ kind: 'reset', probability: 1.5 }] },
        'Invalid fault configuration: rules[0].probability must be a number from 0 to 1',
      ],
      [
        'an unknown top-level key',
        { seed: 1, chaos: true },
        'Invalid fault configuration: unknown key "chaos"',
      ],
      [
        'an unknown rule key',
        { rules: [{ kind: 'reset', status: 503 }] },
        'Invalid fault configuration: rules[0] has unknown key "status"',
      ],
      [
        'a stall without ms',
        { rules: [{ kind: 'stall' }] },
        'Invalid fault configuration: rules[0].ms must be a non-negative integer',
      ],
      [
        'a shortPage dropping nothing',
        { rules: [{ kind: 'shortPage', drop: 0 }] },
        'Invalid fault configuration: rules[0].drop must be at least 1',
      ],
      [
        'a relative pathPrefix',
        { rules: [{ kind: 'reset', pathPrefix: 'v2/indicators' }] },
        'Invalid fault configuration: rules[0].pathPrefix must be a path starting with /',
      ],
      [
        'a negative latency',
        { latencyMs: -5 },
        'Invalid fault configuration: latencyMs must be a non-negative integer',
      ],
      [
        'a stall longer than a timer holds (it would fire at once)',
        { rules: [{ kind: 'stall', ms: 2_147_483_648 }] },
        'Invalid fault configuration: rules[0].ms must be at most 2147483647 (about 24.8 days)',
      ],
      [
        'a latency longer than a timer holds',
        { latencyMs: 3_000_000_000 },
        'Invalid fault configuration: latencyMs must be at most 2147483647 (about 24.8 days)',
      ],
      [
        'a latency and jitter that add up to more than a timer holds',
        { latencyMs: 2_000_000_000, jitterMs: 200_000_000 },
        'Invalid fault configuration: latencyMs + jitterMs must be at most 2147483647',
      ],
      ['rules that are not an array', { rules: {} }, 'Invalid fault configuration: rules must be an array'],
      ['a JSON array', [], 'The request was not properly formed'],
    ];
    for (const [what, config, message] of invalid) {
      it(`refuses ${what} with 400 and keeps the active configuration`, async () => {
        const active = {
          seed: 5,
          latencyMs: 0,
          jitterMs: 0,
          rules: [{ kind: 'status', status: 418, every: 1000 }],
        };
        await setFaults(sandbox, active);
        const r = await admin(sandbox, 'POST', 'faults', config);
        assert.equal(r.status, 400);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.deepEqual(r.json(), failureBody(message));
        assert.deepEqual((await admin(sandbox, 'GET', 'faults')).json(), active);
      });
    }

    it('refuses malformed JSON with 400', async () => {
      const clock = (await call(sandbox, 'GET', '/_sandbox/clock')).json() as { now: number };
      const r = await call(sandbox, 'POST', '/_sandbox/faults', {
        body: '{"rules": [',
        timestamp: clock.now,
      });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json(), failureBody('The request was not properly formed'));
    });
  });

  describe('startSandbox({ faults })', () => {
    it('takes the same object as POST /_sandbox/faults', async () => {
      const config = { seed: 5, rules: [{ kind: 'status' as const, status: 429, retryAfter: 3, every: 2 }] };
      const other = await startSandbox({ faults: config });
      try {
        const active = await admin(other, 'GET', 'faults');
        assert.deepEqual(active.json(), { latencyMs: 0, jitterMs: 0, ...config });
        const seen = await statuses(other, 2);
        assert.deepEqual(seen, [200, 429]);
      } finally {
        await other.close();
      }
    });

    it('throws SandboxOptionsError for an invalid configuration', async () => {
      await assert.rejects(
        startSandbox({ faults: { rules: [{ kind: 'explode' as 'reset' }] } }),
        (error: unknown) => {
          assert.ok(error instanceof SandboxOptionsError);
          assert.equal(
            error.message,
            'Invalid fault configuration: rules[0].kind must be one of status, reset, truncate, stall, shortPage',
          );
          return true;
        },
      );
      await assert.rejects(
        startSandbox({ faults: { rules: [{ kind: 'status', status: 503, every: 2, probability: 1 }] } }),
        {
          name: 'SandboxOptionsError',
          message: 'Invalid fault configuration: rules[0] sets both every and probability',
        },
      );
    });
  });
});
