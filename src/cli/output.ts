/**
 * Where data goes: stdout, or an `--output FILE` that appears only once complete. The file is
 * written to a temporary file in the same folder and renamed over the target on success, so a failed
 * or interrupted run leaves no partial file (and an existing file stays as it was). Writes to stdout wait
 * for `drain` and writes to the file for the bytes in flight to fall under a bound, so output goes out
 * in constant memory however fast records arrive.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError, InterruptedError } from './cli-error.js';
import { PositionalWriter } from './file-writer.js';
import type { Io, OutputStream } from './io.js';

export interface Sink {
  /** Writes a chunk, resolving once the stream can take more (backpressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Success: flushes, and for a file renames it into place. */
  commit(): Promise<void>;
  /** Failure or interrupt: for a file, removes the temporary file. Never throws. */
  abort(): Promise<void>;
}

/**
 * Writes `chunk` and waits for `drain` when the stream's buffer is full. Rejects on a stream error
 * (a closed pipe) and on the interrupt.
 */
async function writeWithBackpressure(
  stream: OutputStream,
  chunk: string | Uint8Array,
  signal: AbortSignal,
  failed: () => Error | undefined,
): Promise<void> {
  const error = failed();
  if (error !== undefined) throw error;
  if (signal.aborted) throw new InterruptedError();
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (outcome?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (outcome === undefined) resolve();
      else reject(outcome);
    };
    const onDrain = (): void => {
      done();
    };
    const onError = (e: Error): void => {
      done(e);
    };
    const onClose = (): void => {
      done(failed() ?? new Error('the output was closed'));
    };
    const onAbort = (): void => {
      done(new InterruptedError());
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
    signal.addEventListener('abort', onAbort);
  });
}

/** An error a closed reader causes (`threatconnect … | head`). */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** What {@link watchStdout} saw on each stream: the first error other than a closed reader. */
const stdoutErrors = new WeakMap<OutputStream, { error: Error | undefined }>();

/**
 * Watches stdout for the whole run (and after it: an error can come a tick after the last write), so
 * that a failed plain write (a printed line, the help) never ends the program with a stack trace. A
 * reader that went away (`| head`, `| true`) is ignored: it has what it asked for. Any other error (a
 * full disk behind `> file`) is kept for {@link stdoutFailure}, so the run ends with exit 1 instead
 * of losing its output silently. Watching a stream again adds nothing.
 */
export function watchStdout(stream: OutputStream): void {
  if (stdoutErrors.has(stream)) return;
  const seen: { error: Error | undefined } = { error: undefined };
  stdoutErrors.set(stream, seen);
  stream.on('error', (error: Error) => {
    if (!isBrokenPipe(error)) seen.error ??= error;
  });
}

/** The error {@link watchStdout} kept for `stream`, if any. */
export function stdoutFailure(stream: OutputStream): Error | undefined {
  return stdoutErrors.get(stream)?.error;
}

function stdoutSink(io: Io): Sink {
  let error: Error | undefined;
  const onError = (e: Error): void => {
    error = e;
  };
  io.stdout.on('error', onError);
  return {
    write: (chunk) => writeWithBackpressure(io.stdout, chunk, io.interrupt, () => error),
    commit: () => {
      io.stdout.off('error', onError);
      return error === undefined ? Promise.resolve() : Promise.reject(error);
    },
    abort: () => {
      io.stdout.off('error', onError);
      return Promise.resolve();
    },
  };
}

/** Why `file` cannot be written, or undefined when its folder exists and it is not a folder itself. */
function targetProblem(target: string): string | undefined {
  try {
    if (statSync(target).isDirectory()) return 'it is a directory';
  } catch {
    // Absent: the usual case.
  }
  const folder = path.dirname(target);
  try {
    return statSync(folder).isDirectory() ? undefined : `${folder} is not a directory`;
  } catch {
    return `the directory ${folder} does not exist`;
  }
}

/** Refuses, before any request, an output file whose folder does not exist (exit 1, naming the flag). */
export function checkWritable(commandName: string, flag: string, file: string): void {
  const problem = targetProblem(path.resolve(file));
  if (problem !== undefined) throw new CliError(commandName, `cannot write ${flag} ${file}: ${problem}`);
}

/**
 * Moves the finished `temp` file to `target`. A rename that replaces an existing file makes ext4 write
 * the new file's data out there and then, on this thread (its guard for programs that never call
 * fsync): 50-370 ms for a 45 MB export, measured. So an existing target is first renamed aside, the
 * new file renamed in, and the old one removed: never a partial file at `target`, only a moment with
 * none. If the second rename fails, the old file is put back.
 */
export function replaceFile(temp: string, target: string): void {
  const aside = `${temp}.old`;
  let moved = false;
  try {
    renameSync(target, aside);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    if (moved) renameSync(aside, target);
    throw error;
  }
  if (moved) rmSync(aside, { force: true });
}

/**
 * The `--output` file: a temporary file beside the target, written at explicit positions with up to
 * 1 MiB in flight (file-writer.ts), and renamed into place on success; a failure or an interrupt waits
 * for the writes in flight and removes it.
 */
function fileSink(io: Io, commandName: string, flag: string, file: string, signal: AbortSignal): Sink {
  const target = path.resolve(file);
  checkWritable(commandName, flag, file);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const failure = (e: unknown): CliError =>
    new CliError(commandName, `cannot write ${flag} ${file}: ${(e as Error).message}`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o666);
  } catch (e) {
    throw failure(e);
  }
  io.tempFiles.add(temp);
  const writer = new PositionalWriter(fd);
  const close = (): void => {
    if (fd === undefined) return;
    const open = fd;
    fd = undefined;
    closeSync(open);
  };
  const remove = async (): Promise<void> => {
    // Writes in flight finish (or fail) before the file goes.
    await writer.drain().catch(() => undefined);
    try {
      close();
    } catch {
      // The file goes anyway.
    }
    rmSync(temp, { force: true });
    io.tempFiles.delete(temp);
  };
  return {
    write: (chunk) => {
      if (signal.aborted) return Promise.reject(new InterruptedError());
      if (fd === undefined) return Promise.reject(new Error('the output was closed'));
      const wait = writer.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return wait === undefined ? Promise.resolve() : wait.catch((e: unknown) => Promise.reject(failure(e)));
    },
    commit: async () => {
      try {
        await writer.drain();
        close();
        replaceFile(temp, target);
        io.tempFiles.delete(temp);
      } catch (e) {
        await remove();
        throw failure(e);
      }
    },
    abort: remove,
  };
}

/** stdout, or the `--output` file (`flag` names it in messages). */
export function openSink(
  io: Io,
  commandName: string,
  file: string | undefined,
  flag = '--output',
): Promise<Sink> {
  return file === undefined
    ? Promise.resolve(stdoutSink(io))
    : Promise.resolve(fileSink(io, commandName, flag, file, io.interrupt));
}

/**
 * Writes `text` to `file` through a temporary file and a rename (`--report-json`), so a reader never
 * sees half of it. It is written after an interrupt too.
 */
export async function writeFileAtomically(
  io: Io,
  commandName: string,
  flag: string,
  file: string,
  text: string,
): Promise<void> {
  const sink = fileSink(io, commandName, flag, file, new AbortController().signal);
  try {
    await sink.write(text);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
