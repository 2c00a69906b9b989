/**
 * Indicator intelligence over HTTP (rest-api-v2.md 6.6, 5): observations, the observed listing, false
 * positives (once per user, indicator and day, on the sandbox's clock), file occurrences, DNS
 * resolutions, the owners of a value, and what `includeAdditional` reports of them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { NOT_FOUND, OWNERS, done, exactList, failure, item, success } from '../../helpers/api.js';
import { serverNow, setServerClock, withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call } from '../../helpers/signer.js';

/** The sandbox's base clock: frozen, so that "today" is known (no wall-clock time is asserted). */
const CLOCK_MS = Date.parse('2024-03-10T12:00:00Z');
const TODAY = '2024-03-10';
const EC = 'owner=Example%20Community';
const CC = 'owner=Common%20Community';
const DATA = sampleData(0);
const indicator = (id: number) => {
  const found = DATA.indicators.find((i) => i.id === id);
  assert.ok(found, `sample indicator ${id}`);
  return found;
};
const POOL20_HOST = indicator(100020).summary;

describe('indicator intelligence (sandbox)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ clock: () => CLOCK_MS });
  });
  after(async () => {
    await sandbox.close();
  });

  const send = (method: string, target: string, body?: unknown, restricted = false): Promise<RawResponse> =>
    call(sandbox, method, target, {
      timestamp: serverNow(sandbox),
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      ...(restricted ? sandbox.restrictedUser : {}),
    });
  const get = (target: string, restricted = false) => send('GET', target, undefined, restricted);
  const post = (target: string, body?: unknown, restricted = false) => send('POST', target, body, restricted);

  describe('observations', () => {
    it('lists the sample observations per day, paged, with resultCount on the first window', async () => {
      const first = exactList(
        await get(`/v2/indicators/addresses/10.20.30.40/observations?${EC}`),
        'observation',
      );
      assert.deepEqual(first, {
        total: 2,
        items: [
          { count: 5, dateObserved: '2015-06-19T00:00:00Z' },
          { count: 1, dateObserved: '2015-06-20T00:00:00Z' },
        ],
      });
      const second = success(
        await get(`/v2/indicators/addresses/10.20.30.40/observations?${EC}&resultStart=1&resultLimit=1`),
      );
      assert.deepEqual(second, { observation: [{ count: 1, dateObserved: '2015-06-20T00:00:00Z' }] });
    });

    it('counts everyone and the caller (observationCount)', async () => {
      assert.deepEqual(
        item(await get(`/v2/indicators/addresses/10.20.30.40/observationCount?${EC}`), 'observationCount'),
        {
          count: 6,
          lastObserved: '2015-06-20T08:15:00Z',
          yourCount: 4,
          yourLastObserved: '2015-06-20T08:15:00Z',
        },
      );
      assert.deepEqual(
        item(await get(`/v2/indicators/hosts/www.badguy_014.com/observationCount?${EC}`), 'observationCount'),
        { count: 5, lastObserved: '2015-06-21T16:45:00Z', yourCount: 0 },
      );
    });

    it('lists the observed indicators of an owner, latest first, and of one day', async () => {
      const all = exactList(await get(`/v2/indicators/observed?${EC}`), 'indicator');
      assert.deepEqual(all, {
        total: 3,
        items: [
          {
            summary: 'www.badguy_014.com',
            observationCount: 5,
            lastObserved: '2015-06-21T16:45:00Z',
            userObservedList: [
              { userName: 'sensor.alpha', userLastObservedDate: '2015-06-21T16:45:00Z', count: 5 },
            ],
          },
          {
            summary: '10.20.30.40',
            observationCount: 6,
            lastObserved: '2015-06-20T08:15:00Z',
            userObservedList: [
              { userName: 'sandbox.analyst', userLastObservedDate: '2015-06-20T08:15:00Z', count: 4 },
              { userName: 'sensor.alpha', userLastObservedDate: '2015-06-19T11:20:00Z', count: 2 },
            ],
          },
          {
            summary: indicator(100000).summary,
            observationCount: 1,
            lastObserved: '2015-06-02T09:30:00Z',
            userObservedList: [
              { userName: 'sandbox.analyst', userLastObservedDate: '2015-06-02T09:30:00Z', count: 1 },
            ],
          },
        ],
      });
      const day = exactList(await get(`/v2/indicators/observed?${EC}&dateObserved=2015-06-19`), 'indicator');
      assert.deepEqual(day.items, [
        {
          summary: '10.20.30.40',
          observationCount: 5,
          lastObserved: '2015-06-19T14:00:00Z',
          userObservedList: [
            { userName: 'sandbox.analyst', userLastObservedDate: '2015-06-19T14:00:00Z', count: 3 },
            { userName: 'sensor.alpha', userLastObservedDate: '2015-06-19T11:20:00Z', count: 2 },
          ],
        },
      ]);
      // Without owner: the user's organization, whose 10.20.30.40 (356000) has its own observations.
      const org = exactList(await get('/v2/indicators/observed'), 'indicator');
      assert.deepEqual(
        org.items.map((i) => [i.summary, i.observationCount]),
        [['10.20.30.40', 4]],
      );
      assert.deepEqual(
        exactList(await get(`/v2/indicators/observed?${EC}&dateObserved=2001-01-01`), 'indicator'),
        {
          total: 0,
          items: [],
        },
      );
    });

    it('refuses a malformed dateObserved parameter', async () => {
      for (const bad of ['2015-6-19', '2015-02-30', '2015-13-01', 'today', '2015-06-19T00:00:00Z']) {
        failure(
          await get(`/v2/indicators/observed?dateObserved=${encodeURIComponent(bad)}`),
          400,
          'The dateObserved parameter is invalid, please enter a date such as 2024-01-02',
        );
      }
    });

    it('adds observations per user and day, on the server clock', async () => {
      const base = `/v2/indicators/hosts/${POOL20_HOST}`;
      done(await post(`${base}/observations?${EC}`, { count: 3 }));
      done(await post(`${base}/observations?${EC}`, { count: '2' }));
      done(await post(`${base}/observations?${EC}`, { count: 1, dateObserved: '2024-03-01' }));
      assert.deepEqual(exactList(await get(`${base}/observations?${EC}`), 'observation').items, [
        { count: 1, dateObserved: '2024-03-01T00:00:00Z' },
        { count: 5, dateObserved: `${TODAY}T00:00:00Z` },
      ]);
      assert.deepEqual(item(await get(`${base}/observationCount?${EC}`), 'observationCount'), {
        count: 6,
        lastObserved: `${TODAY}T12:00:00Z`,
        yourCount: 6,
        yourLastObserved: `${TODAY}T12:00:00Z`,
      });
      const observed = exactList(
        await get(`/v2/indicators/observed?${EC}&dateObserved=${TODAY}`),
        'indicator',
      );
      assert.deepEqual(observed.items, [
        {
          summary: POOL20_HOST,
          observationCount: 5,
          lastObserved: `${TODAY}T12:00:00Z`,
          userObservedList: [
            { userName: 'sandbox.analyst', userLastObservedDate: `${TODAY}T12:00:00Z`, count: 5 },
          ],
        },
      ]);
    });

    it('refuses a bad count or date with 400 and a message naming it, and changes nothing', async () => {
      const target = `/v2/indicators/hosts/${POOL20_HOST}/observations?${EC}`;
      const before = (await get(target)).text;
      const countMessage =
        'The count for this Observation is invalid, it must be a whole number from 1 to 2147483647';
      for (const count of [0, -1, 1.5, 'abc', '', true, null, 2147483648, [1]])
        failure(await post(target, { count }), 400, countMessage);
      failure(await post(target, {}), 400, countMessage);
      failure(
        await post(target, { count: 1, dateObserved: 'yesterday' }),
        400,
        'The dateObserved for this Observation is invalid, please enter an ISO 8601 date such as 2024-01-02 or 2024-01-02T03:04:05Z',
      );
      failure(
        await post(target, { count: 1, dateObserved: '2024-03-11' }),
        400,
        'The dateObserved for this Observation is invalid, it is in the future',
      );
      failure(await post(target, '[1]'), 400, 'The request was not properly formed');
      assert.equal((await get(target)).text, before);
    });

    it('answers 404 for an unknown indicator or method, 403 for an owner out of reach', async () => {
      failure(await get(`/v2/indicators/hosts/nope.example.com/observations?${EC}`), 404, NOT_FOUND);
      failure(
        await send('PUT', `/v2/indicators/hosts/${POOL20_HOST}/observations?${EC}`, { count: 1 }),
        404,
        NOT_FOUND,
      );
      failure(await get(`/v2/indicators/hosts/${POOL20_HOST}/observations/1?${EC}`), 404, NOT_FOUND);
      failure(
        await post(`/v2/indicators/hosts/${POOL20_HOST}/observationCount?${EC}`, { count: 1 }),
        404,
        NOT_FOUND,
      );
      failure(
        await get(`/v2/indicators/hosts/${POOL20_HOST}/observations?${EC}`, true),
        403,
        'Access Denied',
      );
    });
  });

  describe('false positives', () => {
    it('counts once per user, per indicator, per day on the sandbox clock', async () => {
      const target = `/v2/indicators/hosts/${POOL20_HOST}/falsePositive?${EC}`;
      const first = { count: 1, lastReported: `${TODAY}T12:00:00Z` };
      assert.deepEqual(item(await post(target), 'falsePositive'), first);
      assert.deepEqual(item(await post(target), 'falsePositive'), first);
      await setServerClock(sandbox, 86_400);
      try {
        assert.deepEqual(item(await post(target), 'falsePositive'), {
          count: 2,
          lastReported: '2024-03-11T12:00:00Z',
        });
        assert.deepEqual(item(await post(target), 'falsePositive').count, 2);
      } finally {
        await setServerClock(sandbox, 0);
      }
    });

    it('counts each user apart, and adds to the sample reports', async () => {
      // 356000 is Example Org's, which the restricted user may access too.
      assert.deepEqual(
        item(await post('/v2/indicators/addresses/10.20.30.40/falsePositive'), 'falsePositive').count,
        1,
      );
      assert.deepEqual(
        item(
          await post('/v2/indicators/addresses/10.20.30.40/falsePositive', undefined, true),
          'falsePositive',
        ).count,
        2,
      );
      const pool = `/v2/indicators/hosts/${indicator(100000).summary}/falsePositive?${EC}`;
      assert.deepEqual(item(await post(pool), 'falsePositive'), {
        count: 3,
        lastReported: `${TODAY}T12:00:00Z`,
      });
      failure(await get(pool), 404, NOT_FOUND);
    });
  });

  describe('file occurrences', () => {
    const file = `/v2/indicators/files/${indicator(356002).md5?.toLowerCase()}/fileOccurrences`;

    it("lists a file's occurrences as an array without resultCount, and gets one", async () => {
      const data = success(await get(`${file}?${EC}`));
      assert.deepEqual(data, {
        fileOccurrence: [
          {
            id: 1,
            fileName: 'invoice.pdf.exe',
            path: 'C:\\Users\\jdoe\\Downloads',
            date: '2015-06-17T13:00:00Z',
          },
          { id: 2, fileName: 'svchost.exe', path: 'C:\\Windows\\Temp' },
        ],
      });
      assert.deepEqual(item(await get(`${file}/2?${EC}`), 'fileOccurrence'), {
        id: 2,
        fileName: 'svchost.exe',
        path: 'C:\\Windows\\Temp',
      });
      // Occurrence 3 is another file's.
      failure(await get(`${file}/3?${EC}`), 404, NOT_FOUND);
      failure(await get(`${file}/x?${EC}`), 404, NOT_FOUND);
    });

    it('creates, updates and deletes an occurrence', async () => {
      const created = item(
        await post(`${file}?${EC}`, { fileName: 'a.exe', path: '/x', date: '2024-01-02T03:04:05+01:00' }),
        'fileOccurrence',
        201,
      );
      assert.deepEqual(created, {
        id: created.id,
        fileName: 'a.exe',
        path: '/x',
        date: '2024-01-02T02:04:05Z',
      });
      assert.ok(created.id > 4);
      const updated = item(
        await send('PUT', `${file}/${created.id}?${EC}`, { path: '/y', date: null }),
        'fileOccurrence',
      );
      assert.deepEqual(updated, { id: created.id, fileName: 'a.exe', path: '/y' });
      assert.deepEqual(item(await get(`${file}/${created.id}?${EC}`), 'fileOccurrence'), updated);
      failure(
        await send('PUT', `${file}/${created.id}?${EC}`, { fileName: null, path: '' }),
        400,
        'The request was not properly formed: a file occurrence needs at least one of fileName, path and date',
      );
      done(await send('DELETE', `${file}/${created.id}?${EC}`));
      failure(await get(`${file}/${created.id}?${EC}`), 404, NOT_FOUND);
      assert.equal((success(await get(`${file}?${EC}`)).fileOccurrence as unknown[]).length, 2);
    });

    it('refuses bad bodies with 400 and a message', async () => {
      const needsOne =
        'The request was not properly formed: a file occurrence needs at least one of fileName, path and date';
      failure(await post(`${file}?${EC}`, {}), 400, needsOne);
      failure(await post(`${file}?${EC}`, { fileName: '', path: null }), 400, needsOne);
      failure(
        await post(`${file}?${EC}`, { fileName: 5 }),
        400,
        'The fileName for this File Occurrence is invalid',
      );
      failure(
        await post(`${file}?${EC}`, { date: 'last week' }),
        400,
        'The date for this File Occurrence is invalid, please enter an ISO 8601 date such as 2024-01-02T03:04:05Z',
      );
      failure(
        await post(`${file}?${EC}`, { path: 'a\u0000b' }),
        400,
        'The path for this File Occurrence is invalid, it may not contain control characters',
      );
    });

    it('exists on files only: another type answers 404', async () => {
      failure(await get(`/v2/indicators/hosts/www.badguy_014.com/fileOccurrences?${EC}`), 404, NOT_FOUND);
      failure(
        await post(`/v2/indicators/hosts/www.badguy_014.com/fileOccurrences?${EC}`, { path: '/x' }),
        404,
        NOT_FOUND,
      );
    });
  });

  describe('DNS resolutions', () => {
    const address = (id: number) => {
      const a = indicator(id);
      return {
        id,
        ownerName: a.ownerName,
        dateAdded: a.dateAdded,
        lastModified: a.lastModified,
        webLink: a.webLink,
        ip: a.summary,
      };
    };
    /** Generated sample webLinks are paths the sandbox prefixes with its origin; fixed ones are absolute. */
    const withOrigin = (a: ReturnType<typeof address>) =>
      a.webLink.startsWith('/') ? { ...a, webLink: new URL(sandbox.baseUrl).origin + a.webLink } : a;

    it('gives a host its resolutions by date, each with its addresses, paged', async () => {
      const all = exactList(
        await get(`/v2/indicators/hosts/www.badguy_014.com/dnsResolutions?${EC}`),
        'dnsResolution',
      );
      assert.deepEqual(all, {
        total: 2,
        items: [
          { resolutionDate: '2015-06-19T12:00:00Z', addresses: [withOrigin(address(356001))] },
          {
            resolutionDate: '2015-06-20T12:00:00Z',
            addresses: [withOrigin(address(100001)), withOrigin(address(356001))],
          },
        ],
      });
      const page = success(
        await get(`/v2/indicators/hosts/www.badguy_014.com/dnsResolutions?${EC}&resultStart=1&resultLimit=1`),
      );
      assert.deepEqual(Object.keys(page), ['dnsResolution']);
      assert.deepEqual(
        (page.dnsResolution as { resolutionDate: string }[]).map((r) => r.resolutionDate),
        ['2015-06-20T12:00:00Z'],
      );
      // Addresses of other owners the user may access are listed (100010 is Common Community's).
      const cross = exactList(
        await get(`/v2/indicators/hosts/${indicator(100010).summary}/dnsResolutions?${CC}`),
        'dnsResolution',
      );
      assert.deepEqual(
        cross.items.map((r) => (r.addresses as { id: number }[]).map((a) => a.id)),
        [[100011, 356001]],
      );
      assert.deepEqual(
        exactList(await get(`/v2/indicators/hosts/${POOL20_HOST}/dnsResolutions?${EC}`), 'dnsResolution'),
        {
          total: 0,
          items: [],
        },
      );
    });

    it('gives an address the hosts that resolved to it, as generic indicator items', async () => {
      const hosts = exactList(
        await get(`/v2/indicators/addresses/10.20.30.40/dnsResolutions?${EC}`),
        'indicator',
      );
      assert.equal(hosts.total, 2);
      assert.deepEqual(
        hosts.items.map((h) => [h.id, h.type, h.summary, h.ownerName]),
        [
          [100010, 'Host', indicator(100010).summary, 'Common Community'],
          [355999, 'Host', 'www.badguy_014.com', 'Example Community'],
        ],
      );
      const generic = exactList(await get(`/v2/indicators/hosts?${EC}&resultLimit=500`), 'host');
      assert.ok(generic.items.some((h) => h.id === 355999));
      const page = success(
        await get(`/v2/indicators/addresses/10.20.30.40/dnsResolutions?${EC}&resultStart=1`),
      );
      assert.deepEqual(
        (page.indicator as { id: number }[]).map((h) => h.id),
        [355999],
      );
    });

    it('exists on hosts and addresses only', async () => {
      failure(
        await get(
          `/v2/indicators/urls/${encodeURIComponent(indicator(356003).summary)}/dnsResolutions?${EC}`,
        ),
        404,
        NOT_FOUND,
      );
      failure(await post(`/v2/indicators/hosts/www.badguy_014.com/dnsResolutions?${EC}`, {}), 404, NOT_FOUND);
    });
  });

  describe('owners of a value', () => {
    it('lists the accessible owners holding it, without resultCount; includeAdditional adds itemId', async () => {
      assert.deepEqual(success(await get('/v2/indicators/addresses/10.20.30.40/owners')), {
        owner: [OWNERS['Example Org'], OWNERS['Example Community']],
      });
      assert.deepEqual(
        success(await get('/v2/indicators/addresses/10.20.30.40/owners?includeAdditional=true')),
        {
          owner: [
            { ...OWNERS['Example Org'], itemId: 356000 },
            { ...OWNERS['Example Community'], itemId: 356001 },
          ],
        },
      );
      assert.deepEqual(success(await get('/v2/indicators/addresses/10.20.30.40/owners', true)), {
        owner: [OWNERS['Example Org']],
      });
      assert.deepEqual(success(await get(`/v2/indicators/files/${indicator(356002).md5}/owners`)), {
        owner: [OWNERS['Example Community']],
      });
      assert.deepEqual(success(await get('/v2/indicators/hosts/nowhere.example.com/owners')), { owner: [] });
      failure(await get('/v2/indicators/nonsense/x/owners'), 404, NOT_FOUND);
    });
  });

  describe('includeAdditional', () => {
    it('reports the observation and false-positive totals, in single items and listings, kept current', async () => {
      const one = item(
        await get(`/v2/indicators/addresses/10.20.30.40?${EC}&includeAdditional=true`),
        'address',
      );
      assert.deepEqual(
        [one.observationCount, one.lastObserved, one.falsePositiveCount, 'falsePositiveLastReported' in one],
        [6, '2015-06-20T08:15:00Z', 0, false],
      );
      const listing = `/v2/indicators/hosts?${EC}&includeAdditional=true&resultLimit=500`;
      const countOf = async (id: number) => {
        const found = exactList(await get(listing), 'host').items.find((h) => h.id === id);
        assert.ok(found);
        return [found.observationCount, found.falsePositiveCount];
      };
      const [observed, reported] = (await countOf(355999)) as [number, number];
      assert.deepEqual([observed, reported], [5, 1]);
      done(await post(`/v2/indicators/hosts/www.badguy_014.com/observations?${EC}`, { count: 2 }));
      item(await post(`/v2/indicators/hosts/www.badguy_014.com/falsePositive?${EC}`), 'falsePositive');
      assert.deepEqual(await countOf(355999), [7, 2]);
    });
  });

  it("forgets an indicator's intelligence when it is deleted", async () => {
    const md5 = 'AB'.repeat(16);
    item(await post('/v2/indicators/files', { md5 }), 'file', 201);
    item(await post(`/v2/indicators/files/${md5}/fileOccurrences`, { fileName: 'x' }), 'fileOccurrence', 201);
    done(await post(`/v2/indicators/files/${md5}/observations`, { count: 2 }));
    done(await send('DELETE', `/v2/indicators/files/${md5}`));
    item(await post('/v2/indicators/files', { md5 }), 'file', 201);
    assert.deepEqual(success(await get(`/v2/indicators/files/${md5}/fileOccurrences`)), {
      fileOccurrence: [],
    });
    assert.deepEqual(item(await get(`/v2/indicators/files/${md5}/observationCount`), 'observationCount'), {
      count: 0,
      yourCount: 0,
    });
  });
});

describe('/v2/indicators/observed returns at most 20,000 indicators', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-observed-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the 20,000 observed latest', async () => {
    const dbPath = path.join(dir, 'sandbox.db');
    await (await withSandbox({ dbPath })).close();
    // 20,005 observed indicators, written straight into the database between two starts.
    const db = new Database(dbPath);
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20005)
      INSERT INTO indicators (id, owner_id, type, summary, lookup, date_added, last_modified, last_modified_ms, active)
      SELECT 5000000 + i, 1, 'Host', 'h' || i || '.example.com', 'h' || i || '.example.com',
             '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 0, 1 FROM n;
      INSERT INTO observations (indicator_id, user_name, day, count, last_observed)
      SELECT id, 'sensor.alpha', '2024-01-02', 1, '2024-01-02T' || printf('%02d:%02d:%02d', (id / 3600) % 24, (id / 60) % 60, id % 60) || 'Z'
      FROM indicators WHERE id > 5000000;
    `);
    db.close();
    const sandbox = await withSandbox({ dbPath });
    try {
      const r = await call(sandbox, 'GET', '/v2/indicators/observed?dateObserved=2024-01-02');
      const { total, items } = exactList(r, 'indicator');
      assert.equal(total, 20_000);
      assert.equal(items.length, 20_000);
      const last = items.map((i) => i.lastObserved as string);
      assert.ok(
        last.every((t, k) => k === 0 || (last[k - 1] as string) >= t),
        'latest first',
      );
    } finally {
      await sandbox.close();
    }
  });
});
