/**
 * Runs the `threatconnect` program in this process (`runProgram` with captured streams): the same
 * parsing, commands and exit codes as the real program, without the second of a node+tsx start. The
 * child-process tests (process.test.ts) cover what only a process has: signals, a real stdout,
 * `main.ts` itself.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import type { Io } from '../../../src/cli/io.js';
import { runProgram } from '../../../src/cli/program.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';

export interface InProcessRun {
  code: number;
  /** stdout as text. */
  stdout: string;
  /** stdout as bytes. */
  bytes: Buffer;
  stderr: string;
}

/** A writable that keeps what it gets, with a settable `isTTY`. */
export class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  isTTY: boolean;

  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    callback();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }
}

export interface InProcessOptions {
  /** The whole environment the program sees (nothing is inherited). */
  env?: Record<string, string | undefined>;
  stdout?: Capture;
  stderr?: Capture;
  /** Fires the program's interrupt, as SIGINT would. */
  interrupt?: AbortSignal;
}

/** Runs `threatconnect ...args` in-process. */
export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<InProcessRun> {
  const stdout = options.stdout ?? new Capture();
  const stderr = options.stderr ?? new Capture();
  const io: Io = {
    stdout,
    stderr,
    env: options.env ?? {},
    interrupt: options.interrupt ?? new AbortController().signal,
    interruptCode: () => 130,
    tempFiles: new Set(),
  };
  const code = await runProgram(['node', 'threatconnect', ...args], io);
  return { code, stdout: stdout.text, bytes: stdout.bytes, stderr: stderr.text };
}

/** The `TC_API_*` variables of a sandbox's main user. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  return {
    TC_API_BASE_URL: sandbox.baseUrl,
    TC_API_ACCESS_ID: sandbox.accessId,
    TC_API_SECRET_KEY: sandbox.secretKey,
    TC_API_DEFAULT_ORG: sandbox.defaultOrg,
  };
}

/** The JSON lines of a run's stdout. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A temporary folder for a test file, and a way to write files in it. */
export function tempFolder(prefix: string): {
  dir: string;
  file(name: string, content?: string): string;
  list(): string[];
  remove(): void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const file = path.join(dir, name);
      if (content !== undefined) writeFileSync(file, content);
      return file;
    },
    list: () => readdirSync(dir).sort(),
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual setup of a CLI test file: a sandbox with `seedIndicators` generated indicators, its
 * settings as `TC_API_*` variables (`env`) and a temporary folder, started in `before` and removed in
 * `after`. Call it at the top of a `describe` callback.
 */
export function useCliSandbox(
  prefix: string,
  seedIndicators = 300,
): { readonly env: Record<string, string>; readonly folder: ReturnType<typeof tempFolder> } {
  let sandbox: Sandbox | undefined;
  let env: Record<string, string> | undefined;
  const folder = tempFolder(prefix);
  before(async () => {
    sandbox = await withSandbox({ seedIndicators });
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox?.close();
    folder.remove();
  });
  return {
    get env(): Record<string, string> {
      if (env === undefined) throw new Error('the sandbox starts in before(): use env in a test');
      return env;
    },
    folder,
  };
}
