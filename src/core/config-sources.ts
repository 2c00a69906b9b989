/**
 * Where options come from besides code: the `TC_API_*` environment variables and the Python SDK's
 * `tc.conf` INI file (decisions.md 1.2). Both go through the option validators, and their messages
 * name the variable or the file key rather than the option.
 */
import { readFileSync } from 'node:fs';
import type { ClientOptions } from './config-types.js';
import { ConfigError } from './errors.js';
import { maskingSecrets } from './secret-errors.js';
import { parseIni } from './ini.js';
import {
  describeValue,
  validateAccessId,
  validateApiResultLimit,
  validateApiTokenExpires,
  validateBaseUrl,
  validateCaCertificate,
  validateDefaultOrg,
  validateSecretKey,
} from './validators.js';

// ---------------------------------------------------------------------------------------------
// Environment and config file
// ---------------------------------------------------------------------------------------------

function readTextFile(path: string, label: string): string {
  // A number would be read as a file descriptor (0 is stdin), and undefined gives a TypeError's code.
  if (typeof path !== 'string' || path.length === 0) {
    throw new ConfigError(`the path of the ${label} must be a non-empty string, got ${describeValue(path)}`);
  }
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
  // From plain JavaScript, `fromEnv(null)` would fail as a TypeError.
  const given: unknown = env;
  if (typeof given !== 'object' || given === null) {
    throw new ConfigError(
      `the environment must be an object such as process.env, got ${describeValue(given)}`,
    );
  }
  // A secret set in the wrong variable (`TC_API_BASE_URL`) would be shown by that variable's message.
  return maskingSecrets([env.TC_API_SECRET_KEY, env.TC_API_TOKEN], () => envOptions(env));
}

function envOptions(env: Readonly<Record<string, string | undefined>>): Partial<ClientOptions> {
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
  return maskingSecrets([section.api_secret_key, section.api_token], () => iniOptions(section, source));
}

function iniOptions(section: Readonly<Record<string, string>>, source: string): ClientOptions {
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
    if (apiToken === undefined) throw new ConfigError(`${label('api_token_expires')} needs \`api_token\``);
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
 * The options a `tc.conf` file gives, none of them required: for a caller that merges the file with
 * other sources field by field (the CLI's flags and environment). The same keys as
 * {@link configOptionsFromIni}; each value present is checked, and messages name the file key.
 *
 * @throws {ConfigError} when the file cannot be read, has no `[threatconnect]` section, or holds an
 *   invalid value.
 */
export function readConfigFileOptions(path: string): Partial<ClientOptions> {
  const source = path;
  const sections = parseIni(readTextFile(path, 'config file'), source);
  const section = sections[CONFIG_FILE_SECTION];
  if (section === undefined) throw new ConfigError(`${source} has no [${CONFIG_FILE_SECTION}] section`);
  return maskingSecrets([section.api_secret_key, section.api_token], () =>
    partialIniOptions(section, source),
  );
}

function partialIniOptions(
  section: Readonly<Record<string, string>>,
  source: string,
): Partial<ClientOptions> {
  const label = (key: string): string => `\`${key}\` in ${source}`;
  const value = (key: string): string | undefined => {
    const v = section[key];
    return v === undefined || v.length === 0 ? undefined : v;
  };
  const out: { -readonly [K in keyof ClientOptions]?: ClientOptions[K] } = {};
  const defaultOrg = value('api_default_org');
  if (defaultOrg !== undefined) out.defaultOrg = validateDefaultOrg(defaultOrg, label('api_default_org'));
  const baseUrl = value('api_base_url');
  if (baseUrl !== undefined) out.baseUrl = validateBaseUrl(baseUrl, label('api_base_url'));
  const accessId = value('api_access_id');
  if (accessId !== undefined) out.accessId = validateAccessId(accessId, label('api_access_id'));
  const secretKey = value('api_secret_key');
  if (secretKey !== undefined) out.secretKey = validateSecretKey(secretKey, label('api_secret_key'));
  const apiToken = value('api_token');
  if (apiToken !== undefined) out.apiToken = apiToken;
  const expires = value('api_token_expires');
  if (expires !== undefined) {
    validateApiTokenExpires(expires, label('api_token_expires'));
    out.apiTokenExpires = expires;
  }
  const limit = value('api_result_limit');
  if (limit !== undefined) {
    const n = /^[+-]?\d+$/.test(limit) ? Number(limit) : limit;
    out.apiResultLimit = validateApiResultLimit(n, label('api_result_limit'));
  }
  return out;
}

/**
 * Reads a `tc.conf` file (see {@link configOptionsFromIni}).
 *
 * @throws {ConfigError} when the file cannot be read or holds a missing or invalid value.
 */
export function readConfigFile(path: string): ClientOptions {
  return configOptionsFromIni(readTextFile(path, 'config file'), path);
}

/**
 * Complete client options from the environment (`ThreatConnect.fromEnv()`): like
 * {@link readEnvOptions}, and a missing credential, org or URL is refused naming the variable (empty
 * counts as unset).
 *
 * @throws {ConfigError} naming the variable that is missing or invalid.
 */
export function readEnvConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ClientOptions {
  const options = readEnvOptions(env);
  // The checks resolveConfig makes across options, here naming the variables.
  if (options.apiToken === undefined) {
    if (options.accessId === undefined && options.secretKey === undefined) {
      throw new ConfigError(
        'credentials are not set: `TC_API_ACCESS_ID` and `TC_API_SECRET_KEY`, or `TC_API_TOKEN`',
      );
    }
    if (options.apiTokenExpires !== undefined) {
      throw new ConfigError('`TC_API_TOKEN_EXPIRES` is set without `TC_API_TOKEN`');
    }
  }
  if (options.accessId !== undefined && options.secretKey === undefined) {
    throw new ConfigError('`TC_API_SECRET_KEY` is not set (it goes with `TC_API_ACCESS_ID`)');
  }
  if (options.secretKey !== undefined && options.accessId === undefined) {
    throw new ConfigError('`TC_API_ACCESS_ID` is not set (it goes with `TC_API_SECRET_KEY`)');
  }
  if (options.defaultOrg === undefined) throw new ConfigError('`TC_API_DEFAULT_ORG` is not set');
  if (options.baseUrl === undefined) throw new ConfigError('`TC_API_BASE_URL` is not set');
  return options as ClientOptions;
}
