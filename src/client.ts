/**
 * `ThreatConnect`: the client. Settings with the seed's names (`setApiRetries`, `setTclFile`, ...),
 * manual API calls (`apiRequest`, `apiRequestPages`), and the report (`tc.report`).
 */
import { inspect } from 'node:util';
import type { Authenticator } from './auth/index.js';
import { runBatch } from './batch/run.js';
import type { BatchInputRecord, BatchOptions, BatchResult } from './batch/types.js';
import { Bulk } from './bulk/bulk.js';
import { createClientAuthenticator, createClientTransport, optionsFromArguments } from './client-wiring.js';
import { readConfigFile, readEnvConfig } from './core/config-sources.js';
import type {
  ClientOptions,
  ConsoleLevel,
  LogLevel,
  ResolvedConfig,
  SettableOptions,
} from './core/config-types.js';
import { resolveConfig, updateConfig } from './core/config.js';
import type { RequestObject } from './core/request-object.js';
import type { ApiResponse } from './core/response.js';
import { splitBaseUrl } from './core/url.js';
import { validateLogFile, validateLogLevel } from './core/validators.js';
import type { HttpTransport } from './http/transport.js';
import { type SdkLogger, createLogger } from './logging/logger.js';
import { createPipeline } from './pipeline/index.js';
import type { ApiPage, PageIterable } from './pipeline/pages.js';
import { ClientLifecycle } from './pipeline/lifecycle.js';
import { PipelineRequester } from './pipeline/requester.js';
import { createReport, type Report } from './report/report.js';
import {
  GroupTypeContainer,
  GroupsContainer,
  IndicatorsContainer,
  OwnersContainer,
  TasksContainer,
  VictimsContainer,
  groupKind,
} from './resources/containers.js';
import type { ResourceContext } from './resources/context.js';
import { createResourceContext } from './resources/context-impl.js';
import { type DetectableIndicatorType, IndicatorRegexes } from './resources/detect.js';
import { CLIENT_INTERNALS, type ClientInternals } from './resources/internals.js';
import { TypeLookups } from './resources/lookups.js';

export type { ApiPage };

/** Per-call options of {@link ThreatConnect.apiRequest}. */
export interface ApiRequestOptions {
  /** Throw the typed {@link ApiError} for an answer other than 200/201/202 instead of resolving with it. */
  throwOnError?: boolean | undefined;
  /** Hand the body over as a `Readable` (`response.body`) instead of buffering it. @default `ro.stream` */
  stream?: boolean | undefined;
  /** Cancels the call, including retry waits. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link ThreatConnect.apiRequestPages}. */
export interface ApiRequestPagesOptions {
  /** Cancels the walk, including the windows in flight. */
  signal?: AbortSignal | undefined;
  /** Page windows in flight after the first, 1 to 32. @default the client's `concurrency` (4) */
  concurrency?: number | undefined;
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
  /** Dispatchers retired by a setter whose requests are not over yet, each with its retirement. */
  readonly #retired = new Map<HttpTransport, Promise<void>>();
  #authenticator: Authenticator | undefined;
  readonly #requester: PipelineRequester;
  /** Open or closed; closing aborts calls in flight and a token renewal. */
  readonly #lifecycle = new ClientLifecycle();
  #resources: ResourceContext | undefined;
  /** Tokens obtained by renewal: secrets like the configured one, scrubbed from logs. */
  readonly #renewedTokens = new Set<string>();
  /** This client's indicator patterns (`setIndicatorRegex`); never shared with other clients. */
  readonly #detector = new IndicatorRegexes();

  /** `new ThreatConnect(accessId, secretKey, defaultOrg, baseUrl)`, as in the seed. */
  constructor(accessId: string, secretKey: string, defaultOrg: string, baseUrl: string);
  /** `new ThreatConnect({ accessId, secretKey, defaultOrg, baseUrl, ... })` with the keys of decisions.md 1.2. */
  constructor(options: ClientOptions);
  constructor(...args: unknown[]) {
    this.#config = resolveConfig(optionsFromArguments(args));
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
    const pipeline = createPipeline({
      recorder,
      clock: this.#config.clock,
      logger: this.#logger,
      authenticator: () => this.#auth(),
      settings: () => this.#config,
      send: (request) => this.#transportFor().send(request),
      closing: this.#lifecycle.signal,
    });
    this.#requester = new PipelineRequester({
      origin,
      basePath,
      config: () => this.#config,
      pipeline,
      logger: this.#logger,
      recorder,
      lifecycle: this.#lifecycle,
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
    return new ThreatConnect(readEnvConfig(env));
  }

  // ---- settings (seed names) ----

  #update(patch: SettableOptions): void {
    this.#config = updateConfig(this.#config, patch, { requireValues: true });
    if (TRANSPORT_KEYS.some((key) => key in patch) && this.#transport) {
      // In-flight requests finish on the old dispatcher, which then frees its sockets; close()
      // destroys it at once (ending them) and awaits the pending retirement.
      const retired = this.#transport;
      const retiring = retired.retire().catch(() => undefined);
      this.#retired.set(retired, retiring);
      void retiring.then(() => this.#retired.delete(retired));
      this.#transport = undefined;
    }
  }

  /**
   * Writes the log to a file (NDJSON), creating missing folders.
   * @param level debug, info, warning, error or critical. @default 'info'
   * @throws {ConfigError} when the file cannot be written.
   * @throws {ClientClosedError} after `close()`, which closed the log: a file opened then would never be.
   */
  setTclFile(path: string, level: LogLevel = 'info'): void {
    this.#lifecycle.assertOpen();
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

  /**
   * Replaces the patterns that detect and validate indicators of `type`, for this client only
   * (sdk-behaviour.md 7.4). A value is of a type when one of its patterns matches the whole value;
   * flags are kept (`/…/i` for the original's inline `(?i)`).
   * @throws {ConfigError} for a type other than ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS or URLS, or
   *   a pattern that is not a RegExp.
   */
  setIndicatorRegex(type: DetectableIndicatorType, regex: RegExp | readonly RegExp[]): void {
    this.#detector.set(type, regex);
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

  // ---- resource containers ----

  #context(): ResourceContext {
    this.#resources ??= createResourceContext(this.#requester, this.#detector, () =>
      this.#config.clock.now(),
    );
    return this.#resources;
  }

  /** Indicators of every type; `addFilter(IndicatorType.X)` for one type. */
  indicators(): IndicatorsContainer {
    return new IndicatorsContainer(this.#context());
  }
  /** Groups of every type. */
  groups(): GroupsContainer {
    return new GroupsContainer(this.#context());
  }
  /** Adversary groups (`/v2/groups/adversaries`). */
  adversaries(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('adversaries'));
  }
  /** Campaign groups (`/v2/groups/campaigns`). */
  campaigns(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('campaigns'));
  }
  /** Document groups (`/v2/groups/documents`), with file upload and download. */
  documents(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('documents'));
  }
  /** E-mail groups (`/v2/groups/emails`). */
  emails(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('emails'));
  }
  /** Incident groups (`/v2/groups/incidents`). */
  incidents(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('incidents'));
  }
  /** Signature groups (`/v2/groups/signatures`). */
  signatures(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('signatures'));
  }
  /** Threat groups (`/v2/groups/threats`). */
  threats(): GroupTypeContainer {
    return new GroupTypeContainer(this.#context(), groupKind('threats'));
  }
  /** Victims (`/v2/victims`) and their assets. */
  victims(): VictimsContainer {
    return new VictimsContainer(this.#context());
  }
  /** Tasks (`/v2/tasks`) with their assignees and escalatees. */
  tasks(): TasksContainer {
    return new TasksContainer(this.#context());
  }
  /** The owners the API user may access; also their metrics and the organization's members. */
  owners(): OwnersContainer {
    return new OwnersContainer(this.#context());
  }
  /** The instance's indicator types (custom ones included, read once), attribute and association types. */
  types(): TypeLookups {
    return new TypeLookups(this.#context());
  }

  // ---- batch ingest ----

  /**
   * Writes indicators and groups in volume through the batch API (decisions.md 1.8, docs/batch.md):
   * splits `records` into jobs of at most 25,000 indicators and 2,000,000 bytes, uploads and polls
   * each, and maps every error back to the input index of its record.
   * @throws {ValidationError} for a bad owner or option, before anything is read or sent.
   * @throws {ConfigError} when `stateFile` cannot be read or written.
   */
  batch(
    owner: string,
    records: Iterable<BatchInputRecord> | AsyncIterable<BatchInputRecord>,
    options?: BatchOptions,
  ): Promise<BatchResult> {
    return runBatch(this.#context(), owner, records, options);
  }

  /**
   * An owner's bulk reports (docs/bulk.md): `status()`, and `json()` and `csv()` streaming the reports.
   * @throws {ValidationError} when `owner` is not a non-empty string.
   */
  bulk(owner: string): Bulk {
    return Bulk.create(this.#context(), owner);
  }

  // ---- manual API calls ----

  /**
   * Makes one request, as the original's `api_request` did, and resolves with the response for every
   * HTTP status (decisions.md 1.4). Retries follow decisions.md 1.6, each attempt signed afresh. The
   * request object is not changed. Its success or failure callback is called with the answer.
   *
   * @throws {ConnectionError} (and {@link TimeoutError}, {@link ProxyAuthError}) when no answer came.
   * @throws {RetryExhaustedError} when retries ran out and the last attempt had no answer.
   * @throws {AbortError} when `signal` fired.
   * @throws {ClientClosedError} when the client is closed, or closes while the call is in flight.
   * @throws {ValidationError} when the request object has no URI, or an owner while `ownerAllowed` is off.
   * @throws {ApiError} for a non-2xx answer, only with `{ throwOnError: true }`.
   */
  apiRequest(ro: RequestObject, options: ApiRequestOptions = {}): Promise<ApiResponse> {
    return this.#requester.request(ro, options);
  }

  /**
   * The pages of a listing, in order: `resultLimit` is the client's `apiResultLimit`, `resultStart`
   * steps by it, and the total is read from the first page's `resultCount`. After the first page,
   * `concurrency` windows are fetched at a time. A `resultLimit` or `resultStart` set on the request
   * object is not sent. `.items()` iterates the items of every page.
   *
   * @example
   * for await (const item of tc.apiRequestPages<{ id: number }>(ro).items()) console.log(item.id);
   * @throws {ValidationError} when the request object has `resourcePagination` off or no URI.
   * @throws {ApiError} for a non-2xx answer after retries.
   * @throws {IncompleteResultError} when a page comes back shorter than its window before the total.
   */

  apiRequestPages<T = unknown>(ro: RequestObject, options: ApiRequestPagesOptions = {}): PageIterable<T> {
    return this.#requester.pages<T>(ro, options);
  }

  /**
   * Releases the client's sockets. Calls in flight are aborted with {@link ClientClosedError}; the
   * client cannot be used afterwards.
   */
  async close(): Promise<void> {
    if (this.#lifecycle.closed) return;
    this.#lifecycle.close();
    const current = this.#transport;
    this.#transport = undefined;
    // Destroying the pools ends the requests in flight (they reject with ClientClosedError) and frees
    // every socket, the retired pools' too.
    const retired = [...this.#retired].map(([transport, retiring]) =>
      transport
        .destroy()
        .catch(() => undefined)
        .then(() => retiring),
    );
    await Promise.all([...retired, ...(current ? [current.destroy()] : [])]);
    this.#logger.close();
  }

  /** `await using tc = new ThreatConnect(…)` closes the client when the scope ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    this.#lifecycle.assertOpen();
  }

  #transportFor(): HttpTransport {
    this.#assertOpen();
    this.#transport ??= createClientTransport(this.#config);
    return this.#transport;
  }

  #auth(): Authenticator {
    this.#authenticator ??= createClientAuthenticator({
      origin: this.#origin,
      basePath: this.#basePath,
      config: () => this.#config,
      transport: () => this.#transportFor(),
      closing: this.#lifecycle.signal,
      onRenewed: (token) => {
        this.#renewedTokens.add(token);
        this.#logger.info('Renewed the API token.');
      },
      onFailed: (message) => {
        this.#logger.critical(message);
      },
    });
    return this.#authenticator;
  }

  *#secrets(): Generator<string | undefined> {
    const { auth, proxy } = this.#config;
    if (auth.kind === 'hmac') yield auth.secretKey;
    else yield auth.apiToken;
    yield* this.#renewedTokens;
    yield proxy?.password;
  }

  /** @internal The resource layer's way in (src/resources/internals.ts); not public API. */
  [CLIENT_INTERNALS](): ClientInternals {
    return { requester: this.#requester, detector: this.#detector };
  }

  /** What `console.log` and `util.inspect` print: the server and owner, never a secret. */
  [inspect.custom](): string {
    const { auth, defaultOrg, baseUrl } = this.#config;
    const who =
      auth.kind === 'hmac'
        ? `accessId: ${JSON.stringify(auth.accessId)}, secretKey: [REDACTED]`
        : 'apiToken: [REDACTED]';
    return `ThreatConnect { baseUrl: ${JSON.stringify(baseUrl)}, defaultOrg: ${JSON.stringify(defaultOrg)}, ${who} }`;
  }

  /** What `JSON.stringify` writes: the base URL, default org and access id, never a secret. */
  toJSON(): Record<string, unknown> {
    const { auth, defaultOrg, baseUrl } = this.#config;
    return { baseUrl, defaultOrg, ...(auth.kind === 'hmac' ? { accessId: auth.accessId } : {}) };
  }
}
