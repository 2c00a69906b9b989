/**
 * The CLI side of bench/syslog.bench.ts: `threatconnect indicators --format cef` over every indicator
 * of a seeded sandbox (in a process of its own), once with `--output FILE` and once with `--syslog
 * tls://…` to the benchmark's rsyslogd, alternating. Each CLI run is a process of its own (the BUILT
 * CLI, dist/cli/threatconnect.js), so its wall time, CPU time and peak RSS (`VmHWM`) are its own; the time
 * includes start-up and, for syslog, the final acknowledgement. This is the comparison (an
 * export to a TLS collector next to the same export to a file), with `indicators` standing in for
 * `sync`, which runs the same listing and delivery.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Collector } from '../test/helpers/rsyslog.js';
import { median, root, sandboxCli, startSandboxProcess } from './support.js';

const OWNERS = ['Example Org', 'Example Community', 'Common Community'];

interface CliRun {
  ms: number;
  cpuMs: number;
  peakKb: number;
}

/** Runs the built CLI with `args`, measuring its wall time, CPU time and peak RSS. */
async function runCli(args: string[], dir: string): Promise<CliRun> {
  const usageFile = path.join(dir, 'usage.json');
  rmSync(usageFile, { force: true });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', './bench/process-usage.mjs', 'dist/cli/threatconnect.js', 'indicators', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, TC_BENCH_USAGE_FILE: usageFile },
    },
  );
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`threatconnect indicators exited with ${String(code)}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { peakKb: number; cpuMs: number };
  return { ms, ...usage };
}

/** Seeds `count` indicators, then compares the file and TLS exports over `rounds` alternating rounds. */
export async function compareCliExports(
  collector: Collector,
  dir: string,
  count: number,
  rounds: number,
): Promise<void> {
  const db = path.join(dir, 'sandbox.sqlite');
  const seeded = spawnSync(
    process.execPath,
    sandboxCli(['--db', db, '--seed-only', '--seed-indicators', String(count)]),
    { cwd: root, stdio: 'inherit' },
  );
  if (seeded.status !== 0) throw new Error(`seeding ${count} indicators failed`);
  const sandbox = await startSandboxProcess(db);
  try {
    const { details, pki } = { details: sandbox.details, pki: collector.pki };
    const secret = path.join(dir, 'secret');
    writeFileSync(secret, details.secretKey, { mode: 0o600 });
    const files = {
      ca: collector.file('bench-ca.pem', pki.ca),
      cert: collector.file('bench-client.pem', pki.clientCert),
      key: collector.file('bench-client.key', pki.clientKey),
    };
    const common = [
      ...['--base-url', details.baseUrl, '--access-id', details.accessId, '--secret-key-file', secret],
      ...['--default-org', details.defaultOrg, ...OWNERS.flatMap((owner) => ['--owner', owner])],
      ...['--format', 'cef', '--result-limit', '500', '--concurrency', '4'],
    ];
    const output = path.join(dir, 'export.cef');
    const toFile = [...common, '--output', output];
    const app = 'bench-cli';
    const toTls = [
      ...common,
      ...['--syslog', collector.urls.tls, '--syslog-app-name', app, '--ca-cert', files.ca],
      ...['--client-cert', files.cert, '--client-key', files.key],
    ];
    const file: CliRun[] = [];
    const tls: CliRun[] = [];
    let lines = 0;
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['file', 'tls'] : ['tls', 'file'];
      for (const which of order) {
        if (which === 'file') {
          file.push(await runCli(toFile, dir));
          lines = readFileSync(output, 'utf8').split('\n').length - 1;
        } else {
          tls.push(await runCli(toTls, dir));
        }
      }
    }
    const got = (await collector.waitFor(app, lines * rounds, { limitMs: 300_000 })).length;
    const pick = (runs: CliRun[], key: keyof CliRun) => median(runs.map((r) => r[key]));
    const show = (name: string, runs: CliRun[]) => {
      const ms = pick(runs, 'ms');
      const cpuMs = pick(runs, 'cpuMs');
      console.log(
        `  ${name}: ${Math.round(lines / (ms / 1000))} records/s wall (${(ms / 1000).toFixed(2)} s), ` +
          `CLI CPU ${(cpuMs / 1000).toFixed(2)} s (${Math.round(lines / (cpuMs / 1000))} records per CPU-s), ` +
          `peak RSS ${(pick(runs, 'peakKb') / 1024).toFixed(1)} MB`,
      );
    };
    console.log(
      `CLI export of ${lines} indicators (median of ${rounds} rounds; collector has ${got} messages):`,
    );
    show('--output file', file);
    show('--syslog tls://', tls);
    const wall = pick(file, 'ms') / pick(tls, 'ms');
    const cpu = pick(file, 'cpuMs') / pick(tls, 'cpuMs');
    const rss = pick(tls, 'peakKb') / pick(file, 'peakKb');
    console.log(
      `  TLS / file: rate ${wall.toFixed(2)} wall, ${cpu.toFixed(2)} by CLI CPU (target >= 0.80: ` +
        `${wall >= 0.8 ? 'met' : 'not met'} wall, ${cpu >= 0.8 ? 'met' : 'not met'} by CPU); peak RSS ${rss.toFixed(2)}x`,
    );
  } finally {
    sandbox.stop();
  }
}
