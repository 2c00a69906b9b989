/**
 * Review of the sandbox's own interface against decisions.md 2.1 to 2.3: fault rules on `/appAuth`
 * (auth first, `pathPrefix` matched as a prefix), `shortPage` on every paged list, the key order of the
 * request log's entries, and the types of the `startSandbox` options.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  type RequestLogEntry,
  type Sandbox,
  SandboxOptionsError,
  startSandbox,
} from '../../../src/sandbox/index.js';
import { failureBody } from '../../helpers/api.js';
import { admin, setFaults, withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

async function readLog(sandbox: Sandbox): Promise<RequestLogEntry[]> {
  const r = await admin(sandbox, 'GET', 'requests');
  assert.equal(r.status, 200, r.text);
  return (r.json() as { requests: RequestLogEntry[] }).requests;
}

describe('sandbox interface review (decisions.md 2.1-2.3)', () => {
  let sandbox: Sandbox;
  const renew = (token: string) => `/appAuth?expiredToken=${encodeURIComponent(token)}`;

  before(async () => {
    sandbox = await withSandbox({});
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    assert.equal((await admin(sandbox, 'DELETE', 'faults')).status, 200);
    assert.equal((await admin(sandbox, 'DELETE', 'requests')).status, 200);
  });

  describe('/appAuth and fault rules', () => {
    it('faults /appAuth only when the path starts with the rule pathPrefix', async () => {
      // decisions.md 2.3: "`pathPrefix` matched against the raw path after the `/api` prefix" and
      // "`/appAuth` is faulted only by a rule whose `pathPrefix` is `/appAuth`".
      for (const pathPrefix of ['/appAuthX', '/appAuth/renew', '/appAuthentication']) {
        await setFaults(sandbox, { rules: [{ kind: 'status', status: 500, pathPrefix }] });
        const r = await call(sandbox, 'GET', renew(sandbox.apiToken), { unsigned: true });
        assert.equal(r.status, 200, `${pathPrefix}: ${r.text}`);
        assert.equal((r.json() as { success: boolean }).success, true);
      }
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 500, pathPrefix: '/appAuth' }] });
      const faulted = await call(sandbox, 'GET', renew(sandbox.apiToken), { unsigned: true });
      assert.equal(faulted.status, 500);
      assert.deepEqual(faulted.json(), failureBody('Injected fault 500'));
    });

    it('checks the renewed token before any rule: an unknown one gets its 401 and is not counted', async () => {
      // decisions.md 2.3: "Auth is checked first, so a request that fails auth never reaches a rule."
      await setFaults(sandbox, { rules: [{ kind: 'status', status: 503, pathPrefix: '/appAuth' }] });
      const unknown = await call(sandbox, 'GET', renew('APIV2:1:nope'), { unsigned: true });
      assert.equal(unknown.status, 401);
      assert.deepEqual(unknown.json(), { success: false, message: 'Unauthorized' });

      await setFaults(sandbox, {
        rules: [{ kind: 'status', status: 503, pathPrefix: '/appAuth', every: 2 }],
      });
      const statuses: number[] = [];
      for (const token of [sandbox.apiToken, 'APIV2:1:nope', 'APIV2:1:nope', sandbox.apiToken]) {
        statuses.push((await call(sandbox, 'GET', renew(token), { unsigned: true })).status);
      }
      // The two unknown tokens neither fire nor count: the second known renewal is the rule's 2nd match.
      assert.deepEqual(statuses, [200, 401, 401, 503]);
      const log = await readLog(sandbox);
      assert.deepEqual(
        log.map((e) => [e.status, e.fault, e.accessId]),
        [
          [401, null, null],
          [200, null, sandbox.accessId],
          [401, null, null],
          [401, null, null],
          // The faulted renewal named a token the sandbox issued: its user is known.
          [503, 'status', sandbox.accessId],
        ],
      );
    });
  });

  describe('shortPage on every paged list', () => {
    const lists: [string, string][] = [
      ['/v2/owners/mine/members', 'user'],
      ['/v2/types/attributeTypes', 'attributeType'],
      ['/v2/types/associationTypes', 'associationType'],
      ['/v2/indicators/hosts/www.badguy_014.com/dnsResolutions?owner=Example%20Community', 'dnsResolution'],
      ['/v2/victims/10/victimAssets/emailAddresses', 'victimEmailAddress'],
    ];
    for (const [path, key] of lists) {
      it(`drops the last item of ${path}, resultCount unchanged`, async () => {
        const whole = await call(sandbox, 'GET', path);
        assert.equal(whole.status, 200, whole.text);
        const full = (whole.json() as { data: Record<string, unknown[] | number> }).data;
        const items = full[key] as unknown[];
        assert.ok(items.length >= 1, `${path} has items`);
        await setFaults(sandbox, { rules: [{ kind: 'shortPage', drop: 1 }] });
        const short = await call(sandbox, 'GET', path);
        assert.equal(short.status, 200, short.text);
        const data = (short.json() as { data: Record<string, unknown[] | number> }).data;
        assert.deepEqual(data[key], items.slice(0, -1));
        assert.equal(data.resultCount, full.resultCount);
        assert.equal((await readLog(sandbox)).at(-1)?.fault, 'shortPage');
      });
    }

    it('shortens the observations of an indicator', async () => {
      const path = '/v2/indicators/hosts/www.badguy_014.com/observations?owner=Example%20Community';
      const posted = await call(sandbox, 'POST', path, { body: JSON.stringify({ count: 1 }) });
      assert.ok(posted.status < 300, posted.text);
      const whole = (await call(sandbox, 'GET', path)).json() as { data: { observation: unknown[] } };
      assert.ok(whole.data.observation.length >= 1);
      await setFaults(sandbox, { rules: [{ kind: 'shortPage', drop: 1 }] });
      const short = (await call(sandbox, 'GET', path)).json() as { data: { observation: unknown[] } };
      assert.deepEqual(short.data.observation, whole.data.observation.slice(0, -1));
    });

    it('leaves a single asset alone', async () => {
      const asset = (
        (await call(sandbox, 'GET', '/v2/victims/10/victimAssets/emailAddresses')).json() as {
          data: { victimEmailAddress: { id: number }[] };
        }
      ).data.victimEmailAddress[0];
      assert.ok(asset !== undefined);
      await setFaults(sandbox, { rules: [{ kind: 'shortPage', drop: 1 }] });
      const one = await call(sandbox, 'GET', `/v2/victims/10/victimAssets/emailAddresses/${asset.id}`);
      assert.equal(one.status, 200, one.text);
      assert.equal((await readLog(sandbox)).at(-1)?.fault, null);
    });
  });

  describe('request log', () => {
    it('gives each entry its keys in the order of decisions.md 2.2', async () => {
      assert.equal((await call(sandbox, 'GET', '/v2/owners/mine')).status, 200);
      const r = await admin(sandbox, 'GET', 'requests');
      // The text itself, so that the order is checked, not only the set of keys.
      const entry = /"requests":\[(\{[^}]*\})/.exec(r.text)?.[1];
      assert.ok(entry !== undefined, r.text);
      assert.deepEqual(Object.keys(JSON.parse(entry) as object), [
        'seq',
        'method',
        'target',
        'status',
        'accessId',
        'time',
        'fault',
      ]);
    });
  });
});

describe('startSandbox option types (decisions.md 2.1)', () => {
  const refused: [string, Record<string, unknown>][] = [
    ['a non-string host', { host: 5 }],
    ['an empty host', { host: '' }],
    ['a non-boolean https', { https: 'yes' }],
    ['a number for https', { https: 1 }],
    ['a non-function clock', { clock: 1_800_000_000_000 }],
    ['a non-string dbPath', { dbPath: 5 }],
    ['an empty dbPath', { dbPath: '' }],
    ['a numeric accessId', { accessId: 5, secretKey: 'secret' }],
    ['empty credentials', { accessId: '', secretKey: '' }],
    ['an empty secretKey', { accessId: 'ID', secretKey: ' ' }],
  ];
  for (const [what, options] of refused) {
    it(`refuses ${what} with SandboxOptionsError`, async () => {
      await assert.rejects(startSandbox(options), (error: unknown) => error instanceof SandboxOptionsError);
    });
  }
});
