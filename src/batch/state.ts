/**
 * The state file of `tc.batch({ stateFile })`: one entry per job, keyed by a fingerprint of the job's
 * content and settings, with its batch id and how far it got. A rerun with the same input finds its
 * jobs there: a completed one is not sent again (its counts and errors come from the file), and one
 * that was uploaded is polled rather than uploaded anew. Every write replaces the file atomically
 * (a temporary file, fsync, rename), so a crash leaves the old state or the new one, never a mix.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { isRecord } from '../core/validators.js';

export interface StoredError {
  index: number;
  code: string;
  reason: string;
}

export interface StoredJob {
  fingerprint: string;
  batchId: number;
  /** `created`: the job exists, its upload may not have arrived; `uploaded`: the server has the file. */
  phase: 'created' | 'uploaded' | 'completed';
  status?: string;
  successCount?: number;
  errorCount?: number;
  unprocessCount?: number;
  errors?: StoredError[];
}

interface StateDocument {
  version: number;
  jobs: StoredJob[];
}

export function fingerprint(settings: unknown, firstIndex: number, content: Buffer): string {
  return createHash('sha256')
    .update(JSON.stringify(settings))
    .update(`\u0000${firstIndex}\u0000`)
    .update(content)
    .digest('hex');
}

const PHASES = new Set(['created', 'uploaded', 'completed']);

/** Whether an entry of the file is a job this code wrote (what a rerun reads of it). */
function isStoredJob(job: unknown): job is StoredJob {
  return (
    isRecord(job) &&
    typeof job.fingerprint === 'string' &&
    Number.isSafeInteger(job.batchId) &&
    typeof job.phase === 'string' &&
    PHASES.has(job.phase) &&
    (job.errors === undefined || Array.isArray(job.errors))
  );
}

/** A new state file's folder must exist: found out before a job is created, not after. */
async function checkFolder(path: string): Promise<void> {
  const folder = dirname(path);
  const found = await stat(folder).catch((error: unknown) => error as Error);
  if (found instanceof Error || !found.isDirectory()) {
    const why = found instanceof Error ? found.message : `${JSON.stringify(folder)} is not a folder`;
    throw new ConfigError(`batch stateFile ${JSON.stringify(path)} cannot be written: ${why}`, {
      ...(found instanceof Error ? { cause: found } : {}),
    });
  }
}

export class BatchState {
  readonly #path: string | undefined;
  readonly #jobs = new Map<string, StoredJob>();

  private constructor(path: string | undefined) {
    this.#path = path;
  }

  /** @throws {ConfigError} when the file exists but is not a batch state file. */
  static async load(path: string | undefined): Promise<BatchState> {
    const state = new BatchState(path);
    if (path === undefined) return state;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await checkFolder(path);
        return state;
      }
      throw new ConfigError(
        `batch stateFile ${JSON.stringify(path)} cannot be read: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigError(`batch stateFile ${JSON.stringify(path)} is not JSON`, { cause: error });
    }
    const { version, jobs } = (isRecord(document) ? document : {}) as Partial<StateDocument>;
    if (version !== 1 || !Array.isArray(jobs))
      throw new ConfigError(`batch stateFile ${JSON.stringify(path)} is not a batch state file (version 1)`);
    jobs.forEach((job: unknown, n) => {
      if (!isStoredJob(job)) {
        throw new ConfigError(
          `batch stateFile ${JSON.stringify(path)} is not a batch state file: its job ${n} has no fingerprint, batch id and phase`,
        );
      }
      state.#jobs.set(job.fingerprint, job);
    });
    return state;
  }

  get(fingerprint: string): StoredJob | undefined {
    return this.#jobs.get(fingerprint);
  }

  async put(job: StoredJob): Promise<void> {
    this.#jobs.set(job.fingerprint, job);
    await this.#save();
  }

  async #save(): Promise<void> {
    const path = this.#path;
    if (path === undefined) return;
    const document: StateDocument = { version: 1, jobs: [...this.#jobs.values()] };
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(`${JSON.stringify(document, null, 1)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new ConfigError(
        `batch stateFile ${JSON.stringify(path)} cannot be written: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    // The rename is durable once the folder is synced; some systems cannot open a folder for that.
    const folder = await open(dirname(path), 'r').catch(() => undefined);
    if (folder) {
      await folder.sync().catch(() => undefined);
      await folder.close();
    }
  }
}
