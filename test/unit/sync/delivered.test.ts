/** The changes a sync run has delivered (src/sync/delivered.ts), and the state file's text (state.ts). */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DeliveredChanges } from '../../../src/sync/delivered.js';
import { initialState, loadState, type SyncState, saveState, stateJson } from '../../../src/sync/state.js';

describe('DeliveredChanges', () => {
  it('knows each (id, lastModified) pair it was given, and no other', () => {
    const d = new DeliveredChanges();
    d.add(1, '2024-01-01T00:00:00Z');
    d.add(2, '2024-01-01T00:00:00Z');
    // The same indicator changed again during the run: a second change of its own.
    d.add(1, '2024-01-02T00:00:00Z');
    d.add(1, '2024-01-02T00:00:00Z');
    assert.equal(d.has(1, '2024-01-01T00:00:00Z'), true);
    assert.equal(d.has(1, '2024-01-02T00:00:00Z'), true);
    assert.equal(d.has(1, '2024-01-03T00:00:00Z'), false);
    assert.equal(d.has(2, '2024-01-02T00:00:00Z'), false);
    assert.equal(d.has(3, '2024-01-01T00:00:00Z'), false);
    assert.deepEqual(
      [...d.values()],
      [
        [1, '2024-01-01T00:00:00Z'],
        [2, '2024-01-01T00:00:00Z'],
        [1, '2024-01-02T00:00:00Z'],
      ],
    );
  });

  it('takes a change as its instant: the same time in another zone is the same change', () => {
    const d = DeliveredChanges.of([[7, '2015-06-21T10:40:33-05:00']]);
    assert.equal(d.has(7, '2015-06-21T15:40:33Z'), true);
    assert.equal(d.has(7, '2015-06-21T15:40:33.000Z'), true);
    assert.equal(d.has(7, '2015-06-21T15:40:34Z'), false);
    assert.equal(d.addIfNew(7, '2015-06-21T15:40:33Z'), false);
    assert.equal(d.addIfNew(7, '2015-06-21T15:40:33.250Z'), true);
    assert.equal(d.has(7, '2015-06-21T15:40:33.250Z'), true);
    // Listed back in UTC, milliseconds only where there are some.
    assert.deepEqual(
      [...d.values()],
      [
        [7, '2015-06-21T15:40:33Z'],
        [7, '2015-06-21T15:40:33.250Z'],
      ],
    );
  });

  it('keeps a lastModified that is no zoned date as its text, matched exactly', () => {
    const d = new DeliveredChanges();
    for (const text of ['yesterday', '2015-06-21T10:40:33', '2015-06-21', '']) d.add(3, text);
    assert.equal(d.has(3, '2015-06-21T10:40:33'), true);
    // No zone: not read as an instant (JavaScript would read it in the machine's zone).
    assert.equal(d.has(3, '2015-06-21T10:40:33Z'), false);
    assert.equal(d.has(3, 'Yesterday'), false);
    assert.deepEqual(
      [...d.values()].map(([, text]) => text),
      ['yesterday', '2015-06-21T10:40:33', '2015-06-21', ''],
    );
  });

  it('holds many changes, of ids and dates inside and outside 32 bits, and finds each one', () => {
    const random = (() => {
      let a = 12345;
      return () => {
        a = (Math.imul(a, 1103515245) + 12345) >>> 0;
        return a / 2 ** 32;
      };
    })();
    const dates = [
      '2024-01-01T00:00:00Z',
      '1960-05-05T05:05:05Z',
      '2040-01-01T00:00:00Z',
      '2024-01-01T00:00:00.5Z',
    ];
    const pairs = new Map<number, string>();
    while (pairs.size < 50_000) {
      const id = random() < 0.9 ? Math.floor(random() * 2 ** 31) : Math.floor(random() * 2 ** 45);
      pairs.set(id, dates[Math.floor(random() * dates.length)] as string);
    }
    const d = new DeliveredChanges();
    for (const [id, text] of pairs) assert.equal(d.addIfNew(id, text), true);
    for (const [id, text] of pairs) {
      assert.equal(d.has(id, text), true);
      assert.equal(d.has(id, '2030-01-01T00:00:00Z'), false);
    }
    assert.equal(
      d.has(2 ** 31 + 7, '2024-01-01T00:00:00Z'),
      pairs.get(2 ** 31 + 7) === '2024-01-01T00:00:00Z',
    );
    const listed = [...d.values()];
    assert.equal(listed.length, pairs.size);
    for (const [id, text] of listed) assert.equal(Date.parse(text), Date.parse(pairs.get(id) as string));
  });

  it('round-trips every change through its listed text (property)', () => {
    const date = fc
      .tuple(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
      )
      .map(([d, millis]) => (millis ? d.toISOString() : `${d.toISOString().slice(0, 19)}Z`));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), date), { maxLength: 60 }), (pairs) => {
        const d = new DeliveredChanges();
        for (const [id, text] of pairs) d.add(id, text);
        const again = DeliveredChanges.of(d.values());
        for (const [id, text] of pairs) assert.equal(again.has(id, text), true, `${id} ${text}`);
        const distinct = new Set(pairs.map(([id, text]) => `${id} ${Date.parse(text)}`));
        assert.equal([...d.values()].length, distinct.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the state file', () => {
  const change = fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.string());
  const committed = fc.record({
    seq: fc.nat(),
    checkpoint: fc.option(fc.constant('2024-01-01T00:00:00Z'), { nil: null }),
    delivered: fc.array(change, { maxLength: 20 }),
    deletions: fc.array(fc.tuple(fc.string(), fc.string(), fc.string(), fc.string()), { maxLength: 3 }),
  });
  const state = fc
    .tuple(committed, fc.string(), fc.option(fc.tuple(fc.string(), fc.string(), committed), { nil: null }))
    .map(
      ([c, selection, pending]): SyncState => ({
        version: 1,
        selection,
        ...c,
        pending: pending === null ? null : { temp: pending[0], target: pending[1], next: pending[2] },
      }),
    );

  it('is written as JSON.stringify writes the same object, with a line ending (property)', () => {
    fc.assert(
      fc.property(state, (s) => {
        assert.equal([...stateJson(s)].join(''), `${JSON.stringify(s)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a long delivered list in chunks, from an iterable, and reads it back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tc-state-'));
    try {
      const file = path.join(dir, 'state.json');
      const count = 20_000;
      function* many(): Generator<readonly [number, string]> {
        for (let id = 0; id < count; id += 1) yield [id, '2024-01-01T00:00:00Z'];
      }
      const s: SyncState = { ...initialState('sel'), seq: 4, delivered: { [Symbol.iterator]: many } };
      const chunks = [...stateJson(s)];
      assert.ok(chunks.length > 5, `${chunks.length} chunks`);
      assert.ok(chunks.every((c) => c.length < 70 * 1024));
      await saveState(file, s);
      const back = await loadState(file, 'sel');
      assert.equal(back.seq, 4);
      assert.deepEqual([...back.delivered], [...many()]);
      assert.equal(await readFile(file, 'utf8'), chunks.join(''));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
