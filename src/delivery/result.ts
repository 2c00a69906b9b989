/** What a syslog sink reports: its counts, and the error that ends a delivery that failed. */
import { ConnectionError, type ConnectionErrorKind } from '../core/errors.js';

/** The counts of a sink, as `sink.result`, `flush()` and `close()` give them. */
export interface SyslogResult {
  /**
   * Messages delivered: on TCP and TLS, written and acknowledged by a clean close of the connection
   * (the collector read them all); on UDP, handed to the operating system.
   */
  readonly sent: number;
  /** Messages taken but not delivered: the connection failed for good, or the sink was destroyed. */
  readonly failed: number;
  /** Messages refused before sending because they exceed `maxBytes`; never cut, never sent. */
  readonly refused: number;
  /**
   * TCP/TLS: messages written again on a new connection after the previous one was lost before it
   * acknowledged them. The collector may have received some of them twice (at most this many).
   */
  readonly resent: number;
}

/** Why a delivery failed for good. */
export type SyslogFailureReason =
  /** The collector's certificate was not trusted (or did not match its name). */
  | 'untrusted-certificate'
  /** The collector refused the client certificate, or asked for one and got none. */
  | 'client-certificate-refused'
  /** Another TLS failure (no common protocol or cipher, a bad record). */
  | 'tls'
  /** The connection failed, or was lost, and the reconnects ran out. */
  | 'connection'
  /** The host name could not be resolved (UDP). */
  | 'dns'
  /** UDP: the operating system refused some datagrams. */
  | 'send';

/** Some messages could not be delivered. `result` holds the counts when the error was raised. */
export class SyslogDeliveryError extends ConnectionError {
  static {
    Object.defineProperty(this.prototype, 'name', {
      value: 'SyslogDeliveryError',
      writable: true,
      configurable: true,
    });
  }
  readonly reason: SyslogFailureReason;
  readonly #counts: SyslogResult;

  /** `result` is the sink's live counts: read after the sink is closed or destroyed, they are final. */
  constructor(
    message: string,
    options: {
      kind: ConnectionErrorKind;
      reason: SyslogFailureReason;
      result: SyslogResult;
      cause?: unknown;
    },
  ) {
    super(message, { kind: options.kind, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.#counts = options.result;
    this.reason = options.reason;
  }

  /** The sink's counts. */
  get result(): SyslogResult {
    return { ...this.#counts };
  }
}
