/**
 * TCP and TLS: octet-counted frames (RFC 6587 3.4.1) on a connection that is reopened with backoff
 * when it fails, and never loses a message silently.
 *
 * TCP itself cannot tell a sender that the collector read its bytes: a write only hands them to the
 * kernel, and when a collector goes away, bytes still in its receive buffer are lost with a reset.
 * So the transport keeps every frame written since the last acknowledgement (the "tail"), and gets
 * acknowledgements the one way TCP offers: it ends the connection and waits for the collector's
 * clean close. A collector closes its end only after reading to the end of the stream, so a clean
 * close means the collector read every byte; a reset or a timeout means it may not have. When a
 * connection is lost, a new one is opened and the whole tail is written again: nothing is lost, and
 * the messages the collector did read before the loss arrive twice (counted in `resent`).
 *
 * One race remains: a collector that shuts down at the moment the sink ends a connection also
 * closes cleanly, possibly without having read everything. So an acknowledged tail is kept until a
 * later connection to the collector has been acknowledged too (a collector that went away cannot
 * take it); if that later connection fails, the kept tail is written again with the current one.
 * `flush()` and `close()` end with an empty connection for this confirmation.
 *
 * The transport asks for an acknowledgement when the tail reaches `maxUnacknowledgedBytes`, on
 * `flush()` and on `close()`. It holds at most twice that many bytes (tail and kept tail).
 */
import { AbortError } from '../core/errors.js';
import type { EncodedBatch } from './batch.js';
import { type Link, LinkError, linkError, openLink, type TlsReuse, tlsReuse } from './connection.js';
import type { ResolvedSyslogOptions } from './options.js';
import { SyslogDeliveryError } from './result.js';
import type { Counts, Transport } from './transport.js';

/** A batch of frames, as written to a connection. */
interface Piece {
  readonly data: Buffer;
  readonly count: number;
  /** Gives the buffer back to the sink, once its messages are confirmed. */
  readonly release: () => void;
}

function messagesIn(pieces: readonly Piece[], from = 0, to = pieces.length): number {
  let n = 0;
  for (let i = from; i < to; i += 1) n += pieces[i]?.count ?? 0;
  return n;
}

export class StreamTransport implements Transport {
  readonly #options: ResolvedSyslogOptions;
  readonly #counts: Counts;
  #link: Link | undefined;
  /** Batches of frames written (or about to be) since the last acknowledgement. */
  #tail: Piece[] = [];
  #tailBytes = 0;
  /** How many tail pieces were written to some connection: rewriting one of those is a resend. */
  #tailWritten = 0;
  /** The last acknowledged tail, awaiting confirmation by a later acknowledged connection. */
  #kept: Piece[] = [];
  /**
   * How many pieces at the front of the tail are a kept tail put back after a lost connection: they
   * were acknowledged once already, so the next acknowledged connection (a later one) confirms them,
   * and only the rest of the tail becomes the kept one. Without this, a kept tail that went back into
   * the tail was kept again with it, and a collector that lost every other connection made the kept
   * tail (the memory, and the messages written again) grow with every message sent.
   */
  #tailAcknowledged = 0;
  /** Failed attempts since the last acknowledgement. */
  #attempts = 0;
  #failure: SyslogDeliveryError | undefined;
  /** TLS: the secure context, built once for every connection of the sink. */
  #tls: TlsReuse | undefined;
  /** Test seam: how the transport opens a connection. */
  readonly #open: (options: ResolvedSyslogOptions, reuse: TlsReuse | undefined) => Promise<Link>;

  constructor(options: ResolvedSyslogOptions, counts: Counts, open = openLink) {
    this.#options = options;
    this.#counts = counts;
    this.#open = open;
  }

  get failure(): SyslogDeliveryError | undefined {
    return this.#failure;
  }

  async sendBatch(batch: EncodedBatch): Promise<void> {
    if (this.#failure !== undefined) {
      this.#counts.failed += batch.count;
      throw this.#failure;
    }
    this.#tail.push({ data: batch.data, count: batch.count, release: batch.release });
    this.#tailBytes += batch.data.length;
    await this.#deliver(this.#tailBytes >= this.#options.maxUnacknowledgedBytes);
  }

  async flush(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    // The tail, then an empty connection that confirms it.
    while (this.#tail.length > 0 || this.#kept.length > 0) await this.#deliver(true);
  }

  async close(): Promise<void> {
    await this.flush();
    this.#link?.socket.destroy();
    this.#link = undefined;
  }

  destroy(): number {
    this.#link?.socket.destroy();
    this.#link = undefined;
    const dropped = messagesIn(this.#tail) + messagesIn(this.#kept);
    this.#counts.failed += dropped;
    this.#kept = [];
    this.#clearTail();
    return dropped;
  }

  /** The kept tail goes back in front of the tail: it is written again on the next connection. */
  #restoreKept(): void {
    if (this.#kept.length === 0) return;
    this.#tail = [...this.#kept, ...this.#tail];
    this.#tailBytes += this.#kept.reduce((sum, piece) => sum + piece.data.length, 0);
    this.#tailWritten += this.#kept.length;
    this.#tailAcknowledged += this.#kept.length;
    this.#kept = [];
  }

  #clearTail(): void {
    this.#tail = [];
    this.#tailBytes = 0;
    this.#tailWritten = 0;
    this.#tailAcknowledged = 0;
  }

  /** Writes the tail frames the current connection lacks; with `acknowledge`, then closes it cleanly. */
  async #deliver(acknowledge: boolean): Promise<void> {
    const { signal } = this.#options;
    for (;;) {
      try {
        if (signal?.aborted === true) throw AbortError.fromSignal(signal);
        let link = this.#link;
        const lost = link?.lost();
        if (link === undefined || lost !== undefined) {
          if (lost !== undefined) throw lost;
          if (this.#options.url.transport === 'tls') this.#tls ??= tlsReuse(this.#options);
          link = await this.#open(this.#options, this.#tls);
          this.#link = link;
        }
        if (link.written < this.#tail.length) {
          // The pieces this connection lacks, written together.
          const from = link.written;
          const to = this.#tail.length;
          this.#counts.resent += messagesIn(this.#tail, from, Math.min(this.#tailWritten, to));
          link.written = to;
          this.#tailWritten = Math.max(this.#tailWritten, to);
          const { socket } = link;
          let room = true;
          if (to - from > 1) socket.cork();
          for (let i = from; i < to; i += 1) room = socket.write((this.#tail[i] as Piece).data);
          if (to - from > 1) socket.uncork();
          const now = link.lost();
          if (now !== undefined) throw now;
          if (!room) await link.drained();
        }
        if (!acknowledge) return;
        this.#link = undefined;
        await link.closeCleanly();
        // This clean close confirms the kept tail, and the pieces of a kept tail put back in front of
        // the tail (acknowledged before, by an earlier connection); the rest becomes the kept one.
        const confirmed = [...this.#kept, ...this.#tail.slice(0, this.#tailAcknowledged)];
        this.#counts.sent += messagesIn(confirmed);
        // Confirmed: no connection reads these buffers any more (every one that did is closed).
        for (const piece of confirmed) piece.release();
        this.#kept = this.#tail.slice(this.#tailAcknowledged);
        this.#clearTail();
        this.#attempts = 0;
        return;
      } catch (error) {
        this.#link?.socket.destroy();
        this.#link = undefined;
        this.#restoreKept();
        if (error instanceof AbortError) throw this.#giveUp(error, error);
        const link = linkError(error);
        this.#attempts += 1;
        if (link.fatal || this.#attempts > this.#options.retries) throw this.#giveUp(link);
        try {
          await this.#options.clock.sleep(this.#backoffMs(this.#attempts), signal);
        } catch (abort) {
          throw this.#giveUp(abort as Error, abort);
        }
      }
    }
  }

  /** Wait before reconnect attempt n: min(cap, base × 2^(n−1)) × (0.5 + random/2). */
  #backoffMs(attempt: number): number {
    const { retryDelayMs, maxRetryDelayMs, clock } = this.#options;
    const base = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1));
    return Math.round(base * (0.5 + clock.random() / 2));
  }

  /** Delivery failed for good: the tail counts as failed, and every later message too. */
  #giveUp(error: Error | LinkError, abort?: unknown): Error {
    this.#restoreKept();
    this.#counts.failed += messagesIn(this.#tail);
    this.#clearTail();
    if (abort !== undefined || !(error instanceof LinkError)) return error;
    const link = error;
    const { href } = this.#options.url;
    const tries = link.fatal
      ? ''
      : ` after ${this.#options.retries} reconnect attempt${this.#options.retries === 1 ? '' : 's'}`;
    this.#failure = new SyslogDeliveryError(`syslog delivery to ${href} failed${tries}: ${link.message}`, {
      kind: link.kind,
      reason: link.reason,
      result: this.#counts,
      cause: link.cause ?? link,
    });
    return this.#failure;
  }
}
