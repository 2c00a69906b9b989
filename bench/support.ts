/**
 * Pieces the listing benchmarks share: the sandbox in a process of its own, the built SDK, medians,
 * and the bare side's signed page request (undici plus `JSON.parse`, as a hand-written client would).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { type Agent, request } from 'undici';
import type * as Sdk from '../src/index.js';

export const root = path.resolve(import.meta.dirname, '..');

export interface SandboxDetails {
  baseUrl: string;
  accessId: string;
  secretKey: string;
  defaultOrg: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** Node arguments that run `threatconnect sandbox …` from the sources. */
export function sandboxCli(args: string[]): string[] {
  return ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', ...args];
}

/** `threatconnect sandbox --db FILE` in its own process, once it prints its connection details. */
export async function startSandboxProcess(
  dbPath: string,
): Promise<{ details: SandboxDetails; stop: () => void }> {
  const child = spawn(process.execPath, sandboxCli(['--db', dbPath, '--json', '--no-exit-with-parent']), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`sandbox exited with ${String(code)}`));
    });
  });
  return { details: JSON.parse(line) as SandboxDetails, stop: () => child.kill('SIGTERM') };
}

/**
 * The BUILT package (dist/), which is what is measured. The specifier is computed so that type-checking
 * does not need dist/ on a fresh clone; the types are those of the sources dist is compiled from.
 * `distDir` (by default TC_BENCH_DIST) names another build's dist/ instead, of the commit before a
 * change, say, to compare the two. That dist/ must sit in a package whose package.json says
 * `"type": "module"` (a copy of the whole tree does): tsx loads the ES modules of a bare copy of dist/
 * as CommonJS, rewritten, and the figures are then those of another program (three times slower for
 * one build, barely slower for another).
 */
export async function loadBuiltSdk(distDir = process.env.TC_BENCH_DIST): Promise<typeof Sdk> {
  if (distDir === undefined || distDir === '') {
    return (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof Sdk;
  }
  const dir = path.resolve(distDir);
  checkModuleScope(dir);
  return (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as typeof Sdk;
}

/** Throws unless the nearest package.json above `dir` makes its .js files ES modules. */
export function checkModuleScope(dir: string): void {
  let found = `No package.json above ${dir}`;
  for (let at = dir; ; at = path.dirname(at)) {
    const manifest = path.join(at, 'package.json');
    if (existsSync(manifest)) {
      const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      if (type === 'module') return;
      found = `${manifest} does not say "type": "module"`;
      break;
    }
    if (path.dirname(at) === at) break;
  }
  throw new Error(
    `${found}, so the build in ${dir} would be loaded as CommonJS: build it in a copy of the whole tree, or put {"type":"module"} in ${path.join(dir, 'package.json')}`,
  );
}

/** One window of an owner's `/v2/indicators`, signed by hand: its item count, and the total on the first. */
export async function barePage(
  details: SandboxDetails,
  agent: Agent,
  owner: string,
  start: number,
  limit: number,
  /** Where the page's items are put, for a loop that keeps what it fetched (as `retrieve()` does). */
  into?: unknown[],
): Promise<{ count: number; total?: number }> {
  const base = new URL(details.baseUrl);
  const wire =
    `${base.pathname}/v2/indicators?createActivityLog=false&owner=${encodeURIComponent(owner).replace(/%20/g, '+')}` +
    `&resultLimit=${limit}&resultStart=${start}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', details.secretKey)
    .update(`${wire}:GET:${timestamp}`)
    .digest('base64');
  const response = await request(`${base.origin}${wire}`, {
    method: 'GET',
    headers: { Timestamp: String(timestamp), Authorization: `TC ${details.accessId}:${signature}` },
    dispatcher: agent,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`bare: ${response.statusCode} ${text}`);
  const data = (JSON.parse(text) as { data: { resultCount?: number; indicator?: unknown[] } }).data;
  if (into !== undefined) for (const item of data.indicator ?? []) into.push(item);
  return {
    count: data.indicator?.length ?? 0,
    ...(data.resultCount === undefined ? {} : { total: data.resultCount }),
  };
}

/** Builds a database of `indicators` generated indicators with `threatconnect sandbox --seed-only`; ms taken. */
export function seedDatabase(dbPath: string, indicators: number): number {
  const started = performance.now();
  const seeded = spawnSync(
    process.execPath,
    sandboxCli(['--db', dbPath, '--seed-only', '--seed-indicators', String(indicators)]),
    { cwd: root, stdio: 'inherit' },
  );
  if (seeded.status !== 0) throw new Error(`seeding ${indicators} indicators failed`);
  return performance.now() - started;
}

/**
 * The database of `indicators` generated indicators for a benchmark that only reads it. With
 * `--db-dir DIR` it is `DIR/indicators-N.sqlite`, seeded the first time and kept for later runs (seeding
 * a million takes ~35 s); without, a new one in `scratch`. Prints the seeding time.
 */
export function readOnlyDatabase(scratch: string, name: string, indicators: number): string {
  const index = process.argv.indexOf('--db-dir');
  const dir = index === -1 ? undefined : process.argv[index + 1];
  if (index !== -1 && (dir === undefined || dir.startsWith('--'))) throw new Error('--db-dir needs a folder');
  const file =
    dir === undefined
      ? path.join(scratch, `${name}.sqlite`)
      : path.join(dir, `indicators-${indicators}.sqlite`);
  if (dir !== undefined && existsSync(file)) {
    console.log(`database of ${indicators} indicators: ${file} (kept from an earlier run)`);
    return file;
  }
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  console.log(`seeding ${indicators} indicators: ${(seedDatabase(file, indicators) / 1000).toFixed(1)} s`);
  return file;
}

/**
 * Runs `node --import ./bench/peak-rss.mjs ARGS` in a process of its own (plain node: the built CLI or a
 * plain-JavaScript bare loop) and measures its wall time and peak RSS (`VmHWM`, KiB).
 */
export async function measureProcess(
  args: string[],
  env: Record<string, string>,
  rssFile: string,
): Promise<{ ms: number; peakKb: number }> {
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', './bench/peak-rss.mjs', ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env, TC_BENCH_RSS_FILE: rssFile },
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${String(code)}`);
  return { ms, peakKb: Number(readFileSync(rssFile, 'utf8')) };
}

/** An integer command-line flag `name N` (at least `min`), or `fallback` when absent. */
export function flag(name: string, fallback: number, min = 1): number {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
  return value;
}

/** This process's peak RSS in KiB: `VmHWM` on Linux, else `maxRSS`. */
export function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1] !== undefined) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
