/**
 * The report's memory is bounded (issue 6, section 4): 200,000 calls with reporting enabled (a
 * third of them failing, post filters between them), then 600,000 more with it disabled, keep the
 * heap flat. The calls run in a child process started with `--expose-gc`, which prints the heap
 * after a full gc at each checkpoint; the unbounded report (every entry and every duration kept)
 * grew by about 157 MB in the first phase and 5 MB in the second.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { MAX_REPORT_ENTRIES, MAX_REPORT_FAILURES } from '../../../src/report/index.js';

const root = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(import.meta.dirname, 'fixtures', 'memory-child.ts');
/** Heap growth allowed between two checkpoints: far above gc noise, far below what 180,000 entries or durations take. */
const MAX_GROWTH_BYTES = 1024 * 1024;

interface Counts {
  entries: number;
  failures: number;
  droppedEntries: number;
  droppedFailures: number;
  apiCalls: number;
  failedCalls: number;
}
interface ChildOutput {
  heap: {
    enabledAt20k: number;
    enabledAt200k: number;
    disabledAt20kMore: number;
    disabledAt600kMore: number;
  };
  enabled: Counts;
  final: Counts;
}

function runChild(): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`memory-child exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as ChildOutput);
    });
  });
}

describe('report memory is bounded: 200,000 calls with reporting on, 620,000 in all', () => {
  let output: ChildOutput;
  before(async () => {
    output = await runChild();
  });

  it('entries and failures stay at their caps; the counters count every call', () => {
    const { enabled, final } = output;
    // What the child made while reporting was on: 200,000 request entries (every tenth one without
    // an answer, every third one a 500) and a post-filter entry every seventh call.
    let failing = 0;
    let postFilters = 0;
    for (let i = 0; i < 200_000; i += 1) {
      if (i % 10 === 1 || i % 3 === 0) failing += 1;
      if (i % 7 === 0) postFilters += 1;
    }
    assert.deepEqual(enabled, {
      ...enabled,
      entries: MAX_REPORT_ENTRIES,
      failures: MAX_REPORT_FAILURES,
      droppedEntries: 200_000 + postFilters - MAX_REPORT_ENTRIES,
      droppedFailures: failing - MAX_REPORT_FAILURES,
      apiCalls: 180_000,
      failedCalls: 20_000,
    });
    assert.equal(final.entries, MAX_REPORT_ENTRIES, 'entries stay while reporting is off');
    assert.equal(final.failures, MAX_REPORT_FAILURES);
    assert.equal(final.apiCalls + final.failedCalls, 820_000);
  });

  it('the heap does not grow from 20,000 to 200,000 calls with reporting on', () => {
    const growth = output.heap.enabledAt200k - output.heap.enabledAt20k;
    assert.ok(growth < MAX_GROWTH_BYTES, `heap grew ${growth} bytes`);
  });

  it('the heap does not grow over 600,000 calls with reporting off (no per-call duration kept)', () => {
    const growth = output.heap.disabledAt600kMore - output.heap.disabledAt20kMore;
    assert.ok(growth < MAX_GROWTH_BYTES, `heap grew ${growth} bytes`);
  });
});
