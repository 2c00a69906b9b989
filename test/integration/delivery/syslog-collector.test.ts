/**
 * createSyslogSink against a real collector (rsyslogd, test/helpers/rsyslog.ts): every message over
 * UDP, TCP and TLS arrives exactly once with its app name, facility and severity as rsyslog's parser
 * reads them, and the CEF, LEEF and KeyVal lines inside re-parse (test/helpers/format-parsers.ts) to
 * the fields of the lines sent; RFC 3164; the collector restarted in the middle of a TCP or TLS
 * delivery (nothing lost; duplicates only among the messages counted as resent); a refused client
 * certificate; an untrusted collector certificate; UDP messages over the size limit refused and
 * counted; the UDP rate limit, by the clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createSyslogSink,
  formatCef,
  formatKeyval,
  formatLeef,
  type IndicatorRecord,
  isGroupRecord,
  SyslogDeliveryError,
  type SyslogSink,
} from '../../../src/index.js';
import { createFakeClock } from '../../helpers/clock.js';
import { parseCef, parseKeyval, parseLeef } from '../../helpers/format-parsers.js';
import { prng, randomRecord } from '../../helpers/format-records.js';
import {
  type Collected,
  type Collector,
  rsyslogSkip,
  startCollector,
  expectedSeverity,
} from '../../helpers/rsyslog.js';

const skip = rsyslogSkip();

/** The severity a rating must map to (docs/siem.md), written out independently of src/delivery. */

interface Line {
  format: 'cef' | 'leef' | 'keyval';
  line: string;
  rating: number | null;
}

/** CEF, LEEF and KeyVal lines of hostile indicator records (seeded), each with its record's rating. */
function hostileLines(seed: number, count: number): Line[] {
  const random = prng(seed);
  const lines: Line[] = [];
  while (lines.length < count * 3) {
    const record = randomRecord(random);
    if (isGroupRecord(record)) continue; // CEF and LEEF are for indicators
    const indicator: IndicatorRecord = record;
    const rating = typeof indicator.rating === 'number' ? indicator.rating : null;
    lines.push({ format: 'cef', line: formatCef(indicator), rating });
    lines.push({ format: 'leef', line: formatLeef(indicator), rating });
    lines.push({ format: 'keyval', line: formatKeyval(indicator), rating });
  }
  return lines;
}

/** What a line is once it has been UTF-8 on the wire (a lone surrogate becomes U+FFFD). */
function wire(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function parse(format: Line['format'], text: string): unknown {
  if (format === 'cef') return parseCef(text);
  if (format === 'leef') return parseLeef(text);
  return parseKeyval(text);
}

async function writeAll(sink: SyslogSink, chunks: readonly unknown[]): Promise<void> {
  for (const chunk of chunks) {
    if (!sink.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        sink.once('drain', resolve);
        sink.once('error', reject);
      });
    }
  }
}

/** Every expected line arrived exactly once, with its severity, and re-parses to the same fields. */
function assertExactlyOnce(collected: Collected[], lines: Line[], facility: number): void {
  assert.equal(collected.length, lines.length, 'one message per line, no more');
  const byMsg = new Map<string, Collected[]>();
  for (const message of collected) byMsg.set(message.msg, [...(byMsg.get(message.msg) ?? []), message]);
  for (const { format, line, rating } of lines) {
    const sent = wire(line);
    const found = byMsg.get(sent)?.shift();
    assert.ok(found !== undefined, `arrived: ${JSON.stringify(sent).slice(0, 200)}`);
    assert.equal(found.facility, facility);
    assert.equal(found.severity, expectedSeverity(rating), `severity of rating ${String(rating)}`);
    assert.deepEqual(parse(format, found.msg), parse(format, sent));
  }
}

describe('createSyslogSink with rsyslogd', { skip }, () => {
  let collector: Collector;
  before(async () => {
    collector = await startCollector();
  });
  after(async () => {
    await collector.close();
  });

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`delivers every line exactly once over ${transport}, parsed by rsyslog with app name, facility and severity`, async () => {
      const app = `exact-${transport}`;
      const lines = hostileLines(
        transport.length * 7 + transport.charCodeAt(1),
        transport === 'udp' ? 30 : 60,
      );
      const tlsOptions =
        transport === 'tls'
          ? { ca: collector.pki.ca, cert: collector.pki.clientCert, key: collector.pki.clientKey }
          : {};
      const sink = createSyslogSink(collector.urls[transport], {
        appName: app,
        facility: transport === 'tcp' ? 20 : 16,
        ...(transport === 'udp' ? { maxBytes: 60_000 } : { maxUnacknowledgedBytes: 8192 }),
        ...tlsOptions,
      });
      await writeAll(
        sink,
        lines.map(({ line, rating }) => ({ line, rating })),
      );
      // A last message: once it is there, the ones before it are too (one sender, in order).
      sink.write({ line: 'end of test', severity: 7 });
      const result = await sink.close();
      assert.deepEqual(result, { sent: lines.length + 1, failed: 0, refused: 0, resent: 0 });
      const collected = await collector.waitFor(app, lines.length + 1);
      assert.deepEqual(collected.at(-1), {
        app,
        facility: transport === 'tcp' ? 20 : 16,
        severity: 7,
        input: collected.at(-1)?.input,
        msg: 'end of test',
      });
      assertExactlyOnce(collected.slice(0, -1), lines, transport === 'tcp' ? 20 : 16);
      assert.equal(new Set(collected.map((m) => m.input)).size, 1);
    });
  }

  it('sends RFC 3164 messages that rsyslog reads with the app name as the tag', async () => {
    const app = 'legacy';
    const lines = hostileLines(3164, 10).filter((l) => l.format !== 'leef');
    for (const transport of ['udp', 'tcp'] as const) {
      const sink = createSyslogSink(collector.urls[transport], {
        format: 'rfc3164',
        appName: app,
        facility: 3,
      });
      await writeAll(
        sink,
        lines.map(({ line, rating }) => ({ line, rating })),
      );
      await sink.close();
    }
    const collected = await collector.waitFor(app, lines.length * 2);
    assert.equal(collected.length, lines.length * 2);
    for (const message of collected) {
      assert.equal(message.facility, 3);
      // rsyslog keeps the space after the RFC 3164 tag's colon as the first character of msg.
      const text = message.msg.replace(/^ /, '');
      const line = lines.find((l) => wire(l.line) === text);
      assert.ok(line !== undefined, `sent: ${text.slice(0, 100)}`);
      assert.equal(message.severity, expectedSeverity(line.rating));
    }
  });

  for (const transport of ['tcp', 'tls'] as const) {
    it(`loses nothing when the collector restarts in the middle of a ${transport} delivery`, async () => {
      const app = `restart-${transport}`;
      const gate: { restarting: Promise<void> } = { restarting: Promise.resolve() };
      const sleeps: number[] = [];
      const sink = createSyslogSink(collector.urls[transport], {
        appName: app,
        maxUnacknowledgedBytes: 16_384,
        // Reconnect waits last until the collector is back: no real time passes in the backoff.
        clock: {
          now: () => Date.now(),
          sleep: async (ms) => {
            sleeps.push(ms);
            await gate.restarting;
          },
          random: () => 0.5,
        },
        ...(transport === 'tls'
          ? { ca: collector.pki.ca, cert: collector.pki.clientCert, key: collector.pki.clientKey }
          : {}),
      });
      const total = 2000;
      const line = (i: number) =>
        `CEF:0|threatconnect|threatconnect|2|${i}|restart ${transport} message ${i}|5|cat=Host`;
      const write = async (from: number, to: number): Promise<void> => {
        for (let i = from; i < to; i += 1) {
          if (!sink.write(line(i))) await new Promise((resolve) => sink.once('drain', resolve));
        }
      };
      // The first half: acknowledged at 16 KiB boundaries; the rest was read by the collector but not
      // acknowledged when it goes away.
      await write(0, total / 2);
      await collector.waitFor(app, total / 2);
      await collector.stop();
      // The second half meets a connection that is gone; the reconnect waits until the collector is back.
      gate.restarting = collector.start();
      await write(total / 2, total);
      await gate.restarting;
      const result = await sink.close();
      assert.equal(result.failed, 0);
      assert.equal(result.sent, total);
      assert.ok(sleeps.length >= 1, 'reconnected after a backoff');
      // Every message arrived; the only duplicates are messages resent after the lost connection.
      const collected = await collector.waitFor(app, total, { distinct: true });
      const counts = new Map<string, number>();
      for (const m of collected) counts.set(m.msg, (counts.get(m.msg) ?? 0) + 1);
      for (let i = 0; i < total; i += 1) assert.ok(counts.has(line(i)), `message ${i} arrived`);
      assert.equal(counts.size, total, 'nothing else arrived');
      const duplicates = collected.length - total;
      assert.ok(
        result.resent > 0,
        `the unacknowledged tail was written again: ${JSON.stringify(result)} ${sleeps.length} ${collected.length}`,
      );
      assert.ok(duplicates <= result.resent, `${duplicates} duplicates, at most the ${result.resent} resent`);
    });
  }

  it('reports a collector that refuses the client certificate, without retrying', async () => {
    const sleeps: number[] = [];
    for (const identity of ['rogue', 'none'] as const) {
      const sink = createSyslogSink(collector.urls.tls, {
        appName: 'refused',
        ca: collector.pki.ca,
        ...(identity === 'rogue' ? { cert: collector.pki.rogueCert, key: collector.pki.rogueKey } : {}),
        clock: {
          now: () => Date.now(),
          sleep: (ms) => {
            sleeps.push(ms);
            return Promise.resolve();
          },
        },
      });
      sink.write('one');
      sink.write('two');
      const error = await sink.close().then(
        () => assert.fail('delivered'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SyslogDeliveryError);
      assert.equal(error.code, 'TC_CONNECTION');
      assert.equal(error.reason, 'client-certificate-refused');
      assert.match(
        error.message,
        new RegExp(
          `^syslog delivery to ${collector.urls.tls.replaceAll('.', '\\.')} failed: the collector refused the client certificate \\(TLS alert: (unknown ca|certificate required)\\)$`,
        ),
      );
      assert.deepEqual(sink.result, { sent: 0, failed: 2, refused: 0, resent: sink.result.resent });
      assert.doesNotMatch(String(error.stack) + error.message, /PRIVATE KEY/);
    }
    assert.equal(collector.messages().filter((m) => m.app === 'refused').length, 0);
  });

  it('refuses a collector whose certificate it does not trust', async () => {
    // Without `ca`, only the system CAs are trusted.
    const sink = createSyslogSink(collector.urls.tls, {
      cert: collector.pki.clientCert,
      key: collector.pki.clientKey,
      clock: { now: () => Date.now(), sleep: () => assert.fail('no retry for an untrusted certificate') },
    });
    sink.write('secret indicator');
    const error = await sink.close().then(
      () => assert.fail('delivered'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SyslogDeliveryError);
    assert.equal(error.reason, 'untrusted-certificate');
    assert.match(
      error.message,
      /failed: the collector's certificate is not trusted: .*\(SELF_SIGNED_CERT_IN_CHAIN\)$/,
    );
    assert.deepEqual(error.result, { sent: 0, failed: 1, refused: 0, resent: 0 });
  });

  it('refuses and counts UDP messages over maxBytes, sending the others whole', async () => {
    const app = 'oversize';
    const sizes = [10, 500, 20, 900, 30, 2000, 40];
    const lines = sizes.map((n, i) => `${i}:${'\\='.repeat(n)}`);
    const sink = createSyslogSink(collector.urls.udp, { appName: app, maxBytes: 400 });
    const refused: number[] = [];
    sink.on('refused', (info: { bytes: number }) => refused.push(info.bytes));
    await writeAll(sink, lines);
    const result = await sink.close();
    assert.deepEqual(result, { sent: 4, failed: 0, refused: 3, resent: 0 });
    assert.ok(refused.every((bytes) => bytes > 400));
    const collected = await collector.waitFor(app, 4);
    assert.deepEqual(
      collected.map((m) => m.msg),
      lines.filter((_, i) => (sizes[i] ?? 0) < 100),
    );
  });

  it('rate-limits UDP by the clock: a burst of one second, then one message per interval, in order', async () => {
    const app = 'rate';
    const clock = createFakeClock();
    const start = clock.now();
    const sink = createSyslogSink(collector.urls.udp, { appName: app, ratePerSecond: 10, clock });
    const lines = Array.from({ length: 35 }, (_, i) => `rate ${i}`);
    await writeAll(sink, lines);
    await sink.close();
    // 10 at once, then 25 more at 100 ms each.
    assert.equal(clock.now() - start, 2500);
    // The fake clock's recorded waits (no real time passes): one interval before each of the 25.
    assert.deepEqual(
      clock.sleeps,
      Array.from({ length: 25 }, () => 100),
    );
    const collected = await collector.waitFor(app, 35);
    assert.deepEqual(
      collected.map((m) => m.msg),
      lines,
    );
  });
});
