/**
 * `threatconnect indicators` against a sandbox, in-process: the records and their JSON views, every
 * filter flag reaching its URI, OR within a flag and AND across flags, post filters with every
 * operator, usage errors naming the flag, `--limit`, the formats not built yet, `--report` and
 * `--report-json`, `--output` written whole or not at all, an interrupt, and the progress counter.
 */
import assert from 'node:assert/strict';
import { OBSERVED } from '../../unit/formats/fixtures/vectors.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { requestLog, resetSandbox, setFaults, setRules } from '../client/support.js';
import { Capture, jsonLines, runInProcess, sandboxEnv, tempFolder } from './in-process.js';

const COMMUNITY = 'Example Community';

/** A request target as `path?sorted&params`, without the `/api` prefix and `createActivityLog`. */
function norm(target: string): string {
  const [path = '', query = ''] = target.replace(/^\/api/, '').split('?');
  const params = query
    .split('&')
    .filter((p) => p !== '' && !p.startsWith('createActivityLog='))
    .sort();
  return params.length === 0 ? path : `${path}?${params.join('&')}`;
}

interface View {
  id: number;
  type: string;
  rating: number | null;
  confidence: number | null;
  dateAdded: string | null;
  lastModified: string | null;
  threatAssessRating: number | null;
  threatAssessConfidence: number | null;
}

describe('threatconnect indicators', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-indicators-');
  const run = (args: string[]) => runInProcess(['indicators', ...args], { env });
  /**
   * The request targets logged since the last reset, without `/api` and `createActivityLog`, with the
   * query parameters sorted (their order is the SDK's business, not the CLI's).
   */
  const targets = async (): Promise<string[]> =>
    (await requestLog(sandbox)).map((entry) => norm(entry.target));

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

  it('prints one JSON object per line: the plain view of each indicator', async () => {
    const result = await run(['--owner', COMMUNITY, '--tag', 'APT']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = jsonLines(result.stdout);
    const ids = lines.map((l) => l.id);
    for (const id of [355999, 356001, 356002, 356003, 356004]) assert.ok(ids.includes(id), `has ${id}`);
    assert.deepEqual(
      lines.find((l) => l.id === 355999),
      {
        id: 355999,
        type: 'Host',
        summary: 'www.badguy_014.com',
        ownerName: COMMUNITY,
        dateAdded: '2015-06-21T10:40:33-05:00',
        lastModified: '2015-06-21T10:40:33-05:00',
        rating: 1,
        confidence: 14,
        threatAssessRating: null,
        threatAssessConfidence: null,
        description: 'TEST attribute #14',
        webLink:
          'https://tc.sumx.us/auth/indicators/details/host.xhtml?host=www.badguy_014.com&owner=Example+Community',
        hostName: 'www.badguy_014.com',
      },
    );
    const common = Object.keys(lines[0] ?? {}).slice(0, 12);
    for (const line of lines) assert.deepEqual(Object.keys(line).slice(0, 12), common);
    const file = lines.find((l) => l.id === 356002);
    assert.ok(file !== undefined);
    assert.equal(file.type, 'File');
    assert.ok(['md5', 'sha1', 'sha256'].some((hash) => typeof file[hash] === 'string'));
  });

  it('--format json prints one JSON array of the same objects', async () => {
    const jsonl = await run(['--owner', COMMUNITY, '--tag', 'APT']);
    const json = await run(['--owner', COMMUNITY, '--tag', 'APT', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), jsonLines(jsonl.stdout));
    assert.match(json.stdout, /^\[\n\{.*\},\n\{/);
    assert.ok(json.stdout.endsWith('}\n]\n'));
    const none = await run(['--owner', COMMUNITY, '--tag', 'NO-SUCH-TAG', '--format', 'json']);
    assert.deepEqual({ code: none.code, stdout: none.stdout }, { code: 0, stdout: '[]\n' });
  });

  it('every API filter flag reaches its URI, with the owner where the API takes one', async () => {
    const owner = 'owner=Example+Community';
    const all = await run([
      '--owner',
      COMMUNITY,
      '--tag',
      'APT',
      '--security-label',
      'TLP Red',
      '--indicator',
      '10.20.30.40',
      '--adversary-id',
      '5',
      '--campaign-id',
      '11',
      '--email-id',
      '12',
      '--incident-id',
      '13',
      '--signature-id',
      '14',
      '--threat-id',
      '38',
      '--victim-id',
      '10',
      '--task-id',
      '15',
    ]);
    assert.equal(all.code, 0, all.stderr);
    const sent = await targets();
    const expected = [
      `/v2/tags/APT/indicators?${owner}&resultLimit=200&resultStart=0`,
      `/v2/securityLabels/TLP%20Red/indicators?${owner}&resultLimit=200&resultStart=0`,
      `/v2/indicators/addresses/10.20.30.40?${owner}`,
      '/v2/groups/adversaries/5/indicators?resultLimit=200&resultStart=0',
      '/v2/groups/campaigns/11/indicators?resultLimit=200&resultStart=0',
      '/v2/groups/emails/12/indicators?resultLimit=200&resultStart=0',
      '/v2/groups/incidents/13/indicators?resultLimit=200&resultStart=0',
      '/v2/groups/signatures/14/indicators?resultLimit=200&resultStart=0',
      '/v2/groups/threats/38/indicators?resultLimit=200&resultStart=0',
      '/v2/victims/10/indicators?resultLimit=200&resultStart=0',
      `/v2/tasks/15/indicators?${owner}&resultLimit=200&resultStart=0`,
    ];
    for (const target of expected.map(norm))
      assert.ok(sent.includes(target), `${target} in ${sent.join(' ')}`);
    assert.equal(sent.length, expected.length, sent.join('\n'));

    // A typed listing, and the document pivot only typed listings have.
    await resetSandbox(sandbox);
    const typed = await run(['--type', 'host', '--document-id', '19', '--owner', COMMUNITY]);
    assert.equal(typed.code, 0, typed.stderr);
    assert.deepEqual(await targets(), [
      '/v2/groups/documents/19/indicators/hosts?resultLimit=200&resultStart=0',
    ]);
    await resetSandbox(sandbox);
    const plain = await run(['--type', 'url']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(await targets(), [
      '/v2/indicators/urls?owner=Example+Org&resultLimit=200&resultStart=0',
    ]);
    for (const line of jsonLines(plain.stdout)) assert.equal(line.type, 'URL');
  });

  it('--modified-since goes on the listing and keeps later indicators only', async () => {
    const result = await run(['--modified-since', '2020-01-01T00:00:00Z']);
    assert.equal(result.code, 0, result.stderr);
    const [target] = await targets();
    assert.equal(
      target,
      '/v2/indicators?modifiedSince=2020-01-01T00%3A00%3A00Z&resultLimit=200&resultStart=0',
    );
    const lines = jsonLines(result.stdout) as unknown as View[];
    assert.ok(lines.length > 0);
    for (const line of lines)
      assert.ok(Date.parse(line.lastModified ?? '') >= Date.parse('2020-01-01T00:00:00Z'));
  });

  it('a repeated flag ORs its values; different flags AND', async () => {
    const ids = async (args: string[]): Promise<Set<unknown>> => {
      const result = await run(['--owner', COMMUNITY, ...args]);
      assert.equal(result.code, 0, result.stderr);
      return new Set(jsonLines(result.stdout).map((l) => l.id));
    };
    const apt = await ids(['--tag', 'APT']);
    const example = await ids(['--tag', 'EXAMPLE']);
    assert.deepEqual(await ids(['--tag', 'APT', '--tag', 'EXAMPLE']), new Set([...apt, ...example]));
    const threat = await ids(['--threat-id', '38']);
    const red = await ids(['--security-label', 'TLP Red']);
    const both = await ids(['--threat-id', '38', '--security-label', 'TLP Red']);
    assert.deepEqual(both, new Set([...threat].filter((id) => red.has(id))));
    // decisions.md 2.5: at least two of threat 38's Example Community indicators carry TLP Red.
    assert.ok(both.size >= 2 && both.size < threat.size && both.size < red.size);
  });

  it('post filter flags take every operator; no operator means =', async () => {
    const tc = clientFor(sandbox);
    const container = tc.indicators();
    container.addFilter().addOwner(COMMUNITY);
    const base: View[] = [];
    for await (const i of container.stream()) {
      base.push({
        id: i.id,
        type: i.type,
        rating: i.rating ?? null,
        confidence: i.confidence ?? null,
        dateAdded: i.dateAdded ?? null,
        lastModified: i.lastModified ?? null,
        threatAssessRating: i.threatAssessRating ?? null,
        threatAssessConfidence: i.threatAssessConfidence ?? null,
      });
    }
    await tc.close();
    const compare = (a: number, op: string, b: number): boolean =>
      ({ '=': a === b, '': a === b, '!=': a !== b, '>': a > b, '>=': a >= b, '<': a < b, '<=': a <= b })[
        op
      ] ?? false;
    const instant = (value: string | null): number => Date.parse(value ?? '');
    const cases: [string, string, (v: View, op: string) => boolean][] = [
      ['--pf-rating', '3', (v, op) => v.rating !== null && compare(v.rating, op, 3)],
      ['--pf-confidence', '50', (v, op) => v.confidence !== null && compare(v.confidence, op, 50)],
      [
        '--pf-date-added',
        '2015-06-19T00:00:00-05:00',
        (v, op) =>
          v.dateAdded !== null && compare(instant(v.dateAdded), op, instant('2015-06-19T00:00:00-05:00')),
      ],
      [
        '--pf-last-modified',
        '2020-06-01T00:00:00Z',
        (v, op) =>
          v.lastModified !== null && compare(instant(v.lastModified), op, instant('2020-06-01T00:00:00Z')),
      ],
      [
        '--pf-threat-assess-rating',
        '2.5',
        (v, op) => v.threatAssessRating !== null && compare(v.threatAssessRating, op, 2.5),
      ],
      [
        '--pf-threat-assess-confidence',
        '50',
        (v, op) => v.threatAssessConfidence !== null && compare(v.threatAssessConfidence, op, 50),
      ],
    ];
    const operators = ['', '=', '!=', '>', '>=', '<', '<='];
    const runs = cases.flatMap(([flag, value, keep]) =>
      operators.map(async (op) => {
        const result = await run(['--owner', COMMUNITY, flag, `${op}${value}`]);
        assert.equal(result.code, 0, `${flag} ${op}${value}: ${result.stderr}`);
        const got = jsonLines(result.stdout).map((l) => l.id);
        const want = base.filter((v) => keep(v, op)).map((v) => v.id);
        assert.deepEqual(got, want, `${flag} ${op}${value}`);
        return want.length;
      }),
    );
    const counts = await Promise.all(runs);
    // Not vacuous: most operators keep some indicators and drop others.
    assert.ok(counts.filter((n) => n > 0 && n < base.length).length >= cases.length * 3, counts.join(','));

    // Two post filters are ANDed; a repeated one too (a range).
    const range = await run([
      '--owner',
      COMMUNITY,
      '--pf-rating',
      '>=2',
      '--pf-rating',
      '<4',
      '--pf-type',
      'Address',
    ]);
    assert.deepEqual(
      jsonLines(range.stdout).map((l) => l.id),
      base
        .filter((v) => v.rating !== null && v.rating >= 2 && v.rating < 4 && v.type === 'Address')
        .map((v) => v.id),
    );
    const notHosts = await run(['--owner', COMMUNITY, '--pf-type', '!=Host']);
    assert.deepEqual(
      jsonLines(notHosts.stdout).map((l) => l.id),
      base.filter((v) => v.type !== 'Host').map((v) => v.id),
    );
    // A built-in type name in any case is the API's name (`--type host` is lower case too); another
    // name, a custom type's, is compared as given.
    const hosts = base.filter((v) => v.type === 'Host').map((v) => v.id);
    assert.ok(hosts.length > 0);
    for (const name of ['host', 'HOST', 'Host']) {
      const got = await run(['--owner', COMMUNITY, '--pf-type', name]);
      assert.equal(got.code, 0, got.stderr);
      assert.deepEqual(
        jsonLines(got.stdout).map((l) => l.id),
        hosts,
        name,
      );
    }
    const emails = await run(['--owner', COMMUNITY, '--pf-type', '!=emailaddress']);
    assert.deepEqual(
      jsonLines(emails.stdout).map((l) => l.id),
      base.filter((v) => v.type !== 'EmailAddress').map((v) => v.id),
    );
    const asn = base.filter((v) => v.type === 'ASN').map((v) => v.id);
    assert.ok(asn.length > 0, 'the owner has custom ASN indicators');
    const exact = await run(['--owner', COMMUNITY, '--pf-type', 'ASN']);
    assert.deepEqual(
      jsonLines(exact.stdout).map((l) => l.id),
      asn,
    );
    const custom = await run(['--owner', COMMUNITY, '--pf-type', 'asn']);
    assert.deepEqual(jsonLines(custom.stdout), [], 'a custom name is exact: ASN items are not `asn`');
  });

  it('--pf-tag and --pf-attribute read tags and attributes with the items', async () => {
    const tagged = await run(['--owner', COMMUNITY, '--pf-tag', 'EXAMPLE']);
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.equal(jsonLines(tagged.stdout).length, 20); // decisions.md 2.5: EXAMPLE is on exactly 20
    const described = await run(['--owner', COMMUNITY, '--pf-attribute', 'Description', '--limit', '50']);
    assert.equal(described.code, 0, described.stderr);
    assert.ok(jsonLines(described.stdout).some((l) => l.id === 355999));
    const sent = await targets();
    assert.ok(
      sent.some((t) => t.includes('includeTags=true')),
      sent.join('\n'),
    );
    assert.ok(
      sent.some((t) => t.includes('includeAttributes=true')),
      sent.join('\n'),
    );
  });

  it('a bad post filter operator is a usage error naming the flag (exit 2)', async () => {
    const flags = [
      '--pf-date-added',
      '--pf-last-modified',
      '--pf-rating',
      '--pf-confidence',
      '--pf-threat-assess-rating',
      '--pf-threat-assess-confidence',
      '--pf-tag',
      '--pf-attribute',
      '--pf-type',
    ];
    const runs = flags.flatMap((flag) =>
      ['==3', '=>3', '<>3', '!3', '>'].map(async (value) => {
        const result = await run([flag, value]);
        assert.equal(result.code, 2, `${flag} ${value}`);
        assert.equal(result.stdout, '');
        const first = result.stderr.split('\n')[0] ?? '';
        assert.ok(first.startsWith(`error: option '${flag} <[op]`), first);
        assert.ok(first.includes(`'${value}' is invalid. ${flag} `), first);
      }),
    );
    await Promise.all(runs);
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('a filter the listing lacks, or a value the SDK refuses, is a usage error naming the flag', async () => {
    const cases: [string[], string][] = [
      [
        ['--type', 'host', '--signature-id', '1'],
        'error: --signature-id cannot be used with --type host (its filters: ',
      ],
      [['--document-id', '19'], 'error: --document-id cannot be used without --type (its filters: '],
      [['--pf-rating', '>9'], 'error: --pf-rating: "9" is not a rating from 0 to 5'],
      [['--pf-confidence', '101'], 'error: --pf-confidence: "101" is not an integer from 0 to 100'],
      [['--pf-date-added', 'yesterday'], 'error: --pf-date-added: "yesterday" is not a valid date'],
      [
        ['--indicator', 'not an indicator'],
        'error: --indicator: "not an indicator" is not a valid indicator',
      ],
      [
        ['--adversary-id', 'x'],
        "error: option '--adversary-id <id>' argument 'x' is invalid. --adversary-id must be an integer >= 0",
      ],
      [
        ['--modified-since', 'yesterday'],
        "error: option '--modified-since <iso>' argument 'yesterday' is invalid.",
      ],
      [
        ['--limit', '0'],
        "error: option '--limit <n>' argument '0' is invalid. --limit must be an integer >= 1",
      ],
      [
        ['--type', 'asn'],
        "error: option '--type <type>' argument 'asn' is invalid. Allowed choices are address, emailAddress, file, host, url.",
      ],
      [['--format', 'xml'], "error: option '--format <name>' argument 'xml' is invalid."],
      [['--tag', ' '], "error: option '--tag <name>' argument ' ' is invalid. --tag must not be empty"],
      [
        ['--result-limit', '501'],
        "error: option '--result-limit <n>' argument '501' is invalid. --result-limit must be an integer from 1 to 500",
      ],
      [['--retry-sleep', '-1'], "error: option '--retry-sleep <s>' argument '-1' is invalid."],
      [['--no-such-flag'], "error: unknown option '--no-such-flag'"],
      [['--secret-key', 'x'], "error: unknown option '--secret-key'"],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const result = await run(args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.equal(result.stdout, '');
        const first = result.stderr.split('\n')[0] ?? '';
        assert.ok(first.startsWith(message), `${args.join(' ')}:\n${first}\n${message}`);
        assert.match(result.stderr, /\(threatconnect indicators --help lists the options\)\n$/);
      }),
    );
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('--limit N prints N records and stops the stream, aborting the pages in flight', async () => {
    const all = await run(['--result-limit', '5']);
    const total = jsonLines(all.stdout).length;
    assert.ok(total > 100, `${total}`);
    await resetSandbox(sandbox);
    const limited = await run(['--limit', '7', '--result-limit', '5', '--concurrency', '1']);
    assert.equal(limited.code, 0, limited.stderr);
    assert.deepEqual(jsonLines(limited.stdout), jsonLines(all.stdout).slice(0, 7));
    const pages = (await targets()).filter((t) => t.startsWith('/v2/indicators?'));
    assert.ok(pages.length >= 2 && pages.length <= 4, pages.join('\n'));
  });

  it('--format csv, cef, leef and keyval print one line per indicator (compat: the original bytes)', async () => {
    const base = ['--owner', COMMUNITY, '--tag', 'APT'];
    const jsonl = await run([...base, '--format', 'jsonl']);
    assert.equal(jsonl.code, 0, jsonl.stderr);
    const count = jsonl.stdout.trimEnd().split('\n').length;
    const lines = (stdout: string) => stdout.replace(/\r?\n$/, '').split(/\r?\n/);
    const cef = await run([...base, '--format', 'cef']);
    assert.equal(cef.code, 0, cef.stderr);
    assert.equal(lines(cef.stdout).length, count);
    assert.ok(lines(cef.stdout).every((line) => line.startsWith('CEF:0|threatconnect|threatconnect|2|')));
    const leef = await run([...base, '--format', 'leef']);
    assert.ok(lines(leef.stdout).every((line) => line.startsWith('LEEF:1.0|threatconnect|threatconnect|2|')));
    const csv = await run([...base, '--format', 'csv']);
    assert.ok(csv.stdout.endsWith('\r\n'), 'RFC 4180: CRLF after every record');
    assert.equal(
      lines(csv.stdout)[0],
      'confidence,dateAdded,description,id,indicator,lastModified,ownerName,rating,type,weblink',
    );
    assert.equal(lines(csv.stdout).length, count + 1);
    const keyval = await run([...base, '--format', 'keyval']);
    assert.equal(lines(keyval.stdout).length, count);
    const compat = await run([...base, '--format', 'cef', '--compat', 'python-sdk']);
    assert.ok(lines(compat.stdout).includes(OBSERVED.cef[2]), 'record 355999 as the original printed it');
  });

  it('--report prints report.stats on stderr; --report-json writes report.toJSON()', async () => {
    const file = folder.file('report.json');
    const result = await run(['--owner', COMMUNITY, '--tag', 'APT', '--report', '--report-json', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^\n_+Stats_+\n/);
    assert.match(result.stderr, /\n {2}API Calls +1 /);
    assert.match(result.stderr, /\n {2}API Filters +1 /);
    const report = JSON.parse(readFileSync(file, 'utf8')) as {
      version: number;
      apiCalls: number;
      reporting: boolean;
      entries: { kind: string; url: string }[];
    };
    assert.equal(report.version, 1);
    assert.equal(report.apiCalls, 1);
    assert.equal(report.reporting, true);
    assert.match(report.entries[0]?.url ?? '', /\/v2\/tags\/APT\/indicators\?/);
    const lines = jsonLines(result.stdout).length;
    assert.match(result.stderr, new RegExp(`\\n {2}Filtered Results +${lines} `));
  });

  it('--output is written whole on success, and not at all on a failure', async () => {
    const target = folder.file('out.jsonl');
    const ok = await run(['--owner', COMMUNITY, '--output', target]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual({ stdout: ok.stdout, stderr: ok.stderr }, { stdout: '', stderr: '' });
    const expected = await run(['--owner', COMMUNITY]);
    assert.equal(readFileSync(target, 'utf8'), expected.stdout);
    // Over an existing file (moved aside, then removed): the new contents, and nothing else left.
    writeFileSync(target, 'old contents\n');
    const again = await run(['--owner', COMMUNITY, '--output', target]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(target, 'utf8'), expected.stdout);
    assert.deepEqual(
      folder.list().filter((f) => f !== 'report.json'),
      ['out.jsonl'],
    );

    // The third page fails (500 is not retried): the old file stays, no temporary file is left.
    writeFileSync(target, 'old contents\n');
    await setRules(sandbox, { kind: 'status', status: 500, every: 3, pathPrefix: '/v2/indicators' });
    const failed = await run(['--result-limit', '10', '--concurrency', '1', '--output', target]);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    assert.match(
      failed.stderr,
      /^threatconnect indicators: HTTP 500: The page at resultStart=20 failed: Injected fault 500 \(GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/indicators\?.*resultStart=20\)\n$/,
    );
    assert.equal(readFileSync(target, 'utf8'), 'old contents\n');
    const fresh = folder.file('fresh.jsonl');
    const failedFresh = await run(['--result-limit', '10', '--concurrency', '1', '--output', fresh]);
    assert.equal(failedFresh.code, 1);
    assert.deepEqual(
      folder.list().filter((f) => f !== 'report.json'),
      ['out.jsonl'],
    );

    const missing = folder.file('no-such-folder/out.jsonl');
    const noFolder = await run(['--output', missing]);
    assert.equal(noFolder.code, 1);
    assert.equal(
      noFolder.stderr,
      `threatconnect indicators: cannot write --output ${missing}: the directory ${folder.file('no-such-folder')} does not exist\n`,
    );
  });

  it('an interrupt stops the run, removes the partial --output file and exits 130', async () => {
    // Slow pages, so the run is still going when the interrupt comes.
    await setFaults(sandbox, { latencyMs: 50 });
    const sub = tempFolder('tc-cli-interrupt-');
    try {
      const controller = new AbortController();
      const target = `${sub.dir}/out.jsonl`;
      const running = runInProcess(
        ['indicators', '--result-limit', '5', '--concurrency', '1', '--output', target],
        {
          env,
          interrupt: controller.signal,
        },
      );
      // Bounded wait for the temporary file to hold a record, then interrupt.
      for (let i = 0; i < 600; i += 1) {
        const temp = sub.list().find((f) => f.endsWith('.tmp'));
        if (temp !== undefined && readFileSync(`${sub.dir}/${temp}`, 'utf8').includes('\n')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(
        sub.list().some((f) => f.endsWith('.tmp')),
        'the run was writing',
      );
      controller.abort();
      const result = await running;
      assert.deepEqual(
        { code: result.code, stdout: result.stdout, stderr: result.stderr },
        { code: 130, stdout: '', stderr: 'threatconnect indicators: interrupted\n' },
      );
      assert.deepEqual(sub.list(), []);
    } finally {
      sub.remove();
    }
  });

  it('shows a progress counter only on a terminal stderr, and not when the records go there too', async () => {
    const plain = await run(['--owner', COMMUNITY, '--tag', 'APT']);
    assert.equal(plain.stderr, '');
    const tty = new Capture(true);
    const target = folder.file('progress.jsonl');
    const shown = await runInProcess(['indicators', '--owner', COMMUNITY, '--output', target], {
      env,
      stderr: tty,
    });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stderr, /indicators \d+ \| /);
    const both = await runInProcess(['indicators', '--owner', COMMUNITY, '--tag', 'APT'], {
      env,
      stdout: new Capture(true),
      stderr: new Capture(true),
    });
    assert.equal(both.code, 0, both.stderr);
    assert.equal(both.stderr, '');
  });
});
