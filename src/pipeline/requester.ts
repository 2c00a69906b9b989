/**
 * The internal requester: how the client, and the resource containers built on it, call the API.
 * `request()` sends one logical call through the pipeline (report entry, retries, auth, timeout);
 * `pages()` walks a listing through the page-window limiter of `core/pagination.ts`, with the
 * client's `concurrency`. It is not part of the public API: the public `ThreatConnect` methods are
 * thin wrappers over it.
 */
import type { ResolvedConfig } from '../core/config-types.js';
import {
  AbortError,
  ClientClosedError,
  IncompleteResultError,
  RateLimitError,
  ServerError,
  ValidationError,
  throwIfAborted,
} from '../core/errors.js';
import { type FetchedWindow, type PageWindow, paginate } from '../core/pagination.js';
import { MAX_RETRY_WAIT_MS } from '../core/retry.js';
import { redactUrl } from '../core/redact.js';
import { RequestObject, requestParams, requestTarget } from '../core/request-object.js';
import { ApiResponse } from '../core/response.js';
import { errorFromResponse } from '../core/response-errors.js';
import { buildPathAndQuery, wireParams, wireTarget } from '../core/url.js';
import { checkCallOptions, describeValue, isRecord } from '../core/validators.js';
import type { Logger } from '../logging/logger.js';
import type { ReportRecorder } from '../report/report.js';
import { type CallContext, type CallResult, type Next, SUCCESS_STATUSES } from './call.js';
import { type ApiPage, PageIterable } from './pages.js';

/** Per-call options of {@link Requester.request}. */
export interface RequestOptions {
  /** Throw the typed `ApiError` for an answer other than 200/201/202 instead of resolving with it. */
  readonly throwOnError?: boolean | undefined;
  /** Statuses besides 200/201/202 that `throwOnError` lets through (an observation's 204). */
  readonly alsoAccept?: readonly number[] | undefined;
  /** Hand the body over as a `Readable`; defaults to the request object's `stream`. */
  readonly stream?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Count the call as an API filter in the report (a filter retrieval request). */
  readonly countsAsApiFilter?: boolean | undefined;
}

/** The keys of {@link RequestOptions}: another is refused, not ignored. */
const REQUEST_OPTION_KEYS: readonly string[] = [
  'throwOnError',
  'alsoAccept',
  'stream',
  'signal',
  'countsAsApiFilter',
] satisfies readonly (keyof RequestOptions)[];

/** Options of {@link Requester.pages}. */
export interface PagesOptions {
  readonly signal?: AbortSignal | undefined;
  /** Page windows in flight after the first. @default the client's `concurrency` */
  readonly concurrency?: number | undefined;
  readonly countsAsApiFilter?: boolean | undefined;
  /**
   * `incomplete`: a window after the first that fails (after retries) throws IncompleteResultError
   * naming it, with the typed ApiError as `cause` (retrieval, decisions.md 1.4). @default 'throw'
   */
  readonly failedWindows?: 'throw' | 'incomplete' | undefined;
}

/** The keys of {@link PagesOptions}: another is refused, not ignored. */
const PAGES_OPTION_KEYS: readonly string[] = [
  'signal',
  'concurrency',
  'countsAsApiFilter',
  'failedWindows',
] satisfies readonly (keyof PagesOptions)[];

/** How the client lets the requester know it is open or closed. */
export interface CallLifecycle {
  /** @throws {ClientClosedError} once the client is closed. */
  assertOpen(): void;
  readonly closed: boolean;
}

/** The internal interface resource containers call the API through. */
export interface Requester {
  /** The client's current settings. */
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  /** The report's write side: post filters and result counts of a retrieval. */
  readonly recorder: ReportRecorder;
  /** One logical call; resolves with the response for every HTTP status unless `throwOnError`. */
  request(ro: RequestObject, options?: RequestOptions): Promise<ApiResponse>;
  /** The pages of a listing; an answer other than 200/201/202 throws the typed `ApiError`. */
  pages<T = unknown>(ro: RequestObject, options?: PagesOptions): PageIterable<T>;
  /**
   * The same pages without their responses, for callers that read only the items: a page can wait
   * behind others and then be walked item by item, and its response's body bytes would be kept all
   * that while (long enough to reach the old generation, where only a full collection frees them).
   */
  listing<T = unknown>(ro: RequestObject, options?: PagesOptions): AsyncIterable<ListingPage<T>>;
}

/** A page of {@link Requester.listing}: an {@link ApiPage} without its response. */
export type ListingPage<T = unknown> = Omit<ApiPage<T>, 'response'>;

/** A page as read, before its window is added: with its response for `pages()`, without for `listing()`. */
type PageBody<T> = Pick<ApiPage<T>, 'data' | 'items'> & { response?: ApiResponse };

/** The name of the array the listing's first page holds its items under, once read. */
interface ArrayKey {
  name?: string | undefined;
}

/**
 * A listing page's items and `resultCount`. Every page names the array the first one did, so an
 * empty page finds no array of its own; a page of one item may hold it as an object rather than an
 * array (rest-api-v2.md 3.1).
 */
/**
 * The error a window after the first fails a walk with (`failedWindows: 'incomplete'`): it leaves a
 * hole in the result, whether it failed by its answer or on the way (a connection error, a timeout,
 * retries used up, a body that is not a page), so it is an {@link IncompleteResultError} naming the
 * window, with the failure as `cause`. Thrown as they are: an abort or a closed client (what the caller
 * asked for), and a 429 or 503 whose `Retry-After` above 300 s ended the retries (decisions.md 1.4:
 * "retrieval throws `RateLimitError` or `ServerError`", so that a caller can honour `retryAfterMs`).
 * The first window's failure is thrown as it is in any case (nothing was handed out).
 */
function windowFailure(error: unknown, window: PageWindow): unknown {
  if (window.resultStart === 0 || error instanceof AbortError || error instanceof ClientClosedError)
    return error;
  if (
    (error instanceof RateLimitError || error instanceof ServerError) &&
    error.retryAfterMs !== undefined &&
    error.retryAfterMs > MAX_RETRY_WAIT_MS
  ) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new IncompleteResultError(`The page at resultStart=${window.resultStart} failed: ${reason}`, {
    resultStart: window.resultStart,
    resultLimit: window.resultLimit,
    cause: error,
  });
}

function readPage<T>(
  response: ApiResponse,
  withResponse: boolean,
  key: ArrayKey,
): FetchedWindow<PageBody<T>> {
  const data = response.json<{ data?: Record<string, unknown> }>().data ?? {};
  key.name ??=
    Object.keys(data).find((name) => Array.isArray(data[name])) ??
    Object.keys(data).find((name) => isRecord(data[name]));
  const raw = key.name === undefined ? undefined : data[key.name];
  const items = (Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : []) as T[];
  const count = data.resultCount;
  return {
    page: withResponse ? { response, data, items } : { data, items },
    itemCount: items.length,
    total: typeof count === 'number' ? count : undefined,
  };
}

/** Dependencies of {@link PipelineRequester}. */
export interface PipelineRequesterDeps {
  readonly origin: string;
  readonly basePath: string;
  readonly config: () => ResolvedConfig;
  readonly pipeline: Next;
  readonly logger: Logger;
  readonly recorder: ReportRecorder;
  readonly lifecycle: CallLifecycle;
}

/** A pipeline result with the headers its last attempt was signed with (redact them before showing). */
type SignedResult = CallResult & { requestHeaders?: Record<string, string> };

/** The requester of one client. */
export class PipelineRequester implements Requester {
  readonly #deps: PipelineRequesterDeps;

  constructor(deps: PipelineRequesterDeps) {
    this.#deps = deps;
  }

  get config(): ResolvedConfig {
    return this.#deps.config();
  }

  get logger(): Logger {
    return this.#deps.logger;
  }

  get recorder(): ReportRecorder {
    return this.#deps.recorder;
  }

  async request(ro: RequestObject, options: RequestOptions = {}): Promise<ApiResponse> {
    this.#deps.lifecycle.assertOpen();
    checkRequestObject(ro, 'apiRequest');
    checkCallOptions(options, 'apiRequest', REQUEST_OPTION_KEYS);
    throwIfAborted(options.signal);
    checkOwnerAllowed(ro);
    const config = this.#deps.config();
    const pathAndQuery = wireTarget(
      this.#deps.origin,
      requestTarget(ro, { basePath: this.#deps.basePath, activityLog: config.activityLog }),
    );
    const result = await this.#send(ro, pathAndQuery, {
      ...options,
      stream: options.stream ?? ro.stream,
    });
    const throwOnError =
      options.throwOnError === true && !options.alsoAccept?.includes(result.response.status);
    return this.#finish(ro, result, pathAndQuery, throwOnError);
  }

  pages<T = unknown>(ro: RequestObject, options: PagesOptions = {}): PageIterable<T> {
    return new PageIterable<T>(() => this.#walk<T>(ro, options, true) as AsyncGenerator<ApiPage<T>>);
  }

  listing<T = unknown>(ro: RequestObject, options: PagesOptions = {}): AsyncIterable<ListingPage<T>> {
    return { [Symbol.asyncIterator]: () => this.#walk<T>(ro, options, false) };
  }

  /**
   * Checks come when the walk starts, so they reject the first `next()` as any failure would. With
   * `withResponse` false, a page's response is let go once its JSON is read.
   */
  async *#walk<T>(
    ro: RequestObject,
    options: PagesOptions,
    withResponse: boolean,
  ): AsyncGenerator<ApiPage<T> | ListingPage<T>> {
    this.#deps.lifecycle.assertOpen();
    checkRequestObject(ro, 'apiRequestPages');
    checkCallOptions(options, 'apiRequestPages', PAGES_OPTION_KEYS);
    throwIfAborted(options.signal);
    const concurrency = checkConcurrency(options.concurrency);
    if (!ro.resourcePagination) {
      throw new ValidationError(
        'This request object has `resourcePagination` off: call setResourcePagination(true) to page it, or use apiRequest()',
      );
    }
    const requestUri = ro.requestUri;
    if (requestUri === undefined) {
      throw new ValidationError('`requestUri` is not set; call setRequestUri() first');
    }
    checkOwnerAllowed(ro);
    const config = this.#deps.config();
    // The window is the iterator's: a resultLimit/resultStart of the request object would be sent
    // twice, and the server would read the first one.
    const params = ro.payloadEntries().filter(([key]) => key !== 'resultLimit' && key !== 'resultStart');
    const arrayKey: ArrayKey = {};
    const incomplete = options.failedWindows === 'incomplete';
    const windowTarget = (window: PageWindow) => {
      const pageParams: (readonly [string, string])[] = [
        ...params,
        ['resultLimit', String(window.resultLimit)],
        ['resultStart', String(window.resultStart)],
      ];
      const pathAndQuery = wireTarget(
        this.#deps.origin,
        buildPathAndQuery({
          basePath: this.#deps.basePath,
          requestUri,
          params: pageParams,
          activityLog: config.activityLog,
        }),
      );
      return { pageParams, pathAndQuery };
    };
    const pages = paginate({
      resultLimit: config.apiResultLimit,
      concurrency: concurrency ?? config.concurrency,
      signal: options.signal,
      describeWindow: (window) => `${ro.httpMethod} ${redactUrl(windowTarget(window).pathAndQuery)}`,
      fetchWindow: async (window, signal) => {
        const { pageParams, pathAndQuery } = windowTarget(window);
        let response: ApiResponse;
        try {
          const result = await this.#send(
            ro,
            pathAndQuery,
            { signal, countsAsApiFilter: options.countsAsApiFilter ?? true },
            pageParams,
          );
          response = this.#finish(ro, result, pathAndQuery, true);
        } catch (error) {
          throw incomplete ? windowFailure(error, window) : error;
        }
        // Read at the window's turn, in order (see `ArrivedWindow`); an answer that is no page there
        // fails the window as a failed request does.
        return {
          read: () => {
            try {
              return readPage<T>(response, withResponse, arrayKey);
            } catch (error) {
              throw incomplete ? windowFailure(error, window) : error;
            }
          },
        };
      },
    });
    for await (const { page, resultStart, resultLimit, resultCount } of pages) {
      yield { ...page, resultStart, resultLimit, resultCount };
    }
  }

  /** `params`: the parameters sent, when they are not the request object's (a page's window). */
  async #send(
    ro: RequestObject,
    pathAndQuery: string,
    options: RequestOptions,
    params?: readonly (readonly [string, string])[],
  ): Promise<SignedResult> {
    const { origin, logger, lifecycle } = this.#deps;
    const url = origin + pathAndQuery;
    const method = ro.httpMethod;
    const { activityLog } = this.#deps.config();
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
        // The parameters as sent (a page's resultLimit and resultStart included), as the original's
        // entries show them (python-sdk-observed.md 4.6).
        payload: {
          [Symbol.iterator]: () =>
            (params === undefined ? requestParams(ro, activityLog) : wireParams(params, activityLog))[
              Symbol.iterator
            ](),
        },
        countsAsApiFilter: options.countsAsApiFilter === true || ro.countsAsApiFilter,
      },
    };
    // Debug lines are built only when someone reads them: this is the hot path of every call.
    const debug = logger.isLevelEnabled('debug');
    if (debug) logger.debug(`${method} ${redactUrl(url)}`);
    let result: CallResult;
    try {
      result = await this.#deps.pipeline(ctx);
    } catch (error) {
      // A call cut short by close() says so, rather than looking like a connection failure.
      if (lifecycle.closed && options.signal?.aborted !== true && !(error instanceof ClientClosedError)) {
        throw new ClientClosedError('The client was closed while the request was in flight', {
          cause: error,
        });
      }
      throw error;
    }
    if (debug) {
      logger.debug(
        `${method} ${redactUrl(url)} -> ${result.response.status} (${result.attempts.length} attempt(s))`,
      );
    }
    // The last attempt's signed headers, for the redacted `request` of an ApiError (decisions.md 1.3).
    return ctx.attempt === undefined ? result : { ...result, requestHeaders: ctx.attempt.headers };
  }

  #finish(ro: RequestObject, result: SignedResult, pathAndQuery: string, throwOnError: boolean): ApiResponse {
    const { response, decision } = result;
    const url = this.#deps.origin + pathAndQuery;
    const apiResponse = new ApiResponse({
      status: response.status,
      headers: response.headers,
      url,
      content: response.content,
      body: response.body,
      attempts: result.attempts.length,
    });
    const ok = SUCCESS_STATUSES.has(response.status);
    if (ok) ro.successCallback?.(ro, apiResponse);
    else ro.failureCallback?.(response.status);
    if (ok || !throwOnError) return apiResponse;
    // decisions.md 1.4: resolve with the response for every status, including a 429/503 whose
    // Retry-After was too long to wait, unless the caller asked for the typed error.
    throw errorFromResponse({
      status: response.status,
      body: response.content,
      headers: response.headers,
      request: { method: ro.httpMethod, url, headers: result.requestHeaders },
      retryAfterMs: decision?.retryAfterMs,
    });
  }
}

/**
 * A per-call `concurrency` (retrieval, `apiRequestPages`): an integer from 1 to 32, as the client
 * option. Checked before any request; undefined means the client's.
 */
export function checkConcurrency(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 32) {
    throw new ValidationError(`\`concurrency\` must be an integer from 1 to 32, got ${describeValue(value)}`);
  }
  return value;
}

/** From plain JavaScript, `apiRequest(null)` would fail as a TypeError deep inside the pipeline. */
function checkRequestObject(ro: unknown, method: string): void {
  if (!(ro instanceof RequestObject)) {
    throw new ValidationError(
      `${method}: the first argument must be a RequestObject, got ${describeValue(ro)}`,
    );
  }
}

/** `setOwnerAllowed(false)` says the request must not carry an owner. */
function checkOwnerAllowed(ro: RequestObject): void {
  if (!ro.ownerAllowed && ro.payloadEntries().some(([key]) => key === 'owner')) {
    throw new ValidationError(
      'This request object has an `owner` parameter but `ownerAllowed` is false: remove the owner or call setOwnerAllowed(true)',
    );
  }
}
