/**
 * The requests of one batch job (rest-api-v2.md 11.2): create it, upload its file, poll its status
 * with backoff, and read its errors. Every call goes through the client's requester, so it is
 * signed, reported and retried like any other (decisions.md 1.6); the polls' waits use the client's
 * clock, so they are abortable and a test's fake clock skips them.
 */
import { gunzipSync } from 'node:zlib';
import type { ResolvedClock } from '../core/clock.js';
import { ConnectionError, InvalidResponseError, NotFoundError } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import type { ApiResponse } from '../core/response.js';
import { parseRetryAfter } from '../core/retry.js';
import type { Requester } from '../pipeline/requester.js';
import type { BatchJobConfig } from './options.js';

export interface JobStatus {
  id: number;
  status: string;
  successCount: number;
  errorCount: number;
  unprocessCount: number;
}

/**
 * What one poll read: the status name, and the job's counts when the answer had them. A running job
 * answers only `{"status":"Running"}` (rest-api-v2.md 3.1, "No envelope: … 'Running' poll"; 11.2 step 3),
 * so `job` is then undefined: no count is made up while a job runs.
 */
export interface PolledStatus {
  status: string;
  job: JobStatus | undefined;
}

/** One entry of the job's errors file, as far as the SDK reads it. */
export interface ServerErrorEntry {
  errorCode?: string;
  errorReason?: string;
  errorMessage?: string;
  itemType?: string;
  type?: string;
  summary?: string;
  xid?: string;
}

export interface JobDeps {
  readonly requester: Requester;
  readonly clock: ResolvedClock;
  readonly signal: AbortSignal | undefined;
}

/** First wait between polls, growth factor and cap (ms). A `Retry-After` on a poll answer wins. */
const POLL_FIRST_MS = 100;
const POLL_FACTOR = 1.5;
const POLL_MAX_MS = 5_000;

function request(method: 'GET' | 'POST', uri: string): RequestObject {
  return new RequestObject().setHttpMethod(method).setRequestUri(uri).setResourcePagination(false);
}

function send(deps: JobDeps, ro: RequestObject): Promise<ApiResponse> {
  return deps.requester.request(ro, { throwOnError: true, signal: deps.signal });
}

function unexpected(response: ApiResponse, what: string): InvalidResponseError {
  return new InvalidResponseError(
    `The batch API answered ${what} without the expected fields: ${response.text().slice(0, 200)}`,
    {
      status: response.status,
      contentType: response.headers['content-type'],
    },
  );
}

/**
 * `POST /v2/batch`; resolves with the new job's id. A create whose answer was lost is sent again (a
 * new job; the lost one stays `Created` with no file, and is never run).
 */
export async function createJob(deps: JobDeps, config: BatchJobConfig): Promise<number> {
  const retries = deps.requester.config.apiRetries;
  for (let attempt = 0; ; attempt += 1) {
    const ro = request('POST', '/v2/batch')
      .setBody(JSON.stringify(config))
      .setContentType('application/json');
    try {
      const response = await send(deps, ro);
      const id = response.json<{ data?: { batchId?: unknown } }>().data?.batchId;
      if (typeof id !== 'number') throw unexpected(response, 'a job create');
      return id;
    } catch (error) {
      if (!(error instanceof ConnectionError) || attempt >= retries) throw error;
    }
  }
}

/** Statuses that are never a bare in-progress answer: the envelope's own, and `Completed` (it has counts). */
const NOT_BARE = new Set(['Success', 'Failure', 'Completed']);

function readStatus(response: ApiResponse): PolledStatus {
  const body = response.json<{ status?: unknown; data?: { batchStatus?: Record<string, unknown> } }>();
  if (body.data === undefined && typeof body.status === 'string' && !NOT_BARE.has(body.status)) {
    return { status: body.status, job: undefined };
  }
  const status = body.data?.batchStatus;
  if (typeof status?.status !== 'string') throw unexpected(response, 'a job status');
  const count = (key: string): number => (typeof status[key] === 'number' ? status[key] : 0);
  const job: JobStatus = {
    id: typeof status.id === 'number' ? status.id : 0,
    status: status.status,
    successCount: count('successCount'),
    errorCount: count('errorCount'),
    unprocessCount: count('unprocessCount'),
  };
  return { status: job.status, job };
}

/** `GET /v2/batch/{id}`; a failed poll is retried by the client's retry policy. */
export async function jobStatus(
  deps: JobDeps,
  batchId: number,
): Promise<{ status: PolledStatus; retryAfterMs: number | undefined }> {
  const response = await send(
    deps,
    request('GET', `/v2/batch/${batchId}`).addPayload('includeAdditional', 'true'),
  );
  // Delay-seconds or an HTTP-date (decisions.md 1.6), read as the retry policy reads it.
  return {
    status: readStatus(response),
    retryAfterMs: parseRetryAfter(response.headers['retry-after'], deps.clock.now()),
  };
}

/**
 * `POST /v2/batch/{id}` with the file. An upload whose answer was lost (the connection broke after the
 * server may have taken it) is not sent again blindly: the job's status says whether the server has
 * the file (anything but `Created`); only a job still `Created` gets it again.
 */
export async function uploadJob(deps: JobDeps, batchId: number, content: Buffer): Promise<void> {
  const retries = deps.requester.config.apiRetries;
  for (let attempt = 0; ; attempt += 1) {
    const ro = request('POST', `/v2/batch/${batchId}`)
      .setBody(content)
      .setContentType('application/octet-stream');
    try {
      await send(deps, ro);
      return;
    } catch (error) {
      if (!(error instanceof ConnectionError) || attempt >= retries) throw error;
    }
    const { status } = await jobStatus(deps, batchId);
    if (status.status !== 'Created') return;
  }
}

/** Polls until the job is `Completed`, waiting longer each time; `onStatus` sees every answer. */
export async function pollJob(
  deps: JobDeps,
  batchId: number,
  onStatus: (status: PolledStatus) => void,
): Promise<JobStatus> {
  let wait = POLL_FIRST_MS;
  for (;;) {
    const { status, retryAfterMs } = await jobStatus(deps, batchId);
    onStatus(status);
    // readStatus gives a `Completed` answer only with its counts.
    if (status.job?.status === 'Completed') return status.job;
    await deps.clock.sleep(retryAfterMs ?? wait, deps.signal);
    wait = Math.min(POLL_MAX_MS, wait * POLL_FACTOR);
  }
}

/** `GET /v2/batch/{id}/errors` (gzip JSON); a 404 means the job had none. */
export async function jobErrors(deps: JobDeps, batchId: number): Promise<ServerErrorEntry[]> {
  let response: ApiResponse;
  try {
    response = await send(deps, request('GET', `/v2/batch/${batchId}/errors`));
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
  const bytes = response.content;
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    throw unexpected(response, 'the errors file');
  }
  if (!Array.isArray(entries)) throw unexpected(response, 'the errors file');
  return entries as ServerErrorEntry[];
}
