/**
 * `--syslog` on `indicators` and `groups`: usage errors (exit 2), then, against rsyslogd
 * (test/helpers/rsyslog.ts) and a sandbox, the same lines as stdout arriving as syslog messages over
 * UDP, TCP and TLS with the severity of each record's rating, a refused client certificate and an
 * untrusted collector (exit 1, one clear line), and UDP messages over --syslog-max-bytes counted.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { parseCef, parseKeyval, parseLeef } from '../../helpers/format-parsers.js';
import {
  type Collector,
  rsyslogSkip,
  startCollector,
  expectedSeverity,
  cliTlsFlags,
} from '../../helpers/rsyslog.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { jsonLines, runInProcess, sandboxEnv } from './in-process.js';
import { STACK_LINE } from './support.js';

const COMMUNITY = 'Example Community';
const skip = rsyslogSkip();

describe('threatconnect --syslog: usage', () => {
  const usage = async (args: string[], message: RegExp) => {
    const result = await runInProcess(args);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '');
  };

  it('refuses a bad URL, scheme or port, naming --syslog', async () => {
    await usage(
      ['indicators', '--syslog', 'http://collector:514'],
      /--syslog must be udp:\/\/host:port, tcp:\/\/host:port or tls:\/\/host:port: the scheme http:\/\/ is not supported, got "http:\/\/collector:514"/,
    );
    await usage(
      ['indicators', '--syslog', 'tcp://collector:70000'],
      /--syslog port must be an integer from 1 to 65535, got "tcp:\/\/collector:70000"/,
    );
    await usage(['groups', 'all', '--syslog', 'collector:514'], /--syslog must be udp:\/\/host:port/);
    await usage(['indicators', '--syslog', 'udp://collector:514/path'], /no user, path, query or fragment/);
  });

  it('refuses --syslog with --output, a format that is not one line per record, and flags of another transport', async () => {
    await usage(
      ['indicators', '--syslog', 'udp://127.0.0.1:514', '--output', 'x.txt'],
      /error: --syslog and --output cannot be used together/,
    );
    await usage(
      ['indicators', '--syslog', 'udp://127.0.0.1:514', '--format', 'csv'],
      /error: --format csv cannot go to --syslog: use cef, leef, keyval, jsonl/,
    );
    await usage(
      ['groups', 'all', '--syslog', 'udp://127.0.0.1:514', '--format', 'json'],
      /error: --format json cannot go to --syslog/,
    );
    await usage(
      ['indicators', '--syslog', 'tcp://127.0.0.1:601', '--syslog-rate', '5'],
      /error: --syslog-rate applies to udp:\/\/ only/,
    );
    await usage(
      ['indicators', '--syslog', 'udp://127.0.0.1:514', '--client-cert', 'c.pem', '--client-key', 'k.pem'],
      /error: --client-cert applies to tls:\/\/ only/,
    );
    await usage(
      ['indicators', '--syslog', 'tls://127.0.0.1:6514', '--client-cert', 'c.pem'],
      /error: --client-cert and --client-key go together/,
    );
    await usage(['indicators', '--syslog-format', 'rfc3164'], /error: --syslog-format needs --syslog/);
    await usage(['indicators', '--client-key', 'k.pem'], /error: --client-key needs --syslog/);
    await usage(
      ['indicators', '--syslog', 'udp://h:514', '--syslog-facility', '24'],
      /--syslog-facility must be an integer from 0 to 23/,
    );
    await usage(
      ['indicators', '--syslog', 'udp://h:514', '--syslog-rate', '0'],
      /--syslog-rate must be a number/,
    );
    await usage(
      ['indicators', '--syslog', 'udp://h:514', '--syslog-app-name', 'a b'],
      /--syslog-app-name must be 1 to 48/,
    );
  });
});

describe('threatconnect --syslog with rsyslogd', { skip }, () => {
  let sandbox: Sandbox;
  let collector: Collector;
  let env: Record<string, string>;
  let ratings: Map<number, unknown>;
  const run = (args: string[]) => runInProcess(args, { env });
  const selection = ['--owner', COMMUNITY, '--tag', 'APT'];

  before(async () => {
    [sandbox, collector] = await Promise.all([withSandbox({ seedIndicators: 50 }), startCollector()]);
    env = sandboxEnv(sandbox);
    const listed = await run(['indicators', ...selection]);
    assert.equal(listed.code, 0, listed.stderr);
    ratings = new Map(jsonLines(listed.stdout).map((v) => [v.id as number, v.rating]));
    assert.ok(ratings.size >= 5);
  });
  after(async () => {
    await Promise.all([sandbox.close(), collector.close()]);
  });

  const cases = [
    { transport: 'tcp', format: 'cef', id: (msg: string) => Number(parseCef(msg).header[4]) },
    { transport: 'udp', format: 'keyval', id: (msg: string) => Number(new Map(parseKeyval(msg)).get('id')) },
    { transport: 'tls', format: 'leef', id: (msg: string) => Number(parseLeef(msg).header[3]) },
  ] as const;
  for (const { transport, format, id } of cases) {
    it(`sends the ${format} lines of indicators over ${transport}, with each rating's severity`, async () => {
      const app = `cli-${transport}`;
      const printed = await run(['indicators', ...selection, '--format', format]);
      assert.equal(printed.code, 0, printed.stderr);
      const lines = printed.stdout.split('\n').filter((l) => l !== '');
      const tlsFlags = transport === 'tls' ? cliTlsFlags(collector) : [];
      const sent = await run([
        'indicators',
        ...selection,
        '--format',
        format,
        '--syslog',
        collector.urls[transport],
        '--syslog-app-name',
        app,
        '--syslog-facility',
        '17',
        ...tlsFlags,
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(sent.stdout, '', 'nothing on stdout');
      assert.equal(sent.stderr, '');
      const collected = await collector.waitFor(app, lines.length);
      assert.equal(collected.length, lines.length);
      assert.deepEqual(collected.map((m) => m.msg).sort(), [...lines].sort());
      const parse = format === 'cef' ? parseCef : format === 'leef' ? parseLeef : parseKeyval;
      for (const message of collected) {
        assert.equal(message.facility, 17);
        assert.equal(message.severity, expectedSeverity(ratings.get(id(message.msg))));
        assert.deepEqual(parse(message.msg), parse(lines.find((l) => l === message.msg) ?? ''));
      }
    });
  }

  it('sends groups as KeyVal in RFC 3164, at the severity of an unknown rating', async () => {
    const app = 'cli-groups';
    const printed = await run(['groups', 'adversaries', '--owner', COMMUNITY, '--format', 'keyval']);
    const lines = printed.stdout.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 0);
    const sent = await run([
      'groups',
      'adversaries',
      '--owner',
      COMMUNITY,
      '--format',
      'keyval',
      '--syslog',
      collector.urls.tcp,
      '--syslog-format',
      'rfc3164',
      '--syslog-app-name',
      app,
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    const collected = await collector.waitFor(app, lines.length);
    assert.deepEqual(collected.map((m) => m.msg.replace(/^ /, '')).sort(), [...lines].sort());
    assert.ok(collected.every((m) => m.severity === 5 && m.facility === 16));
  });

  it('sends the lines of a bulk report over TCP, as it prints them', async () => {
    const app = 'cli-bulk';
    const printed = await run(['bulk', COMMUNITY, '--format', 'keyval']);
    assert.equal(printed.code, 0, printed.stderr);
    const lines = printed.stdout.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 20, String(lines.length));
    const sent = await run([
      'bulk',
      COMMUNITY,
      '--format',
      'keyval',
      '--syslog',
      collector.urls.tcp,
      '--syslog-app-name',
      app,
    ]);
    assert.deepEqual([sent.code, sent.stdout, sent.stderr], [0, '', '']);
    const collected = await collector.waitFor(app, lines.length);
    assert.deepEqual(collected.map((m) => m.msg).sort(), [...lines].sort());
  });

  it('exits 1 with one clear line when the collector refuses the client certificate', async () => {
    const result = await run([
      'indicators',
      ...selection,
      '--format',
      'cef',
      '--syslog',
      collector.urls.tls,
      '--syslog-app-name',
      'cli-rogue',
      ...cliTlsFlags(collector, 'rogue'),
    ]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `^threatconnect indicators: \\d+ messages? of \\d+ not delivered to ${collector.urls.tls.replaceAll('.', '\\.')} \\(\\d+ failed\\): syslog delivery to .* failed: the collector refused the client certificate \\(TLS alert: unknown ca\\) \\(check --client-cert and --client-key\\)\\n$`,
      ),
    );
    assert.doesNotMatch(result.stderr, STACK_LINE);
    assert.doesNotMatch(result.stderr, /PRIVATE KEY|BEGIN/);
    assert.equal(collector.messages().filter((m) => m.app === 'cli-rogue').length, 0);
  });

  it('exits 1 when the collector certificate is not trusted (no --ca-cert)', async () => {
    const result = await run([
      'indicators',
      ...selection,
      '--syslog',
      collector.urls.tls,
      '--client-cert',
      collector.file('client.pem', collector.pki.clientCert),
      '--client-key',
      collector.file('client.key', collector.pki.clientKey),
    ]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^threatconnect indicators: \d+ messages? of \d+ not delivered to tls:\/\/.* the collector's certificate is not trusted: .* \(trust its CA with --ca-cert FILE\)\n$/,
    );
  });

  it('counts UDP messages over --syslog-max-bytes, sends the others, and exits 1', async () => {
    const app = 'cli-oversize';
    const printed = await run(['indicators', ...selection, '--format', 'cef']);
    const lines = printed.stdout.split('\n').filter((l) => l !== '');
    // The program runs in this process: the same host name and pid in the header.
    const size = (line: string) =>
      Buffer.byteLength(`<130>1 2024-01-01T00:00:00.000Z ${hostname()} ${app} ${process.pid} - - ${line}`);
    const sizes = lines.map(size).sort((a, b) => a - b);
    const max = Math.floor(((sizes[0] ?? 0) + (sizes.at(-1) ?? 0)) / 2);
    const short = lines.filter((l) => size(l) <= max);
    const long = lines.filter((l) => size(l) > max);
    assert.ok(short.length > 0 && long.length > 0, `${short.length} short, ${long.length} long`);
    const result = await run([
      'indicators',
      ...selection,
      '--format',
      'cef',
      '--syslog',
      collector.urls.udp,
      '--syslog-app-name',
      app,
      '--syslog-max-bytes',
      String(max),
    ]);
    assert.equal(result.code, 1);
    const match =
      /^threatconnect indicators: (\d+) messages? of (\d+) not delivered to udp:\/\/127\.0\.0\.1:\d+ \((\d+) refused as too long\)\n$/.exec(
        result.stderr,
      );
    assert.ok(match, result.stderr);
    const refused = Number(match[1]);
    assert.equal(Number(match[2]), lines.length);
    assert.equal(Number(match[3]), refused);
    assert.ok(refused >= long.length && refused <= lines.length - short.length);
    const collected = await collector.waitFor(app, lines.length - refused);
    for (const line of short) assert.ok(collected.some((m) => m.msg === line));
    assert.ok(
      collected.every((m) => lines.includes(m.msg)),
      'whole lines only',
    );
  });
});
