/**
 * UDP: best effort. One datagram per message (RFC 5426), no framing, rate-limited with a token
 * bucket. A datagram the operating system refuses is counted as failed; nothing confirms arrival.
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
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

  async send(message: Buffer): Promise<void> {
    if (this.#failure !== undefined) {
      this.#counts.failed += 1;
      throw this.#failure;
    }
    try {
      await this.#bucket?.take(this.#options.signal);
      const socket = await this.#open();
      await new Promise<void>((resolve) => {
        socket.send(message, this.#options.url.port, this.#address, (error) => {
          if (error === null) this.#counts.sent += 1;
          else {
            this.#counts.failed += 1;
            this.#lastError = error;
          }
          resolve();
        });
      });
    } catch (error) {
      this.#counts.failed += 1;
      throw error;
    }
  }

  async sendBatch(messages: readonly Buffer[]): Promise<void> {
    for (const message of messages) await this.send(message);
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
    // Every send is awaited before the next: nothing is pending.
    return 0;
  }
}
