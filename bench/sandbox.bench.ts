/**
 * Sandbox benchmark (issue: sandbox, "Load and speed"; decisions.md 6).
 *
 * 1. Seeds a 100,000-indicator database in-process and times it (target <= 10 s).
 * 2. Starts `threatconnect sandbox --db` on it in a separate process.
 * 3. Times pages of 500 indicators (target: median <= 10 ms), against a baseline of the smallest
 *    authenticated request (`/v2/owners/mine`) measured in the same run, then pages/s with 8 and 32
 *    concurrent clients.
 *
 * Run alone on the machine: `npm run bench:sandbox [-- --indicators N]`.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { startSandbox } from '../src/sandbox/index.js';

const argIndex = process.argv.indexOf('--indicators');
const indicators = argIndex === -1 ? 100_000 : Number(process.argv[argIndex + 1]);
const root = path.resolve(import.meta.dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpu}, ${os.cpus().length} cores, node ${process.version}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-'));
  const dbPath = path.join(dir, 'bench.sqlite');
  try {
    const t0 = performance.now();
    const seeded = await startSandbox({ dbPath, seedIndicators: indicators });
    const seedMs = performance.now() - t0;
    await seeded.close();
    console.log(`seed: ${indicators} indicators in ${(seedMs / 1000).toFixed(2)} s (target <= 10 s)`);

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--db', dbPath, '--json'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout });
      rl.once('line', resolve);
      child.once('exit', (code) => {
        reject(new Error(`sandbox exited with ${String(code)}`));
      });
    });
    const details = JSON.parse(line) as { baseUrl: string; accessId: string; secretKey: string };
    const base = new URL(details.baseUrl);
    const pool = new Pool(base.origin, { connections: 32 });
    const get = async (pathAndQuery: string): Promise<number> => {
      const wire = base.pathname + pathAndQuery;
      const ts = Math.floor(Date.now() / 1000);
      const sig = createHmac('sha256', details.secretKey).update(`${wire}:GET:${ts}`).digest('base64');
      const start = performance.now();
      const res = await pool.request({
        method: 'GET',
        path: wire,
        headers: { Timestamp: String(ts), Authorization: `TC ${details.accessId}:${sig}` },
      });
      const body = await res.body.text();
      const elapsed = performance.now() - start;
      if (res.statusCode !== 200) throw new Error(`${pathAndQuery}: ${res.statusCode} ${body.slice(0, 200)}`);
      return elapsed;
    };
    try {
      const owner = 'Example+Community';
      const total = Math.floor(indicators / 3);
      const windows = Math.floor(total / 500);
      const pageAt = (i: number): string =>
        `/v2/indicators?owner=${owner}&resultLimit=500&resultStart=${(i % Math.max(1, windows)) * 500}`;
      for (let i = 0; i < 50; i += 1) {
        await get('/v2/owners/mine');
        await get(pageAt(i));
      }
      const baseline: number[] = [];
      const pages: number[] = [];
      for (let i = 0; i < 300; i += 1) {
        baseline.push(await get('/v2/owners/mine'));
        pages.push(await get(pageAt(i)));
      }
      const pageMedian = median(pages);
      const baseMedian = median(baseline);
      console.log(`baseline (GET /v2/owners/mine): median ${baseMedian.toFixed(2)} ms`);
      console.log(
        `page of 500 indicators from ${indicators}: median ${pageMedian.toFixed(2)} ms, p95 ${percentile(pages, 0.95).toFixed(2)} ms ` +
          `(target <= 10 ms), ratio to baseline ${(pageMedian / baseMedian).toFixed(2)}x`,
      );
      for (const concurrency of [8, 32]) {
        const count = 400;
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < count) {
              const i = next;
              next += 1;
              await get(pageAt(i));
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        console.log(`${concurrency} concurrent clients: ${(count / seconds).toFixed(0)} pages/s`);
      }
    } finally {
      await pool.close();
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
