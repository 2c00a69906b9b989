/**
 * Sandbox benchmark (issue 7 section 4, "the sandbox must not be the bottleneck of what it measures";
 * decisions.md 6: machine, baseline, figure, ratio).
 *
 * 1. Seeding. Each size of `--seed-sizes` is seeded into a new `--db` file by a child process, which
 *    reports its own time, CPU and peak memory (`VmHWM` of /proc/self/status). Targets: 300,000
 *    indicators peak under 450 MB; 1,000,000 ready (child started to child done) in under 60 s.
 * 2. `threatconnect sandbox --db` starts on the `--indicators` database (100,000 by default) in its own
 *    process. Every window of every owner's listing is read once first, so the figures are warm.
 * 3. Pages of 500 against the smallest authenticated request, `GET /v2/owners/mine`, alternating, and
 *    the sandbox process's CPU per page and per baseline request. Target: the median page costs at most
 *    2x the median baseline.
 * 4. A bare client (undici, one keep-alive connection per server, HMAC-signed, each body parsed)
 *    lists every indicator of every owner in pages of 500 from the sandbox and from a static server
 *    that replays the exact bytes and headers the sandbox sent for each path and query. The two
 *    listings run in lockstep, page by page, which server goes first alternating, so that a busy
 *    machine slows both alike; each server's time is the sum of its pages. The static server is a tiny
 *    node:http server in this file, run in its own process like the sandbox, so that both answer from
 *    another process. Target: the sandbox takes at most 1.3x the static server's time.
 *    Then filtered pages (`filters=`), warm and cold, against the same baseline (no target).
 * 5. Pages per second with 8 and 32 concurrent clients.
 *
 * Run alone on the machine: `npm run bench:sandbox`, or
 * `npm run bench:sandbox -- --indicators 100000 --seed-sizes 100000,300000,1000000 --rounds 7`.
 * `--seed-sizes ''` skips step 1 (the listing database is still seeded).
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Pool } from 'undici';

const root = path.resolve(import.meta.dirname, '..');
const PAGE = 500;
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

function integer(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** CPU time (user + system) of a process so far, in ms, from /proc/PID/stat. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

// ---- 1. seeding, in a child process ----

interface SeedReport {
  n: number;
  seedMs: number;
  cpuMs: number;
  peakBytes: number;
  dbBytes: number;
  indicators: number;
  active: number;
}

/** The child: seeds `dbPath` and prints one JSON line with its own figures. */
async function seedChild(n: number, dbPath: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { startSandbox } = await import('../src/sandbox/index.js');
  const sandbox = await startSandbox({ dbPath, seedIndicators: n });
  await sandbox.close();
  const seedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const status = readFileSync('/proc/self/status', 'utf8');
  const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbPath, { readonly: true });
  const counts = db.prepare('SELECT COUNT(*) AS n, SUM(active) AS active FROM indicators').get() as {
    n: number;
    active: number;
  };
  db.close();
  const report: SeedReport = {
    n,
    seedMs,
    cpuMs: (used.user + used.system) / 1000,
    peakBytes: peakKiB * 1024,
    dbBytes: statSync(dbPath).size,
    indicators: counts.n,
    active: counts.active,
  };
  console.log(JSON.stringify(report));
}

async function seed(n: number, dbPath: string): Promise<SeedReport & { readyMs: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'sandbox.bench.ts'), '--child-seed', String(n), dbPath],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seeding ${String(n)} exited with ${String(code)}`);
  const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as SeedReport;
  return { ...report, readyMs: performance.now() - started };
}

// ---- 2. the sandbox process ----

interface Details {
  baseUrl: string;
  accessId: string;
  secretKey: string;
}

async function startSandboxProcess(
  dbPath: string,
): Promise<{ details: Details; pid: number; stop: () => void }> {
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
  return {
    details: JSON.parse(line) as Details,
    pid: child.pid ?? 0,
    stop: () => child.kill('SIGTERM'),
  };
}

type Dispatcher = Client | Pool;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

/** One HMAC-signed GET, timed from sending to the last byte of the body. */
async function signedGet(dispatcher: Dispatcher, details: Details, pathAndQuery: string): Promise<Answer> {
  const wire = new URL(details.baseUrl).pathname + pathAndQuery;
  const ts = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', details.secretKey)
    .update(`${wire}:GET:${String(ts)}`)
    .digest('base64');
  const start = performance.now();
  const res = await dispatcher.request({
    method: 'GET',
    path: wire,
    headers: { Timestamp: String(ts), Authorization: `TC ${details.accessId}:${sig}` },
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  const ms = performance.now() - start;
  if (res.statusCode !== 200)
    throw new Error(`${pathAndQuery}: ${String(res.statusCode)} ${body.toString().slice(0, 200)}`);
  return { status: res.statusCode, headers: res.headers, body, ms };
}

const pagePath = (owner: string, start: number): string =>
  `/v2/indicators?owner=${encodeURIComponent(owner).replace(/%20/g, '+')}&resultLimit=${String(PAGE)}&resultStart=${String(start)}`;

/**
 * What a bare client does to list every indicator of every owner: pages of 500 in order, each body
 * parsed, until a page comes back short. `onPage` sees each answer. Returns the number of indicators.
 */
async function listEverything(
  dispatcher: Dispatcher,
  details: Details,
  onPage?: (pathAndQuery: string, answer: Answer) => void,
): Promise<number> {
  let count = 0;
  for (const owner of OWNERS) {
    for (let start = 0; ; start += PAGE) {
      const pathAndQuery = pagePath(owner, start);
      const answer = await signedGet(dispatcher, details, pathAndQuery);
      onPage?.(pathAndQuery, answer);
      const items = (JSON.parse(answer.body.toString('utf8')) as { data: { indicator: unknown[] } }).data
        .indicator;
      count += items.length;
      if (items.length < PAGE) break;
    }
  }
  return count;
}

type Recorded = Map<string, { headers: Record<string, string>; body: Buffer }>;

interface Side {
  dispatcher: Dispatcher;
  details: Details;
}

/**
 * One round of step 4: the listing of {@link listEverything} from both servers in lockstep, page by
 * page, the first server alternating from page to page, so both see the machine in the same state.
 * Returns each server's total: the sum of its pages' times, each from sending the request to the parsed
 * body. Both must give the same items.
 */
async function listBoth(a: Side, b: Side, round: number): Promise<[number, number]> {
  const totals = [0, 0];
  const sides = [a, b] as const;
  let page = 0;
  for (const owner of OWNERS) {
    for (let start = 0; ; start += PAGE) {
      const pathAndQuery = pagePath(owner, start);
      const counts = [0, 0];
      for (const which of (page + round) % 2 === 0 ? [0, 1] : [1, 0]) {
        const side = sides[which] as Side;
        const begin = performance.now();
        const answer = await signedGet(side.dispatcher, side.details, pathAndQuery);
        const items = (JSON.parse(answer.body.toString('utf8')) as { data: { indicator: unknown[] } }).data
          .indicator;
        totals[which] = (totals[which] ?? 0) + performance.now() - begin;
        counts[which] = items.length;
      }
      if (counts[0] !== counts[1])
        throw new Error(`${pathAndQuery}: ${String(counts[0])} and ${String(counts[1])} items`);
      page += 1;
      if ((counts[0] ?? 0) < PAGE) break;
    }
  }
  return [totals[0] ?? 0, totals[1] ?? 0];
}

/**
 * The child: a node:http server answering each recorded path and query with the recorded bytes and
 * headers, read from `file` (a JSON index line, then the bodies). Prints its port.
 */
async function replayChild(file: string): Promise<void> {
  const data = readFileSync(file);
  const newline = data.indexOf(10);
  const index = JSON.parse(data.subarray(0, newline).toString('utf8')) as {
    url: string;
    headers: Record<string, string>;
    length: number;
  }[];
  const recorded: Recorded = new Map();
  let offset = newline + 1;
  for (const entry of index) {
    recorded.set(entry.url, { headers: entry.headers, body: data.subarray(offset, offset + entry.length) });
    offset += entry.length;
  }
  const server = http.createServer((req, res) => {
    const hit = recorded.get(req.url ?? '');
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, hit.headers);
    res.end(hit.body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log(String((server.address() as AddressInfo).port));
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
  });
}

/** Starts the replay server of `recorded` in its own process. */
async function staticServer(
  recorded: Recorded,
  dir: string,
): Promise<{ baseUrl: string; close: () => void }> {
  const file = path.join(dir, 'replay.bin');
  const index = [...recorded].map(([url, r]) => ({ url, headers: r.headers, length: r.body.length }));
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`), ...[...recorded.values()].map((r) => r.body)]),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'sandbox.bench.ts'), '--child-replay', file],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`replay server exited with ${String(code)}`));
    });
  });
  return { baseUrl: `http://127.0.0.1:${port}/api`, close: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const indicators = integer('--indicators', 100_000);
  const seedSizes = option('--seed-sizes', '100000,300000')
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  const rounds = Math.max(1, integer('--rounds', 5));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `machine: ${cpu}, ${String(os.cpus().length)} cores, node ${process.version}; load average ${load()}`,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-'));
  const dbFor = (n: number): string => path.join(dir, `seed-${String(n)}.sqlite`);
  try {
    // 1. Seeding.
    for (const n of seedSizes) {
      const r = await seed(n, dbFor(n));
      const targets =
        n === 300_000
          ? ` (target: peak < 450 MB, ${verdict(r.peakBytes < 450 * 1024 * 1024)})`
          : n === 1_000_000
            ? ` (target: ready < 60 s, ${verdict(r.readyMs < 60_000)})`
            : '';
      console.log(
        `seed ${String(n)}: ready in ${(r.readyMs / 1000).toFixed(2)} s (seeding ${(r.seedMs / 1000).toFixed(2)} s, ` +
          `CPU ${(r.cpuMs / 1000).toFixed(2)} s), peak RSS ${mb(r.peakBytes)}, db ${mb(r.dbBytes)}, ` +
          `${String(r.indicators)} indicators of which ${String(r.active)} active${targets}`,
      );
      if (n !== indicators) rmSync(dbFor(n), { force: true });
    }
    const dbPath = dbFor(indicators);
    if (!existsSync(dbPath)) await seed(indicators, dbPath);

    // 2. The sandbox process, warmed by one full listing.
    const sandbox = await startSandboxProcess(dbPath);
    const pool = new Pool(new URL(sandbox.details.baseUrl).origin, { connections: 32 });
    const client = new Client(new URL(sandbox.details.baseUrl).origin);
    try {
      const recorded: Recorded = new Map();
      const wirePrefix = new URL(sandbox.details.baseUrl).pathname;
      const listed = await listEverything(client, sandbox.details, (pathAndQuery, answer) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          // Node adds these itself, as it does for the sandbox.
          if (['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) continue;
          if (typeof value === 'string') headers[name] = value;
        }
        recorded.set(wirePrefix + pathAndQuery, { headers, body: answer.body });
      });
      const bodies = [...recorded.values()].reduce((sum, r) => sum + r.body.length, 0);
      // As the listing cache counts them (src/sandbox/listing-cache.ts): bodies, 512 a page, 128 an item.
      const cached = bodies + recorded.size * 512 + listed * 128;
      console.log(
        `listing: ${String(listed)} indicators of ${String(OWNERS.length)} owners in ${String(recorded.size)} pages of up to ${String(PAGE)}, ` +
          `${mb(bodies)} of JSON; the listing cache counts ${mb(cached)} for them`,
      );

      // 3. Pages against the baseline, alternating, then the sandbox's CPU for each alone.
      const windows = Math.max(1, Math.floor(listed / 3 / PAGE));
      const pageAt = (i: number): string => pagePath('Example Community', (i % windows) * PAGE);
      const baseline: number[] = [];
      const pages: number[] = [];
      for (let i = 0; i < 50; i += 1) {
        await signedGet(client, sandbox.details, '/v2/owners/mine');
        await signedGet(client, sandbox.details, pageAt(i));
      }
      for (let i = 0; i < 300; i += 1) {
        baseline.push((await signedGet(client, sandbox.details, '/v2/owners/mine')).ms);
        pages.push((await signedGet(client, sandbox.details, pageAt(i))).ms);
      }
      const cpuPer = async (count: number, path: (i: number) => string): Promise<number> => {
        const before = cpuMs(sandbox.pid);
        for (let i = 0; i < count; i += 1) await signedGet(client, sandbox.details, path(i));
        return (cpuMs(sandbox.pid) - before) / count;
      };
      const baseCpu = await cpuPer(500, () => '/v2/owners/mine');
      const pageCpu = await cpuPer(500, pageAt);
      const pageMedian = median(pages);
      const baseMedian = median(baseline);
      console.log(
        `baseline GET /v2/owners/mine: median ${baseMedian.toFixed(2)} ms, p95 ${percentile(baseline, 0.95).toFixed(2)} ms, ` +
          `sandbox CPU ${baseCpu.toFixed(2)} ms per request`,
      );
      console.log(
        `page of ${String(PAGE)} indicators (warm): median ${pageMedian.toFixed(2)} ms, p95 ${percentile(pages, 0.95).toFixed(2)} ms, ` +
          `sandbox CPU ${pageCpu.toFixed(2)} ms per page; ratio to baseline ${(pageMedian / baseMedian).toFixed(2)}x ` +
          `(target <= 2x, ${verdict(pageMedian / baseMedian <= 2)}); CPU ratio ${(pageCpu / baseCpu).toFixed(2)}x`,
      );

      // 3b. Filtered pages (rest-api-v2.md 4.2): warm (the same filter again, served by the caches) and
      // cold (a filter not seen before: its ids are selected over the owner's indicators). No target.
      const filtered = (filter: string): string =>
        `${pageAt(0)}&filters=${encodeURIComponent(filter).replace(/%2C/g, ',')}`;
      const warm: number[] = [];
      const cold: number[] = [];
      await signedGet(client, sandbox.details, filtered('rating>1,confidence>10'));
      // Apart, so that a cold request's garbage is not collected during a warm one.
      for (let i = 0; i < 100; i += 1)
        warm.push((await signedGet(client, sandbox.details, filtered('rating>1,confidence>10'))).ms);
      for (let i = 0; i < 100; i += 1) {
        const filter = `confidence>${String(i % 90)},dateAdded>2015-01-0${String(1 + (i % 9))}`;
        cold.push((await signedGet(client, sandbox.details, filtered(filter))).ms);
      }
      console.log(
        `filtered page of up to ${String(PAGE)}: warm median ${median(warm).toFixed(2)} ms ` +
          `(${(median(warm) / baseMedian).toFixed(2)}x baseline), cold median ${median(cold).toFixed(2)} ms ` +
          `(${(median(cold) / baseMedian).toFixed(2)}x baseline; a new filter selects its ids over the owner's indicators)`,
      );

      // 4. A bare client listing everything, sandbox against the static replay, alternating.
      const replay = await staticServer(recorded, dir);
      const replayClient = new Client(new URL(replay.baseUrl).origin);
      const replayDetails = { ...sandbox.details, baseUrl: replay.baseUrl };
      try {
        await listEverything(replayClient, replayDetails);
        const fromSandbox: number[] = [];
        const fromReplay: number[] = [];
        for (let round = 0; round < rounds; round += 1) {
          const [s, r] = await listBoth(
            { dispatcher: client, details: sandbox.details },
            { dispatcher: replayClient, details: replayDetails },
            round,
          );
          fromSandbox.push(s);
          fromReplay.push(r);
        }
        const s = median(fromSandbox);
        const r = median(fromReplay);
        console.log(
          `bare client listing all ${String(listed)} indicators: sandbox median ${(s / 1000).toFixed(3)} s, ` +
            `static replay median ${(r / 1000).toFixed(3)} s (${String(rounds)} rounds, pages alternating); ` +
            `ratio ${(s / r).toFixed(2)}x (target <= 1.3x, ${verdict(s / r <= 1.3)})`,
        );
      } finally {
        await replayClient.close();
        replay.close();
      }

      // 5. Concurrent clients.
      for (const concurrency of [8, 32]) {
        const count = 400;
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < count) {
              const i = next;
              next += 1;
              await signedGet(pool, sandbox.details, pageAt(i));
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        console.log(`${String(concurrency)} concurrent clients: ${(count / seconds).toFixed(0)} pages/s`);
      }
    } finally {
      await client.close();
      await pool.close();
      sandbox.stop();
    }
    console.log(`load average at the end: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childSeed = process.argv.indexOf('--child-seed');
const childReplay = process.argv.indexOf('--child-replay');
(childSeed !== -1
  ? seedChild(Number(process.argv[childSeed + 1]), process.argv[childSeed + 2] ?? '')
  : childReplay !== -1
    ? replayChild(process.argv[childReplay + 1] ?? '')
    : main()
).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
