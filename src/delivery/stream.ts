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
import { type Link, LinkError, linkError, openLink } from './connection.js';
import { octetCounted } from './message.js';
import type { ResolvedSyslogOptions } from './options.js';
import { SyslogDeliveryError } from './result.js';
import type { Counts, Transport } from './transport.js';

export class StreamTransport implements Transport {
  readonly #options: ResolvedSyslogOptions;
  readonly #counts: Counts;
  #link: Link | undefined;
  /** Frames written (or about to be) since the last acknowledgement. */
  #tail: Buffer[] = [];
  #tailBytes = 0;
  /** How many tail frames were written to some connection: rewriting one of those is a resend. */
  #tailWritten = 0;
  /** The last acknowledged tail, awaiting confirmation by a later acknowledged connection. */
  #kept: Buffer[] = [];
  /** Failed attempts since the last acknowledgement. */
  #attempts = 0;
  #failure: SyslogDeliveryError | undefined;
  /** Test seam: how the transport opens a connection. */
  readonly #open: (options: ResolvedSyslogOptions) => Promise<Link>;

  constructor(options: ResolvedSyslogOptions, counts: Counts, open = openLink) {
    this.#options = options;
    this.#counts = counts;
    this.#open = open;
  }

  get failure(): SyslogDeliveryError | undefined {
    return this.#failure;
  }

  send(message: Buffer): Promise<void> {
    return this.sendBatch([message]);
  }

  async sendBatch(messages: readonly Buffer[]): Promise<void> {
    if (this.#failure !== undefined) {
      this.#counts.failed += messages.length;
      throw this.#failure;
    }
    for (const message of messages) {
      const frame = octetCounted(message);
      this.#tail.push(frame);
      this.#tailBytes += frame.length;
    }
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
    const dropped = this.#tail.length + this.#kept.length;
    this.#counts.failed += dropped;
    this.#kept = [];
    this.#clearTail();
    return dropped;
  }

  /** The kept tail goes back in front of the tail: it is written again on the next connection. */
  #restoreKept(): void {
    if (this.#kept.length === 0) return;
    this.#tail = [...this.#kept, ...this.#tail];
    this.#tailBytes += this.#kept.reduce((sum, frame) => sum + frame.length, 0);
    this.#tailWritten += this.#kept.length;
    this.#kept = [];
  }

  #clearTail(): void {
    this.#tail = [];
    this.#tailBytes = 0;
    this.#tailWritten = 0;
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
          link = await this.#open(this.#options);
          this.#link = link;
        }
        if (link.written < this.#tail.length) {
          // The frames this connection lacks, in one write.
          const frames = this.#tail.slice(link.written);
          this.#counts.resent += Math.max(0, Math.min(this.#tailWritten, this.#tail.length) - link.written);
          link.written = this.#tail.length;
          this.#tailWritten = Math.max(this.#tailWritten, link.written);
          const room = link.socket.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames));
          const now = link.lost();
          if (now !== undefined) throw now;
          if (!room) await link.drained();
        }
        if (!acknowledge) return;
        this.#link = undefined;
        await link.closeCleanly();
        // This clean close confirms the kept tail; the tail becomes the kept one.
        this.#counts.sent += this.#kept.length;
        this.#kept = this.#tail;
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
    this.#counts.failed += this.#tail.length;
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
