/**
 * The token renewal call, `GET <base>/appAuth?expiredToken=<token>` (rest-api-v2.md 2.3), unsigned.
 *
 * It goes through the client's transport (same timeout, proxy and TLS settings as every request),
 * which is injected as {@link RenewalSend}, so this module does no I/O of its own. A renewal that
 * gets no answer, or a 429/502/503/504, is retried as a GET would be (decisions.md 1.6); every
 * attempt is reported to the call that caused the renewal, so it shows in that call's attempts.
 */
import { AuthenticationError, ThreatConnectError } from '../core/errors.js';
import { errorFromResponse } from '../core/response-errors.js';
import { decideRetry } from '../core/retry.js';
import { formEncode } from '../core/url.js';
import type { RenewTokenFn, TokenRenewalResult } from './token.js';
import type { AuthCallContext } from './types.js';

/** The part of an HTTP answer the renewal reads. */
export interface RenewalAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly content?: Buffer | undefined;
}

/** Sends one attempt of the renewal (the client's transport). */
export type RenewalSend = (request: {
  method: 'GET';
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}) => Promise<RenewalAnswer>;

/** Options of {@link createTokenRenewer}. */
export interface TokenRenewerOptions {
  /** Scheme, host and port of the API, e.g. `https://tc.example.com`. */
  readonly origin: string;
  /** The base URL's path, e.g. `/api`. */
  readonly basePath: string;
  readonly send: RenewalSend;
  /** The client's current retry and timeout settings. */
  readonly settings: () => { apiRetries: number; apiSleepMs: number; apiRequestTimeoutMs: number };
  readonly clock: {
    now(): number;
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
    random(): number;
  };
  /** Fires when the client closes: a renewal in progress stops. */
  readonly signal?: (() => AbortSignal | undefined) | undefined;
  /** Told of each new token, so that logs can scrub it like the configured one. */
  readonly onRenewed?: ((apiToken: string) => void) | undefined;
  /** Told of a renewal that failed for good, with the reason (for the log). */
  readonly onFailed?: ((message: string) => void) | undefined;
}

/** The request target of a renewal: `<basePath>/appAuth?expiredToken=<form-encoded token>`. */
export function buildRenewalTarget(basePath: string, expiredToken: string): string {
  return `${basePath}/appAuth?expiredToken=${formEncode(expiredToken)}`;
}

interface AppAuthBody {
  success?: unknown;
  apiToken?: unknown;
  apiTokenExpires?: unknown;
  message?: unknown;
}

function parseBody(text: string): AppAuthBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The error of a renewal that failed for good with an answer. A refusal (401, 403), and a 200 without
 * a token, are an {@link AuthenticationError}; any other status is the error its status maps to
 * (decisions.md 1.3: a 503 after the retries is a `ServerError`, a 429 a `RateLimitError`), so that a
 * caller does not ask for new credentials because the server was down. The message is the original's.
 */
function renewalError(
  message: string,
  answer: RenewalAnswer,
  text: string,
  url: string,
  retryAfterMs: number | undefined,
): Error {
  const request = { method: 'GET', url };
  const { status } = answer;
  if (status === 200 || status === 401 || status === 403) {
    return new AuthenticationError(message, { status, body: text, request });
  }
  // The server's Retry-After, as the retry policy read it, as for any other call's error.
  const error = errorFromResponse({ status, body: text, headers: answer.headers, request, retryAfterMs });
  error.message = message;
  return error;
}

/** The renewal function a {@link TokenAuthenticator} calls. */
export function createTokenRenewer(options: TokenRenewerOptions): RenewTokenFn {
  return async (expiredToken: string, context: AuthCallContext): Promise<TokenRenewalResult> => {
    const url = options.origin + buildRenewalTarget(options.basePath, expiredToken);
    const { clock } = options;
    const signal = options.signal?.();
    let delayMs = 0;
    for (let attempt = 1; ; attempt += 1) {
      const settings = options.settings();
      const started = clock.now();
      let answer: RenewalAnswer | undefined;
      let failure: unknown;
      try {
        answer = await options.send({
          method: 'GET',
          url,
          headers: {},
          timeoutMs: settings.apiRequestTimeoutMs,
          signal,
        });
      } catch (error) {
        failure = error;
      }
      const durationMs = clock.now() - started;
      context.onRenewalAttempt?.(
        answer === undefined
          ? { delayMs, durationMs, error: failure instanceof Error ? failure : new Error(String(failure)) }
          : { delayMs, durationMs, status: answer.status },
      );
      const decision = decideRetry({
        attempt,
        method: 'GET',
        ...(answer === undefined ? { error: failure } : { response: answer }),
        apiSleepMs: settings.apiSleepMs,
        maxRetries: settings.apiRetries,
        nowMs: clock.now(),
        random: () => clock.random(),
      });
      if (answer?.status !== 200 && decision.retry) {
        delayMs = decision.delayMs;
        await clock.sleep(decision.delayMs, signal);
        continue;
      }
      if (answer === undefined) {
        throw failure instanceof ThreatConnectError
          ? failure
          : new ThreatConnectError(String(failure), { cause: failure });
      }
      const text = answer.content?.toString('utf8') ?? '';
      const body = parseBody(text);
      if (answer.status !== 200 || typeof body.apiToken !== 'string' || body.apiToken.length === 0) {
        const reason = typeof body.message === 'string' ? body.message : `HTTP ${answer.status}`;
        const message = `Could not refresh ThreatConnect Token (${reason}).`;
        options.onFailed?.(message);
        throw renewalError(message, answer, text, url, decision.retryAfterMs);
      }
      options.onRenewed?.(body.apiToken);
      return {
        apiToken: body.apiToken,
        apiTokenExpires:
          typeof body.apiTokenExpires === 'string' || typeof body.apiTokenExpires === 'number'
            ? body.apiTokenExpires
            : undefined,
      };
    }
  };
}
