/**
 * The options every API command takes (decisions.md 4, "Global options"), and the client they build:
 * credentials from flags, then the environment (`TC_API_*`), then `--config tc.conf`, merged field by
 * field; transport and logging settings; and `--sandbox`, an embedded sandbox for a one-off run.
 */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
// The partial readers: a field-by-field merge needs each source as it is, where `fromEnv()` and
// `fromConfigFile()` refuse an incomplete one (docs/decisions.md, "CLI commands").
import { readConfigFileOptions, readEnvOptions } from '../core/config-sources.js';
import {
  type ClientOptions,
  ConfigError,
  type ConsoleLevel,
  type LogLevel,
  type ProxyOptions,
  ThreatConnect,
} from '../index.js';
import { CliError } from './cli-error.js';
import type { Io } from './io.js';
import { integer, seconds, text } from './parsers.js';

const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/** The flags of {@link addConnectionOptions}, as commander gives them. */
export interface ConnectionFlags {
  config?: string;
  baseUrl?: string;
  accessId?: string;
  defaultOrg?: string;
  secretKeyFile?: string;
  apiTokenFile?: string;
  sandbox?: boolean;
  proxy?: ProxyOptions;
  caCert?: string;
  insecure?: boolean;
  timeout?: number;
  retries?: number;
  retrySleep?: number;
  resultLimit?: number;
  concurrency?: number;
  logFile?: string;
  logLevel?: LogLevel;
  consoleLevel?: ConsoleLevel;
  compat?: 'python-sdk';
  debug?: boolean;
}

/** `--proxy http://[user:pass@]host:port` (also `https://`), as the SDK's proxy option. */
export function parseProxyUrl(value: string, label = '--proxy'): ProxyOptions {
  const expected = `${label} must be a URL such as http://proxy.example.com:3128 or http://user:password@host:port`;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new InvalidArgumentError(expected);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(expected);
  if (url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '') {
    throw new InvalidArgumentError(expected);
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  if ((user === undefined) !== (password === undefined)) {
    throw new InvalidArgumentError(`${label} must give both a user and a password, or neither`);
  }
  return {
    host: scheme === 'https' ? `https://${host}` : host,
    port,
    ...(user === undefined ? {} : { user, password }),
  };
}

/**
 * `--proxy`, refused without quoting the value: commander's own message repeats the argument, and a
 * proxy URL can hold a password. Still a usage error (exit 2), naming the flag.
 */
function proxyFlag(command: Command, value: string): ProxyOptions {
  try {
    return parseProxyUrl(value);
  } catch (error) {
    return command.error(`error: option '--proxy <url>' is invalid. ${(error as Error).message}`, {
      exitCode: 2,
      code: 'threatconnect.invalidProxy',
    });
  }
}

function baseUrlFlag(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidArgumentError(
      '--base-url must be an http or https URL such as https://tc.example.com/api',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(
      '--base-url must be an http or https URL such as https://tc.example.com/api',
    );
  }
  return value.trim();
}

/** Adds the connection, transport and logging options to an API command (after its own options). */
export function addConnectionOptions(command: Command): Command {
  return command
    .optionsGroup('Connection (flags, then TC_API_* variables, then --config):')
    .option('--config <file>', "the Python SDK's tc.conf INI file ([threatconnect] api_* keys)")
    .addOption(
      new Option('--base-url <url>', 'API base URL, such as https://tc.example.com/api').argParser(
        baseUrlFlag,
      ),
    )
    .option('--access-id <id>', 'API access id', text('--access-id'))
    .option('--default-org <org>', 'the API user organization', text('--default-org'))
    .option('--secret-key-file <file>', 'file holding the secret key (never a flag value)')
    .option('--api-token-file <file>', 'file holding an API token (instead of an access id and key)')
    .addOption(
      new Option(
        '--sandbox',
        'run against an embedded sandbox with sample data (1000 indicators plus the fixed records)',
      ).conflicts(['config', 'baseUrl', 'accessId', 'defaultOrg', 'secretKeyFile', 'apiTokenFile']),
    )
    .optionsGroup('Transport:')
    .addOption(
      new Option(
        '--proxy <url>',
        'HTTP proxy, http://[user:pass@]host:port (default: HTTPS_PROXY unless NO_PROXY matches)',
      ).argParser((value) => proxyFlag(command, value)),
    )
    .option('--ca-cert <file>', 'trust this CA certificate (PEM) besides the system ones')
    .option('--insecure', 'do not verify TLS certificates (throwaway test servers only)')
    .option(
      '--timeout <s>',
      'connect and idle timeout per attempt, in seconds (default 30)',
      seconds('--timeout', { positive: true, max: 2_147_483 }),
    )
    .option('--retries <n>', 'retries after the first attempt (default 5)', integer('--retries', 0, 1000))
    .option(
      '--retry-sleep <s>',
      'base of the retry backoff, in seconds (default 59)',
      seconds('--retry-sleep', { positive: false }),
    )
    .option(
      '--result-limit <n>',
      'results per page, 1 to 500 (default 200)',
      integer('--result-limit', 1, 500),
    )
    .option(
      '--concurrency <n>',
      'page requests in flight, 1 to 32 (default 4)',
      integer('--concurrency', 1, 32),
    )
    .optionsGroup('Logging:')
    .option('--log-file <file>', 'write the SDK log to this file (NDJSON)')
    .addOption(new Option('--log-level <level>', 'level of --log-file (default info)').choices(LOG_LEVELS))
    .addOption(
      new Option('--console-level <level>', 'SDK log level on stderr (default critical)').choices([
        ...LOG_LEVELS,
        'off',
      ]),
    )
    .addOption(
      new Option('--compat <mode>', "reproduce the Python SDK's output bytes in the formats").choices([
        'python-sdk',
      ]),
    )
    .option('--debug', 'on errors, show the detail: error class and code, request, causes, stack')
    .optionsGroup('Options:');
}

/** A client for one run, and what to close afterwards. */
export interface Connection {
  readonly tc: ThreatConnect;
  readonly baseUrl: string;
  /**
   * The server as messages name it: the base URL, and the proxy the requests go through, if any
   * (`https://tc.example.com/api through the proxy proxy.corp:3128 (from HTTPS_PROXY)`), without the
   * proxy's credentials. A user who does not know that HTTPS_PROXY is set learns it from the message.
   */
  readonly server: string;
  close(): Promise<void>;
}

/** Messages of the file-reading errors a user can cause; `fallback` for any other error. */
function fsReason(error: unknown, fallback = (error as Error).message): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return fallback;
  }
}

/** Reads a file a flag names, as a CliError (exit 1) naming the flag when it cannot be read. */
export function readFlagFile(commandName: string, flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(commandName, `cannot read ${flag} ${file}: ${fsReason(error)}`);
  }
}

/**
 * A secret from its file: one trailing line break is dropped; an empty file is refused. A file that
 * cannot be read is reported without its path: the secret itself, given by mistake where the file
 * belongs (`--secret-key-file <the key>`), would otherwise be printed.
 */
function readSecretFile(commandName: string, flag: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Not the error's message as the last resort either: it names the path.
    const reason = fsReason(error, (error as NodeJS.ErrnoException).code ?? 'error');
    throw new CliError(commandName, `cannot read the file given to ${flag}: ${reason}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) throw new CliError(commandName, `${flag} ${file} is empty`);
  return secret;
}

type Credentials = Pick<ClientOptions, 'accessId' | 'secretKey' | 'apiToken' | 'apiTokenExpires'>;

interface Source {
  /** How messages name this source's settings. */
  readonly names: Readonly<Record<'baseUrl' | 'defaultOrg' | 'accessId' | 'secretKey' | 'apiToken', string>>;
  readonly options: Partial<ClientOptions>;
}

function envNameOf(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Which proxy the environment asks for: HTTPS_PROXY for https, http_proxy for http; NO_PROXY wins. */
export function proxyFromEnv(
  baseUrl: string,
  env: Readonly<Record<string, string | undefined>>,
): { proxy: ProxyOptions; variable: string } | undefined {
  const url = new URL(baseUrl);
  // curl's rule: the upper-case HTTP_PROXY is not read, because a CGI request header can set it.
  const names = url.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : ['http_proxy'];
  const variable = names.find((name) => envNameOf(env, name) !== undefined);
  if (variable === undefined) return undefined;
  const noProxy = envNameOf(env, 'NO_PROXY') ?? envNameOf(env, 'no_proxy');
  if (noProxy !== undefined && bypassesProxy(url, noProxy)) return undefined;
  try {
    return { proxy: parseProxyUrl(envNameOf(env, variable) ?? '', variable), variable };
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * Whether NO_PROXY lists the URL's host: `*`, an exact host, or a domain (`example.com` and
 * `.example.com` both cover its sub-domains), each optionally with `:port`.
 */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let name = entry;
    let entryPort: string | undefined;
    const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(entry);
    if (bracketed !== null) {
      name = bracketed[1] ?? entry;
      entryPort = bracketed[2];
    } else if (entry.split(':').length === 2) {
      // host:port; a bare IPv6 address has several colons.
      [name, entryPort] = entry.split(':') as [string, string];
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    name = name.replace(/^\*?\./, '');
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** Credentials, org and URL from flags, environment and config file, field by field. */
function resolveTarget(
  flags: ConnectionFlags,
  io: Io,
  commandName: string,
): Pick<ClientOptions, 'baseUrl' | 'defaultOrg' | 'caCertificate' | 'apiResultLimit'> & Credentials {
  const fromFlags: { -readonly [K in keyof ClientOptions]?: ClientOptions[K] } = {};
  if (flags.baseUrl !== undefined) fromFlags.baseUrl = flags.baseUrl;
  if (flags.accessId !== undefined) fromFlags.accessId = flags.accessId;
  if (flags.defaultOrg !== undefined) fromFlags.defaultOrg = flags.defaultOrg;
  if (flags.secretKeyFile !== undefined) {
    fromFlags.secretKey = readSecretFile(commandName, '--secret-key-file', flags.secretKeyFile);
  }
  if (flags.apiTokenFile !== undefined) {
    fromFlags.apiToken = readSecretFile(commandName, '--api-token-file', flags.apiTokenFile);
  }
  const config = flags.config;
  const sources: Source[] = [
    {
      names: {
        baseUrl: '--base-url',
        defaultOrg: '--default-org',
        accessId: '--access-id',
        secretKey: '--secret-key-file',
        apiToken: '--api-token-file',
      },
      options: fromFlags,
    },
    {
      names: {
        baseUrl: 'TC_API_BASE_URL',
        defaultOrg: 'TC_API_DEFAULT_ORG',
        accessId: 'TC_API_ACCESS_ID',
        secretKey: 'TC_API_SECRET_KEY',
        apiToken: 'TC_API_TOKEN',
      },
      options: readEnvOptions(io.env),
    },
  ];
  if (config !== undefined) {
    sources.push({
      names: {
        baseUrl: `api_base_url in ${config}`,
        defaultOrg: `api_default_org in ${config}`,
        accessId: `api_access_id in ${config}`,
        secretKey: `api_secret_key in ${config}`,
        apiToken: `api_token in ${config}`,
      },
      options: readConfigFileOptions(config),
    });
  }
  const pick = <K extends keyof ClientOptions>(key: K): ClientOptions[K] | undefined =>
    sources.find((s) => s.options[key] !== undefined)?.options[key];
  const hint = (key: string): string =>
    config === undefined ? 'or use --config FILE' : `or put ${key} in ${config}`;

  const baseUrl = pick('baseUrl');
  if (baseUrl === undefined) {
    throw new CliError(
      commandName,
      `no API base URL: give --base-url, set TC_API_BASE_URL, ${hint('api_base_url')}`,
    );
  }
  const defaultOrg = pick('defaultOrg');
  if (defaultOrg === undefined) {
    throw new CliError(
      commandName,
      `no default organization: give --default-org, set TC_API_DEFAULT_ORG, ${hint('api_default_org')}`,
    );
  }
  // The first source that has any credential decides their kind; HMAC halves merge field by field.
  const first = sources.find(
    (s) =>
      s.options.apiToken !== undefined ||
      s.options.accessId !== undefined ||
      s.options.secretKey !== undefined,
  );
  if (first === undefined) {
    throw new CliError(
      commandName,
      'no credentials: give --access-id with --secret-key-file, or --api-token-file; or set ' +
        `TC_API_ACCESS_ID and TC_API_SECRET_KEY, or TC_API_TOKEN; ${hint('them')}`,
    );
  }
  let credentials: Credentials;
  if (first.options.apiToken !== undefined) {
    // As in the SDK, a token wins over an access id and secret key given beside it.
    credentials = {
      apiToken: first.options.apiToken,
      // An expiry belongs to its token: one from another source would describe another token.
      ...(first.options.apiTokenExpires === undefined
        ? {}
        : { apiTokenExpires: first.options.apiTokenExpires }),
    };
  } else {
    const accessId = pick('accessId');
    const secretKey = pick('secretKey');
    const named = (key: 'accessId' | 'secretKey'): string =>
      sources.find((s) => s.options[key] !== undefined)?.names[key] ?? key;
    if (secretKey === undefined) {
      throw new CliError(
        commandName,
        `the access id (from ${named('accessId')}) has no secret key: give --secret-key-file, set TC_API_SECRET_KEY, ${hint('api_secret_key')}`,
      );
    }
    if (accessId === undefined) {
      throw new CliError(
        commandName,
        `the secret key (from ${named('secretKey')}) has no access id: give --access-id, set TC_API_ACCESS_ID, ${hint('api_access_id')}`,
      );
    }
    credentials = { accessId, secretKey };
  }
  const caCertificate =
    flags.caCert === undefined ? pick('caCertificate') : readFlagFile(commandName, '--ca-cert', flags.caCert);
  const apiResultLimit = pick('apiResultLimit');
  return {
    baseUrl,
    defaultOrg,
    ...credentials,
    ...(caCertificate === undefined ? {} : { caCertificate }),
    ...(apiResultLimit === undefined ? {} : { apiResultLimit }),
  };
}

/** The client options' names as the flags that set them, for messages. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  baseUrl: '--base-url',
  accessId: '--access-id',
  defaultOrg: '--default-org',
  secretKey: '--secret-key-file',
  apiToken: '--api-token-file',
  caCertificate: '--ca-cert',
  proxy: '--proxy',
  logFile: '--log-file',
};

function flagMessage(message: string): string {
  return message.replace(/`(\w+)(\.\w+)?`/g, (whole, key: string, sub: string | undefined) => {
    const flag = FLAG_OF_OPTION[key];
    return flag === undefined ? whole : `${flag}${sub === undefined ? '' : ` (${sub.slice(1)})`}`;
  });
}

/**
 * Builds the client of one run. Usage errors (flags that need each other) exit 2 through
 * `command.error`; settings that are missing or refused are {@link CliError}s (exit 1).
 */
export async function connect(
  flags: ConnectionFlags,
  io: Io,
  command: Command,
  commandName: string,
): Promise<Connection> {
  if (flags.logLevel !== undefined && flags.logFile === undefined) {
    command.error('error: --log-level needs --log-file', { exitCode: 2 });
  }
  let target: ReturnType<typeof resolveTarget>;
  let closeSandbox: (() => Promise<void>) | undefined;
  if (flags.sandbox === true) {
    const caCertificate =
      flags.caCert === undefined ? undefined : readFlagFile(commandName, '--ca-cert', flags.caCert);
    // Loaded only now: the sandbox (and SQLite) is never imported by the rest of the CLI.
    const { startSandbox } = await import('../sandbox/index.js');
    const sandbox = await startSandbox({ seedIndicators: 1000 });
    closeSandbox = () => sandbox.close();
    target = {
      baseUrl: sandbox.baseUrl,
      defaultOrg: sandbox.defaultOrg,
      accessId: sandbox.accessId,
      secretKey: sandbox.secretKey,
      ...(caCertificate === undefined ? {} : { caCertificate }),
    };
  } else {
    try {
      target = resolveTarget(flags, io, commandName);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(commandName, error.message, 1, { cause: error });
      throw error;
    }
  }
  try {
    let proxy = flags.proxy;
    let proxySource = '--proxy';
    // The embedded sandbox is on this machine's loopback and needs nothing from outside: a proxy of the
    // environment is not for it (an explicit --proxy still is).
    if (proxy === undefined && flags.sandbox !== true) {
      const fromEnv = proxyFromEnv(target.baseUrl, io.env);
      proxy = fromEnv?.proxy;
      proxySource = `from ${fromEnv?.variable ?? ''}`;
    }
    const tc = new ThreatConnect({
      ...target,
      ...(proxy === undefined ? {} : { proxy }),
      ...(flags.insecure === true ? { verifySsl: false } : {}),
      ...(flags.timeout === undefined ? {} : { apiRequestTimeout: flags.timeout }),
      ...(flags.retries === undefined ? {} : { apiRetries: flags.retries }),
      ...(flags.retrySleep === undefined ? {} : { apiSleep: flags.retrySleep }),
      ...(flags.resultLimit === undefined ? {} : { apiResultLimit: flags.resultLimit }),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    });
    try {
      // The seed's setters, as a script would call them.
      if (flags.logFile !== undefined) tc.setTclFile(flags.logFile, flags.logLevel ?? 'info');
      if (flags.consoleLevel !== undefined) tc.setTclConsoleLevel(flags.consoleLevel);
      if (flags.compat !== undefined) tc.setOutputCompat(flags.compat);
    } catch (error) {
      await tc.close();
      throw error;
    }
    return {
      tc,
      baseUrl: target.baseUrl,
      server:
        proxy === undefined
          ? target.baseUrl
          : `${target.baseUrl} through the proxy ${proxy.host}:${proxy.port} (${proxySource})`,
      close: async () => {
        await tc.close();
        await closeSandbox?.();
      },
    };
  } catch (error) {
    await closeSandbox?.();
    if (error instanceof ConfigError)
      throw new CliError(commandName, flagMessage(error.message), 1, { cause: error });
    throw error;
  }
}

/** Settings of a client that is never asked to send anything. */
const OFFLINE = {
  accessId: 'offline',
  secretKey: 'offline',
  defaultOrg: 'offline',
  baseUrl: 'http://127.0.0.1:9/api',
} as const;

/**
 * Runs `check` on a client that sends nothing, then closes it: the filter flags are applied there first,
 * so that a filter the command lacks is a usage error (exit 2) whatever the connection settings, and
 * before a `--sandbox` starts.
 */
export async function checkOffline(check: (tc: ThreatConnect) => void): Promise<void> {
  const offline = new ThreatConnect(OFFLINE);
  try {
    check(offline);
  } finally {
    await offline.close();
  }
}
