/**
 * Authenticators: objects that produce the auth headers of one attempt. The pipeline's auth step
 * calls `headers()` once per attempt, inside the retry loop, with the exact wire `path?query` and a
 * fresh time, so every attempt is signed again (decisions.md 1.6).
 */
import { inspect } from 'node:util';
import type { ResolvedAuth } from '../core/config-types.js';
import { ConfigError } from '../core/errors.js';
import { signHmac } from './hmac.js';
import { type RenewTokenFn, TokenAuthenticator } from './token.js';
import type { AuthCallContext } from './types.js';

export { hmacMessage, signHmac, type HmacHeaders, type HmacSignInput } from './hmac.js';
export {
  buildRenewalTarget,
  createTokenRenewer,
  type RenewalAnswer,
  type RenewalSend,
  type TokenRenewerOptions,
} from './renewal.js';
export type { AuthCallContext, RenewalAttempt } from './types.js';
export {
  parseTokenExpires,
  type RenewTokenFn,
  TOKEN_RENEW_AHEAD_MS,
  TokenAuthenticator,
  type TokenAuthenticatorOptions,
  type TokenRenewalResult,
} from './token.js';

/** Produces the auth headers of one attempt. */
export interface Authenticator {
  readonly kind: 'hmac' | 'token';
  /**
   * The headers for one attempt (`Timestamp` and `Authorization`), synchronously (HMAC) or as a
   * promise (a token that must be renewed first).
   *
   * @param pathAndQuery the request target exactly as sent, e.g. `/api/v2/indicators?createActivityLog=false`.
   * @param nowMs the attempt's time in epoch ms (from the client's clock).
   * @param context the call's signal, and where a renewal made on its behalf records its attempts.
   */
  headers(
    method: string,
    pathAndQuery: string,
    nowMs: number,
    context?: AuthCallContext,
  ): Record<string, string> | Promise<Record<string, string>>;
  /**
   * Called after a 401 with the headers that were sent; resolves true when the request should be
   * sent once more with fresh headers (token renewal). HMAC never asks for that.
   */
  onUnauthorized(sentHeaders: Readonly<Record<string, string>>, context?: AuthCallContext): Promise<boolean>;
}

/** HMAC authentication: signs every attempt with its own timestamp. */
export class HmacAuthenticator implements Authenticator {
  readonly kind = 'hmac' as const;
  readonly accessId: string;
  readonly #secretKey: string;

  constructor(accessId: string, secretKey: string) {
    this.accessId = accessId;
    this.#secretKey = secretKey;
  }

  /** The headers for one attempt, synchronously: HMAC needs no I/O. */
  headers(method: string, pathAndQuery: string, nowMs: number): Record<string, string> {
    const { Timestamp, Authorization } = signHmac({
      accessId: this.accessId,
      secretKey: this.#secretKey,
      method,
      pathAndQuery,
      timestampSec: Math.floor(nowMs / 1000),
    });
    return { Timestamp, Authorization };
  }

  onUnauthorized(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `HmacAuthenticator { accessId: ${JSON.stringify(this.accessId)}, secretKey: [REDACTED] }`;
  }

  /** The plain object that `JSON.stringify` writes for this object. */
  toJSON(): Record<string, unknown> {
    return { kind: this.kind, accessId: this.accessId };
  }
}

/** Dependencies of {@link createAuthenticator}. */
export interface AuthenticatorDeps {
  /** The `/appAuth` call ({@link createTokenRenewer}); required for token credentials. */
  readonly renewToken?: RenewTokenFn | undefined;
}

/** The authenticator for resolved credentials. */
export function createAuthenticator(auth: ResolvedAuth, deps: AuthenticatorDeps = {}): Authenticator {
  if (auth.kind === 'hmac') return new HmacAuthenticator(auth.accessId, auth.secretKey);
  const { renewToken } = deps;
  if (renewToken === undefined) throw new ConfigError('token authentication needs a `renewToken` function');
  return new TokenAuthenticator({
    apiToken: auth.apiToken,
    apiTokenExpiresMs: auth.apiTokenExpiresMs,
    renew: renewToken,
  });
}
