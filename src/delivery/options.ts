/**
 * The options of `createSyslogSink`, checked once: unknown keys, wrong types and out-of-range values
 * are ConfigErrors naming the option (decisions.md 1.2 style), and an option that does not apply to
 * the URL's transport (a rate on TCP, a client certificate on UDP) is refused rather than ignored.
 * Messages never show certificate or key contents.
 */
import { X509Certificate } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import type { Clock, ResolvedClock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import { isAbortSignal, validateCaCertificate, validateClock } from '../core/validators.js';
import type { MessageHeader, SyslogFormat } from './message.js';
import { parseSyslogUrl, type SyslogUrl } from './url.js';

/** PEM text, as a string or a Buffer. */
export type Pem = string | Buffer;

/** Options of {@link createSyslogSink}. */
export interface SyslogSinkOptions {
  /** `rfc5424` (default) or `rfc3164`. */
  readonly format?: SyslogFormat;
  /** APP-NAME (RFC 5424) or TAG (RFC 3164). Default `threatconnect`. */
  readonly appName?: string;
  /** Facility 0–23. Default 16 (local0). */
  readonly facility?: number;
  /** HOSTNAME. Default this machine's host name. */
  readonly hostname?: string;
  /** PROCID. Default this process's id. */
  readonly procId?: string | number;
  /** MSGID (RFC 5424 only). Default `-`. */
  readonly msgId?: string;
  /** UDP only: messages per second, with bursts up to one second's worth. Default unlimited. */
  readonly ratePerSecond?: number;
  /** Messages longer than this many bytes (without framing) are refused and counted. Default 2048 on UDP, none on TCP and TLS. */
  readonly maxBytes?: number;
  /** TLS: CA certificates (PEM) trusted besides the system ones. */
  readonly ca?: Pem | readonly Pem[];
  /** TLS: do not verify the collector's certificate (throwaway test collectors only). Default false. */
  readonly insecure?: boolean;
  /** TLS: client certificate (PEM), presented to a collector that asks for one. Needs `key`. */
  readonly cert?: Pem;
  /** TLS: the client certificate's private key (PEM). Never printed. */
  readonly key?: Pem;
  /** TLS: the name checked against the collector's certificate. Default the URL's host. */
  readonly servername?: string;
  /** TCP/TLS: reconnect attempts after a failure, before the pending messages are given up. Default 8. */
  readonly retries?: number;
  /** TCP/TLS: base of the reconnect backoff, in ms (doubling per attempt, with jitter). Default 500. */
  readonly retryDelayMs?: number;
  /** TCP/TLS: cap of one reconnect wait, in ms. Default 30000. */
  readonly maxRetryDelayMs?: number;
  /** TCP/TLS: connect (TLS handshake included), write-progress and close timeout, in ms. Default 30000. */
  readonly timeoutMs?: number;
  /**
   * TCP/TLS: how many bytes may be written before the sink asks the collector to acknowledge them
   * (by closing the connection cleanly and opening a new one). It bounds both the memory kept for
   * resending (at most twice this) and the messages a lost connection can duplicate; a larger value
   * means fewer TLS handshakes. Default 4 MiB.
   */
  readonly maxUnacknowledgedBytes?: number;
  /** Time for the timestamps and the waits (`now`, `sleep`, `random`), as the client's `clock`. */
  readonly clock?: Clock;
  /** Aborts the sink: pending messages count as failed. */
  readonly signal?: AbortSignal;
}

/**
 * The default `maxUnacknowledgedBytes`: 4 MiB, about 14,000 CEF messages per acknowledgement
 * (docs/decisions.md, "Syslog delivery throughput").
 */
const DEFAULT_MAX_UNACKNOWLEDGED_BYTES = 4 * 1024 * 1024;

/** Everything a sink needs, checked and with defaults filled in. */
export interface ResolvedSyslogOptions {
  readonly url: SyslogUrl;
  readonly header: MessageHeader;
  readonly ratePerSecond: number | undefined;
  readonly maxBytes: number | undefined;
  readonly tls: {
    readonly ca: readonly Pem[] | undefined;
    readonly insecure: boolean;
    readonly cert: Pem | undefined;
    readonly key: Pem | undefined;
    readonly servername: string | undefined;
  };
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly timeoutMs: number;
  readonly maxUnacknowledgedBytes: number;
  readonly clock: ResolvedClock;
  readonly signal: AbortSignal | undefined;
}

const KEYS: ReadonlySet<string> = new Set<keyof SyslogSinkOptions>([
  'format',
  'appName',
  'facility',
  'hostname',
  'procId',
  'msgId',
  'ratePerSecond',
  'maxBytes',
  'ca',
  'insecure',
  'cert',
  'key',
  'servername',
  'retries',
  'retryDelayMs',
  'maxRetryDelayMs',
  'timeoutMs',
  'maxUnacknowledgedBytes',
  'clock',
  'signal',
]);

const TLS_ONLY = ['ca', 'insecure', 'cert', 'key', 'servername'] as const;
const STREAM_ONLY = [
  'retries',
  'retryDelayMs',
  'maxRetryDelayMs',
  'timeoutMs',
  'maxUnacknowledgedBytes',
] as const;

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}

function integerOption(key: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`\`${key}\` must be an integer ${range}, got ${shown(value)}`);
  }
  return value;
}

function positiveNumber(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`\`${key}\` must be a number above 0, got ${shown(value)}`);
  }
  return value;
}

/** A header field: printable US-ASCII without spaces (RFC 5424 PRINTUSASCII), 1 to `max` characters. */
function headerField(key: string, value: unknown, max: number, extra?: RegExp): string {
  if (
    typeof value !== 'string' ||
    !/^[\x21-\x7e]+$/.test(value) ||
    value.length > max ||
    extra?.test(value)
  ) {
    const more = extra === undefined ? '' : ' (nor [, ] or :)';
    throw new ConfigError(
      `\`${key}\` must be 1 to ${max} printable ASCII characters without spaces${more}, got ${shown(value)}`,
    );
  }
  return value;
}

function isPem(value: unknown): value is Pem {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function pemOption(key: string, value: unknown): Pem {
  if (!isPem(value) || value.length === 0) {
    throw new ConfigError(`\`${key}\` must be PEM text (a non-empty string or Buffer), got ${typeof value}`);
  }
  return value;
}

/**
 * A `ca` entry: PEM text holding at least one certificate, each of which can be read. TLS ignores a
 * CA it cannot read (`tls.createSecureContext` does not complain), so without this check a wrong file
 * surfaced only later, as an "untrusted certificate" of the collector. The text is never echoed.
 */
function caOption(value: unknown): Pem {
  const text = validateCaCertificate(value, '`ca`');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0] ?? '';
      throw new ConfigError(`\`ca\` certificate ${i + 1} of ${blocks.length} cannot be read: ${reason}`, {
        cause: error,
      });
    }
  }
  return text;
}

/** PROCID from a number: a process id, a non-negative integer. */
function procIdOption(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(`\`procId\` must be a non-negative integer or a text, got ${shown(value)}`);
  }
  return String(value);
}

/** This machine's name as a header field: RFC 5424 allows printable ASCII only. */
function defaultHostname(format: SyslogFormat): string {
  let name = osHostname().replace(/[^\x21-\x7e]/g, '');
  if (format === 'rfc3164') name = name.split('.')[0] ?? name;
  return name === '' ? (format === 'rfc3164' ? 'localhost' : '-') : name.slice(0, 255);
}

/** Checks the URL and options of a sink. */
export function resolveSyslogOptions(url: unknown, options: SyslogSinkOptions = {}): ResolvedSyslogOptions {
  const parsed = parseSyslogUrl(url);
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ConfigError(`syslog sink options must be an object, got ${shown(options)}`);
  }
  const given = options as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(given)) {
    if (!KEYS.has(key)) throw new ConfigError(`unknown syslog sink option \`${key}\``);
  }
  const has = (key: string): boolean => given[key] !== undefined;
  if (parsed.transport !== 'tls') {
    const key = TLS_ONLY.find(has);
    if (key !== undefined) {
      throw new ConfigError(`\`${key}\` applies to tls:// only, not to ${parsed.href}`);
    }
  }
  if (parsed.transport === 'udp') {
    const key = STREAM_ONLY.find(has);
    if (key !== undefined) {
      throw new ConfigError(`\`${key}\` applies to tcp:// and tls:// only, not to ${parsed.href}`);
    }
  } else if (has('ratePerSecond')) {
    throw new ConfigError(`\`ratePerSecond\` applies to udp:// only, not to ${parsed.href}`);
  }

  const format: unknown = options.format ?? 'rfc5424';
  if (format !== 'rfc5424' && format !== 'rfc3164') {
    throw new ConfigError(`\`format\` must be rfc5424 or rfc3164, got ${shown(format)}`);
  }
  const legacy = format === 'rfc3164';
  const appName = headerField(
    'appName',
    options.appName ?? 'threatconnect',
    legacy ? 32 : 48,
    legacy ? /[[\]:]/ : undefined,
  );
  const facility = integerOption('facility', options.facility ?? 16, 0, 23);
  const hostname =
    options.hostname === undefined ? defaultHostname(format) : headerField('hostname', options.hostname, 255);
  const procId = headerField(
    'procId',
    procIdOption(options.procId ?? String(process.pid)),
    128,
    legacy ? /[[\]:]/ : undefined,
  );
  const msgId = headerField('msgId', options.msgId ?? '-', 32);
  if (legacy && options.msgId !== undefined) {
    throw new ConfigError('`msgId` applies to the rfc5424 format only (RFC 3164 has no MSGID)');
  }
  const ratePerSecond =
    options.ratePerSecond === undefined ? undefined : positiveNumber('ratePerSecond', options.ratePerSecond);
  const maxBytes =
    options.maxBytes === undefined
      ? parsed.transport === 'udp'
        ? 2048
        : undefined
      : integerOption(
          'maxBytes',
          options.maxBytes,
          64,
          parsed.transport === 'udp' ? 65507 : Number.MAX_SAFE_INTEGER,
        );

  const insecure = options.insecure ?? false;
  if (typeof insecure !== 'boolean')
    throw new ConfigError(`\`insecure\` must be a boolean, got ${shown(insecure)}`);
  let ca: Pem[] | undefined;
  if (options.ca !== undefined) {
    const list: unknown[] = Array.isArray(options.ca) ? [...(options.ca as unknown[])] : [options.ca];
    ca = list.map((item) => caOption(item));
  }
  const cert = options.cert === undefined ? undefined : pemOption('cert', options.cert);
  const key = options.key === undefined ? undefined : pemOption('key', options.key);
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError(
      '`cert` and `key` go together: give both the client certificate and its key, or neither',
    );
  }
  const servername =
    options.servername === undefined ? undefined : headerField('servername', options.servername, 255);

  const retries = integerOption('retries', options.retries ?? 8, 0, 1000);
  const retryDelayMs = integerOption('retryDelayMs', options.retryDelayMs ?? 500, 0, 3_600_000);
  const maxRetryDelayMs = integerOption('maxRetryDelayMs', options.maxRetryDelayMs ?? 30_000, 0, 3_600_000);
  const timeoutMs = integerOption('timeoutMs', options.timeoutMs ?? 30_000, 1, 2_147_483_647);
  const maxUnacknowledgedBytes = integerOption(
    'maxUnacknowledgedBytes',
    options.maxUnacknowledgedBytes ?? DEFAULT_MAX_UNACKNOWLEDGED_BYTES,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  // now(), and sleep() and random() when given: a bad one failed only at the first reconnect.
  const clock = validateClock(options.clock);
  if (options.signal !== undefined && !isAbortSignal(options.signal)) {
    throw new ConfigError(`\`signal\` must be an AbortSignal, got ${shown(options.signal)}`);
  }
  return {
    url: parsed,
    header: { format, facility, hostname, appName, procId, msgId },
    ratePerSecond,
    maxBytes,
    tls: { ca, insecure, cert, key, servername },
    retries,
    retryDelayMs,
    maxRetryDelayMs,
    timeoutMs,
    maxUnacknowledgedBytes,
    clock,
    signal: options.signal,
  };
}
