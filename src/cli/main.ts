#!/usr/bin/env node
/**
 * The `threatconnect` command-line program: the process around {@link runProgram}. It wires stdout,
 * stderr and the environment, turns SIGINT and SIGTERM into the run's interrupt, and sets the exit code.
 */
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import type { Io } from './io.js';
import { stdoutFailure } from './output.js';
import { runProgram } from './program.js';

const SIGNAL_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

// The program's own process: V8 lets the old generation grow by a factor of up to 4 over what survived
// the last full collection before it collects again. An export's live data is small and constant (a
// few pages); the growth is garbage, so with the default factor a long export peaked higher than a
// short one (148 MB at 1,000,000 indicators against 124 MB at 100,000). A factor of 1.3 keeps it flat
// (128 MB) at no measurable cost in time (bench/cli.bench.ts; decisions.md). V8 reads this flag at each
// full collection, so setting it here, before any work, takes effect. The SDK never sets V8 flags.
setFlagsFromString('--heap-growing-percent=30');

async function main(): Promise<void> {
  const controller = new AbortController();
  let interruptCode = 130;
  const tempFiles = new Set<string>();
  const removeTempFiles = (): void => {
    for (const file of tempFiles) rmSync(file, { force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // A second interrupt: stop at once, still leaving no partial --output file.
      removeTempFiles();
      process.exit(interruptCode);
    }
    interruptCode = SIGNAL_CODES[signal] ?? 130;
    controller.abort();
  };
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interrupt: controller.signal,
    interruptCode: () => interruptCode,
    tempFiles,
  };
  const argv = process.argv;
  // `threatconnect sandbox` handles its own signals (it serves until interrupted).
  const handlesSignals = argv[2] !== 'sandbox';
  if (handlesSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  process.on('exit', removeTempFiles);
  // A stdout error that came after the run's last check (one tick after the help, say) still counts.
  process.on('exit', () => {
    const failure = stdoutFailure(process.stdout);
    if (failure === undefined || (process.exitCode !== undefined && process.exitCode !== 0)) return;
    process.stderr.write(`threatconnect: cannot write to stdout: ${failure.message}\n`);
    process.exitCode = 1;
  });
  // A run whose last promise can never settle would let the event loop empty and the process exit 0
  // with its work half done; it exits 1 (an error, decisions.md 4) with a message instead.
  let settled = false;
  process.once('beforeExit', () => {
    if (settled) return;
    process.stderr.write('threatconnect: internal error: the run stopped before it finished\n');
    process.exitCode = 1;
  });
  process.exitCode = await runProgram(argv, io);
  settled = true;
  if (handlesSignals) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

void main();
