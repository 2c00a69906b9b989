/**
 * CLI leaks found in the secrets review:
 * - commander quotes an unknown option whole, so `--secret-key=<key>` (or `--api-secret-key=<key>`, as
 *   the Python habit writes it) printed the key in the usage error;
 * - a secret given where its file belongs (`--secret-key-file <key>`) was printed in "cannot read";
 * - a token in a query parameter named other than the SDK knew (`access_token`) reached the error
 *   line, the `--debug` detail, the console and the log file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { runInProcess, sandboxEnv, tempFolder } from './in-process.js';

const KEY = 'Cli-Secret-Key-7e1d0c2b9a';
const TOKEN = 'Cli-Query-Token-4f6a8b1c3d';

describe('usage errors do not repeat a secret glued to an unknown option', () => {
  for (const args of [
    ['indicators', `--secret-key=${KEY}`],
    ['indicators', `--api-secret-key=${KEY}`],
    [`--secret-key=${KEY}`, 'indicators'],
    ['owners', `-k${KEY}`],
  ]) {
    it(args.join(' ').replace(KEY, '<key>'), async () => {
      const run = await runInProcess(args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /unknown option '-/);
      assert.ok(!run.stderr.includes(KEY), run.stderr);
      assert.ok(!run.stdout.includes(KEY), run.stdout);
    });
  }

  it('names the option without its value', async () => {
    const run = await runInProcess(['indicators', `--secret-key=${KEY}`]);
    assert.match(run.stderr, /^error: unknown option '--secret-key=…'/);
  });
});

describe('a secret given where its file belongs is not printed', () => {
  for (const flag of ['--secret-key-file', '--api-token-file']) {
    it(flag, async () => {
      const run = await runInProcess(
        ['owners', '--base-url', 'http://127.0.0.1:9/api', '--access-id', 'ID', flag, KEY, '--debug'],
        { env: { TC_API_DEFAULT_ORG: 'Example Org' } },
      );
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `threatconnect owners: cannot read the file given to ${flag}: no such file\n`);
    });
  }
});

describe('a token in a query parameter of `request`', () => {
  let sandbox: Sandbox;
  const folder = tempFolder('tc-secrets-review-cli-');
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });

  it('appears neither on stderr (error, --debug, console) nor in the log file', async () => {
    const log = folder.file('tc.log');
    const run = await runInProcess(
      [
        'request',
        'GET',
        `/v2/groups/incidents/708996?access_token=${TOKEN}&api_key=${TOKEN}`,
        '--throw-on-error',
        '--debug',
        '--console-level',
        'debug',
        '--log-file',
        log,
        '--log-level',
        'debug',
      ],
      { env: sandboxEnv(sandbox) },
    );
    assert.equal(run.code, 1);
    assert.match(run.stderr, /HTTP 404/);
    assert.match(run.stderr, /access_token=\[REDACTED\]&api_key=\[REDACTED\]/);
    const text = readFileSync(log, 'utf8');
    assert.match(text, /access_token=\[REDACTED\]/);
    for (const [where, output] of [
      ['stderr', run.stderr],
      ['stdout', run.stdout],
      ['log file', text],
    ]) {
      assert.ok(!output?.includes(TOKEN), `the token is in the ${where}: ${output}`);
      assert.ok(!output?.includes(sandbox.secretKey), `the secret key is in the ${where}`);
    }
  });
});
