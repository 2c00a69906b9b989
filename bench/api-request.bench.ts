/**
 * `apiRequest` overhead (issue 3 "Benchmark"; decisions.md 6): the SDK's `tc.apiRequest(ro)` against a
 * bare undici `request()` to the same sandbox endpoint, both signed the same way (HMAC, a fresh
 * timestamp per request) over a keep-alive `Agent` with the same settings. Target: ratio <= 1.15x.
 *
 * The sandbox runs in a separate process (`threatconnect sandbox --json --seed-indicators 0`). After a
 * warm-up, each side makes `--requests` sequential `GET /v2/owners/mine` calls, in alternating rounds so
 * that drift of the machine affects both alike; every request is timed on its own.
 *
 * Run alone on the machine: `npm run bench:client [-- --requests 2000] [-- --rounds N]`.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import type * as Sdk from '../src/index.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const requests = flag('--requests', 2000);
// One request per side per round by default: the two sides alternate request by request, so both see
// the same machine state (the sandbox shares the two cores), which keeps the ratio steady.
const rounds = Math.min(flag('--rounds', requests), requests);
const warmUp = flag('--warm-up', 300);
const root = path.resolve(import.meta.dirname, '..');
const ENDPOINT = '/v2/owners/mine';

interface SandboxDetails {
  baseUrl: string;
  accessId: string;
  secretKey: string;
  defaultOrg: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function startSandboxProcess(): Promise<{ details: SandboxDetails; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--json', '--seed-indicators', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`sandbox exited with ${String(code)}`));
    });
  });
  return {
    details: JSON.parse(line) as SandboxDetails,
    stop: () => child.kill('SIGTERM'),
  };
}

/**
 * The BUILT package (dist/index.js, which `npm run bench:client` builds first) is what is measured. The
 * specifier is computed so that type-checking (`npm run lint`) does not need dist/ on a fresh clone; the
 * types are those of the sources dist is compiled from.
 */
async function loadBuiltSdk(): Promise<typeof Sdk> {
  const entry = new URL('../dist/index.js', import.meta.url).href;
  return (await import(entry)) as typeof Sdk;
}

async function main(): Promise<void> {
  const { RequestObject, ThreatConnect } = await loadBuiltSdk();
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, ${os.platform()}`,
  );
  const { details, stop } = await startSandboxProcess();
  const base = new URL(details.baseUrl);
  // The wire target of both sides: the SDK sends createActivityLog=false first on every request.
  const wire = `${base.pathname}${ENDPOINT}?createActivityLog=false`;
  const url = `${base.origin}${wire}`;
  // The bare side's dispatcher: the same pool settings as the SDK's transport.
  const agent = new Agent({
    connections: 32,
    keepAliveTimeout: 10_000,
    headersTimeout: 32_000,
    bodyTimeout: 32_000,
    connect: { timeout: 30_000 },
  });
  const tc = new ThreatConnect(details.accessId, details.secretKey, details.defaultOrg, details.baseUrl);

  const bare = async (): Promise<number> => {
    const started = performance.now();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', details.secretKey)
      .update(`${wire}:GET:${timestamp}`)
      .digest('base64');
    const response = await request(url, {
      method: 'GET',
      headers: { Timestamp: String(timestamp), Authorization: `TC ${details.accessId}:${signature}` },
      dispatcher: agent,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const elapsed = performance.now() - started;
    if (response.statusCode !== 200) throw new Error(`bare: ${response.statusCode} ${body.toString('utf8')}`);
    return elapsed;
  };
  const sdk = async (): Promise<number> => {
    const started = performance.now();
    const ro = new RequestObject();
    ro.setHttpMethod('GET');
    ro.setRequestUri(ENDPOINT);
    const results = await tc.apiRequest(ro);
    const data = results.content;
    const elapsed = performance.now() - started;
    if (results.status !== 200) throw new Error(`sdk: ${results.status} ${data.toString('utf8')}`);
    return elapsed;
  };

  try {
    for (let i = 0; i < warmUp; i += 1) {
      await bare();
      await sdk();
    }
    const times = { bare: [] as number[], sdk: [] as number[] };
    const perRound = Math.ceil(requests / rounds);
    for (let round = 0; round < rounds; round += 1) {
      const count = Math.min(perRound, requests - round * perRound);
      // Alternate which side goes first, so neither always runs on a warmer machine.
      const order = round % 2 === 0 ? (['bare', 'sdk'] as const) : (['sdk', 'bare'] as const);
      for (const side of order) {
        const run = side === 'bare' ? bare : sdk;
        for (let i = 0; i < count; i += 1) times[side].push(await run());
      }
    }
    const row = (name: string, values: readonly number[]): string =>
      `${name.padEnd(22)} median ${median(values).toFixed(3)} ms, mean ${mean(values).toFixed(3)} ms, ` +
      `p95 ${percentile(values, 0.95).toFixed(3)} ms (${values.length} requests)`;
    console.log(`endpoint: GET ${wire}, ${warmUp} warm-up requests each, ${rounds} alternating rounds`);
    console.log(row('bare undici request()', times.bare));
    console.log(row('tc.apiRequest(ro)', times.sdk));
    const medianRatio = median(times.sdk) / median(times.bare);
    const meanRatio = mean(times.sdk) / mean(times.bare);
    console.log(
      `ratio apiRequest / bare: median ${medianRatio.toFixed(3)}x, mean ${meanRatio.toFixed(3)}x ` +
        `(target <= 1.15x: ${medianRatio <= 1.15 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await tc.close();
    await agent.close();
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
