/**
 * Batch jobs of one sandbox server: created by `POST /v2/batch`, given a file by the upload, then run
 * in the background one after another. A job runs in chunks of records, one SQLite transaction per
 * chunk (each record in a savepoint of its own, so a refused record leaves nothing behind), and gives
 * the event loop back between chunks, so the server keeps answering while it runs. Jobs live in
 * memory: a restarted sandbox has none.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Failure } from '../reply.js';
import type { OwnerRow, Store } from '../store.js';
import type { BatchConfig } from './config.js';
import { BATCH_ERROR_CODES as CODES, type BatchErrorEntry, RecordError, reasonOf } from './errors.js';
import type { BatchFile } from './file.js';
import {
  type WriteScope,
  indicatorIdentity,
  linkGroupRecord,
  writeAssociation,
  writeGroupRecord,
  writeIndicatorRecord,
} from './writer.js';

export type BatchStatus = 'Created' | 'Queued' | 'Running' | 'Completed';

/** Records written per transaction before the event loop gets a turn. */
const CHUNK_RECORDS = 500;

type Kind = 'indicator' | 'group' | 'association';

export interface BatchJob {
  readonly id: number;
  readonly owner: OwnerRow;
  readonly userId: number;
  readonly config: BatchConfig;
  status: BatchStatus;
  file: BatchFile | undefined;
  readonly errors: BatchErrorEntry[];
  readonly counts: Record<Kind, { success: number; error: number }>;
  unprocessCount: number;
}

interface Step {
  kind: Kind;
  /** Position in its array of the file. */
  index: number;
  /** A second pass over a record already counted (a group's own associations). */
  links: boolean;
  raw: unknown;
}

function stepsOf(job: BatchJob, file: BatchFile): Step[] {
  const steps = (kind: Kind, list: unknown[], links = false): Step[] =>
    list.map((raw, index) => ({ kind, index, links, raw }));
  if (job.config.action === 'Delete') {
    return [
      ...steps('association', file.associations),
      ...steps('indicator', file.indicators),
      ...steps('group', file.groups),
    ];
  }
  return [
    ...steps('group', file.groups),
    ...steps('indicator', file.indicators),
    ...steps('group', file.groups, true),
    ...steps('association', file.associations),
  ];
}

function entryFor(step: Step, code: string, message: string): BatchErrorEntry {
  const base = { errorCode: code, errorReason: reasonOf(code), itemType: step.kind };
  if (step.kind === 'indicator') {
    const { type, summary } = indicatorIdentity(step.raw);
    const label = `${type ?? 'indicator'} ${JSON.stringify(summary ?? null)}`;
    return {
      ...base,
      errorMessage: `Encountered an error processing ${label}: ${message}`,
      ...(type === undefined ? {} : { type }),
      ...(summary === undefined ? {} : { summary }),
    };
  }
  if (step.kind === 'group') {
    const r = (typeof step.raw === 'object' && step.raw !== null ? step.raw : {}) as Record<string, unknown>;
    const xid = typeof r.xid === 'string' ? r.xid : undefined;
    return {
      ...base,
      errorMessage: `Encountered an error processing group xid ${JSON.stringify(xid ?? null)}: ${message}`,
      ...(typeof r.type === 'string' ? { type: r.type } : {}),
      ...(xid === undefined ? {} : { xid }),
    };
  }
  return {
    ...base,
    errorMessage: `Encountered an error processing association ${step.index}: ${message}`,
    associationIndex: step.index,
  };
}

function errorCode(step: Step, error: unknown): { code: string; message: string } | undefined {
  if (error instanceof RecordError) return { code: error.code, message: error.message };
  if (error instanceof Failure) {
    const code =
      step.kind === 'group'
        ? CODES.invalidGroup
        : step.kind === 'association'
          ? CODES.association
          : CODES.invalidIndicator;
    return { code, message: error.message };
  }
  return undefined;
}

export class BatchJobs {
  readonly #jobs = new Map<number, BatchJob>();
  readonly #store: Store;
  readonly #nowIso: () => string;
  readonly #queue: BatchJob[] = [];
  #nextId = 1;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(store: Store, nowIso: () => string) {
    this.#store = store;
    this.#nowIso = nowIso;
  }

  create(owner: OwnerRow, userId: number, config: BatchConfig): BatchJob {
    const job: BatchJob = {
      id: this.#nextId++,
      owner,
      userId,
      config,
      status: 'Created',
      file: undefined,
      errors: [],
      counts: {
        indicator: { success: 0, error: 0 },
        group: { success: 0, error: 0 },
        association: { success: 0, error: 0 },
      },
      unprocessCount: 0,
    };
    this.#jobs.set(job.id, job);
    return job;
  }

  get(id: number): BatchJob | undefined {
    return this.#jobs.get(id);
  }

  /** Queues a job that has its file; jobs run one at a time, in upload order. */
  enqueue(job: BatchJob, file: BatchFile): void {
    job.file = file;
    job.status = 'Queued';
    this.#queue.push(job);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Stops the runner after its current chunk (the server is closing); resolves when it has. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  #isStopped(): boolean {
    return this.#stopped;
  }

  async #drain(): Promise<void> {
    // The upload's answer goes out first: a job starts on a later turn.
    await nextTurn();
    for (let job = this.#queue.shift(); job !== undefined && !this.#stopped; job = this.#queue.shift()) {
      try {
        await this.#run(job);
      } catch (error) {
        if (this.#isStopped()) return;
        // A bug, never a record's fault: the job ends, and the error is never silent.
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.stderr.write(
          `threatconnect sandbox: internal error running batch job ${job.id}\n${detail}\n`,
        );
        job.errors.push({
          errorCode: '0x1fff',
          errorReason: 'Internal error',
          errorMessage: `The sandbox failed while running this job: ${error instanceof Error ? error.message : String(error)}`,
          itemType: 'indicator',
        });
        job.file = undefined;
        job.status = 'Completed';
      }
    }
  }

  async #run(job: BatchJob): Promise<void> {
    const file = job.file;
    if (!file) return;
    job.status = 'Running';
    const steps = stepsOf(job, file);
    const outcome = new Map<string, boolean>();
    const state = { halted: false };
    for (let at = 0; at < steps.length && !state.halted; at += CHUNK_RECORDS) {
      if (this.#isStopped()) return;
      const scope: WriteScope = {
        store: this.#store,
        owner: job.owner,
        ownerId: job.owner.id,
        config: job.config,
        now: this.#nowIso(),
      };
      this.#store.transaction(() => {
        for (const step of steps.slice(at, at + CHUNK_RECORDS)) {
          const key = `${step.kind}:${step.index}`;
          try {
            this.#store.transaction(() => {
              if (step.kind === 'indicator') writeIndicatorRecord(scope, step.raw);
              else if (step.kind === 'association') writeAssociation(scope, step.raw);
              else if (step.links) linkGroupRecord(scope, step.raw);
              else writeGroupRecord(scope, step.raw);
            });
            if (!step.links) {
              outcome.set(key, true);
              job.counts[step.kind].success += 1;
            }
          } catch (error) {
            const known = errorCode(step, error);
            if (!known) throw error;
            job.errors.push(entryFor(step, known.code, known.message));
            // A group whose own associations fail counts as failed.
            if (outcome.get(key) === true) job.counts[step.kind].success -= 1;
            outcome.set(key, false);
            job.counts[step.kind].error += 1;
            if (job.config.haltOnError) {
              state.halted = true;
              break;
            }
          }
        }
      });
      await nextTurn();
    }
    for (const step of steps)
      if (!step.links && !outcome.has(`${step.kind}:${step.index}`)) job.unprocessCount += 1;
    job.file = undefined;
    job.status = 'Completed';
  }
}
