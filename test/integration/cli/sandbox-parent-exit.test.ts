/**
 * Issue 6: `npx threatconnect sandbox &` then `kill $!` stopped npx and left the sandbox listening.
 * The sandbox now stops cleanly when the process that started it ends. Here a small node parent
 * starts the real CLI, the parent is killed with SIGKILL (so it cannot pass anything on), and the
 * sandbox must exit, close its port and remove its env file. `--no-exit-with-parent` keeps it up.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call } from '../../helpers/signer.js';
import { type Running, cliArgv, listening, start, waitFor, within } from './support.js';

/**
 * The parent: starts the sandbox with its own stdout and stderr (so the test reads the sandbox's
 * output directly), prints `CHILD <pid>` on stderr, and then just waits.
 */
const PARENT = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, JSON.parse(process.argv[1]), { stdio: ['ignore', 'inherit', 'inherit'] });
process.stderr.write('CHILD ' + child.pid + '\\n');
setInterval(() => {}, 1000);
`;

const started: Running[] = [];
const sandboxPids: number[] = [];

function startParent(sandboxArgs: string[]): Running {
  const argv = [...cliArgv, 'sandbox', '--port', '0', '--seed-indicators', '0', '--json', ...sandboxArgs];
  const parent = start(['-e', PARENT, JSON.stringify(argv)]);
  started.push(parent);
  return parent;
}

async function details(parent: Running): Promise<{ baseUrl: string; accessId: string; secretKey: string }> {
  const line = await waitFor('the JSON line', () => {
    const first = parent.stdout().split('\n')[0] ?? '';
    return parent.stdout().includes('\n') ? first : undefined;
  });
  return JSON.parse(line) as { baseUrl: string; accessId: string; secretKey: string };
}

function childPid(parent: Running): number {
  const match = /^CHILD (\d+)$/m.exec(parent.stderr());
  assert.ok(match, `no CHILD line: ${parent.stderr()}`);
  const pid = Number(match[1]);
  sandboxPids.push(pid);
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The /proc/PID/stat fields after the command name (Linux), or undefined when there is none. */
function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Whether `pid` has exited: gone, or a zombie that init has not reaped yet. */
function exited(pid: number): boolean {
  const fields = stat(pid);
  if (fields === undefined) return !alive(pid);
  return fields[0] === 'Z';
}

/** The parent pid of `pid`, or undefined when it cannot be read. */
function parentOf(pid: number): number | undefined {
  const fields = stat(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

describe('threatconnect sandbox stops with its parent', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-cli-parent-'));
  });
  after(() => {
    for (const parent of started) parent.child.kill('SIGKILL');
    for (const pid of sandboxPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits cleanly, closes its port and removes its env file when the parent is SIGKILLed', async () => {
    const envFile = path.join(dir, 'sandbox.env');
    const parent = startParent(['--write-env', envFile]);
    const target = await details(parent);
    const pid = childPid(parent);
    assert.equal((await call(target, 'GET', '/v2/owners/mine')).status, 200);
    assert.ok(existsSync(envFile));

    parent.child.kill('SIGKILL');
    // The sandbox holds the write ends of the parent's stdout and stderr pipes: they close (and
    // `closed` resolves) only once the sandbox has exited too.
    const { signal } = await within('the sandbox to close the pipes', parent.closed);
    assert.equal(signal, 'SIGKILL');
    await waitFor('the sandbox to exit', () => (exited(pid) ? true : undefined));
    assert.match(
      parent.stderr(),
      new RegExp(`threatconnect sandbox: the parent process ${parent.child.pid} ended; stopping\\n$`),
    );
    const url = new URL(target.baseUrl);
    assert.equal(await listening(url.hostname, Number(url.port)), false);
    assert.equal(existsSync(envFile), false, 'a clean stop removes the env file');
  });

  it('keeps serving after the parent ends with --no-exit-with-parent', async () => {
    const parent = startParent(['--no-exit-with-parent']);
    const target = await details(parent);
    const pid = childPid(parent);
    parent.child.kill('SIGKILL');
    // The sandbox has been re-parented; give its watch (had there been one) many polls to react.
    await waitFor('the re-parenting', () => (parentOf(pid) !== parent.child.pid ? true : undefined));
    for (let i = 0; i < 10; i += 1) {
      assert.equal((await call(target, 'GET', '/v2/owners/mine')).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.equal(exited(pid), false);
    process.kill(pid, 'SIGTERM');
    await within('the sandbox to stop on SIGTERM', parent.closed);
    await waitFor('the sandbox to exit', () => (exited(pid) ? true : undefined));
    assert.doesNotMatch(parent.stderr(), /parent process/);
  });
});
