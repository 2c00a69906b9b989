/**
 * UDP: best effort. One datagram per message (RFC 5426), no framing, rate-limited with a token
 * bucket. A datagram the operating system refuses is counted as failed; nothing confirms arrival.
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { EncodedBatch } from './batch.js';
import type { ResolvedSyslogOptions } from './options.js';
import { TokenBucket } from './rate-limit.js';
import { SyslogDeliveryError } from './result.js';
import type { Counts, Transport } from './transport.js';

export class UdpTransport implements Transport {
  readonly #options: ResolvedSyslogOptions;
  readonly #counts: Counts;
  readonly #bucket: TokenBucket | undefined;
  #socket: dgram.Socket | undefined;
  #address: string | undefined;
  #lastError: Error | undefined;
  #failure: SyslogDeliveryError | undefined;

  constructor(options: ResolvedSyslogOptions, counts: Counts) {
    this.#options = options;
    this.#counts = counts;
    this.#bucket =
      options.ratePerSecond === undefined ? undefined : new TokenBucket(options.ratePerSecond, options.clock);
  }

  get failure(): SyslogDeliveryError | undefined {
    return this.#failure;
  }

  async #open(): Promise<dgram.Socket> {
    if (this.#socket !== undefined) return this.#socket;
    const { host, href } = this.#options.url;
    let resolved: { address: string; family: number };
    try {
      resolved = await lookup(host);
    } catch (error) {
      this.#failure = new SyslogDeliveryError(
        `syslog delivery to ${href} failed: cannot resolve ${host}: ${(error as Error).message}`,
        { kind: 'dns', reason: 'dns', result: this.#counts, cause: error },
      );
      throw this.#failure;
    }
    this.#address = resolved.address;
    const socket = dgram.createSocket(resolved.family === 6 ? 'udp6' : 'udp4');
    // An ICMP error on an unconnected socket is not reported; other socket errors end in the counts.
    socket.on('error', (error) => {
      this.#lastError = error;
    });
    this.#socket = socket;
    return socket;
  }

  /** One datagram per message, sent without waiting for each other; resolves when all are handed over. */
  async sendBatch(batch: EncodedBatch): Promise<void> {
    if (this.#failure !== undefined) {
      this.#counts.failed += batch.count;
      throw this.#failure;
    }
    const { data } = batch;
    const ends = batch.ends ?? [data.length];
    const counts = this.#counts;
    let issued = 0;
    let pending = 0;
    let settled: (() => void) | undefined;
    const onSent = (error: Error | null): void => {
      if (error === null) counts.sent += 1;
      else {
        counts.failed += 1;
        this.#lastError = error;
      }
      pending -= 1;
      if (pending === 0) settled?.();
    };
    let failure: Error | undefined;
    try {
      const socket = await this.#open();
      const { port } = this.#options.url;
      let start = 0;
      for (const end of ends) {
        if (this.#bucket !== undefined) await this.#bucket.take(this.#options.signal);
        pending += 1;
        try {
          socket.send(data, start, end - start, port, this.#address, onSent);
        } catch (error) {
          pending -= 1;
          throw error;
        }
        issued += 1;
        start = end;
      }
    } catch (error) {
      counts.failed += batch.count - issued;
      failure = error as Error;
    }
    if (pending > 0) await new Promise<void>((resolve) => (settled = resolve));
    // Every datagram was handed over (or refused): the buffer is free.
    batch.release();
    if (failure !== undefined) throw failure;
  }

  flush(): Promise<void> {
    if (this.#counts.failed > 0 && this.#failure === undefined) {
      const detail = this.#lastError === undefined ? '' : `: ${this.#lastError.message}`;
      this.#failure = new SyslogDeliveryError(
        `syslog delivery to ${this.#options.url.href}: ${this.#counts.failed} datagrams were not sent${detail}`,
        { kind: 'other', reason: 'send', result: this.#counts, cause: this.#lastError },
      );
    }
    return this.#failure === undefined ? Promise.resolve() : Promise.reject(this.#failure);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.destroy();
    }
  }

  destroy(): number {
    this.#socket?.close();
    this.#socket = undefined;
    // Every batch waits for its datagrams to be handed over: nothing is pending.
    return 0;
  }
}
