/**
 * Issue 6, "What a new user meets first": `threatconnect sandbox --write-env FILE` writes the
 * connection file once the server listens, atomically and with mode 0600, in the stdout format, and
 * removes it on a clean stop (unless something else replaced it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call } from '../../helpers/signer.js';
import { type Running, cliArgv, listening, parseEnv, start, waitFor, within } from './support.js';

const running = new Set<Running>();

function startSandbox(args: string[]): Running {
  const cli = start([...cliArgv, 'sandbox', '--port', '0', '--seed-indicators', '0', ...args]);
  running.add(cli);
  void cli.closed.then(() => running.delete(cli));
  return cli;
}

/** Reads the file once it exists; it must be whole the first time it is seen (it is renamed in). */
function readWhenPresent(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  assert.match(text, /^TC_API_BASE_URL=[^\n]*\n(?:[^\n]*\n)*TC_API_TOKEN_EXPIRES=\d+\n$/, 'a partial file');
  return text;
}

describe('threatconnect sandbox --write-env', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-cli-write-env-'));
  });
  after(() => {
    for (const cli of running) cli.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the stdout lines to a 0600 file once listening, and removes it on SIGTERM', async () => {
    const file = path.join(dir, 'sandbox.env');
    const cli = startSandbox(['--write-env', file]);
    const text = await waitFor('the env file', () => readWhenPresent(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    // Written before stdout, in the same format.
    await waitFor('stdout', () => (cli.stdout().endsWith('\n') ? true : undefined));
    assert.equal(cli.stdout(), text);
    assert.deepEqual(readdirSync(dir), ['sandbox.env'], 'no temporary file is left behind');

    const env = parseEnv(text);
    const target = {
      baseUrl: env.get('TC_API_BASE_URL') ?? '',
      accessId: env.get('TC_API_ACCESS_ID') ?? '',
      secretKey: env.get('TC_API_SECRET_KEY') ?? '',
    };
    const mine = await call(target, 'GET', '/v2/owners/mine');
    assert.equal(mine.status, 200);

    cli.child.kill('SIGTERM');
    assert.deepEqual(await within('a clean stop', cli.closed), { code: 0, signal: null });
    assert.deepEqual(readdirSync(dir), [], 'the env file is removed on a clean stop');
    const url = new URL(target.baseUrl);
    assert.equal(await listening(url.hostname, Number(url.port)), false);
  });

  it('replaces an existing file, writes env lines even with --json, and keeps a file changed meanwhile', async () => {
    const file = path.join(dir, 'replaced.env');
    writeFileSync(file, 'OLD=1\n', { mode: 0o644 });
    const cli = startSandbox(['--write-env', file, '--json']);
    const text = await waitFor('the new env file', () => {
      const current = readFileSync(file, 'utf8');
      return current === 'OLD=1\n' ? undefined : current;
    });
    assert.match(text, /^TC_API_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/api\n/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const line = await waitFor('the JSON line', () =>
      cli.stdout().endsWith('\n') ? cli.stdout() : undefined,
    );
    const details = JSON.parse(line) as { baseUrl: string; secretKey: string };
    assert.equal(parseEnv(text).get('TC_API_BASE_URL'), details.baseUrl);
    assert.equal(parseEnv(text).get('TC_API_SECRET_KEY'), details.secretKey);

    // Another program rewrote the file: a clean stop leaves it alone.
    writeFileSync(file, 'MINE=1\n');
    cli.child.kill('SIGINT');
    assert.deepEqual(await within('a clean stop', cli.closed), { code: 0, signal: null });
    assert.equal(readFileSync(file, 'utf8'), 'MINE=1\n');
  });
});
