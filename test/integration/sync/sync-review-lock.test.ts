/**
 * The takeover of a stale sync lock when an earlier taker died in the middle of its takeover (review,
 * 2026-12): a real process is SIGKILLed while it takes over a stale lock, leaving its guard; then two
 * runs find that dead taker's guard and the stale lock. Their steps are ordered by gates on the file
 * operations (no timing): the first run is held just before it removes the dead taker's guard until the
 * second has created its own guard, and the second is held just before it removes the stale lock until
 * the first has finished. Removing a stale guard by its name let the first remove the second's guard,
 * and the second then remove the first's fresh lock: both held the lock.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, promises, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { pathToFileURL } from 'node:url';
import { acquireLock, type HeldLock } from '../../../src/sync/lock.js';
import { DEAD_PID } from './support.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'tc-sync-review-lock-'));
after(() => {
  rmSync(folder, { recursive: true, force: true });
});

const lockModule = pathToFileURL(path.resolve('src/sync/lock.ts')).href;

/** A real process that takes over the stale lock `file` and is SIGKILLed just before removing it. */
async function dieMidTakeover(file: string): Promise<void> {
  const code = `
    import { promises } from 'node:fs';
    const rm = promises.rm.bind(promises);
    promises.rm = async (target, options) => {
      if (String(target) === ${JSON.stringify(file)}) process.kill(process.pid, 'SIGKILL');
      return rm(target, options);
    };
    const { acquireLock } = await import(${JSON.stringify(lockModule)});
    await acquireLock(${JSON.stringify(file)});
    process.exit(7);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [status, signal] = (await once(child, 'exit')) as [number | null, string | null];
  assert.equal(signal, 'SIGKILL', `the taker exited with ${String(status)} instead of dying mid-takeover`);
}

/** A promise and its resolver. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('sync lock takeover after a taker died', () => {
  it('lets only one of two runs take a stale lock whose previous taker died mid-takeover', async () => {
    const file = path.join(folder, 's.json.lock');
    writeFileSync(
      file,
      `${JSON.stringify({ pid: DEAD_PID, host: os.hostname(), startedAt: 'then', procStart: null, token: 'deadbeefdeadbeef' })}\n`,
    );
    await dieMidTakeover(file);
    const left = readdirSync(folder).filter((name) => name.startsWith('s.json.lock.takeover'));
    assert.equal(left.length, 1, `the dead taker left its guard: ${readdirSync(folder).join(', ')}`);

    const run = new AsyncLocalStorage<'first' | 'second'>();
    const isGuard = (target: string): boolean =>
      target.startsWith(`${file}.takeover`) && !target.endsWith('.tmp');
    const secondGuarded = gate();
    const firstSettled = gate();
    let secondStarted: Promise<HeldLock> | undefined;
    let secondSettled = false;
    let firstHeld = false;
    const rm = promises.rm.bind(promises);
    const link = promises.link.bind(promises);
    mock.method(promises, 'rm', async (target: string, options?: { force?: boolean }) => {
      if (run.getStore() === 'first' && isGuard(target) && secondStarted === undefined) {
        // The first run is about to remove a guard: now the second run starts, and the first waits
        // until the second holds a guard of its own (or has given up).
        secondStarted = run.run('second', () => acquireLock(file));
        const settled = (): void => {
          secondSettled = true;
          secondGuarded.open();
        };
        secondStarted.then(settled, settled);
        await secondGuarded.opened;
      }
      if (run.getStore() === 'second' && target === file) await firstSettled.opened;
      return rm(target, options);
    });
    mock.method(promises, 'link', async (from: string, to: string) => {
      await link(from, to);
      if (run.getStore() === 'second' && isGuard(to)) secondGuarded.open();
    });
    try {
      const first = run.run('first', () => acquireLock(file));
      const firstOutcome = await first.then(
        (lock) => {
          firstHeld = true;
          return lock;
        },
        (error: unknown) => error,
      );
      firstSettled.open();
      assert.ok(secondStarted !== undefined, 'the first run removed no guard');
      const secondOutcome = await secondStarted.then(
        (lock) => lock,
        (error: unknown) => error,
      );
      assert.ok(secondSettled);
      const holders = [firstOutcome, secondOutcome].filter(
        (outcome): outcome is HeldLock =>
          typeof outcome === 'object' && outcome !== null && 'release' in outcome,
      );
      assert.equal(
        holders.length,
        1,
        `runs holding the lock: ${holders.length} (first ${String(firstHeld)}); refusals: ${[
          firstOutcome,
          secondOutcome,
        ]
          .filter((outcome) => outcome instanceof Error)
          .map((error) => error.message)
          .join('; ')}`,
      );
      const [holder] = holders;
      assert.ok(holder !== undefined);
      assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { token?: string }).token, holder.owner.token);
      await holder.release();
    } finally {
      mock.restoreAll();
    }
    assert.deepEqual(
      readdirSync(folder).filter((name) => name.startsWith('s.json.lock')),
      [],
      'the lock and every guard are gone after the release',
    );
  });
});
