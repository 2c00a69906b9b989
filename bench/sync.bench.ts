/**
 * Incremental sync to a SIEM (issue 12; decisions.md 6): `threatconnect sync` of every indicator of an
 * N-indicator sandbox (a first run: every indicator is a change) to rsyslog over TLS on loopback,
 * next to the same run writing to a file. Messages per second, and the CLI's peak RSS (`VmHWM`) at N
 * and at N/5, which must be flat in the count.
 *
 * - The CLI is the BUILT one (dist/cli/threatconnect.js), in a process of its own started with
 *   `node --import bench/peak-rss.mjs`; the sandbox runs in its own process on a database built
 *   beforehand; rsyslogd is started by test/helpers/rsyslog.ts (a TLS listener with a test CA, client
 *   certificates required), and its output file is checked for the count.
 * - A syslog run ends only when the collector has acknowledged every message (docs/siem.md), so its
 *   wall time covers the delivery. Runs alternate (file, TLS, then TLS, file); medians over the rounds.
 * - Target: TLS at >= 80% of the file export's rate.
 *
 * Run alone on the machine: `npm run bench:sync [-- --indicators 100000] [-- --rounds 3]`.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rsyslogdPath, startCollector } from '../test/helpers/rsyslog.js';
import {
  flag,
  measureProcess,
  median,
  type SandboxDetails,
  seedDatabase,
  startSandboxProcess,
} from './support.js';

const OWNERS = ['Example Org', 'Example Community', 'Common Community'];

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

function connectionArgs(details: SandboxDetails, dir: string): string[] {
  const secret = path.join(dir, 'secret');
  writeFileSync(secret, details.secretKey, { mode: 0o600 });
  return [
    '--base-url',
    details.baseUrl,
    '--access-id',
    details.accessId,
    '--secret-key-file',
    secret,
    '--default-org',
    details.defaultOrg,
    ...OWNERS.flatMap((owner) => ['--owner', owner]),
    '--result-limit',
    '500',
    '--format',
    'cef',
  ];
}

function countLines(file: string): number {
  const text = readFileSync(file);
  let n = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n += 1;
  return n;
}

async function main(): Promise<void> {
  if (rsyslogdPath() === undefined)
    throw new Error('rsyslogd is not installed (apt-get install rsyslog rsyslog-openssl)');
  const indicators = flag('--indicators', 100_000);
  const rounds = flag('--rounds', 3);
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-sync-'));
  const collector = await startCollector();
  const stops: (() => void)[] = [];
  try {
    const runAt = async (n: number, rounds: number) => {
      const db = path.join(dir, `db-${n}.sqlite`);
      console.log(`seeding ${n} indicators: ${(seedDatabase(db, n) / 1000).toFixed(1)} s`);
      const sandbox = await startSandboxProcess(db);
      stops.push(sandbox.stop);
      const common = connectionArgs(sandbox.details, dir);
      const tls = [
        '--syslog',
        collector.urls.tls,
        '--ca-cert',
        collector.file('ca.pem', collector.pki.ca),
        '--client-cert',
        collector.file('client.pem', collector.pki.clientCert),
        '--client-key',
        collector.file('client.key', collector.pki.clientKey),
      ];
      const file: { ms: number; peakKb: number; lines: number }[] = [];
      const syslog: { ms: number; peakKb: number; lines: number }[] = [];
      for (let round = 0; round < rounds; round += 1) {
        for (const side of round % 2 === 0 ? ['file', 'tls'] : ['tls', 'file']) {
          const tag = `${n}-${round}-${side}`;
          const state = path.join(dir, `${tag}.state`);
          if (side === 'file') {
            const out = path.join(dir, `${tag}.cef`);
            const m = await measureProcess(
              ['dist/cli/threatconnect.js', 'sync', '--state', state, '--output', out, ...common],
              {},
              path.join(dir, 'rss'),
            );
            const written = readdirSync(dir).filter((f) => f.startsWith(`${tag}.`) && f.endsWith('.cef'));
            const lines = written.reduce((sum, f) => sum + countLines(path.join(dir, f)), 0);
            file.push({ ...m, lines });
          } else {
            const app = `bench-${tag}`;
            const m = await measureProcess(
              [
                'dist/cli/threatconnect.js',
                'sync',
                '--state',
                state,
                ...tls,
                '--syslog-app-name',
                app,
                ...common,
              ],
              {},
              path.join(dir, 'rss'),
            );
            // Every message was acknowledged before the run exited; the collector's file shows them.
            const lines = (await collector.waitFor(app, file[0]?.lines ?? 1)).length;
            syslog.push({ ...m, lines });
          }
        }
      }
      sandbox.stop();
      const counts = new Set([...file, ...syslog].map((r) => r.lines));
      if (counts.size !== 1)
        throw new Error(`the runs delivered different counts: ${[...counts].join(', ')}`);
      const lines = file[0]?.lines ?? 0;
      const fileMs = median(file.map((r) => r.ms));
      const tlsMs = median(syslog.map((r) => r.ms));
      return {
        lines,
        fileRate: lines / (fileMs / 1000),
        tlsRate: lines / (tlsMs / 1000),
        filePeak: median(file.map((r) => r.peakKb)),
        tlsPeak: median(syslog.map((r) => r.peakKb)),
      };
    };
    const big = await runAt(indicators, rounds);
    const ratio = big.tlsRate / big.fileRate;
    console.log(`${big.lines} changes (first run of sync, CEF):`);
    console.log(
      `   file export ${Math.round(big.fileRate)} msgs/s, TLS syslog to rsyslog ${Math.round(big.tlsRate)} msgs/s: ` +
        `${(ratio * 100).toFixed(1)}% of the file rate (target >= 80%: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
    );
    const small = await runAt(Math.max(1000, Math.round(indicators / 5)), Math.min(rounds, 2));
    const flat = big.tlsPeak / small.tlsPeak;
    console.log(
      `   CLI peak RSS: file ${mb(big.filePeak)}, TLS ${mb(big.tlsPeak)}; TLS at ${small.lines} changes ` +
        `${mb(small.tlsPeak)}: ${flat.toFixed(3)}x (flat: ${flat <= 1.1 ? 'yes' : 'NO'})`,
    );
  } finally {
    for (const stop of stops) stop();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
