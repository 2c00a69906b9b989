/**
 * Retrieval benchmark (issue 8, filters; decisions.md 6): the resource containers' `stream()` and
 * `retrieve()` against a bare loop of undici requests over the same pages, their peak memory, and two
 * filter shapes.
 *
 * 1. Floor: every indicator of an N-indicator sandbox (a filter object with the three owners: each
 *    owner's `/v2/indicators`, pages of 500) by `stream()` and by `retrieve()`, against a bare loop of
 *    signed undici requests + `JSON.parse` fetching the same windows at the same concurrency (1 and 4).
 *    Runs alternate in a Williams square (each side follows each other side equally often: a side
 *    pays for the garbage of the run before it); the ratio is the median over the rounds of
 *    each round's ratio (drift cancels out), with the ratio of the medians beside it. Target: <= 1.2x.
 * 2. Memory: each side in a child process of its own, which reports its peak RSS (`VmHWM` of
 *    /proc/self/status): `stream()` of N and of M (1,000,000) indicators next to the bare loop's peak in
 *    the same run. Targets: stream <= 1.3x bare, and flat: stream(M) <= 1.1x stream(N). `retrieve()` of N
 *    is printed for the record (it keeps every object). Each side runs `--memory-runs` times (3 by
 *    default), the sides alternating, and the medians are compared: one process's peak moves by 10 to
 *    30 MB from run to run with the timing of the garbage collector and of glibc's malloc (its dynamic
 *    mmap threshold), for the bare loop as much as for `stream()`.
 * 3. Filters over N, each in a child process: a union of three tag filters, and an intersection of it
 *    with the base listing under two post filters; time, peak RSS, and the count checked against
 *    `sampleData(N)`.
 *
 * - Each database is built beforehand (`threatconnect sandbox --db FILE --seed-only --seed-indicators N`)
 *   and the sandbox runs in a separate process on it.
 * - The BUILT package (dist/) is measured; `npm run bench:retrieval` builds it first. With
 *   `TC_BENCH_DIST=DIR`, the build in DIR is measured instead (the dist/ of a copy of the tree at
 *   another commit, with its own node_modules): run the two in turn to compare them.
 *
 * Run alone on the machine: `npm run bench:retrieval [-- --indicators 100000] [-- --large 1000000]
 * [-- --rounds 8] [-- --memory-runs 3] [-- --db-dir DIR]`; `--rounds` is rounded up to a multiple of 4 (whole squares),
 * `--large 0` skips the large database, and `--db-dir` keeps the
 * databases in DIR for later runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import {
  barePage,
  flag,
  loadBuiltSdk,
  median,
  peakRssKb,
  readOnlyDatabase,
  root,
  type SandboxDetails,
  startSandboxProcess,
} from './support.js';
import type * as Sdk from '../src/index.js';

const LIMIT = 500;
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];
const UNION_TAGS = ['APT', 'Phishing', 'C2'];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

type Mode = 'bare' | 'stream' | 'retrieve' | 'union' | 'intersection';

interface Measure {
  mode: Mode;
  items: number;
  ms: number;
  /** Peak resident set size, KiB. */
  peakKb: number;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

/** The bare side: signed undici requests, the same windows and concurrency, `JSON.parse` per page. */
function bareLister(details: SandboxDetails, agent: Agent, keep = false) {
  return async (concurrency: number): Promise<number> => {
    // `keep`: every item is kept until the walk ends, as `retrieve()` keeps every object.
    const kept: unknown[] | undefined = keep ? [] : undefined;
    const page = (owner: string, start: number) => barePage(details, agent, owner, start, LIMIT, kept);
    let items = 0;
    for (const owner of OWNERS) {
      const first = await page(owner, 0);
      items += first.count;
      const starts: number[] = [];
      for (let start = LIMIT; start < (first.total ?? 0); start += LIMIT) starts.push(start);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < starts.length) {
          const start = starts[next++] ?? 0;
          const { count } = await page(owner, start);
          items += count;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
    return items;
  };
}

/** The SDK side of each mode. */
function sdkRunner(sdk: typeof Sdk, tc: Sdk.ThreatConnect) {
  return async (mode: Exclude<Mode, 'bare'>, concurrency: number): Promise<number> => {
    const container = tc.indicators();
    if (mode === 'stream' || mode === 'retrieve') {
      container.addFilter().addOwner(OWNERS);
    } else {
      const union = container.addFilter().addOwner(OWNERS);
      for (const tag of UNION_TAGS) union.addTag(tag);
      if (mode === 'intersection') {
        container
          .addFilter()
          .addOwner(OWNERS)
          .addFilterOperator(sdk.FilterSetOperator.AND)
          .addPfConfidence(50, sdk.FilterOperator.GE)
          .addPfRating(2, sdk.FilterOperator.GE);
      }
    }
    if (mode === 'retrieve') {
      await container.retrieve({ concurrency });
      return container.length;
    }
    let items = 0;
    for await (const indicator of container.stream({ concurrency })) {
      if (indicator.id > 0) items += 1;
    }
    return items;
  };
}

// ---- child: one measurement in a process of its own ----

async function child(mode: Mode): Promise<void> {
  const details = JSON.parse(process.env.TC_BENCH_SANDBOX ?? '{}') as SandboxDetails;
  const concurrency = flag('--concurrency', 4);
  const sdk = await loadBuiltSdk();
  const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  const tc = new sdk.ThreatConnect({ ...details, apiResultLimit: LIMIT });
  try {
    const started = performance.now();
    const items =
      mode === 'bare'
        ? await bareLister(details, agent)(concurrency)
        : await sdkRunner(sdk, tc)(mode, concurrency);
    const ms = performance.now() - started;
    const measure: Measure = { mode, items, ms, peakKb: peakRssKb() };
    console.log(JSON.stringify(measure));
  } finally {
    await tc.close();
    await agent.close();
  }
}

async function measureInChild(details: SandboxDetails, mode: Mode, concurrency = 4): Promise<Measure> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join('bench', 'retrieval.bench.ts'),
      '--child',
      mode,
      '--concurrency',
      String(concurrency),
    ],
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

/** Medians of a side's runs, with every run's peak kept for printing. */
interface Peaks extends Measure {
  readonly runs: readonly number[];
}

/**
 * Each of `modes` measured `runs` times in child processes, the sides alternating within each run,
 * checked to give the same count; per side the median time and peak, with every peak.
 */
async function measurePeaks<M extends Mode>(
  details: SandboxDetails,
  modes: readonly M[],
  runs: number,
): Promise<Record<M, Peaks>> {
  const all = new Map<M, Measure[]>(modes.map((m) => [m, []]));
  for (let run = 0; run < runs; run += 1) {
    for (const mode of modes) all.get(mode)?.push(await measureInChild(details, mode));
  }
  const out = {} as Record<M, Peaks>;
  for (const mode of modes) {
    const measures = all.get(mode) ?? [];
    const items = measures[0]?.items ?? 0;
    for (const m of measures)
      if (m.items !== items) throw new Error(`${mode}: ${m.items} indicators, then ${items}`);
    out[mode] = {
      mode,
      items,
      ms: median(measures.map((m) => m.ms)),
      peakKb: median(measures.map((m) => m.peakKb)),
      runs: measures.map((m) => m.peakKb),
    };
  }
  const first = out[modes[0] as M];
  for (const mode of modes) {
    if (out[mode].items !== first.items)
      throw new Error(`${mode}: ${out[mode].items} indicators, ${first.mode} ${first.items}`);
  }
  return out;
}

/** `151.2 MB (150.0, 151.2, 160.3)`: the median and every run. */
const peaks = (p: Peaks): string =>
  p.runs.length === 1
    ? mb(p.peakKb)
    : `${mb(p.peakKb)} (${p.runs.map((kb) => (kb / 1024).toFixed(1)).join(', ')})`;

// ---- parent ----

async function floor(sdk: typeof Sdk, details: SandboxDetails, rounds: number): Promise<number> {
  const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  const tc = new sdk.ThreatConnect({ ...details, apiResultLimit: LIMIT });
  try {
    const bare = bareLister(details, agent);
    const bareKeep = bareLister(details, agent, true);
    const run = sdkRunner(sdk, tc);
    const sides = {
      bare: (c: number) => bare(c),
      bareKeep: (c: number) => bareKeep(c),
      stream: (c: number) => run('stream', c),
      retrieve: (c: number) => run('retrieve', c),
    } as const;
    // Warm-up, and the count every side must reach.
    const expected = await bare(4);
    for (const side of ['bareKeep', 'stream', 'retrieve'] as const) {
      const got = await sides[side](4);
      if (got !== expected) throw new Error(`${side} gave ${got} indicators, the bare loop ${expected}`);
    }
    console.log(
      `\n1. Floor: ${expected} indicators in ${OWNERS.length} owners, pages of ${LIMIT}, ${rounds} rounds`,
    );
    const order = ['bare', 'stream', 'bareKeep', 'retrieve'] as const;
    // A Williams square: over four rounds each side runs right after each other side once, so no
    // side always inherits the same neighbour's garbage (a side that keeps 95,000 items leaves ~60 MB
    // for the next run's collector; in a plain rotation the bare loop always ran after `retrieve()`).
    // No collection is forced between runs: after one, V8 starts the next run with a small young
    // generation, which penalises the side that allocates more per item far beyond a steady state.
    const square = [
      [0, 1, 3, 2],
      [1, 2, 0, 3],
      [2, 3, 1, 0],
      [3, 0, 2, 1],
    ] as const;
    for (const concurrency of [1, 4]) {
      const times = {
        bare: [] as number[],
        bareKeep: [] as number[],
        stream: [] as number[],
        retrieve: [] as number[],
      };
      for (let round = 0; round < rounds; round += 1) {
        for (const k of square[round % square.length] ?? []) {
          const side = order[k];
          const started = performance.now();
          const items = await sides[side](concurrency);
          times[side].push(performance.now() - started);
          if (items !== expected) throw new Error(`${side}: ${items} indicators, expected ${expected}`);
        }
      }
      const b = median(times.bare);
      // The ratio is the median over the rounds of each round's own ratio (the side's run against the
      // baseline's run in the same round): drift in the machine's speed, which moves both runs of a
      // round alike, cancels out. The ratio of the medians is printed beside it.
      const line = (side: 'stream' | 'retrieve', baseSide: 'bare' | 'bareKeep', what: string): string => {
        const base = median(times[baseSide]);
        const paired = median(times[side].map((t, i) => t / (times[baseSide][i] ?? Number.NaN)));
        return (
          `   concurrency ${concurrency}: ${what} ${base.toFixed(1)} ms, ${side}() ${median(times[side]).toFixed(1)} ms, ` +
          `ratio ${paired.toFixed(3)}x (target <= 1.2x: ${paired <= 1.2 ? 'met' : 'NOT met'}; ratio of the medians ` +
          `${(median(times[side]) / base).toFixed(3)}x)`
        );
      };
      console.log(line('stream', 'bare', 'bare undici'));
      console.log(line('retrieve', 'bareKeep', 'bare undici keeping every item'));
      console.log(
        `      (retrieve() against the bare loop that keeps nothing: ${(median(times.retrieve) / b).toFixed(3)}x)`,
      );
    }
    return expected;
  } finally {
    await tc.close();
    await agent.close();
  }
}

async function main(): Promise<void> {
  const childMode = option('--child');
  if (childMode !== undefined) {
    await child(childMode as Mode);
    return;
  }
  const indicators = flag('--indicators', 100_000);
  const large = flag('--large', 1_000_000, 0);
  // Whole Williams squares only: a partial square would let one order of sides count more than another.
  const asked = flag('--rounds', 8);
  const rounds = Math.ceil(asked / 4) * 4;
  if (rounds !== asked)
    console.log(`--rounds ${asked} rounded up to ${rounds}, a whole number of 4-round squares`);
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}`);
  const sdk = await loadBuiltSdk();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-retrieval-'));
  const stops: (() => void)[] = [];
  try {
    const small = readOnlyDatabase(dir, 'small', indicators);
    const sandbox = await startSandboxProcess(small);
    stops.push(sandbox.stop);
    const total = await floor(sdk, sandbox.details, rounds);

    const memoryRuns = flag('--memory-runs', 3);
    console.log(
      `\n2. Memory: peak RSS of each side in a process of its own, concurrency 4; ${memoryRuns} runs of each ` +
        'side, alternating, and their median (one run alone moves by 10-30 MB with the garbage collector ' +
        "and the C allocator's timing)",
    );
    const memSmall = await measurePeaks(sandbox.details, ['bare', 'stream', 'retrieve'], memoryRuns);
    const bareSmall = memSmall.bare;
    const streamSmall = memSmall.stream;
    const ratioSmall = streamSmall.peakKb / bareSmall.peakKb;
    console.log(
      `   ${total} indicators: bare ${peaks(bareSmall)}, stream() ${peaks(streamSmall)}, ratio ` +
        `${ratioSmall.toFixed(3)}x (target <= 1.3x: ${ratioSmall <= 1.3 ? 'met' : 'NOT met'}); ` +
        `retrieve() ${peaks(memSmall.retrieve)} (for the record)`,
    );
    if (large > 0) {
      const big = readOnlyDatabase(dir, 'large', large);
      const bigSandbox = await startSandboxProcess(big);
      stops.push(bigSandbox.stop);
      const largeRuns = await measurePeaks(bigSandbox.details, ['bare', 'stream'], memoryRuns);
      bigSandbox.stop();
      const bareLarge = largeRuns.bare;
      const streamLarge = largeRuns.stream;
      const ratioLarge = streamLarge.peakKb / bareLarge.peakKb;
      const flat = streamLarge.peakKb / streamSmall.peakKb;
      console.log(
        `   ${bareLarge.items} indicators: bare ${peaks(bareLarge)}, stream() ${peaks(streamLarge)}, ratio ` +
          `${ratioLarge.toFixed(3)}x (target <= 1.3x: ${ratioLarge <= 1.3 ? 'met' : 'NOT met'})`,
      );
      console.log(
        `   flat: stream() of ${bareLarge.items} / of ${total} = ${flat.toFixed(3)}x, medians ` +
          `(target <= 1.1x: ${flat <= 1.1 ? 'met' : 'NOT met'})`,
      );
    }

    console.log(`\n3. Filters over ${total} indicators, concurrency 4, each in a process of its own`);
    const { sampleData } = await import('../src/sandbox/index.js');
    const data = sampleData(indicators);
    const union = data.indicators.filter((i) => i.active && UNION_TAGS.some((t) => i.tags.includes(t)));
    const both = union.filter((i) => (i.confidence ?? -1) >= 50 && (i.rating ?? -1) >= 2);
    const expected = { union: union.length, intersection: both.length };
    for (const mode of ['union', 'intersection'] as const) {
      const m = await measureInChild(sandbox.details, mode);
      if (m.items !== expected[mode])
        throw new Error(`${mode}: ${m.items} indicators, expected ${expected[mode]}`);
      const what =
        mode === 'union'
          ? `union of tags ${UNION_TAGS.join(', ')}`
          : 'that union AND the base listing with confidence >= 50 and rating >= 2';
      console.log(`   ${what}: ${m.items} indicators in ${m.ms.toFixed(1)} ms, peak RSS ${mb(m.peakKb)}`);
    }
    console.log(
      `   (bare loop over all ${total}, same process shape: ${bareSmall.ms.toFixed(1)} ms, ${mb(bareSmall.peakKb)}, medians)`,
    );
  } finally {
    for (const stop of stops) stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
