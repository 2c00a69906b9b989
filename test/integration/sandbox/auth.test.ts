import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call, signHeaders } from '../../helpers/signer.js';

describe('test signer known-answer vectors (rest-api-v2.md 2.2, python-sdk-observed.md 3.4)', () => {
  it('matches the spec worked example', () => {
    const headers = signHeaders(
      'EXAMPLE-ACCESS-ID-0001',
      'example-secret-key-do-not-use',
      'GET',
      '/api/v2/indicators/hosts/example.com?owner=Example%20Community&resultStart=0&resultLimit=100',
      1700000000,
    );
    assert.equal(
      headers.Authorization,
      'TC EXAMPLE-ACCESS-ID-0001:ZZKt7aBe0xgPYkv23X8n6FZk2pUJ74mQGlK39RZB+zM=',
    );
    const post = signHeaders(
      'EXAMPLE-ACCESS-ID-0001',
      'example-secret-key-do-not-use',
      'POST',
      '/api/v2/indicators/urls/http%3A%2F%2Fexample.com%2Fbad.php/tags/Nation%20State',
      1700000000,
    );
    assert.equal(
      post.Authorization,
      'TC EXAMPLE-ACCESS-ID-0001:a+eOXeWIEnJ5f/cjB0dJ+LvrvmkXkcujkBY2MDMXSgs=',
    );
  });

  it('matches the Python SDK vectors', () => {
    const sign = (method: string, path: string) =>
      signHeaders('12345678901234567890', 'test-secret-key', method, path, 1700000000).Authorization;
    assert.equal(
      sign(
        'GET',
        '/api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=0',
      ),
      'TC 12345678901234567890:QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=',
    );
    assert.equal(
      sign('POST', '/api/v2/groups/documents?createActivityLog=false&owner=Example+Community'),
      'TC 12345678901234567890:ahiW+hBSGyddFv8dOzNenr14d2CWwl0Zyl92/YmnCFQ=',
    );
  });
});

describe('sandbox HMAC and token auth', () => {
  let sandbox: Sandbox;
  const now = 1_700_000_000_000;
  before(async () => {
    sandbox = await withSandbox({
      accessId: '12345678901234567890',
      secretKey: 'test-secret-key',
      clock: () => now,
    });
  });
  after(async () => {
    await sandbox.close();
  });

  const failure = (status: number, message: string) => ({ status, body: { status: 'Failure', message } });
  const observe = async (p: Promise<{ status: number; json: () => unknown }>) => {
    const r = await p;
    return { status: r.status, body: r.json() };
  };

  it('accepts the recorded Python SDK request byte for byte (signature from python-sdk-observed.md 3.4)', async () => {
    const r = await call(
      sandbox,
      'GET',
      '/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=0',
      {
        timestamp: 1700000000,
        headers: { Authorization: 'TC 12345678901234567890:QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=' },
      },
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
  });

  it('verifies + and %20 spellings of a space as received', async () => {
    for (const owner of ['Example+Community', 'Example%20Community']) {
      const r = await call(sandbox, 'GET', `/v2/indicators?owner=${owner}&resultLimit=1`, {
        timestamp: 1700000000,
      });
      assert.equal(r.status, 200);
      const data = (r.json() as { data: { indicator: { ownerName: string }[] } }).data;
      assert.equal(data.indicator[0]?.ownerName, 'Example Community');
    }
  });

  it('rejects a missing Authorization header with 401 Access Denied', async () => {
    assert.deepEqual(
      await observe(call(sandbox, 'GET', '/v2/owners', { unsigned: true })),
      failure(401, 'Access Denied'),
    );
  });

  it('rejects an unknown access id with 401 Access Denied', async () => {
    const r = await observe(
      call(sandbox, 'GET', '/v2/owners', { timestamp: 1700000000, accessId: 'nobody' }),
    );
    assert.deepEqual(r, failure(401, 'Access Denied'));
  });

  it('rejects a bad signature', async () => {
    const r = await observe(
      call(sandbox, 'GET', '/v2/owners', { timestamp: 1700000000, secretKey: 'wrong' }),
    );
    assert.deepEqual(r, failure(401, 'Signature data did not match expected result'));
  });

  it('rejects a signature over a different target (re-encoded query)', async () => {
    const headers = signHeaders(
      '12345678901234567890',
      'test-secret-key',
      'GET',
      '/api/v2/indicators?owner=Example%20Community',
      1700000000,
    );
    const r = await observe(
      call(sandbox, 'GET', '/v2/indicators?owner=Example+Community', { unsigned: true, headers }),
    );
    assert.deepEqual(r, failure(401, 'Signature data did not match expected result'));
  });

  it('rejects a timestamp outside ±300 s and accepts one at the edge', async () => {
    assert.equal((await call(sandbox, 'GET', '/v2/owners', { timestamp: 1700000000 - 300 })).status, 200);
    assert.equal((await call(sandbox, 'GET', '/v2/owners', { timestamp: 1700000000 + 300 })).status, 200);
    for (const ts of [1700000000 - 301, 1700000000 + 301]) {
      const r = await observe(call(sandbox, 'GET', '/v2/owners', { timestamp: ts }));
      assert.deepEqual(r, failure(401, 'Timestamp out of acceptable time range'));
    }
  });

  it('rejects a non-numeric timestamp and a missing one', async () => {
    const headers = signHeaders(
      '12345678901234567890',
      'test-secret-key',
      'GET',
      '/api/v2/owners',
      1700000000,
    );
    const bad = await observe(
      call(sandbox, 'GET', '/v2/owners', { unsigned: true, headers: { ...headers, Timestamp: 'soon' } }),
    );
    assert.deepEqual(bad, failure(401, 'Invalid timestamp'));
    const missing = await observe(
      call(sandbox, 'GET', '/v2/owners', {
        unsigned: true,
        headers: { Authorization: headers.Authorization ?? '' },
      }),
    );
    assert.deepEqual(missing, failure(401, 'Access Denied'));
  });

  it('gives the restricted user 403 for an owner it may not access, and no data', async () => {
    const r = await observe(
      call(sandbox, 'GET', '/v2/indicators?owner=Example%20Community', {
        timestamp: 1700000000,
        accessId: sandbox.restrictedUser.accessId,
        secretKey: sandbox.restrictedUser.secretKey,
      }),
    );
    assert.deepEqual(r, failure(403, 'Access Denied'));
    const group = await observe(
      call(sandbox, 'GET', '/v2/groups/threats/38', {
        timestamp: 1700000000,
        accessId: sandbox.restrictedUser.accessId,
        secretKey: sandbox.restrictedUser.secretKey,
      }),
    );
    assert.deepEqual(group, failure(403, 'Access Denied'));
  });

  it('serves TC-Token auth, renews through /appAuth, and refuses unknown tokens', async () => {
    const tokenHeaders = (token: string) => ({
      unsigned: true,
      headers: { Authorization: `TC-Token ${token}` },
    });
    const ok = await call(sandbox, 'GET', '/v2/owners/mine', tokenHeaders(sandbox.apiToken));
    assert.equal(ok.status, 200);
    assert.deepEqual((ok.json() as { data: { owner: { name: string } } }).data.owner.name, 'Example Org');
    const unknown = await observe(call(sandbox, 'GET', '/v2/owners', tokenHeaders('APIV2:1:nope')));
    assert.deepEqual(unknown, failure(401, 'Unauthorized'));
    const renewed = await call(
      sandbox,
      'GET',
      `/appAuth?expiredToken=${encodeURIComponent(sandbox.apiToken)}`,
      { unsigned: true },
    );
    assert.equal(renewed.status, 200);
    const body = renewed.json() as { success: boolean; apiToken: string; apiTokenExpires: string };
    assert.equal(body.success, true);
    assert.equal(typeof body.apiTokenExpires, 'string');
    assert.equal(Number(body.apiTokenExpires), 1700000000 + 3600);
    assert.notEqual(body.apiToken, sandbox.apiToken);
    assert.equal((await call(sandbox, 'GET', '/v2/owners', tokenHeaders(body.apiToken))).status, 200);
    // The old token stays valid until its own expiry.
    assert.equal((await call(sandbox, 'GET', '/v2/owners', tokenHeaders(sandbox.apiToken))).status, 200);
    const refused = await observe(call(sandbox, 'GET', '/appAuth?expiredToken=unknown', { unsigned: true }));
    assert.deepEqual(refused, { status: 401, body: { success: false, message: 'Unauthorized' } });
  });
});
