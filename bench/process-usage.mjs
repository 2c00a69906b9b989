// Preloaded with `node --import ./bench/process-usage.mjs …` by bench/syslog-cli.ts: when the process
// exits, its peak resident set size (VmHWM of /proc/self/status, or maxRSS elsewhere, in KiB) and its
// CPU time (user + system, ms) are written as JSON to the file named by TC_BENCH_USAGE_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.TC_BENCH_USAGE_FILE;
if (target !== undefined) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    let peakKb = usage.maxRSS;
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) peakKb = Number(match[1]);
    } catch {
      // not Linux: maxRSS
    }
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    writeFileSync(target, JSON.stringify({ peakKb, cpuMs }));
  });
}
