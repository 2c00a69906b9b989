/**
 * `threatconnect sync` in-process against a sandbox: quiet success and `--verbose`, the per-run files,
 * the delete events, `--dry-run` leaving the state untouched, the lock (exit 3, stale lock taken over),
 * tag filters whose listing ignores modifiedSince, `--report-json`, usage errors (exit 2), state and
 * connection errors (exit 1), and an interrupt (130, no file, state unchanged).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RequestObject, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { acquireLock } from '../../../src/sync/lock.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { jsonLines, runInProcess, sandboxEnv, tempFolder } from '../cli/in-process.js';
import { STACK_LINE } from '../cli/support.js';
import { DEAD_PID } from './support.js';

const COMMUNITY = 'Example Community';

describe('threatconnect sync', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-sync-');
  let counter = 0;
  /** A fresh state and output base for one test. */
  const names = () => {
    counter += 1;
    return { state: folder.file(`s${counter}.state`), output: folder.file(`t${counter}.jsonl`) };
  };
  const sync = (args: string[], options: { interrupt?: AbortSignal } = {}) =>
    runInProcess(['sync', '--owner', COMMUNITY, ...args], { env, ...options });

  async function write(method: string, uri: string, body?: unknown): Promise<void> {
    const ro = new RequestObject().setHttpMethod(method).setRequestUri(uri).setOwner(COMMUNITY);
    if (body !== undefined) ro.setBody(JSON.stringify(body)).setContentType('application/json');
    await tc.apiRequest(ro, { throwOnError: true });
  }

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 40 });
    tc = clientFor(sandbox);
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
    folder.remove();
  });

  it('is quiet on success, writes one new file per run that delivers, and none for a run with nothing new', async () => {
    const { state, output } = names();
    const first = await sync(['--state', state, '--output', output]);
    assert.deepEqual([first.code, first.stdout, first.stderr], [0, '', '']);
    const file1 = output.replace(/\.jsonl$/, '.000001.jsonl');
    const all = jsonLines(readFileSync(file1, 'utf8'));
    assert.ok(all.length > 40, String(all.length));
    assert.ok(all.every((r) => r.ownerName === COMMUNITY));

    const nothing = await sync(['--state', state, '--output', output, '--verbose']);
    assert.equal(nothing.code, 0);
    assert.match(
      nothing.stderr,
      /^threatconnect sync: run 2 since \S+Z: 0 change\(s\), 0 deletion\(s\) to deliver; \d+ already delivered skipped; next checkpoint \S+Z\n$/,
    );
    assert.equal(existsSync(output.replace(/\.jsonl$/, '.000002.jsonl')), false);

    await write('POST', '/v2/indicators/hosts', { hostName: 'sync-cli-1.example.com', rating: 2 });
    const third = await sync(['--state', state, '--output', output, '--verbose']);
    const file3 = output.replace(/\.jsonl$/, '.000003.jsonl');
    assert.match(
      third.stderr,
      new RegExp(`: 1 change\\(s\\), 0 deletion\\(s\\) written to ${file3.replace(/[.]/g, '\\.')};`),
    );
    assert.deepEqual(
      jsonLines(readFileSync(file3, 'utf8')).map((r) => r.summary),
      ['sync-cli-1.example.com'],
    );
    assert.deepEqual(
      folder.list().filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
      [],
    );
  });

  it('never replaces a published file: a reset state stops before writing, exit 1, the file as it was', async () => {
    const { state, output } = names();
    const first = await sync(['--state', state, '--output', output]);
    assert.equal(first.code, 0, first.stderr);
    const file1 = output.replace(/\.jsonl$/, '.000001.jsonl');
    const published = readFileSync(file1, 'utf8');
    // The state is lost (deleted, or a new one given) while the collector has not taken the file.
    rmSync(state);
    const again = await sync(['--state', state, '--output', output]);
    assert.deepEqual(
      { code: again.code, stdout: again.stdout, stderr: again.stderr },
      {
        code: 1,
        stdout: '',
        stderr: `threatconnect sync: ${file1} exists, and a published file is never replaced: the state is at run 0, so it is not the state that published that file (a new or reset state?). Move the published files away, or give another --output\n`,
      },
    );
    assert.equal(readFileSync(file1, 'utf8'), published);
    assert.deepEqual(
      folder.list().filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
      [],
    );
    // Once the collector has taken the file, the new state publishes its own run 1.
    rmSync(file1);
    const after = await sync(['--state', state, '--output', output]);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(readFileSync(file1, 'utf8').split('\n').length, published.split('\n').length);
  });

  it('emits delete events with --deletions, from the second run on', async () => {
    const { state } = names();
    const output = folder.file(`d${counter}.cef`);
    await write('POST', '/v2/indicators/hosts', { hostName: 'sync-del.example.com' });
    const first = await sync(['--state', state, '--format', 'cef', '--deletions', '--output', output]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(!readFileSync(output.replace(/\.cef$/, '.000001.cef'), 'utf8').includes('act=delete'));
    await write('DELETE', '/v2/indicators/hosts/sync-del.example.com');
    const second = await sync(['--state', state, '--format', 'cef', '--deletions', '--output', output]);
    assert.equal(second.code, 0, second.stderr);
    const lines = readFileSync(output.replace(/\.cef$/, '.000002.cef'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0] ?? '',
      /^CEF:0\|threatconnect\|threatconnect\|2\|delete\|Host indicator deleted\|0\|act=delete cat=Host dhost=sync-del\.example\.com cs1Label=ownerName cs1=Example Community deviceCustomDate1Label=dateAdded deviceCustomDate1=\d+$/,
    );
    // Delivered once: a third run has nothing.
    const third = await sync(['--state', state, '--format', 'cef', '--deletions', '--output', output]);
    assert.equal(third.code, 0);
    assert.equal(existsSync(output.replace(/\.cef$/, '.000003.cef')), false);
  });

  it('--dry-run prints what would be sent and leaves the state, the lock and the output folder as they were', async () => {
    const { state, output } = names();
    const fresh = await sync(['--state', state, '--dry-run']);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.ok(jsonLines(fresh.stdout).length > 40);
    assert.equal(existsSync(state), false, 'no state made by a dry run');
    await sync(['--state', state, '--output', output]);
    const stateBefore = readFileSync(state);
    const filesBefore = folder.list();
    await write('POST', '/v2/indicators/hosts', { hostName: 'sync-dry.example.com' });
    const dry = await sync(['--state', state, '--output', output, '--dry-run', '--verbose']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(
      jsonLines(dry.stdout).map((r) => r.summary),
      ['sync-dry.example.com'],
    );
    assert.match(
      dry.stderr,
      /1 change\(s\), 0 deletion\(s\) printed \(dry run: nothing delivered, state unchanged\)/,
    );
    assert.deepEqual(readFileSync(state), stateBefore);
    assert.deepEqual(folder.list(), filesBefore);
    // The real run still delivers it.
    await sync(['--state', state, '--output', output]);
    assert.deepEqual(
      jsonLines(readFileSync(output.replace(/\.jsonl$/, '.000002.jsonl'), 'utf8')).map((r) => r.summary),
      ['sync-dry.example.com'],
    );
  });

  it('exits 3 while another run holds the lock, and takes over a stale lock', async () => {
    const { state, output } = names();
    const held = await acquireLock(`${state}.lock`);
    const refused = await sync(['--state', state, '--output', output]);
    await held.release();
    assert.equal(refused.code, 3);
    assert.match(
      refused.stderr,
      new RegExp(
        `^threatconnect sync: another sync holds the lock ${state.replace(/[.]/g, '\\.')}\\.lock \\(pid ${process.pid} on .*\\); if that run is gone for good, remove the file\\n$`,
      ),
    );
    assert.equal(existsSync(state), false);
    writeFileSync(
      `${state}.lock`,
      JSON.stringify({ pid: DEAD_PID, host: os.hostname(), startedAt: 'x', procStart: null, token: 't' }),
    );
    const taken = await sync(['--state', state, '--output', output, '--verbose']);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(
      taken.stderr,
      new RegExp(
        `^threatconnect sync: took over a stale lock \\(pid ${DEAD_PID} on .*\\): process ${DEAD_PID} is gone\\n`,
      ),
    );
    assert.equal(existsSync(`${state}.lock`), false);
  });

  it('with --tag (a listing without modifiedSince) delivers only what changed since the last run', async () => {
    const { state, output } = names();
    const first = await sync(['--state', state, '--tag', 'APT', '--output', output]);
    assert.equal(first.code, 0, first.stderr);
    await write('PUT', '/v2/indicators/addresses/10.20.30.40', { rating: 4 });
    const second = await sync(['--state', state, '--tag', 'APT', '--output', output]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      jsonLines(readFileSync(output.replace(/\.jsonl$/, '.000002.jsonl'), 'utf8')).map((r) => r.summary),
      ['10.20.30.40'],
    );
  });

  it('--report-json holds the client report and the run summary', async () => {
    const { state, output } = names();
    const report = folder.file(`r${counter}.json`);
    const r = await sync(['--state', state, '--output', output, '--report-json', report]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      version: number;
      apiCalls: number;
      sync: Record<string, unknown>;
    };
    assert.equal(json.version, 1);
    assert.ok(json.apiCalls >= 2);
    assert.equal(json.sync.seq, 1);
    assert.equal(json.sync.output, output.replace(/\.jsonl$/, '.000001.jsonl'));
  });

  it('usage errors exit 2 with a line naming the flag', async () => {
    const { state, output } = names();
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['--output', output], /required option '--state <file>' not specified/],
      [['--state', state], /^error: sync needs --output FILE or --syslog URL \(or --dry-run\)$/m],
      [
        ['--state', state, '--output', output, '--syslog', 'tcp://127.0.0.1:601'],
        /^error: sync takes --output FILE or --syslog URL, not both$/m,
      ],
      [
        ['--state', state, '--syslog', 'tcp://127.0.0.1:601', '--format', 'csv'],
        /^error: --format csv cannot go to --syslog: use cef, leef, keyval, jsonl \(one message per record\)$/m,
      ],
      [
        ['--state', state, '--output', output, '--client-key', 'k.pem'],
        /^error: --client-key needs --syslog$/m,
      ],
      [
        ['--state', state, '--output', output, '--overlap', '-5'],
        /--overlap must be an integer from 0 to 2592000/,
      ],
      [
        ['--state', state, '--output', output, '--format', 'json'],
        /argument 'json' is invalid\. Allowed choices are cef, leef, keyval, csv, jsonl/,
      ],
      [
        ['--state', state, '--output', output],
        /^error: TC_SYNC_TEST_KILL_AT must be one of after-lock, .*; got nowhere$/m,
        { TC_SYNC_TEST_KILL_AT: 'nowhere' },
      ],
    ];
    for (const [args, message, extra] of cases) {
      const r = await runInProcess(['sync', ...args], { env: { ...env, ...extra } });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(existsSync(state), false);
  });

  it('a state made for other filters, or not a state, is one line and exit 1; so is an unreachable server', async () => {
    const { state, output } = names();
    assert.equal((await sync(['--state', state, '--output', output])).code, 0);
    const other = await sync(['--state', state, '--output', output, '--tag', 'APT']);
    assert.equal(other.code, 1);
    assert.equal(
      other.stderr,
      `threatconnect sync: the state ${state} was made for other filters, format or --deletions ({"format":"jsonl","owner":["Example Community"]}); use a new --state file for a new selection\n`,
    );
    const broken = folder.file(`broken${counter}.state`, '{"version":1,"selection":');
    const bad = await sync(['--state', broken, '--output', output]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^threatconnect sync: the state .* is not JSON: .*\n$/);
    const down = await runInProcess(
      ['sync', '--state', folder.file('down.state'), '--output', output, '--retries', '0'],
      {
        env: { ...env, TC_API_BASE_URL: 'http://127.0.0.1:9/api' },
      },
    );
    assert.equal(down.code, 1);
    assert.equal(down.stderr.split('\n').length, 2, down.stderr);
    assert.match(down.stderr, /^threatconnect sync: cannot reach http:\/\/127\.0\.0\.1:9\/api/);
    assert.doesNotMatch(down.stderr, STACK_LINE);
  });

  it('an interrupt exits 130, leaves no output file and the state as it was', async () => {
    const { state, output } = names();
    const controller = new AbortController();
    controller.abort();
    const r = await sync(['--state', state, '--output', output], { interrupt: controller.signal });
    assert.equal(r.code, 130);
    assert.equal(r.stderr, 'threatconnect sync: interrupted\n');
    assert.equal(existsSync(state), false);
    assert.deepEqual(
      folder.list().filter((f) => f.startsWith(path.basename(output, '.jsonl'))),
      [],
    );
  });
});
