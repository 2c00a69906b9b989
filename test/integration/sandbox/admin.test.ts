/**
 * The sandbox admin endpoints over real HTTP (decisions.md 2.2): the request log, the activity log, the
 * server clock (and what it drives: auth, token expiry, new dates, log times) and their own auth.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RequestLogEntry, Sandbox } from '../../../src/sandbox/index.js';
import { failureBody } from '../../helpers/api.js';
import { admin, withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, type RawResponse, call } from '../../helpers/signer.js';

/** A fixed base clock for exact times: 2027-01-15T08:00:00Z. */
const BASE_MS = 1_800_000_000_000;
const BASE_S = BASE_MS / 1000;

/** Server time in seconds for a sandbox whose base clock is BASE_MS and whose offset the test tracks. */
function clockOf(sandbox: Sandbox) {
  let offset = 0;
  const now = (): number => BASE_S + offset;
  return {
    now,
    /** A call signed with the server's current time. */
    signed(method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
      return call(sandbox, method, path, { timestamp: now(), ...options });
    },
    /** Records an offset set by a call the test made itself. */
    assumeOffset(seconds: number): void {
      offset = seconds;
    },
    async setOffset(seconds: number): Promise<RawResponse> {
      const r = await call(sandbox, 'POST', '/_sandbox/clock', {
        timestamp: now(),
        body: JSON.stringify({ offsetSeconds: seconds }),
      });
      assert.equal(r.status, 200, r.text);
      offset = seconds;
      return r;
    },
  };
}

async function readLog(
  clock: ReturnType<typeof clockOf>,
  name: 'requests' | 'activity' = 'requests',
): Promise<RequestLogEntry[]> {
  const r = await clock.signed('GET', `/_sandbox/${name}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  const body = r.json() as { requests: RequestLogEntry[] };
  assert.deepEqual(Object.keys(body), ['requests']);
  return body.requests;
}

/** Drops `seq` after checking that it counts up, so entries compare exactly. */
function withoutSeq(entries: RequestLogEntry[]): Omit<RequestLogEntry, 'seq'>[] {
  for (let i = 1; i < entries.length; i += 1) {
    const previous = entries[i - 1]?.seq ?? 0;
    assert.ok((entries[i]?.seq ?? 0) > previous, 'seq increases');
  }
  return entries.map(({ seq, ...rest }) => {
    assert.ok(Number.isInteger(seq) && seq > 0);
    return rest;
  });
}

describe('sandbox admin endpoints (decisions.md 2.2)', () => {
  let sandbox: Sandbox;
  let clock: ReturnType<typeof clockOf>;
  const accessId = 'ADMIN-TEST-ACCESS-ID';
  const time = (seconds = BASE_S) => new Date(seconds * 1000).toISOString();
  const entry = (
    method: string,
    target: string,
    status: number | null,
    id: string | null = accessId,
    at = time(),
  ): Omit<RequestLogEntry, 'seq'> => ({ method, target, status, accessId: id, time: at, fault: null });

  before(async () => {
    sandbox = await withSandbox({ accessId, secretKey: 'admin-test-secret', clock: () => BASE_MS });
    clock = clockOf(sandbox);
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    await clock.setOffset(0);
    assert.deepEqual((await clock.signed('DELETE', '/_sandbox/requests')).json(), { requests: [] });
  });

  describe('request log', () => {
    it('records v2 requests with the raw target, and never the admin calls', async () => {
      assert.equal(
        (await clock.signed('GET', '/v2/indicators?owner=Example+Community&resultLimit=2')).status,
        200,
      );
      const created = await clock.signed('POST', '/v2/indicators/hosts?owner=Example%20Community', {
        body: JSON.stringify({ hostName: 'logged.example.com' }),
      });
      assert.equal(created.status, 201);
      assert.equal((await clock.signed('GET', '/v2/indicators/hosts/logged.example.com')).status, 404);
      await clock.signed('GET', '/_sandbox/clock');
      await clock.signed('GET', '/_sandbox/faults');
      const log = await readLog(clock);
      assert.deepEqual(withoutSeq(log), [
        entry('GET', '/api/v2/indicators?owner=Example+Community&resultLimit=2', 200),
        entry('POST', '/api/v2/indicators/hosts?owner=Example%20Community', 201),
        entry('GET', '/api/v2/indicators/hosts/logged.example.com', 404),
      ]);
      for (const item of log)
        assert.deepEqual(Object.keys(item).sort(), [
          'accessId',
          'fault',
          'method',
          'seq',
          'status',
          'target',
          'time',
        ]);
    });

    it('logs auth failures, with accessId null only when the id is unknown', async () => {
      await clock.signed('GET', '/v2/owners', { unsigned: true });
      await clock.signed('GET', '/v2/owners', { accessId: 'NOBODY' });
      await clock.signed('GET', '/v2/owners', { secretKey: 'wrong' });
      await call(sandbox, 'GET', '/v2/owners', { timestamp: BASE_S - 301 });
      const tokenOptions = (token: string): CallOptions => ({
        unsigned: true,
        headers: { Authorization: `TC-Token ${token}` },
      });
      await clock.signed('GET', '/v2/owners/mine', tokenOptions(sandbox.apiToken));
      await clock.signed('GET', '/v2/owners/mine', tokenOptions('APIV2:1:nope'));
      await clock.signed('GET', '/appAuth?expiredToken=nope', { unsigned: true });
      assert.deepEqual(withoutSeq(await readLog(clock)), [
        entry('GET', '/api/v2/owners', 401, null),
        entry('GET', '/api/v2/owners', 401, null),
        entry('GET', '/api/v2/owners', 401),
        entry('GET', '/api/v2/owners', 401),
        entry('GET', '/api/v2/owners/mine', 200),
        entry('GET', '/api/v2/owners/mine', 401, null),
        entry('GET', '/api/appAuth?expiredToken=nope', 401, null),
      ]);
    });

    it('does not log admin calls that fail auth', async () => {
      const r = await clock.signed('GET', '/_sandbox/requests', { unsigned: true });
      assert.equal(r.status, 401);
      const log = await readLog(clock);
      assert.deepEqual(
        log.filter((item) => item.target.includes('/_sandbox/')),
        [],
        'admin targets are not logged',
      );
    });

    it('stamps entries with the server clock', async () => {
      await clock.setOffset(90);
      await clock.signed('GET', '/v2/owners');
      assert.deepEqual(withoutSeq(await readLog(clock)), [
        entry('GET', '/api/v2/owners', 200, accessId, time(BASE_S + 90)),
      ]);
    });

    it('DELETE clears the log', async () => {
      await clock.signed('GET', '/v2/owners');
      assert.equal((await readLog(clock)).length, 1);
      const r = await clock.signed('DELETE', '/_sandbox/requests');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json(), { requests: [] });
      assert.deepEqual(await readLog(clock), []);
    });
  });

  describe('activity log', () => {
    it('holds only the requests that carried createActivityLog=true', async () => {
      await clock.signed('DELETE', '/_sandbox/activity');
      await clock.signed('GET', '/v2/owners?createActivityLog=true');
      await clock.signed('GET', '/v2/owners?createActivityLog=false');
      await clock.signed('GET', '/v2/owners');
      await clock.signed('POST', '/v2/indicators/hosts?createActivityLog=true', {
        body: JSON.stringify({ hostName: 'activity.example.com' }),
      });
      assert.deepEqual(withoutSeq(await readLog(clock, 'activity')), [
        entry('GET', '/api/v2/owners?createActivityLog=true', 200),
        entry('POST', '/api/v2/indicators/hosts?createActivityLog=true', 201),
      ]);
      assert.equal((await readLog(clock)).length, 4);
    });
  });

  describe('clock', () => {
    it('GET returns the offset and the server time in epoch seconds', async () => {
      const r = await clock.signed('GET', '/_sandbox/clock');
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json(), { offsetSeconds: 0, now: BASE_S });
    });

    it('POST sets the offset; twice in a row does not add up', async () => {
      const first = await clock.setOffset(600);
      assert.deepEqual(first.json(), { offsetSeconds: 600, now: BASE_S + 600 });
      const second = await clock.setOffset(600);
      assert.deepEqual(second.json(), { offsetSeconds: 600, now: BASE_S + 600 });
      assert.deepEqual((await clock.signed('GET', '/_sandbox/clock')).json(), {
        offsetSeconds: 600,
        now: BASE_S + 600,
      });
      const back = await clock.setOffset(-30);
      assert.deepEqual(back.json(), { offsetSeconds: -30, now: BASE_S - 30 });
    });

    it('drives the auth window: only a timestamp near the moved clock passes', async () => {
      await clock.setOffset(301);
      const stale = await call(sandbox, 'GET', '/v2/owners', { timestamp: BASE_S });
      assert.equal(stale.status, 401);
      assert.deepEqual(stale.json(), failureBody('Timestamp out of acceptable time range'));
      assert.equal((await clock.signed('GET', '/v2/owners')).status, 200);
      await clock.setOffset(-301);
      assert.equal((await call(sandbox, 'GET', '/v2/owners', { timestamp: BASE_S })).status, 401);
      assert.equal((await clock.signed('GET', '/v2/owners')).status, 200);
    });

    it('drives the dates of new records', async () => {
      await clock.setOffset(3600);
      const r = await clock.signed('POST', '/v2/indicators/hosts', {
        body: JSON.stringify({ hostName: 'clocked.example.com' }),
      });
      assert.equal(r.status, 201);
      const host = (r.json() as { data: { host: { dateAdded: string; lastModified: string } } }).data.host;
      const expected = time(BASE_S + 3600).replace('.000Z', 'Z');
      assert.equal(host.dateAdded, expected);
      assert.equal(host.lastModified, expected);
    });

    const BOUND = 'offsetSeconds must be a finite number from -315576000 to 315576000 (ten years)';
    const invalid: [string, string, string][] = [
      ['a string offset', '{"offsetSeconds":"10"}', 'offsetSeconds must be a number'],
      ['a missing offset', '{}', 'offsetSeconds must be a number'],
      ['malformed JSON', '{"offsetSeconds":', 'The request was not properly formed'],
      ['an offset past ten years', '{"offsetSeconds":315576001}', BOUND],
      ['an offset before minus ten years', '{"offsetSeconds":-315576000.5}', BOUND],
      ['an infinite offset (1e999 in JSON)', '{"offsetSeconds":1e999}', BOUND],
      ['a minus infinite offset', '{"offsetSeconds":-1e999}', BOUND],
    ];
    for (const [what, body, message] of invalid) {
      it(`refuses ${what} with 400 and keeps the offset`, async () => {
        await clock.setOffset(42);
        const r = await clock.signed('POST', '/_sandbox/clock', { body });
        assert.equal(r.status, 400);
        assert.deepEqual(r.json(), failureBody(message));
        assert.deepEqual((await clock.signed('GET', '/_sandbox/clock')).json(), {
          offsetSeconds: 42,
          now: BASE_S + 42,
        });
      });
    }
  });

  it('takes an offset of exactly ten years either way', async () => {
    assert.deepEqual((await clock.setOffset(315_576_000)).json(), {
      offsetSeconds: 315_576_000,
      now: BASE_S + 315_576_000,
    });
    assert.deepEqual((await clock.setOffset(-315_576_000)).json(), {
      offsetSeconds: -315_576_000,
      now: BASE_S - 315_576_000,
    });
  });

  it('accepts admin calls signed with the real time whatever the offset, so a bad offset can be undone', async () => {
    await clock.setOffset(315_576_000);
    // v2 calls follow the moved clock only.
    const stale = await call(sandbox, 'GET', '/v2/owners', { timestamp: BASE_S });
    assert.equal(stale.status, 401);
    assert.deepEqual(stale.json(), failureBody('Timestamp out of acceptable time range'));
    // Admin calls also take the base clock without the offset, and the wall clock.
    for (const timestamp of [BASE_S, Math.floor(Date.now() / 1000)]) {
      const r = await call(sandbox, 'GET', '/_sandbox/clock', { timestamp });
      assert.equal(r.status, 200, r.text);
    }
    const far = await call(sandbox, 'GET', '/_sandbox/clock', { timestamp: BASE_S - 3600 });
    assert.equal(far.status, 401);
    assert.deepEqual(far.json(), failureBody('Timestamp out of acceptable time range'));
    const reset = await call(sandbox, 'POST', '/_sandbox/clock', {
      timestamp: Math.floor(Date.now() / 1000),
      body: JSON.stringify({ offsetSeconds: 0 }),
    });
    assert.deepEqual(reset.json(), { offsetSeconds: 0, now: BASE_S });
    clock.assumeOffset(0);
    assert.equal((await call(sandbox, 'GET', '/v2/owners', { timestamp: BASE_S })).status, 200);
  });

  describe('auth on admin endpoints', () => {
    const ADMIN_CALLS = [
      ['GET', 'requests'],
      ['DELETE', 'requests'],
      ['GET', 'activity'],
      ['DELETE', 'activity'],
      ['GET', 'faults'],
      ['POST', 'faults'],
      ['DELETE', 'faults'],
      ['GET', 'clock'],
      ['POST', 'clock'],
      ['GET', 'nothing'],
    ] as const;
    for (const [method, name] of ADMIN_CALLS) {
      it(`${method} /_sandbox/${name} by the restricted user gets 403 Access Denied and changes nothing`, async () => {
        const restricted = { ...sandbox.restrictedUser, timestamp: clock.now() };
        await clock.signed('GET', '/v2/owners');
        const before = await Promise.all(
          ['requests', 'faults', 'clock'].map(
            async (n) => (await clock.signed('GET', `/_sandbox/${n}`)).text,
          ),
        );
        const body =
          name === 'faults'
            ? { rules: [{ kind: 'status', status: 503 }] }
            : name === 'clock'
              ? { offsetSeconds: 100_000_000 }
              : undefined;
        const r = await call(sandbox, method, `/_sandbox/${name}`, {
          ...restricted,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        assert.equal(r.status, 403, r.text);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.deepEqual(r.json(), failureBody('Access Denied'));
        const after = await Promise.all(
          ['requests', 'faults', 'clock'].map(
            async (n) => (await clock.signed('GET', `/_sandbox/${n}`)).text,
          ),
        );
        assert.deepEqual(after, before);
        // Not even its own refused call shows in the log: admin calls are never logged.
        assert.equal((await readLog(clock)).length, 1);
      });
    }

    it("keeps the main user's token renewals out of the restricted user's reach", async () => {
      await call(sandbox, 'GET', `/appAuth?expiredToken=${encodeURIComponent(sandbox.apiToken)}`, {
        unsigned: true,
      });
      const r = await call(sandbox, 'GET', '/_sandbox/requests', {
        ...sandbox.restrictedUser,
        timestamp: clock.now(),
      });
      assert.equal(r.status, 403);
      assert.ok(!r.text.includes('expiredToken'));
    });

    for (const [method, name] of [
      ['GET', 'requests'],
      ['DELETE', 'requests'],
      ['GET', 'activity'],
      ['GET', 'faults'],
      ['POST', 'faults'],
      ['DELETE', 'faults'],
      ['GET', 'clock'],
      ['POST', 'clock'],
    ] as const) {
      it(`${method} /_sandbox/${name} unsigned gets 401 Access Denied`, async () => {
        const r = await call(sandbox, method, `/_sandbox/${name}`, {
          unsigned: true,
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        assert.equal(r.status, 401);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.deepEqual(r.json(), failureBody('Access Denied'));
      });
    }

    it('a badly signed POST changes nothing', async () => {
      const r = await clock.signed('POST', '/_sandbox/clock', {
        secretKey: 'wrong',
        body: JSON.stringify({ offsetSeconds: 1000 }),
      });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), failureBody('Signature data did not match expected result'));
      assert.deepEqual((await clock.signed('GET', '/_sandbox/clock')).json(), {
        offsetSeconds: 0,
        now: BASE_S,
      });
    });

    it('accepts token auth like v2', async () => {
      const r = await call(sandbox, 'GET', '/_sandbox/clock', {
        unsigned: true,
        headers: { Authorization: `TC-Token ${sandbox.apiToken}` },
      });
      assert.equal(r.status, 200);
    });

    it('an unknown admin endpoint is a 404 failure envelope', async () => {
      const r = await clock.signed('GET', '/_sandbox/nothing');
      assert.equal(r.status, 404);
      assert.deepEqual(r.json(), failureBody('The requested resource was not found'));
    });
  });
});

describe('sandbox clock on the real time (decisions.md 2.2)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('refuses a request signed with real time once the offset passes 300 s, and takes the returned now', async () => {
    const moved = await admin(sandbox, 'POST', 'clock', { offsetSeconds: 400 });
    assert.equal(moved.status, 200);
    const { offsetSeconds, now } = moved.json() as { offsetSeconds: number; now: number };
    assert.equal(offsetSeconds, 400);
    const real = Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(now - (real + 400)) <= 2, `now ${now} is about real time + 400`);
    const stale = await call(sandbox, 'GET', '/v2/owners');
    assert.equal(stale.status, 401);
    assert.deepEqual(stale.json(), failureBody('Timestamp out of acceptable time range'));
    assert.equal((await call(sandbox, 'GET', '/v2/owners', { timestamp: now })).status, 200);
    // The admin helper reads the clock with real time, which the moved clock refuses: sign with `now`.
    const reset = await call(sandbox, 'POST', '/_sandbox/clock', {
      timestamp: now,
      body: JSON.stringify({ offsetSeconds: 0 }),
    });
    assert.equal((reset.json() as { offsetSeconds: number }).offsetSeconds, 0);
    assert.equal((await call(sandbox, 'GET', '/v2/owners')).status, 200);
  });
});

describe('token expiry follows the server clock (decisions.md 2.2, 2.4)', () => {
  let sandbox: Sandbox;
  let clock: ReturnType<typeof clockOf>;
  before(async () => {
    sandbox = await withSandbox({ tokenTtlSeconds: 60, clock: () => BASE_MS });
    clock = clockOf(sandbox);
  });
  after(async () => {
    await sandbox.close();
  });
  const withToken = (token: string): CallOptions => ({
    unsigned: true,
    headers: { Authorization: `TC-Token ${token}` },
  });

  it('expires a token at its expiry on the server clock, and renews it from there', async () => {
    assert.equal(sandbox.apiTokenExpires, BASE_S + 60);
    await clock.setOffset(59);
    assert.equal((await call(sandbox, 'GET', '/v2/owners/mine', withToken(sandbox.apiToken))).status, 200);
    await clock.setOffset(60);
    const expired = await call(sandbox, 'GET', '/v2/owners/mine', withToken(sandbox.apiToken));
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.json(), failureBody('Unauthorized'));
    const renewed = await call(
      sandbox,
      'GET',
      `/appAuth?expiredToken=${encodeURIComponent(sandbox.apiToken)}`,
      { unsigned: true },
    );
    assert.equal(renewed.status, 200);
    const body = renewed.json() as { success: boolean; apiToken: string; apiTokenExpires: string };
    assert.equal(body.success, true);
    assert.equal(body.apiTokenExpires, String(BASE_S + 60 + 60));
    assert.equal((await call(sandbox, 'GET', '/v2/owners/mine', withToken(body.apiToken))).status, 200);
    await clock.setOffset(120);
    assert.equal((await call(sandbox, 'GET', '/v2/owners/mine', withToken(body.apiToken))).status, 401);
    // Moving the clock back revives the token: expiry is judged on the server clock alone.
    await clock.setOffset(0);
    assert.equal((await call(sandbox, 'GET', '/v2/owners/mine', withToken(sandbox.apiToken))).status, 200);
  });
});
