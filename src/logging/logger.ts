/**
 * Logging (sdk-behaviour.md 10, decisions.md 1.2): a {@link Logger} with the seed's level names and
 * a pino 10 implementation with two destinations at separate levels:
 *
 * - a file (`setTclFile(path, level = 'info')`), NDJSON through `pino.destination`;
 * - the console (stderr by default), one human line per record,
 *   `2026-11-28 01:00:55,546 - threatconnect - WARNING - message`.
 *
 * Until a setter is called nothing below `critical` is written anywhere: there is no file and the
 * console is at `critical`. The seed's names map to pino's (warning → warn, critical → fatal). The
 * pino logger's own level is always the lowest level of its destinations, recomputed on every
 * change, so no record is dropped before it reaches a destination.
 *
 * Secrets: fields named like a secret (`authorization`, `proxy-authorization`, `password`,
 * `secretKey`, tokens; any case, at any depth) are redacted, the values returned by the `secrets`
 * option are replaced by `[REDACTED]` in every message and string field, and so are the secrets a
 * text shows by its form (`?access_token=…`, `TC-Token …`, `TC <id>:<signature>`) before it is written.
 * pino's path redaction stays as a backstop.
 */
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';
import type pino from 'pino';
import { type ConsoleLevel, LOG_LEVELS, type LogLevel } from '../core/config-types.js';
import { validateConsoleLevel, validateLogFile, validateLogLevel } from '../core/validators.js';
import { ConfigError } from '../core/errors.js';
import { isSecretName, REDACTED, redactSecrets, redactText, secretsToMask } from '../core/redact.js';

/**
 * pino, loaded the first time a record is written or a log file is set: a run that logs nothing (a
 * CLI export at the default level) does not pay for loading it, about 20 ms of every start.
 */
let pinoModule: typeof pino | undefined;
function loadPino(): typeof pino {
  pinoModule ??= createRequire(import.meta.url)('pino') as typeof pino;
  return pinoModule;
}

/** Structured fields of a record. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger every SDK module receives. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  critical(message: string, fields?: LogFields): void;
  /** True when a record at `level` would be written somewhere (to skip building costly messages). */
  isLevelEnabled(level: LogLevel): boolean;
}

/** A logger that writes nothing. */
export const silentLogger: Logger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  critical: () => undefined,
  isLevelEnabled: () => false,
});

/** Something the console destination can write text to. */
export interface TextSink {
  write(text: string): unknown;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** A log file at once (as `setFile`). */
  readonly file?: { readonly path: string; readonly level?: LogLevel | undefined } | undefined;
  /** @default 'critical' */
  readonly consoleLevel?: ConsoleLevel | undefined;
  /** Where console lines go. @default process.stderr */
  readonly consoleStream?: TextSink | undefined;
  /** The time of records, in epoch ms (the client's clock). @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Values to replace by `[REDACTED]` in messages and string fields (secret key, token, proxy password). */
  readonly secrets?: (() => Iterable<string | undefined>) | undefined;
}

const PINO_LEVEL: Readonly<Record<LogLevel, pino.Level>> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
};

const LEVEL_NAME_BY_NUMBER: Readonly<Record<number, string>> = {
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};

/** Field paths pino redacts (fast-redact syntax), at the top level and one or two levels down. */
export const REDACT_PATHS: readonly string[] = Object.freeze(
  (() => {
    const keys = [
      'authorization',
      'Authorization',
      '["proxy-authorization"]',
      '["Proxy-Authorization"]',
      'secretKey',
      'apiToken',
      'token',
      'password',
    ];
    const join = (prefix: string, key: string): string =>
      key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
    const paths: string[] = [];
    for (const key of keys) {
      paths.push(key.startsWith('[') ? key.slice(2, -2) : key, join('*', key), join('*.*', key));
    }
    return paths;
  })(),
);

/** `2026-11-28 01:00:55,546`: Python logging's `asctime`, in local time. */
export function formatAsctime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

/** Turns one pino NDJSON record into the console's human line (with the trailing newline). */
export function formatConsoleLine(ndjson: string): string {
  let record: { time?: unknown; level?: unknown; msg?: unknown };
  try {
    record = JSON.parse(ndjson) as typeof record;
  } catch {
    return ndjson.endsWith('\n') ? ndjson : `${ndjson}\n`;
  }
  const time = typeof record.time === 'number' ? record.time : Date.now();
  const level = typeof record.level === 'number' ? (LEVEL_NAME_BY_NUMBER[record.level] ?? 'LEVEL') : 'LEVEL';
  const message = typeof record.msg === 'string' ? record.msg : '';
  return `${formatAsctime(time)} - threatconnect - ${level} - ${message}\n`;
}

function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not `mkdirSync(dir, { recursive: true })`:
 * under `/proc` (and on other file systems that answer ENOENT for a child that can never exist) Node 20
 * retries the parent and the child for ever, and `setTclFile('/proc/x/tc.log')` spun at 100% CPU.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    try {
      statSync(at);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error;
      missing.push(at);
    }
  }
  // Outermost first; a folder another process made meanwhile is no failure.
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** A text with the known secret values and the recognisable ones ({@link redactText}) masked. */
function scrubText(text: string, secrets: readonly string[]): string {
  return redactText(secrets.length > 0 ? redactSecrets(text, secrets) : text);
}

/**
 * A copy of a record's fields that holds no secret: every field whose name is a secret's
 * ({@link isSecretName}: `authorization`, `AUTHORIZATION`, `x-api-key`, `api_secret_key`, any case,
 * at any depth) is `[REDACTED]`, and every string is scrubbed ({@link scrubText}). pino's own path
 * redaction is case-sensitive and stops two levels down, so it is only a backstop.
 */
function scrubValue(
  value: unknown,
  secrets: readonly string[],
  ancestors: Set<object>,
  depth: number,
): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8) return '[Object]';
  // A copy with the cycles cut, so no unscrubbed original is reachable from it.
  if (ancestors.has(value)) return '[Circular]';
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message, secrets) };
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v: unknown) => scrubValue(v, secrets, ancestors, depth + 1));
  } else {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      copy[k] =
        isSecretName(k) && v !== undefined && v !== null
          ? REDACTED
          : scrubValue(v, secrets, ancestors, depth + 1);
    }
    out = copy;
  }
  ancestors.delete(value);
  return out;
}

/** The SDK's logger: file and console at separate levels, changeable at run time. */
export class SdkLogger implements Logger {
  readonly #consoleStream: TextSink;
  readonly #now: () => number;
  readonly #secrets: (() => Iterable<string | undefined>) | undefined;
  #consoleLevel: ConsoleLevel;
  #file: { path: string; level: LogLevel; destination: pino.DestinationStream & { end(): void } } | undefined;
  /** Built on the first record written after a change of destinations or levels. */
  #pino: pino.Logger | undefined;
  #lowest: LogLevel | undefined;

  constructor(options: LoggerOptions = {}) {
    this.#consoleStream = options.consoleStream ?? process.stderr;
    this.#now = options.now ?? Date.now;
    this.#secrets = options.secrets;
    this.#consoleLevel =
      options.consoleLevel === undefined ? 'critical' : validateConsoleLevel(options.consoleLevel);
    this.#reconfigure();
    if (options.file !== undefined) this.setFile(options.file.path, options.file.level ?? 'info');
  }

  /** The file's path, when there is one. */
  get filePath(): string | undefined {
    return this.#file?.path;
  }

  /** The file's level, when there is a file. */
  get fileLevel(): LogLevel | undefined {
    return this.#file?.level;
  }

  get consoleLevel(): ConsoleLevel {
    return this.#consoleLevel;
  }

  /** The lowest level written anywhere (pino's own level), or undefined when nothing is written. */
  get level(): LogLevel | undefined {
    return this.#lowest;
  }

  /**
   * `setTclFile(path, level = 'info')`: writes NDJSON records at `level` and above to `path`,
   * replacing any earlier file. Missing parent folders are created.
   *
   * @throws {ConfigError} for a bad path or level, or when the file cannot be written.
   */
  setFile(path: string, level: LogLevel = 'info'): void {
    const filePath = validateLogFile(path);
    const fileLevel = validateLogLevel(level);
    try {
      makeFolders(dirname(filePath));
      closeSync(openSync(filePath, 'a'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError(`\`logFile\` cannot be written: ${filePath} (${code})`, { cause: error });
    }
    const destination = loadPino().destination({ dest: filePath, sync: true, append: true });
    this.#closeFile();
    this.#file = { path: filePath, level: fileLevel, destination };
    this.#reconfigure();
  }

  /** Stops writing to the log file. */
  clearFile(): void {
    this.#closeFile();
    this.#reconfigure();
  }

  /**
   * `setTclConsoleLevel(level)`: the console's level, or `off`. One console destination only:
   * calling it again replaces the level (the original stacked handlers).
   *
   * @throws {ConfigError} for an unknown level.
   */
  setConsoleLevel(level: ConsoleLevel): void {
    this.#consoleLevel = validateConsoleLevel(level);
    this.#reconfigure();
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.#lowest !== undefined && levelRank(level) >= levelRank(this.#lowest);
  }

  debug(message: string, fields?: LogFields): void {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields);
  }
  warning(message: string, fields?: LogFields): void {
    this.#write('warning', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }
  critical(message: string, fields?: LogFields): void {
    this.#write('critical', message, fields);
  }

  /** Closes the log file. The console is left alone. */
  close(): void {
    this.#closeFile();
    this.#reconfigure();
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    const file = this.#file === undefined ? 'none' : `${this.#file.path} (${this.#file.level})`;
    return `SdkLogger { file: ${file}, console: ${this.#consoleLevel} }`;
  }

  #write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const known = new Set<string>();
    for (const secret of this.#secrets?.() ?? []) {
      if (secret === undefined || secret.length === 0) continue;
      // Also as it goes in a URL (`expiredToken=APIV2%3A…`, a form-encoded `+` for a space).
      const encoded = encodeURIComponent(secret);
      known.add(secret).add(encoded).add(encoded.replace(/%20/g, '+'));
    }
    const secrets = secretsToMask(known);
    const text = scrubText(message, secrets);
    const method = PINO_LEVEL[level];
    this.#pino ??= this.#build();
    if (fields === undefined) {
      this.#pino[method](text);
    } else {
      this.#pino[method](scrubValue(fields, secrets, new Set(), 0) as object, text);
    }
  }

  #closeFile(): void {
    const file = this.#file;
    this.#file = undefined;
    if (file !== undefined) file.destination.end();
  }

  /** After a change of destinations or levels: the lowest level, and pino to be built again. */
  #reconfigure(): void {
    const levels: LogLevel[] = [];
    if (this.#file !== undefined) levels.push(this.#file.level);
    if (this.#consoleLevel !== 'off') levels.push(this.#consoleLevel);
    this.#lowest = levels.sort((a, b) => levelRank(a) - levelRank(b))[0];
    this.#pino = undefined;
  }

  #build(): pino.Logger {
    const pino = loadPino();
    const streams: pino.StreamEntry[] = [];
    if (this.#file !== undefined) {
      streams.push({ level: PINO_LEVEL[this.#file.level], stream: this.#file.destination });
    }
    if (this.#consoleLevel !== 'off') {
      const sink = this.#consoleStream;
      streams.push({
        level: PINO_LEVEL[this.#consoleLevel],
        stream: { write: (line: string) => void sink.write(formatConsoleLine(line)) },
      });
    }
    const now = this.#now;
    const options: pino.LoggerOptions = {
      level: this.#lowest === undefined ? 'silent' : PINO_LEVEL[this.#lowest],
      base: { pid: process.pid, name: 'threatconnect' },
      timestamp: () => `,"time":${Math.floor(now())}`,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    };
    if (streams.length === 0) return pino(options, { write: () => undefined });
    return pino(options, pino.multistream(streams));
  }
}

/** Creates the SDK logger (see {@link SdkLogger}). */
export function createLogger(options: LoggerOptions = {}): SdkLogger {
  return new SdkLogger(options);
}
