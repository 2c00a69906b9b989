/**
 * The retry policy of decisions.md 1.6, as pure functions: no timers, no I/O. The caller (the
 * transport's retry loop) passes the outcome of the attempt it just made and gets back whether to
 * retry and how long to wait first.
 *
 * | Outcome of an attempt                                        | GET, DELETE, HEAD | POST, PUT (others) |
 * |--------------------------------------------------------------|-------------------|--------------------|
 * | Connection refused, DNS failure, connect timeout (not sent)  | retry             | retry              |
 * | Reset, early end of body, idle timeout (may be processed)    | retry             | no retry           |
 * | 429, 503 (the server says it did not process)               | retry             | retry              |
 * | 502, 504                                                     | retry             | no retry           |
 * | 500, other 4xx, 407, TLS failures, anything else             | no retry          | no retry           |
 */
import { AbortError, ApiError, ConnectionError, TimeoutError } from './errors.js';
import { type HeaderValues } from './redact.js';

/** The longest wait the policy accepts, and the cap of the backoff: 300 s. */
export const MAX_RETRY_WAIT_MS = 300_000;

/** Methods for which a repeat cannot do harm beyond the first request (decisions.md 1.6). */
const REPEATABLE_METHODS = new Set(['GET', 'DELETE', 'HEAD']);

/**
 * How an attempt ended, for the retry table:
 * - `not-sent`: the request never reached the server (refused, DNS, connect timeout);
 * - `maybe-processed`: the server may have acted on it (reset, early end, idle timeout);
 * - `not-processed`: the server says it did not act (429, 503);
 * - `gateway`: 502 or 504;
 * - `final`: anything else, never retried (2xx, 500, other 4xx, 407, TLS, abort, unknown errors).
 */
export type OutcomeClass = 'not-sent' | 'maybe-processed' | 'not-processed' | 'gateway' | 'final';

/** The HTTP part of an attempt's outcome. */
export interface ResponseOutcome {
  readonly status: number;
  readonly headers?: HeaderValues | undefined;
}

/** Why the policy says not to retry. */
export type NoRetryReason =
  /** The outcome is never retried (success, 500, other 4xx, 407, TLS, abort…). */
  | 'not-retryable'
  /** The outcome is retried only for GET, DELETE and HEAD. */
  | 'method-not-repeatable'
  /** `maxRetries` retries have been made. */
  | 'exhausted'
  /** The server's Retry-After exceeds 300 s: throw RateLimitError (429) or ServerError (503) with the hint. */
  | 'retry-after-too-long';

export type RetryDecision =
  | {
      readonly retry: true;
      /** Milliseconds to wait before the next attempt. */
      readonly delayMs: number;
      /** The server's Retry-After, when it sent a valid one (then `delayMs` equals it). */
      readonly retryAfterMs?: number;
    }
  | {
      readonly retry: false;
      readonly reason: NoRetryReason;
      /** The server's Retry-After, when it sent a valid one. */
      readonly retryAfterMs?: number;
    };

/** Input of {@link decideRetry}. */
export interface RetryInput {
  /** 1-based number of the attempt that just ended. */
  readonly attempt: number;
  readonly method: string;
  /** The failure of the attempt, when it got no HTTP answer (or an {@link ApiError} built from one). */
  readonly error?: unknown;
  /** The HTTP answer of the attempt. */
  readonly response?: ResponseOutcome | undefined;
  /** The backoff base (`apiSleep`) in ms. */
  readonly apiSleepMs: number;
  /** `apiRetries`: retries allowed after the first attempt. */
  readonly maxRetries: number;
  /** Current time in epoch ms, for a Retry-After given as a date. */
  readonly nowMs: number;
  /** A number in [0, 1) (`clock.random`), for the jitter. */
  readonly random: () => number;
}

/** Classifies an HTTP status for the retry table. */
export function classifyStatus(status: number): OutcomeClass {
  if (status === 429 || status === 503) return 'not-processed';
  if (status === 502 || status === 504) return 'gateway';
  return 'final';
}

/** Classifies an attempt's failure for the retry table. */
export function classifyError(error: unknown): OutcomeClass {
  if (error instanceof AbortError) return 'final';
  if (error instanceof ApiError) return classifyStatus(error.status);
  if (error instanceof TimeoutError) return error.phase === 'connect' ? 'not-sent' : 'maybe-processed';
  if (error instanceof ConnectionError) {
    switch (error.kind) {
      case 'refused':
      case 'dns':
        return 'not-sent';
      case 'reset':
      case 'early-end':
      case 'other':
        return 'maybe-processed';
      default:
        // 'tls' (a certificate does not get better by asking again), 'proxy-auth', 'timeout' without phase.
        return 'final';
    }
  }
  return 'final';
}

function isRetriedFor(outcome: OutcomeClass, method: string): boolean | 'method' {
  switch (outcome) {
    case 'not-sent':
    case 'not-processed':
      return true;
    case 'maybe-processed':
    case 'gateway':
      return REPEATABLE_METHODS.has(method.toUpperCase()) ? true : 'method';
    case 'final':
      return false;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// RFC 9110 5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

function utc(year: number, month: string, day: number, h: string, m: string, s: string): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  const [hh, mm, ss] = [Number(h), Number(m), Number(s)];
  if (hh > 23 || mm > 59 || ss > 60) return undefined;
  const ms = Date.UTC(year, monthIndex, day, hh, mm, Math.min(ss, 59));
  // Reject days that roll over into the next month (31 Feb).
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms;
}

/** Parses an HTTP-date (RFC 9110 5.6.7) into epoch ms, or undefined. */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2] ?? '', Number(m[1]), m[4] ?? '', m[5] ?? '', m[6] ?? '');
  m = RFC850_DATE.exec(text);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the most recent past year
    // with those last two digits.
    const yy = Number(m[3]);
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + yy;
    if (year > nowYear + 50) year -= 100;
    return utc(year, m[2] ?? '', Number(m[1]), m[4] ?? '', m[5] ?? '', m[6] ?? '');
  }
  m = ASCTIME_DATE.exec(text);
  if (m)
    return utc(Number(m[6]), m[1] ?? '', Number((m[2] ?? '').trim()), m[3] ?? '', m[4] ?? '', m[5] ?? '');
  return undefined;
}

/**
 * Parses a `Retry-After` value (RFC 9110 10.2.3): delay-seconds or an HTTP-date. Returns the wait in
 * ms (0 for a date in the past), or `undefined` for a missing or invalid value. For a repeated
 * header, the first value counts.
 */
export function parseRetryAfter(
  value: string | readonly string[] | number | undefined,
  nowMs: number,
): number | undefined {
  const first: string | number | undefined = typeof value === 'object' ? value[0] : value;
  if (first === undefined) return undefined;
  const text = String(first).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = parseHttpDate(text, nowMs);
  if (date === undefined) return undefined;
  return Math.max(0, date - nowMs);
}

/** Reads `Retry-After` from a header map whatever the case of its name. */
export function retryAfterFromHeaders(headers: HeaderValues | undefined, nowMs: number): number | undefined {
  if (headers === undefined) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'retry-after') return parseRetryAfter(value, nowMs);
  }
  return undefined;
}

/**
 * The wait before retry `n` (1-based) without a Retry-After:
 * `min(300 s, apiSleep × 2^(n−1)) × (0.5 + random()/2)`, rounded to whole ms.
 */
export function backoffMs(retryNumber: number, apiSleepMs: number, random: () => number): number {
  // The exponent is capped (2^30 ms is far above the cap) so that 0 × 2^1024 never gives NaN.
  const base = Math.min(MAX_RETRY_WAIT_MS, apiSleepMs * 2 ** Math.min(30, Math.max(0, retryNumber - 1)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (0.5 + r / 2));
}

/**
 * Decides whether to retry after an attempt, and how long to wait (decisions.md 1.6).
 *
 * Order of the checks: the outcome class and the method, then the retry budget (`maxRetries`
 * retries means up to `maxRetries + 1` attempts), then a Retry-After above 300 s.
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const { response, error } = input;
  let outcome: OutcomeClass;
  let headers: HeaderValues | undefined;
  if (response !== undefined) {
    outcome = classifyStatus(response.status);
    headers = response.headers;
  } else {
    outcome = classifyError(error);
    if (error instanceof ApiError) headers = error.headers;
  }
  const retryAfterMs = retryAfterFromHeaders(headers, input.nowMs);
  const hint = retryAfterMs === undefined ? {} : { retryAfterMs };

  const allowed = isRetriedFor(outcome, input.method);
  if (allowed === false) return { retry: false, reason: 'not-retryable', ...hint };
  if (allowed === 'method') return { retry: false, reason: 'method-not-repeatable', ...hint };
  if (input.attempt > input.maxRetries) return { retry: false, reason: 'exhausted', ...hint };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > MAX_RETRY_WAIT_MS)
      return { retry: false, reason: 'retry-after-too-long', retryAfterMs };
    return { retry: true, delayMs: retryAfterMs, retryAfterMs };
  }
  return { retry: true, delayMs: backoffMs(input.attempt, input.apiSleepMs, input.random) };
}
