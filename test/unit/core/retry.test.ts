import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AbortError,
  ApiError,
  ConnectionError,
  type ConnectionErrorKind,
  ProxyAuthError,
  TimeoutError,
  ValidationError,
} from '../../../src/core/errors.js';
import { errorFromResponse } from '../../../src/core/response-errors.js';
import {
  backoffMs,
  classifyError,
  classifyStatus,
  decideRetry,
  MAX_RETRY_WAIT_MS,
  parseHttpDate,
  parseRetryAfter,
  type RetryInput,
  retryAfterFromHeaders,
} from '../../../src/core/retry.js';

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT

function input(partial: Partial<RetryInput>): RetryInput {
  return {
    attempt: 1,
    method: 'GET',
    apiSleepMs: 1000,
    maxRetries: 5,
    nowMs: NOW,
    random: () => 1 - Number.EPSILON,
    ...partial,
  };
}

const conn = (kind: ConnectionErrorKind): ConnectionError => new ConnectionError(kind, { kind });

describe('retry table (decisions.md 1.6)', () => {
  const retried = { retry: true };
  const cases: [string, Partial<RetryInput>, 'GET' | 'POST', boolean | string][] = [];
  const outcomes: [string, Partial<RetryInput>, boolean | string, boolean | string][] = [
    // [label, outcome, GET/DELETE/HEAD, POST/PUT]
    ['connection refused', { error: conn('refused') }, true, true],
    ['DNS failure', { error: conn('dns') }, true, true],
    ['connect timeout', { error: new TimeoutError('t', { phase: 'connect' }) }, true, true],
    ['reset', { error: conn('reset') }, true, 'method-not-repeatable'],
    ['early end of body', { error: conn('early-end') }, true, 'method-not-repeatable'],
    ['idle timeout', { error: new TimeoutError('t', { phase: 'idle' }) }, true, 'method-not-repeatable'],
    ['unclassified connection error', { error: conn('other') }, true, 'method-not-repeatable'],
    ['429', { response: { status: 429 } }, true, true],
    ['503', { response: { status: 503 } }, true, true],
    ['502', { response: { status: 502 } }, true, 'method-not-repeatable'],
    ['504', { response: { status: 504 } }, true, 'method-not-repeatable'],
    ['500', { response: { status: 500 } }, 'not-retryable', 'not-retryable'],
    ['400', { response: { status: 400 } }, 'not-retryable', 'not-retryable'],
    ['401', { response: { status: 401 } }, 'not-retryable', 'not-retryable'],
    ['404', { response: { status: 404 } }, 'not-retryable', 'not-retryable'],
    ['408', { response: { status: 408 } }, 'not-retryable', 'not-retryable'],
    ['407 response', { response: { status: 407 } }, 'not-retryable', 'not-retryable'],
    ['ProxyAuthError', { error: new ProxyAuthError('407') }, 'not-retryable', 'not-retryable'],
    ['TLS failure', { error: conn('tls') }, 'not-retryable', 'not-retryable'],
    ['200', { response: { status: 200 } }, 'not-retryable', 'not-retryable'],
    ['201', { response: { status: 201 } }, 'not-retryable', 'not-retryable'],
    ['AbortError', { error: new AbortError() }, 'not-retryable', 'not-retryable'],
    ['a non-SDK error', { error: new TypeError('bug') }, 'not-retryable', 'not-retryable'],
    ['ValidationError', { error: new ValidationError('bad') }, 'not-retryable', 'not-retryable'],
    ['ApiError 503 as error', { error: errorFromResponse({ status: 503 }) }, true, true],
    [
      'ApiError 500 as error',
      { error: errorFromResponse({ status: 500 }) },
      'not-retryable',
      'not-retryable',
    ],
  ];
  for (const [label, outcome, safe, unsafe] of outcomes) {
    for (const method of ['GET', 'DELETE', 'HEAD', 'get'])
      cases.push([`${label}, ${method}`, { ...outcome, method }, 'GET', safe]);
    for (const method of ['POST', 'PUT', 'PATCH'])
      cases.push([`${label}, ${method}`, { ...outcome, method }, 'POST', unsafe]);
  }
  for (const [label, partial, , expected] of cases) {
    it(label, () => {
      const decision = decideRetry(input(partial));
      if (expected === true) assert.equal(decision.retry, retried.retry);
      else assert.deepEqual(decision, { retry: false, reason: expected });
    });
  }
});

describe('retry budget', () => {
  it('N retries means up to N+1 attempts', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      assert.equal(
        decideRetry(input({ attempt, maxRetries: 5, response: { status: 503 } })).retry,
        true,
        `attempt ${attempt}`,
      );
    }
    assert.deepEqual(decideRetry(input({ attempt: 6, maxRetries: 5, response: { status: 503 } })), {
      retry: false,
      reason: 'exhausted',
    });
  });

  it('apiRetries 0: a single attempt', () => {
    assert.deepEqual(decideRetry(input({ attempt: 1, maxRetries: 0, error: conn('refused') })), {
      retry: false,
      reason: 'exhausted',
    });
  });

  it('a non-retryable outcome on the last attempt says not-retryable', () => {
    assert.deepEqual(decideRetry(input({ attempt: 6, maxRetries: 5, response: { status: 500 } })), {
      retry: false,
      reason: 'not-retryable',
    });
  });
});

describe('waits', () => {
  it('backoff doubles from apiSleep, jitter in [0.5, 1) of the base', () => {
    const top = () => 1 - Number.EPSILON;
    const low = () => 0;
    assert.equal(backoffMs(1, 1000, low), 500);
    assert.equal(backoffMs(1, 1000, top), 1000);
    assert.equal(backoffMs(2, 1000, low), 1000);
    assert.equal(
      backoffMs(3, 1000, () => 0.5),
      3000,
    );
    assert.equal(backoffMs(4, 1000, low), 4000);
  });

  it('the base is capped at 300 s', () => {
    assert.equal(backoffMs(4, 59_000, top1), 300_000);
    assert.equal(
      backoffMs(4, 59_000, () => 0),
      150_000,
    );
    assert.equal(
      backoffMs(60, 59_000, () => 0.5),
      225_000,
    );
    assert.equal(
      backoffMs(3, 59_000, () => 0),
      118_000,
    );
  });

  it('a random outside [0, 1] is clamped', () => {
    assert.equal(
      backoffMs(1, 1000, () => 5),
      1000,
    );
    assert.equal(
      backoffMs(1, 1000, () => -3),
      500,
    );
  });

  it('apiSleep 0 retries at once', () => {
    assert.deepEqual(decideRetry(input({ apiSleepMs: 0, response: { status: 503 } })), {
      retry: true,
      delayMs: 0,
    });
  });

  it('decideRetry uses the retry number for the backoff and the injected random', () => {
    const values = [0, 0.5, 0.999999];
    for (const r of values) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const decision = decideRetry(
          input({ attempt, apiSleepMs: 59_000, random: () => r, error: conn('refused') }),
        );
        const base = Math.min(MAX_RETRY_WAIT_MS, 59_000 * 2 ** (attempt - 1));
        assert.equal(decision.retry, true);
        assert.equal(decision.delayMs, Math.round(base * (0.5 + r / 2)));
        assert.ok(decision.delayMs >= base / 2 && decision.delayMs <= base);
      }
    }
  });

  it('Retry-After in seconds is waited exactly, without jitter', () => {
    assert.deepEqual(decideRetry(input({ response: { status: 429, headers: { 'Retry-After': '7' } } })), {
      retry: true,
      delayMs: 7000,
      retryAfterMs: 7000,
    });
    assert.deepEqual(
      decideRetry(input({ method: 'POST', response: { status: 503, headers: { 'retry-after': '0' } } })),
      {
        retry: true,
        delayMs: 0,
        retryAfterMs: 0,
      },
    );
  });

  it('Retry-After as an HTTP date', () => {
    const headers = { 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' };
    assert.deepEqual(decideRetry(input({ response: { status: 503, headers } })), {
      retry: true,
      delayMs: 30_000,
      retryAfterMs: 30_000,
    });
    const past = { 'retry-after': 'Wed, 21 Oct 2015 07:00:00 GMT' };
    assert.deepEqual(decideRetry(input({ response: { status: 429, headers: past } })), {
      retry: true,
      delayMs: 0,
      retryAfterMs: 0,
    });
  });

  it('Retry-After of exactly 300 s is still waited', () => {
    assert.deepEqual(decideRetry(input({ response: { status: 429, headers: { 'Retry-After': '300' } } })), {
      retry: true,
      delayMs: 300_000,
      retryAfterMs: 300_000,
    });
  });

  it('Retry-After above 300 s: no retry, and the hint for RateLimitError / ServerError', () => {
    assert.deepEqual(decideRetry(input({ response: { status: 429, headers: { 'Retry-After': '301' } } })), {
      retry: false,
      reason: 'retry-after-too-long',
      retryAfterMs: 301_000,
    });
    const date = { 'Retry-After': 'Wed, 21 Oct 2015 08:28:00 GMT' };
    assert.deepEqual(decideRetry(input({ method: 'POST', response: { status: 503, headers: date } })), {
      retry: false,
      reason: 'retry-after-too-long',
      retryAfterMs: 3_600_000,
    });
    const error = errorFromResponse({ status: 429, headers: { 'Retry-After': '3600' } });
    assert.deepEqual(decideRetry(input({ error })), {
      retry: false,
      reason: 'retry-after-too-long',
      retryAfterMs: 3_600_000,
    });
  });

  it('the hint is reported on other refusals too', () => {
    assert.deepEqual(
      decideRetry(input({ attempt: 6, response: { status: 429, headers: { 'Retry-After': '5' } } })),
      {
        retry: false,
        reason: 'exhausted',
        retryAfterMs: 5000,
      },
    );
    assert.deepEqual(
      decideRetry(input({ method: 'POST', response: { status: 502, headers: { 'Retry-After': '5' } } })),
      {
        retry: false,
        reason: 'method-not-repeatable',
        retryAfterMs: 5000,
      },
    );
  });

  it('an invalid Retry-After falls back to the backoff', () => {
    const decision = decideRetry(
      input({ random: () => 0, response: { status: 503, headers: { 'Retry-After': 'soon' } } }),
    );
    assert.deepEqual(decision, { retry: true, delayMs: 500 });
  });
});

const top1 = (): number => 1 - Number.EPSILON;

describe('parseRetryAfter (RFC 9110 10.2.3)', () => {
  it('delay-seconds', () => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(' 3 ', NOW), 3000);
    assert.equal(parseRetryAfter(5, NOW), 5000);
    assert.equal(parseRetryAfter(['2', '9'], NOW), 2000);
  });

  it('rejects what is neither seconds nor an HTTP-date', () => {
    for (const bad of ['-1', '1.5', '', 'soon', '2015-10-21T07:28:30Z', 'Wed, 21 Oct 2015 07:28:30 UTC']) {
      assert.equal(parseRetryAfter(bad, NOW), undefined, bad);
    }
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
    assert.equal(parseRetryAfter([], NOW), undefined);
  });

  it('the three HTTP-date forms', () => {
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfter('Wednesday, 21-Oct-15 07:28:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfter('Wed Oct 21 07:28:30 2015', NOW), 30_000);
    assert.equal(parseRetryAfter('Sun Nov  6 08:49:37 1994', NOW), 0);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW), Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('RFC 850 two-digit years more than 50 years ahead are in the past century', () => {
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW), Date.UTC(1994, 10, 6, 8, 49, 37));
    assert.equal(parseHttpDate('Monday, 06-Nov-30 08:49:37 GMT', NOW), Date.UTC(2030, 10, 6, 8, 49, 37));
  });

  it('rejects impossible dates', () => {
    assert.equal(parseHttpDate('Wed, 31 Feb 2015 07:28:30 GMT', NOW), undefined);
    assert.equal(parseHttpDate('Wed, 21 Oct 2015 24:00:00 GMT', NOW), undefined);
    assert.equal(parseHttpDate('Wed, 21 Foo 2015 07:00:00 GMT', NOW), undefined);
  });

  it('reads the header whatever the case of its name', () => {
    assert.equal(retryAfterFromHeaders({ 'RETRY-AFTER': '4' }, NOW), 4000);
    assert.equal(retryAfterFromHeaders({ other: '4' }, NOW), undefined);
    assert.equal(retryAfterFromHeaders(undefined, NOW), undefined);
  });
});

describe('classification', () => {
  it('statuses', () => {
    assert.equal(classifyStatus(429), 'not-processed');
    assert.equal(classifyStatus(503), 'not-processed');
    assert.equal(classifyStatus(502), 'gateway');
    assert.equal(classifyStatus(504), 'gateway');
    assert.equal(classifyStatus(500), 'final');
  });

  it('errors', () => {
    assert.equal(classifyError(conn('refused')), 'not-sent');
    assert.equal(classifyError(conn('dns')), 'not-sent');
    assert.equal(classifyError(new TimeoutError('t', { phase: 'connect' })), 'not-sent');
    assert.equal(classifyError(conn('reset')), 'maybe-processed');
    assert.equal(classifyError(conn('early-end')), 'maybe-processed');
    assert.equal(classifyError(new TimeoutError('t', { phase: 'idle' })), 'maybe-processed');
    assert.equal(classifyError(conn('tls')), 'final');
    assert.equal(classifyError(conn('timeout')), 'final');
    assert.equal(classifyError(new ProxyAuthError('x')), 'final');
    assert.equal(classifyError(new ApiError('x', { status: 504 })), 'gateway');
    assert.equal(classifyError(undefined), 'final');
  });
});
