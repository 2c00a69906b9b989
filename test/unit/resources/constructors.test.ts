/**
 * The object classes are exported for `instanceof` and types, and their constructors are private: from
 * plain JavaScript, `new Indicator()` is a `ValidationError` that says where such objects come from,
 * rather than an object with no client (which failed later, far from the mistake) or a TypeError
 * from inside the constructor (`new Group()`, `new SyslogSink()`). docs/decisions.md, "Objects the SDK
 * makes have a private constructor".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Bulk,
  Group,
  Indicator,
  Owner,
  SyslogSink,
  Task,
  ValidationError,
  Victim,
} from '../../../src/index.js';

/** What plain JavaScript sees: a class it may call with any arguments. */
type AnyClass = new (...args: unknown[]) => unknown;

describe('new Indicator() and the like from plain JavaScript', () => {
  const CONTAINERS = "a client's containers (add(), retrieve(), stream())";
  for (const [name, cls, from] of [
    ['Indicator', Indicator, CONTAINERS],
    ['Group', Group, CONTAINERS],
    ['Victim', Victim, CONTAINERS],
    ['Task', Task, CONTAINERS],
    ['Owner', Owner, CONTAINERS],
    ['Bulk', Bulk, 'tc.bulk(owner)'],
    ['SyslogSink', SyslogSink, 'createSyslogSink(options)'],
  ] as const) {
    it(`${name}: a ValidationError saying where they come from`, () => {
      const Class = cls as unknown as AnyClass;
      for (const args of [
        [],
        [{ id: 1 }],
        [{}, 'Example Org'],
        [1, 'name', 'type', undefined],
        [null, null, null, null],
      ]) {
        assert.throws(
          () => new Class(...args),
          (error: unknown) => {
            assert.ok(error instanceof ValidationError, String(error));
            assert.equal(error.message, `${name} objects come from ${from}, not from new ${name}()`);
            return true;
          },
          JSON.stringify(args),
        );
      }
    });
  }
});
