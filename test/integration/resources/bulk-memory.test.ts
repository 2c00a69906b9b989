/**
 * Issue 11, bulk download: a 100,000-indicator bulk JSON report streamed by the SDK has a peak RSS
 * within 1.3x of the page-wise stream of the same data (decisions.md 6: each side's own process; the
 * sandbox in a process of its own, on a database built beforehand).
 *
 * - The database: `threatconnect sandbox --db FILE --seed-indicators 265000`, built at the sandbox's
 *   start before it listens, which puts 101,000 active indicators in `Example Org` (about 40% of the
 *   generated ones, 95% of them active).
 * - The report is built once before the measurements (the first request runs it), so the two children
 *   only read.
 * - Each side runs in a child process (bulk-memory-child.ts) that prints its count and `VmHWM`: the
 *   page-wise side is `tc.indicators().stream()` over the owner (pages of 500, the client's default
 *   concurrency), the other `tc.bulk(owner).json()`, whose items also carry each indicator's tags and
 *   attributes (the page-wise side reads without them: the stricter baseline, and a cheaper one for
 *   the sandbox).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ThreatConnect } from '../../../src/index.js';
import { type SandboxProcess, startSandboxProcess } from '../../helpers/sandbox-process.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./bulk-memory-child.ts', import.meta.url));
const SEED = 265_000;
const OWNER = 'Example Org';
const EXPECTED = 101_000;

async function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const proc = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(proc, 'close')) as [number | null];
  assert.equal(code, 0, `node ${args.join(' ')} exited with ${String(code)}: ${stderr}`);
  return stdout;
}

interface Measure {
  mode: string;
  count: number;
  peakKb: number;
  cpuMs: number;
}

describe('bulk JSON report: peak memory of the SDK stream', () => {
  let dir: string;
  let sandbox: SandboxProcess | undefined;
  let env: NodeJS.ProcessEnv;
  /** Wall times of the preparation, for the record. */
  const took = { seedMs: 0, runMs: 0 };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bulk-memory-'));
    const db = path.join(dir, 'bulk.sqlite');
    // The sandbox builds the --db file at its start (as `--seed-only` would, without a second process
    // opening it again), before it listens and before any measurement.
    const seedStart = performance.now();
    sandbox = await startSandboxProcess(['--db', db, '--seed-indicators', String(SEED)]);
    took.seedMs = performance.now() - seedStart;
    env = {
      ...process.env,
      TC_API_BASE_URL: sandbox.baseUrl,
      TC_API_ACCESS_ID: sandbox.accessId,
      TC_API_SECRET_KEY: sandbox.secretKey,
      TC_API_DEFAULT_ORG: sandbox.defaultOrg,
    };
    // The first request runs the report; the children then only read it.
    const tc = new ThreatConnect({
      baseUrl: sandbox.baseUrl,
      accessId: sandbox.accessId,
      secretKey: sandbox.secretKey,
      defaultOrg: sandbox.defaultOrg,
    });
    try {
      const runStart = performance.now();
      assert.equal((await tc.bulk(OWNER).status()).status, 'Complete');
      took.runMs = performance.now() - runStart;
    } finally {
      await tc.close();
    }
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const measure = async (mode: 'pages' | 'bulk'): Promise<Measure> => {
    const out = await runNode(['--import', 'tsx', child, mode, OWNER], env);
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Measure;
  };

  it('streams 100,000+ indicators within 1.3x the peak RSS of the page-wise stream', async (t) => {
    const pages = await measure('pages');
    const bulk = await measure('bulk');
    assert.equal(pages.count, EXPECTED);
    assert.equal(bulk.count, EXPECTED);
    const ratio = bulk.peakKb / pages.peakKb;
    // For the record: the figures behind the ratio.
    t.diagnostic(
      `peak RSS: bulk json() ${(bulk.peakKb / 1024).toFixed(1)} MB, page-wise stream() ${(pages.peakKb / 1024).toFixed(1)} MB, ratio ${ratio.toFixed(3)}; CPU ${bulk.cpuMs} ms and ${pages.cpuMs} ms; seeding ${Math.round(took.seedMs)} ms, the report's run ${Math.round(took.runMs)} ms`,
    );
    assert.ok(
      ratio <= 1.3,
      `bulk ${bulk.peakKb} KiB vs page-wise ${pages.peakKb} KiB: ratio ${ratio.toFixed(3)}`,
    );
  });
});
