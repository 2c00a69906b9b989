/**
 * The stream sinks: a Node writable (stdout for `--dry-run` and `--output -`), and the stand-in for
 * `--syslog` until the syslog delivery is merged.
 */
import type { SyncSink } from './sink.js';

/** A writable such as `process.stdout`. */
export type LineStream = NodeJS.WritableStream;

/**
 * Lines to a writable. `commit()` resolves once the stream has taken everything written so far
 * (its buffer drained): handed to the pipe or file behind it, which is all stdout can promise.
 */
export function writableSink(stream: LineStream): SyncSink {
  let error: Error | undefined;
  const onError = (e: Error): void => {
    error = e;
  };
  stream.on('error', onError);
  const drained = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        stream.off('error', onFail);
        resolve();
      };
      const onFail = (e: Error): void => {
        stream.off('drain', onDrain);
        reject(e);
      };
      stream.once('drain', onDrain);
      stream.once('error', onFail);
    });
  return {
    mode: 'stream',
    write: async (line) => {
      if (error !== undefined) throw error;
      if (!stream.write(line)) await drained();
    },
    // An empty write's callback runs once every earlier chunk has been handed on.
    commit: () =>
      new Promise<void>((resolve, reject) => {
        if (error !== undefined) {
          reject(error);
          return;
        }
        stream.write('', (e?: Error | null) => {
          if (e) reject(e);
          else resolve();
        });
      }),
    abort: () => {
      stream.off('error', onError);
      return Promise.resolve();
    },
  };
}
