/**
 * The two innermost steps: the attempt's connect/idle timeout (decisions.md 1.2: not a total
 * deadline), and the transport, which sends the attempt.
 */
import { ThreatConnectError } from '../core/errors.js';
import type { Middleware, Next, PipelineDeps } from './call.js';

export function timeoutMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'timeout',
    run(ctx, next) {
      if (ctx.attempt) ctx.attempt.timeoutMs = deps.settings().apiRequestTimeoutMs;
      return next(ctx);
    },
  };
}

export function transportStep(deps: PipelineDeps): Next {
  return async (ctx) => {
    if (!ctx.attempt) {
      throw new ThreatConnectError('pipeline: the auth middleware did not prepare the attempt');
    }
    const response = await deps.send(ctx.attempt);
    return { response, attempts: ctx.attempts };
  };
}
