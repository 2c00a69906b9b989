/**
 * Issue 6: CLI messages name the flags the user typed, usage errors exit 2, and a `--db` that cannot
 * be opened, a folder that does not exist or a port in use give one line on stderr (the path or
 * port and the reason), exit 1, and no stack trace. Also `--version`.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STACK_LINE, root, runCli } from './support.js';

describe('threatconnect messages and exit codes', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-cli-messages-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--version and -V print the package version and exit 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag], { cwd: dir });
      assert.deepEqual(
        { code: run.code, stdout: run.stdout, stderr: run.stderr },
        { code: 0, stdout: `${version}\n`, stderr: '' },
        flag,
      );
    }
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /-V, --version +print the version and exit/);
  });

  it('usage errors name the flags and exit 2', async () => {
    const cases: [string[], string][] = [
      [['--access-id', 'ID'], 'error: --access-id and --secret-key must be given together'],
      [['--secret-key', 'KEY'], 'error: --access-id and --secret-key must be given together'],
      [['--default-org', ' '], 'error: --default-org must not be empty'],
      [
        ['--seed-only', '--db', path.join(dir, 'x.sqlite'), '--write-env', path.join(dir, 'x.env')],
        "error: option '--write-env <file>' cannot be used with option '--seed-only'",
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(['sandbox', ...args])));
    runs.forEach((run, index) => {
      const [args, message] = cases[index] ?? [[], ''];
      const label = args.join(' ');
      assert.equal(run.code, 2, `${label}: ${run.stderr}`);
      assert.equal(run.stdout, '', label);
      assert.equal(run.stderr.split('\n')[0], message, label);
      assert.doesNotMatch(run.stderr, /accessId|secretKey|defaultOrg/, label);
    });
  });

  it('a --db that cannot be opened names the path and the reason, and exits 1', async () => {
    const notADb = path.join(dir, 'not-a-database.sqlite');
    writeFileSync(notADb, 'this is not SQLite, just text long enough to be read as a header\n'.repeat(4));
    const inMissingFolder = path.join(dir, 'no-such-folder', 'sandbox.sqlite');
    const cases: [string, string][] = [
      [dir, `threatconnect sandbox: cannot open --db ${dir}: it is a directory\n`],
      [
        inMissingFolder,
        `threatconnect sandbox: cannot open --db ${inMissingFolder}: the directory ${path.dirname(inMissingFolder)} does not exist\n`,
      ],
      [notADb, `threatconnect sandbox: cannot open --db ${notADb}: file is not a database\n`],
    ];
    const runs = await Promise.all(
      cases.map(([db]) => runCli(['sandbox', '--db', db, '--seed-indicators', '0', '--port', '0'])),
    );
    runs.forEach((run, index) => {
      const [db, message] = cases[index] ?? ['', ''];
      assert.deepEqual(
        { code: run.code, stdout: run.stdout, stderr: run.stderr },
        { code: 1, stdout: '', stderr: message },
        db,
      );
    });
  });

  it('--write-env into a missing folder says so, and exits 1', async () => {
    const file = path.join(dir, 'missing', 'sandbox.env');
    const run = await runCli(['sandbox', '--write-env', file, '--seed-indicators', '0']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stderr,
      `threatconnect sandbox: cannot write the --write-env file ${file}: the directory ${path.dirname(file)} does not exist\n`,
    );
  });

  it('a port in use is one line, exit 1, no stack trace', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = await runCli(['sandbox', '--port', String(port), '--seed-indicators', '0']);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `threatconnect sandbox: port ${port} on 127.0.0.1 is already in use\n`);
      assert.doesNotMatch(run.stderr, STACK_LINE);
    } finally {
      blocker.close();
    }
  });

  it('a --host that is not on this machine is one line, exit 1', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
    const run = await runCli(['sandbox', '--host', '192.0.2.1', '--seed-indicators', '0']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stderr,
      'threatconnect sandbox: cannot listen on 192.0.2.1: no such address on this machine\n',
    );
  });
});
