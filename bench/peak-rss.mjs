// Preloaded with `node --import ./bench/peak-rss.mjs …` by bench/cli.bench.ts: when the process exits,
// its peak resident set size (VmHWM of /proc/self/status, in KiB) is written to the file named by
// TC_BENCH_RSS_FILE. It measures the process it is loaded into, the CLI or the bare loop, and nothing else.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.TC_BENCH_RSS_FILE;
if (target !== undefined) {
  process.on('exit', () => {
    let kb = process.resourceUsage().maxRSS;
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) kb = Number(match[1]);
    } catch {
      // not Linux: maxRSS
    }
    writeFileSync(target, String(kb));
  });
}
