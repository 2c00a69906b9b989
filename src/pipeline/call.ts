/**
 * The request pipeline's shared types: one logical call travelling through named middlewares, outer
 * to inner report → retry → auth (sign) → timeout → transport (conventions.md 2.2), composed once.
 */
import type { Authenticator } from '../auth/index.js';
import type { ResolvedClock } from '../core/clock.js';
import { type AttemptRecord, ConnectionError, ThreatConnectError } from '../core/errors.js';
import type { RetryDecision } from '../core/retry.js';
import type { AttemptRequest, AttemptResponse, SendFn } from '../http/types.js';
import type { Logger } from '../logging/logger.js';
import type { CallRecorder, CallStart, ReportRecorder } from '../report/report.js';

/** One logical call travelling through the pipeline. */
export interface CallContext {
  readonly method: string;
  /** Origin + path and query, exactly as signed and sent. */
  readonly url: string;
  /** The path and query that is signed. */
  readonly pathAndQuery: string;
  /** Headers of the request object (without auth). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly stream?: boolean | undefined;
  /** Report details of the call. */
  readonly report: CallStart;
  /** Set by the report middleware. */
  call?: CallRecorder;
  /** Attempts made so far, in order: the call's own, and token renewals made on its behalf. */
  attempts: AttemptRecord[];
  /** Per-attempt values, set by the inner middlewares. */
  attempt?: AttemptRequest;
}

/** The pipeline's result: the last response, and why retrying stopped. */
export interface CallResult {
  response: AttemptResponse;
  /** The policy's last decision for a non-2xx answer (for the caller's error choice). */
  decision?: RetryDecision | undefined;
  attempts: AttemptRecord[];
  /**
   * Set by the auth step on a 401 that a token renewal may cure: renews (recording its attempts in
   * the call) and resolves true when the request should be sent again at once.
   */
  renewAfterUnauthorized?: (() => Promise<boolean>) | undefined;
}

export type Next = (ctx: CallContext) => Promise<CallResult>;

export interface Middleware {
  readonly name: string;
  run(ctx: CallContext, next: Next): Promise<CallResult>;
}

/** Chains middlewares around an innermost function, once. */
export function compose(middlewares: readonly Middleware[], inner: Next): Next {
  return middlewares.reduceRight<Next>((next, middleware) => (ctx) => middleware.run(ctx, next), inner);
}

/** Settings the middlewares read on every call (the client's current configuration). */
export interface PipelineSettings {
  readonly apiRetries: number;
  readonly apiSleepMs: number;
  readonly apiRequestTimeoutMs: number;
}

export interface PipelineDeps {
  /** Where the report step opens one entry per logical call. */
  readonly recorder: Pick<ReportRecorder, 'beginCall'>;
  readonly clock: ResolvedClock;
  readonly logger: Logger;
  readonly authenticator: () => Authenticator;
  readonly settings: () => PipelineSettings;
  readonly send: SendFn;
  /** Fires when the client closes: a retry wait ends, and no further attempt is made. */
  readonly closing?: AbortSignal | undefined;
}

/** The statuses the seed counts as success. */
export const SUCCESS_STATUSES: ReadonlySet<number> = new Set([200, 201, 202]);

/**
 * Thrown by the auth step when it cannot make an attempt's headers (a token renewal that failed, or a
 * caller that stopped waiting for one), with that failure as `cause`. Nothing was sent: the retry step
 * records no attempt for it and throws the cause as it is. It never leaves the pipeline.
 */
export class AuthHeadersFailure extends Error {
  constructor(cause: unknown) {
    super('The auth headers of the attempt could not be made', { cause });
    this.name = 'AuthHeadersFailure';
  }
}

/** Appends an attempt to the call: to its list, and to its report entry. */
export function recordAttempt(ctx: CallContext, record: Omit<AttemptRecord, 'attempt'>): void {
  const full: AttemptRecord = { attempt: ctx.attempts.length + 1, ...record };
  ctx.attempts.push(full);
  ctx.call?.addAttempt(full);
}

/** Any thrown value as an SDK error, for the attempt's record. */
export function asSdkError(failure: unknown): ThreatConnectError {
  return failure instanceof ThreatConnectError
    ? failure
    : new ConnectionError(String(failure), { kind: 'other', cause: failure });
}
