/**
 * `--syslog URL` and its flags (decisions.md 4), for every command that emits lines: `indicators`,
 * `groups`, and the `bulk` and `sync` commands. A command
 *
 * 1. adds the flags with {@link addSyslogOptions} (it also needs `--ca-cert` and `--insecure`, which
 *    `addConnectionOptions` adds for every API command);
 * 2. before connecting, calls {@link checkSyslogUsage} (usage errors, exit 2);
 * 3. opens the collector with {@link openSyslogOutput}, writes each line with its rating, and ends
 *    with `close()`, which resolves only when every message was delivered (TCP/TLS: acknowledged),
 *    and otherwise rejects with a CliError (exit 1) that gives the counts; or `abort()` on failure.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type Clock,
  ConfigError,
  createSyslogSink,
  parseSyslogUrl,
  type SyslogResult,
  type SyslogSink,
  type SyslogSinkOptions,
} from '../index.js';
import { CliError } from './cli-error.js';
import { readFlagFile } from './connection.js';
import type { Io } from './io.js';
import { integer } from './parsers.js';

/** The flags of {@link addSyslogOptions}, plus the connection flags syslog shares. */
export interface SyslogFlags {
  syslog?: string;
  syslogFormat?: 'rfc5424' | 'rfc3164';
  syslogAppName?: string;
  syslogFacility?: number;
  syslogRate?: number;
  syslogMaxBytes?: number;
  clientCert?: string;
  clientKey?: string;
  /** From `addConnectionOptions`: also trusted for the collector's certificate. */
  caCert?: string;
  /** From `addConnectionOptions`: also skips the collector's certificate check. */
  insecure?: boolean;
}

/** The `--format` values a syslog message can carry: one line per record, no header or brackets. */
export const SYSLOG_FORMATS = ['cef', 'leef', 'keyval', 'jsonl'] as const;

/** The flags that mean nothing without `--syslog`, by their commander key. */
const SYSLOG_ONLY: readonly [keyof SyslogFlags, string][] = [
  ['syslogFormat', '--syslog-format'],
  ['syslogAppName', '--syslog-app-name'],
  ['syslogFacility', '--syslog-facility'],
  ['syslogRate', '--syslog-rate'],
  ['syslogMaxBytes', '--syslog-max-bytes'],
  ['clientCert', '--client-cert'],
  ['clientKey', '--client-key'],
];

function syslogUrl(value: string): string {
  try {
    parseSyslogUrl(value, '--syslog');
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

function positiveRate(value: string): number {
  const n = /^\+?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('--syslog-rate must be a number of messages per second above 0');
  return n;
}

function appName(value: string): string {
  if (!/^[\x21-\x7e]{1,48}$/.test(value)) {
    throw new InvalidArgumentError(
      '--syslog-app-name must be 1 to 48 printable ASCII characters without spaces',
    );
  }
  return value;
}

/** Adds `--syslog URL` and the flags that shape its messages. */
export function addSyslogOptions(command: Command): Command {
  return command
    .optionsGroup('Syslog delivery (instead of stdout or --output):')
    .addOption(
      new Option(
        '--syslog <url>',
        'send each line as a syslog message: udp://host:port, tcp://host:port or tls://host:port',
      ).argParser(syslogUrl),
    )
    .addOption(
      new Option('--syslog-format <rfc>', 'syslog message format (default rfc5424)').choices([
        'rfc5424',
        'rfc3164',
      ]),
    )
    .option(
      '--syslog-app-name <name>',
      'APP-NAME (RFC 3164: TAG) of the messages (default threatconnect)',
      appName,
    )
    .option(
      '--syslog-facility <n>',
      'facility 0 to 23 (default 16, local0)',
      integer('--syslog-facility', 0, 23),
    )
    .option(
      '--syslog-rate <n>',
      'udp: at most this many messages per second (default unlimited)',
      positiveRate,
    )
    .option(
      '--syslog-max-bytes <n>',
      'refuse (and count) messages longer than this (udp default 2048; tcp/tls default none)',
      integer('--syslog-max-bytes', 64),
    )
    .option('--client-cert <file>', 'tls: client certificate (PEM) to present to the collector')
    .option('--client-key <file>', 'tls: private key (PEM) of --client-cert')
    .optionsGroup('Options:');
}

/**
 * Usage errors (exit 2), before any request: syslog flags without `--syslog`, `--syslog` with
 * `--output`, a format that is not one line per record, and flags for another transport.
 */
export function checkSyslogUsage(
  command: Command,
  flags: SyslogFlags & { output?: string | undefined },
  format: string | undefined,
): void {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: 2 });
  if (flags.syslog === undefined) {
    const given = SYSLOG_ONLY.find(([key]) => flags[key] !== undefined);
    if (given !== undefined) usage(`${given[1]} needs --syslog`);
    return;
  }
  if (flags.output !== undefined)
    usage('--syslog and --output cannot be used together: the lines go to one of them');
  if (format !== undefined && !(SYSLOG_FORMATS as readonly string[]).includes(format)) {
    usage(
      `--format ${format} cannot go to --syslog: use ${SYSLOG_FORMATS.join(', ')} (one message per record)`,
    );
  }
  const { transport } = parseSyslogUrl(flags.syslog, '--syslog');
  if (transport !== 'udp' && flags.syslogRate !== undefined) usage('--syslog-rate applies to udp:// only');
  if (transport !== 'tls') {
    const tlsOnly =
      flags.clientCert !== undefined
        ? '--client-cert'
        : flags.clientKey !== undefined
          ? '--client-key'
          : undefined;
    if (tlsOnly !== undefined) usage(`${tlsOnly} applies to tls:// only`);
  }
  if ((flags.clientCert === undefined) !== (flags.clientKey === undefined)) {
    usage('--client-cert and --client-key go together');
  }
}

/** `N messages` / `1 message`. */
function messages(n: number): string {
  return `${n} message${n === 1 ? '' : 's'}`;
}

/** One line on what did not reach the collector, or undefined when everything did. */
export function describeSyslogResult(url: string, result: SyslogResult, error?: unknown): string | undefined {
  if (result.failed === 0 && result.refused === 0 && error === undefined) return undefined;
  const total = result.sent + result.failed + result.refused;
  const parts: string[] = [];
  if (result.failed > 0) parts.push(`${result.failed} failed`);
  if (result.refused > 0) parts.push(`${result.refused} refused as too long`);
  const counts = `${messages(result.failed + result.refused)} of ${total} not delivered to ${url}`;
  const why = error instanceof Error ? `: ${error.message}` : '';
  return parts.length === 0
    ? `syslog delivery to ${url} failed${why}`
    : `${counts} (${parts.join(', ')})${why}`;
}

/** The syslog side of a command's output. */
export interface SyslogOutput {
  /** The collector, `transport://host:port`. */
  readonly url: string;
  /** The counts so far. */
  readonly result: SyslogResult;
  /** Sends one line (its line break is dropped) with the record's rating; waits for room (backpressure). */
  write(line: string, rating?: number | null): Promise<void>;
  /**
   * Resolves once every line written so far is delivered (TCP/TLS: acknowledged by a clean close of
   * the connection; UDP: handed to the OS). Rejects like `close()`.
   */
  flush(): Promise<SyslogResult>;
  /**
   * Ends the delivery. Resolves with the counts when every message was delivered; rejects with a
   * CliError (exit 1) naming the counts when any failed or was refused.
   */
  close(): Promise<SyslogResult>;
  /** After a failure or an interrupt: drops the connection. Never throws. */
  abort(): Promise<void>;
}

/** The sink options the flags give (files read here; a file that cannot be read is exit 1). */
function sinkOptions(commandName: string, flags: SyslogFlags, clock: Clock | undefined): SyslogSinkOptions {
  const transport = parseSyslogUrl(flags.syslog, '--syslog').transport;
  const options: { -readonly [K in keyof SyslogSinkOptions]?: SyslogSinkOptions[K] } = {};
  if (flags.syslogFormat !== undefined) options.format = flags.syslogFormat;
  if (flags.syslogAppName !== undefined) options.appName = flags.syslogAppName;
  if (flags.syslogFacility !== undefined) options.facility = flags.syslogFacility;
  if (flags.syslogRate !== undefined) options.ratePerSecond = flags.syslogRate;
  if (flags.syslogMaxBytes !== undefined) options.maxBytes = flags.syslogMaxBytes;
  if (transport === 'tls') {
    if (flags.caCert !== undefined) options.ca = readFlagFile(commandName, '--ca-cert', flags.caCert);
    if (flags.insecure === true) options.insecure = true;
    if (flags.clientCert !== undefined)
      options.cert = readFlagFile(commandName, '--client-cert', flags.clientCert);
    if (flags.clientKey !== undefined)
      options.key = readFlagFile(commandName, '--client-key', flags.clientKey);
  }
  if (clock !== undefined) options.clock = clock;
  return options;
}

const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  ca: '--ca-cert',
  cert: '--client-cert',
  key: '--client-key',
  maxBytes: '--syslog-max-bytes',
  ratePerSecond: '--syslog-rate',
  appName: '--syslog-app-name',
  facility: '--syslog-facility',
};

/** Hints for the failures a user can fix with a flag. */
function hint(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (reason === 'untrusted-certificate') return ' (trust its CA with --ca-cert FILE)';
  if (reason === 'client-certificate-refused') return ' (check --client-cert and --client-key)';
  return '';
}

/**
 * Opens the collector of `--syslog` (flags already checked by {@link checkSyslogUsage}). `signal`
 * (the interrupt) destroys the delivery; `clock` is for tests.
 */
export function openSyslogOutput(
  io: Io,
  commandName: string,
  flags: SyslogFlags,
  options: { clock?: Clock } = {},
): SyslogOutput {
  const url = flags.syslog;
  if (url === undefined) throw new CliError(commandName, 'no --syslog URL given');
  let sink: SyslogSink;
  try {
    sink = createSyslogSink(url, sinkOptions(commandName, flags, options.clock));
  } catch (error) {
    if (error instanceof ConfigError) {
      const message = error.message.replace(/`(\w+)`/g, (whole, key: string) => FLAG_OF_OPTION[key] ?? whole);
      throw new CliError(commandName, message, 1, { cause: error });
    }
    throw error;
  }
  const failure = (error: unknown): CliError =>
    new CliError(
      commandName,
      `${describeSyslogResult(sink.url, sink.result, error) ?? String(error)}${hint(error)}`,
      1,
      { cause: error },
    );
  const onInterrupt = (): void => {
    sink.destroy();
  };
  io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  const release = (): void => {
    io.interrupt.removeEventListener('abort', onInterrupt);
  };
  return {
    url: sink.url,
    get result() {
      return sink.result;
    },
    write: (line, rating) =>
      new Promise<void>((resolve, reject) => {
        if (sink.errored !== null) {
          reject(failure(sink.errored));
          return;
        }
        const room = sink.write(
          { line, rating: typeof rating === 'number' ? rating : null },
          (error?: Error | null) => {
            if (error !== null && error !== undefined) reject(failure(error));
            else if (!room) resolve();
          },
        );
        if (room) resolve();
      }),
    flush: () =>
      sink.flush().catch((error: unknown) => {
        throw failure(error);
      }),
    close: async () => {
      try {
        const result = await sink.close();
        const problem = describeSyslogResult(sink.url, result);
        if (problem !== undefined) throw new CliError(commandName, problem);
        return result;
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw failure(error);
      } finally {
        release();
      }
    },
    abort: () => {
      release();
      sink.destroy();
      return Promise.resolve();
    },
  };
}
