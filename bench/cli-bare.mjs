// The bare side of bench/cli.bench.ts, in plain JavaScript so that it runs on node alone like the built
// CLI: signed undici requests over the same page windows and owners at the same concurrency,
// `JSON.parse` per page, and a naive CEF line per indicator written to a file (waiting for 'drain').
// Arguments come in TC_BENCH_BARE as JSON: { baseUrl, accessId, secretKey, owners, limit, concurrency, output }.
import { createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Agent, request } from 'undici';

const { baseUrl, accessId, secretKey, owners, limit, concurrency, output } = JSON.parse(
  process.env.TC_BENCH_BARE ?? '{}',
);
const base = new URL(baseUrl);
const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
const out = createWriteStream(output);
const esc = (v) =>
  String(v ?? '')
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '\\n');
const head = (v) => String(v ?? '').replace(/[\\|]/g, (c) => `\\${c}`);

async function page(owner, start) {
  const wire =
    `${base.pathname}/v2/indicators?createActivityLog=false&owner=${encodeURIComponent(owner).replace(/%20/g, '+')}` +
    `&resultLimit=${limit}&resultStart=${start}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', secretKey).update(`${wire}:GET:${timestamp}`).digest('base64');
  const response = await request(`${base.origin}${wire}`, {
    headers: { Timestamp: String(timestamp), Authorization: `TC ${accessId}:${signature}` },
    dispatcher: agent,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`bare: ${response.statusCode} ${text}`);
  return JSON.parse(text).data;
}

async function write(items) {
  let chunk = '';
  for (const i of items) {
    chunk +=
      `CEF:0|ThreatConnect|ThreatConnect|2|${head(i.type)}|${head(i.summary)}|${Math.round(i.rating ?? 0)}|` +
      `cs1Label=owner cs1=${esc(i.ownerName)} cs2Label=confidence cs2=${esc(i.confidence)} ` +
      `rt=${Date.parse(i.lastModified)} cs3Label=webLink cs3=${esc(i.webLink)}\n`;
  }
  if (!out.write(chunk)) await once(out, 'drain');
}

let lines = 0;
for (const owner of owners) {
  const first = await page(owner, 0);
  const total = first.resultCount ?? 0;
  lines += first.indicator?.length ?? 0;
  await write(first.indicator ?? []);
  const starts = [];
  for (let s = limit; s < total; s += limit) starts.push(s);
  // Pages in flight at once, written in order as the CLI does.
  const pending = [];
  let next = 0;
  const launch = () => {
    if (next < starts.length) pending.push(page(owner, starts[next++]));
  };
  for (let k = 0; k < concurrency; k += 1) launch();
  while (pending.length > 0) {
    const data = await pending.shift();
    launch();
    lines += data.indicator?.length ?? 0;
    await write(data.indicator ?? []);
  }
}
out.end();
await once(out, 'finish');
await agent.close();
console.log(JSON.stringify({ lines }));
