/**
 * Where a sync run's lines go. A sink takes whole lines (with their line ending) and makes them
 * durable at `commit()`:
 *
 * - `transaction` sinks (a file) publish everything at once at `commit()`, or nothing. One that has
 *   `prepare()` lets the engine journal the publication first, which makes file output exactly-once
 *   across a crash at any point.
 * - `stream` sinks (stdout, syslog) deliver as they go; `commit()` resolves once everything written
 *   so far is delivered (flushed, and for syslog over TCP/TLS acknowledged) and may be called many
 *   times: the engine records progress after each, so a crash repeats at most the unacknowledged tail.
 */
export interface SyncSink {
  readonly mode: 'transaction' | 'stream';
  /**
   * One line, its line ending included; resolves when the sink can take more (backpressure). `rating`
   * is the record's, for sinks that map it (syslog severity); the others ignore it.
   */
  write(line: string, rating?: number | null): Promise<void>;
  /** Makes what was written durable (transaction: publishes it; stream: flushed and acknowledged). */
  commit(): Promise<void>;
  /** Drops what is not committed, releasing resources. Never throws. */
  abort(): Promise<void>;
}

/** A transaction sink whose publication the engine journals: prepare (durable, unpublished), then commit. */
export interface PreparedSink extends SyncSink {
  readonly mode: 'transaction';
  /** The file the output is written to until published. */
  readonly tempPath: string;
  /** Where it appears. */
  readonly targetPath: string;
  /** Flushes and fsyncs the temporary file; after this, `commit()` only renames and fsyncs the folder. */
  prepare(): Promise<void>;
}

export function isPrepared(sink: SyncSink): sink is PreparedSink {
  return sink.mode === 'transaction' && typeof (sink as Partial<PreparedSink>).prepare === 'function';
}
