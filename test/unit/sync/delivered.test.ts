/** The changes a sync run has delivered (src/sync/delivered.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveredChanges } from '../../../src/sync/delivered.js';

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
});
