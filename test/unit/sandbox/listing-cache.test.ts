/**
 * The listing cache's parts (docs/sandbox.md, "Listing cache"): the bounded fragment cache, the store's
 * invalidation on writes, and the direct item encoder against the object view it replaces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createJsonEncoder } from '../../../src/sandbox/encode.js';
import { ENTRY_OVERHEAD_BYTES, FragmentCache } from '../../../src/sandbox/fragment-cache.js';
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

describe('FragmentCache', () => {
  it('keeps entries by variant and id, within its bound, dropping the oldest first', () => {
    const text = 'x'.repeat(100);
    const size = text.length + ENTRY_OVERHEAD_BYTES;
    const cache = new FragmentCache(size * 10);
    const a = cache.variant('a');
    const b = cache.variant('b');
    assert.equal(cache.variant('a'), a);
    for (let id = 1; id <= 8; id += 1) cache.add(a, id, text);
    for (let id = 1; id <= 8; id += 1) cache.add(b, id, text);
    assert.equal(cache.entries, 10);
    assert.ok(cache.bytes <= cache.maxBytes);
    assert.deepEqual([...a.keys()], [7, 8]);
    assert.deepEqual([...b.keys()], [1, 2, 3, 4, 5, 6, 7, 8]);
    // A hit does not refresh an entry: first in, first out.
    assert.equal(a.get(7), text);
    cache.add(b, 100, text);
    assert.deepEqual([a.has(7), a.has(8), b.has(1), b.has(100)], [false, true, true, true]);
  });

  it('evicts through many rounds and stays within its bound', () => {
    const cache = new FragmentCache(10_000);
    const map = cache.variant('v');
    for (let id = 0; id < 50_000; id += 1) cache.add(map, id, `item ${String(id)}`);
    assert.ok(cache.bytes <= 10_000);
    assert.equal(map.size, cache.entries);
    assert.ok(map.has(49_999) && !map.has(0));
  });

  it('takes no text larger than its bound, and nothing when off', () => {
    const cache = new FragmentCache(50);
    cache.add(cache.variant('v'), 1, 'y'.repeat(51));
    assert.equal(cache.entries, 0);
    const off = new FragmentCache(0);
    assert.equal(off.enabled, false);
    off.add(off.variant('v'), 1, 'z');
    assert.equal(off.entries, 0);
  });

  it('clear drops everything', () => {
    const cache = new FragmentCache(10_000);
    cache.add(cache.variant('v'), 1, 'a');
    cache.clear();
    assert.deepEqual([cache.entries, cache.bytes, cache.variant('v').size], [0, 0, 0]);
  });
});

describe('Store invalidation', () => {
  const warm = (store: Store): void => {
    store.orderedIds('SELECT id FROM indicators ORDER BY id', []);
    store.fragments.add(store.fragments.variant('v'), 1, 'cached');
  };

  it('drops the item texts on a write to a table items are made of', () => {
    const store = seededStore(10);
    for (const [sql, params] of [
      ['UPDATE indicators SET rating = ? WHERE id = ?', [2, 355999]],
      ["INSERT OR IGNORE INTO links (a_kind, a_id, b_kind, b_id) VALUES ('indicator', 1, 'tag', 1)", []],
      ['UPDATE tags SET name = ? WHERE id = ?', ['Renamed', 1]],
      ['DELETE FROM attributes WHERE id = ?', [1]],
      ['DELETE FROM security_labels WHERE id = ?', [1]],
      ['UPDATE owners SET name = ? WHERE id = ?', ['Another Org', 3]],
    ] as const) {
      warm(store);
      store.run(sql, ...params);
      assert.equal(store.fragments.entries, 0, sql);
    }
  });

  it('keeps them on a write that no item shows', () => {
    const store = seededStore(10);
    warm(store);
    store.run('INSERT INTO tokens (token, user_id, expires) VALUES (?, ?, ?)', 'T', 1, 0);
    store.run("UPDATE groups SET name = 'Renamed' WHERE id = 38");
    warm(store);
    assert.equal(store.fragments.entries, 1);
  });

  it('notices a write made around run() before the next listing', () => {
    const store = seededStore(10);
    warm(store);
    const before = store.orderedIds('SELECT id FROM indicators WHERE rating = 5 ORDER BY id', []);
    store.db.prepare('UPDATE indicators SET rating = 5 WHERE id = 100000').run();
    const after = store.orderedIds('SELECT id FROM indicators WHERE rating = 5 ORDER BY id', []);
    assert.equal(store.fragments.entries, 0);
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
    assert.equal(store.fragments.entries, 0);
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
    for (const flags of [0, 1, 2, 4, 7]) {
      const ctx: ViewContext = {
        store,
        origin: 'http://127.0.0.1:8080',
        includeTags: (flags & 1) !== 0,
        includeAttributes: (flags & 2) !== 0,
        includeAdditional: (flags & 4) !== 0,
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
  });
});
