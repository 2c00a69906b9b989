/** What the sink asks of a transport (UDP, or TCP/TLS). */
import type { SyslogDeliveryError } from './result.js';

/** Counts a transport updates; the sink owns them and adds `refused`. */
export interface Counts {
  sent: number;
  failed: number;
  refused: number;
  resent: number;
}

export interface Transport {
  /**
   * Takes one message (`message` is the bare syslog message; the transport adds its framing).
   * Resolves when the transport can take the next one (backpressure); rejects with a
   * SyslogDeliveryError once delivery has failed for good.
   */
  send(message: Buffer): Promise<void>;
  /** Takes several messages at once (written together where the transport can). */
  sendBatch(messages: readonly Buffer[]): Promise<void>;
  /**
   * Resolves when every message taken so far is delivered as far as this transport can confirm
   * (see docs/siem.md); rejects as `send` does.
   */
  flush(): Promise<void>;
  /** `flush()`, then releases the socket. */
  close(): Promise<void>;
  /** Drops everything at once; returns how many taken messages were not delivered. */
  destroy(): number;
  /** The failure that ended delivery, once there is one. */
  readonly failure: SyslogDeliveryError | undefined;
}
