/**
 * The indicator intelligence of the sample data (docs/sandbox.md "Sample data"): it refers to fixed
 * indicators of the right types, is the same for every n, and comes with the first part of
 * `sampleDataBatches` only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleData, sampleDataBatches } from '../../../src/sandbox/sample-data.js';

const GENERATED_START = 1_000_001;

describe('sample indicator intelligence', () => {
  const base = sampleData();
  const typeOf = (id: number): string | undefined => base.indicators.find((i) => i.id === id)?.type;

  it('refers to fixed indicators of the right type', () => {
    assert.ok(base.dnsResolutions.length > 0 && base.observations.length > 0);
    assert.ok(base.falsePositives.length > 0 && base.fileOccurrences.length > 0);
    for (const r of base.dnsResolutions) {
      assert.equal(typeOf(r.hostId), 'Host', `resolution ${r.id}`);
      assert.equal(typeOf(r.addressId), 'Address', `resolution ${r.id}`);
      assert.ok(Number.isFinite(Date.parse(r.resolutionDate)));
    }
    for (const o of base.fileOccurrences) {
      assert.equal(typeOf(o.indicatorId), 'File', `occurrence ${o.id}`);
      assert.ok(o.fileName !== undefined || o.path !== undefined || o.date !== undefined);
    }
    for (const o of base.observations) {
      assert.ok(typeOf(o.indicatorId) !== undefined && o.indicatorId < GENERATED_START);
      assert.ok(Number.isInteger(o.count) && o.count >= 1);
      assert.equal(o.lastObserved.slice(0, 10), o.dateObserved);
    }
    for (const f of base.falsePositives) assert.ok(typeOf(f.indicatorId) !== undefined);
  });

  it('keeps one observation row per indicator, user and day, and one report per indicator, user and day', () => {
    const observed = base.observations.map((o) => `${o.indicatorId}|${o.userName}|${o.dateObserved}`);
    assert.equal(new Set(observed).size, observed.length);
    const reported = base.falsePositives.map(
      (f) => `${f.indicatorId}|${f.userName}|${f.reported.slice(0, 10)}`,
    );
    assert.equal(new Set(reported).size, reported.length);
  });

  it('is the same for every n, with unique ids in order', () => {
    const big = sampleData(1500);
    for (const key of ['observations', 'falsePositives', 'fileOccurrences', 'dnsResolutions'] as const)
      assert.deepEqual(big[key], base[key], key);
    for (const list of [base.fileOccurrences, base.dnsResolutions])
      assert.deepEqual(
        list.map((x) => x.id),
        list.map((_, k) => k + 1),
      );
  });

  it('comes with the first part of sampleDataBatches', () => {
    const [first, ...rest] = [...sampleDataBatches(2500, 1000)];
    assert.ok(first);
    assert.deepEqual(first.dnsResolutions, base.dnsResolutions);
    for (const part of rest) {
      assert.deepEqual(
        [part.observations, part.falsePositives, part.fileOccurrences, part.dnsResolutions],
        [[], [], [], []],
      );
    }
  });
});
