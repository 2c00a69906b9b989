/**
 * The request pipeline, outer to inner: report → retry → auth (sign) → timeout → transport
 * (conventions.md 2.2), composed once per client from named middlewares.
 *
 * - `report` opens one report entry per logical call, closes it with the final status or error, and
 *   logs a failed call once at `error`.
 * - `retry` runs the attempts, asks the pure policy of `core/retry.ts` after each one, and sleeps with
 *   the client's abortable clock; every attempt is recorded in the call.
 * - `auth` signs each attempt afresh (a new `Timestamp`), over the exact path and query that is sent.
 * - `timeout` sets the attempt's connect/idle timeout.
 * - `transport` sends one attempt.
 */
import { authMiddleware } from './auth-step.js';
import { compose, type Next, type PipelineDeps } from './call.js';
import { reportMiddleware } from './report-step.js';
import { retryMiddleware } from './retry-step.js';
import { timeoutMiddleware, transportStep } from './send-steps.js';

export type { CallContext, CallResult, Middleware, Next, PipelineDeps, PipelineSettings } from './call.js';

/** The fixed default pipeline. */
export function createPipeline(deps: PipelineDeps): Next {
  return compose(
    [reportMiddleware(deps), retryMiddleware(deps), authMiddleware(deps), timeoutMiddleware(deps)],
    transportStep(deps),
  );
}
