/**
 * CPU cost of retrieval, for a machine too busy for wall-clock figures (issue 8): the client process's
 * own CPU time (`process.cpuUsage()`, user + system) for a fixed workload, which other processes on the
 * machine distort far less than elapsed time. The sandbox runs in a process of its own, so its work is
 * not counted.
 *
 * Sides, as in bench/retrieval.bench.ts: the bare loop (signed undici requests + `JSON.parse`), the
 * same loop keeping every item (`keep`, the floor `retrieve()` is paired with),
 * `apiRequestPages` (the SDK's pipeline and page windows, no objects), `stream()` and `retrieve()`, and
 * `cef` (`stream()` with each indicator formatted as CEF: a consumer with work of its own), of
 * every indicator of an N-indicator database in pages of 500, at
 * concurrency 1 and 4. Runs alternate; the minimum and the median CPU time over the rounds are
 * printed, with the median over the rounds of each run's ratio to the bare run of its round, and the
 * elapsed time's median and paired ratio beside them (for reference: bench/retrieval.bench.ts is the
 * elapsed-time benchmark).
 *
 * `npm run build && tsx bench/retrieval-cpu.ts [--indicators 20000] [--rounds 9] [--db FILE]
 * [--sdk OTHER/dist] [--compare OTHER/dist] [--only SIDE,SIDE] [--concurrency N]`:
 * - `--db` reuses a database seeded earlier with the same `--indicators`;
 * - `--sdk` measures another build instead of dist/;
 * - `--compare` adds the sides of another build (e.g. of the commit before a change, built in a copy
 *   of the tree) to the same alternating rounds: the fairest before/after on a loaded machine;
 * - `--only stream --concurrency 4`, with node's `--cpu-prof`, profiles one side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import type * as Sdk from '../src/index.js';
import { barePage, loadBuiltSdk, median, root, sandboxCli, startSandboxProcess } from './support.js';

const LIMIT = 500;
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function main(): Promise<void> {
  const indicators = Number(flag('--indicators') ?? 20_000);
  const rounds = Number(flag('--rounds') ?? 9);
  const only = flag('--only');
  const onlyConcurrency = flag('--concurrency');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-cpu-'));
  const db = flag('--db') ?? path.join(dir, 'db.sqlite');
  let stop = (): void => undefined;
  try {
    if (!existsSync(db)) {
      const seeded = spawnSync(
        process.execPath,
        sandboxCli(['--db', db, '--seed-only', '--seed-indicators', String(indicators)]),
        { cwd: root, stdio: 'inherit' },
      );
      if (seeded.status !== 0) throw new Error('seeding failed');
    }
    const sandbox = await startSandboxProcess(db);
    stop = sandbox.stop;
    const details = sandbox.details;
    const sdkDir = flag('--sdk');
    const sdk = await loadBuiltSdk(sdkDir);
    const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
    const tc = new sdk.ThreatConnect({ ...details, apiResultLimit: LIMIT });
    /** The bare loop; with `into`, it keeps every item it fetched (the floor of `retrieve()`). */
    const bare = async (concurrency: number, into?: unknown[]): Promise<number> => {
      let items = 0;
      for (const owner of OWNERS) {
        const first = await barePage(details, agent, owner, 0, LIMIT, into);
        items += first.count;
        const starts: number[] = [];
        for (let start = LIMIT; start < (first.total ?? 0); start += LIMIT) starts.push(start);
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < starts.length) {
            const start = starts[next++] ?? 0;
            const { count } = await barePage(details, agent, owner, start, LIMIT, into);
            items += count;
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
      }
      return items;
    };
    const sdkSide =
      (client: Sdk.ThreatConnect, mode: 'stream' | 'retrieve' | 'cef') => async (concurrency: number) => {
        const container = client.indicators();
        container.addFilter().addOwner(OWNERS);
        if (mode === 'retrieve') {
          await container.retrieve({ concurrency });
          return container.length;
        }
        let items = 0;
        if (mode === 'cef') {
          // A consumer with work of its own per object, as an export to a SIEM has.
          for await (const indicator of container.stream({ concurrency })) {
            if (indicator.cef.length > 0) items += 1;
          }
          return items;
        }
        for await (const indicator of container.stream({ concurrency })) {
          if (indicator.id > 0) items += 1;
        }
        return items;
      };
    /** `apiRequestPages`: the pipeline and the page windows without objects, to tell their cost apart. */
    const pages = async (concurrency: number): Promise<number> => {
      let items = 0;
      for (const owner of OWNERS) {
        const ro = new sdk.RequestObject()
          .setHttpMethod('GET')
          .setOwner(owner)
          .setRequestUri('/v2/indicators');
        for await (const page of tc.apiRequestPages(ro, { concurrency })) items += page.items.length;
      }
      return items;
    };
    type Run = (concurrency: number) => Promise<number>;
    const sides: Record<string, Run> = {
      bare: (concurrency) => bare(concurrency),
      keep: async (concurrency) => {
        const kept: unknown[] = [];
        await bare(concurrency, kept);
        return kept.length;
      },
      pages,
      stream: sdkSide(tc, 'stream'),
      retrieve: sdkSide(tc, 'retrieve'),
      cef: sdkSide(tc, 'cef'),
    };
    const compare = flag('--compare');
    let other: Sdk.ThreatConnect | undefined;
    if (compare !== undefined) {
      const otherSdk = await loadBuiltSdk(compare);
      other = new otherSdk.ThreatConnect({ ...details, apiResultLimit: LIMIT });
      sides['stream@compare'] = sdkSide(other, 'stream');
      sides['retrieve@compare'] = sdkSide(other, 'retrieve');
      sides['cef@compare'] = sdkSide(other, 'cef');
    }
    const order = only === undefined ? Object.keys(sides) : only.split(',');
    const expected = await bare(4);
    for (const side of order) await sides[side]?.(4); // warm-up (and the sandbox's listing cache)
    const cpus = os.cpus();
    console.log(
      `${cpus[0]?.model ?? 'CPU'}, ${cpus.length} cores, node ${process.version}; ${expected} indicators, ` +
        `pages of ${LIMIT}, ${rounds} rounds; client CPU ms (user+system)`,
    );
    const concurrencies = onlyConcurrency === undefined ? [1, 4] : [Number(onlyConcurrency)];
    for (const concurrency of concurrencies) {
      const cpu: Record<string, number[]> = Object.fromEntries(order.map((side) => [side, []]));
      const wall: Record<string, number[]> = Object.fromEntries(order.map((side) => [side, []]));
      for (let round = 0; round < rounds; round += 1) {
        for (let k = 0; k < order.length; k += 1) {
          const side = order[(round + k) % order.length] ?? 'bare';
          const run = sides[side];
          if (run === undefined) throw new Error(`no side ${side}`);
          const before = cpuMs();
          const started = performance.now();
          const items = await run(concurrency);
          cpu[side]?.push(cpuMs() - before);
          wall[side]?.push(performance.now() - started);
          if (items !== expected) throw new Error(`${side}: ${items} indicators, expected ${expected}`);
        }
      }
      // The ratio of each round to the bare run of the same round (paired: the machine's drift
      // affects both alike), then the median of those. `retrieve()` keeps what it fetched: it is
      // paired with the bare loop that keeps every item, when that side runs.
      for (const side of order) {
        const times = cpu[side] ?? [];
        const min = Math.min(...times);
        const baseSide = side.startsWith('retrieve') && cpu.keep !== undefined ? 'keep' : 'bare';
        const baseTimes = cpu[baseSide];
        const paired =
          baseTimes === undefined || side === 'bare'
            ? ''
            : `, paired ratio to ${baseSide} median ${median(times.map((t, i) => t / (baseTimes[i] ?? Number.NaN))).toFixed(3)}x`;
        const walls = wall[side] ?? [];
        const baseWalls = wall[baseSide];
        const wallPaired =
          baseWalls === undefined || side === 'bare'
            ? ''
            : ` (${median(walls.map((t, i) => t / (baseWalls[i] ?? Number.NaN))).toFixed(3)}x ${baseSide})`;
        console.log(
          `  c${concurrency} ${side.padEnd(16)} min ${min.toFixed(1)} ms, median ${median(times).toFixed(1)} ms${paired}; ` +
            `elapsed median ${median(walls).toFixed(1)} ms${wallPaired}`,
        );
      }
    }
    await tc.close();
    await other?.close();
    await agent.close();
  } finally {
    stop();
    if (flag('--db') === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
