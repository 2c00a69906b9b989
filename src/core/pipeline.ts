/**
 * The request pipeline, outer to inner: report → retry → auth (sign) → timeout → transport
 * (conventions.md 2.2). It is composed once, at client construction, from named middlewares.
 *
 * - `report` opens one report entry per logical call and closes it with the final status or error.
 * - `retry` runs the attempts, asks the pure policy of `retry.ts` after each one, and sleeps with the
 *   client's abortable clock; every attempt is recorded in the call's entry.
 * - `auth` signs each attempt afresh (a new `Timestamp`), over the exact path and query that is sent.
 * - `timeout` sets the attempt's connect/idle timeout.
 * - `transport` sends one attempt.
 */
import type { Readable } from 'node:stream';
import { type Authenticator, HmacAuthenticator } from '../auth/index.js';
import type { Logger } from '../logging/logger.js';
import type { CallRecorder, CallStart, ReportRecorder } from '../report/report.js';
import type { ResolvedClock } from './clock.js';
import {
  AbortError,
  type AttemptRecord,
  ConnectionError,
  RetryExhaustedError,
  ThreatConnectError,
  redactUrl,
} from './errors.js';
import { decideRetry, type RetryDecision } from './retry.js';

/** What one attempt sends (the transport's request); the transport fills in nothing else. */
export interface AttemptRequest {
  method: string;
  /** Full URL; its path and query are sent exactly as given (they were signed that way). */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | Uint8Array | undefined;
  signal?: AbortSignal | undefined;
  /** Resolve as soon as the headers arrive and hand over the body as a stream. */
  stream?: boolean | undefined;
  /** This attempt's connect/idle timeout in ms; defaults to the transport's. */
  timeoutMs?: number | undefined;
}

/** What one attempt got back (the transport's response). */
export interface AttemptResponse {
  status: number;
  /** Lower-case names; repeated headers joined by `, `. */
  headers: Record<string, string>;
  /** The whole body (buffered mode). */
  content?: Buffer | undefined;
  /** The body stream (stream mode). Errors on it are already mapped to SDK errors. */
  body?: Readable | undefined;
}

/** Sends one attempt; rejects only with SDK errors. */
export type SendFn = (request: AttemptRequest) => Promise<AttemptResponse>;

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
  /** Attempts made so far, filled by the retry middleware. */
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
  /** The report's write side. */
  readonly recorder: ReportRecorder;
  readonly clock: ResolvedClock;
  readonly logger: Logger;
  readonly authenticator: () => Authenticator;
  readonly settings: () => PipelineSettings;
  readonly send: SendFn;
}

function byteLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

/** The report middleware: one entry per logical call (decisions.md 1.5). */
export function reportMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'report',
    async run(ctx, next) {
      const call = deps.recorder.beginCall({ ...ctx.report, bytesSent: byteLength(ctx.body) });
      ctx.call = call;
      try {
        const result = await next(ctx);
        const { response } = result;
        if (response.body !== undefined && !SUCCESS.has(response.status)) {
          // A failed streamed answer is small: buffer it for the caller, the error and the report entry.
          response.content = await readAll(response.body);
          response.body = undefined;
        }
        call.finish({
          status: response.status,
          responseBody: response.content,
          bytesReceived: response.content?.length,
        });
        return result;
      } catch (error) {
        call.finish({ error });
        throw error;
      }
    },
  };
}

const SUCCESS = new Set([200, 201, 202]);

/** The retry middleware: the table and waits of decisions.md 1.6, with abortable sleeps. */
export function retryMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'retry',
    async run(ctx, next) {
      const { clock, logger } = deps;
      let delayMs = 0;
      for (let attempt = 1; ; attempt += 1) {
        if (ctx.signal?.aborted === true) throw AbortError.fromSignal(ctx.signal);
        const started = clock.now();
        const settings = deps.settings();
        let result: CallResult | undefined;
        let failure: unknown;
        try {
          result = await next(ctx);
        } catch (error) {
          failure = error;
        }
        const durationMs = clock.now() - started;
        const record: AttemptRecord =
          result === undefined
            ? {
                attempt,
                delayMs,
                durationMs,
                error:
                  failure instanceof ThreatConnectError
                    ? failure
                    : new ConnectionError(String(failure), { kind: 'other', cause: failure }),
              }
            : { attempt, delayMs, durationMs, status: result.response.status };
        ctx.attempts.push(record);
        ctx.call?.addAttempt(record);
        if (failure instanceof AbortError) throw failure;
        // A success ends the call at once; the policy is asked only about failures.
        if (result !== undefined && SUCCESS.has(result.response.status)) {
          return { ...result, attempts: ctx.attempts };
        }
        const decision = decideRetry({
          attempt,
          method: ctx.method,
          ...(result === undefined ? { error: failure } : { response: result.response }),
          apiSleepMs: settings.apiSleepMs,
          maxRetries: settings.apiRetries,
          nowMs: clock.now(),
          random: () => clock.random(),
        });
        if (!decision.retry) {
          if (result !== undefined) return { ...result, decision, attempts: ctx.attempts };
          // Only a transport failure means the retries ran out; a closed client or a failed token
          // renewal is thrown as it is.
          if (attempt === 1 || !(failure instanceof ConnectionError)) throw failure;
          throw new RetryExhaustedError(`The request failed after ${attempt} attempts: ${failure.message}`, {
            attempts: [...ctx.attempts],
            cause: failure,
            request: { method: ctx.method, url: ctx.url },
          });
        }
        // The answer of an attempt that will be retried is discarded; free a streamed body.
        result?.response.body?.destroy();
        const what = result === undefined ? (failure as Error).message : `HTTP ${result.response.status}`;
        logger.error(`Attempt ${attempt} of ${ctx.method} ${redactUrl(ctx.url)} failed: ${what}`);
        logger.info(`Pausing for ${(decision.delayMs / 1000).toFixed(3)} seconds before retry ${attempt}.`);
        delayMs = decision.delayMs;
        await clock.sleep(decision.delayMs, ctx.signal);
      }
    },
  };
}

/** The auth middleware: fresh headers for every attempt; a token is renewed once on a 401 when needed. */
export function authMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'auth',
    async run(ctx, next) {
      const authenticator = deps.authenticator();
      const sign = async (): Promise<Record<string, string>> => ({
        ...ctx.headers,
        ...(await authenticator.headers(ctx.method, ctx.pathAndQuery, deps.clock.now(), ctx.signal)),
      });
      // HMAC signs synchronously: skip a promise hop on the hot path.
      let headers =
        authenticator instanceof HmacAuthenticator
          ? { ...ctx.headers, ...authenticator.sign(ctx.method, ctx.pathAndQuery, deps.clock.now()) }
          : await sign();
      ctx.attempt = { ...attemptBase(ctx), headers };
      const result = await next(ctx);
      if (result.response.status === 401 && (await authenticator.onUnauthorized(headers, ctx.signal))) {
        result.response.body?.destroy();
        headers = await sign();
        ctx.attempt = { ...attemptBase(ctx), headers };
        return next(ctx);
      }
      return result;
    },
  };
}

function attemptBase(ctx: CallContext): AttemptRequest {
  return {
    method: ctx.method,
    url: ctx.url,
    headers: {},
    body: ctx.body,
    signal: ctx.signal,
    stream: ctx.stream,
  };
}

/** The timeout middleware: the attempt's connect/idle timeout (decisions.md 1.2), not a total deadline. */
export function timeoutMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'timeout',
    run(ctx, next) {
      if (ctx.attempt) ctx.attempt.timeoutMs = deps.settings().apiRequestTimeoutMs;
      return next(ctx);
    },
  };
}

/** The innermost step: send the attempt. */
export function transportStep(deps: PipelineDeps): Next {
  return async (ctx) => {
    if (!ctx.attempt)
      throw new ThreatConnectError('pipeline: the auth middleware did not prepare the attempt');
    const response = await deps.send(ctx.attempt);
    return { response, attempts: ctx.attempts };
  };
}

/** The fixed default pipeline. */
export function createPipeline(deps: PipelineDeps): Next {
  return compose(
    [reportMiddleware(deps), retryMiddleware(deps), authMiddleware(deps), timeoutMiddleware(deps)],
    transportStep(deps),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}
