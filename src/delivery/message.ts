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

/** The text of one message (without transport framing). */
export function buildMessage(header: MessageHeader, severity: number, timeMs: number, line: string): string {
  const pri = header.facility * 8 + severity;
  if (header.format === 'rfc3164') {
    const pid = header.procId === '-' ? '' : `[${header.procId}]`;
    return `<${pri}>${rfc3164Timestamp(timeMs)} ${header.hostname} ${header.appName}${pid}: ${line}`;
  }
  const timestamp = new Date(timeMs).toISOString();
  return `<${pri}>1 ${timestamp} ${header.hostname} ${header.appName} ${header.procId} ${header.msgId} - ${line}`;
}

/** RFC 6587 3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function octetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'latin1'), message]);
}
