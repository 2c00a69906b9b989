/**
 * a proxy host holding a port (`proxy:3128`) passed validation; the first request then threw a
 * bare `TypeError: Invalid URL` (decisions.md 1.3: every error is an SDK error). It is a ConfigError
 * at the setter now, naming the option and the value. An IPv6 address is still accepted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateProxy } from '../../../src/core/validators.js';
import { ConfigError } from '../../../src/core/errors.js';

const EXPECTED = 'a host name or address, optionally with an http:// or https:// prefix';

describe('review: proxy host with a colon', () => {
  it('refuses a host:port in `host`', () => {
    for (const host of ['proxy:3128', 'http://proxy:3128', 'a:b:c']) {
      assert.throws(
        () => validateProxy({ host, port: 8080 }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message === `\`proxy.host\` must be ${EXPECTED}, got ${JSON.stringify(host)}`,
      );
    }
  });

  it('accepts IPv6 addresses, bare or bracketed', () => {
    assert.equal(validateProxy({ host: '::1', port: 8080 }).host, '::1');
    assert.equal(validateProxy({ host: '[::1]', port: 8080 }).host, '[::1]');
    assert.equal(validateProxy({ host: 'proxy.example', port: 3128 }).url, 'http://proxy.example:3128');
  });
});
