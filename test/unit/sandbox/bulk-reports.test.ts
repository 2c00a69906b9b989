/**
 * The sandbox's bulk reports (src/sandbox/bulk-reports.ts): a run is a snapshot stored in chunks; a
 * download keeps reading its own run when a newer run replaces it, and a replaced run's chunks are
 * dropped once its last download ends (at once when nothing reads it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { BulkReports } from '../../../src/sandbox/bulk-reports.js';
import { sampleDataBatches } from '../../../src/sandbox/index.js';
import { initialiseStore } from '../../../src/sandbox/seed.js';
import { type OwnerRow, Store } from '../../../src/sandbox/store.js';
import type { ViewContext } from '../../../src/sandbox/views.js';

async function text(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('sandbox bulk reports: runs and downloads', () => {
  let db: Database.Database;
  let store: Store;
  let reports: BulkReports;
  let owner: OwnerRow;
  let view: ViewContext;
  before(() => {
    db = new Database(':memory:');
    store = new Store(db);
    initialiseStore(store, () => sampleDataBatches(5000), {}, 'Example Org');
    reports = new BulkReports(new Database(''));
    owner = store.ownerByName('Example Org') as OwnerRow;
    view = {
      store,
      origin: 'http://127.0.0.1:1',
      includeTags: false,
      includeAttributes: false,
      includeAdditional: false,
      includeLabels: false,
      ownerCache: new Map(),
    };
  });
  after(() => {
    db.close();
  });

  it('keeps a download on its own run while a newer run replaces it, then drops the old chunks', async () => {
    const first = reports.run(store, view, owner, 1_000);
    assert.ok(first.parts.json.chunks >= 5, `the report must span chunks: ${first.parts.json.chunks}`);
    const firstText = await text(reports.stream(first, 'json'));
    assert.equal(Buffer.byteLength(firstText), first.parts.json.length);
    assert.equal(reports.storedRuns(), 1);

    const reading = reports.stream(first, 'json')[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head = await reading.next();
    assert.equal(head.done, false);
    store.run('UPDATE indicators SET rating = 5 WHERE owner_id = ?', owner.id);
    const second = reports.run(store, view, owner, 2_000);
    assert.equal(reports.current(owner.id), second);
    assert.equal(reports.storedRuns(), 2, 'the first run is still being read');
    const rest: Buffer[] = [head.value];
    for (let r = await reading.next(); r.done !== true; r = await reading.next()) rest.push(r.value);
    assert.equal(Buffer.concat(rest).toString('utf8'), firstText);
    assert.equal(reports.storedRuns(), 1, 'the first run is dropped after its last download');

    const secondText = await text(reports.stream(second, 'json'));
    assert.notEqual(secondText, firstText);
    assert.ok(secondText.includes('"rating":5.00'));
    assert.ok(!secondText.includes('"rating":1.00'));
  });

  it('drops a replaced run at once when nothing reads it; a download made but never read holds nothing', () => {
    const run = reports.run(store, view, owner, 3_000);
    reports.stream(run, 'csv').destroy();
    reports.run(store, view, owner, 4_000);
    assert.equal(reports.storedRuns(), 1);
  });

  it('snapshots only the owner’s active indicators, in id order, with a CSV row each', async () => {
    const run = reports.run(store, view, owner, 5_000);
    const ids = store.all<{ id: number }>(
      'SELECT id FROM indicators WHERE owner_id = ? AND active = 1 ORDER BY id',
      owner.id,
    );
    assert.equal(run.indicators, ids.length);
    const json = JSON.parse(await text(reports.stream(run, 'json'))) as { indicator: { id: number }[] };
    assert.deepEqual(
      json.indicator.map((i) => i.id),
      ids.map((r) => r.id),
    );
    const csv = (await text(reports.stream(run, 'csv'))).split('\r\n');
    assert.equal(csv.length, ids.length + 2);
  });
});
