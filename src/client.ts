/**
 * `ThreatConnect`: the client. Settings with the seed's names (`setApiRetries`, `setTclFile`, ...),
 * manual API calls (`apiRequest`, `apiRequestPages`), and the report (`tc.report`).
 */
import { inspect } from 'node:util';
import { type Authenticator, createAuthenticator } from './auth/index.js';
import type { TokenRenewalResult } from './auth/token.js';
import {
  type ClientOptions,
  type ConsoleLevel,
  type LogLevel,
  type ResolvedConfig,
  type SettableOptions,
  readConfigFile,
  readEnvOptions,
  resolveConfig,
  updateConfig,
  validateLogFile,
  validateLogLevel,
} from './core/config.js';
import {
  AuthenticationError,
  ConfigError,
  IncompleteResultError,
  ValidationError,
  errorFromResponse,
  redactUrl,
  throwIfAborted,
} from './core/errors.js';
import {
  type AttemptResponse,
  type CallContext,
  type CallResult,
  type Next,
  createPipeline,
} from './core/pipeline.js';
import { type RequestObject, requestParams, requestTarget } from './core/request-object.js';
import { ApiResponse } from './core/response.js';
import { buildPathAndQuery, formEncode, splitBaseUrl } from './core/url.js';
import { HttpTransport } from './http/transport.js';
import { type SdkLogger, createLogger } from './logging/logger.js';
import { createReport, type Report } from './report/report.js';

/** Per-call options of {@link ThreatConnect.apiRequest}. */
export interface ApiRequestOptions {
  /** Throw the typed {@link ApiError} for an answer other than 200/201/202 instead of resolving with it. */
  throwOnError?: boolean | undefined;
  /** Hand the body over as a `Readable` (`response.body`) instead of buffering it. */
  stream?: boolean | undefined;
  /** Cancels the call, including retry waits. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link ThreatConnect.apiRequestPages}. */
export interface ApiRequestPagesOptions {
  signal?: AbortSignal | undefined;
}

/** One page of {@link ThreatConnect.apiRequestPages}. */
export interface ApiPage {
  response: ApiResponse;
  /** The envelope's `data` object. */
  data: Record<string, unknown>;
  /** The one array under `data`. */
  items: unknown[];
  resultStart: number;
  resultLimit: number;
  /** The total from the first page. */
  resultCount: number;
}

const TRANSPORT_KEYS: readonly (keyof SettableOptions)[] = [
  'apiRequestTimeout',
  'proxy',
  'verifySsl',
  'caCertificate',
];

/**
 * The ThreatConnect v2 client.
 *
 * @example
 * const tc = new ThreatConnect(accessId, secretKey, 'Example Org', 'https://tc.example.com/api');
 * const ro = new RequestObject().setHttpMethod('GET').setOwner('Example Community').setRequestUri('/v2/indicators');
 * const results = await tc.apiRequest(ro);
 */
export class ThreatConnect {
  #config: ResolvedConfig;
  readonly #logger: SdkLogger;
  readonly #report: Report;
  readonly #origin: string;
  readonly #basePath: string;
  #transport: HttpTransport | undefined;
  /** Closes of retired dispatchers still waiting for their in-flight requests. */
  readonly #retiring = new Set<Promise<void>>();
  #authenticator: Authenticator | undefined;
  readonly #pipeline: Next;
  #closed = false;
  /** Tokens obtained by renewal: secrets like the configured one, scrubbed from logs. */
  readonly #renewedTokens = new Set<string>();

  /** `new ThreatConnect(accessId, secretKey, defaultOrg, baseUrl)`, as in the seed. */
  constructor(accessId: string, secretKey: string, defaultOrg: string, baseUrl: string);
  /** `new ThreatConnect({ accessId, secretKey, defaultOrg, baseUrl, ... })` with the keys of decisions.md 1.2. */
  constructor(options: ClientOptions);
  constructor(...args: unknown[]) {
    let options: ClientOptions;
    if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
      options = args[0] as ClientOptions;
    } else if (args.length === 4) {
      const [accessId, secretKey, defaultOrg, baseUrl] = args;
      options = { accessId, secretKey, defaultOrg, baseUrl } as ClientOptions;
    } else {
      throw new ConfigError(
        'ThreatConnect takes (accessId, secretKey, defaultOrg, baseUrl) or one options object, got ' +
          `${args.length} argument${args.length === 1 ? '' : 's'}`,
      );
    }
    this.#config = resolveConfig(options);
    const { origin, basePath } = splitBaseUrl(this.#config.baseUrl);
    this.#origin = origin;
    this.#basePath = basePath;
    this.#logger = createLogger({
      consoleLevel: this.#config.consoleLevel,
      now: () => this.#config.clock.now(),
      secrets: () => this.#secrets(),
      ...(this.#config.logFile === undefined
        ? {}
        : { file: { path: this.#config.logFile, level: this.#config.logFileLevel } }),
    });
    const { report, recorder } = createReport({ clock: this.#config.clock });
    this.#report = report;
    this.#pipeline = createPipeline({
      recorder,
      clock: this.#config.clock,
      logger: this.#logger,
      authenticator: () => this.#auth(),
      settings: () => this.#config,
      send: (request) => this.#transportFor().send(request),
    });
  }

  /**
   * A client from the Python SDK's INI file (`[threatconnect]` with `api_access_id`, `api_secret_key`,
   * `api_default_org`, `api_base_url`, and optionally `api_token`, `api_token_expires`, `api_result_limit`).
   * @throws {ConfigError} when the file cannot be read or a value is missing or invalid.
   */
  static fromConfigFile(path: string): ThreatConnect {
    return new ThreatConnect(readConfigFile(path));
  }

  /**
   * A client from `TC_API_ACCESS_ID`, `TC_API_SECRET_KEY`, `TC_API_DEFAULT_ORG`, `TC_API_BASE_URL`,
   * `TC_API_TOKEN`, `TC_API_TOKEN_EXPIRES` and `TC_CA_CERT_FILE`.
   * @throws {ConfigError} naming the variable that is missing or invalid.
   */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ThreatConnect {
    const options = readEnvOptions(env);
    // Name the variable, not the option, when one is missing (empty counts as unset).
    if (options.apiToken === undefined) {
      if (options.accessId === undefined && options.secretKey === undefined) {
        throw new ConfigError(
          'credentials are not set: `TC_API_ACCESS_ID` and `TC_API_SECRET_KEY`, or `TC_API_TOKEN`',
        );
      }
      if (options.secretKey === undefined) {
        throw new ConfigError('`TC_API_SECRET_KEY` is not set (it goes with `TC_API_ACCESS_ID`)');
      }
      if (options.accessId === undefined) {
        throw new ConfigError('`TC_API_ACCESS_ID` is not set (it goes with `TC_API_SECRET_KEY`)');
      }
    }
    if (options.defaultOrg === undefined) throw new ConfigError('`TC_API_DEFAULT_ORG` is not set');
    if (options.baseUrl === undefined) throw new ConfigError('`TC_API_BASE_URL` is not set');
    return new ThreatConnect(options as ClientOptions);
  }

  // ---- settings (seed names) ----

  #update(patch: SettableOptions): void {
    this.#config = updateConfig(this.#config, patch, { requireValues: true });
    if (TRANSPORT_KEYS.some((key) => key in patch) && this.#transport) {
      // In-flight requests finish on the old dispatcher: a graceful close waits for them, then frees
      // its sockets. Only the pending close is kept, for close() to await.
      const closing = this.#transport.close().catch(() => undefined);
      this.#retiring.add(closing);
      void closing.then(() => this.#retiring.delete(closing));
      this.#transport = undefined;
    }
  }

  /**
   * Writes the log to a file (NDJSON), creating missing folders.
   * @param level debug, info, warning, error or critical. @default 'info'
   * @throws {ConfigError} when the file cannot be written.
   */
  setTclFile(path: string, level: LogLevel = 'info'): void {
    const file = validateLogFile(path);
    const fileLevel = validateLogLevel(level);
    this.#logger.setFile(file, fileLevel);
    this.#update({ logFile: file, logFileLevel: fileLevel });
  }

  /** The console's level: debug, info, warning, error, critical or off. @default 'critical' */
  setTclConsoleLevel(level: ConsoleLevel): void {
    this.#update({ consoleLevel: level });
    this.#logger.setConsoleLevel(this.#config.consoleLevel);
  }

  /** Sends `createActivityLog=true` on every request when on. @default false */
  setActivityLog(enabled: boolean): void {
    this.#update({ activityLog: enabled });
  }

  /** Seconds: the connect timeout and the idle timeout of each attempt, not a total deadline. @default 30 */
  setApiRequestTimeout(seconds: number): void {
    this.#update({ apiRequestTimeout: seconds });
  }

  /** Retries after the first attempt; 0 makes a single attempt. @default 5 */
  setApiRetries(retries: number): void {
    this.#update({ apiRetries: retries });
  }

  /** Seconds (fractions allowed): the base of the retry backoff. @default 59 */
  setApiSleep(seconds: number): void {
    this.#update({ apiSleep: seconds });
  }

  /** Results per page, an integer from 1 to 500. @default 200 */
  setApiResultLimit(limit: number): void {
    this.#update({ apiResultLimit: limit });
  }

  /** Sends every request through an HTTP proxy, with Basic auth when a user is given. */
  setProxies(host: string, port: number, user?: string, password?: string): void {
    this.#update({ proxy: { host, port, user, password } });
  }

  /** Verify TLS certificates. @default true (the original never verified) */
  setVerifySsl(verify: boolean): void {
    this.#update({ verifySsl: verify });
  }

  /** Trusts this CA (PEM text) besides the system ones, e.g. a sandbox's self-signed certificate. */
  setCaCertificate(pem: string | Uint8Array): void {
    this.#update({ caCertificate: pem });
  }

  /** Page windows in flight during retrieval, 1 to 32. @default 4 */
  setConcurrency(concurrency: number): void {
    this.#update({ concurrency });
  }

  /** `'python-sdk'` reproduces the original's output bytes; undefined gives the spec-correct formats. */
  setOutputCompat(mode: 'python-sdk' | undefined): void {
    this.#update({ compat: mode });
  }

  /** The current settings (frozen; secrets are not enumerable). */
  get config(): ResolvedConfig {
    return this.#config;
  }

  /** The run's report: counters, entries, `stats`, `failures`, `toJSON()`. */
  get report(): Report {
    return this.#report;
  }

  /** Starts recording one report entry per request (seed: `tc.report_enable()`). */
  reportEnable(): void {
    this.#report.enable();
  }

  /** Stops recording report entries. */
  reportDisable(): void {
    this.#report.disable();
  }

  // ---- manual API calls ----

  /**
   * Makes one request, as the original's `api_request` did, and resolves with the response for every
   * HTTP status (decisions.md 1.4). Retries follow decisions.md 1.6, each attempt signed afresh.
   *
   * @throws {ConnectionError} (and {@link TimeoutError}, {@link ProxyAuthError}) when no answer came.
   * @throws {RetryExhaustedError} when retries ran out and the last attempt had no answer.
   * @throws {AbortError} when `signal` fired.
   * @throws {ApiError} for a non-2xx answer, only with `{ throwOnError: true }`.
   */
  async apiRequest(ro: RequestObject, options: ApiRequestOptions = {}): Promise<ApiResponse> {
    this.#assertOpen();
    throwIfAborted(options.signal);
    const pathAndQuery = wireTarget(
      this.#origin,
      requestTarget(ro, { basePath: this.#basePath, activityLog: this.#config.activityLog }),
    );
    ro.setPathUrl(pathAndQuery);
    const result = await this.#call(ro, pathAndQuery, options);
    return this.#finish(result, pathAndQuery, ro.httpMethod, options);
  }

  /**
   * Iterates the pages of a listing: `resultLimit` is the client's `apiResultLimit`, `resultStart` steps
   * by it, and the total is read from the first page's `resultCount`. A `resultLimit` or `resultStart`
   * set on the request object is not sent.
   *
   * @throws {ApiError} for a non-2xx answer after retries.
   * @throws {IncompleteResultError} when a page comes back shorter than its window before the total.
   */
  async *apiRequestPages(ro: RequestObject, options: ApiRequestPagesOptions = {}): AsyncGenerator<ApiPage> {
    this.#assertOpen();
    const limit = this.#config.apiResultLimit;
    let start = 0;
    let total: number | undefined;
    let key: string | undefined;
    do {
      throwIfAborted(options.signal);
      const params = [
        // The window is the iterator's: a resultLimit/resultStart of the request object would be sent
        // twice, and the server would read the first one.
        ...ro.payloadEntries().filter(([key]) => key !== 'resultLimit' && key !== 'resultStart'),
        ['resultLimit', String(limit)] as const,
        ['resultStart', String(start)] as const,
      ];
      const requestUri = ro.requestUri;
      if (requestUri === undefined)
        throw new ValidationError('`requestUri` is not set; call setRequestUri() first');
      const pathAndQuery = wireTarget(
        this.#origin,
        buildPathAndQuery({
          basePath: this.#basePath,
          requestUri,
          params,
          activityLog: this.#config.activityLog,
        }),
      );
      const result = await this.#call(ro, pathAndQuery, { signal: options.signal }, true);
      const response = this.#finish(result, pathAndQuery, ro.httpMethod, { throwOnError: true });
      const envelope = response.json<{ data?: Record<string, unknown> }>();
      const data = envelope.data ?? {};
      const arrays = Object.entries(data).filter(([, value]) => Array.isArray(value));
      if (key === undefined) key = arrays[0]?.[0];
      const raw = key === undefined ? undefined : data[key];
      const items: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      if (total === undefined) {
        const count = data.resultCount;
        total = typeof count === 'number' ? count : items.length;
      }
      const expected = Math.min(limit, Math.max(0, total - start));
      if (items.length < expected) {
        throw new IncompleteResultError(
          `The page at resultStart=${start} has ${items.length} items where ${expected} were expected (resultCount ${total})`,
          { resultStart: start, resultLimit: limit },
        );
      }
      yield { response, data, items, resultStart: start, resultLimit: limit, resultCount: total };
      start += limit;
    } while (start < total);
  }

  async #call(
    ro: RequestObject,
    pathAndQuery: string,
    options: ApiRequestOptions,
    track = false,
  ): Promise<SentCall> {
    const url = this.#origin + pathAndQuery;
    const method = ro.httpMethod;
    const { activityLog } = this.#config;
    const ctx: CallContext = {
      method,
      url,
      pathAndQuery,
      headers: ro.headers,
      body: ro.body,
      signal: options.signal,
      stream: options.stream,
      attempts: [],
      report: {
        method,
        requestUri: ro.requestUri,
        url,
        description: ro.description,
        resourceType: ro.resourceType,
        contentType: ro.contentType,
        body: ro.body,
        // Built only if the report keeps an entry (reporting enabled).
        payload: { [Symbol.iterator]: () => requestParams(ro, activityLog)[Symbol.iterator]() },
        track: track || ro.track,
      },
    };
    // Debug lines are built only when someone reads them: this is the hot path of every call.
    const debug = this.#logger.isLevelEnabled('debug');
    if (debug) this.#logger.debug(`${method} ${redactUrl(url)}`);
    const result = await this.#pipeline(ctx);
    const { response } = result;
    if (debug) {
      this.#logger.debug(
        `${method} ${redactUrl(url)} -> ${response.status} (${result.attempts.length} attempt(s))`,
      );
    }
    // The last attempt's signed headers, for the redacted `request` of an ApiError (decisions.md 1.3).
    return ctx.attempt === undefined ? result : { ...result, requestHeaders: ctx.attempt.headers };
  }

  #finish(result: SentCall, pathAndQuery: string, method: string, options: ApiRequestOptions): ApiResponse {
    const { response, decision } = result;
    const apiResponse = new ApiResponse({
      status: response.status,
      headers: response.headers,
      url: this.#origin + pathAndQuery,
      content: response.content,
      body: response.body,
      attempts: result.attempts.length,
    });
    if (isSuccess(response.status)) return apiResponse;
    const status = response.status;
    this.#logger.error(`${method} ${apiResponse.url} answered ${status}`);
    // decisions.md 1.4: resolve with the response for every status, including a 429/503 whose
    // Retry-After was too long to wait, unless the caller asked for the typed error.
    if (options.throwOnError === true) {
      throw errorFromResponse({
        status,
        body: response.content,
        headers: response.headers,
        request: { method, url: this.#origin + pathAndQuery, headers: result.requestHeaders },
        retryAfterMs: decision?.retryAfterMs,
      });
    }
    return apiResponse;
  }

  /** Releases the client's sockets. The client cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const current = this.#transport;
    this.#transport = undefined;
    await Promise.all([...this.#retiring, ...(current ? [current.close()] : [])]);
    this.#logger.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ValidationError('This client has been closed');
  }

  #transportFor(): HttpTransport {
    this.#assertOpen();
    this.#transport ??= new HttpTransport({
      timeoutMs: this.#config.apiRequestTimeoutMs,
      proxy: this.#config.proxy && {
        scheme: this.#config.proxy.scheme,
        host: this.#config.proxy.host,
        port: this.#config.proxy.port,
        user: this.#config.proxy.user,
        password: this.#config.proxy.password,
      },
      verifySsl: this.#config.verifySsl,
      caCertificate: this.#config.caCertificate,
    });
    return this.#transport;
  }

  #auth(): Authenticator {
    this.#authenticator ??= createAuthenticator(this.#config.auth, {
      renewToken: (token) => this.#renewToken(token),
    });
    return this.#authenticator;
  }

  /** `GET <base>/appAuth?expiredToken=<token>`, unsigned (rest-api-v2.md 2.3). */
  async #renewToken(token: string): Promise<TokenRenewalResult> {
    const pathAndQuery = `${this.#basePath}/appAuth?expiredToken=${formEncode(token)}`;
    const url = this.#origin + pathAndQuery;
    const response: AttemptResponse = await this.#transportFor().send({
      method: 'GET',
      url,
      headers: {},
      timeoutMs: this.#config.apiRequestTimeoutMs,
    });
    const text = response.content?.toString('utf8') ?? '';
    let body: { success?: unknown; apiToken?: unknown; apiTokenExpires?: unknown; message?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Handled below as a failed renewal.
    }
    if (response.status !== 200 || typeof body.apiToken !== 'string') {
      const reason = typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
      this.#logger.critical(`Could not refresh ThreatConnect Token (${reason}).`);
      throw new AuthenticationError(`Could not refresh ThreatConnect Token (${reason}).`, {
        status: response.status,
        body: text,
        request: { method: 'GET', url },
      });
    }
    this.#renewedTokens.add(body.apiToken);
    this.#logger.info('Renewed the API token.');
    return {
      apiToken: body.apiToken,
      apiTokenExpires:
        typeof body.apiTokenExpires === 'string' || typeof body.apiTokenExpires === 'number'
          ? body.apiTokenExpires
          : undefined,
    };
  }

  *#secrets(): Generator<string | undefined> {
    const { auth, proxy } = this.#config;
    if (auth.kind === 'hmac') yield auth.secretKey;
    else yield auth.apiToken;
    yield* this.#renewedTokens;
    yield proxy?.password;
  }

  [inspect.custom](): string {
    const { auth, defaultOrg, baseUrl } = this.#config;
    const who =
      auth.kind === 'hmac'
        ? `accessId: ${JSON.stringify(auth.accessId)}, secretKey: [REDACTED]`
        : 'apiToken: [REDACTED]';
    return `ThreatConnect { baseUrl: ${JSON.stringify(baseUrl)}, defaultOrg: ${JSON.stringify(defaultOrg)}, ${who} }`;
  }

  toJSON(): Record<string, unknown> {
    const { auth, defaultOrg, baseUrl } = this.#config;
    return { baseUrl, defaultOrg, ...(auth.kind === 'hmac' ? { accessId: auth.accessId } : {}) };
  }
}

/**
 * The path and query exactly as undici puts them on the wire. undici parses the URL with the WHATWG
 * parser, which percent-encodes some characters (non-ASCII, `{`, `}`, `"`, ...) and resolves `.` and
 * `..` segments; signing that form keeps the signed string equal to the request target.
 */
function wireTarget(origin: string, pathAndQuery: string): string {
  // Fast path: nothing the parser would change (no dot segments, backslashes or characters it encodes).
  if (SAFE_TARGET.test(pathAndQuery) && !DOT_SEGMENT.test(pathAndQuery)) return pathAndQuery;
  const url = new URL(origin + pathAndQuery);
  return url.pathname + url.search;
}

// No `'`: the parser percent-encodes it in a query (special-query set), though not in a path.
const SAFE_TARGET = /^\/[A-Za-z0-9\-._~%!$&()*+,;=:@/?]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?]|$)/;

/** A pipeline result with the headers its last attempt was sent with (secrets included: redact them). */
type SentCall = CallResult & { requestHeaders?: Record<string, string> };

function isSuccess(status: number): boolean {
  return status === 200 || status === 201 || status === 202;
}
