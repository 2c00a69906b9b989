/**
 * Formats benchmark (issue 9; decisions.md 6): lines per second of each format over 1,000,000
 * indicator records, in one JS thread, formatting measured in-process (no I/O).
 *
 * Targets: >= 1,000,000 lines/s for CSV and KeyVal, >= 700,000 lines/s for CEF and LEEF. JSON and the
 * compat mode are printed for information. The records are built beforehand with `fromApiIndicator`
 * from wire items like the API's list items: the five modelled types in turn plus a custom ASN every
 * 50th, realistic lengths (100-character webLinks), half with a description, 5% of those holding
 * characters that need escaping (`= | \ "`, a line break).
 *
 * Each format runs `--rounds` times (default 3) over all records after a warm-up; the figure is the
 * median round. Run alone on the machine: `npm run bench:formats [-- --records N] [-- --rounds N]`.
 */
import os from 'node:os';
import {
  createFormatter,
  type FormatName,
  type FormatRecord,
  formatLines,
  fromApiIndicator,
  type IndicatorRecord,
} from '../src/formats/index.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const recordCount = flag('--records', 1_000_000);
const rounds = flag('--rounds', 3);

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

function buildRecords(n: number): IndicatorRecord[] {
  const random = prng(20150621);
  const hex = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i += 1) out += HEX.charAt(Math.floor(random() * 16));
    return out;
  };
  const pad = (v: number): string => String(v).padStart(2, '0');
  const date = (): string =>
    `20${pad(15 + Math.floor(random() * 10))}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}T${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}${random() < 0.5 ? 'Z' : '-05:00'}`;
  const owners = ['Example Community', 'Example Org', 'Common Community'];
  const records: IndicatorRecord[] = [];
  for (let i = 0; i < n; i += 1) {
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
    records.push(fromApiIndicator(item));
  }
  return records;
}

/** One pass: every record through `format`; returns seconds and the characters written. */
function pass(
  records: readonly FormatRecord[],
  format: (record: FormatRecord) => string,
): { seconds: number; cpuSeconds: number; chars: number } {
  let chars = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += 1) chars += format(records[i] as FormatRecord).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, chars };
}

interface Case {
  label: string;
  format: FormatName;
  compat: boolean;
  target?: number;
}

const CASES: readonly Case[] = [
  { label: 'CSV', format: 'csv', compat: false, target: 1_000_000 },
  { label: 'KeyVal', format: 'keyval', compat: false, target: 1_000_000 },
  { label: 'CEF', format: 'cef', compat: false, target: 700_000 },
  { label: 'LEEF', format: 'leef', compat: false, target: 700_000 },
  { label: 'JSON', format: 'json', compat: false },
  { label: 'CEF compat', format: 'cef', compat: true },
  { label: 'KeyVal compat', format: 'keyval', compat: true },
];

function main(): void {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, ${os.platform()}`,
  );
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  const built = process.hrtime.bigint();
  const records = buildRecords(recordCount);
  console.log(
    `records: ${records.length.toLocaleString('en-US')} built in ${(Number(process.hrtime.bigint() - built) / 1e9).toFixed(1)} s; ${rounds} rounds per format, median shown`,
  );
  console.log('');
  console.log(
    'Figures are lines per wall-clock second; "per CPU s" divides by the CPU time the process got, which',
  );
  console.log(
    'estimates an unloaded machine when other work shares the cores (it counts GC helper threads too).',
  );
  console.log('');
  console.log('format           lines/s   per CPU s     MB/s   baseline (target)   ratio');
  let failed = false;
  for (const c of CASES) {
    const format = createFormatter(c.format, c.compat ? { compat: 'python-sdk' } : undefined);
    pass(records.slice(0, Math.min(records.length, 200_000)), format); // warm-up
    const results: { rate: number; cpuRate: number; bytes: number }[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const { seconds, cpuSeconds, chars } = pass(records, format);
      results.push({
        rate: records.length / seconds,
        cpuRate: records.length / cpuSeconds,
        bytes: chars / seconds,
      });
    }
    results.sort((a, b) => a.rate - b.rate);
    const mid = results[Math.floor(results.length / 2)] as { rate: number; cpuRate: number; bytes: number };
    const target = c.target;
    const ratio = target === undefined ? '' : `${(mid.rate / target).toFixed(2)}x`;
    if (target !== undefined && mid.rate < target) failed = true;
    console.log(
      `${c.label.padEnd(14)} ${Math.round(mid.rate).toLocaleString('en-US').padStart(10)} ${Math.round(mid.cpuRate).toLocaleString('en-US').padStart(11)} ${(mid.bytes / 1e6).toFixed(0).padStart(8)}   ${(target === undefined ? '-' : target.toLocaleString('en-US')).padStart(17)}   ${ratio}`,
    );
  }
  // The stream path: formatLines (a generator) over every record, CEF.
  const start = process.hrtime.bigint();
  let chars = 0;
  for (const line of formatLines(records, 'cef')) chars += line.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `${'CEF formatLines'.padEnd(14)} ${Math.round(records.length / seconds)
      .toLocaleString('en-US')
      .padStart(10)} ${(chars / seconds / 1e6).toFixed(0).padStart(8)}   (generator, one pass)`,
  );
  console.log('');
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  console.log(
    failed
      ? 'RESULT: below target (rerun alone on the machine before concluding)'
      : 'RESULT: every target met',
  );
}

main();
