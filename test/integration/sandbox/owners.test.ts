/**
 * Owners and the current user over HTTP (rest-api-v2.md section 5, decisions.md 2.1, 2.4 and 2.5):
 * `/v2/owners`, `/v2/owners/mine`, `/v2/owners/{id}`, `/v2/owners/mine/members`, `/v2/whoami`, for the
 * main API user, the restricted one, and a sandbox with another default org.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { NOT_FOUND, failure, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, call } from '../../helpers/signer.js';

const ORG = { id: 1, name: 'Example Org', type: 'Organization' };
const COMMUNITY = { id: 2, name: 'Example Community', type: 'Community' };
const COMMON = { id: 3, name: 'Common Community', type: 'Community' };

describe('owners and the current user', () => {
  let sandbox: Sandbox;
  let restricted: CallOptions;
  before(async () => {
    sandbox = await withSandbox();
    restricted = { accessId: sandbox.restrictedUser.accessId, secretKey: sandbox.restrictedUser.secretKey };
  });
  after(async () => {
    await sandbox.close();
  });
  const get = (path: string, options: CallOptions = {}) => call(sandbox, 'GET', path, options);

  it('lists the three owners the API user may access', async () => {
    assert.deepEqual(success(await get('/v2/owners')), { resultCount: 3, owner: [ORG, COMMUNITY, COMMON] });
    assert.deepEqual(
      sampleData(0).owners.map((o) => ({ ...o })),
      [ORG, COMMUNITY, COMMON],
    );
    assert.deepEqual(success(await get('/v2/owners?resultStart=1&resultLimit=1')), { owner: [COMMUNITY] });
  });

  it("answers /v2/owners/mine with the user's organization", async () => {
    assert.deepEqual(success(await get('/v2/owners/mine')), { owner: ORG });
    assert.equal(sandbox.defaultOrg, 'Example Org');
  });

  it('answers /v2/owners/{id} for each owner, and 404 for unknown or malformed ids', async () => {
    for (const owner of [ORG, COMMUNITY, COMMON]) {
      assert.deepEqual(success(await get(`/v2/owners/${owner.id}`)), { owner });
    }
    failure(await get('/v2/owners/99'), 404, NOT_FOUND);
    failure(await get('/v2/owners/Example%20Org'), 404, NOT_FOUND);
  });

  it('lists the members of the organization', async () => {
    assert.deepEqual(success(await get('/v2/owners/mine/members')), {
      resultCount: 2,
      user: [
        { userName: 'sandbox.analyst', firstName: 'Sam', lastName: 'Analyst' },
        { userName: 'sandbox.restricted', firstName: 'Riley', lastName: 'Restricted' },
      ],
    });
  });

  it('answers /v2/whoami with the API user', async () => {
    assert.deepEqual(success(await get('/v2/whoami')), {
      user: {
        userName: 'sandbox.analyst',
        firstName: 'Sam',
        lastName: 'Analyst',
        pseudonym: 'sandbox.analyst',
        role: 'Api User',
      },
    });
    assert.deepEqual(success(await get('/v2/whoami', restricted)), {
      user: {
        userName: 'sandbox.restricted',
        firstName: 'Riley',
        lastName: 'Restricted',
        pseudonym: 'sandbox.restricted',
        role: 'Api User',
      },
    });
  });

  it('shows the restricted user only Example Org, and 403 for any other owner', async () => {
    assert.deepEqual(success(await get('/v2/owners', restricted)), { resultCount: 1, owner: [ORG] });
    assert.deepEqual(success(await get('/v2/owners/mine', restricted)), { owner: ORG });
    assert.deepEqual(success(await get('/v2/owners/1', restricted)), { owner: ORG });
    failure(await get('/v2/owners/2', restricted), 403, 'Access Denied');
    failure(await get('/v2/owners/3', restricted), 403, 'Access Denied');
    failure(await get('/v2/groups?owner=Common%20Community', restricted), 403, 'Access Denied');
    failure(await get('/v2/victims?owner=Example%20Community', restricted), 403, 'Access Denied');
    failure(await get('/v2/tasks?owner=Example%20Community', restricted), 403, 'Access Denied');
    failure(
      await get('/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community', restricted),
      403,
      'Access Denied',
    );
    failure(await get('/v2/victims/10', restricted), 403, 'Access Denied');
    // Its own org's data is served.
    const { indicator } = success(await get('/v2/indicators?owner=Example%20Org', restricted)) as {
      indicator: { ownerName: string }[];
    };
    assert.ok(indicator.length > 0);
    assert.ok(indicator.every((i) => i.ownerName === 'Example Org'));
  });

  it('refuses a write to an owner the user may not access, and writes nothing', async () => {
    const r = await call(sandbox, 'POST', '/v2/indicators/hosts?owner=Example%20Community', {
      ...restricted,
      body: JSON.stringify({ hostName: 'sneaky.example.net' }),
    });
    failure(r, 403, 'Access Denied');
    failure(await get('/v2/indicators/hosts/sneaky.example.net?owner=Example%20Community'), 404, NOT_FOUND);
  });

  it('answers an owner name that does not exist with 403', async () => {
    failure(
      await get('/v2/indicators?owner=Example%20Community%20%26%20Friends'),
      403,
      'The requested owner was not found',
    );
    failure(await get('/v2/groups?owner=example'), 403, 'The requested owner was not found');
  });
});

describe('a sandbox with another default org', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ defaultOrg: 'Acme Corp' });
  });
  after(async () => {
    await sandbox.close();
  });
  const get = (path: string) => call(sandbox, 'GET', path);

  it('creates it as an extra organization, keeps the fixed records, and uses it when no owner is given', async () => {
    assert.equal(sandbox.defaultOrg, 'Acme Corp');
    const mine = success(await get('/v2/owners/mine')).owner as { name: string; type: string; id: number };
    assert.equal(mine.name, 'Acme Corp');
    assert.equal(mine.type, 'Organization');
    const owners = success(await get('/v2/owners')).owner as { name: string }[];
    assert.deepEqual(owners.map((o) => o.name).sort(), [
      'Acme Corp',
      'Common Community',
      'Example Community',
      'Example Org',
    ]);
    assert.deepEqual(success(await get('/v2/indicators')), { resultCount: 0, indicator: [] });
    const host = success(await get('/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community'))
      .host as {
      id: number;
    };
    assert.equal(host.id, 355999);
    const created = await call(sandbox, 'POST', '/v2/indicators/hosts', {
      body: JSON.stringify({ hostName: 'acme.example.net' }),
    });
    assert.equal(created.status, 201);
    assert.deepEqual((created.json() as { data: { host: { owner: unknown } } }).data.host.owner, mine);
  });

  it('gives the extra organization the built-in labels and its own tags', async () => {
    const labels = success(await get('/v2/securityLabels')).securityLabel as { name: string }[];
    assert.equal(labels.length, 10);
    assert.ok(labels.some((l) => l.name === 'TLP:AMBER+STRICT'));
    assert.deepEqual(success(await get('/v2/tags')), { resultCount: 0, tag: [] });
  });
});
