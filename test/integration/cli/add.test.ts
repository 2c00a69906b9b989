/**
 * `threatconnect add indicator` (one value, and `--from-file`) and `add group` against a sandbox,
 * in-process: what is printed, what the sandbox then holds, usage errors (exit 2) and SDK errors
 * (exit 1, one line).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseIndicatorFile } from '../../../src/cli/commands/add.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { requestLog, resetSandbox } from '../client/support.js';
import { Capture, jsonLines, runInProcess, sandboxEnv, tempFolder } from './in-process.js';

describe('threatconnect add', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-add-');
  const cli = (args: string[]) => runInProcess(args, { env });
  /** The sandbox's answer to a GET, parsed. */
  const get = async (uri: string): Promise<Record<string, unknown>> => {
    const result = await cli(['request', 'GET', uri]);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  const tagsOf = async (uri: string, owner = 'Example Org'): Promise<string[]> => {
    const result = await cli(['request', 'GET', `${uri}/tags`, '--owner', owner]);
    const body = JSON.parse(result.stdout) as { data?: { tag?: { name: string }[] } };
    return (body.data?.tag ?? []).map((t) => t.name).sort();
  };

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 10 });
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('add indicator creates it with its rating, confidence, description, tags and label', async () => {
    const result = await cli([
      'add',
      'indicator',
      '10.77.1.2',
      '--rating',
      '3',
      '--confidence',
      '80',
      '--description',
      'seen in phishing',
      '--tag',
      'APT',
      '--tag',
      'Phish',
      '--security-label',
      'TLP Red',
      '--owner',
      'Example Community',
    ]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const [printed] = jsonLines(result.stdout);
    assert.ok(printed !== undefined);
    assert.equal(typeof printed.id, 'number');
    assert.deepEqual(
      {
        type: printed.type,
        summary: printed.summary,
        ownerName: printed.ownerName,
        rating: printed.rating,
        confidence: printed.confidence,
        description: printed.description,
      },
      {
        type: 'Address',
        summary: '10.77.1.2',
        ownerName: 'Example Community',
        rating: 3,
        confidence: 80,
        description: 'seen in phishing',
      },
    );
    const stored = await get('/v2/indicators/addresses/10.77.1.2?owner=Example%20Community');
    const address = (stored.data as { address: Record<string, unknown> }).address;
    assert.equal(address.rating, 3);
    assert.equal(address.confidence, 80);
    assert.deepEqual(await tagsOf('/v2/indicators/addresses/10.77.1.2', 'Example Community'), [
      'APT',
      'Phish',
    ]);
    const labels = await cli([
      'request',
      'GET',
      '/v2/indicators/addresses/10.77.1.2/securityLabels',
      '--owner',
      'Example Community',
    ]);
    assert.match(labels.stdout, /"TLP Red"/);
  });

  it('--type skips detection; a value no type matches is one line, exit 1, nothing sent', async () => {
    const typed = await cli(['add', 'indicator', 'bad.example.com', '--type', 'host']);
    assert.equal(typed.code, 0, typed.stderr);
    assert.equal(jsonLines(typed.stdout)[0]?.type, 'Host');
    await resetSandbox(sandbox);
    const bad = await cli(['add', 'indicator', 'not an indicator']);
    assert.deepEqual(
      { code: bad.code, stdout: bad.stdout, lines: bad.stderr.split('\n').length },
      { code: 1, stdout: '', lines: 2 },
    );
    assert.match(bad.stderr, /^threatconnect add indicator: "not an indicator" is not a valid indicator/);
    // The advice names the CLI's flag, not the SDK's calls.
    assert.match(bad.stderr, / \(give --type to skip detection\)\n$/);
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it("a group type's required fields are named by their flags, before any request (exit 2)", async () => {
    const cases: [string[], string][] = [
      [['add', 'group', 'incidents', 'Breach2'], 'error: incidents need --event-date'],
      [['add', 'group', 'documents', 'Doc'], 'error: documents need --file-name'],
      [
        ['add', 'group', 'signatures', 'Rule', '--file-type', 'YARA'],
        'error: signatures need --file-name, --file-text',
      ],
      [['add', 'group', 'emails', 'Mail', '--subject', 's'], 'error: emails need --header, --body'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      assert.deepEqual(
        { code: result.code, stdout: result.stdout, stderr: result.stderr },
        {
          code: 2,
          stdout: '',
          stderr: `${message}\n(threatconnect add group --help lists the options)\n`,
        },
        args.join(' '),
      );
    }
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('a stdout whose reader went away is not an error; a stdout that cannot be written is exit 1', async () => {
    /** A stdout whose every write fails with `code`, as a closed pipe (EPIPE) or a full disk (ENOSPC). */
    class FailingStdout extends Capture {
      constructor(readonly code: string) {
        super();
      }
      override _write(
        _chunk: Buffer,
        _encoding: BufferEncoding,
        callback: (error?: Error | null) => void,
      ): void {
        callback(Object.assign(new Error(`write ${this.code}`), { code: this.code }));
      }
    }
    const closed = await runInProcess(['add', 'indicator', '10.7.7.1'], {
      env,
      stdout: new FailingStdout('EPIPE'),
    });
    assert.deepEqual({ code: closed.code, stderr: closed.stderr }, { code: 0, stderr: '' });
    const full = await runInProcess(['add', 'group', 'threats', 'Stdout full'], {
      env,
      stdout: new FailingStdout('ENOSPC'),
    });
    assert.deepEqual(
      { code: full.code, stderr: full.stderr },
      { code: 1, stderr: 'threatconnect: cannot write to stdout: write ENOSPC\n' },
    );
    const help = await runInProcess(['add', 'indicator', '--help'], { stdout: new FailingStdout('EPIPE') });
    assert.deepEqual({ code: help.code, stderr: help.stderr }, { code: 0, stderr: '' });
    // Both were created all the same.
    assert.equal(jsonLines((await cli(['indicators', '--indicator', '10.7.7.1'])).stdout).length, 1);
  });

  it('bad flags are usage errors (exit 2) before any request', async () => {
    const cases = [
      ['add', 'indicator', '10.1.1.1', '--rating', '6'],
      ['add', 'indicator', '10.1.1.1', '--confidence', '101'],
      ['add', 'indicator', '10.1.1.1', '--type', 'ip'],
      ['add', 'indicator'],
      ['add', 'indicator', '10.1.1.1', '--from-file', 'x.csv'],
      ['add', 'group', 'people', 'Name'],
      ['add', 'group', 'threats', 'Name', '--subject', 'x'],
      ['add', 'group', 'incidents', 'Name', '--event-date', 'yesterday'],
    ];
    for (const args of cases) {
      const result = await cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '', args.join(' '));
    }
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('add group creates each type with its own fields and tags', async () => {
    const runs = [
      ['adversaries', 'Bad Guy', '--tag', 'APT'],
      ['incident', 'Breach', '--event-date', '2024-01-31T00:00:00Z'],
      ['signatures', 'Rule 1', '--file-name', 'r1.yar', '--file-type', 'YARA', '--file-text', 'rule r1 {}'],
      [
        'emails',
        'Mail',
        '--subject',
        'Hi',
        '--header',
        'From: a',
        '--body',
        'text',
        '--from',
        'a@example.com',
      ],
    ];
    for (const args of runs) {
      const result = await cli(['add', 'group', ...args]);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      const [group] = jsonLines(result.stdout);
      assert.equal(group?.name, args[1]);
      assert.equal(typeof group?.id, 'number');
    }
    const created = await cli(['groups', 'adversaries', '--tag', 'APT']);
    assert.ok(jsonLines(created.stdout).some((g) => g.name === 'Bad Guy'));
    // A required field missing is a usage error naming the flag (next test).
  });

  it('--from-file: the good rows are committed, the bad ones reported with line and reason, exit 1', async () => {
    const file = folder.file('rows.csv');
    writeFileSync(
      file,
      [
        '# indicators to add',
        'value,type,rating,confidence,description,tags,owner',
        '10.88.0.1,address,2,50,first,a;b,',
        'not an indicator,,,,,,',
        '10.88.0.2,,9,,,,',
        'evil.example.com,host,,,"quoted, with comma",c,Example Community',
        '10.88.0.3,house,,,,,',
        '"unterminated,,,',
        '',
        'x.example.org',
        '1.2.3.4,address,,,,,Example Org,extra',
      ].join('\n'),
    );
    // One of them exists already: an update.
    assert.equal((await cli(['add', 'indicator', 'x.example.org'])).code, 0);
    const result = await cli(['add', 'indicator', '--from-file', file, '--tag', 'bulk']);
    assert.equal(result.code, 1);
    assert.deepEqual(
      jsonLines(result.stdout).map((r) => r.summary),
      ['10.88.0.1', 'evil.example.com', 'x.example.org'],
    );
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'threatconnect add indicator: 2 created, 1 updated, 5 failed (8 rows)');
    assert.deepEqual(
      lines.slice(1).map((l) => /^ {2}line (\d+): /.exec(l)?.[1]),
      ['4', '5', '7', '8', '11'],
    );
    assert.match(lines[2] ?? '', /rating must be a number from 0 to 5, got "9"/);
    assert.match(lines[3] ?? '', /unknown type "house"/);
    // What the sandbox holds.
    const first = await get('/v2/indicators/addresses/10.88.0.1');
    const address = (first.data as { address: Record<string, unknown> }).address;
    assert.deepEqual([address.rating, address.confidence, address.description], [2, 50, 'first']);
    assert.deepEqual(await tagsOf('/v2/indicators/addresses/10.88.0.1'), ['a', 'b', 'bulk']);
    const host = await get('/v2/indicators/hosts/evil.example.com?owner=Example%20Community');
    assert.equal((host.data as { host: Record<string, unknown> }).host.description, 'quoted, with comma');
    const missing = await cli(['request', 'GET', '/v2/indicators/addresses/10.88.0.2']);
    assert.match(missing.stdout, /not found/);
  });

  it('--from-file shows progress only on a terminal stderr, then the summary', async () => {
    const file = folder.file('progress.txt', '10.99.0.1\n10.99.0.2\n');
    const plain = await cli(['add', 'indicator', '--from-file', file]);
    assert.equal(plain.stderr, 'threatconnect add indicator: 2 created, 0 updated, 0 failed (2 rows)\n');
    assert.equal(plain.code, 0);
    const tty = await runInProcess(['add', 'indicator', '--from-file', file], {
      env,
      stderr: new Capture(true),
    });
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stderr, /rows \[.*\] \d\/2 /);
    assert.match(tty.stderr, /0 created, 2 updated, 0 failed \(2 rows\)\n$/);
  });

  it('--from-file interrupted: the summary says where it stopped, exit 130', async () => {
    const file = folder.file('interrupt.txt', '10.98.0.1\n10.98.0.2\n10.98.0.3\n10.98.0.4\n');
    const controller = new AbortController();
    /** Fires the interrupt once the first indicator is printed. */
    class AbortingCapture extends Capture {
      override _write(
        chunk: Buffer,
        encoding: BufferEncoding,
        callback: (error?: Error | null) => void,
      ): void {
        super._write(chunk, encoding, callback);
        controller.abort();
      }
    }
    const result = await runInProcess(['add', 'indicator', '--from-file', file], {
      env,
      stdout: new AbortingCapture(),
      interrupt: controller.signal,
    });
    assert.equal(result.code, 130);
    assert.equal(jsonLines(result.stdout).length, 1);
    assert.equal(
      result.stderr,
      'threatconnect add indicator: 1 created, 0 updated, 0 failed (4 rows); interrupted, 3 rows not attempted\n' +
        'threatconnect add indicator: interrupted\n',
    );
  });

  it('parseIndicatorFile reads plain lines, CSV without a header, comments and problems', () => {
    const parsed = parseIndicatorFile('\uFEFF10.0.0.1\r\n  # comment\n10.0.0.2,address,1\n,host\n');
    assert.deepEqual(parsed.rows, [
      { line: 1, fields: { value: '10.0.0.1' } },
      { line: 3, fields: { value: '10.0.0.2', type: 'address', rating: '1' } },
    ]);
    assert.deepEqual(parsed.problems, [{ line: 4, reason: 'no value' }]);
  });
});
