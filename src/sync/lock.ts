/**
 * The lock next to the state file (`STATE.lock`): one sync run at a time per state. It is created with
 * O_EXCL and holds the owner's pid, host, start time and, on Linux, the process's start tick (so a
 * reused pid is told apart). A lock whose process is gone (same host, pid dead or reused) is stale and
 * taken over; a live one is refused with {@link SyncLockedError}. Taking over is itself guarded by an
 * O_EXCL `STATE.lock.takeover` file, so two runs that find the same stale lock cannot both win.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, promises as fs } from 'node:fs';
import os from 'node:os';
import { SyncLockedError } from './errors.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601, the owner's wall clock: for people reading the file. */
  readonly startedAt: string;
  /** `/proc/<pid>/stat` start time in clock ticks, where available. */
  readonly procStart: string | null;
  /** Unique per acquisition: release removes the lock only if it is still this one. */
  readonly token: string;
}

/** The start tick of a process (field 22 of /proc/<pid>/stat), or null where unavailable. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why `owner` no longer runs (a stale lock), or undefined when it may be running. */
export function staleReason(owner: Partial<LockOwner>): string | undefined {
  // Locks appear complete (see createExclusive): one without a host was damaged, and nobody owns it.
  if (typeof owner.host !== 'string') return 'it is unreadable';
  if (owner.host !== os.hostname()) return undefined;
  if (typeof owner.pid !== 'number' || !Number.isSafeInteger(owner.pid) || owner.pid <= 0)
    return 'it names no process';
  if (!isAlive(owner.pid)) return `process ${owner.pid} is gone`;
  const start = procStart(owner.pid);
  if (owner.procStart != null && start !== null && start !== owner.procStart) {
    return `process ${owner.pid} is another process now`;
  }
  return undefined;
}

async function readOwner(file: string): Promise<Partial<LockOwner> | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockOwner>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable or damaged: nobody can own it.
    return {};
  }
}

/**
 * Creates `file` with `text` unless it exists. The content is written to a private file first and
 * hard-linked into place (link fails with EEXIST like O_EXCL), so the file appears complete: a reader
 * never sees a lock that is empty because its writer is between create and write.
 */
async function createExclusive(file: string, text: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

export interface HeldLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** What happened to a stale lock found at acquisition, if any. */
  readonly tookOver: string | undefined;
  /** Removes the lock if it is still ours. Never throws. */
  release(): Promise<void>;
}

function describe(owner: Partial<LockOwner>): string {
  return `pid ${String(owner.pid)} on ${String(owner.host)}, started ${String(owner.startedAt)}`;
}

/**
 * Takes the lock `file`.
 * @param identity overrides of the owner's pid (tests run crashed runs in-process under dead pids).
 * @throws {SyncLockedError} when a live run holds it.
 */
export async function acquireLock(file: string, identity: { pid?: number } = {}): Promise<HeldLock> {
  const pid = identity.pid ?? process.pid;
  const owner: LockOwner = {
    pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    procStart: identity.pid === undefined ? procStart(pid) : null,
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(owner)}\n`;
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await createExclusive(file, text)) return held(file, owner, tookOver);
    const current = await readOwner(file);
    if (current === undefined) continue; // released meanwhile
    const reason = staleReason(current);
    if (reason === undefined) {
      throw new SyncLockedError(
        `another sync holds the lock ${file} (${describe(current)}); if that run is gone for good, remove the file`,
        file,
      );
    }
    await takeOver(file, current, reason);
    tookOver = `took over a stale lock (${describe(current)}): ${reason}`;
  }
  throw new SyncLockedError(`could not take the lock ${file}: it keeps changing hands`, file);
}

/** Removes a stale lock, unless another run took it over (or a live run took it) in the meantime. */
async function takeOver(file: string, stale: Partial<LockOwner>, reason: string): Promise<void> {
  const guard = `${file}.takeover`;
  const mine = `${JSON.stringify({ pid: process.pid, host: os.hostname(), procStart: procStart(process.pid) })}\n`;
  if (!(await createExclusive(guard, mine))) {
    const other = await readOwner(guard);
    if (other !== undefined && staleReason(other) === undefined) {
      throw new SyncLockedError(`another sync is taking over the stale lock ${file} (${reason})`, file);
    }
    // A taker that died mid-takeover: its guard is stale too.
    await fs.rm(guard, { force: true });
    if (!(await createExclusive(guard, mine))) {
      throw new SyncLockedError(`another sync is taking over the stale lock ${file} (${reason})`, file);
    }
  }
  try {
    const again = await readOwner(file);
    if (again !== undefined && JSON.stringify(again) === JSON.stringify(stale))
      await fs.rm(file, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

function held(file: string, owner: LockOwner, tookOver: string | undefined): HeldLock {
  return {
    path: file,
    owner,
    tookOver,
    release: async () => {
      try {
        const current = await readOwner(file);
        if (current?.token === owner.token) await fs.rm(file, { force: true });
      } catch {
        // Releasing is best effort: a lock left behind is stale once this process ends.
      }
    },
  };
}
