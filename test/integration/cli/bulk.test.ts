/**
 * `threatconnect bulk OWNER`: the owner's bulk report as records through the `indicators` output path.
 * In-process: every format prints what `indicators --owner OWNER` prints for the same data, `--limit`,
 * `--report`, usage errors. As a child process: a run to stdout, `--output` with `--run-now`, a refused
 * owner (exit 1, no file), and SIGINT (exit 130, no partial file).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { requestLog, resetSandbox, setRules, withSandbox } from '../../helpers/sandbox.js';
import { jsonLines, runInProcess, sandboxEnv, tempFolder } from './in-process.js';
import { cliArgv, root, waitFor, within } from './support.js';

const OWNER = 'Example Community';

interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The program as a child process, with only `env`'s TC_* variables. */
function startCli(args: string[], env: Record<string, string>): Child {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(TC_|https?_proxy$|no_proxy$)/i.test(key)) clean[key] = value;
  }
  const child = spawn(process.execPath, [...cliArgv, ...args], {
    cwd: root,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, stdout: () => stdout, stderr: () => stderr, closed };
}

describe('threatconnect bulk', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-bulk-');
  const run = (args: string[]) => runInProcess(args, { env });

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 300 });
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('prints in every format what `indicators --owner` prints for the same indicators', async () => {
    for (const format of ['jsonl', 'json', 'csv', 'cef', 'leef', 'keyval']) {
      const bulk = await run(['bulk', OWNER, '--format', format]);
      const listed = await run(['indicators', '--owner', OWNER, '--format', format]);
      assert.equal(bulk.code, 0, bulk.stderr);
      assert.equal(bulk.stderr, '');
      assert.equal(bulk.stdout, listed.stdout, format);
    }
    const lines = jsonLines((await run(['bulk', OWNER])).stdout) as { ownerName: string }[];
    assert.ok(lines.length > 50);
    assert.ok(lines.every((l) => l.ownerName === OWNER));
    const log = await requestLog(sandbox);
    assert.ok(
      log.some((e) => /\/v2\/indicators\/bulk\/json\?.*owner=Example(\+|%20)Community/.test(e.target)),
    );
  });

  it('--limit N prints N records; --report counts the download as one call', async () => {
    const limited = await run(['bulk', OWNER, '--limit', '4', '--report']);
    assert.equal(limited.code, 0, limited.stderr);
    assert.equal(jsonLines(limited.stdout).length, 4);
    assert.match(limited.stderr, /\n {2}API Calls +1 /);
    assert.match(limited.stderr, /\n {2}Filtered Results +4 /);
  });

  it('refuses an empty OWNER, a missing one and an unknown format as usage errors (exit 2)', async () => {
    const empty = await run(['bulk', '']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^error: OWNER must be an owner name, got an empty one\n/);
    const missing = await run(['bulk']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: missing required argument 'owner'\n/);
    const format = await run(['bulk', OWNER, '--format', 'xml']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /option '--format <name>' argument 'xml' is invalid/);
    assert.deepEqual(await requestLog(sandbox), [], 'no request was made');
  });

  it('as a process: a run to stdout, and --output with --run-now written whole', async () => {
    const out = startCli(['bulk', OWNER, '--limit', '3'], env);
    assert.deepEqual(await within('bulk to stdout', out.closed), { code: 0, signal: null });
    assert.equal(out.stderr(), '');
    assert.equal(jsonLines(out.stdout()).length, 3);

    const target = folder.file('report.cef');
    const toFile = startCli(['bulk', OWNER, '--run-now', '--format', 'cef', '--output', target], env);
    assert.deepEqual(await within('bulk to a file', toFile.closed), { code: 0, signal: null });
    assert.deepEqual({ stdout: toFile.stdout(), stderr: toFile.stderr() }, { stdout: '', stderr: '' });
    const expected = await run(['indicators', '--owner', OWNER, '--format', 'cef']);
    assert.equal(readFileSync(target, 'utf8'), expected.stdout);
    const log = await requestLog(sandbox);
    assert.ok(
      log.some((e) => e.target.includes('/v2/indicators/bulk/json?') && e.target.includes('runNow=true')),
    );
  });

  it('as a process: a refused owner exits 1 naming the failure, and leaves no --output file', async () => {
    const target = folder.file('refused.jsonl');
    const refused = startCli(['bulk', 'No Such Owner', '--output', target], env);
    assert.deepEqual(await within('bulk refused', refused.closed), { code: 1, signal: null });
    assert.match(
      refused.stderr(),
      /^threatconnect bulk: HTTP 403: The requested owner was not found \(GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/indicators\/bulk\/json\?.*owner=No\+Such\+Owner\)\n$/,
    );
    assert.ok(!folder.list().some((f) => f.startsWith('refused.jsonl') || f.startsWith('.refused.jsonl')));
  });

  it('as a process: SIGINT ends the run with 130 and removes the partial --output file', async () => {
    const sub = tempFolder('tc-cli-bulk-sigint-');
    try {
      writeFileSync(path.join(sub.dir, 'keep.txt'), 'unrelated\n');
      // The answer is held, so the run is waiting for the report when the signal comes.
      await setRules(sandbox, { kind: 'stall', ms: 30_000, pathPrefix: '/v2/indicators/bulk/json' });
      const target = path.join(sub.dir, 'out.jsonl');
      const running = startCli(['bulk', OWNER, '--output', target], env);
      await waitFor('the temporary output file', () =>
        sub.list().some((f) => f.endsWith('.tmp')) ? true : undefined,
      );
      running.child.kill('SIGINT');
      assert.deepEqual(await within('the interrupted run', running.closed), { code: 130, signal: null });
      assert.equal(running.stderr(), 'threatconnect bulk: interrupted\n');
      assert.deepEqual(sub.list(), ['keep.txt']);
    } finally {
      sub.remove();
    }
  });
});
