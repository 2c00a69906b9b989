/**
 * Syslog delivery benchmark (issue 12): `createSyslogSink` to a real rsyslogd on loopback
 * (test/helpers/rsyslog.ts) over TLS, TCP and UDP (rate unlimited), and to a discard collector in a
 * process of its own (bench/syslog-discard.mjs, TCP and TLS), next to the baseline of the same CEF
 * lines written to a file in the same run.
 *
 * "Delivered" for TLS/TCP means acknowledged (the sink's close() resolved); for rsyslog the collector's
 * file is then waited for, so the figure includes nothing the collector did not get. Other programs
 * share the machine, so wall-clock rates are distorted; the CPU time of this process (the sender) per
 * message is the robust figure, and the ratios are given both ways. The collector's CPU time is read
 * from /proc (Linux). RSS is sampled during each run: its peak above the start, per quarter of the
 * messages, should be flat (the unacknowledged tail is bounded in bytes, not messages).
 *
 * The target (sync over TLS at >= 80% of the file export's rate) is for the `sync` command;
 * this measures the delivery under it against a bare file write, a harder baseline.
 *
 * Then the CLI (bench/syslog-cli.ts): `threatconnect indicators --format cef` over a seeded sandbox,
 * to a file and to rsyslogd over TLS, each run a process of its own: records per second, CPU time and
 * peak RSS of the CLI.
 *
 * `npm run bench:syslog -- [--messages N] [--only tls,tcp,udp,discard-tls,discard-tcp]
 * [--max-unacknowledged BYTES] [--cli N] [--rounds R]` (default 100,000 messages, every target, a CLI
 * export of 100,000 indicators over 3 rounds; `--cli 0` skips it). Needs rsyslogd.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createSyslogSink, type SyslogResult } from '../src/index.js';
import { rsyslogSkip, startCollector } from '../test/helpers/rsyslog.js';
import { compareCliExports } from './syslog-cli.js';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
const count = Number(flag('--messages') ?? 100_000);
const targets = (flag('--only') ?? 'tls,tcp,udp,discard-tls,discard-tcp').split(',');
const maxUnacknowledged = flag('--max-unacknowledged');
const cliCount = Number(flag('--cli') ?? 100_000);
const rounds = Number(flag('--rounds') ?? 3);

const skip = rsyslogSkip();
if (skip !== undefined) {
  console.log(`skipped: ${skip}`);
  process.exit(0);
}

function line(i: number): string {
  return `CEF:0|threatconnect|threatconnect|2|${1_000_000 + i}|Indicator ${i}|6|cat=Host dhost=host-${i}.example.com externalId=${1_000_000 + i} cs1Label=ownerName cs1=Example Community cn1Label=confidence cn1=${i % 101} cfp1Label=rating cfp1=3.0 rt=1434901233000`;
}

/** CPU seconds (user + system, all threads) of another process, from /proc; undefined elsewhere. */
function cpuOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface Run {
  wallS: number;
  cpuS: number;
  peerCpuS: number | undefined;
  /** Peak RSS above the start, in MiB, per quarter of the messages. */
  rss: number[];
}

/** Writes `count` chunks with backpressure, then `end`; times it, with CPU and sampled RSS. */
async function measure(
  stream: Writable,
  chunk: (i: number) => unknown,
  end: () => Promise<unknown>,
  peerPid?: number,
): Promise<Run> {
  (globalThis as { gc?: () => void }).gc?.();
  const rssStart = process.memoryUsage().rss;
  const rss = [0, 0, 0, 0];
  let quarter = 0;
  const sample = setInterval(() => {
    rss[quarter] = Math.max(rss[quarter] ?? 0, process.memoryUsage().rss - rssStart);
  }, 20);
  const peer0 = cpuOf(peerPid);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    if (!stream.write(chunk(i))) await once(stream, 'drain');
    quarter = Math.min(3, Math.floor((4 * i) / count));
  }
  await end();
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peer1 = cpuOf(peerPid);
  clearInterval(sample);
  return {
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    peerCpuS: peer0 === undefined || peer1 === undefined ? undefined : peer1 - peer0,
    rss: rss.map((bytes) => Math.round(bytes / 1_048_576)),
  };
}

let baseline: Run | undefined;

function report(name: string, run: Run, extra = ''): void {
  const rate = count / run.wallS;
  const cpuUs = (run.cpuS * 1e6) / count;
  const peer =
    run.peerCpuS === undefined ? '' : `, collector ${((run.peerCpuS * 1e6) / count).toFixed(1)} µs`;
  const ratios =
    baseline === undefined
      ? ''
      : `; ratio to the file: wall ${(rate / (count / baseline.wallS)).toFixed(2)}, ` +
        `sender CPU ${(baseline.cpuS / run.cpuS).toFixed(2)}`;
  console.log(
    `${name}: ${Math.round(rate)} msg/s wall, ${Math.round(count / run.cpuS)} msg per CPU-s ` +
      `(sender ${cpuUs.toFixed(1)} µs/msg${peer})${ratios}; peak RSS +${run.rss.join('/')} MiB${extra}`,
  );
}

const cpus = os.cpus();
const [load1] = os.loadavg();
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, load ${load1?.toFixed(1)}; ` +
    `node ${process.version}; ${count} CEF messages (~${line(count).length + 70} bytes each)` +
    (maxUnacknowledged === undefined ? '' : `; maxUnacknowledgedBytes ${maxUnacknowledged}`),
);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-syslog-bench-'));
const collector = await startCollector();
const discard = spawn(process.execPath, [path.join(import.meta.dirname, 'syslog-discard.mjs')], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...process.env, TC_DISCARD_PKI: JSON.stringify(collector.pki) },
});
try {
  const [ports] = (await once(createInterface({ input: discard.stdout }), 'line')) as [string];
  const discardPorts = JSON.parse(ports) as { tcp: number; tls: number };
  const file = createWriteStream(path.join(dir, 'out.cef'));
  baseline = await measure(
    file,
    (i) => `${line(i)}\n`,
    async () => {
      file.end();
      await finished(file);
    },
  );
  report('baseline, file', baseline);
  for (const target of targets) {
    const transport = target.replace('discard-', '') as 'tls' | 'tcp' | 'udp';
    const toDiscard = target.startsWith('discard-');
    const url = toDiscard
      ? `${transport}://127.0.0.1:${discardPorts[transport as 'tcp']}`
      : collector.urls[transport];
    const app = `bench-${target}`;
    const sink = createSyslogSink(url, {
      appName: app,
      ...(transport === 'tls'
        ? { ca: collector.pki.ca, cert: collector.pki.clientCert, key: collector.pki.clientKey }
        : {}),
      ...(transport !== 'udp' && maxUnacknowledged !== undefined
        ? { maxUnacknowledgedBytes: Number(maxUnacknowledged) }
        : {}),
    });
    let result: SyslogResult | undefined;
    const run = await measure(
      sink,
      (i) => ({ line: line(i), rating: 3 }),
      async () => {
        result = await sink.close();
      },
      toDiscard ? discard.pid : collector.pid,
    );
    let got = '';
    if (!toDiscard) {
      const collected =
        transport === 'udp'
          ? await collector.waitFor(app, 1)
          : await collector.waitFor(app, count, { limitMs: 300_000 });
      got = `, collector has ${collected.length}`;
    }
    report(target, run, `; sent ${result?.sent}, resent ${result?.resent}${got}`);
  }
  if (cliCount > 0) await compareCliExports(collector, dir, cliCount, rounds);
} finally {
  discard.stdin.end();
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
}
