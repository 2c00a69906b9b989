/**
 * `threatconnect batch FILE` end to end, in a child process against a sandbox: JSON lines and JSON
 * arrays, the summary and failed rows on stderr, exit codes, --resume and --report-json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { call, withSandbox } from '../../helpers/sandbox.js';
import { runInProcess, sandboxEnv, tempFolder } from './in-process.js';
import { cliArgv, root } from './support.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

async function runWithEnv(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [...cliArgv, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('threatconnect batch', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-batch-');
  before(async () => {
    sandbox = await withSandbox();
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });

  it('writes JSON lines, prints the summary and each failed record, and exits 1', async () => {
    const lines = [
      { type: 'Host', summary: 'cli1.batch.example.com', rating: 3 },
      { type: 'Address', summary: 'not-an-ip' },
      '{not json',
      { type: 'Host', summary: '-cli3.batch.example.com' },
      { type: 'Host', summary: 'cli4.batch.example.com' },
    ].map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
    const file = folder.file('records.jsonl', `${lines.join('\n')}\n`);
    const report = folder.file('report.json');
    const state = folder.file('state.json');
    const run = await runWithEnv(
      ['batch', file, '--owner', 'Example Community', '--resume', state, '--report-json', report],
      env,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /threatconnect batch: 2 created, 3 failed, 0 unprocessed \(5 records, 1 job\)/);
    assert.match(run.stderr, /record 1: "not-an-ip" is not an IPv4 or IPv6 address\n/);
    assert.match(run.stderr, /record 2: line 3 is not JSON/);
    assert.match(run.stderr, /record 3: .*Please enter a valid Host: -cli3\.batch\.example\.com \(0x1001\)/);
    const saved = JSON.parse(readFileSync(report, 'utf8')) as {
      succeeded: number;
      errors: { index: number }[];
      report: { version: number };
    };
    assert.equal(saved.succeeded, 2);
    assert.deepEqual(saved.errors.map((e) => e.index).sort(), [1, 2, 3]);
    assert.equal(saved.report.version, 1);
    const found = await call(
      sandbox,
      'GET',
      '/v2/indicators/hosts/cli4.batch.example.com?owner=Example%20Community',
    );
    assert.equal(found.status, 200);

    // The same file again with the state: the completed job is not sent again.
    const rerun = await runWithEnv(['batch', file, '--owner', 'Example Community', '--resume', state], env);
    assert.equal(rerun.code, 1);
    assert.match(rerun.stderr, /2 created, 3 failed/);
  });

  it('takes a JSON array, deletes with --action delete, and exits 0 when nothing failed', async () => {
    const records = [
      { type: 'Host', summary: 'arr1.batch.example.com' },
      { type: 'Host', summary: 'arr2.batch.example.com' },
    ];
    const file = folder.file('records.json', JSON.stringify(records, null, 2));
    const created = await runWithEnv(['batch', file], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /2 created, 0 failed, 0 unprocessed \(2 records, 1 job\)/);
    const deleted = await runWithEnv(['batch', file, '--action', 'delete'], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stderr, /2 deleted, 0 failed/);
    const gone = await call(sandbox, 'GET', '/v2/indicators/hosts/arr1.batch.example.com');
    assert.equal(gone.status, 404);
  });

  it('JSON lines of one record, or after blank lines, are JSON lines; a one-line V2 file is a document', async () => {
    const cases: [string, string, number][] = [
      ['one.jsonl', '{"type":"Host","summary":"one.lines.example.com"}\n', 1],
      ['one-no-eol.jsonl', '{"type":"Host","summary":"one-eol.lines.example.com"}', 1],
      [
        'blank-first.jsonl',
        '\n\n{"type":"Host","summary":"b1.lines.example.com"}\n{"type":"Host","summary":"b2.lines.example.com"}\n',
        2,
      ],
      ['v2-one-line.json', '{"indicator":[{"type":"Host","summary":"v2.lines.example.com"}]}\n', 1],
    ];
    for (const [name, content, count] of cases) {
      const result = await runInProcess(['batch', folder.file(name, content)], { env });
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.equal(
        result.stderr,
        `threatconnect batch: ${count} created, 0 failed, 0 unprocessed (${count} record${count === 1 ? '' : 's'}, 1 job)\n`,
        name,
      );
    }
    const created = await call(sandbox, 'GET', '/v2/indicators/hosts/b2.lines.example.com');
    assert.equal(created.status, 200);
  });

  it('an unwritable --report-json or --resume fails before any record is sent (exit 1)', async () => {
    const file = folder.file(
      'early.jsonl',
      '{"type":"Host","summary":"early1.batch.example.com"}\n{"type":"Host","summary":"early2.batch.example.com"}\n',
    );
    const absent = folder.file('absent-folder');
    for (const flag of ['--report-json', '--resume']) {
      const target = `${absent}/out.json`;
      const result = await runInProcess(['batch', file, flag, target], { env });
      assert.deepEqual(
        { code: result.code, stdout: result.stdout, stderr: result.stderr },
        {
          code: 1,
          stdout: '',
          stderr: `threatconnect batch: cannot write ${flag} ${target}: the directory ${absent} does not exist\n`,
        },
      );
    }
    const notSent = await call(sandbox, 'GET', '/v2/indicators/hosts/early1.batch.example.com');
    assert.equal(notSent.status, 404);
  });

  it('is a usage error (exit 2) for an unknown --action, and exit 1 for a missing file', async () => {
    const usage = await runWithEnv(['batch', 'x.json', '--action', 'upsert'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /argument 'upsert' is invalid. Allowed choices are create, delete/);
    const missing = await runWithEnv(['batch', folder.file('absent.json')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /threatconnect batch: cannot read .*absent\.json: no such file/);
  });
});
