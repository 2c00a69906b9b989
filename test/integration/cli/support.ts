/**
 * Runs the real `threatconnect` program from this checkout's sources as a child process, and waits
 * on things with bounded polling (generous limits, never an assertion on how long something took).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
/** The program's entry, run through tsx like the other CLI tests. */
export const cliEntry = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
/** tsx as an absolute URL, so the CLI can be started from any folder. */
export const tsxImport = import.meta.resolve('tsx');
/** The argv that starts the program: `node --import tsx src/cli/main.ts`. */
export const cliArgv = ['--import', tsxImport, cliEntry];

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the program to its end. */
export async function runCli(args: string[], options: { cwd?: string } = {}): Promise<Run> {
  const child = spawn(process.execPath, [...cliArgv, ...args], {
    cwd: options.cwd ?? root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited and its output streams are closed. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a long-running program (`node`, or `command`, with `argv`), collecting its output. */
export function start(argv: string[], options: { cwd?: string; command?: string } = {}): Running {
  const child = spawn(options.command ?? process.execPath, argv, {
    cwd: options.cwd ?? root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, stdout: () => stdout, stderr: () => stderr, closed };
}

/**
 * Polls `probe` until it returns a value other than undefined, for at most `limitMs`. The limit is
 * a safety net for a hung test, far above what a slow machine needs; no test asserts on durations.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  limitMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether something accepts TCP connections on host:port. */
export async function listening(host: string, port: number): Promise<boolean> {
  const socket = net.connect({ host, port });
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Parses `KEY=value` env-file lines, undoing the CLI's POSIX single quotes. */
export function parseEnv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    assert.ok(match, `not an env line: ${line}`);
    const raw = match[2] ?? '';
    const value = raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
    env.set(match[1] ?? '', value);
  }
  return env;
}

/** A stack trace line, which a CLI message must never show. */
export const STACK_LINE = /^\s+at /m;

/** Awaits `promise` for at most `limitMs` (a safety net, as in `waitFor`). */
export async function within<T>(what: string, promise: Promise<T>, limitMs = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, limitMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
