/**
 * The report middleware, outermost: one report entry per logical call (decisions.md 1.5), and the
 * one `error` log line of a call that failed, with its method, redacted URL, status or error code,
 * and attempt count.
 */
import type { Readable } from 'node:stream';
import { AbortError, ThreatConnectError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { type CallContext, type Middleware, type PipelineDeps, SUCCESS_STATUSES } from './call.js';

function byteLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

function attemptsText(ctx: CallContext): string {
  const n = ctx.attempts.length;
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

export function reportMiddleware(deps: PipelineDeps): Middleware {
  return {
    name: 'report',
    async run(ctx, next) {
      const call = deps.recorder.beginCall({ ...ctx.report, bytesSent: byteLength(ctx.body) });
      ctx.call = call;
      try {
        const result = await next(ctx);
        const { response } = result;
        const ok = SUCCESS_STATUSES.has(response.status);
        if (response.body !== undefined && !ok) {
          // A failed streamed answer is small: buffer it for the caller, the error and the report entry.
          response.content = await readAll(response.body);
          response.body = undefined;
        }
        call.finish({
          status: response.status,
          responseBody: response.content,
          bytesReceived: response.content?.length,
        });
        if (!ok) {
          deps.logger.error(
            `${ctx.method} ${redactUrl(ctx.url)} failed: HTTP ${response.status} (${attemptsText(ctx)})`,
          );
        }
        return result;
      } catch (error) {
        call.finish({ error });
        if (error instanceof AbortError) {
          // The caller's choice (or a loop left early), not a failure of the service.
          deps.logger.debug(`${ctx.method} ${redactUrl(ctx.url)} aborted (${attemptsText(ctx)})`);
        } else {
          const code = error instanceof ThreatConnectError ? error.code : 'TC_ERROR';
          const message = error instanceof Error ? error.message : String(error);
          deps.logger.error(
            `${ctx.method} ${redactUrl(ctx.url)} failed: ${code}: ${message} (${attemptsText(ctx)})`,
          );
        }
        throw error;
      }
    },
  };
}
