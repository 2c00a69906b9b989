/** The batch API (rest-api-v2.md 11.2): jobs, uploads, status, errors and results. */
import { gzipSync } from 'node:zlib';
import { parseBatchConfig } from '../batch/config.js';
import { MAX_BATCH_FILE_BYTES, parseBatchFile } from '../batch/file.js';
import type { BatchJob } from '../batch/jobs.js';
import {
  type RequestContext,
  assertOwnerAccess,
  bodyChunks,
  parseId,
  readObject,
  tooLarge,
} from '../context.js';
import { Failure, type Reply, badRequest, json, notFound } from '../reply.js';

/** `POST /v2/batch`: a job in `Created` state. */
export async function createBatch(ctx: RequestContext): Promise<Reply> {
  const config = parseBatchConfig(await readObject(ctx));
  const owner = ctx.store.ownerByName(config.owner);
  if (!owner) throw new Failure(403, 'The requested owner was not found');
  assertOwnerAccess(ctx, owner.id);
  const job = ctx.batch.create(owner, ctx.user.id, config);
  return json({ status: 'Success', data: { batchId: job.id } }, 201);
}

/** The job a path names; 404 when there is none, 403 when its owner is out of the user's reach. */
function requireJob(ctx: RequestContext, rawId: string): BatchJob {
  const job = ctx.batch.get(parseId(rawId));
  if (!job) throw notFound();
  assertOwnerAccess(ctx, job.owner.id);
  return job;
}

function statusBody(ctx: RequestContext, job: BatchJob): Record<string, unknown> {
  const { indicator, group, association } = job.counts;
  const batchStatus: Record<string, unknown> = {
    id: job.id,
    status: job.status,
    errorCount: indicator.error + group.error + association.error,
    successCount: indicator.success + group.success + association.success,
    unprocessCount: job.unprocessCount,
  };
  // `includeAdditional=true` or `includes=additional` (rest-api-v2.md 4.1), read once into the view.
  if (ctx.view.includeAdditional) {
    Object.assign(batchStatus, {
      successIndicatorCount: indicator.success,
      errorIndicatorCount: indicator.error,
      successGroupCount: group.success,
      errorGroupCount: group.error,
    });
  }
  return { status: 'Success', data: { batchStatus } };
}

/** An answer of the real server's `{status: "Invalid", description}` shape. */
function invalid(description: string): Reply {
  return json({ status: 'Invalid', description }, 400);
}

/**
 * `POST /v2/batch/{id}` (octet-stream): the job's file. Over 2,000,000 bytes is the spec's 400 (the
 * body is read and dropped, so the connection stays usable); a job that has its file already is a 400.
 * Accepted: 202 with the recorded body, and the job is queued.
 */
export async function uploadBatch(ctx: RequestContext, rawId: string): Promise<Reply> {
  const job = requireJob(ctx, rawId);
  const limit = ctx.limits.maxUploadBytes;
  const declared = Number(ctx.req.headers['content-length'] ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodyChunks(ctx)) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    if (size <= MAX_BATCH_FILE_BYTES) chunks.push(chunk);
  }
  ctx.bodyConsumed = true;
  if (size > MAX_BATCH_FILE_BYTES)
    return invalid(`File size greater than allowable limit of ${MAX_BATCH_FILE_BYTES}`);
  if (job.status !== 'Created') {
    throw badRequest(`Batch job ${job.id} already has its file (status ${job.status})`);
  }
  const file = parseBatchFile(Buffer.concat(chunks), job.config.version);
  ctx.batch.enqueue(job, file);
  return json(
    {
      status: 'Success',
      data: {
        batchStatus: { status: 'Queued', errorCount: 0, successCount: 0, unprocessCount: 0, id: job.id },
      },
    },
    202,
  );
}

/**
 * `GET /v2/batch/{id}[?includeAdditional=true]`. A running job answers the bare `{"status":"Running"}`
 * (rest-api-v2.md 3.1: "No envelope: … batch upload/'Running' poll"; 11.2 step 3: "While running:
 * {status:"Running"}"), with no counts; `Created`, `Queued` and `Completed` have the envelope.
 */
export function getBatch(ctx: RequestContext, rawId: string): Reply {
  const job = requireJob(ctx, rawId);
  if (job.status === 'Running') return json({ status: 'Running' });
  return json(statusBody(ctx, job));
}

/** `GET /v2/batch/{id}/errors`: gzip JSON; 400 until the job completes, 404 when it had no error. */
export function batchErrors(ctx: RequestContext, rawId: string): Reply {
  const job = requireJob(ctx, rawId);
  if (job.status !== 'Completed') return invalid(`Batch still in ${job.status} state`);
  if (job.errors.length === 0) throw notFound();
  const body = gzipSync(Buffer.from(JSON.stringify(job.errors), 'utf8'));
  return { kind: 'raw', status: 200, contentType: 'application/octet-stream', length: body.length, body };
}

/**
 * `GET /v2/batch/{id}/results[?code=&contains=&severity=]`: a bare array of the job's entries so far,
 * `{code, severity, errorReason, errorMessage}`.
 */
export function batchResults(ctx: RequestContext, rawId: string): Reply {
  const job = requireJob(ctx, rawId);
  const code = ctx.query.get('code');
  const contains = ctx.query.get('contains');
  const severity = ctx.query.get('severity');
  const entries = job.errors
    .map((e) => ({
      code: e.errorCode,
      severity: 'error',
      errorReason: e.errorReason,
      errorMessage: e.errorMessage,
    }))
    .filter(
      (e) =>
        (code === null || e.code.toLowerCase() === code.toLowerCase()) &&
        (severity === null || e.severity === severity.toLowerCase()) &&
        (contains === null || e.errorMessage.includes(contains)),
    );
  return json(entries);
}
