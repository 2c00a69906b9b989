/**
 * One side of the bulk memory test (bulk-memory.test.ts), in a process of its own: streams every
 * indicator of one owner, page-wise (`tc.indicators().stream()`) or from the bulk JSON report
 * (`tc.bulk(owner).json()`), and prints one JSON line: `{ mode, count, peakKb, cpuMs }`, with this
 * process's peak resident set size (`VmHWM`) and CPU time.
 *
 * Usage: node --import tsx bulk-memory-child.ts <pages|bulk> <owner>, with TC_API_BASE_URL,
 * TC_API_ACCESS_ID, TC_API_SECRET_KEY and TC_API_DEFAULT_ORG set.
 */
import { readFileSync } from 'node:fs';
import { ThreatConnect } from '../../../src/index.js';

function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1] !== undefined) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const [mode, owner = ''] = process.argv.slice(2);
const tc = ThreatConnect.fromEnv();
tc.setApiResultLimit(500);
let count = 0;
try {
  if (mode === 'bulk') {
    for await (const indicator of tc.bulk(owner).json()) if (indicator.id > 0) count += 1;
  } else if (mode === 'pages') {
    const container = tc.indicators();
    container.addFilter().addOwner(owner);
    for await (const indicator of container.stream()) if (indicator.id > 0) count += 1;
  } else {
    throw new Error(`unknown mode ${String(mode)}`);
  }
} finally {
  await tc.close();
}
const cpu = process.cpuUsage();
const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
process.stdout.write(`${JSON.stringify({ mode, count, peakKb: peakRssKb(), cpuMs })}\n`);
