/**
 * Batch ingest throughput: indicators per second of `tc.batch()` for N Host records (default 60,000)
 * against a sandbox in a process of its own (on a temporary `--db` file).
 *
 * Baseline: the sandbox's raw ingest of the same records, through a bare client: the job files built
 * beforehand (outside the timing), then for each job a signed `POST /v2/batch`, the upload and polls
 * (undici, the SDK's poll schedule). The ratio shows what the SDK adds on top of the server's own work:
 * record checks, splitting, the state of the run.
 *
 * Runs alternate (bare, SDK, then SDK, bare) so drift of the shared machine affects both alike.
 * `npm run bench:batch [-- --count 60000] [-- --rounds 1]`
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { type SandboxDetails, loadBuiltSdk, median, startSandboxProcess } from './support.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

const COUNT = flag('count', 60_000);
const ROUNDS = flag('rounds', 1);
const OWNER = 'Example Org';

function hosts(prefix: string): { type: string; summary: string; rating: number }[] {
  return Array.from({ length: COUNT }, (_, i) => ({
    type: 'Host',
    summary: `${prefix}${i}.bench.example.com`,
    rating: 2,
  }));
}

/** Job files as the SDK would cut them: at most 25,000 indicators and 2,000,000 bytes each. */
function jobFiles(records: readonly unknown[]): Buffer[] {
  const files: Buffer[] = [];
  let current: string[] = [];
  let bytes = 30;
  const flush = () => {
    if (current.length > 0) files.push(Buffer.from(`{"indicator":[${current.join(',')}],"group":[]}`));
    current = [];
    bytes = 30;
  };
  for (const record of records) {
    const json = JSON.stringify(record);
    if (current.length >= 25_000 || bytes + json.length + 1 > 2_000_000) flush();
    current.push(json);
    bytes += json.length + 1;
  }
  flush();
  return files;
}

async function signed(
  details: SandboxDetails,
  agent: Agent,
  method: 'GET' | 'POST',
  uri: string,
  body?: { data: Buffer | string; type: string },
): Promise<unknown> {
  const base = new URL(details.baseUrl);
  const wire = `${base.pathname}${uri}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', details.secretKey)
    .update(`${wire}:${method}:${timestamp}`)
    .digest('base64');
  const response = await request(`${base.origin}${wire}`, {
    method,
    headers: {
      Timestamp: String(timestamp),
      Authorization: `TC ${details.accessId}:${signature}`,
      ...(body === undefined ? {} : { 'Content-Type': body.type }),
    },
    ...(body === undefined ? {} : { body: body.data }),
    dispatcher: agent,
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${uri}: ${response.statusCode} ${text}`);
  return JSON.parse(text) as unknown;
}

/** The bare client: create, upload, poll each job in turn; resolves with the ms taken. */
async function bare(details: SandboxDetails, files: readonly Buffer[]): Promise<number> {
  const agent = new Agent();
  const started = performance.now();
  for (const file of files) {
    const config = JSON.stringify({
      version: 'V2',
      owner: OWNER,
      haltOnError: false,
      action: 'Create',
      attributeWriteType: 'Replace',
    });
    const created = (await signed(details, agent, 'POST', '/v2/batch', {
      data: config,
      type: 'application/json',
    })) as {
      data: { batchId: number };
    };
    const id = created.data.batchId;
    await signed(details, agent, 'POST', `/v2/batch/${id}`, { data: file, type: 'application/octet-stream' });
    for (let wait = 100; ; wait = Math.min(5_000, wait * 1.5)) {
      const status = (await signed(details, agent, 'GET', `/v2/batch/${id}`)) as {
        data: { batchStatus: { status: string } };
      };
      if (status.data.batchStatus.status === 'Completed') break;
      await delay(wait);
    }
  }
  const ms = performance.now() - started;
  await agent.close();
  return ms;
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}`);
  console.log(`batch ingest of ${COUNT} Host indicators, ${ROUNDS} round(s) per side`);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-batch-'));
  const sandbox = await startSandboxProcess(path.join(folder, 'bench.db'));
  const { ThreatConnect } = await loadBuiltSdk();
  const tc = new ThreatConnect({ ...sandbox.details, apiSleep: 0.05 });
  const bareMs: number[] = [];
  const sdkMs: number[] = [];
  try {
    const sideBare = async (round: number) => {
      const files = jobFiles(hosts(`bare${round}-`));
      bareMs.push(await bare(sandbox.details, files));
    };
    const sideSdk = async (round: number) => {
      const records = hosts(`sdk${round}-`);
      const started = performance.now();
      const result = await tc.batch(OWNER, records);
      sdkMs.push(performance.now() - started);
      if (result.succeeded !== COUNT) throw new Error(`the SDK stored ${result.succeeded} of ${COUNT}`);
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round % 2 === 0) {
        await sideBare(round);
        await sideSdk(round);
      } else {
        await sideSdk(round);
        await sideBare(round);
      }
    }
  } finally {
    await tc.close();
    sandbox.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const rate = (ms: number) => (COUNT / ms) * 1000;
  const bareRate = rate(median(bareMs));
  const sdkRate = rate(median(sdkMs));
  console.log(
    `baseline (bare upload of pre-built job files + polling): ${bareRate.toFixed(0)} indicators/s (median ${median(bareMs).toFixed(0)} ms)`,
  );
  console.log(`tc.batch: ${sdkRate.toFixed(0)} indicators/s (median ${median(sdkMs).toFixed(0)} ms)`);
  console.log(`ratio (tc.batch / baseline): ${(sdkRate / bareRate).toFixed(2)}`);
}

await main();
