/**
 * `resolveConfig()` turns client options (decisions.md 1.2) into a frozen {@link ResolvedConfig} in
 * internal units, and `updateConfig()` applies the seed setters to it with the same validators.
 */
import {
  type ClientOptions,
  DEFAULT_API_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_API_RESULT_LIMIT,
  DEFAULT_API_RETRIES,
  DEFAULT_API_SLEEP_SECONDS,
  DEFAULT_CONCURRENCY,
  DEFAULT_CONSOLE_LEVEL,
  DEFAULT_LOG_FILE_LEVEL,
  OPTION_KEYS,
  type ResolvedAuth,
  type ResolvedConfig,
  type ResolvedHmacAuth,
  type ResolvedTokenAuth,
  SETTABLE_KEYS,
  type SettableOptions,
} from './config-types.js';
import { ConfigError } from './errors.js';
import { maskingSecrets } from './secret-errors.js';
import {
  describeValue,
  hideSecret,
  validateAccessId,
  validateApiRequestTimeout,
  validateApiResultLimit,
  validateApiRetries,
  validateApiSleep,
  validateApiToken,
  validateApiTokenExpires,
  validateBaseUrl,
  validateBoolean,
  validateCaCertificate,
  validateClock,
  validateCompat,
  validateConcurrency,
  validateConsoleLevel,
  validateDefaultOrg,
  validateLogFile,
  validateLogLevel,
  validateProxy,
  validateSecretKey,
} from './validators.js';

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
    hideSecret(auth, 'apiToken', apiToken);
    return Object.freeze(auth) as unknown as ResolvedTokenAuth;
  }
  if (accessId === undefined || secretKey === undefined) {
    throw new ConfigError('credentials are required: either `accessId` and `secretKey`, or `apiToken`');
  }
  const auth: Record<string, unknown> = { kind: 'hmac', accessId };
  hideSecret(auth, 'secretKey', secretKey);
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
  return maskingSecrets(secretsGiven(options), () => resolveChecked(options));
}

function resolveChecked(options: Partial<ClientOptions>): ResolvedConfig {
  checkKeys(options, OPTION_KEYS, 'option');
  const auth = resolveAuth(options);
  const defaultOrg = validateDefaultOrg(required(options, 'defaultOrg'));
  const baseUrl = validateBaseUrl(required(options, 'baseUrl'));
  const settable = applySettable(options, DEFAULT_SETTABLE, SETTABLE_KEYS);
  // A level for no file would be silently ignored: setTclFile(path, level) gives both later.
  if (options.logFileLevel !== undefined && options.logFile === undefined) {
    throw new ConfigError('`logFileLevel` needs `logFile` (or call setTclFile(path, level) later)');
  }
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
  const { auth, proxy } = config;
  const secrets = [
    ...secretsGiven(patch),
    auth.kind === 'hmac' ? auth.secretKey : auth.apiToken,
    proxy?.password,
  ];
  const settable = maskingSecrets(secrets, () => {
    checkKeys(patch, SETTABLE_KEYS, 'setting');
    return applySettable(patch, config, Object.keys(patch), options.requireValues === true);
  });
  return Object.freeze({
    auth: config.auth,
    defaultOrg: config.defaultOrg,
    baseUrl: config.baseUrl,
    ...settable,
    clock: config.clock,
  });
}

/** The secrets among options as given (before they are checked): the secret key, the token, the proxy's password. */
function secretsGiven(options: object): string[] {
  const o = options as Record<string, unknown>;
  const found: unknown[] = [o.secretKey, o.apiToken];
  const proxy = o.proxy;
  if (typeof proxy === 'object' && proxy !== null) found.push((proxy as Record<string, unknown>).password);
  else if (typeof proxy === 'string' && URL.canParse(proxy)) {
    const { password } = new URL(proxy);
    found.push(password);
    try {
      found.push(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the raw form is enough.
    }
  }
  return found.filter((v): v is string => typeof v === 'string');
}
