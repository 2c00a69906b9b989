/**
 * A `signal` option takes any AbortSignal: of this realm, or of another (a `vm` context, a test
 * runner's environment) or an abort-controller polyfill, which `instanceof AbortSignal` refused. What
 * counts is what the SDK uses of it: a boolean `aborted`, `addEventListener`, `removeEventListener`.
 * Checked for the call options, the syslog sink's options and the batch options.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBatchOptions } from '../../../src/batch/options.js';
import { isAbortSignal } from '../../../src/core/validators.js';
import { resolveSyslogOptions } from '../../../src/delivery/options.js';
import { ConfigError, ValidationError } from '../../../src/index.js';

/** The shape of the abort-controller polyfills. */
class PolyfillSignal extends EventTarget {
  aborted = false;
  reason: unknown = undefined;
}

const NOT_SIGNALS: [unknown, string][] = [
  ['x', '"x"'],
  [{ aborted: false }, 'an object'],
  [{ aborted: 'no', addEventListener() {}, removeEventListener() {} }, 'an object'],
  [new EventTarget(), 'an object'],
];

describe('AbortSignals of any realm', () => {
  it('isAbortSignal takes a native or polyfilled signal and nothing without its members', () => {
    assert.equal(isAbortSignal(new AbortController().signal), true);
    assert.equal(isAbortSignal(new PolyfillSignal()), true);
    for (const [value] of NOT_SIGNALS) assert.equal(isAbortSignal(value), false, String(value));
    assert.equal(isAbortSignal(null), false);
    assert.equal(isAbortSignal(undefined), false);
  });

  it("the syslog sink's options take a polyfilled signal and refuse the rest", () => {
    const signal = new PolyfillSignal() as unknown as AbortSignal;
    assert.equal(resolveSyslogOptions('tcp://127.0.0.1:601', { signal }).signal, signal);
    for (const [value, shown] of NOT_SIGNALS) {
      assert.throws(
        () => resolveSyslogOptions('tcp://127.0.0.1:601', { signal: value as AbortSignal }),
        // The sink's option messages name a value's type, not its article ("object", not "an object").
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message === `\`signal\` must be an AbortSignal, got ${shown.replace(/^an /, '')}`,
      );
    }
  });

  it('the batch options take a polyfilled signal and refuse the rest', () => {
    const signal = new PolyfillSignal() as unknown as AbortSignal;
    assert.equal(checkBatchOptions('Example Org', { signal }).signal, signal);
    for (const [value, shown] of NOT_SIGNALS) {
      assert.throws(
        () => checkBatchOptions('Example Org', { signal: value }),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.message === `batch option \`signal\` must be an AbortSignal, got ${shown}`,
      );
    }
  });
});
