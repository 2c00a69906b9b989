/** The check that lets a first retrieve() keep its objects without a map (src/resources/container.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hasDuplicateIds } from '../../../src/resources/container.js';

describe('hasDuplicateIds', () => {
  it('is true exactly when two objects share an id, as a set of the ids tells (property)', () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      fc.constantFrom(0.5, -0.5, 2 ** 32, 2 ** 32 + 1, -(2 ** 32)),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 80 }), (ids) => {
        const objects = ids.map((n) => ({ id: n }));
        assert.equal(hasDuplicateIds(objects), new Set(ids).size !== ids.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes no id as unique when it cannot compare it (NaN)', () => {
    assert.equal(hasDuplicateIds([{ id: 1 }, { id: Number.NaN }]), true);
    assert.equal(hasDuplicateIds([]), false);
    assert.equal(hasDuplicateIds([{ id: 2 ** 40 }, { id: 2 ** 40 + 1 }]), false);
  });
});
