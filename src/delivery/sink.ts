/**
 * `createSyslogSink(url, options)`: a Writable stream (object mode) of lines, each sent as one syslog
 * message to a collector over UDP, TCP or TLS. A chunk is a line of text (a trailing line break is
 * dropped), or a record `{ line, rating?, severity? }` whose severity is `severity` when given, else
 * mapped from `rating` (severity.ts).
 *
 * Errors surface in write callbacks, `flush()` and `close()`; the stream also emits `error` (a
 * listener is installed, so an unhandled one does not end the process). The counts are in `result`.
 */
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { AbortError, ConfigError } from '../core/errors.js';
import { notConstructible } from '../core/validators.js';
import { BatchEncoder } from './batch.js';
import { type ResolvedSyslogOptions, resolveSyslogOptions, type SyslogSinkOptions } from './options.js';
import { SyslogDeliveryError, type SyslogResult } from './result.js';
import { StreamTransport } from './stream.js';
import type { Counts, Transport } from './transport.js';
import { UdpTransport } from './udp.js';

const FLUSH = Symbol('flush');

interface FlushMarker {
  readonly [FLUSH]: { resolve: () => void; reject: (error: Error) => void };
}

function isFlush(chunk: unknown): chunk is FlushMarker {
  return typeof chunk === 'object' && chunk !== null && FLUSH in chunk;
}

/**
 * Chunks the stream buffers before a batch is written: larger batches cost less per message, and
 * the bytes they hold stay small (about 300 KiB of typical CEF lines).
 */
const HIGH_WATER_MARK = 1024;

/** Fewer chunks than this are sent after a turn of the event loop (see `#writeBatch`). */
const SMALL_BATCH = 16;

/** The sink `createSyslogSink` returns. */
export class SyslogSink extends Writable {
  readonly #options: ResolvedSyslogOptions;
  readonly #counts: Counts = { sent: 0, failed: 0, refused: 0, resent: 0 };
  readonly #transport: Transport;
  readonly #encoder: BatchEncoder;
  /** Messages written to the stream and not yet handed to the transport. */
  #queued = 0;
  readonly #markers = new Set<FlushMarker>();
  readonly #onAbort: (() => void) | undefined;

  /**
   * @internal The SDK's way to make one: users call `createSyslogSink()`, which checks the options,
   * and the published constructor is private, so that `new SyslogSink()` does not compile.
   */
  static create(options: ResolvedSyslogOptions): SyslogSink {
    return new SyslogSink(options);
  }

  private constructor(options: ResolvedSyslogOptions) {
    super({ objectMode: true, highWaterMark: HIGH_WATER_MARK });
    // Plain JavaScript can still call `new SyslogSink()`, with none of the resolved options.
    if (typeof options !== 'object' || (options as Partial<ResolvedSyslogOptions> | null)?.url === undefined)
      throw notConstructible('SyslogSink', 'createSyslogSink(options)');
    this.#options = options;
    const udp = options.url.transport === 'udp';
    this.#transport = udp
      ? new UdpTransport(options, this.#counts)
      : new StreamTransport(options, this.#counts);
    this.#encoder = new BatchEncoder(options.header, {
      framed: !udp,
      maxBytes: options.maxBytes,
      clock: options.clock,
      // TCP/TLS hold the tail and the kept tail (stream.ts); UDP only the batch being sent.
      heldBytes: udp ? 0 : 2 * options.maxUnacknowledgedBytes,
    });
    // Errors reach callers through write callbacks, flush() and close(); see the module comment.
    this.on('error', () => undefined);
    const { signal } = options;
    if (signal !== undefined) {
      this.#onAbort = () => {
        this.destroy(AbortError.fromSignal(signal));
      };
      if (signal.aborted) queueMicrotask(this.#onAbort);
      else signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /** The collector, as `transport://host:port`. */
  get url(): string {
    return this.#options.url.href;
  }

  /** The counts so far. */
  get result(): SyslogResult {
    return { ...this.#counts };
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (!isFlush(chunk) && !this.destroyed && !this.writableEnded) this.#queued += 1;
    // @ts-expect-error: Writable's overloads, passed through as given.
    return super.write(chunk, encoding, callback);
  }

  /**
   * Resolves once every message written before it is delivered as far as the transport can confirm:
   * on TCP and TLS, written and acknowledged by a clean close of the connection (the next message
   * opens a new one); on UDP, handed to the operating system. Rejects with the delivery error.
   */
  flush(): Promise<SyslogResult> {
    return new Promise<SyslogResult>((resolve, reject) => {
      const marker: FlushMarker = {
        [FLUSH]: {
          resolve: () => {
            resolve(this.result);
          },
          reject,
        },
      };
      if (this.destroyed || this.writableEnded) {
        reject(
          this.#transport.failure ??
            new SyslogDeliveryError(`the syslog sink for ${this.url} is closed`, {
              kind: 'other',
              reason: 'connection',
              result: this.#counts,
            }),
        );
        return;
      }
      this.#markers.add(marker);
      super.write(marker);
    });
  }

  /**
   * Ends the stream and resolves with the counts once every message is delivered (and, on TCP and
   * TLS, acknowledged). Rejects with a SyslogDeliveryError (its `result` holds the counts) when any
   * message failed, or with the AbortError of the signal.
   */
  close(): Promise<SyslogResult> {
    return new Promise<SyslogResult>((resolve, reject) => {
      const onFinish = (): void => {
        this.off('error', onError);
        resolve(this.result);
      };
      const onError = (error: Error): void => {
        this.off('finish', onFinish);
        reject(error);
      };
      if (this.errored !== null) {
        reject(this.errored);
        return;
      }
      if (this.writableFinished) {
        resolve(this.result);
        return;
      }
      this.once('finish', onFinish);
      this.once('error', onError);
      if (!this.writableEnded) this.end();
    });
  }

  /** @internal The Writable implementation. */
  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#writeBatch([chunk]).then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(error as Error);
      },
    );
  }

  /** @internal The Writable implementation. */
  override _writev(
    chunks: { chunk: unknown; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.#writeBatch(chunks.map((c) => c.chunk)).then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(error as Error);
      },
    );
  }

  /** Messages in order, encoded and handed to the transport in batches; a flush marker waits for those before it. */
  async #writeBatch(chunks: readonly unknown[]): Promise<void> {
    if (chunks.length < SMALL_BATCH && !chunks.some(isFlush)) {
      // A writer that awaits each write hands over a few chunks at a time: one turn of the event loop
      // lets the stream buffer what it writes meanwhile, so that the next batch is a large one.
      await new Promise((resolve) => setImmediate(resolve));
      // Destroyed meanwhile: these chunks were counted as failed with the others queued.
      if (this.destroyed) return;
    }
    let i = 0;
    while (i < chunks.length) {
      const chunk = chunks[i];
      if (isFlush(chunk)) {
        this.#markers.delete(chunk);
        try {
          await this.#transport.flush();
        } catch (error) {
          chunk[FLUSH].reject(error as Error);
          throw error;
        }
        chunk[FLUSH].resolve();
        i += 1;
        continue;
      }
      const { batch, next, refused, error } = this.#encoder.encode(chunks, i, isFlush);
      this.#queued -= next - i;
      i = next;
      const max = this.#options.maxBytes;
      for (const bytes of refused) {
        this.#counts.refused += 1;
        this.emit('refused', { bytes, maxBytes: max });
      }
      if (error !== undefined) {
        this.#queued -= 1;
        this.#counts.failed += 1;
      }
      if (batch !== undefined) await this.#transport.sendBatch(batch);
      if (error !== undefined) throw error;
    }
  }

  /** @internal The Writable implementation. */
  override _final(callback: (error?: Error | null) => void): void {
    this.#transport.close().then(
      () => {
        callback();
      },
      (error: unknown) => {
        callback(error as Error);
      },
    );
  }

  /** @internal The Writable implementation. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#onAbort !== undefined) this.#options.signal?.removeEventListener('abort', this.#onAbort);
    // Messages still queued in the stream, or written and not acknowledged, are not delivered.
    this.#counts.failed += this.#queued;
    this.#queued = 0;
    this.#transport.destroy();
    const reason =
      error ??
      new SyslogDeliveryError(`the syslog sink for ${this.url} was destroyed`, {
        kind: 'other',
        reason: 'connection',
        result: this.#counts,
      });
    for (const marker of this.#markers) marker[FLUSH].reject(reason);
    this.#markers.clear();
    callback(error);
  }
}

/** Loads the TLS material once, so a bad certificate or key is a ConfigError at creation. */
function checkTlsMaterial(options: ResolvedSyslogOptions): void {
  const { ca, cert, key } = options.tls;
  if (ca === undefined && cert === undefined) return;
  try {
    tls.createSecureContext({
      ...(ca === undefined ? {} : { ca: [...ca] }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
    });
  } catch (error) {
    const what = ca !== undefined && cert === undefined ? '`ca`' : '`ca`, `cert` or `key`';
    // OpenSSL's reason names the problem, never the key's content.
    const reason = (error as Error).message.split('\n')[0] ?? '';
    throw new ConfigError(`${what} could not be used: ${reason}`, { cause: error });
  }
}

/**
 * A writable stream of lines to a syslog collector: `udp://host:port`, `tcp://host:port` or
 * `tls://host:port`. Throws ConfigError on a bad URL or option.
 */
export function createSyslogSink(url: string, options: SyslogSinkOptions = {}): SyslogSink {
  const resolved = resolveSyslogOptions(url, options);
  checkTlsMaterial(resolved);
  return SyslogSink.create(resolved);
}
