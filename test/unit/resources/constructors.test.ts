/**
 * The object classes are exported for `instanceof` and types, and their constructors are private: from
 * plain JavaScript, `new Indicator()` is a `ValidationError` that says where such objects come from,
 * rather than an object with no client (which failed later, far from the mistake) or a TypeError
 * from inside the constructor (`new Group()`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Group, Indicator, Owner, Task, ValidationError, Victim } from '../../../src/index.js';

/** What plain JavaScript sees: a class it may call with any arguments. */
type AnyClass = new (...args: unknown[]) => unknown;

describe('new Indicator() and the like from plain JavaScript', () => {
  for (const [name, cls] of [
    ['Indicator', Indicator],
    ['Group', Group],
    ['Victim', Victim],
    ['Task', Task],
    ['Owner', Owner],
  ] as const) {
    it(`${name}: a ValidationError naming the containers`, () => {
      const Class = cls as unknown as AnyClass;
      for (const args of [[], [{ id: 1 }], [1, 'name', 'type', undefined], [null, null, null, null]]) {
        assert.throws(
          () => new Class(...args),
          (error: unknown) => {
            assert.ok(error instanceof ValidationError, String(error));
            assert.equal(
              error.message,
              `${name} objects come from a client's containers (add(), retrieve(), stream()), not from new ${name}()`,
            );
            return true;
          },
          JSON.stringify(args),
        );
      }
    });
  }
});
