/**
 * Syslog messages, one per line of text:
 *
 * - RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG`, the timestamp in UTC with
 *   milliseconds, no structured data, and MSG as UTF-8 without the optional BOM (RFC 5424 6.4
 *   MSG-ANY; collectors treat both alike, and a BOM would be a visible extra character in many).
 * - RFC 3164 (BSD syslog): `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`, the timestamp in local time
 *   as the RFC has it, the host name's first label, and the app name as the TAG.
 *
 * PRI is `facility × 8 + severity`. The header fields are checked once (options.ts); here they are
 * only assembled.
 */

export type SyslogFormat = 'rfc5424' | 'rfc3164';

/** The fixed part of every message of a sink. */
export interface MessageHeader {
  readonly format: SyslogFormat;
  readonly facility: number;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** RFC 3164's TIMESTAMP: `Mmm dd hh:mm:ss`, the day padded with a space, local time. */
export function rfc3164Timestamp(timeMs: number): string {
  const d = new Date(timeMs);
  const day = d.getDate();
  const month = MONTHS[d.getMonth()] ?? 'Jan';
  return `${month} ${day < 10 ? ` ${day}` : day} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** What comes before the timestamp: `<PRI>1 ` (RFC 5424) or `<PRI>` (RFC 3164). */
function prefixOf(header: MessageHeader, severity: number): string {
  const pri = header.facility * 8 + severity;
  return header.format === 'rfc3164' ? `<${pri}>` : `<${pri}>1 `;
}

/** What comes between the timestamp and the text. */
function suffixOf(header: MessageHeader): string {
  if (header.format === 'rfc3164') {
    const pid = header.procId === '-' ? '' : `[${header.procId}]`;
    return ` ${header.hostname} ${header.appName}${pid}: `;
  }
  return ` ${header.hostname} ${header.appName} ${header.procId} ${header.msgId} - `;
}

function timestampOf(format: SyslogFormat, timeMs: number): string {
  return format === 'rfc3164' ? rfc3164Timestamp(timeMs) : new Date(timeMs).toISOString();
}

/** The text of one message (without transport framing). */
export function buildMessage(header: MessageHeader, severity: number, timeMs: number, line: string): string {
  return `${prefixOf(header, severity)}${timestampOf(header.format, timeMs)}${suffixOf(header)}${line}`;
}

/** RFC 6587 3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function octetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'latin1'), message]);
}

/**
 * Message headers of one sink, built once: the text before the message's line for a severity and a
 * time. The prefix per severity and the fixed fields are computed at creation, the timestamp once per
 * distinct millisecond (RFC 5424) or second (RFC 3164). Every header is ASCII (options.ts checks the
 * fields), so its length in characters is its length in bytes.
 */
export class HeaderCache {
  readonly #format: SyslogFormat;
  readonly #prefixes: readonly string[];
  readonly #suffix: string;
  /** The headers for the current timestamp, by severity. */
  #heads: string[] = [];
  #key = Number.NaN;

  constructor(header: MessageHeader) {
    this.#format = header.format;
    this.#prefixes = Array.from({ length: 8 }, (_, severity) => prefixOf(header, severity));
    this.#suffix = suffixOf(header);
  }

  /** Sets the time of the next headers. */
  at(timeMs: number): void {
    const key = this.#format === 'rfc3164' ? Math.floor(timeMs / 1000) : timeMs;
    if (key === this.#key) return;
    this.#key = key;
    const stamp = timestampOf(this.#format, timeMs);
    this.#heads = this.#prefixes.map((prefix) => `${prefix}${stamp}${this.#suffix}`);
  }

  /** The header for `severity` (0–7) at the time given to `at()`. */
  head(severity: number): string {
    return this.#heads[severity] as string;
  }
}
