/**
 * Syslog delivery benchmark (issue 12): messages per second of `createSyslogSink` to a real rsyslogd
 * on loopback (test/helpers/rsyslog.ts) over TLS, TCP and UDP (rate unlimited), next to the baseline
 * of the same CEF lines written to a file in the same run. "Delivered" for TLS/TCP means acknowledged
 * (the sink's close() resolved); the collector's file is then waited for, so the figure includes
 * nothing the collector did not get. The target (sync over TLS at >= 80% of the file export's
 * rate) is for the `sync` command; this measures the delivery under it.
 *
 * `npx tsx bench/syslog.bench.ts [--messages N]` (default 100,000). Needs rsyslogd.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createSyslogSink } from '../src/index.js';
import { rsyslogSkip, startCollector } from '../test/helpers/rsyslog.js';

const arg = process.argv.indexOf('--messages');
const count = arg === -1 ? 100_000 : Number(process.argv[arg + 1]);

const skip = rsyslogSkip();
if (skip !== undefined) {
  console.log(`skipped: ${skip}`);
  process.exit(0);
}

function line(i: number): string {
  return `CEF:0|threatconnect|threatconnect|2|${1_000_000 + i}|Indicator ${i}|6|cat=Host dhost=host-${i}.example.com externalId=${1_000_000 + i} cs1Label=ownerName cs1=Example Community cn1Label=confidence cn1=${i % 101} cfp1Label=rating cfp1=3.0 rt=1434901233000`;
}

async function writeAll(stream: Writable, chunk: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    if (!stream.write(chunk(i))) await once(stream, 'drain');
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${cpu}, ${os.cpus().length} cores; ${count} CEF messages`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-syslog-bench-'));
const collector = await startCollector();
try {
  let started = performance.now();
  const file = createWriteStream(path.join(dir, 'out.cef'));
  await writeAll(file, (i) => `${line(i)}\n`);
  file.end();
  await finished(file);
  const fileRate = count / ((performance.now() - started) / 1000);
  console.log(`baseline, file: ${Math.round(fileRate)} lines/s`);
  for (const transport of ['tls', 'tcp', 'udp'] as const) {
    const app = `bench-${transport}`;
    const sink = createSyslogSink(collector.urls[transport], {
      appName: app,
      ...(transport === 'tls'
        ? { ca: collector.pki.ca, cert: collector.pki.clientCert, key: collector.pki.clientKey }
        : {}),
    });
    const rssBefore = process.memoryUsage().rss;
    started = performance.now();
    await writeAll(sink, (i) => ({ line: line(i), rating: 3 }));
    const result = await sink.close();
    const rate = count / ((performance.now() - started) / 1000);
    const rss = Math.round((process.memoryUsage().rss - rssBefore) / 1_048_576);
    const got =
      transport === 'udp'
        ? (await collector.waitFor(app, 1)).length
        : (await collector.waitFor(app, count, { limitMs: 300_000 })).length;
    console.log(
      `${transport}: ${Math.round(rate)} messages/s, ratio ${(rate / fileRate).toFixed(2)} of the file; ` +
        `sent ${result.sent}, resent ${result.resent}, collector has ${got}; RSS +${rss} MiB`,
    );
  }
} finally {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
}
