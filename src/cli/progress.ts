/**
 * A records counter on stderr (cli-progress), shown only when stderr is a terminal, and not when the
 * records themselves go to the same terminal: a bar redrawn between record lines garbles both.
 * Otherwise nothing at all is written.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type { OutputStream } from './io.js';

export interface Progress {
  increment(): void;
  stop(): void;
}

const SILENT: Progress = {
  increment: () => undefined,
  stop: () => undefined,
};

/**
 * @param total the number of records expected when known (`--limit`), for a bar; a plain counter otherwise.
 * @param dataToTerminal whether the records go to a terminal (stdout without `--output`).
 */
export function createProgress(
  stderr: OutputStream,
  options: { label: string; total?: number | undefined; dataToTerminal: boolean },
): Progress {
  if (stderr.isTTY !== true || options.dataToTerminal) return SILENT;
  const total = options.total;
  // Loaded only here, for a terminal: a run whose stderr is not one does not pay for loading it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar({
    stream: stderr,
    format:
      total === undefined
        ? `${options.label} {value} | {duration_formatted}`
        : `${options.label} [{bar}] {value}/{total} | {duration_formatted}`,
    clearOnComplete: true,
    hideCursor: null,
    fps: 5,
  });
  bar.start(total ?? 0, 0);
  let stopped = false;
  return {
    increment: () => {
      bar.increment();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
