/**
 * `apiRequestPages` against a bare undici loop (issue 6 section 3; decisions.md 6): every indicator of a
 * 100,000-indicator sandbox (each owner's `/v2/indicators`, pages of 500), at concurrency 1 and 4.
 * Target: SDK / bare <= 1.10x at each concurrency.
 *
 * - The database is built beforehand (`threatconnect sandbox --db FILE --seed-only`), and the sandbox
 *   runs in a separate process on it.
 * - The bare side signs each window with HMAC, keeps the same number of windows in flight after the
 *   first (which gives `resultCount`), and `JSON.parse`s every page, as the SDK does.
 * - The BUILT package (dist/) is measured; `npm run bench:pages` builds it first.
 * - Runs alternate (bare, SDK, then SDK, bare), so drift of the shared machine affects both alike; the
 *   figures are medians over the rounds.
 *
 * Run alone on the machine: `npm run bench:pages [-- --indicators 100000] [-- --rounds 5]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import {
  barePage,
  loadBuiltSdk,
  median,
  root,
  type SandboxDetails,
  sandboxCli,
  startSandboxProcess,
} from './support.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const indicators = flag('--indicators', 100_000);
const rounds = flag('--rounds', 5);
const LIMIT = 500;

/** The bare side: signed undici requests, the same windows and concurrency, JSON.parse per page. */
function bareLister(details: SandboxDetails, agent: Agent) {
  const page = (owner: string, start: number) => barePage(details, agent, owner, start, LIMIT);

  return async (owners: readonly string[], concurrency: number): Promise<number> => {
    let items = 0;
    for (const owner of owners) {
      const first = await page(owner, 0);
      items += first.count;
      const starts: number[] = [];
      for (let start = LIMIT; start < (first.total ?? 0); start += LIMIT) starts.push(start);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < starts.length) {
          const start = starts[next++] ?? 0;
          // Read the count first: `items += await …` would read `items` before the wait and lose updates.
          const { count } = await page(owner, start);
          items += count;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
    return items;
  };
}

async function main(): Promise<void> {
  const sdk = await loadBuiltSdk();
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-pages-'));
  const dbPath = path.join(dir, 'pages.sqlite');
  const seeded = spawnSync(
    process.execPath,
    sandboxCli(['--db', dbPath, '--seed-only', '--seed-indicators', String(indicators)]),
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (seeded.status !== 0) throw new Error('seeding failed');
  const { details, stop } = await startSandboxProcess(dbPath);
  const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  const tc = new sdk.ThreatConnect({ ...details, apiResultLimit: LIMIT });
  try {
    const ownersRo = new sdk.RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners');
    const owners = (await tc.apiRequest(ownersRo))
      .json<{ data: { owner: { name: string }[] } }>()
      .data.owner.map((o) => o.name);
    const bare = bareLister(details, agent);
    const viaSdk = async (_owners: readonly string[], concurrency: number): Promise<number> => {
      let items = 0;
      for (const owner of owners) {
        const ro = new sdk.RequestObject()
          .setHttpMethod('GET')
          .setOwner(owner)
          .setRequestUri('/v2/indicators');
        for await (const page of tc.apiRequestPages(ro, { concurrency })) items += page.items.length;
      }
      return items;
    };
    const time = async (fn: (o: readonly string[], c: number) => Promise<number>, c: number) => {
      const started = performance.now();
      const items = await fn(owners, c);
      return { ms: performance.now() - started, items };
    };
    // Warm-up: one walk each.
    const expected = (await time(bare, 4)).items;
    const sdkItems = (await time(viaSdk, 4)).items;
    if (sdkItems !== expected)
      throw new Error(`the two sides listed different counts: bare ${expected}, SDK ${sdkItems}`);
    console.log(`${expected} indicators in ${owners.length} owners, pages of ${LIMIT}, ${rounds} rounds`);
    for (const concurrency of [1, 4]) {
      const times = { bare: [] as number[], sdk: [] as number[] };
      for (let round = 0; round < rounds; round += 1) {
        const order = round % 2 === 0 ? (['bare', 'sdk'] as const) : (['sdk', 'bare'] as const);
        for (const side of order) {
          const result = await time(side === 'bare' ? bare : viaSdk, concurrency);
          if (result.items !== expected)
            throw new Error(`${side}: ${result.items} items, expected ${expected}`);
          times[side].push(result.ms);
        }
      }
      const ratio = median(times.sdk) / median(times.bare);
      console.log(
        `concurrency ${concurrency}: bare undici median ${median(times.bare).toFixed(1)} ms, ` +
          `apiRequestPages median ${median(times.sdk).toFixed(1)} ms, ratio ${ratio.toFixed(3)}x ` +
          `(target <= 1.10x: ${ratio <= 1.1 ? 'met' : 'NOT met'})`,
      );
    }
  } finally {
    await tc.close();
    await agent.close();
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
