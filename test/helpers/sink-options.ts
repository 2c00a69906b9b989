/** Checks of createSyslogSink's option errors, shared by the delivery tests. */
import assert from 'node:assert/strict';
import { ConfigError, createSyslogSink, type SyslogSinkOptions } from '../../src/index.js';

/** `createSyslogSink(url, options)` throws a ConfigError whose message is `message` (or matches it). */
export function expectSinkConfigError(
  url: string,
  options: SyslogSinkOptions,
  message: string | RegExp,
): void {
  assert.throws(
    () => createSyslogSink(url, options),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}
