/**
 * Formats benchmark (issue 9; decisions.md 6): lines per second of each format over 1,000,000
 * indicator records, in one JS thread, formatting measured in-process (no I/O, no encoding).
 *
 * Targets: >= 1,000,000 lines/s for CSV and KeyVal, >= 700,000 lines/s for CEF and LEEF. JSON, the
 * compat mode and the `formatLines` generator are printed for information.
 *
 * Records: built with `fromApiIndicator` from wire items like the API's list items: the five modelled
 * types in turn plus a custom ASN every 50th, realistic lengths (100-character webLinks), 80% rated,
 * half with a description, 5% of those holding characters that need escaping (`= | \ "`, a line
 * break). They are built page by page (500, the API's largest page) as the JSON text of a page,
 * parsed back with `JSON.parse` as a client parses one (so the strings are flat, as in real use), and
 * each page is formatted right after, by every format in turn (the order rotates from page to page), as
 * a stream formats records as they arrive; building is not timed. (Formatting a million records built
 * beforehand measures mostly cache misses: such a heap is far larger than the CPU caches, and no
 * streaming consumer works that way.) The baseline is `JSON.stringify` of the same records, so a run on
 * a busy machine still gives comparable ratios.
 *
 * Each round formats all records (the same ones); the figure is the median of `--rounds` (default 3)
 * after a warm-up round of 100,000. The formatters are the built package's (dist/). Run alone on the
 * machine:
 * `npm run bench:formats [-- --records N] [-- --rounds N] [-- --only CEF,LEEF]`.
 */
import os from 'node:os';
import type { FormatName, FormatRecord, IndicatorRecord } from '../src/formats/index.js';
import { loadBuiltSdk } from './support.js';

// The BUILT package (dist/), as users run it: `npm run bench:formats` builds it first. (Through tsx,
// every call into another module of the sources goes through an export getter, about 15% of a CEF line.)
const { createFormatter, formatLines, fromApiIndicator } = await loadBuiltSdk();

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const recordCount = flag('--records', 1_000_000);
const rounds = flag('--rounds', 3);
/** `--only CEF,LEEF`: those cases (by label) besides the baseline, for profiling one format. */
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : new Set((process.argv[onlyIndex + 1] ?? '').split(','));

/** A deterministic PRNG (mulberry32), so every run formats the same records. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789ABCDEF';

const PAGE = 500;

/** Records `first` to `first + count - 1`; the same ones every time (each page has its own seed). */
function buildPage(first: number, count: number): IndicatorRecord[] {
  const random = prng(20150621 + first);
  const hex = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i += 1) out += HEX.charAt(Math.floor(random() * 16));
    return out;
  };
  const pad = (v: number): string => String(v).padStart(2, '0');
  const date = (): string =>
    `20${pad(15 + Math.floor(random() * 10))}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}T${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}${random() < 0.5 ? 'Z' : '-05:00'}`;
  const owners = ['Example Community', 'Example Org', 'Common Community'];
  const items: Record<string, unknown>[] = [];
  for (let i = first; i < first + count; i += 1) {
    const id = 1_000_000 + i;
    const kind = i % 50 === 49 ? 5 : i % 5;
    const owner = owners[i % 3] as string;
    const item: Record<string, unknown> = {
      id,
      ownerName: owner,
      dateAdded: date(),
      lastModified: date(),
      confidence: Math.floor(random() * 101),
    };
    if (random() < 0.8) item.rating = Math.floor(random() * 11) / 2;
    if (random() < 0.5) {
      item.description =
        random() < 0.05
          ? `Callback "C2" seen=twice | path C:\\temp\\x.exe\nsecond line #${i}`
          : `Observed in campaign ${i % 977} against the finance sector`;
    }
    const encodedOwner = owner.replaceAll(' ', '+');
    switch (kind) {
      case 0: {
        const value = `host${i}.badguy-${i % 1000}.example.com`;
        Object.assign(item, {
          type: 'Host',
          summary: value,
          dnsActive: random() < 0.5 ? 'true' : 'false',
          whoisActive: 'false',
        });
        item.webLink = `https://app.threatconnect.com/auth/indicators/details/host.xhtml?host=${value}&owner=${encodedOwner}`;
        break;
      }
      case 1: {
        const value = `10.${i % 256}.${(i >> 8) % 256}.${(i >> 16) % 256}`;
        Object.assign(item, { type: 'Address', summary: value });
        item.webLink = `https://app.threatconnect.com/auth/indicators/details/address.xhtml?address=${value}&owner=${encodedOwner}`;
        break;
      }
      case 2: {
        const md5 = hex(32);
        const summary = random() < 0.5 ? `${md5} : ${hex(40)} : ${hex(64)}` : md5;
        Object.assign(item, { type: 'File', summary });
        item.webLink = `https://app.threatconnect.com/auth/indicators/details/file.xhtml?file=${md5}&owner=${encodedOwner}`;
        break;
      }
      case 3: {
        const value = `http://bad${i}.example.com/path/${i % 97}/index.php?id=${i}&q=download`;
        Object.assign(item, { type: 'URL', summary: value });
        item.webLink = `https://app.threatconnect.com/auth/indicators/details/url.xhtml?orgid=${id}&owner=${encodedOwner}`;
        break;
      }
      case 4: {
        const value = `phisher${i}@bad-${i % 1000}.example.com`;
        Object.assign(item, { type: 'EmailAddress', summary: value });
        item.webLink = `https://app.threatconnect.com/auth/indicators/details/emailaddress.xhtml?emailaddress=${encodeURIComponent(value)}&owner=${encodedOwner}`;
        break;
      }
      default: {
        Object.assign(item, { type: 'ASN', summary: `AS${10_000 + (i % 50_000)}` });
        item.webLink = `https://app.threatconnect.com/auth/indicators/details/customIndicator.xhtml?id=${id}&owner=${encodedOwner}`;
      }
    }
    items.push(item);
  }
  // Through JSON text and back, as a page arrives from the API: flat strings, as JSON.parse makes them.
  const page = JSON.parse(JSON.stringify({ status: 'Success', data: { indicator: items } })) as {
    data: { indicator: unknown[] };
  };
  return page.data.indicator.map((item) => fromApiIndicator(item));
}

interface Case {
  label: string;
  /** `undefined`: the baseline, `JSON.stringify` of the record. */
  format: FormatName | undefined;
  compat: boolean;
  target?: number;
  /** Through `formatLines` (a generator) instead of the formatter function. */
  lines?: boolean;
}

const ALL_CASES: readonly Case[] = [
  { label: 'JSON.stringify', format: undefined, compat: false },
  { label: 'CSV', format: 'csv', compat: false, target: 1_000_000 },
  { label: 'KeyVal', format: 'keyval', compat: false, target: 1_000_000 },
  { label: 'CEF', format: 'cef', compat: false, target: 700_000 },
  { label: 'LEEF', format: 'leef', compat: false, target: 700_000 },
  { label: 'JSON', format: 'json', compat: false },
  { label: 'CEF compat', format: 'cef', compat: true },
  { label: 'KeyVal compat', format: 'keyval', compat: true },
  { label: 'CEF formatLines', format: 'cef', compat: false, lines: true },
];

const CASES = ALL_CASES.filter((c) => c.format === undefined || only === undefined || only.has(c.label));
if (CASES.length === 1)
  throw new Error(`--only names no case; the cases: ${ALL_CASES.map((c) => c.label).join(', ')}`);

interface Totals {
  seconds: number;
  cpuSeconds: number;
  chars: number;
}

/** One round over `count` records: every page built, then formatted by each case; time per case. */
function round(count: number, formatters: readonly ((record: FormatRecord) => string)[]): Totals[] {
  const totals = CASES.map(() => ({ seconds: 0, cpuSeconds: 0, chars: 0 }));
  for (let first = 0; first < count; first += PAGE) {
    const page = buildPage(first, Math.min(PAGE, count - first));
    // The order rotates from page to page, so no case always runs first after the page was built.
    for (let k = 0; k < CASES.length; k += 1) {
      const i = (k + first / PAGE) % CASES.length;
      const c = CASES[i] as Case;
      const format = formatters[i] as (record: FormatRecord) => string;
      const total = totals[i] as Totals;
      let chars = 0;
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      if (c.lines === true && c.format !== undefined) {
        for (const line of formatLines(page, c.format)) chars += line.length;
      } else {
        for (let j = 0; j < page.length; j += 1) chars += format(page[j] as FormatRecord).length;
      }
      total.seconds += Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpu);
      total.cpuSeconds += (used.user + used.system) / 1e6;
      total.chars += chars;
    }
  }
  return totals;
}

function loadText(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

function main(): void {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, ${os.platform()}`,
  );
  console.log(`load average at start: ${loadText()}`);
  console.log(
    `records: ${recordCount.toLocaleString('en-US')} per round, in pages of ${PAGE}; ${rounds} rounds, median shown`,
  );
  console.log(
    'Figures: lines per wall-clock second; "per CPU s" divides by the CPU time the process got instead,',
  );
  console.log('which estimates an idle machine when other work shares the cores.');
  console.log('');
  const formatters = CASES.map((c) =>
    c.format === undefined
      ? (record: FormatRecord) => JSON.stringify(record)
      : createFormatter(c.format, c.compat ? { compat: 'python-sdk' } : undefined),
  );
  round(Math.min(recordCount, 100_000), formatters); // warm-up
  const rounds_: Totals[][] = [];
  for (let r = 0; r < rounds; r += 1) rounds_.push(round(recordCount, formatters));
  const rateOf = (i: number): { rate: number; cpuRate: number; mbs: number } => {
    const results = rounds_.map((totals) => totals[i] as Totals).sort((a, b) => a.seconds - b.seconds);
    const mid = results[Math.floor(results.length / 2)] as Totals;
    return {
      rate: recordCount / mid.seconds,
      cpuRate: recordCount / mid.cpuSeconds,
      mbs: mid.chars / mid.seconds / 1e6,
    };
  };
  const baseline = rateOf(0).rate;
  console.log('format            lines/s   per CPU s   MB/s   vs baseline   target     vs target');
  let failed = false;
  for (const [i, c] of CASES.entries()) {
    const { rate, cpuRate, mbs } = rateOf(i);
    const target = c.target;
    if (target !== undefined && rate < target) failed = true;
    console.log(
      [
        c.label.padEnd(15),
        Math.round(rate).toLocaleString('en-US').padStart(10),
        Math.round(cpuRate).toLocaleString('en-US').padStart(11),
        mbs.toFixed(0).padStart(6),
        `${(rate / baseline).toFixed(2)}x`.padStart(13),
        (target === undefined ? '-' : target.toLocaleString('en-US')).padStart(10),
        target === undefined ? '' : `${(rate / target).toFixed(2)}x`.padStart(13),
      ].join(' '),
    );
  }
  console.log('baseline: JSON.stringify of the same records (V8 native), the floor of "a record as text".');
  console.log('');
  console.log(`load average at end: ${loadText()}`);
  console.log(
    failed
      ? 'RESULT: below target (rerun alone on the machine before concluding)'
      : 'RESULT: every target met',
  );
}

main();
