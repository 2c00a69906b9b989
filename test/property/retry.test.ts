/**
 * Properties of the retry policy (`decideRetry`, decisions.md 1.6) over generated attempts: every
 * method, outcome, Retry-After header, attempt number, budget, apiSleep and jitter draw. The expected
 * decision comes from a model written from the table in decisions.md 1.6, not from src/core/retry.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  AbortError,
  ConnectionError,
  type ConnectionErrorKind,
  TimeoutError,
} from '../../src/core/errors.js';
import { type RetryDecision, type RetryInput, decideRetry } from '../../src/core/retry.js';

/** A fixed "now" with whole seconds, so that HTTP dates (second resolution) give exact waits. */
const NOW = Date.UTC(2024, 4, 6, 7, 8, 9);
const CAP_MS = 300_000;

/** What the table says of an outcome: retried for every method, for GET/DELETE/HEAD only, or never. */
type Rule = 'any method' | 'repeatable only' | 'never';

interface Outcome {
  label: string;
  rule: Rule;
  input: Pick<RetryInput, 'error' | 'response'>;
  /** The Retry-After header sent, when the outcome is an HTTP answer. */
  retryAfter?: RetryAfter;
}

/** A Retry-After header and the wait it means in ms (undefined: not a valid value). */
interface RetryAfter {
  header: string;
  waitMs: number | undefined;
}

const connection = (kind: ConnectionErrorKind, rule: Rule): Outcome => ({
  label: `connection ${kind}`,
  rule,
  input: { error: new ConnectionError(kind, { kind }) },
});

/** decisions.md 1.6, row by row, for failures without an HTTP answer. */
const FAILURES: Outcome[] = [
  connection('refused', 'any method'),
  connection('dns', 'any method'),
  {
    label: 'connect timeout',
    rule: 'any method',
    input: { error: new TimeoutError('t', { phase: 'connect' }) },
  },
  connection('reset', 'repeatable only'),
  connection('early-end', 'repeatable only'),
  connection('other', 'repeatable only'),
  {
    label: 'idle timeout',
    rule: 'repeatable only',
    input: { error: new TimeoutError('t', { phase: 'idle' }) },
  },
  connection('tls', 'never'),
  connection('proxy-auth', 'never'),
  { label: 'abort', rule: 'never', input: { error: new AbortError('aborted') } },
  { label: 'an unknown error', rule: 'never', input: { error: new Error('?') } },
];

/** The table's rule for a status: 429/503 any method, 502/504 repeatable only, the rest never. */
function statusRule(status: number): Rule {
  if (status === 429 || status === 503) return 'any method';
  if (status === 502 || status === 504) return 'repeatable only';
  return 'never';
}

const retryAfterArb: fc.Arbitrary<RetryAfter | undefined> = fc.oneof(
  fc.constant(undefined),
  // delay-seconds, around the 300 s cap
  fc
    .oneof(fc.integer({ min: 0, max: 600 }), fc.constantFrom(299, 300, 301))
    .map((s) => ({ header: String(s), waitMs: s * 1000 })),
  // an HTTP date (IMF-fixdate), in the past or up to 10 minutes ahead
  fc.integer({ min: -600, max: 600 }).map((s) => ({
    header: new Date(NOW + s * 1000).toUTCString(),
    waitMs: Math.max(0, s * 1000),
  })),
  // values that are not a Retry-After: ignored
  fc.constantFrom('', 'soon', '-1', '1.5', '5 s', 'Tue, 31 Feb 2024 00:00:00 GMT').map((header) => ({
    header,
    waitMs: undefined,
  })),
);

const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constantFrom(...FAILURES),
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(429, 502, 503, 504, 407, 500)),
      retryAfterArb,
    )
    .map(([status, retryAfter]): Outcome => {
      const outcome: Outcome = {
        label: `HTTP ${status}`,
        rule: statusRule(status),
        input: {
          response: { status, headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter.header } },
        },
      };
      if (retryAfter !== undefined) outcome.retryAfter = retryAfter;
      return outcome;
    }),
);

const attemptArb = fc.record({
  method: fc.constantFrom('GET', 'DELETE', 'HEAD', 'POST', 'PUT', 'PATCH', 'get', 'post'),
  outcome: outcomeArb,
  attempt: fc.integer({ min: 1, max: 12 }),
  maxRetries: fc.integer({ min: 0, max: 10 }),
  apiSleepMs: fc.oneof(fc.integer({ min: 0, max: 120_000 }), fc.constantFrom(0, 1, 59_000, 300_000, 1e9)),
  random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

type Attempt = typeof attemptArb extends fc.Arbitrary<infer T> ? T : never;

function decide(a: Attempt): RetryDecision {
  return decideRetry({
    ...a.outcome.input,
    attempt: a.attempt,
    method: a.method,
    maxRetries: a.maxRetries,
    apiSleepMs: a.apiSleepMs,
    nowMs: NOW,
    random: () => a.random,
  });
}

const repeatable = (method: string) => ['GET', 'DELETE', 'HEAD'].includes(method.toUpperCase());
const allowed = (a: Attempt) =>
  a.outcome.rule === 'any method' || (a.outcome.rule === 'repeatable only' && repeatable(a.method));

describe('decideRetry properties (decisions.md 1.6)', () => {
  it('never retries beyond maxRetries: attempt n is followed by a retry only when n <= maxRetries', () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        fc.pre(a.attempt > a.maxRetries);
        assert.equal(decide(a).retry, false);
      }),
    );
  });

  it('never retries POST, PUT or PATCH after an outcome the server may have processed (reset, early end, idle timeout, 502, 504)', () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        fc.pre(a.outcome.rule === 'repeatable only' && !repeatable(a.method));
        const decision = decide(a);
        assert.equal(decision.retry, false, a.outcome.label);
        assert.equal(decision.reason, 'method-not-repeatable');
      }),
    );
  });

  it('never retries a final outcome (2xx, 500, other 4xx, 407, TLS, abort, unknown errors)', () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        fc.pre(a.outcome.rule === 'never');
        const decision = decide(a);
        assert.equal(decision.retry, false, a.outcome.label);
        assert.equal(decision.reason, 'not-retryable');
      }),
    );
  });

  it('without a Retry-After, waits min(300 s, apiSleep × 2^(n−1)) × [0.5, 1], whole ms', () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        fc.pre(allowed(a) && a.attempt <= a.maxRetries && a.outcome.retryAfter?.waitMs === undefined);
        const decision = decide(a);
        assert.ok(decision.retry, `${a.method} after ${a.outcome.label}`);
        const base = Math.min(CAP_MS, a.apiSleepMs * 2 ** (a.attempt - 1));
        assert.ok(Number.isInteger(decision.delayMs), `${decision.delayMs} ms`);
        assert.ok(
          decision.delayMs >= Math.round(0.5 * base) && decision.delayMs <= Math.round(base),
          `${decision.delayMs} ms outside [0.5, 1] × ${base} ms`,
        );
        assert.equal(decision.delayMs, Math.round(base * (0.5 + a.random / 2)));
      }),
    );
  });

  it('a Retry-After is honoured exactly when it is at most 300 s, and ends the retries above', () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        const waitMs = a.outcome.retryAfter?.waitMs;
        fc.pre(waitMs !== undefined && allowed(a) && a.attempt <= a.maxRetries);
        const decision = decide(a);
        if (waitMs <= CAP_MS) {
          assert.deepEqual(decision, { retry: true, delayMs: waitMs, retryAfterMs: waitMs });
        } else {
          assert.deepEqual(decision, { retry: false, reason: 'retry-after-too-long', retryAfterMs: waitMs });
        }
      }),
    );
  });

  it('agrees with the table as a whole: retried exactly when the row allows the method and the budget is not spent', () => {
    fc.assert(
      fc.property(attemptArb, (a) => {
        const waitMs = a.outcome.retryAfter?.waitMs;
        const expected =
          allowed(a) && a.attempt <= a.maxRetries && (waitMs === undefined || waitMs <= CAP_MS);
        assert.equal(decide(a).retry, expected, `${a.method} after ${a.outcome.label}`);
      }),
    );
  });
});
