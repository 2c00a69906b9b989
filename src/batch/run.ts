/**
 * `tc.batch(owner, records, options)` (decisions.md 1.8): reads the input once, in order (an array,
 * an iterable or an async iterable), checks each record, fills one job at a time under both limits,
 * and runs each job to completion before reading on, so no more than one job's records are held.
 * Errors of the server are mapped back to the input index of the record they name.
 */
import { NotFoundError, ValidationError, throwIfAborted } from '../core/errors.js';
import type { ResourceContext } from '../resources/context.js';
import { GROUP_KIND_BY_TYPE, INDICATOR_KIND_BY_TYPE, type IndicatorKind } from '../resources/kinds.js';
import { JobBuilder, MAX_JOB_BYTES, errorKey } from './builder.js';
import { type JobDeps, createJob, jobErrors, jobStatus, pollJob, uploadJob } from './job.js';
import { type CheckedBatchOptions, checkBatchOptions } from './options.js';
import { prepareRecord } from './records.js';
import { BatchState, type StoredError, type StoredJob, fingerprint } from './state.js';
import type { BatchInputRecord, BatchProgress, BatchResult } from './types.js';

function typeOf(raw: unknown): string | undefined {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

class BatchRun {
  readonly result: BatchResult = { jobs: [], succeeded: 0, failed: 0, unprocessed: 0, errors: [] };
  halted = false;
  recordsRead = 0;
  #jobIndex = 0;
  readonly #deps: JobDeps;
  readonly #options: CheckedBatchOptions;
  readonly #state: BatchState;

  constructor(deps: JobDeps, options: CheckedBatchOptions, state: BatchState) {
    this.#deps = deps;
    this.#options = options;
    this.#state = state;
  }

  progress(phase: BatchProgress['phase'], batchId: number | undefined, status: string | undefined): void {
    const { succeeded, failed, unprocessed } = this.result;
    this.#options.onProgress?.({
      phase,
      jobIndex: this.#jobIndex,
      batchId,
      status,
      recordsRead: this.recordsRead,
      succeeded,
      failed,
      unprocessed,
    });
  }

  /** Set by a flush (a job with errors under haltOnError). */
  isHalted(): boolean {
    return this.halted;
  }

  localError(index: number, record: unknown, reason: string): void {
    this.result.errors.push({ index, record: record as BatchInputRecord, code: 'TC_VALIDATION', reason });
    this.result.failed += 1;
  }

  /** Runs a job, or takes its outcome from the state file; then accounts for it. */
  async flush(job: JobBuilder): Promise<void> {
    if (job.size === 0) return;
    const content = job.content();
    const print = fingerprint(this.#options.job, job.firstIndex, content);
    let stored = this.#state.get(print);
    if (stored?.phase !== 'completed') stored = await this.#run(print, stored, content);
    else this.progress('skipped', stored.batchId, stored.status);
    const errorCount = stored.errorCount ?? 0;
    this.result.jobs.push({
      batchId: stored.batchId,
      status: stored.status ?? 'Completed',
      successCount: stored.successCount ?? 0,
      errorCount,
      unprocessCount: stored.unprocessCount ?? 0,
    });
    this.result.succeeded += stored.successCount ?? 0;
    this.result.failed += errorCount;
    this.result.unprocessed += stored.unprocessCount ?? 0;
    for (const error of stored.errors ?? []) {
      this.result.errors.push({
        ...error,
        record: job.records.get(error.index) as BatchInputRecord | undefined,
      });
    }
    if (this.#options.job.haltOnError && errorCount > 0) this.halted = true;
    this.progress('done', stored.batchId, stored.status);
    this.#jobIndex += 1;
  }

  async #run(print: string, stored: StoredJob | undefined, content: Buffer): Promise<StoredJob> {
    const deps = this.#deps;
    let batchId = stored?.batchId;
    let uploaded = false;
    if (batchId !== undefined) {
      // A job of an earlier run that did not complete: the server says whether it has the file.
      try {
        uploaded = (await jobStatus(deps, batchId)).status.status !== 'Created';
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        batchId = undefined;
      }
    }
    if (batchId === undefined) {
      batchId = await createJob(deps, this.#options.job);
      await this.#state.put({ fingerprint: print, batchId, phase: 'created' });
    }
    if (!uploaded) {
      await uploadJob(deps, batchId, content);
      await this.#state.put({ fingerprint: print, batchId, phase: 'uploaded' });
    }
    this.progress('job', batchId, 'Queued');
    const id = batchId;
    const status = await pollJob(deps, id, (s) => {
      this.progress('status', id, s.status);
    });
    const errors = status.errorCount > 0 ? await this.#errors(id) : [];
    const done: StoredJob = {
      fingerprint: print,
      batchId: id,
      phase: 'completed',
      status: status.status,
      successCount: status.successCount,
      errorCount: status.errorCount,
      unprocessCount: status.unprocessCount,
      errors,
    };
    await this.#state.put(done);
    return done;
  }

  /** The job's errors, each mapped to the first input index of the record it names not yet mapped. */
  async #errors(batchId: number): Promise<StoredError[]> {
    const entries = await jobErrors(this.#deps, batchId);
    const job = this.#current;
    const used = new Map<string, number>();
    return entries.map((entry) => {
      const key = errorKey(entry);
      const indexes = key === undefined ? undefined : job?.keys.get(key);
      const n = key === undefined ? 0 : (used.get(key) ?? 0);
      const index = indexes?.[Math.min(n, indexes.length - 1)] ?? -1;
      if (key !== undefined) used.set(key, n + 1);
      return {
        index,
        code: entry.errorCode ?? 'unknown',
        reason: entry.errorMessage ?? entry.errorReason ?? 'The server reported an error without a message',
      };
    });
  }

  #current: JobBuilder | undefined;

  async flushCurrent(job: JobBuilder): Promise<void> {
    this.#current = job;
    try {
      await this.flush(job);
    } finally {
      this.#current = undefined;
    }
  }
}

/** `tc.batch()`; see decisions.md 1.8 and docs/batch.md. */
export async function runBatch(
  context: ResourceContext,
  owner: string,
  input: Iterable<BatchInputRecord> | AsyncIterable<BatchInputRecord>,
  options?: unknown,
): Promise<BatchResult> {
  const checked = checkBatchOptions(owner, options);
  const records: unknown = input;
  if (
    records === null ||
    typeof records !== 'object' ||
    !(Symbol.iterator in records || Symbol.asyncIterator in records)
  ) {
    throw new ValidationError('batch records must be an array, an iterable or an async iterable');
  }
  const state = await BatchState.load(checked.stateFile);
  const deps: JobDeps = {
    requester: context.requester,
    clock: context.requester.config.clock,
    signal: checked.signal,
  };
  const run = new BatchRun(deps, checked, state);
  let kinds: ReadonlyMap<string, IndicatorKind> = INDICATOR_KIND_BY_TYPE;
  let kindsLoaded = false;
  let job = new JobBuilder(0);
  for await (const raw of input) {
    const index = run.recordsRead;
    run.recordsRead += 1;
    if (run.halted) {
      run.result.unprocessed += 1;
      continue;
    }
    throwIfAborted(checked.signal);
    const type = typeOf(raw);
    if (!kindsLoaded && type !== undefined && !kinds.has(type) && !GROUP_KIND_BY_TYPE.has(type)) {
      kinds = await context.indicatorKinds(checked.signal);
      kindsLoaded = true;
    }
    const prepared = prepareRecord(raw, kinds);
    if (!prepared.ok || JobBuilder.tooLarge(prepared.wire) !== undefined) {
      const reason = prepared.ok
        ? `the record is ${JobBuilder.tooLarge(prepared.wire)} bytes in a job file; a job holds at most ${MAX_JOB_BYTES}`
        : prepared.reason;
      run.localError(index, raw, reason);
      if (checked.job.haltOnError) {
        await run.flushCurrent(job);
        run.halted = true;
      }
      continue;
    }
    if (!job.fits(prepared.wire)) {
      await run.flushCurrent(job);
      job = new JobBuilder(index);
      if (run.isHalted()) {
        run.result.unprocessed += 1;
        continue;
      }
    }
    job.add(prepared.wire, index, raw);
  }
  if (!run.halted) await run.flushCurrent(job);
  return run.result;
}
