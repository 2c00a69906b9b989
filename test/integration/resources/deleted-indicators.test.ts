/**
 * `/v2/indicators/deleted` and `/v2/indicators/{branch}/deleted` (rest-api-v2.md 6.5) in the sandbox,
 * and `tc.indicators().deleted()` in the SDK: the wire shape, `deletedSince`, the typed listing, the
 * route order (`deleted` is no branch), owner isolation, the retention window, paging, the store-level
 * hook, and the SDK's option errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { IndicatorType, ValidationError } from '../../../src/index.js';
import { sampleDataBatches } from '../../../src/sandbox/sample-data.js';
import { initialiseStore } from '../../../src/sandbox/seed.js';
import { DELETED_RETENTION_MS, Store } from '../../../src/sandbox/store.js';
import { call, useSandboxClient } from '../../helpers/sandbox.js';

/** The sandbox's clock, moved by the tests (the client signs with the same clock). */
let now = Date.parse('2030-01-01T00:00:00Z');
const clock = { now: () => now };

describe('deleted indicators', () => {
  const fixture = useSandboxClient({ sandbox: { clock: () => now }, client: { clock } });

  async function create(branch: string, body: Record<string, unknown>, owner = 'Example Org'): Promise<void> {
    const r = await call(
      fixture.sandbox,
      'POST',
      `/v2/indicators/${branch}?owner=${encodeURIComponent(owner)}`,
      {
        body: JSON.stringify(body),
        timestamp: Math.floor(now / 1000),
      },
    );
    assert.equal(r.status, 201, r.text);
  }

  async function remove(branch: string, value: string, owner = 'Example Org'): Promise<void> {
    const path = `/v2/indicators/${branch}/${encodeURIComponent(value)}?owner=${encodeURIComponent(owner)}`;
    const r = await call(fixture.sandbox, 'DELETE', path, { timestamp: Math.floor(now / 1000) });
    assert.equal(r.status, 200, r.text);
  }

  async function get(path: string, options: { accessId?: string; secretKey?: string } = {}) {
    return call(fixture.sandbox, 'GET', path, { timestamp: Math.floor(now / 1000), ...options });
  }

  it('lists a deleted indicator with exactly ownerName, type, dateAdded and summary, and the typed listing too', async () => {
    await create('hosts', { hostName: 'gone-1.example.com' });
    await create('addresses', { ip: '192.0.2.201' });
    now += 60_000;
    await remove('hosts', 'gone-1.example.com');
    await remove('addresses', '192.0.2.201');

    const all = await get('/v2/indicators/deleted');
    assert.equal(all.status, 200, all.text);
    const body = all.json() as { status: string; data: { resultCount: number; indicator: unknown[] } };
    assert.equal(body.status, 'Success');
    assert.deepEqual(body.data.indicator, [
      {
        ownerName: 'Example Org',
        type: 'Host',
        dateAdded: '2030-01-01T00:00:00Z',
        summary: 'gone-1.example.com',
      },
      {
        ownerName: 'Example Org',
        type: 'Address',
        dateAdded: '2030-01-01T00:00:00Z',
        summary: '192.0.2.201',
      },
    ]);
    assert.equal(body.data.resultCount, 2);

    const hosts = (await get('/v2/indicators/hosts/deleted')).json() as {
      data: { indicator: { summary: string }[] };
    };
    assert.deepEqual(
      hosts.data.indicator.map((i) => i.summary),
      ['gone-1.example.com'],
    );
    // The indicator itself is gone.
    assert.equal((await get('/v2/indicators/hosts/gone-1.example.com')).status, 404);
  });

  it('routes deleted before the branch and value routes: an unknown branch is still a 404', async () => {
    const unknown = await get('/v2/indicators/nope/deleted');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /The requested resource was not found/);
    // POST to `deleted` is not a create of a "deleted" branch either.
    const post = await call(fixture.sandbox, 'POST', '/v2/indicators/deleted', {
      body: '{}',
      timestamp: Math.floor(now / 1000),
    });
    assert.equal(post.status, 404);
  });

  it('keeps deletions at or after deletedSince, and refuses a deletedSince that is not a date', async () => {
    await create('hosts', { hostName: 'gone-2.example.com' });
    const before = new Date(now + 30_000).toISOString();
    now += 60_000;
    await remove('hosts', 'gone-2.example.com');
    const since = (await get(`/v2/indicators/deleted?deletedSince=${before}`)).json() as {
      data: { indicator: { summary: string }[] };
    };
    assert.deepEqual(
      since.data.indicator.map((i) => i.summary),
      ['gone-2.example.com'],
    );
    const bad = await get('/v2/indicators/deleted?deletedSince=yesterday');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), {
      status: 'Failure',
      message: 'The deletedSince value is invalid: yesterday',
    });
  });

  it("lists the requested owner's deletions only, and refuses an owner out of the user's reach", async () => {
    await create('hosts', { hostName: 'community-gone.example.com' }, 'Example Community');
    await remove('hosts', 'community-gone.example.com', 'Example Community');
    const org = (await get('/v2/indicators/deleted')).json() as {
      data: { indicator: { summary: string }[] };
    };
    assert.ok(!org.data.indicator.some((i) => i.summary === 'community-gone.example.com'));
    const community = (await get('/v2/indicators/deleted?owner=Example%20Community')).json() as {
      data: { indicator: { summary: string; ownerName: string }[] };
    };
    assert.deepEqual(community.data.indicator, [
      {
        ownerName: 'Example Community',
        type: 'Host',
        dateAdded: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        summary: 'community-gone.example.com',
      },
    ]);
    const { accessId, secretKey } = fixture.sandbox.restrictedUser;
    const denied = await get('/v2/indicators/deleted?owner=Example%20Community', { accessId, secretKey });
    assert.equal(denied.status, 403);
  });

  it('SDK: deleted() pages through every deletion, filtered by since, type and owner', async () => {
    const tc = fixture.client({ apiResultLimit: 2 });
    const start = new Date(now + 1000);
    now += 2000;
    for (let i = 0; i < 5; i += 1) await create('hosts', { hostName: `paged-${i}.example.com` });
    await create('urls', { text: 'https://paged.example.com/x' });
    for (let i = 0; i < 5; i += 1) await remove('hosts', `paged-${i}.example.com`);
    await remove('urls', 'https://paged.example.com/x');

    const seen = [];
    for await (const d of tc.indicators().deleted({ since: start })) seen.push(d.summary);
    assert.deepEqual(
      seen,
      [0, 1, 2, 3, 4].map((i) => `paged-${i}.example.com`).concat('https://paged.example.com/x'),
    );

    const hosts = [];
    for await (const d of tc.indicators().deleted({ since: start.toISOString(), type: IndicatorType.HOSTS }))
      hosts.push(d.type);
    assert.deepEqual(hosts, ['Host', 'Host', 'Host', 'Host', 'Host']);

    const both = [];
    for await (const d of tc.indicators().deleted({ owner: ['Example Org', 'Example Community'] }))
      both.push(d.ownerName);
    assert.ok(both.includes('Example Community') && both.includes('Example Org'));
  });

  it('SDK: a bad option is a ValidationError naming it, before any request', () => {
    const tc = fixture.client();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ since: 'soon' }, /^deleted: `since` must be a Date or an ISO 8601 date, got "soon"$/],
      [{ since: new Date(Number.NaN) }, /^deleted: `since` is an invalid Date$/],
      [{ type: IndicatorType.CUSTOM_INDICATORS }, /^deleted: `type` must be an IndicatorType with a listing/],
      [{ owner: [] }, /^deleted: `owner` must be an owner name or a non-empty array of them/],
      [
        { sinse: 'x' },
        /^deleted: unknown option `sinse` \(options: since, type, owner, signal, concurrency\)$/,
      ],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => tc.indicators().deleted(options),
        (error: unknown) => error instanceof ValidationError && message.test(error.message),
        JSON.stringify(options),
      );
    }
  });

  it('forgets deletions older than the retention window', async () => {
    await create('hosts', { hostName: 'old-gone.example.com' });
    await remove('hosts', 'old-gone.example.com');
    const listed = async () =>
      (
        (await get('/v2/indicators/deleted')).json() as { data: { indicator: { summary: string }[] } }
      ).data.indicator.map((i) => i.summary);
    assert.ok((await listed()).includes('old-gone.example.com'));
    now += DELETED_RETENTION_MS + 1000;
    assert.ok(!(await listed()).includes('old-gone.example.com'));
  });
});

describe('Store.deleteIndicators', () => {
  it('records every indicator it deletes, drops its links, and purges records past retention', () => {
    const store = new Store(new Database(':memory:'));
    initialiseStore(store, () => sampleDataBatches(20), {}, 'Example Org');
    const ids = store.all<{ id: number }>('SELECT id FROM indicators ORDER BY id LIMIT 3').map((r) => r.id);
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(store.deleteIndicators([...ids, 999_999_999], t0), 3);
    assert.equal(store.all('SELECT 1 FROM indicators WHERE id IN (?, ?, ?)', ...ids).length, 0);
    assert.equal(store.all("SELECT 1 FROM links WHERE a_kind = 'indicator' AND a_id = ?", ids[0]).length, 0);
    assert.deepEqual(
      store
        .all<{ indicator_id: number }>('SELECT indicator_id FROM deleted_indicators ORDER BY seq')
        .map((r) => r.indicator_id),
      ids,
    );
    const next = store.all<{ id: number }>('SELECT id FROM indicators ORDER BY id LIMIT 1').map((r) => r.id);
    store.deleteIndicators(next, t0 + DELETED_RETENTION_MS + 1);
    assert.deepEqual(
      store
        .all<{ indicator_id: number }>('SELECT indicator_id FROM deleted_indicators')
        .map((r) => r.indicator_id),
      next,
    );
  });
});
