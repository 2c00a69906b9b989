/**
 * huge numbers that passed validation and broke later.
 * - A token expiry beyond the last date JavaScript can hold was accepted (1e306 s became Infinity ms),
 *   and `inspect()` of the authenticator then threw `RangeError: Invalid time value`.
 * - With `apiSleep` 0 the backoff of retry 1025 was `0 × 2^1024 = 0 × Infinity = NaN`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { parseTokenExpires, TokenAuthenticator } from '../../../src/auth/token.js';
import { resolveConfig } from '../../../src/core/config.js';
import { type ResolvedTokenAuth } from '../../../src/core/config-types.js';
import { validateApiTokenExpires } from '../../../src/core/validators.js';
import { ConfigError } from '../../../src/core/errors.js';
import { backoffMs, decideRetry } from '../../../src/core/retry.js';

const BASE = { apiToken: 'review-token', defaultOrg: 'Example Org', baseUrl: 'http://127.0.0.1:1/api' };
/** The last second a JavaScript Date can hold (8.64e15 ms). */
const LAST_SECOND = 8_640_000_000_000;

describe('review: apiTokenExpires beyond the Date range', () => {
  it('is refused with ConfigError naming the option and the value', () => {
    for (const [value, shown] of [
      [1e306, '1e+306'],
      [LAST_SECOND + 1, String(LAST_SECOND + 1)],
      ['1'.padEnd(20, '0'), '"10000000000000000000"'],
    ] as const) {
      assert.throws(
        () => resolveConfig({ ...BASE, apiTokenExpires: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message ===
            `\`apiTokenExpires\` must be epoch seconds (a number or a numeric string), got ${shown}`,
      );
    }
  });

  it('takes seconds up to the year 5138, refuses what looks like milliseconds, and inspects the last second', () => {
    const last = 99_999_999_999;
    const config = resolveConfig({ ...BASE, apiTokenExpires: last });
    assert.equal((config.auth as ResolvedTokenAuth).apiTokenExpiresMs, last * 1000);
    assert.equal(validateApiTokenExpires(String(last)), last * 1000);
    // Date.now() given for seconds: the token would never be renewed ahead of its expiry.
    for (const [value, shown] of [
      [1_800_000_000_000, '1800000000000'],
      [LAST_SECOND, String(LAST_SECOND)],
      ['100000000000', '"100000000000"'],
    ] as const) {
      assert.throws(
        () => resolveConfig({ ...BASE, apiTokenExpires: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message ===
            `\`apiTokenExpires\` must be epoch seconds, got ${shown}, which looks like milliseconds (divide by 1000)`,
      );
    }
    // The authenticator itself (a renewal answer may say anything a Date holds) still prints it.
    const auth = new TokenAuthenticator({
      apiToken: 'review-token',
      apiTokenExpiresMs: LAST_SECOND * 1000,
      renew: () => Promise.resolve({ apiToken: 'next' }),
    });
    assert.match(inspect(auth), /expires: \+275760-09-13T00:00:00\.000Z/);
  });

  it('a renewal answer beyond the Date range counts as an unknown expiry', () => {
    assert.equal(parseTokenExpires('1'.padEnd(20, '0')), undefined);
    assert.equal(parseTokenExpires(1e306), undefined);
    assert.equal(parseTokenExpires(LAST_SECOND), LAST_SECOND * 1000);
  });
});

describe('review: backoff with apiSleep 0 and very many retries', () => {
  it('stays 0 rather than NaN', () => {
    assert.equal(
      backoffMs(1025, 0, () => 0.5),
      0,
    );
    assert.equal(
      backoffMs(5000, 0, () => 0.5),
      0,
    );
    const decision = decideRetry({
      attempt: 1025,
      method: 'GET',
      response: { status: 503 },
      apiSleepMs: 0,
      maxRetries: 2000,
      nowMs: 0,
      random: () => 0.5,
    });
    assert.deepEqual(decision, { retry: true, delayMs: 0 });
  });

  it('keeps the 300 s cap for a non-zero sleep', () => {
    assert.equal(
      backoffMs(1025, 1, () => 1),
      300_000,
    );
    assert.equal(
      backoffMs(20, 1, () => 0),
      150_000,
    );
  });
});
