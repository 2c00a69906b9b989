/**
 * Every API command end to end as a child process (`node --import tsx src/cli/main.ts`): stdout,
 * stderr and exit code; nothing on a non-terminal stderr (no progress); `--sandbox`; and SIGINT,
 * which ends a run with 130, complete lines on stdout and no partial `--output` file.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { closedPort, setFaults } from '../client/support.js';
import { jsonLines, sandboxEnv, tempFolder } from './in-process.js';
import { cliArgv, root, STACK_LINE, waitFor, within } from './support.js';

interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The test runner's environment without any TC_* or proxy variable, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(TC_|https?_proxy$|no_proxy$)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function startCli(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [...cliArgv, ...args], {
    cwd: root,
    env: cleanEnv(env),
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

async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(args, env);
  const { code } = await within(`threatconnect ${args.join(' ')}`, child.closed);
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

describe('threatconnect as a process', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-process-');

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 300 });
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });

  it('every command runs end to end: data on stdout, nothing on stderr, exit 0', async () => {
    const upload = folder.file('upload.txt', 'uploaded from a child process\n');
    const download = folder.file('doc19.txt');
    const cases: [string[], (stdout: string) => void][] = [
      [
        ['indicators', '--owner', 'Example Community', '--tag', 'APT'],
        (stdout) => {
          assert.ok(jsonLines(stdout).some((l) => l.id === 355999));
        },
      ],
      [
        ['groups', 'threats', '--owner', 'Example Community', '--format', 'json'],
        (stdout) => {
          assert.ok((JSON.parse(stdout) as { id: number }[]).some((g) => g.id === 38));
        },
      ],
      [
        ['owners', '--format', 'table'],
        (stdout) => {
          assert.match(stdout, /^ID {2}NAME {15}TYPE\n1 {3}Example Org/);
        },
      ],
      [
        ['request', 'GET', '/v2/owners/mine'],
        (stdout) => {
          assert.match(stdout, /"name":"Example Org"/);
        },
      ],
      [
        ['document', 'download', '19', '--output', download],
        (stdout) => {
          assert.equal(stdout, '');
          assert.equal(readFileSync(download, 'utf8'), 'Example document #19 contents.\n');
        },
      ],
      [
        ['document', 'upload', 'From a child', upload],
        (stdout) => {
          assert.equal(jsonLines(stdout)[0]?.name, 'From a child');
        },
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args, env)));
    runs.forEach((run, index) => {
      const [args, check] = cases[index] ?? [[], () => undefined];
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      // stderr is a pipe here, not a terminal: no progress, nothing at all.
      assert.equal(run.stderr, '', args.join(' '));
      check(run.stdout);
    });
  });

  it('failures: usage exit 2, errors exit 1, each one line on stderr without a stack', async () => {
    const port = await closedPort();
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [
        ['indicators', '--pf-rating', '==3'],
        env,
        2,
        /^error: option '--pf-rating <\[op\]rating>' argument '==3' is invalid\./,
      ],
      [
        ['groups', 'people'],
        env,
        2,
        /^error: command-argument value 'people' is invalid for argument 'type'\./,
      ],
      [
        ['add', 'indicator', 'not an indicator'],
        env,
        1,
        /^threatconnect add indicator: "not an indicator" is not a valid indicator: /,
      ],
      [
        ['owners', '--retries', '1', '--retry-sleep', '0.01'],
        { ...env, TC_API_BASE_URL: `http://127.0.0.1:${port}/api` },
        1,
        /^threatconnect owners: cannot reach http:\/\/127\.0\.0\.1:\d+\/api: The request failed after 2 attempts: The connection was refused/,
      ],
      [
        ['indicators'],
        { ...env, TC_API_SECRET_KEY: 'wrong' },
        1,
        /^threatconnect indicators: the server refused the credentials \(HTTP 401: /,
      ],
    ];
    const runs = await Promise.all(cases.map(([args, e]) => runCli(args, e)));
    runs.forEach((run, index) => {
      const [args, , code, message] = cases[index] ?? [[], {}, 0, /$/];
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '', args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
      assert.doesNotMatch(run.stderr, STACK_LINE);
      if (code === 1) assert.equal(run.stderr.split('\n').length, 2, run.stderr);
    });
  });

  it('--sandbox runs against an embedded sandbox with the sample data', async () => {
    const run = await runCli(
      ['indicators', '--sandbox', '--owner', 'Example Community', '--tag', 'EXAMPLE'],
      {},
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(jsonLines(run.stdout).length, 20);
  });

  it('a reader that goes away (| head) ends the run quietly with 0', async () => {
    await setFaults(sandbox, { latencyMs: 50 });
    try {
      const run = startCli(['indicators', '--result-limit', '5', '--concurrency', '1'], env);
      await waitFor('a record on stdout', () => (run.stdout().includes('\n') ? true : undefined));
      run.child.stdout?.destroy();
      assert.deepEqual(await within('the run to end', run.closed), { code: 0, signal: null });
      assert.equal(run.stderr(), '');
    } finally {
      await setFaults(sandbox, {});
    }
  });

  it('--help and --version to a closed reader exit 0; to a full disk, exit 1 with one line', async () => {
    for (const args of [['--version'], ['indicators', '--help']]) {
      const run = startCli(args, env);
      // Closed before the program has written anything: its write gets EPIPE.
      run.child.stdout?.destroy();
      const { code } = await within(`threatconnect ${args.join(' ')}`, run.closed);
      assert.equal(code, 0, run.stderr());
      assert.equal(run.stderr(), '');
    }
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [...cliArgv, '--version'], {
        cwd: root,
        env: cleanEnv({}),
        stdio: ['ignore', full, 'pipe'],
      });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const [code] = (await within('--version > /dev/full', once(child, 'close'))) as [number | null];
      assert.equal(code, 1, stderr);
      assert.match(stderr, /^threatconnect: cannot write to stdout: ENOSPC[^\n]*\n$/);
    } finally {
      closeSync(full);
    }
  });

  it('SIGINT ends the run with 130: complete lines on stdout, no partial --output file', async () => {
    // Slow pages, so the run is still going when the signal comes.
    await setFaults(sandbox, { latencyMs: 100 });
    try {
      const sub = tempFolder('tc-cli-sigint-');
      try {
        const target = path.join(sub.dir, 'out.jsonl');
        writeFileSync(path.join(sub.dir, 'keep.txt'), 'unrelated\n');
        const toFile = startCli(
          ['indicators', '--result-limit', '5', '--concurrency', '1', '--output', target],
          env,
        );
        const toStdout = startCli(['indicators', '--result-limit', '5', '--concurrency', '1'], env);
        await waitFor('a record in the temporary file', () => {
          const temp = sub.list().find((f) => f.endsWith('.tmp'));
          return temp !== undefined && readFileSync(path.join(sub.dir, temp), 'utf8').includes('\n')
            ? true
            : undefined;
        });
        await waitFor('a record on stdout', () => (toStdout.stdout().includes('\n') ? true : undefined));
        toFile.child.kill('SIGINT');
        toStdout.child.kill('SIGINT');
        const [file, out] = await Promise.all([
          within('the --output run to end', toFile.closed),
          within('the stdout run to end', toStdout.closed),
        ]);
        assert.deepEqual(file, { code: 130, signal: null });
        assert.equal(toFile.stderr(), 'threatconnect indicators: interrupted\n');
        assert.deepEqual(sub.list(), ['keep.txt']);
        assert.deepEqual(out, { code: 130, signal: null });
        assert.equal(toStdout.stderr(), 'threatconnect indicators: interrupted\n');
        const text = toStdout.stdout();
        assert.ok(text.endsWith('\n'));
        assert.ok(jsonLines(text).length >= 1);
      } finally {
        sub.remove();
      }
    } finally {
      await setFaults(sandbox, {});
    }
  });
});
