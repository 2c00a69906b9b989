/**
 * API-token authentication with automatic renewal (decisions.md 1.2, rest-api-v2.md 2.3).
 *
 * - The token is renewed 60 s before `apiTokenExpires`.
 * - With an unknown expiry, a 401 triggers one renewal and the request is sent again; if the renewed
 *   token gets a 401 as well, the caller fails.
 * - Concurrent callers share one in-flight renewal.
 *
 * The HTTP call to `/appAuth` is injected ({@link RenewTokenFn}), so this module stays pure.
 */
import { inspect } from 'node:util';
import { AbortError, ThreatConnectError } from '../core/errors.js';
import type { Authenticator } from './index.js';
import type { AuthCallContext } from './types.js';

/** What `/appAuth` answers: `{ apiToken, apiTokenExpires }` (epoch seconds, often a string). */
export interface TokenRenewalResult {
  readonly apiToken: string;
  readonly apiTokenExpires?: number | string | undefined;
}

/**
 * Performs `GET <base>/appAuth?expiredToken=<token>` and returns the new token ({@link
 * createTokenRenewer}). It should throw `AuthenticationError` ("Could not refresh ThreatConnect Token
 * (<message>).") on a 401 or 403 (another status: the error it maps to, with the same message), and
 * record each of its attempts through `context.onRenewalAttempt`.
 */
export type RenewTokenFn = (expiredToken: string, context: AuthCallContext) => Promise<TokenRenewalResult>;

/** Options of {@link TokenAuthenticator}. */
export interface TokenAuthenticatorOptions {
  readonly apiToken: string;
  /** Epoch ms, or undefined when unknown. */
  readonly apiTokenExpiresMs?: number | undefined;
  readonly renew: RenewTokenFn;
  /** How long before expiry to renew. @default 60_000 */
  readonly renewAheadMs?: number | undefined;
}

/** The default renewal margin: 60 s before expiry. */
export const TOKEN_RENEW_AHEAD_MS = 60_000;

/** Parses `apiTokenExpires` (epoch seconds, number or numeric string) into epoch ms. */
export function parseTokenExpires(value: unknown): number | undefined {
  let seconds: number | undefined;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) seconds = Number(value);
  // Beyond 8.64e12 s a Date cannot hold the expiry: treat it as unknown.
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0 || seconds > 8.64e12)
    return undefined;
  return Math.round(seconds * 1000);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(AbortError.fromSignal(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(AbortError.fromSignal(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new ThreatConnectError(String(error)));
      },
    );
  });
}

/** Token state, the renewal decision, and the shared renewal. */
export class TokenAuthenticator implements Authenticator {
  readonly kind = 'token' as const;
  #token: string;
  #expiresMs: number | undefined;
  #renewAheadMs: number;
  readonly #renew: RenewTokenFn;
  #inFlight: Promise<void> | undefined;
  /** The token obtained through a 401-triggered renewal; a 401 on it is final. */
  #renewedOn401: string | undefined;
  /** The lifetime of the last renewed token, to keep short-lived tokens from renewing on every call. */
  #lifetimeMs: number | undefined;
  #renewals = 0;

  constructor(options: TokenAuthenticatorOptions) {
    this.#token = options.apiToken;
    this.#expiresMs = options.apiTokenExpiresMs;
    this.#renew = options.renew;
    this.#renewAheadMs = options.renewAheadMs ?? TOKEN_RENEW_AHEAD_MS;
  }

  /** Expiry of the current token in epoch ms, or undefined when unknown. */
  get expiresMs(): number | undefined {
    return this.#expiresMs;
  }

  /** How many renewals have completed. */
  get renewals(): number {
    return this.#renewals;
  }

  /** True when the token should be renewed before a request made at `nowMs`. */
  needsRenewal(nowMs: number): boolean {
    if (this.#expiresMs === undefined) return false;
    const ahead =
      this.#lifetimeMs === undefined
        ? this.#renewAheadMs
        : Math.min(this.#renewAheadMs, this.#lifetimeMs / 2);
    return nowMs >= this.#expiresMs - ahead;
  }

  /**
   * Renews the token now. Concurrent callers share one renewal; a failed renewal rejects every
   * waiter, and the next call tries again.
   */
  renew(nowMs?: number, context: AuthCallContext = {}): Promise<void> {
    const { signal } = context;
    // A caller that has given up does not start a renewal.
    if (signal?.aborted === true) return Promise.reject(AbortError.fromSignal(signal));
    if (this.#inFlight === undefined) {
      const expired = this.#token;
      const run = async (): Promise<void> => {
        // The renewal is shared, so it is not cancelled by the signal of the call that started it;
        // it records its attempts in that call only.
        const result = await this.#renew(expired, { onRenewalAttempt: context.onRenewalAttempt });
        if (typeof result.apiToken !== 'string' || result.apiToken.length === 0) {
          throw new ThreatConnectError(
            'Could not refresh ThreatConnect Token (the answer holds no apiToken).',
            {
              code: 'TC_AUTH',
            },
          );
        }
        this.#token = result.apiToken;
        this.#expiresMs = parseTokenExpires(result.apiTokenExpires);
        this.#lifetimeMs =
          this.#expiresMs !== undefined && nowMs !== undefined
            ? Math.max(0, this.#expiresMs - nowMs)
            : undefined;
        // A new token that is already expired by our clock (clock skew against the server) would be
        // renewed before every request: treat its expiry as unknown, so only a 401 renews it.
        if (this.#lifetimeMs === 0) {
          this.#expiresMs = undefined;
          this.#lifetimeMs = undefined;
        }
        this.#renewals += 1;
      };
      this.#inFlight = run().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return raceAbort(this.#inFlight, signal);
  }

  /** `Authorization: TC-Token <token>` plus the `Timestamp` the original sends too; renews first if due. */
  async headers(
    _method: string,
    _pathAndQuery: string,
    nowMs: number,
    context: AuthCallContext = {},
  ): Promise<Record<string, string>> {
    if (this.#inFlight !== undefined) await raceAbort(this.#inFlight, context.signal);
    else if (this.needsRenewal(nowMs)) await this.renew(nowMs, context);
    return { Timestamp: String(Math.floor(nowMs / 1000)), Authorization: `TC-Token ${this.#token}` };
  }

  /**
   * Called after a 401 with the headers that were sent. Resolves true when the request should be
   * sent again with fresh headers: another caller renewed meanwhile, or the expiry is unknown and
   * this token has not been renewed because of a 401 yet (then it renews first).
   */
  async onUnauthorized(
    sentHeaders: Readonly<Record<string, string>>,
    context: AuthCallContext = {},
  ): Promise<boolean> {
    const sent = /^TC-Token\s+(.*)$/.exec(sentHeaders.Authorization ?? '')?.[1];
    if (this.#inFlight !== undefined) {
      await raceAbort(this.#inFlight, context.signal);
      return true;
    }
    if (sent !== undefined && sent !== this.#token) return true;
    if (this.#expiresMs !== undefined) return false;
    if (this.#renewedOn401 !== undefined && this.#renewedOn401 === this.#token) return false;
    await this.renew(undefined, context);
    this.#renewedOn401 = this.#token;
    return true;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    const expires = this.#expiresMs === undefined ? 'unknown' : new Date(this.#expiresMs).toISOString();
    return `TokenAuthenticator { token: [REDACTED], expires: ${expires} }`;
  }

  /** The plain object that `JSON.stringify` writes for this object. */
  toJSON(): Record<string, unknown> {
    return { kind: this.kind, expiresMs: this.#expiresMs };
  }
}
