/**
 * The retry middleware: the table and waits of decisions.md 1.6, with the client's abortable clock.
 * Every attempt is recorded in the call (`response.attempts`, the report entry). A 401 that a token
 * renewal cures is sent again at once: the renewal's own attempts and the re-sent request are
 * recorded too, and the re-send does not use up a retry.
 */
import {
  AbortError,
  ClientClosedError,
  ConnectionError,
  RetryExhaustedError,
  throwIfAborted,
} from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { decideRetry } from '../core/retry.js';
import {
  AuthHeadersFailure,
  asSdkError,
  type CallResult,
  type Middleware,
  type PipelineDeps,
  recordAttempt,
  SUCCESS_STATUSES,
} from './call.js';

/** Re-sends after a token renewal allowed in one call (another caller's renewal may race ours once). */
const MAX_RENEWAL_RESENDS = 2;

export function retryMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'retry',
    async run(ctx, next) {
      const { clock, logger } = deps;
      let delayMs = 0;
      let tries = 0;
      let resends = 0;
      const closedError = (cause?: unknown): ClientClosedError =>
        new ClientClosedError('The client was closed while the request was in flight', { cause });
      // A function, not a property read: the close happens while the loop awaits.
      const isClosed = (): boolean => deps.closing?.aborted === true;
      for (;;) {
        throwIfAborted(ctx.signal);
        if (isClosed()) throw closedError();
        tries += 1;
        const started = clock.now();
        const settings = deps.settings();
        let result: CallResult | undefined;
        let failure: unknown;
        try {
          result = await next(ctx);
        } catch (error) {
          // The auth headers could not be made (a token renewal failed, or the caller gave up
          // waiting for one): no request went out, and the renewal recorded its own attempts, so
          // this is no attempt of the call and nothing to retry. Its failure is thrown as it is.
          if (error instanceof AuthHeadersFailure) throw error.cause;
          failure = error;
        }
        const durationMs = clock.now() - started;
        recordAttempt(
          ctx,
          result === undefined
            ? { delayMs, durationMs, error: asSdkError(failure) }
            : { delayMs, durationMs, status: result.response.status },
        );
        if (failure instanceof AbortError) throw failure;
        if (failure !== undefined && isClosed()) throw closedError(failure);
        // A success ends the call at once; the policy is asked only about failures.
        if (result !== undefined && SUCCESS_STATUSES.has(result.response.status)) {
          return { ...result, attempts: ctx.attempts };
        }
        if (result?.renewAfterUnauthorized !== undefined && resends < MAX_RENEWAL_RESENDS) {
          // The 401's streamed body is freed only if the request is sent again: when it is not (HMAC,
          // or a token already renewed), that 401 is the call's answer and its body is the caller's.
          let resend: boolean;
          try {
            resend = await result.renewAfterUnauthorized();
          } catch (error) {
            discardBody(result);
            throw error;
          }
          if (resend) {
            discardBody(result);
            resends += 1;
            tries -= 1;
            delayMs = 0;
            continue;
          }
        }
        const decision = decideRetry({
          attempt: tries,
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
          if (tries === 1 || !(failure instanceof ConnectionError)) throw failure;
          throw new RetryExhaustedError(`The request failed after ${tries} attempts: ${failure.message}`, {
            attempts: [...ctx.attempts],
            cause: failure,
            // The last attempt's request, its headers included (redacted), as the other errors show it.
            request: failure.request ?? { method: ctx.method, url: ctx.url },
          });
        }
        // The answer of an attempt that will be retried is discarded.
        if (result !== undefined) discardBody(result);
        const what = result === undefined ? asSdkError(failure).message : `HTTP ${result.response.status}`;
        logger.warning(`Attempt ${tries} of ${ctx.method} ${redactUrl(ctx.url)} failed: ${what}`);
        logger.info(`Pausing for ${(decision.delayMs / 1000).toFixed(3)} seconds before retry ${tries}.`);
        delayMs = decision.delayMs;
        await sleepUnlessClosed(clock, decision.delayMs, ctx.signal, deps.closing, closedError);
      }
    },
  };
}

/**
 * Frees the streamed body of an answer that is not handed to the caller. Destroyed before its end, the
 * body emits an abort error that nobody is left to read: without a listener it would be an uncaught
 * exception.
 */
function discardBody(result: CallResult): void {
  const body = result.response.body;
  if (body === undefined) return;
  body.on('error', () => undefined);
  body.destroy();
}

/** Waits out a retry delay; the caller's signal or the client's close end it early. */
async function sleepUnlessClosed(
  clock: PipelineDeps['clock'],
  ms: number,
  signal: AbortSignal | undefined,
  closing: AbortSignal | undefined,
  closedError: (cause?: unknown) => ClientClosedError,
): Promise<void> {
  if (closing === undefined) return clock.sleep(ms, signal);
  // Only a retry wait pays for a combined signal; the listeners go when the wait ends.
  const controller = new AbortController();
  const forward = (source: AbortSignal) => () => {
    controller.abort(source.reason);
  };
  const onCaller = signal === undefined ? undefined : forward(signal);
  const onClose = forward(closing);
  if (signal !== undefined && onCaller !== undefined)
    signal.addEventListener('abort', onCaller, { once: true });
  closing.addEventListener('abort', onClose, { once: true });
  try {
    await clock.sleep(ms, controller.signal);
  } catch (error) {
    if (closing.aborted && signal?.aborted !== true) throw closedError(error);
    throw error;
  } finally {
    if (signal !== undefined && onCaller !== undefined) signal.removeEventListener('abort', onCaller);
    closing.removeEventListener('abort', onClose);
  }
}
