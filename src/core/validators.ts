/**
 * One validator per client option, shared by the constructor, the seed setters, the environment and
 * the config file. Each throws {@link ConfigError} whose message names the option and the value
 * received, e.g. "`apiResultLimit` must be an integer from 1 to 500, got 501". Secret values (secret
 * key, API token, proxy password) are never echoed: their messages give the type only.
 */
import { isIP } from 'node:net';
import { inspect, types } from 'node:util';
import { type Clock, type ResolvedClock, resolveClock } from './clock.js';
import type { CompatMode, ConsoleLevel, LogLevel, ResolvedProxy } from './config-types.js';
import { LOG_LEVELS, MAX_API_REQUEST_TIMEOUT_SECONDS } from './config-types.js';
import { ConfigError, ValidationError } from './errors.js';
import { REDACTED } from './redact.js';

// ---------------------------------------------------------------------------------------------
// Describing values in messages
// ---------------------------------------------------------------------------------------------

/** Whether `value` is a JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type of a value in words, for messages about secrets and structures. */
export function describeType(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? 'a Buffer' : 'a Uint8Array';
  if (isDate(value)) return 'a Date';
  return 'an object';
}

/** Whether `value` is a Date, one made in another realm (a `vm` context) included. */
export function isDate(value: unknown): value is Date {
  return types.isDate(value);
}

/** A value as shown after "got": numbers and booleans as is, strings quoted, objects by type. */
export function describeValue(value: unknown): string {
  if (isDate(value) && Number.isNaN(value.getTime())) return 'Invalid Date';
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return describeType(value);
}

/**
 * A URL or host as shown after "got": with an `@` in it, everything between the scheme and the last
 * `@` is replaced, since `user:password@` may be written there (and parsers disagree on where it ends).
 */
export function describeUrlValue(value: unknown): string {
  if (typeof value !== 'string' || !value.includes('@')) return describeValue(value);
  return describeValue(value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i, `$1${REDACTED}@`));
}

function invalid(label: string, expected: string, value: unknown, secret = false): never {
  throw new ConfigError(
    `${label} must be ${expected}, got ${secret ? describeType(value) : describeValue(value)}`,
  );
}

/** {@link invalid} for a URL or host, whose user-info is not echoed (see {@link describeUrlValue}). */
function invalidUrl(label: string, expected: string, value: unknown): never {
  throw new ConfigError(`${label} must be ${expected}, got ${describeUrlValue(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Validators (shared by the constructor, the setters, the environment and the config file)
// ---------------------------------------------------------------------------------------------

function nonEmptyString(value: unknown, label: string, secret = false): string {
  if (typeof value !== 'string' || value.length === 0) invalid(label, 'a non-empty string', value, secret);
  return value;
}

/**
 * A value that goes into the `Authorization` header: no control characters (a line break there is no
 * header at all, and every request would fail as unreachable, retried for minutes).
 */
function headerText(value: unknown, label: string, secret = false): string {
  const text = nonEmptyString(value, label, secret);
  let control = false;
  for (let i = 0; i < text.length && !control; i += 1) {
    const code = text.charCodeAt(i);
    control = code < 0x20 || code === 0x7f;
  }
  if (control) {
    invalid(
      label,
      'a string without control characters (it goes in the Authorization header)',
      value,
      secret,
    );
  }
  return text;
}

/** `accessId`: a non-empty string without control characters. */
export function validateAccessId(value: unknown, label = '`accessId`'): string {
  return headerText(value, label);
}

/** `secretKey`: a non-empty string; never echoed. */
export function validateSecretKey(value: unknown, label = '`secretKey`'): string {
  return nonEmptyString(value, label, true);
}

/** `apiToken`: a non-empty string without control characters; never echoed. */
export function validateApiToken(value: unknown, label = '`apiToken`'): string {
  return headerText(value, label, true);
}

/** `apiTokenExpires`: epoch seconds (a number or a numeric string) → epoch ms. */
/** Epoch seconds from here on are the year 5138: a value this large is milliseconds. */
const MILLISECONDS_LIKE = 1e11;

export function validateApiTokenExpires(value: unknown, label = '`apiTokenExpires`'): number {
  const expected = 'epoch seconds (a number or a numeric string)';
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) seconds = Number(value);
  else return invalid(label, expected, value);
  // Beyond 8.64e12 s a Date cannot hold the expiry (and inspect/toISOString would throw).
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 8.64e12) invalid(label, expected, value);
  // Milliseconds given for seconds (Date.now() rather than its thousandth) would put the expiry past
  // the year 5000: the token would never be renewed ahead of time.
  if (seconds >= MILLISECONDS_LIKE) {
    throw new ConfigError(
      `${label} must be epoch seconds, got ${describeValue(value)}, which looks like milliseconds (divide by 1000)`,
    );
  }
  return Math.round(seconds * 1000);
}

/** `defaultOrg`: a non-empty string. */
export function validateDefaultOrg(value: unknown, label = '`defaultOrg`'): string {
  return nonEmptyString(value, label);
}

/** `baseUrl`: an http(s) URL without query, fragment or credentials; trailing `/` removed. */
export function validateBaseUrl(value: unknown, label = '`baseUrl`'): string {
  const expected = 'an http or https URL such as "https://api.threatconnect.com/api"';
  if (typeof value !== 'string') invalidUrl(label, expected, value);
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return invalidUrl(label, expected, value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalidUrl(label, expected, value);
  if (url.search !== '' || url.hash !== '' || trimmed.includes('?') || trimmed.includes('#')) {
    invalidUrl(label, 'a URL without a query or fragment', value);
  }
  if (url.username !== '' || url.password !== '') {
    // The value is not echoed: it holds credentials.
    throw new ConfigError(`${label} must not contain credentials`);
  }
  return trimmed.replace(/\/+$/, '');
}

/** `apiRequestTimeout`: seconds, > 0 and at most 2147483 → ms (at least 1). */
export function validateApiRequestTimeout(value: unknown, label = '`apiRequestTimeout`'): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    value > MAX_API_REQUEST_TIMEOUT_SECONDS
  ) {
    invalid(
      label,
      `a number of seconds greater than 0 and at most ${MAX_API_REQUEST_TIMEOUT_SECONDS}`,
      value,
    );
  }
  return Math.max(1, Math.round(value * 1000));
}

/** `apiRetries`: an integer >= 0 (retries after the first attempt). */
export function validateApiRetries(value: unknown, label = '`apiRetries`'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(label, 'an integer >= 0', value);
  }
  return value;
}

/** `apiSleep`: seconds >= 0, fractions allowed → ms. */
export function validateApiSleep(value: unknown, label = '`apiSleep`'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    invalid(label, 'a number of seconds >= 0', value);
  }
  return Math.round(value * 1000);
}

/** `apiResultLimit`: an integer from 1 to 500. */
export function validateApiResultLimit(value: unknown, label = '`apiResultLimit`'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 500) {
    invalid(label, 'an integer from 1 to 500', value);
  }
  return value;
}

/** A boolean option (`activityLog`, `verifySsl`). */
export function validateBoolean(value: unknown, label: string): boolean {
  if (typeof value !== 'boolean') invalid(label, 'a boolean', value);
  return value;
}

/** `concurrency`: an integer from 1 to 32. */
export function validateConcurrency(value: unknown, label = '`concurrency`'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 32) {
    invalid(label, 'an integer from 1 to 32', value);
  }
  return value;
}

/** `compat`: `'python-sdk'` or undefined. */
export function validateCompat(value: unknown, label = '`compat`'): CompatMode | undefined {
  if (value === undefined) return undefined;
  if (value !== 'python-sdk') invalid(label, '"python-sdk" or undefined', value);
  return value;
}

/** A log level: debug, info, warning, error or critical (any case). */
export function validateLogLevel(value: unknown, label = '`logFileLevel`'): LogLevel {
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  const level = LOG_LEVELS.find((l) => l === lower);
  if (level === undefined) invalid(label, `one of ${LOG_LEVELS.join(', ')}`, value);
  return level;
}

/** A console level: a log level or `off`. */
export function validateConsoleLevel(value: unknown, label = '`consoleLevel`'): ConsoleLevel {
  if (typeof value === 'string' && value.toLowerCase() === 'off') return 'off';
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  const level = LOG_LEVELS.find((l) => l === lower);
  if (level === undefined) invalid(label, `one of ${LOG_LEVELS.join(', ')}, off`, value);
  return level;
}

/** `logFile`: a non-empty path. */
export function validateLogFile(value: unknown, label = '`logFile`'): string {
  return nonEmptyString(value, label);
}

/** `caCertificate`: PEM text as a string or bytes, holding at least one certificate. */
export function validateCaCertificate(value: unknown, label = '`caCertificate`'): string {
  const expected = 'PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block)';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Uint8Array) {
    text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  } else return invalid(label, expected, value);
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
    // Do not echo the text: it may be long, and a mistaken paste could be a private key.
    throw new ConfigError(`${label} must be ${expected}, got ${describeType(value)} without a certificate`);
  }
  return text;
}

const PROXY_KEYS = ['host', 'port', 'user', 'password'];

/** `proxy`: `{ host, port, user?, password? }`; user and password go together. */
export function validateProxy(value: unknown, label = '`proxy`'): ResolvedProxy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(label, 'an object { host, port, user?, password? }', value);
  }
  const inner = (key: string): string =>
    label.endsWith('`') ? `${label.slice(0, -1)}.${key}\`` : `${label}.${key}`;
  for (const key of Object.keys(value)) {
    if (!PROXY_KEYS.includes(key)) {
      throw new ConfigError(`${inner(key)} is not a known option (known: ${PROXY_KEYS.join(', ')})`);
    }
  }
  const record = value as Record<string, unknown>;
  const rawHost = record.host;
  const hostExpected = 'a host name or address, optionally with an http:// or https:// prefix';
  if (typeof rawHost !== 'string' || rawHost.trim().length === 0)
    invalidUrl(inner('host'), hostExpected, rawHost);
  let scheme: 'http' | 'https' = 'http';
  let host = rawHost.trim();
  const prefix = /^(https?):\/\//i.exec(host);
  if (prefix) {
    scheme = (prefix[1] ?? 'http').toLowerCase() as 'http' | 'https';
    host = host.slice(prefix[0].length).replace(/\/+$/, '');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    invalidUrl(inner('host'), hostExpected, rawHost);
  }
  if (host.length === 0 || /[\s/@?#]/.test(host)) invalidUrl(inner('host'), hostExpected, rawHost);
  // A colon belongs to an IPv6 address only; `proxy:3128` would build an invalid proxy URL later.
  if (host.includes(':') && isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 6) {
    invalidUrl(inner('host'), hostExpected, rawHost);
  }
  const port = record.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    invalid(inner('port'), 'an integer from 1 to 65535', port);
  }
  const { user, password } = record;
  if (user !== undefined && (typeof user !== 'string' || user.length === 0)) {
    invalid(inner('user'), 'a non-empty string', user);
  }
  if (password !== undefined && typeof password !== 'string')
    invalid(inner('password'), 'a string', password, true);
  if ((user === undefined) !== (password === undefined)) {
    throw new ConfigError(`${inner('user')} and ${inner('password')} must be given together`);
  }
  const resolved: Record<string, unknown> = { scheme, host, port, url: `${scheme}://${host}:${port}` };
  if (user !== undefined) resolved.user = user;
  if (password !== undefined) hideSecret(resolved, 'password', password);
  return Object.freeze(resolved) as unknown as ResolvedProxy;
}

/** `clock`: an object with `now()`, and optionally `sleep()` and `random()`. */
export function validateClock(value: unknown, label = '`clock`'): ResolvedClock {
  if (value === undefined) return resolveClock();
  if (typeof value !== 'object' || value === null || typeof (value as Clock).now !== 'function') {
    invalid(label, 'an object with a now() function', value);
  }
  const { sleep, random } = value as Record<string, unknown>;
  const inner = (key: string): string => `${label.slice(0, -1)}.${key}\``;
  if (sleep !== undefined && typeof sleep !== 'function') invalid(inner('sleep'), 'a function', sleep);
  if (random !== undefined && typeof random !== 'function') invalid(inner('random'), 'a function', random);
  return resolveClock(value as Clock);
}

/**
 * Defines a non-enumerable, read-only property, so secrets stay out of JSON and inspect output. The
 * target also gets a (non-enumerable) `util.inspect` hook that shows a copy of its enumerable
 * properties only: `showHidden` (and a debugger's view built on it) would list the secret otherwise.
 */
export function hideSecret(target: object, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
  if (!Object.prototype.hasOwnProperty.call(target, inspect.custom)) {
    Object.defineProperty(target, inspect.custom, {
      value(this: object): object {
        return { ...this };
      },
      enumerable: false,
      writable: false,
      configurable: false,
    });
  }
}

/**
 * The options of a call that takes `{ signal }` (and perhaps more): undefined or an object, whose
 * `signal`, when given, is an AbortSignal. A `ValidationError` naming `method` otherwise, before any
 * request: from plain JavaScript, `null` would fail as a TypeError and a signal of the wrong kind as a
 * connection error from deep inside the HTTP client. With `known`, a key it does not list is refused
 * too.
 */
export function checkCallOptions(options: unknown, method: string, known?: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(`${method}: options must be an object, got ${describeValue(options)}`);
  }
  if (known !== undefined) checkKnownKeys(options, known, method);
  checkSignal((options as { signal?: unknown }).signal, method);
}

/**
 * Refuses a key of `options` that `known` does not list, with a `ValidationError` that starts with
 * `where` and lists the options there are: a misspelt option (`throwOnErrors`, `concurency`) would
 * otherwise be ignored without a word.
 */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValidationError(`${where}: unknown option \`${key}\` (options: ${known.join(', ')})`);
    }
  }
}

/** The keys of options that hold only a `signal` (`commit`, `loadTags`, the lookups, …). */
export const SIGNAL_OPTION: readonly string[] = ['signal'];

/**
 * Whether `value` is an AbortSignal: of this realm, or of another (a `vm` context, a test runner's
 * environment) or a polyfill, which `instanceof` would refuse. As Node's own APIs and undici, it asks
 * only for what the SDK uses of a signal: a boolean `aborted` and `addEventListener` and
 * `removeEventListener`.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { aborted, addEventListener, removeEventListener } = value as Partial<AbortSignal>;
  return (
    typeof aborted === 'boolean' &&
    typeof addEventListener === 'function' &&
    typeof removeEventListener === 'function'
  );
}

/** A `signal` option: undefined or an AbortSignal, else a `ValidationError` naming `method`. */
export function checkSignal(signal: unknown, method: string): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ValidationError(`${method}: \`signal\` must be an AbortSignal, got ${describeValue(signal)}`);
  }
}

/**
 * The error of `new X()` from plain JavaScript for a class whose objects the SDK makes (its published
 * constructor is private): `from` says where they come from.
 */
export function notConstructible(name: string, from: string): ValidationError {
  return new ValidationError(`${name} objects come from ${from}, not from new ${name}()`);
}
