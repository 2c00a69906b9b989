/**
 * Edges of the CLI's usage and exit codes (decisions.md 4: "Exit codes. 0 ok, 1 error, 2 usage"; docs/cli.md: exit 2 is "a bad
 * flag value, flags that contradict each other, a filter the listing lacks"):
 * Each was a defect found in a review:
 * - a `--modified-since` value the flag's parser let through but the SDK refuses ended with exit 1
 *   and the SDK's method name (`setModifiedSince: …`), not the usage error naming the flag;
 * - the filter flags were checked only after the connection settings, so a usage error became exit 1
 *   ("no API base URL") when a setting was also missing;
 * - `sync --output -` whose reader went away ended with exit 0 and, under `--verbose`, no line at
 *   all, although nothing was delivered and the state did not move;
 * - a flag that is not repeatable, given twice, silently dropped its first value (`--type host
 *   --type address` lists addresses only, where a repeated filter flag ORs its values);
 * - `--sandbox` sent its loopback requests through `http_proxy` from the environment.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Capture, runInProcess, useCliSandbox } from './in-process.js';

/** A stdout whose reader goes away after the first chunk, as `| head -1` does. */
class ClosesAfterFirstChunk extends Writable {
  chunks = 0;
  isTTY = false;
  override _write(_chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks += 1;
    if (this.chunks === 1) callback();
    else callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  }
}

describe('CLI usage edges', () => {
  const cli = useCliSandbox('tc-cli-usage-');
  const { folder } = cli;

  for (const value of ['2015-06-01 00:00:00', '2015-02-30T00:00:00Z']) {
    it(`--modified-since '${value}' is a usage error naming the flag (exit 2)`, async () => {
      const run = await runInProcess(['indicators', '--modified-since', value], { env: cli.env });
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /--modified-since/, run.stderr);
      assert.doesNotMatch(run.stderr, /setModifiedSince/, run.stderr);
      assert.equal(run.code, 2, run.stderr);
    });
  }

  it('a filter the listing lacks is exit 2 even when a connection setting is missing', async () => {
    for (const args of [
      ['indicators', '--type', 'host', '--signature-id', '3'],
      ['indicators', '--pf-rating', '9'],
      ['groups', 'all', '--id', '3'],
      ['sync', '--state', folder.file('filters.state'), '--dry-run', '--type', 'host', '--signature-id', '3'],
    ]) {
      const run = await runInProcess(args, { env: {} });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /no API base URL/, run.stderr);
    }
  });

  it('sync --output - to a reader that went away is not "ok" (exit 0) with nothing said', async () => {
    const state = folder.file('pipe.state');
    const stdout = new ClosesAfterFirstChunk();
    const stderr = new Capture();
    const run = await runInProcess(
      ['sync', '--state', state, '--output', '-', '--verbose', '--result-limit', '10'],
      {
        env: cli.env,
        stdout: stdout as unknown as Capture,
        stderr,
      },
    );
    // The reader took one chunk of the run's lines; the rest was never delivered.
    assert.ok(stdout.chunks >= 2, 'the run wrote more than one chunk');
    const advanced = existsSync(state);
    assert.ok(
      advanced || run.code !== 0,
      `exit ${run.code}, state ${advanced ? 'advanced' : 'not advanced'}, stderr ${JSON.stringify(run.stderr)}`,
    );
  });

  it('--type given twice is not silently reduced to its last value', async () => {
    const run = await runInProcess(['indicators', '--type', 'host', '--type', 'address', '--limit', '5'], {
      env: cli.env,
    });
    const types = new Set(
      run.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { type: string }).type),
    );
    // Refused: `--type` takes one value.
    assert.equal(run.code, 2, `exit ${run.code}, types ${[...types].join(',')}`);
    assert.match(run.stderr, /^error: option '--type <type>' is given more than once; it takes one value$/m);
    assert.equal(run.stdout, '');
  });

  it('--sandbox does not send its loopback requests through http_proxy', async () => {
    const run = await runInProcess(['owners', '--sandbox', '--retries', '0'], {
      env: { http_proxy: 'http://127.0.0.1:9' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Example Org/);
  });

  it('an access id with a line break is refused at once, not retried as an unreachable server', async () => {
    const run = await runInProcess(['owners', '--access-id', 'ID\nX'], { env: cli.env });
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      'threatconnect owners: --access-id must be a string without control characters (it goes in the Authorization header), got "ID\\nX"\n',
    );
    assert.doesNotMatch(run.stderr, /cannot reach|unreachable/);
  });

  it('a file flag with an empty value is a usage error naming the flag', async () => {
    for (const [args, flag] of [
      [['indicators', '--output', ''], '--output <file>'],
      [['indicators', '--report-json', ''], '--report-json <file>'],
      [['sync', '--state', ''], '--state <file>'],
    ] as const) {
      const run = await runInProcess([...args], { env: cli.env });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(
        run.stderr,
        new RegExp(`^error: option '${flag}' needs a file name, got an empty value$`, 'm'),
      );
    }
  });
});
