/**
 * The lock next to the state file (`STATE.lock`): one sync run at a time per state. It is created with
 * O_EXCL and holds the owner's pid, host, start time and, on Linux, the process's start tick (so a
 * reused pid is told apart). A lock whose process is gone (same host, pid dead or reused) is stale and
 * taken over; a live one is refused with {@link SyncLockedError}.
 *
 * Taking over is guarded by an O_EXCL file named after the content it may remove
 * (`STATE.lock.takeover-<digest>`): only its holder removes a lock holding that content, after reading
 * it again, and a content never comes back (each holds a random token), so no run removes a lock that
 * another run has just taken. A guard whose taker died is itself stale and taken over the same way
 * (`STATE.lock.takeover-<digest>.takeover-<digest>`), never removed by name alone: removing a stale
 * guard by name let two runs each remove the other's guard, and then the other's fresh lock
 * (review, 2026-12).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** A lock or guard file as read: its owner, and the digest that names its content. */
interface LockFile {
  readonly owner: Partial<LockOwner>;
  readonly key: string;
}

/** The digest that names a lock file's content (its guard's name). */
function contentKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

async function readLockFile(file: string): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable: nobody can own it.
    return { owner: {}, key: 'unreadable' };
  }
  let owner: Partial<LockOwner>;
  try {
    const parsed = JSON.parse(text) as unknown;
    owner = typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    // Damaged: nobody can own it.
    owner = {};
  }
  return { owner, key: contentKey(text) };
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

/** Nested takeovers of guards whose takers died, before giving up (each level is one more death). */
const MAX_TAKEOVER_DEPTH = 4;

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
    if (await createExclusive(file, text)) {
      await removeDeadGuards(file, contentKey(text));
      return held(file, owner, tookOver);
    }
    const current = await readLockFile(file);
    if (current === undefined) continue; // released meanwhile
    const reason = staleReason(current.owner);
    if (reason === undefined) {
      throw new SyncLockedError(
        `another sync holds the lock ${file} (${describe(current.owner)}); if that run is gone for good, remove the file`,
        file,
      );
    }
    await removeStale(file, current.key, file, reason, 0);
    tookOver = `took over a stale lock (${describe(current.owner)}): ${reason}`;
  }
  throw new SyncLockedError(`could not take the lock ${file}: it keeps changing hands`, file);
}

/**
 * Removes `file` if it still holds the content `key` (a stale lock, or the guard of a taker that
 * died), under the guard `<file>.takeover-<key>`: only that guard's holder removes this content, so
 * it cannot remove a lock that another run took meanwhile. A guard left by a dead taker is removed
 * the same way, one level down.
 * @throws {SyncLockedError} when a live run is taking it over.
 */
async function removeStale(
  file: string,
  key: string,
  lock: string,
  reason: string,
  depth: number,
): Promise<void> {
  const guard = `${file}.takeover-${key}`;
  const mine = `${JSON.stringify({
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    procStart: procStart(process.pid),
    token: randomBytes(8).toString('hex'),
  })}\n`;
  const busy = (): SyncLockedError =>
    new SyncLockedError(`another sync is taking over the stale lock ${lock} (${reason})`, lock);
  if (!(await createExclusive(guard, mine))) {
    const other = await readLockFile(guard);
    if (other !== undefined) {
      if (staleReason(other.owner) === undefined) throw busy();
      if (depth >= MAX_TAKEOVER_DEPTH) {
        throw new SyncLockedError(
          `could not take over the stale lock ${lock} (${reason}): runs taking it over died ${depth + 1} times; remove ${lock} and ${lock}.takeover-*`,
          lock,
        );
      }
      // A taker that died mid-takeover: its guard is stale too.
      await removeStale(guard, other.key, lock, reason, depth + 1);
    }
    if (!(await createExclusive(guard, mine))) throw busy();
  }
  try {
    const again = await readLockFile(file);
    if (again?.key === key) await fs.rm(file, { force: true });
  } finally {
    // Ours: nobody else removes a guard whose taker is alive.
    await fs.rm(guard, { force: true });
  }
}

/**
 * Removes the guards that takers which died left behind, once the lock is ours (its content `key`):
 * a guard names a content that is gone for good (each content holds a random token), so it only
 * matters to a run that still reads that content, and such a run finds the lock changed. Private
 * files of guards being created are removed only when their process is gone.
 */
async function removeDeadGuards(file: string, key: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.takeover-`;
  try {
    for (const name of await fs.readdir(dir)) {
      if (!name.startsWith(prefix) || name.startsWith(`${prefix}${key}`)) continue;
      const temp = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
      if (temp !== null && staleReason({ host: os.hostname(), pid: Number(temp[1]) }) === undefined) continue;
      await fs.rm(path.join(dir, name), { force: true });
    }
  } catch {
    // Tidying only: a guard left behind harms nobody.
  }
}

function held(file: string, owner: LockOwner, tookOver: string | undefined): HeldLock {
  return {
    path: file,
    owner,
    tookOver,
    release: async () => {
      try {
        const current = await readLockFile(file);
        if (current?.owner.token === owner.token) await fs.rm(file, { force: true });
      } catch {
        // Releasing is best effort: a lock left behind is stale once this process ends.
      }
    },
  };
}
