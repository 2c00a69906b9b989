/**
 * Runs documentation blocks one after the other in this process, for test/docs/examples.test.ts, which
 * starts it once with `node --import tsx` and an IPC channel. This SDK and tsx are loaded once for all
 * blocks instead of once per block.
 *
 * Each block is a module of its own (its own top-level names), imported in turn, with:
 * - its own working folder (`process.chdir`), since blocks write files such as `log/tc.log`;
 * - its own `TC_API_*` variables (the sandbox started for it), restored afterwards;
 * - its stdout and stderr captured on their own: `process.stdout.write` and `process.stderr.write`,
 *   which `console.*` goes through, are routed to the block that runs;
 * - `process.exit(code)` turned into the end of the block with that exit code, and `process.exitCode`
 *   read and reset;
 * - uncaught exceptions and unhandled rejections recorded as the block's failure.
 *
 * A block is finished when its module has evaluated, top-level awaits included, as a script whose last
 * line has run. What happens after that (a timer it left behind) is reported with the next block.
 */

/** Parent → worker: run one block. */
export interface RunMessage {
  id: number;
  /** Absolute path of the block's module. */
  module: string;
  /** Its working folder (created by the parent). */
  cwd: string;
  env: Record<string, string>;
}

/** Worker → parent: what the block did. */
export interface ResultMessage {
  id: number;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Uncaught errors, as text: thrown by the module, or raised by what it started. */
  errors: string[];
}

/** `process.exit()` inside a block: ends the block, not the worker. */
class BlockExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

interface Capture {
  stdout: string;
  stderr: string;
  errors: string[];
  exitCode: number | undefined;
}

let current: Capture | undefined;
/** Errors raised while no block ran (after one had finished): they count against the next one. */
const leftOver: string[] = [];

const describe = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);

function record(error: unknown): void {
  if (error instanceof BlockExit) {
    if (current !== undefined) current.exitCode ??= error.code;
    return;
  }
  (current?.errors ?? leftOver).push(describe(error));
}

/** Routes a stream's writes to the running block; between blocks they go to the real stream. */
function capture(stream: NodeJS.WriteStream, into: 'stdout' | 'stderr'): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (current === undefined) return write(chunk, ...rest);
    current[into] += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (callback !== undefined) process.nextTick(callback);
    return true;
  };
}

capture(process.stdout, 'stdout');
capture(process.stderr, 'stderr');
process.on('uncaughtException', record);
process.on('unhandledRejection', record);

const realExit = process.exit.bind(process);
process.exit = (code?: number | string | null) => {
  if (current === undefined) return realExit(code);
  throw new BlockExit(Number(code ?? process.exitCode ?? 0));
};

const home = process.cwd();

async function run(message: RunMessage): Promise<ResultMessage> {
  const saved = new Map(Object.keys(message.env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, message.env);
  const capture: Capture = {
    stdout: '',
    stderr: '',
    errors: leftOver.splice(0).map((text) => `raised after an earlier block had finished: ${text}`),
    exitCode: undefined,
  };
  process.exitCode = undefined;
  process.chdir(message.cwd);
  current = capture;
  try {
    await import(message.module);
    // Output written on the block's last tick (a stream's finish callback) still belongs to it.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    record(error);
    if (!(error instanceof BlockExit)) capture.exitCode ??= 1;
  } finally {
    current = undefined;
    process.chdir(home);
    for (const [key, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  }
  const exitCode = capture.exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
  process.exitCode = undefined;
  return {
    id: message.id,
    exitCode: capture.errors.length > 0 && exitCode === 0 ? 1 : exitCode,
    stdout: capture.stdout,
    stderr: capture.stderr,
    errors: capture.errors,
  };
}

// One block at a time: the parent sends the next one after it has the result of the last.
process.on('message', (message: RunMessage) => {
  void run(message).then((result) => {
    process.send?.(result);
  });
});
