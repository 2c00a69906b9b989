/**
 * Client option types and defaults (decisions.md 1.2): what `new ThreatConnect({...})` takes, what
 * the setters change, and the frozen resolved form in internal units (milliseconds).
 */
import type { Clock, ResolvedClock } from './clock.js';

// ---------------------------------------------------------------------------------------------
// Types and defaults
// ---------------------------------------------------------------------------------------------

/** Log levels of the seed, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
/** A log level: `debug`, `info`, `warning`, `error` or `critical`. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The console also takes `off`. */
export type ConsoleLevel = LogLevel | 'off';

/** The only output compatibility mode (decisions.md 3.2). */
export type CompatMode = 'python-sdk';

/** `setProxies(host, port, user?, password?)` as an option. */
export interface ProxyOptions {
  /** Host name or address; an `http://` or `https://` prefix is kept as the proxy's scheme. */
  readonly host: string;
  /** The proxy's port. */
  readonly port: number;
  /** User name for proxy authentication, if the proxy asks for it. */
  readonly user?: string | undefined;
  /** Password for proxy authentication; masked in logs, errors and the report. */
  readonly password?: string | undefined;
}

/** Options of `new ThreatConnect({...})`: exactly the keys of decisions.md 1.2. */
export interface ClientOptions {
  /** API user access id, for HMAC signing (with `secretKey`). */
  readonly accessId?: string | undefined;
  /** API user secret key, for HMAC signing; never logged or printed. */
  readonly secretKey?: string | undefined;
  /** API token, instead of `accessId` and `secretKey`; never logged or printed. */
  readonly apiToken?: string | undefined;
  /** Epoch seconds, a number or a numeric string. Unknown: renew once on a 401. */
  readonly apiTokenExpires?: number | string | undefined;
  /** The owner used when a call names none (required). */
  readonly defaultOrg: string;
  /** A trailing `/` is removed. */
  readonly baseUrl: string;
  /** Seconds: connect timeout plus idle timeout, not a total deadline. @default 30 */
  readonly apiRequestTimeout?: number | undefined;
  /** Retries after the first attempt. @default 5 */
  readonly apiRetries?: number | undefined;
  /** Seconds, fractions allowed: the base of the retry backoff. @default 59 */
  readonly apiSleep?: number | undefined;
  /** Page size of listings, 1–500. @default 200 */
  readonly apiResultLimit?: number | undefined;
  /** Whether the server logs API activity for these calls. @default false */
  readonly activityLog?: boolean | undefined;
  /** An HTTP proxy for every request (`setProxies`). */
  readonly proxy?: ProxyOptions | undefined;
  /** Whether TLS certificates are verified. @default true */
  readonly verifySsl?: boolean | undefined;
  /** PEM text. @default the system CAs */
  readonly caCertificate?: string | Uint8Array | undefined;
  /** Path of an NDJSON log file (`setTclFile`); missing folders are created. */
  readonly logFile?: string | undefined;
  /** Least level written to `logFile`. @default 'info' */
  readonly logFileLevel?: LogLevel | undefined;
  /** Least level written to the console, or `off`. @default 'critical' */
  readonly consoleLevel?: ConsoleLevel | undefined;
  /** Page windows in flight. @default 4 */
  readonly concurrency?: number | undefined;
  /** `'python-sdk'` for output byte-compatible with the original SDK (`setOutputCompat`). */
  readonly compat?: CompatMode | undefined;
  /** Time source for retries, renewals and the report; tests inject one. @default real time */
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

/** The resolved credentials: HMAC or token. */
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

export const SETTABLE_KEYS: readonly (keyof SettableOptions)[] = [
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
export const OPTION_KEYS: readonly (keyof ClientOptions)[] = [
  'accessId',
  'secretKey',
  'apiToken',
  'apiTokenExpires',
  'defaultOrg',
  'baseUrl',
  ...SETTABLE_KEYS,
  'clock',
];
