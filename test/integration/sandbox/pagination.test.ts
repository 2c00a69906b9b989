/**
 * Pagination over real HTTP (rest-api-v2.md 4.1, issue 2 item 8): windows cover a set exactly once in id
 * order, also under 32 concurrent clients; limits are refused, never truncated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { failureBody } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const SEED = 2000;
const limitMessage = (max: number) =>
  `The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is ${max}`;

interface Page {
  status: string;
  data: { resultCount?: number; [key: string]: unknown };
}

async function page(sandbox: Sandbox, path: string): Promise<Page> {
  const r = await call(sandbox, 'GET', path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  assert.equal(r.headers['content-type'], 'application/json');
  const body = r.json() as Page;
  assert.equal(body.status, 'Success');
  return body;
}

function ids(body: Page, key: string): number[] {
  const items = body.data[key];
  assert.ok(Array.isArray(items), `data.${key} is an array`);
  return (items as { id: number }[]).map((item) => item.id);
}

const withWindow = (path: string, start: number, limit: number) =>
  `${path}${path.includes('?') ? '&' : '?'}resultStart=${start}&resultLimit=${limit}`;

/** Reads every window of `limit` sequentially, checking resultCount on the first window only. */
async function readAll(sandbox: Sandbox, path: string, key: string, limit: number): Promise<number[]> {
  const first = await page(sandbox, withWindow(path, 0, limit));
  const total = first.data.resultCount;
  assert.equal(typeof total, 'number', 'resultCount on the first window');
  const all = ids(first, key);
  for (let start = limit; start < (total ?? 0); start += limit) {
    const next = await page(sandbox, withWindow(path, start, limit));
    assert.equal('resultCount' in next.data, false, `no resultCount at resultStart=${start}`);
    const got = ids(next, key);
    assert.equal(got.length, Math.min(limit, (total ?? 0) - start));
    all.push(...got);
  }
  assert.equal(all.length, total);
  return all;
}

describe('sandbox pagination', () => {
  let sandbox: Sandbox;
  /** Active indicators of the default org, from the sample records, in id order. */
  const expected = sampleData(SEED)
    .indicators.filter((indicator) => indicator.ownerName === 'Example Org' && indicator.active)
    .map((indicator) => indicator.id)
    .sort((a, b) => a - b);

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
  });
  after(async () => {
    await sandbox.close();
  });

  it('has enough indicators for many windows', () => {
    assert.ok(expected.length > 500, `${expected.length} indicators`);
  });

  for (const limit of [125, 333, 500]) {
    it(`windows of ${limit} cover /v2/indicators exactly once, in id order`, async () => {
      assert.deepEqual(await readAll(sandbox, '/v2/indicators', 'indicator', limit), expected);
    });
  }

  it('answers a window past the end with an empty list and no resultCount', async () => {
    const body = await page(sandbox, withWindow('/v2/indicators', expected.length, 100));
    assert.deepEqual(body.data, { indicator: [] });
    const last = await page(sandbox, withWindow('/v2/indicators', expected.length - 3, 100));
    assert.deepEqual(ids(last, 'indicator'), expected.slice(-3));
  });

  it('defaults resultStart to 0 and resultLimit to 100', async () => {
    const body = await page(sandbox, '/v2/indicators');
    assert.equal(body.data.resultCount, expected.length);
    assert.deepEqual(ids(body, 'indicator'), expected.slice(0, 100));
    const offset = await page(sandbox, '/v2/indicators?resultStart=250');
    assert.deepEqual(ids(offset, 'indicator'), expected.slice(250, 350));
  });

  it('typed listings paginate the same way', async () => {
    const hosts = sampleData(SEED)
      .indicators.filter((i) => i.ownerName === 'Example Org' && i.active && i.type === 'Host')
      .map((i) => i.id)
      .sort((a, b) => a - b);
    assert.deepEqual(await readAll(sandbox, '/v2/indicators/hosts', 'host', 40), hosts);
  });

  it('pivot listings paginate: /v2/tags/APT/indicators and /v2/groups/threats/38/indicators', async () => {
    const path = '/v2/tags/APT/indicators?owner=Example%20Community';
    const whole = await page(sandbox, withWindow(path, 0, 500));
    const all = ids(whole, 'indicator');
    assert.equal(whole.data.resultCount, all.length);
    assert.ok(all.length > 14, `${all.length} APT indicators`);
    assert.deepEqual(
      all,
      [...all].sort((a, b) => a - b),
    );
    assert.deepEqual(await readAll(sandbox, path, 'indicator', 7), all);
    const threat = await readAll(sandbox, '/v2/groups/threats/38/indicators', 'indicator', 3);
    assert.equal(threat.length, 8);
    assert.equal(new Set(threat).size, 8);
  });

  describe('limits', () => {
    it('refuses resultLimit above the default maximum of 500 with 400', async () => {
      assert.equal(ids(await page(sandbox, withWindow('/v2/indicators', 0, 500)), 'indicator').length, 500);
      const r = await call(sandbox, 'GET', withWindow('/v2/indicators', 0, 501));
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json(), failureBody(limitMessage(500)));
    });

    const bad = [
      'resultLimit=abc',
      'resultLimit=1.5',
      'resultLimit=-1',
      'resultLimit=0',
      'resultLimit=1e3',
      'resultStart=-1',
      'resultStart=x&resultLimit=10',
      'resultStart=2.0',
      'resultLimit=99999999999999999999',
    ];
    for (const query of bad) {
      it(`refuses ${query} with the same 400`, async () => {
        const r = await call(sandbox, 'GET', `/v2/indicators?${query}`);
        assert.equal(r.status, 400);
        assert.deepEqual(r.json(), failureBody(limitMessage(500)));
      });
    }

    it('checks the window on pivot listings too', async () => {
      const r = await call(
        sandbox,
        'GET',
        '/v2/tags/APT/indicators?owner=Example%20Community&resultLimit=501',
      );
      assert.equal(r.status, 400);
      assert.deepEqual(r.json(), failureBody(limitMessage(500)));
    });
  });

  describe('32 concurrent clients', () => {
    it('each reads every window concurrently: all 200, valid JSON, the union exact', async () => {
      const limit = 50;
      const starts: number[] = [];
      for (let start = 0; start < expected.length; start += limit) starts.push(start);
      const client = async (): Promise<number[]> => {
        const pages = await Promise.all(
          starts.map(async (start) => {
            const r = await call(sandbox, 'GET', withWindow('/v2/indicators', start, limit));
            assert.equal(r.status, 200);
            assert.equal(r.headers['content-type'], 'application/json');
            const body = r.json() as Page;
            assert.equal('resultCount' in body.data, start === 0);
            return ids(body, 'indicator');
          }),
        );
        return pages.flat();
      };
      const results = await Promise.all(Array.from({ length: 32 }, client));
      for (const got of results) {
        assert.equal(new Set(got).size, got.length, 'no duplicates');
        assert.deepEqual(got, expected);
      }
    });
  });
});

describe('sandbox pagination with a custom maxResultLimit', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ maxResultLimit: 50, seedIndicators: 300 });
  });
  after(async () => {
    await sandbox.close();
  });

  it('accepts up to the maximum and refuses above it with the maximum in the message', async () => {
    const ok = await page(sandbox, '/v2/indicators?owner=Example%20Community&resultLimit=50');
    assert.equal(ids(ok, 'indicator').length, 50);
    const r = await call(sandbox, 'GET', '/v2/indicators?owner=Example%20Community&resultLimit=51');
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), failureBody(limitMessage(50)));
  });

  it('caps the default window at the maximum', async () => {
    const body = await page(sandbox, '/v2/indicators?owner=Example%20Community');
    assert.equal(ids(body, 'indicator').length, 50);
    assert.ok((body.data.resultCount ?? 0) > 50);
  });
});
