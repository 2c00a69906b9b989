/**
 * A stream sink over a writable whose delivery is acknowledged, such as the syslog sink
 * (`createSyslogSink(url, options)`): each line is written without its line ending (one message per
 * line), and `commit()` waits for the writable's acknowledged flush, so that the state records only
 * what the collector has taken (docs/sync.md, "Guarantees").
 */
import type { SyncSink } from './sink.js';

export interface AckedWritable {
  /** As Writable.write: false asks the writer to wait for 'drain'. */
  write(chunk: string): boolean;
  once(event: 'drain' | 'error', listener: (...args: unknown[]) => void): unknown;
  off(event: 'drain' | 'error', listener: (...args: unknown[]) => void): unknown;
  /** Resolves once everything written so far is delivered and acknowledged; rejects otherwise. */
  flush(): Promise<void>;
  /** Stops at once, dropping what is not acknowledged. */
  destroy(error?: Error): unknown;
}

export function ackedStreamSink(stream: AckedWritable): SyncSink {
  return {
    mode: 'stream',
    write: async (line) => {
      if (stream.write(line.replace(/\r?\n$/, ''))) return;
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (error: unknown): void => {
          stream.off('drain', onDrain);
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    commit: () => stream.flush(),
    abort: () => {
      stream.destroy();
      return Promise.resolve();
    },
  };
}
