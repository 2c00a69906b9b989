/** What the sink asks of a transport (UDP, or TCP/TLS). */
import type { EncodedBatch } from './batch.js';
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
   * Takes a batch of messages (octet-counted frames on TCP/TLS, bare messages on UDP), written
   * together where the transport can. Resolves when the transport can take the next batch
   * (backpressure); rejects with a SyslogDeliveryError once delivery has failed for good.
   */
  sendBatch(batch: EncodedBatch): Promise<void>;
  /**
   * Resolves when every message taken so far is delivered as far as this transport can confirm
   * (see docs/siem.md); rejects as `sendBatch` does.
   */
  flush(): Promise<void>;
  /** `flush()`, then releases the socket. */
  close(): Promise<void>;
  /** Drops everything at once; returns how many taken messages were not delivered. */
  destroy(): number;
  /** The failure that ended delivery, once there is one. */
  readonly failure: SyslogDeliveryError | undefined;
}
