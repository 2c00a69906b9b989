/**
 * One run of `threatconnect sync` (docs/sync.md): under the state's lock, recover an output a killed
 * run left between preparation and publication, take the server's time, list what changed since the
 * checkpoint (and, with deletions, what was deleted), skip what the overlap window already delivered,
 * write the rest to the sink, make it durable, and only then write the new state.
 */
import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { DeletedIndicator } from '../resources/deleted.js';
import { type Change, DeliveredChanges } from './delivered.js';
import { exists } from './durable.js';
import { SimulatedCrash } from './errors.js';
import { acquireLock, type HeldLock, staleReason } from './lock.js';
import { isPrepared, type SyncSink } from './sink.js';
import {
  type Committed,
  type DeletionKey,
  loadState,
  type Pending,
  type SyncState,
  saveState,
  withCommitted,
} from './state.js';

/**
 * Where a run can be stopped by a test, as a SIGKILL would stop it (docs/sync.md, "Testing crashes"):
 * - `after-lock`: the lock is taken, nothing else done;
 * - `mid-output`: after a line was written (with the count of lines so far);
 * - `before-journal`: the output is complete and, for a file, fsynced under its temporary name;
 * - `after-journal`: the state records the pending file; it is not renamed yet;
 * - `after-output-commit`: the output is published (renamed, or flushed and acknowledged); the
 *   state does not know yet;
 * - `after-progress`: a stream sink's progress was committed and recorded (mid-run);
 * - `after-state`: the new state is written; the lock is still held.
 */
export const CRASH_POINTS = [
  'after-lock',
  'mid-output',
  'before-journal',
  'after-journal',
  'after-output-commit',
  'after-progress',
  'after-state',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Called at each crash point; a test's hook throws {@link SimulatedCrash} or kills the process. */
export type CrashHook = (point: CrashPoint, lines: number) => void;

/**
 * Lines between two progress records of a stream sink (syslog, stdout): each is an acknowledged flush
 * of the syslog sink (a closed and confirmed connection) and a state write, so it bounds what a killed
 * run sends again. 20,000 CEF lines are about 6 MB, the order of the syslog sink's own unacknowledged
 * bound (4 MiB, docs/siem.md); at 1,000 the flushes halved the TLS rate (bench:sync).
 */
export const STREAM_PROGRESS_LINES = 20_000;

/** What a change must have: the id and lastModified that identify it. */
export interface ChangeRecord {
  readonly id: number;
  readonly lastModified?: string | undefined;
  /** Sets a syslog message's severity (docs/siem.md); absent for groups and custom records. */
  readonly rating?: number | null | undefined;
}

/** Where the run reads from: the server's clock, the changed indicators, the deleted ones. */
export interface SyncSource<T extends ChangeRecord> {
  /** The server's time in ms, from its `Date` header; called once, before any listing. */
  serverTime(signal: AbortSignal | undefined): Promise<number>;
  /** The selected indicators modified at or after `modifiedSince` (all of them when undefined). */
  changes(modifiedSince: string | undefined, signal: AbortSignal | undefined): AsyncIterable<T>;
  /** The indicators deleted at or after `since`, for the selected owners and type. */
  deletions(since: string, signal: AbortSignal | undefined): AsyncIterable<DeletedIndicator>;
}

/** Lines of the run's format, each with its line ending. */
export interface SyncEncoder<T> {
  /** Once at the top of each output file (a CSV header); '' for none. */
  header(): string;
  change(record: T): string;
  deletion(deleted: DeletedIndicator): string;
}

export interface SyncRunOptions<T extends ChangeRecord> {
  readonly statePath: string;
  /** What the runs select and print (filters, format, deletions); a state made for another is refused. */
  readonly selection: string;
  readonly overlapSeconds: number;
  readonly deletions: boolean;
  /** Write to the sink, but take no lock and leave the state as it is. */
  readonly dryRun: boolean;
  readonly source: SyncSource<T>;
  readonly encoder: SyncEncoder<T>;
  /** The run's sink; `seq` is the run's number (file sinks name their file after it). */
  openSink(seq: number): Promise<SyncSink>;
  readonly signal?: AbortSignal | undefined;
  readonly crash?: CrashHook | undefined;
  /** The pid the lock records (tests run crashed runs in-process under pids that are not alive). */
  readonly lockPid?: number | undefined;
  /** Stream sinks: commit and record progress after this many lines. @default 20000 ({@link STREAM_PROGRESS_LINES}) */
  readonly progressEvery?: number | undefined;
}

export interface SyncResult {
  /** The run's number (its output file's). */
  readonly seq: number;
  readonly dryRun: boolean;
  /** The server time the run took (ISO 8601). */
  readonly serverTime: string;
  /** The checkpoint the run listed from (null: first run, everything). */
  readonly since: string | null;
  /** The checkpoint the next run lists from. */
  readonly checkpoint: string;
  /** Changes written, and changes skipped as already delivered. */
  readonly changes: number;
  readonly skipped: number;
  /** Delete events written, and deletions skipped as already delivered. */
  readonly deletions: number;
  readonly skippedDeletions: number;
  /** The file the output went to, if a file and if anything was written. */
  readonly output: string | undefined;
  /** What the run found and repaired before it started: a stale lock, a pending output. */
  readonly notes: readonly string[];
}

/** ISO 8601 without milliseconds, as `modifiedSince` is sent. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The changes of the state before and of this run that `keep` keeps, each pair once. */
function keptChanges(
  before: Iterable<Change>,
  run: Iterable<Change>,
  keep: (lastModified: string) => boolean,
): Change[] {
  const kept = new DeliveredChanges();
  for (const d of before) if (keep(d[1])) kept.add(d[0], d[1]);
  for (const d of run) if (keep(d[1])) kept.add(d[0], d[1]);
  return [...kept.values()];
}
const deletionKey = (k: DeletionKey): string => k.join('\u0000');

/** Settles a pending output a killed run left: published if its temporary file is gone, else dropped. */
async function recover(state: SyncState, dryRun: boolean, notes: string[]): Promise<SyncState> {
  const pending = state.pending;
  if (pending === null) return state;
  if (await exists(pending.temp)) {
    notes.push(`discarded the unpublished output of an interrupted run (${path.basename(pending.target)})`);
    if (!dryRun) await rm(pending.temp, { force: true });
    return withCommitted(state, state);
  }
  notes.push(`recorded the output an interrupted run published (${path.basename(pending.target)})`);
  return withCommitted(state, pending.next);
}

/**
 * Removes what killed runs left next to the state: temporary copies of the state (nobody else writes
 * it while we hold the lock) and the private files of lock attempts whose process is gone.
 */
async function removeLeftovers(statePath: string, keep: string | undefined): Promise<void> {
  const dir = path.dirname(path.resolve(statePath));
  const base = path.basename(statePath);
  const lockTemp = new RegExp(`^${escapeRegExp(`${base}.lock.`)}(\\d+)\\.[0-9a-f]+\\.tmp$`);
  // writeFileDurably's names: `.<base>.<8 hex digits>.tmp`.
  const stateTemp = new RegExp(`^${escapeRegExp(`.${base}.`)}[0-9a-f]{8}\\.tmp$`);
  for (const name of await readdir(dir)) {
    const lockMatch = lockTemp.exec(name);
    const isStateTemp = stateTemp.test(name);
    if (path.join(dir, name) === keep) continue;
    if (
      !isStateTemp &&
      !(lockMatch !== null && staleReason({ pid: Number(lockMatch[1]), host: hostname() }) !== undefined)
    )
      continue;
    await rm(path.join(dir, name), { force: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs one sync. @throws SyncLockedError, SyncStateError, the SDK's errors, the sink's errors. */
export async function runSync<T extends ChangeRecord>(options: SyncRunOptions<T>): Promise<SyncResult> {
  const { statePath, dryRun } = options;
  const crash: CrashHook = dryRun ? () => undefined : (options.crash ?? (() => undefined));
  const notes: string[] = [];
  let lock: HeldLock | undefined;
  if (!dryRun) {
    lock = await acquireLock(
      `${statePath}.lock`,
      options.lockPid === undefined ? {} : { pid: options.lockPid },
    );
    if (lock.tookOver !== undefined) notes.push(lock.tookOver);
  }
  let crashed = false;
  try {
    crash('after-lock', 0);
    let state = await loadState(statePath, options.selection);
    if (!dryRun) await removeLeftovers(statePath, state.pending?.temp);
    const recovered = await recover(state, dryRun, notes);
    if (recovered !== state && !dryRun) await saveState(statePath, recovered);
    state = recovered;
    return await runLocked(options, state, crash, notes);
  } catch (error) {
    crashed = error instanceof SimulatedCrash;
    throw error;
  } finally {
    // A simulated crash leaves the lock as a killed process would.
    if (!crashed) await lock?.release();
  }
}

async function runLocked<T extends ChangeRecord>(
  options: SyncRunOptions<T>,
  state: SyncState,
  crash: CrashHook,
  notes: string[],
): Promise<SyncResult> {
  const { statePath, signal, dryRun, encoder, source } = options;
  const seq = state.seq + 1;
  const serverMs = await source.serverTime(signal);
  // The checkpoint never moves back: a server clock set back by up to the overlap loses nothing.
  const previousMs = state.checkpoint === null ? Number.NEGATIVE_INFINITY : Date.parse(state.checkpoint);
  const checkpointMs = Math.max(
    previousMs,
    Math.floor(serverMs / 1000) * 1000 - options.overlapSeconds * 1000,
  );
  const checkpoint = isoSeconds(checkpointMs);

  const deliveredBefore = DeliveredChanges.of(state.delivered);
  const deletedBefore = new Set(state.deletions.map(deletionKey));
  const delivered = new DeliveredChanges();
  const listedDeletions = new Map<string, DeletionKey>();
  let changes = 0;
  let skipped = 0;
  let deletions = 0;
  let skippedDeletions = 0;
  let lines = 0;

  const sink = await options.openSink(seq);
  let crashed = false;
  /** The journal entry written for a prepared file, until the state moves past it. */
  let journal: Pending | undefined;
  const progressEvery = options.progressEvery ?? STREAM_PROGRESS_LINES;
  let sinceProgress = 0;
  /** The state if the run ended after what is written so far (stream sinks record it as progress). */
  const progressState = (): Committed => ({
    seq: state.seq,
    checkpoint: state.checkpoint,
    // Made while the state is written, a chunk at a time: no copy of the whole list in memory.
    delivered: {
      *[Symbol.iterator]() {
        yield* state.delivered;
        yield* delivered.values();
      },
    },
    deletions: [...state.deletions, ...listedDeletions.values()],
  });
  const emit = async (line: string, rating?: number | null): Promise<void> => {
    if (lines === 0) {
      const header = encoder.header();
      if (header !== '') await sink.write(header);
    }
    await sink.write(line, rating);
    lines += 1;
    crash('mid-output', lines);
    // A turn of the event loop now and then: V8 runs its garbage collector's tasks from the loop, and
    // a run whose pages and sink never wait would keep it busy with promise jobs alone (the process then
    // grows with the count; the CLI's listings do the same per batch, src/cli/batched.ts).
    if ((lines & 1023) === 0) {
      await new Promise<void>((resolve) => {
        setImmediate(resolve);
      });
    }
    if (sink.mode === 'stream' && !dryRun) {
      sinceProgress += 1;
      if (sinceProgress >= progressEvery) {
        sinceProgress = 0;
        await sink.commit();
        await saveState(statePath, withCommitted(state, progressState()));
        crash('after-progress', lines);
      }
    }
  };
  try {
    // Deletions first: one listed before the changes is of an indicator the changes no longer show.
    if (options.deletions) {
      const since = state.checkpoint;
      // The first run lists deletions only to know them: it exported no indicator they could delete.
      for await (const d of source.deletions(since ?? checkpoint, signal)) {
        const key: DeletionKey = [d.ownerName, d.type, d.summary, d.dateAdded];
        const k = deletionKey(key);
        if (listedDeletions.has(k)) continue;
        listedDeletions.set(k, key);
        if (since === null || deletedBefore.has(k)) {
          if (since !== null) skippedDeletions += 1;
          continue;
        }
        await emit(encoder.deletion(d));
        deletions += 1;
      }
    }
    const sinceMs = previousMs;
    for await (const record of source.changes(state.checkpoint ?? undefined, signal)) {
      const lm = record.lastModified;
      if (lm !== undefined) {
        // Listings that take no modifiedSince (a tag's, a group's) return older changes too: every
        // change before the checkpoint was delivered by an earlier run.
        if (Date.parse(lm) < sinceMs) continue;
        if (deliveredBefore.has(record.id, lm) || !delivered.addIfNew(record.id, lm)) {
          skipped += 1;
          continue;
        }
      }
      await emit(encoder.change(record), record.rating);
      changes += 1;
    }
    const keep = (lm: string): boolean => {
      const ms = Date.parse(lm);
      return !Number.isFinite(ms) || ms >= checkpointMs;
    };
    const next: Committed = {
      seq,
      checkpoint,
      delivered: keptChanges(state.delivered, delivered.values(), keep),
      deletions: [...listedDeletions.values()],
    };
    let output: string | undefined;
    crash('before-journal', lines);
    if (dryRun) {
      await sink.commit();
    } else if (lines === 0 && sink.mode === 'transaction') {
      // Nothing to publish: no empty file.
      await sink.abort();
    } else if (isPrepared(sink)) {
      await sink.prepare();
      const pending: Pending = { temp: sink.tempPath, target: sink.targetPath, next };
      // Set before the write: a write that fails after its rename (the folder's fsync) leaves the
      // entry on disk, and dropping the temporary file then would make the next run adopt `next`.
      journal = pending;
      await saveState(statePath, withCommitted(state, state, pending));
      crash('after-journal', lines);
      await sink.commit();
      output = sink.targetPath;
    } else {
      await sink.commit();
    }
    if (!dryRun) {
      crash('after-output-commit', lines);
      await saveState(statePath, withCommitted(state, next));
      journal = undefined;
      crash('after-state', lines);
    }
    return {
      seq,
      dryRun,
      serverTime: isoSeconds(serverMs),
      since: state.checkpoint,
      checkpoint,
      changes,
      skipped,
      deletions,
      skippedDeletions,
      output,
      notes,
    };
  } catch (error) {
    crashed = error instanceof SimulatedCrash;
    if (!crashed) await settleFailure(statePath, state, journal, sink);
    throw error;
  }
}

/**
 * After a failure (not a crash): the state must match what appeared. Without a journal entry the
 * output is dropped. With one, a published file (its temporary name gone) is recorded; an unpublished
 * one is dropped after the journal entry is withdrawn, and kept, for the next run to drop, when that
 * fails.
 */
async function settleFailure(
  statePath: string,
  state: SyncState,
  journal: Pending | undefined,
  sink: SyncSink,
): Promise<void> {
  if (journal === undefined) {
    await sink.abort();
    return;
  }
  try {
    if (await exists(journal.temp)) {
      await saveState(statePath, withCommitted(state, state));
      await sink.abort();
    } else {
      await saveState(statePath, withCommitted(state, journal.next));
    }
  } catch {
    // The journal entry stays; the next run settles it from the file system.
  }
}
