/**
 * Client options (decisions.md 1.2): the option types, one validator per option shared by the
 * constructor, the seed setters, the environment and the config file, and `resolveConfig()`, which
 * turns options into a frozen {@link ResolvedConfig} in internal units (milliseconds).
 *
 * Every validator throws {@link ConfigError} whose message names the option and the value received,
 * e.g. "`apiResultLimit` must be an integer from 1 to 500, got 501". Secret values (secret key, API
 * token, proxy password) are never echoed: their messages give the type only.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type Clock, type ResolvedClock, resolveClock } from './clock.js';
import { ConfigError } from './errors.js';
import { parseIni } from './ini.js';

// ---------------------------------------------------------------------------------------------
// Types and defaults
// ---------------------------------------------------------------------------------------------

/** Log levels of the seed, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The console also takes `off`. */
export type ConsoleLevel = LogLevel | 'off';

/** The only output compatibility mode (decisions.md 3.2). */
export type CompatMode = 'python-sdk';

/** `setProxies(host, port, user?, password?)` as an option. */
export interface ProxyOptions {
  /** Host name or address; an `http://` or `https://` prefix is kept as the proxy's scheme. */
  readonly host: string;
  readonly port: number;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

/** Options of `new ThreatConnect({...})`: exactly the keys of decisions.md 1.2. */
export interface ClientOptions {
  readonly accessId?: string | undefined;
  readonly secretKey?: string | undefined;
  readonly apiToken?: string | undefined;
  /** Epoch seconds, a number or a numeric string. Unknown: renew once on a 401. */
  readonly apiTokenExpires?: number | string | undefined;
  readonly defaultOrg: string;
  /** A trailing `/` is removed. */
  readonly baseUrl: string;
  /** Seconds: connect timeout plus idle timeout, not a total deadline. @default 30 */
  readonly apiRequestTimeout?: number | undefined;
  /** Retries after the first attempt. @default 5 */
  readonly apiRetries?: number | undefined;
  /** Seconds, fractions allowed: the base of the retry backoff. @default 59 */
  readonly apiSleep?: number | undefined;
  /** @default 200 */
  readonly apiResultLimit?: number | undefined;
  /** @default false */
  readonly activityLog?: boolean | undefined;
  readonly proxy?: ProxyOptions | undefined;
  /** @default true */
  readonly verifySsl?: boolean | undefined;
  /** PEM text. @default the system CAs */
  readonly caCertificate?: string | Uint8Array | undefined;
  readonly logFile?: string | undefined;
  /** @default 'info' */
  readonly logFileLevel?: LogLevel | undefined;
  /** @default 'critical' */
  readonly consoleLevel?: ConsoleLevel | undefined;
  /** Page windows in flight. @default 4 */
  readonly concurrency?: number | undefined;
  readonly compat?: CompatMode | undefined;
  readonly clock?: Clock | undefined;
}

/** The options a setter may change after construction. */
export type SettableOptions = Pick<
  ClientOptions,
  | 'apiRequestTimeout'
  | 'apiRetries'
  | 'apiSleep'
  | 'apiResultLimit'
  | 'activityLog'
  | 'proxy'
  | 'verifySsl'
  | 'caCertificate'
  | 'logFile'
  | 'logFileLevel'
  | 'consoleLevel'
  | 'concurrency'
  | 'compat'
>;

/** HMAC credentials. `secretKey` is a non-enumerable property: it is left out of inspect, JSON and spreads. */
export interface ResolvedHmacAuth {
  readonly kind: 'hmac';
  readonly accessId: string;
  readonly secretKey: string;
}

/** Token credentials. `apiToken` is non-enumerable. */
export interface ResolvedTokenAuth {
  readonly kind: 'token';
  readonly apiToken: string;
  /** Epoch ms, or undefined when unknown. */
  readonly apiTokenExpiresMs: number | undefined;
}

export type ResolvedAuth = ResolvedHmacAuth | ResolvedTokenAuth;

/** A validated proxy. `password` is non-enumerable. */
export interface ResolvedProxy {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** `scheme://host:port`, without credentials. */
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
}

/** Options after validation, in internal units. Frozen. */
export interface ResolvedConfig {
  readonly auth: ResolvedAuth;
  readonly defaultOrg: string;
  /** Without a trailing `/`. */
  readonly baseUrl: string;
  readonly apiRequestTimeoutMs: number;
  readonly apiRetries: number;
  readonly apiSleepMs: number;
  readonly apiResultLimit: number;
  readonly activityLog: boolean;
  readonly proxy: ResolvedProxy | undefined;
  readonly verifySsl: boolean;
  readonly caCertificate: string | undefined;
  readonly logFile: string | undefined;
  readonly logFileLevel: LogLevel;
  readonly consoleLevel: ConsoleLevel;
  readonly concurrency: number;
  readonly compat: CompatMode | undefined;
  readonly clock: ResolvedClock;
}

export const DEFAULT_API_REQUEST_TIMEOUT_SECONDS = 30;
export const DEFAULT_API_RETRIES = 5;
export const DEFAULT_API_SLEEP_SECONDS = 59;
export const DEFAULT_API_RESULT_LIMIT = 200;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_LOG_FILE_LEVEL: LogLevel = 'info';
export const DEFAULT_CONSOLE_LEVEL: ConsoleLevel = 'critical';
/** The largest timeout a Node timer can hold, in seconds. */
export const MAX_API_REQUEST_TIMEOUT_SECONDS = 2_147_483;

const SETTABLE_KEYS: readonly (keyof SettableOptions)[] = [
  'apiRequestTimeout',
  'apiRetries',
  'apiSleep',
  'apiResultLimit',
  'activityLog',
  'proxy',
  'verifySsl',
  'caCertificate',
  'logFile',
  'logFileLevel',
  'consoleLevel',
  'concurrency',
  'compat',
];

/** Every option of `new ThreatConnect({...})`: the credentials and target, the settables, the clock. */
const OPTION_KEYS: readonly (keyof ClientOptions)[] = [
  'accessId',
  'secretKey',
  'apiToken',
  'apiTokenExpires',
  'defaultOrg',
  'baseUrl',
  ...SETTABLE_KEYS,
  'clock',
];

// ---------------------------------------------------------------------------------------------
// Describing values in messages
// ---------------------------------------------------------------------------------------------

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
  if (value instanceof Date) return 'a Date';
  return 'an object';
}

/** A value as shown after "got": numbers and booleans as is, strings quoted, objects by type. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return describeType(value);
}

function invalid(label: string, expected: string, value: unknown, secret = false): never {
  throw new ConfigError(
    `${label} must be ${expected}, got ${secret ? describeType(value) : describeValue(value)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Validators (shared by the constructor, the setters, the environment and the config file)
// ---------------------------------------------------------------------------------------------

function nonEmptyString(value: unknown, label: string, secret = false): string {
  if (typeof value !== 'string' || value.length === 0) invalid(label, 'a non-empty string', value, secret);
  return value;
}

/** `accessId`: a non-empty string. */
export function validateAccessId(value: unknown, label = '`accessId`'): string {
  return nonEmptyString(value, label);
}

/** `secretKey`: a non-empty string; never echoed. */
export function validateSecretKey(value: unknown, label = '`secretKey`'): string {
  return nonEmptyString(value, label, true);
}

/** `apiToken`: a non-empty string; never echoed. */
export function validateApiToken(value: unknown, label = '`apiToken`'): string {
  return nonEmptyString(value, label, true);
}

/** `apiTokenExpires`: epoch seconds (a number or a numeric string) → epoch ms. */
export function validateApiTokenExpires(value: unknown, label = '`apiTokenExpires`'): number {
  const expected = 'epoch seconds (a number or a numeric string)';
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) seconds = Number(value);
  else return invalid(label, expected, value);
  // Beyond 8.64e12 s a Date cannot hold the expiry (and inspect/toISOString would throw).
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 8.64e12) invalid(label, expected, value);
  return Math.round(seconds * 1000);
}

/** `defaultOrg`: a non-empty string. */
export function validateDefaultOrg(value: unknown, label = '`defaultOrg`'): string {
  return nonEmptyString(value, label);
}

/** `baseUrl`: an http(s) URL without query, fragment or credentials; trailing `/` removed. */
export function validateBaseUrl(value: unknown, label = '`baseUrl`'): string {
  const expected = 'an http or https URL such as "https://api.threatconnect.com/api"';
  if (typeof value !== 'string') invalid(label, expected, value);
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return invalid(label, expected, value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(label, expected, value);
  if (url.search !== '' || url.hash !== '' || trimmed.includes('?') || trimmed.includes('#')) {
    invalid(label, 'a URL without a query or fragment', value);
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
    invalid(inner('host'), hostExpected, rawHost);
  let scheme: 'http' | 'https' = 'http';
  let host = rawHost.trim();
  const prefix = /^(https?):\/\//i.exec(host);
  if (prefix) {
    scheme = (prefix[1] ?? 'http').toLowerCase() as 'http' | 'https';
    host = host.slice(prefix[0].length).replace(/\/+$/, '');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    invalid(inner('host'), hostExpected, rawHost);
  }
  if (host.length === 0 || /[\s/@?#]/.test(host)) invalid(inner('host'), hostExpected, rawHost);
  // A colon belongs to an IPv6 address only; `proxy:3128` would build an invalid proxy URL later.
  if (host.includes(':') && isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 6) {
    invalid(inner('host'), hostExpected, rawHost);
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
  if (password !== undefined) hide(resolved, 'password', password);
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

function hide(target: object, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
}

// ---------------------------------------------------------------------------------------------
// resolveConfig / updateConfig
// ---------------------------------------------------------------------------------------------

function checkObject(options: unknown, what: string): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`${what} must be an object, got ${describeValue(options)}`);
  }
}

function checkKeys(options: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`\`${key}\` is not a known ${what} (known: ${allowed.join(', ')})`);
    }
  }
}

function resolveAuth(o: Record<string, unknown>): ResolvedAuth {
  const has = (key: string): boolean => o[key] !== undefined;
  if (has('accessId') && !has('secretKey')) throw new ConfigError('`secretKey` is required with `accessId`');
  if (has('secretKey') && !has('accessId')) throw new ConfigError('`accessId` is required with `secretKey`');
  if (has('apiTokenExpires') && !has('apiToken')) {
    throw new ConfigError('`apiTokenExpires` needs `apiToken`');
  }
  const accessId = has('accessId') ? validateAccessId(o.accessId) : undefined;
  const secretKey = has('secretKey') ? validateSecretKey(o.secretKey) : undefined;
  if (has('apiToken')) {
    // As in the original, token credentials win over an access id and secret key.
    const apiToken = validateApiToken(o.apiToken);
    const auth: Record<string, unknown> = {
      kind: 'token',
      apiTokenExpiresMs: has('apiTokenExpires') ? validateApiTokenExpires(o.apiTokenExpires) : undefined,
    };
    hide(auth, 'apiToken', apiToken);
    return Object.freeze(auth) as unknown as ResolvedTokenAuth;
  }
  if (accessId === undefined || secretKey === undefined) {
    throw new ConfigError('credentials are required: either `accessId` and `secretKey`, or `apiToken`');
  }
  const auth: Record<string, unknown> = { kind: 'hmac', accessId };
  hide(auth, 'secretKey', secretKey);
  return Object.freeze(auth) as unknown as ResolvedHmacAuth;
}

function required(o: Record<string, unknown>, key: string): unknown {
  if (o[key] === undefined || o[key] === null) throw new ConfigError(`\`${key}\` is required`);
  return o[key];
}

type SettableResolved = Omit<ResolvedConfig, 'auth' | 'defaultOrg' | 'baseUrl' | 'clock'>;

function applySettable(
  o: Record<string, unknown>,
  base: SettableResolved,
  keys: readonly string[],
  requireValues = false,
): SettableResolved {
  const out: { -readonly [K in keyof SettableResolved]: SettableResolved[K] } = { ...base };
  // With requireValues (the setters), a key given as undefined reaches its validator and is refused.
  const given = (key: string): boolean => keys.includes(key) && (requireValues || o[key] !== undefined);
  if (given('apiRequestTimeout')) out.apiRequestTimeoutMs = validateApiRequestTimeout(o.apiRequestTimeout);
  if (given('apiRetries')) out.apiRetries = validateApiRetries(o.apiRetries);
  if (given('apiSleep')) out.apiSleepMs = validateApiSleep(o.apiSleep);
  if (given('apiResultLimit')) out.apiResultLimit = validateApiResultLimit(o.apiResultLimit);
  if (given('activityLog')) out.activityLog = validateBoolean(o.activityLog, '`activityLog`');
  if (keys.includes('proxy')) out.proxy = o.proxy === undefined ? undefined : validateProxy(o.proxy);
  if (given('verifySsl')) out.verifySsl = validateBoolean(o.verifySsl, '`verifySsl`');
  if (keys.includes('caCertificate')) {
    out.caCertificate = o.caCertificate === undefined ? undefined : validateCaCertificate(o.caCertificate);
  }
  if (keys.includes('logFile'))
    out.logFile = o.logFile === undefined ? undefined : validateLogFile(o.logFile);
  if (given('logFileLevel')) out.logFileLevel = validateLogLevel(o.logFileLevel);
  if (given('consoleLevel')) out.consoleLevel = validateConsoleLevel(o.consoleLevel);
  if (given('concurrency')) out.concurrency = validateConcurrency(o.concurrency);
  if (keys.includes('compat')) out.compat = validateCompat(o.compat);
  return out;
}

const DEFAULT_SETTABLE: SettableResolved = {
  apiRequestTimeoutMs: DEFAULT_API_REQUEST_TIMEOUT_SECONDS * 1000,
  apiRetries: DEFAULT_API_RETRIES,
  apiSleepMs: DEFAULT_API_SLEEP_SECONDS * 1000,
  apiResultLimit: DEFAULT_API_RESULT_LIMIT,
  activityLog: false,
  proxy: undefined,
  verifySsl: true,
  caCertificate: undefined,
  logFile: undefined,
  logFileLevel: DEFAULT_LOG_FILE_LEVEL,
  consoleLevel: DEFAULT_CONSOLE_LEVEL,
  concurrency: DEFAULT_CONCURRENCY,
  compat: undefined,
};

/**
 * Validates client options and returns the frozen resolved configuration.
 *
 * @throws {ConfigError} for an unknown key, a missing `defaultOrg`/`baseUrl`/credentials, or any
 *   invalid value; the message names the option and the value received.
 */
export function resolveConfig(options: Partial<ClientOptions>): ResolvedConfig {
  checkObject(options, 'options');
  checkKeys(options, OPTION_KEYS, 'option');
  const auth = resolveAuth(options);
  const defaultOrg = validateDefaultOrg(required(options, 'defaultOrg'));
  const baseUrl = validateBaseUrl(required(options, 'baseUrl'));
  const settable = applySettable(options, DEFAULT_SETTABLE, SETTABLE_KEYS);
  const clock = validateClock(options.clock);
  return Object.freeze({ auth, defaultOrg, baseUrl, ...settable, clock });
}

/**
 * Returns a new frozen configuration with the given settable options changed, validated with the
 * same validators as the constructor. A `proxy`, `caCertificate`, `logFile` or `compat` given as
 * `undefined` is cleared; other `undefined` values are ignored, or, with `requireValues` (what the
 * setters use: `tc.setApiRetries()` is a mistake), refused with the validator's `ConfigError`.
 */
export function updateConfig(
  config: ResolvedConfig,
  patch: SettableOptions,
  options: { readonly requireValues?: boolean } = {},
): ResolvedConfig {
  checkObject(patch, 'settings');
  checkKeys(patch, SETTABLE_KEYS, 'setting');
  const settable = applySettable(patch, config, Object.keys(patch), options.requireValues === true);
  return Object.freeze({
    auth: config.auth,
    defaultOrg: config.defaultOrg,
    baseUrl: config.baseUrl,
    ...settable,
    clock: config.clock,
  });
}

// ---------------------------------------------------------------------------------------------
// Environment and config file
// ---------------------------------------------------------------------------------------------

/** Environment variables read by {@link readEnvOptions} (decisions.md 1.2). */
export const ENV_VARIABLES = [
  'TC_API_ACCESS_ID',
  'TC_API_SECRET_KEY',
  'TC_API_DEFAULT_ORG',
  'TC_API_BASE_URL',
  'TC_API_TOKEN',
  'TC_API_TOKEN_EXPIRES',
  'TC_CA_CERT_FILE',
] as const;

function readTextFile(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${label} cannot be read: ${path} (${code})`, { cause: error });
  }
}

/**
 * Reads the `TC_API_*` variables into options (`TC_CA_CERT_FILE` is a path to a PEM file, read
 * here). Empty variables count as unset. Values are checked with the option validators; messages
 * name the variable. The result still goes through {@link resolveConfig}.
 */
export function readEnvOptions(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Partial<ClientOptions> {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.length === 0 ? undefined : value;
  };
  const out: { -readonly [K in keyof ClientOptions]?: ClientOptions[K] } = {};
  const accessId = get('TC_API_ACCESS_ID');
  if (accessId !== undefined) out.accessId = accessId;
  const secretKey = get('TC_API_SECRET_KEY');
  if (secretKey !== undefined) out.secretKey = secretKey;
  const defaultOrg = get('TC_API_DEFAULT_ORG');
  if (defaultOrg !== undefined) out.defaultOrg = defaultOrg;
  const baseUrl = get('TC_API_BASE_URL');
  if (baseUrl !== undefined) out.baseUrl = validateBaseUrl(baseUrl, '`TC_API_BASE_URL`');
  const apiToken = get('TC_API_TOKEN');
  if (apiToken !== undefined) out.apiToken = apiToken;
  const expires = get('TC_API_TOKEN_EXPIRES');
  if (expires !== undefined) {
    validateApiTokenExpires(expires, '`TC_API_TOKEN_EXPIRES`');
    out.apiTokenExpires = expires.trim();
  }
  const caFile = get('TC_CA_CERT_FILE');
  if (caFile !== undefined) {
    const pem = readTextFile(caFile, '`TC_CA_CERT_FILE`');
    out.caCertificate = validateCaCertificate(pem, `\`TC_CA_CERT_FILE\` (${caFile})`);
  }
  return out;
}

/** The section of `tc.conf` the SDK reads. */
export const CONFIG_FILE_SECTION = 'threatconnect';

/**
 * Turns the text of a `tc.conf` INI file into options: section `[threatconnect]`, keys
 * `api_access_id`, `api_secret_key`, `api_default_org`, `api_base_url`, `api_token`,
 * `api_token_expires` and `api_result_limit`. Other keys are ignored.
 *
 * @param source names the file in messages.
 * @throws {ConfigError} naming the file key for a missing or invalid value.
 */
export function configOptionsFromIni(text: string, source = 'tc.conf'): ClientOptions {
  const sections = parseIni(text, source);
  const section = sections[CONFIG_FILE_SECTION];
  if (section === undefined) throw new ConfigError(`${source} has no [${CONFIG_FILE_SECTION}] section`);
  const label = (key: string): string => `\`${key}\` in ${source}`;
  const value = (key: string): string | undefined => {
    const v = section[key];
    return v === undefined || v.length === 0 ? undefined : v;
  };
  const need = (key: string): string => {
    const v = value(key);
    if (v === undefined) throw new ConfigError(`${label(key)} is missing`);
    return v;
  };
  const out: { -readonly [K in keyof ClientOptions]?: ClientOptions[K] } = {
    defaultOrg: validateDefaultOrg(need('api_default_org'), label('api_default_org')),
    baseUrl: validateBaseUrl(need('api_base_url'), label('api_base_url')),
  };
  const apiToken = value('api_token');
  const accessId = value('api_access_id');
  const secretKey = value('api_secret_key');
  if (apiToken === undefined || accessId !== undefined || secretKey !== undefined) {
    out.accessId = validateAccessId(need('api_access_id'), label('api_access_id'));
    out.secretKey = validateSecretKey(need('api_secret_key'), label('api_secret_key'));
  }
  if (apiToken !== undefined) out.apiToken = apiToken;
  const expires = value('api_token_expires');
  if (expires !== undefined) {
    validateApiTokenExpires(expires, label('api_token_expires'));
    out.apiTokenExpires = expires;
  }
  const limit = value('api_result_limit');
  if (limit !== undefined) {
    // Python's int(): an optional sign and digits.
    const n = /^[+-]?\d+$/.test(limit) ? Number(limit) : limit;
    out.apiResultLimit = validateApiResultLimit(n, label('api_result_limit'));
  }
  return out as ClientOptions;
}

/**
 * Reads a `tc.conf` file (see {@link configOptionsFromIni}).
 *
 * @throws {ConfigError} when the file cannot be read or holds a missing or invalid value.
 */
export function readConfigFile(path: string): ClientOptions {
  return configOptionsFromIni(readTextFile(path, 'config file'), path);
}
