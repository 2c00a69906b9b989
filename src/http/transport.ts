/**
 * The HTTP transport: one undici dispatcher per client (keep-alive pool, optional proxy, TLS settings),
 * one `request()` per attempt, and the mapping of undici failures to the SDK's error classes.
 *
 * Timeouts are per attempt and are not a total deadline (decisions.md 1.2): a connect timeout, and an idle
 * timeout on the headers and between body chunks, so a large download that keeps flowing is never cut.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Duplex, Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import { createDispatcher, type ProxySettings } from './dispatcher.js';
import type { AttemptRequest, AttemptResponse } from './types.js';
import { TimeoutError } from '../core/errors.js';
import { type RequestLike } from '../core/redact.js';
import { mapTransportError } from './map-error.js';

export type { ProxySettings } from './dispatcher.js';
export { mapTransportError } from './map-error.js';

export interface TransportOptions {
  /** Connect and idle timeout, in ms. */
  timeoutMs: number;
  proxy?: ProxySettings | undefined;
  /** Verify TLS certificates (the default). */
  verifySsl: boolean;
  /** Extra trusted CA, PEM. */
  caCertificate?: string | Buffer | undefined;
  /** Sockets per origin. */
  connections?: number | undefined;
}

/** The transport sends what the pipeline's attempts carry (./types.ts). */
export type TransportRequest = AttemptRequest;
export type TransportResponse = AttemptResponse;

/** Below this, the wait for the headers is timed by our own timer; above, by undici's. */
const PRECISE_HEADERS_TIMEOUT_BELOW_MS = 10_000;

/**
 * undici gives header names in lower case already, with repeated headers as arrays: join those with
 * `, ` (decisions.md 1.4). The common case has none, and the object is used as it is.
 */
function lowerCaseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  let joined: Record<string, string> | undefined;
  for (const name in raw) {
    const value = raw[name];
    if (typeof value !== 'string' || name !== name.toLowerCase()) {
      joined ??= {};
      break;
    }
  }
  if (joined === undefined) return raw as Record<string, string>;
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    joined[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return joined;
}

/** The request option under which `send()` hands the interceptor its "request started" callback. */
const ON_REQUEST_START = 'threatconnectOnRequestStart';

/**
 * Forwards a dispatch handler and reports `onRequestStart`, which undici calls once the request has a
 * connected socket and is about to be written. Before it, nothing was sent: a timeout then is a
 * connect timeout, retried for every method (decisions.md 1.6); after it, an idle one.
 */
class RequestStartWatch implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #onStart: () => void;

  constructor(handler: Dispatcher.DispatchHandler, onStart: () => void) {
    this.#handler = handler;
    this.#onStart = onStart;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#onStart();
    this.#handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.#handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error);
  }
}

const watchRequestStart: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const onStart = (opts as unknown as Record<string, unknown>)[ON_REQUEST_START];
  return dispatch(
    opts,
    typeof onStart === 'function' ? new RequestStartWatch(handler, onStart as () => void) : handler,
  );
};

/** Owns the dispatcher of one client. Two clients share nothing. */
export class HttpTransport {
  /** The agent, which owns the sockets. */
  readonly #agent: Dispatcher;
  /**
   * The same agent seen through the request-start interceptor. Only attempts timed by our own timer
   * (short timeouts) need it; the others use the agent directly and skip its cost.
   */
  readonly #watched: Dispatcher;
  readonly #timeoutMs: number;
  /** Attempts whose response is not over yet (a streamed body counts until it closes). */
  #inFlight = 0;
  /** Set by retire() while attempts are in flight: called when the last one is over. */
  #onIdle: (() => void) | undefined;

  constructor(options: TransportOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#agent = createDispatcher(options);
    this.#watched = this.#agent.compose(watchRequestStart);
  }

  /** Sends one attempt. Rejects only with SDK errors (ConnectionError family or AbortError). */
  async send(req: TransportRequest): Promise<TransportResponse> {
    this.#inFlight += 1;
    let over = false;
    const release = (): void => {
      if (over) return;
      over = true;
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#onIdle?.();
    };
    // A streamed body keeps its attempt in flight until it closes; anything else ends with send().
    let streamed = false;
    const requestInfo: RequestLike = { method: req.method, url: req.url, headers: req.headers };
    const timeoutMs = req.timeoutMs ?? this.#timeoutMs;
    // The idle timer is our own: it is re-armed by every body chunk. While waiting for the headers,
    // short timeouts use it too, through an AbortSignal; undici's timers tick about once a second,
    // which would stretch them. Long ones leave the headers wait to undici and save the signal.
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let onIdle: () => void = () => undefined;
    const arm = (): void => {
      // refresh() re-arms the same timer, cheaper than clearing and creating one per chunk.
      if (timer === undefined) {
        timer = setTimeout(() => {
          timedOut = true;
          onIdle();
        }, timeoutMs);
      } else timer.refresh();
    };
    const disarm = (): void => {
      clearTimeout(timer);
      timer = undefined;
    };
    const precise = timeoutMs < PRECISE_HEADERS_TIMEOUT_BELOW_MS;
    let signal = req.signal;
    // Not AbortSignal.any(): on Node 20 it keeps every combined signal in the caller's signal for good,
    // so a long-lived signal would grow by one per attempt. The caller's abort is forwarded instead, and
    // the listener is removed when the attempt is over.
    let unlink = (): void => undefined;
    if (precise) {
      const idle = new AbortController();
      onIdle = () => {
        // An Error, not a token: undici rejects with the reason, which becomes the TimeoutError's cause.
        idle.abort(new Error(`no data from the server for ${timeoutMs} ms`));
      };
      const user = req.signal;
      if (user?.aborted === true) idle.abort(user.reason);
      else if (user !== undefined) {
        const forward = (): void => {
          idle.abort(user.reason);
        };
        user.addEventListener('abort', forward, { once: true });
        unlink = () => {
          user.removeEventListener('abort', forward);
        };
      }
      signal = idle.signal;
      arm();
    }
    const fail = (error: unknown, phase: 'connect' | 'response' | 'body'): Error => {
      disarm();
      unlink();
      if (timedOut && req.signal?.aborted !== true) {
        if (!started) {
          return new TimeoutError(`Connect timeout after ${timeoutMs} ms`, {
            request: requestInfo,
            cause: error,
            phase: 'connect',
            timeoutMs,
          });
        }
        return new TimeoutError(`No data from the server for ${timeoutMs} ms`, {
          request: requestInfo,
          cause: error,
          phase: 'idle',
          timeoutMs,
        });
      }
      return mapTransportError(error, requestInfo, phase, timeoutMs, req.signal);
    };
    let phase: 'connect' | 'response' | 'body' = 'connect';
    let started = false;
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body === undefined ? {} : { body: uploadBody(req.body, precise ? arm : undefined) }),
        dispatcher: precise ? this.#watched : this.#agent,
        ...(signal === undefined ? {} : { signal }),
        headersTimeout: precise ? timeoutMs + 2000 : timeoutMs,
        // Read by watchRequestStart; undici passes unknown options through to the interceptors.
        ...(precise
          ? {
              [ON_REQUEST_START]: () => {
                started = true;
              },
            }
          : {}),
      });
      phase = 'body';
      // The headers prove the request went out, whatever timed the wait for them: a timeout from
      // here on is an idle one (without this, the long-timeout path, which does not watch
      // onRequestStart, reported a stalled body as a connect timeout and a POST was sent again).
      started = true;
      const headers = lowerCaseHeaders(response.headers);
      const body = response.body;
      onIdle = () => {
        body.destroy(new Error('idle timeout'));
      };
      arm();
      if (req.stream === true) {
        // The timer watches the bytes undici pushes, not 'data' events: a 'data' listener would put
        // the stream in flowing mode and drop every chunk that arrives before the caller reads.
        // While the caller is not reading (backpressure) the timer rests; asking for more re-arms it.
        const push = body.push.bind(body);
        body.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
          const more = push(chunk, encoding);
          if (chunk === null || !more) disarm();
          else arm();
          return more;
        };
        const read = body._read.bind(body);
        body._read = (size: number): void => {
          arm();
          read(size);
        };
        body.once('close', () => {
          disarm();
          unlink();
          release();
        });
        body.once('end', disarm);
        // A small body may have arrived whole with the headers, before push() was wrapped: nothing
        // is left to wait for, and a caller that reads it later must not find it timed out (nor the
        // process an uncaught timeout error on a stream nobody listens to yet).
        if ((body as Readable & { _readableState?: { ended?: boolean } })._readableState?.ended === true) {
          disarm();
        }
        // Late failures on the stream surface as SDK errors, so stream users see the same classes.
        const destroy = body.destroy.bind(body);
        body.destroy = (error?: Error) => destroy(error === undefined ? undefined : fail(error, 'body'));
        streamed = true;
        return { status: response.statusCode, headers, body };
      }
      const content = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        body.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          arm();
        });
        body.once('end', () => {
          resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
        });
        body.once('error', reject);
      });
      disarm();
      unlink();
      return { status: response.statusCode, headers, content };
    } catch (error) {
      throw fail(error, phase);
    } finally {
      if (!streamed) release();
    }
  }

  /**
   * Releases the sockets once the attempts in flight are over (a transport replaced by a setter: its
   * requests finish on it). {@link destroy} still ends them at once. Not undici's `close()`: a closed
   * agent forgets its pools, and a `destroy()` after it would leave their requests running.
   */
  retire(): Promise<void> {
    if (this.#inFlight === 0) return this.destroy();
    return new Promise((resolve, reject) => {
      this.#onIdle = () => {
        this.#onIdle = undefined;
        this.destroy().then(resolve, reject);
      };
    });
  }

  /** Ends the requests in flight and releases the sockets now. */
  async destroy(): Promise<void> {
    await this.#agent.destroy();
  }
}

/** Bodies above this are sent in chunks, so that a slow upload keeps both idle timers alive. */
const CHUNKED_UPLOAD_ABOVE_BYTES = 1024 * 1024;
const UPLOAD_CHUNK_BYTES = 64 * 1024;

/**
 * The body as undici should send it. A large body goes as an iterable of 64 KiB slices: undici then
 * writes it piece by piece and re-arms its own headers timer at each piece the socket takes, and our
 * idle timer is re-armed at each piece undici asks for. A Buffer given whole would be queued in one
 * write, and a slow upload would time out although bytes keep flowing. A new stream per attempt.
 */
function uploadBody(
  body: string | Buffer | Uint8Array,
  onProgress: (() => void) | undefined,
): string | Buffer | Uint8Array | Readable {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.byteLength <= CHUNKED_UPLOAD_ABOVE_BYTES) return body;
  function* slices(): Generator<Uint8Array> {
    for (let offset = 0; offset < bytes.byteLength; offset += UPLOAD_CHUNK_BYTES) {
      onProgress?.();
      yield bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
    }
  }
  return Readable.from(slices(), { objectMode: false, highWaterMark: UPLOAD_CHUNK_BYTES });
}
