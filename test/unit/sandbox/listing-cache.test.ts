/**
 * The listing cache's parts (docs/sandbox.md, "Listing cache"): the bounded cache of pages and items,
 * the store's invalidation on writes, and the direct item encoder against the object view it replaces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createJsonEncoder } from '../../../src/sandbox/encode.js';
import {
  ITEM_OVERHEAD_BYTES,
  ListingCache,
  PAGE_OVERHEAD_BYTES,
  type PageParts,
  buildPage,
  pageBody,
} from '../../../src/sandbox/listing-cache.js';
import { sampleDataBatches } from '../../../src/sandbox/sample-data.js';
import { initialiseStore } from '../../../src/sandbox/seed.js';
import { INDICATOR_COLUMNS, Store } from '../../../src/sandbox/store.js';
import {
  GENERIC_ITEM_COLUMN_COUNT,
  ITEM_COLUMNS,
  type ViewContext,
  indicatorItemJson,
  indicatorView,
} from '../../../src/sandbox/views.js';

function seededStore(n: number, listingCacheBytes?: number): Store {
  const store = new Store(
    new Database(':memory:'),
    listingCacheBytes === undefined ? {} : { listingCacheBytes },
  );
  initialiseStore(store, () => sampleDataBatches(n), {}, 'Example Org');
  return store;
}

/** A window of `count` items with ids from `first`, each item `size` bytes, all just encoded. */
function window(first: number, count: number, size = 100): PageParts {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  return {
    head: '{"status":"Success","data":{"indicator":[',
    ids,
    items: ids.map((id) => Buffer.from(`{"id":${String(id)},"x":"${'x'.repeat(Math.max(0, size - 20))}"}`)),
    fresh: ids.map(() => true),
  };
}

describe('ListingCache', () => {
  it('keeps a page and its items, the items as views into the page body', () => {
    const cache = new ListingCache(1_000_000);
    const v = cache.variant('generic');
    assert.equal(cache.variant('generic'), v);
    const parts = window(1, 3);
    const page = cache.add(v, 'p1', parts);
    assert.equal(page.body.toString(), `${parts.head}${parts.items.map(String).join(',')}]}}`);
    assert.equal(v.pages.get('p1')?.page, page);
    assert.deepEqual([...v.items.keys()], [1, 2, 3]);
    assert.equal(v.items.get(2)?.toString(), parts.items[1]?.toString());
    assert.equal(v.items.get(2)?.buffer, page.body.buffer);
    // Cut for a shortPage fault.
    const cut = JSON.parse(pageBody(page, 1).toString()) as { data: { indicator: unknown[] } };
    assert.equal(cut.data.indicator.length, 1);
    assert.equal(pageBody(page, 0).toString(), `${parts.head}]}}`);
    assert.equal(pageBody(page), page.body);
    assert.equal(cache.bytes, page.body.length + PAGE_OVERHEAD_BYTES + 3 * ITEM_OVERHEAD_BYTES);
  });

  it('makes a page of an empty window', () => {
    const page = buildPage({ head: '{"data":{"indicator":[', ids: [], items: [], fresh: [] });
    assert.equal(page.body.toString(), '{"data":{"indicator":[]}}');
    assert.deepEqual(pageBody(page, 0), page.body);
  });

  it('owns only the items it encoded', () => {
    const cache = new ListingCache(1_000_000);
    const v = cache.variant('generic');
    const first = cache.add(v, 'p1', window(1, 4));
    const second = window(3, 4);
    second.items = [v.items.get(3) as Buffer, v.items.get(4) as Buffer, ...second.items.slice(2)];
    second.fresh = [false, false, true, true];
    const page = cache.add(v, 'p2', second);
    assert.equal(v.items.get(3)?.buffer, first.body.buffer);
    assert.equal(v.items.get(5)?.buffer, page.body.buffer);
  });

  it('stays within its bound, dropping the oldest page and its items first', () => {
    // Ids of four digits, so that every page has the same size.
    const at = (p: number): PageParts => window(1000 + p * 10, 10);
    const one = buildPage(at(0)).body.length + PAGE_OVERHEAD_BYTES + 10 * ITEM_OVERHEAD_BYTES;
    const cache = new ListingCache(one * 3);
    const v = cache.variant('generic');
    for (let p = 0; p < 5; p += 1) cache.add(v, `p${String(p)}`, at(p));
    assert.equal(cache.pages, 3);
    assert.equal(cache.bytes, one * 3);
    assert.deepEqual([...v.pages.keys()], ['p2', 'p3', 'p4']);
    assert.equal(v.items.has(1019), false);
    assert.equal(v.items.has(1020), true);
    // A hit does not refresh a page: first in, first out.
    assert.ok(v.pages.get('p2'));
    cache.add(v, 'p5', at(5));
    assert.deepEqual([...v.pages.keys()], ['p3', 'p4', 'p5']);
    for (let p = 6; p < 500; p += 1) cache.add(v, `p${String(p)}`, at(p));
    assert.equal(cache.pages, 3);
    assert.equal(v.items.size, 30);
  });

  it('keeps no page larger than its bound, and nothing when off', () => {
    const cache = new ListingCache(1000);
    const page = cache.add(cache.variant('v'), 'big', window(1, 20));
    assert.ok(page.body.length > 1000);
    assert.deepEqual([cache.pages, cache.bytes, cache.variant('v').items.size], [0, 0, 0]);
    assert.equal(new ListingCache(0).enabled, false);
  });

  it('clear drops everything', () => {
    const cache = new ListingCache(1_000_000);
    cache.add(cache.variant('v'), 'p', window(1, 2));
    cache.clear();
    assert.deepEqual([cache.pages, cache.bytes, cache.variant('v').items.size], [0, 0, 0]);
  });
});

describe('Store invalidation', () => {
  const warm = (store: Store): void => {
    store.orderedIds('SELECT id FROM indicators ORDER BY id', []);
    store.listingCache.add(store.listingCache.variant('v'), 'p', window(1, 2));
  };

  it('drops the cached pages on a write to a table a listing shows', () => {
    const store = seededStore(10);
    for (const [sql, params] of [
      ['UPDATE indicators SET rating = ? WHERE id = ?', [2, 355999]],
      ["INSERT OR IGNORE INTO links (a_kind, a_id, b_kind, b_id) VALUES ('indicator', 1, 'tag', 1)", []],
      ['UPDATE tags SET name = ? WHERE id = ?', ['Renamed', 1]],
      ['DELETE FROM attributes WHERE id = ?', [1]],
      ['DELETE FROM security_labels WHERE id = ?', [1]],
      ['UPDATE owners SET name = ? WHERE id = ?', ['Another Org', 3]],
      ["UPDATE groups SET name = 'Renamed' WHERE id = 38", []],
      ['  delete   from   victims where id = ?', [10]],
      ['WITH x AS (SELECT 1) UPDATE tasks SET name = ? WHERE id = 1', ['unread target']],
    ] as const) {
      warm(store);
      store.run(sql, ...params);
      assert.equal(store.listingCache.pages, 0, sql);
    }
  });

  it('keeps them on a write that no listing shows', () => {
    const store = seededStore(10);
    warm(store);
    store.run('INSERT INTO tokens (token, user_id, expires) VALUES (?, ?, ?)', 'T', 1, 0);
    store.run("UPDATE meta SET value = value WHERE key = 'schemaVersion'");
    assert.equal(store.listingCache.pages, 1);
  });

  it('notices a write made around run() before the next listing', () => {
    const store = seededStore(10);
    warm(store);
    const before = store.orderedIds('SELECT id FROM indicators WHERE rating = 5 ORDER BY id', []);
    store.db.prepare('UPDATE indicators SET rating = 5 WHERE id = 100000').run();
    const after = store.orderedIds('SELECT id FROM indicators WHERE rating = 5 ORDER BY id', []);
    assert.equal(store.listingCache.pages, 0);
    assert.deepEqual(
      after,
      [...before, 100000].sort((x, y) => x - y),
    );
  });

  it('drops everything when a transaction rolls back', () => {
    const store = seededStore(10);
    warm(store);
    assert.throws(() =>
      store.transaction(() => {
        throw new Error('rolled back');
      }),
    );
    assert.equal(store.listingCache.pages, 0);
  });
});

describe('indicatorItemJson', () => {
  it('gives exactly the encoded object view of every sample indicator, in every variant', () => {
    const store = seededStore(500);
    const encode = createJsonEncoder();
    const full = store.indicators(`SELECT ${INDICATOR_COLUMNS} FROM indicators ORDER BY id`);
    const items = store.rawRows(`SELECT ${ITEM_COLUMNS.join(', ')} FROM indicators ORDER BY id`);
    assert.equal(items.length, full.length);
    assert.ok(
      full.some((r) => r.type === 'ASN') &&
        full.some((r) => r.rating !== null && r.threat_assess_rating !== null),
    );
    let compared = 0;
    for (const flags of [0, 1, 2, 4, 8, 15]) {
      const ctx: ViewContext = {
        store,
        origin: 'http://127.0.0.1:8080',
        includeTags: (flags & 1) !== 0,
        includeAttributes: (flags & 2) !== 0,
        includeAdditional: (flags & 4) !== 0,
        includeLabels: (flags & 8) !== 0,
        ownerCache: new Map(),
      };
      for (const [i, row] of full.entries()) {
        const raw = items[i] as unknown[];
        for (const shape of ['generic', 'typed'] as const) {
          const columns = shape === 'generic' ? raw.slice(0, GENERIC_ITEM_COLUMN_COUNT) : raw;
          assert.equal(
            indicatorItemJson(ctx, columns, shape, encode),
            encode(indicatorView(ctx, row, shape)),
            `indicator ${String(row.id)}, ${shape}, flags ${String(flags)}`,
          );
          compared += 1;
        }
      }
    }
    assert.ok(compared > 5000);
    assert.ok(
      full.some((r) => store.labelsOf('indicator', r.id).length > 0),
      'some indicator has a security label',
    );
  });
});
