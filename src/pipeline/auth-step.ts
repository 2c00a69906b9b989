/**
 * The auth middleware: fresh headers for every attempt, signed over the exact path and query that is
 * sent (an authenticator may answer synchronously, as HMAC does, or with a promise, as a token that
 * must be renewed first does). A token renewal made on the call's behalf records its attempts in the
 * call. On a 401 the result carries `renewAfterUnauthorized`, which the retry step runs after
 * recording the 401.
 */
import type { AuthCallContext, RenewalAttempt } from '../auth/index.js';
import type { AttemptRequest } from '../http/types.js';
import {
  AuthHeadersFailure,
  asSdkError,
  type CallContext,
  type Middleware,
  type PipelineDeps,
  recordAttempt,
} from './call.js';

/**
 * The request object's headers with the attempt's auth headers (`Timestamp`, `Authorization`) in
 * place of any of the same name in another case: HTTP names are case-insensitive, and both would be
 * sent. The signing of each attempt wins, as it did in the original (it wrote them into the request
 * object's headers).
 */
function withAuthHeaders(own: Record<string, string>, auth: Record<string, string>): Record<string, string> {
  const authNames = Object.keys(auth).map((name) => name.toLowerCase());
  const clash = Object.keys(own).some((name) => authNames.includes(name.toLowerCase()));
  if (!clash) return { ...own, ...auth };
  const kept = Object.entries(own).filter(([name]) => !authNames.includes(name.toLowerCase()));
  return { ...Object.fromEntries(kept), ...auth };
}

function attemptRequest(ctx: CallContext, headers: Record<string, string>): AttemptRequest {
  return {
    method: ctx.method,
    url: ctx.url,
    headers: withAuthHeaders(ctx.headers, headers),
    body: ctx.body,
    signal: ctx.signal,
    stream: ctx.stream,
  };
}

function authContext(ctx: CallContext): AuthCallContext {
  return {
    signal: ctx.signal,
    onRenewalAttempt: (attempt: RenewalAttempt) => {
      recordAttempt(ctx, {
        delayMs: attempt.delayMs,
        durationMs: attempt.durationMs,
        purpose: 'tokenRenewal',
        ...(attempt.status === undefined ? { error: asSdkError(attempt.error) } : { status: attempt.status }),
      });
    },
  };
}

export function authMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'auth',
    async run(ctx, next) {
      const authenticator = deps.authenticator();
      let headers: Record<string, string>;
      try {
        const produced = authenticator.headers(
          ctx.method,
          ctx.pathAndQuery,
          deps.clock.now(),
          authContext(ctx),
        );
        headers = produced instanceof Promise ? await produced : produced;
      } catch (error) {
        throw new AuthHeadersFailure(error);
      }
      ctx.attempt = attemptRequest(ctx, headers);
      const sent = ctx.attempt.headers;
      const result = await next(ctx);
      if (result.response.status !== 401) return result;
      return {
        ...result,
        renewAfterUnauthorized: () => authenticator.onUnauthorized(sent, authContext(ctx)),
      };
    },
  };
}
