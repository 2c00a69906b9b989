/**
 * The seed's whole job, end to end (issue 10; decisions.md 6): `threatconnect indicators --format cef
 * --output FILE` over every indicator of an N-indicator sandbox, against a bare loop that fetches the
 * same pages with undici at the same concurrency, parses them and writes naive CEF lines to a file.
 *
 * - Both sides are processes of their own, started the same way (`node --import bench/peak-rss.mjs …`),
 *   so the wall time includes each one's start-up and the peak RSS (`VmHWM`) is each process's own. The
 *   CLI is the BUILT one (dist/cli/threatconnect.js); the bare loop is bench/cli-bare.mjs, plain JavaScript.
 * - The sandbox runs in a separate process on a database built beforehand (`--db`, `--seed-only`).
 * - Runs alternate (bare, CLI, then CLI, bare, …); times and peaks are medians over the rounds, and each
 *   ratio is the median of the rounds' own ratios (a pair runs back to back, so a drifting load
 *   shifts both alike). Targets: time <= 1.3x and peak RSS <= 1.3x the bare loop's. Then the same for M (1,000,000) indicators, where the CLI's peak
 *   must stay <= 150 MB and must not grow with the count (CLI(M) / CLI(N) is printed).
 *
 * Run alone on the machine: `npm run bench:cli [-- --indicators 100000] [-- --large 1000000] [-- --rounds 3]
 * [-- --db-dir DIR]`; `--large 0` skips the large database, and `--db-dir` keeps the databases in DIR
 * for later runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  flag,
  measureProcess,
  median,
  type SandboxDetails,
  readOnlyDatabase,
  startSandboxProcess,
} from './support.js';

const LIMIT = 500;
const CONCURRENCY = 4;
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];

interface Run {
  ms: number;
  /** Peak RSS of the process, KiB. */
  peakKb: number;
  lines: number;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

function countLines(file: string): number {
  const text = readFileSync(file);
  let n = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n += 1;
  return n;
}

async function runCli(details: SandboxDetails, dir: string): Promise<Run> {
  const output = path.join(dir, 'cli.cef');
  const secretFile = path.join(dir, 'secret');
  writeFileSync(secretFile, details.secretKey, { mode: 0o600 });
  const owners = OWNERS.flatMap((owner) => ['--owner', owner]);
  const { ms, peakKb } = await measureProcess(
    [
      'dist/cli/threatconnect.js',
      'indicators',
      '--base-url',
      details.baseUrl,
      '--access-id',
      details.accessId,
      '--secret-key-file',
      secretFile,
      '--default-org',
      details.defaultOrg,
      ...owners,
      '--format',
      'cef',
      '--output',
      output,
      '--result-limit',
      String(LIMIT),
      '--concurrency',
      String(CONCURRENCY),
    ],
    {},
    path.join(dir, 'rss'),
  );
  return { ms, peakKb, lines: countLines(output) };
}

async function runBare(details: SandboxDetails, dir: string): Promise<Run> {
  const output = path.join(dir, 'bare.cef');
  const config = { ...details, owners: OWNERS, limit: LIMIT, concurrency: CONCURRENCY, output };
  const { ms, peakKb } = await measureProcess(
    ['bench/cli-bare.mjs'],
    { TC_BENCH_BARE: JSON.stringify(config) },
    path.join(dir, 'rss'),
  );
  return { ms, peakKb, lines: countLines(output) };
}

async function compare(details: SandboxDetails, dir: string, rounds: number) {
  const bare: Run[] = [];
  const cli: Run[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const pair = round % 2 === 0 ? [runBare, runCli] : [runCli, runBare];
    for (const run of pair) (run === runBare ? bare : cli).push(await run(details, dir));
  }
  const lines = new Set([...bare, ...cli].map((r) => r.lines));
  if (lines.size !== 1) throw new Error(`the runs wrote different line counts: ${[...lines].join(', ')}`);
  const pick = (runs: Run[]) => ({
    ms: median(runs.map((r) => r.ms)),
    peakKb: median(runs.map((r) => r.peakKb)),
    lines: runs[0]?.lines ?? 0,
  });
  // The ratios of each round's pair (run one after the other): a machine whose load drifts during the
  // benchmark shifts both runs of a pair alike, where it would shift a ratio of medians.
  const paired = (value: (r: Run) => number) => median(cli.map((c, i) => value(c) / value(bare[i] as Run)));
  return {
    bare: pick(bare),
    cli: pick(cli),
    time: paired((r) => r.ms),
    rss: paired((r) => r.peakKb),
  };
}

function print(label: string, result: Awaited<ReturnType<typeof compare>>): void {
  const { bare, cli, time, rss } = result;
  console.log(`${label}: ${cli.lines} CEF lines`);
  console.log(
    `   time: bare loop ${(bare.ms / 1000).toFixed(2)} s, CLI ${(cli.ms / 1000).toFixed(2)} s, ratio ` +
      `${time.toFixed(3)}x, the median of the rounds' ratios (target <= 1.3x: ${time <= 1.3 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `   peak RSS: bare loop ${mb(bare.peakKb)}, CLI ${mb(cli.peakKb)}, ratio ${rss.toFixed(3)}x ` +
      `the median of the rounds' ratios (target <= 1.3x: ${rss <= 1.3 ? 'met' : 'NOT met'})`,
  );
}

async function main(): Promise<void> {
  const indicators = flag('--indicators', 100_000);
  const large = flag('--large', 1_000_000, 0);
  const rounds = flag('--rounds', 3);
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}`);
  console.log(`pages of ${LIMIT}, concurrency ${CONCURRENCY}, owners ${OWNERS.join(', ')}, ${rounds} rounds`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-cli-'));
  const stops: (() => void)[] = [];
  try {
    const small = readOnlyDatabase(dir, 'small', indicators);
    const sandbox = await startSandboxProcess(small);
    stops.push(sandbox.stop);
    const smallResult = await compare(sandbox.details, dir, rounds);
    sandbox.stop();
    print(`${indicators} indicators`, smallResult);
    if (large > 0) {
      const big = readOnlyDatabase(dir, 'large', large);
      const bigSandbox = await startSandboxProcess(big);
      stops.push(bigSandbox.stop);
      const largeResult = await compare(bigSandbox.details, dir, Math.min(rounds, 2));
      bigSandbox.stop();
      print(`${large} indicators`, largeResult);
      const flat = largeResult.cli.peakKb / smallResult.cli.peakKb;
      const peak = largeResult.cli.peakKb / 1024;
      console.log(
        `   CLI peak RSS, ${large} / ${indicators} indicators: ${flat.toFixed(3)}x (flat: ` +
          `${flat <= 1.1 ? 'yes' : 'NO'}); ${peak.toFixed(1)} MB (target <= 150 MB: ${peak <= 150 ? 'met' : 'NOT met'})`,
      );
    }
  } finally {
    for (const stop of stops) stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
