/**
 * Bulk download benchmark (issue 11; decisions.md 6): one owner's bulk JSON report streamed by
 * `tc.bulk(owner).json()` against the page-wise `tc.indicators().stream()` of the same data, each in a
 * child process of its own that reports its time and peak RSS (`VmHWM` of /proc/self/status).
 *
 * - The database is built beforehand (`threatconnect sandbox --db FILE --seed-only --seed-indicators N`;
 *   the default N = 265,000 puts about 101,000 active indicators in `Example Org`), and the sandbox runs
 *   in a separate process on it. The sandbox's own run of the report (its first request) is timed
 *   apart and printed for the record; the measurements only read the report.
 * - The baseline is the plain `stream()`, as in the memory test (bulk-memory.test.ts): the report's
 *   items also carry each indicator's tags and attributes, so this is the stricter comparison.
 *   `stream({ includeTags: true, includeAttributes: true })`, which reads the same data as the report,
 *   is printed for the record.
 * - Rounds alternate the sides; the medians are printed, with the ratios. Targets: peak RSS of the bulk
 *   stream <= 1.3x the page-wise stream's.
 * - The BUILT package (dist/) is measured; `npm run bench:bulk` builds it first.
 *
 * Run alone on the machine: `npm run bench:bulk [-- --indicators 265000] [-- --rounds 3]`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadBuiltSdk,
  median,
  root,
  type SandboxDetails,
  sandboxCli,
  startSandboxProcess,
} from './support.js';

const OWNER = 'Example Org';
const LIMIT = 500;

type Mode = 'bulk' | 'pages' | 'pages-with-metadata';

interface Measure {
  mode: Mode;
  items: number;
  ms: number;
  /** Peak resident set size, KiB. */
  peakKb: number;
}

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1`);
  return value;
}

function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1] !== undefined) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

// ---- child: one measurement in a process of its own ----

async function child(mode: Mode): Promise<void> {
  const details = JSON.parse(process.env.TC_BENCH_SANDBOX ?? '{}') as SandboxDetails;
  const sdk = await loadBuiltSdk();
  const tc = new sdk.ThreatConnect({ ...details, apiResultLimit: LIMIT });
  try {
    const started = performance.now();
    let items = 0;
    if (mode === 'bulk') {
      for await (const indicator of tc.bulk(OWNER).json()) if (indicator.id > 0) items += 1;
    } else {
      const container = tc.indicators();
      container.addFilter().addOwner(OWNER);
      const include = mode === 'pages-with-metadata';
      for await (const indicator of container.stream({ includeTags: include, includeAttributes: include })) {
        if (indicator.id > 0) items += 1;
      }
    }
    const measure: Measure = { mode, items, ms: performance.now() - started, peakKb: peakRssKb() };
    console.log(JSON.stringify(measure));
  } finally {
    await tc.close();
  }
}

async function measureInChild(details: SandboxDetails, mode: Mode): Promise<Measure> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'bulk.bench.ts'), '--child', mode],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TC_BENCH_SANDBOX: JSON.stringify(details) },
    },
  );
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`child ${mode} exited with ${String(code)}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Measure;
}

// ---- parent ----

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex !== -1) {
    await child(process.argv[childIndex + 1] as Mode);
    return;
  }
  const indicators = flag('--indicators', 265_000);
  const rounds = flag('--rounds', 3);
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}`);
  const sdk = await loadBuiltSdk();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-bulk-'));
  let stop: (() => void) | undefined;
  try {
    const db = path.join(dir, 'bulk.sqlite');
    const seedStart = performance.now();
    const seeded = spawnSync(
      process.execPath,
      sandboxCli(['--db', db, '--seed-only', '--seed-indicators', String(indicators)]),
      { cwd: root, stdio: 'inherit' },
    );
    if (seeded.status !== 0) throw new Error(`seeding ${indicators} indicators failed`);
    console.log(`seeding ${indicators} indicators: ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const sandbox = await startSandboxProcess(db);
    stop = sandbox.stop;

    const tc = new sdk.ThreatConnect({ ...sandbox.details });
    const runStart = performance.now();
    const status = await tc.bulk(OWNER).status();
    const runMs = performance.now() - runStart;
    await tc.close();
    console.log(
      `the sandbox's run of the ${OWNER} report (first request): ${(runMs / 1000).toFixed(1)} s, ${status.status}`,
    );

    const order: Mode[] = ['pages', 'bulk', 'pages-with-metadata'];
    const results: Record<Mode, Measure[]> = { bulk: [], pages: [], 'pages-with-metadata': [] };
    for (let round = 0; round < rounds; round += 1) {
      for (let k = 0; k < order.length; k += 1) {
        const mode = order[(round + k) % order.length] as Mode;
        results[mode].push(await measureInChild(sandbox.details, mode));
      }
    }
    const items = results.bulk[0]?.items ?? 0;
    for (const mode of order) {
      for (const m of results[mode]) {
        if (m.items !== items) throw new Error(`${mode}: ${m.items} indicators, bulk ${items}`);
      }
    }
    const summary = (mode: Mode) => ({
      ms: median(results[mode].map((m) => m.ms)),
      peakKb: median(results[mode].map((m) => m.peakKb)),
    });
    const pages = summary('pages');
    const bulk = summary('bulk');
    const withMetadata = summary('pages-with-metadata');
    console.log(
      `\n${items} indicators of ${OWNER}, medians of ${rounds} rounds, each side in a process of its own`,
    );
    console.log(
      `   baseline: page-wise stream(), pages of ${LIMIT}: ${(pages.ms / 1000).toFixed(2)} s, peak RSS ${mb(pages.peakKb)}`,
    );
    const rss = bulk.peakKb / pages.peakKb;
    console.log(
      `   bulk json(): ${(bulk.ms / 1000).toFixed(2)} s (${(bulk.ms / pages.ms).toFixed(3)}x), peak RSS ${mb(bulk.peakKb)}, ` +
        `ratio ${rss.toFixed(3)}x (target <= 1.3x: ${rss <= 1.3 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `   for the record, stream({ includeTags, includeAttributes }) (the report's data): ${(withMetadata.ms / 1000).toFixed(2)} s, peak RSS ${mb(withMetadata.peakKb)}`,
    );
  } finally {
    stop?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
