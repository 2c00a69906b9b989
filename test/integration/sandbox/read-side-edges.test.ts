/**
 * Edges of the sandbox's read side for indicators and groups, against rest-api-v2.md and decisions.md:
 * `modifiedSince` read as ISO 8601 (UTC without an offset, 400 otherwise), `includeAdditional` on
 * group lists, the 401 for a timestamp in milliseconds, and the owner in a created indicator's webLink.
 * Each was a deviation found in a review.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

interface Listing {
  status: string;
  message?: string;
  data?: Record<string, unknown> & { resultCount?: number };
}

describe('sandbox read side: edges', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  const get = async (path: string): Promise<{ status: number; body: Listing }> => {
    const r = await call(sandbox, 'GET', path);
    return { status: r.status, body: r.json() as Listing };
  };

  // rest-api-v2.md 4: "`modifiedSince` | indicator collections | ISO-8601, e.g. `2017-08-21T12:00:00Z`".
  // docs/decisions.md, "Query filters" 5: "a filter date without an offset is UTC (... the sandbox's is
  // UTC)". The sandbox parsed modifiedSince with Date.parse, so a date-time without an offset was read in
  // the machine's local zone (the answer depended on TZ), and text that is not ISO 8601 was taken.
  it('reads a modifiedSince without an offset as UTC, whatever the machine zone', async () => {
    const previous = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const path = '/v2/indicators?owner=Example%20Community&resultLimit=1&modifiedSince=';
      const zoned = await get(`${path}2015-06-21T12:00:00Z`);
      const zoneless = await get(`${path}2015-06-21T12:00:00`);
      assert.equal(zoned.status, 200);
      assert.equal(zoneless.status, 200);
      assert.equal(zoneless.body.data?.resultCount, zoned.body.data?.resultCount);
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('refuses a modifiedSince that is not ISO 8601', async () => {
    for (const value of ['June%2017%2C%202015', '1']) {
      const r = await get(`/v2/indicators?modifiedSince=${value}`);
      assert.equal(r.status, 400, `modifiedSince=${value}: ${JSON.stringify(r.body)}`);
    }
  });

  // rest-api-v2.md 7.2: "`includeAdditional=true` adds `xid` ..., `createdBy`, `communityOrSource`,
  // `additionalOwners[]`, and incident `status` [D]". docs/decisions.md 35 keeps groups unchanged
  // because "the sandbox already sends every field it stores"; a typed incident listing does not.
  it('adds the incident status to incident list items with includeAdditional=true', async () => {
    const single = await get('/v2/groups/incidents/814');
    const stored = (single.body.data?.incident as { status?: string }).status;
    assert.equal(stored, 'Containment Achieved');
    for (const path of [
      '/v2/groups/incidents?owner=Example%20Community&includeAdditional=true',
      '/v2/groups/incidents?owner=Example%20Community&includes=additional',
    ]) {
      const r = await get(path);
      assert.equal(r.status, 200);
      const item = (r.body.data?.incident as { id: number; status?: string }[]).find((i) => i.id === 814);
      assert.equal(item?.status, stored, path);
    }
  });

  // rest-api-v2.md 2.4: "`Invalid timestamp` | non-numeric Timestamp"; "`Timestamp out of acceptable
  // time range` | skew > 5 min". A timestamp in milliseconds is numeric, with a skew far above 5 min.
  it('answers a numeric timestamp in milliseconds with the time-range message', async () => {
    const r = await call(sandbox, 'GET', '/v2/indicators', { timestamp: Date.now() });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { status: 'Failure', message: 'Timestamp out of acceptable time range' });
  });
});

// rest-api-v2.md 3.4: webLink patterns end `&owner=<Owner+Name>` (the name form-encoded, as the recorded
// `owner=Example+Community`); tag webLinks and the sample records' webLinks encode the name, but an
// indicator created through POST only replaced spaces, so `&` and `+` in an owner name broke the link.
describe('sandbox webLink of a created indicator', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ defaultOrg: 'Acme & Co+1' });
  });
  after(async () => {
    await sandbox.close();
  });

  it('form-encodes the owner name in the webLink', async () => {
    const r = await call(sandbox, 'POST', '/v2/indicators/hosts', {
      body: JSON.stringify({ hostName: 'weblink.example.com' }),
    });
    assert.equal(r.status, 201, r.text);
    const link = (r.json() as { data: { host: { webLink: string } } }).data.host.webLink;
    const params = new URL(link).searchParams;
    assert.equal(params.get('host'), 'weblink.example.com');
    assert.equal(params.get('owner'), 'Acme & Co+1', link);
  });
});
