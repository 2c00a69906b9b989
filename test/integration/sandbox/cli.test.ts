/**
 * `threatconnect sandbox` as a real child process (decisions.md 2.1, 4): connection details on stdout,
 * a clean exit on SIGTERM/SIGINT, HTTPS, --seed-only, --faults, and usage errors with exit code 2.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sampleData, startSandbox } from '../../../src/sandbox/index.js';
import { type Target, call } from '../../helpers/signer.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Cli {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the stdout lines up to and including the first one that satisfies `done`. */
  readUntil: (done: (line: string) => boolean) => Promise<string[]>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  const lines: string[] = [];
  const waiting: (() => void)[] = [];
  const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  reader.on('line', (line) => {
    lines.push(line);
    for (const wake of waiting.splice(0)) wake();
  });
  let closed = false;
  reader.on('close', () => {
    closed = true;
    for (const wake of waiting.splice(0)) wake();
  });
  const readUntil = async (done: (line: string) => boolean): Promise<string[]> => {
    for (;;) {
      const index = lines.findIndex(done);
      if (index !== -1) return lines.slice(0, index + 1);
      if (closed)
        throw new Error(`the CLI ended its output early; stdout ${JSON.stringify(lines)}, stderr ${stderr}`);
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return { child, stderr: () => stderr, readUntil, exit };
}

/** Runs the CLI to its end and gives its exit code and output. */
async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(args);
  const stdout: string[] = [];
  cli.child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  const { code } = await cli.exit;
  return { code, stdout: stdout.join(''), stderr: cli.stderr() };
}

/** Parses `KEY=value` env-file lines, undoing the CLI's POSIX single quotes. */
function parseEnv(lines: string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    assert.ok(match, `not an env line: ${line}`);
    const raw = match[2] ?? '';
    const value = raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
    env.set(match[1] ?? '', value);
  }
  return env;
}

function targetFromEnv(env: Map<string, string>): Target {
  const target: Target = {
    baseUrl: env.get('TC_API_BASE_URL') ?? '',
    accessId: env.get('TC_API_ACCESS_ID') ?? '',
    secretKey: env.get('TC_API_SECRET_KEY') ?? '',
  };
  const caFile = env.get('TC_CA_CERT_FILE');
  if (caFile !== undefined) target.caCertificate = readFileSync(caFile, 'utf8');
  return target;
}

const ENV_KEYS = [
  'TC_API_BASE_URL',
  'TC_API_ACCESS_ID',
  'TC_API_SECRET_KEY',
  'TC_API_DEFAULT_ORG',
  'TC_API_TOKEN',
  'TC_API_TOKEN_EXPIRES',
];

describe('threatconnect sandbox (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-sandbox-cli-'));
  });
  after(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints env lines, serves signed and token calls, and exits 0 on SIGTERM', async () => {
    const before = Math.floor(Date.now() / 1000);
    const cli = startCli(['--port', '0', '--seed-indicators', '10']);
    const lines = await cli.readUntil((line) => line.startsWith('TC_API_TOKEN_EXPIRES='));
    const after = Math.ceil(Date.now() / 1000);
    const env = parseEnv(lines);
    assert.deepEqual([...env.keys()], ENV_KEYS);
    assert.match(env.get('TC_API_BASE_URL') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/api$/);
    assert.equal(env.get('TC_API_DEFAULT_ORG'), 'Example Org');
    const expires = Number(env.get('TC_API_TOKEN_EXPIRES'));
    // Issued between the start and the printed line: an hour after some moment in that interval.
    assert.ok(expires >= before + 3600 && expires <= after + 3600, `expires ${expires}`);

    const target = targetFromEnv(env);
    const mine = await call(target, 'GET', '/v2/owners/mine');
    assert.equal(mine.status, 200);
    assert.equal((mine.json() as { data: { owner: { name: string } } }).data.owner.name, 'Example Org');
    const byToken = await call(target, 'GET', '/v2/owners/mine', {
      unsigned: true,
      headers: { Authorization: `TC-Token ${env.get('TC_API_TOKEN') ?? ''}` },
    });
    assert.equal(byToken.status, 200);
    // --seed-indicators 10 was applied: the default org holds exactly its share of the sample.
    const expected = sampleData(10).indicators.filter(
      (i) => i.ownerName === 'Example Org' && i.active,
    ).length;
    const listing = await call(target, 'GET', '/v2/indicators?resultLimit=1');
    assert.equal((listing.json() as { data: { resultCount: number } }).data.resultCount, expected);

    // The lines are a valid env file for a POSIX shell.
    const envFile = path.join(dir, 'sandbox.env');
    writeFileSync(envFile, `${lines.join('\n')}\n`);
    const shell = spawn('sh', [
      '-c',
      'set -a; . "$0"; printf "%s\\n%s\\n%s" "$TC_API_DEFAULT_ORG" "$TC_API_SECRET_KEY" "$TC_API_TOKEN"',
      envFile,
    ]);
    let sourced = '';
    shell.stdout.setEncoding('utf8');
    shell.stdout.on('data', (chunk: string) => {
      sourced += chunk;
    });
    const [shellCode] = (await once(shell, 'exit')) as [number | null];
    assert.equal(shellCode, 0);
    assert.equal(
      sourced,
      [env.get('TC_API_DEFAULT_ORG'), env.get('TC_API_SECRET_KEY'), env.get('TC_API_TOKEN')].join('\n'),
    );

    assert.match(cli.stderr(), /threatconnect sandbox listening on http:\/\/127\.0\.0\.1:\d+\/api/);
    assert.match(
      cli.stderr(),
      /^threatconnect sandbox: \d+ indicators, \d+ of them active; listings show only the active ones$/m,
    );
    cli.child.kill('SIGTERM');
    assert.deepEqual(await cli.exit, { code: 0, signal: null });
    await assert.rejects(call(target, 'GET', '/v2/owners/mine'), { code: 'ECONNREFUSED' });
  });

  it('--json prints one JSON line with camelCase keys, and exits 0 on SIGINT', async () => {
    const cli = startCli(['--port', '0', '--seed-indicators', '0', '--json', '--default-org', 'Acme Corp']);
    const [line = ''] = await cli.readUntil(() => true);
    const details = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(Object.keys(details), [
      'baseUrl',
      'accessId',
      'secretKey',
      'defaultOrg',
      'apiToken',
      'apiTokenExpires',
    ]);
    assert.equal(details.defaultOrg, 'Acme Corp');
    assert.equal(typeof details.apiTokenExpires, 'number');
    const target: Target = {
      baseUrl: String(details.baseUrl),
      accessId: String(details.accessId),
      secretKey: String(details.secretKey),
    };
    const mine = await call(target, 'GET', '/v2/owners/mine');
    assert.equal((mine.json() as { data: { owner: { name: string } } }).data.owner.name, 'Acme Corp');
    cli.child.kill('SIGINT');
    assert.deepEqual(await cli.exit, { code: 0, signal: null });
  });

  it('--https writes the CA to a file and prints TC_CA_CERT_FILE', async () => {
    const cli = startCli(['--port', '0', '--seed-indicators', '0', '--https']);
    const lines = await cli.readUntil((line) => line.startsWith('TC_CA_CERT_FILE='));
    const env = parseEnv(lines);
    const caFile = env.get('TC_CA_CERT_FILE') ?? '';
    try {
      assert.deepEqual([...env.keys()], [...ENV_KEYS, 'TC_CA_CERT_FILE']);
      assert.match(env.get('TC_API_BASE_URL') ?? '', /^https:\/\/127\.0\.0\.1:\d+\/api$/);
      assert.ok(path.isAbsolute(caFile) && existsSync(caFile), `CA file ${caFile}`);
      assert.match(readFileSync(caFile, 'utf8'), /^-----BEGIN CERTIFICATE-----/);
      const target = targetFromEnv(env);
      assert.equal((await call(target, 'GET', '/v2/owners/mine')).status, 200);
      cli.child.kill('SIGTERM');
      assert.deepEqual(await cli.exit, { code: 0, signal: null });
    } finally {
      rmSync(caFile, { force: true });
    }
  });

  it('--faults @file configures fault injection from the start', async () => {
    const faultsFile = path.join(dir, 'faults.json');
    writeFileSync(
      faultsFile,
      JSON.stringify({ seed: 4, rules: [{ kind: 'status', status: 503, every: 2 }] }),
    );
    const cli = startCli(['--port', '0', '--seed-indicators', '0', '--json', '--faults', `@${faultsFile}`]);
    const [line = ''] = await cli.readUntil(() => true);
    const details = JSON.parse(line) as { baseUrl: string; accessId: string; secretKey: string };
    const active = await call(details, 'GET', '/_sandbox/faults');
    assert.deepEqual(active.json(), {
      seed: 4,
      latencyMs: 0,
      jitterMs: 0,
      rules: [{ kind: 'status', status: 503, every: 2 }],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i += 1) statuses.push((await call(details, 'GET', '/v2/owners')).status);
    assert.deepEqual(statuses, [200, 503]);
    cli.child.kill('SIGTERM');
    assert.deepEqual(await cli.exit, { code: 0, signal: null });
  });

  it('--db FILE --seed-only builds the database and exits 0', async () => {
    const dbPath = path.join(dir, 'seeded.sqlite');
    const result = await runCli(['--db', dbPath, '--seed-only', '--seed-indicators', '10']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const seeded = sampleData(10).indicators;
    assert.equal(
      result.stderr,
      `threatconnect sandbox: ${String(seeded.length)} indicators, ${String(seeded.filter((i) => i.active).length)} of them active; listings show only the active ones\nSeeded ${dbPath}\n`,
    );
    assert.ok(existsSync(dbPath));
    const sandbox = await startSandbox({ dbPath });
    try {
      assert.equal(sandbox.seeded, false);
      const expected = sampleData(10).indicators.filter(
        (i) => i.ownerName === 'Example Org' && i.active,
      ).length;
      const listing = await call(sandbox, 'GET', '/v2/indicators?resultLimit=1');
      assert.equal((listing.json() as { data: { resultCount: number } }).data.resultCount, expected);
    } finally {
      await sandbox.close();
    }
  });

  it('exits 2 with a message on stderr for usage errors', async () => {
    const missing = path.join(dir, 'no-such-faults.json');
    const cases: [string[], string][] = [
      [['--seed-only'], 'error: --seed-only needs --db <file>'],
      [['--faults', '{"rules": ['], '--faults is not valid JSON'],
      [
        ['--faults', '{"rules":[{"kind":"explode"}]}'],
        'Invalid fault configuration: rules[0].kind must be one of status, reset, truncate, stall, shortPage',
      ],
      [['--faults', `@${missing}`], '--faults file cannot be read'],
      [['--port', 'eighty'], '--port must be an integer from 0 to 65535'],
      [['--no-such-flag'], "unknown option '--no-such-flag'"],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((result, index) => {
      const [args, message] = cases[index] ?? [[], ''];
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '', args.join(' '));
      assert.ok(result.stderr.includes(message), `${args.join(' ')}: ${result.stderr}`);
    });
  });
});
