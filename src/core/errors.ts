/**
 * The error family of the SDK (decisions.md 1.3). Every error the SDK throws is one of these classes,
 * each with a stable `code`, `name` equal to the class name, and `cause` where there is one.
 *
 * Requests attached to errors are always redacted copies (see {@link redactRequest}): the HMAC
 * signature, API tokens, proxy passwords and secret-bearing query parameters never appear.
 */
import { type RedactedRequest, type RequestLike, redactRequest } from './redact.js';

/** Stable machine-readable codes, one per class. */
export type ErrorCode =
  | 'TC_ERROR'
  | 'TC_CONFIG'
  | 'TC_VALIDATION'
  | 'TC_API'
  | 'TC_BAD_REQUEST'
  | 'TC_AUTH'
  | 'TC_NOT_FOUND'
  | 'TC_RATE_LIMIT'
  | 'TC_SERVER'
  | 'TC_CONNECTION'
  | 'TC_TIMEOUT'
  | 'TC_PROXY_AUTH'
  | 'TC_ABORT'
  | 'TC_RETRY_EXHAUSTED'
  | 'TC_INCOMPLETE'
  | 'TC_CLOSED'
  | 'TC_INVALID_RESPONSE';

/** What the SDK knows about one attempt of a logical call (decisions.md 1.5). */
export interface AttemptRecord {
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Milliseconds waited before this attempt (0 for the first). */
  readonly delayMs: number;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number;
  /** The failure, when the attempt got no HTTP answer. */
  readonly error?: ThreatConnectError;
  /** Milliseconds from sending to the end of the answer (or the failure). */
  readonly durationMs?: number;
  /** `tokenRenewal` for a `GET /appAuth` made on the call's behalf; absent for the call's own request. */
  readonly purpose?: 'tokenRenewal';
}

/** Options every SDK error takes. */
export interface BaseOptions {
  readonly cause?: unknown;
  readonly request?: RequestLike | undefined;
}

function defineName(ctor: { prototype: Error }, name: string): void {
  // On the prototype and non-enumerable, like Error.prototype.name, so inspect output stays clean.
  Object.defineProperty(ctor.prototype, 'name', { value: name, writable: true, configurable: true });
}

/** Base class of every SDK error. */
export class ThreatConnectError extends Error {
  static {
    defineName(this, 'ThreatConnectError');
  }
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Redacted copy of the request that failed, when the error concerns one. */
  readonly request: RedactedRequest | undefined;

  constructor(message: string, options: BaseOptions & { readonly code?: ErrorCode } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = options.code ?? 'TC_ERROR';
    this.request = options.request === undefined ? undefined : redactRequest(options.request);
  }
}

/** A bad option, setter value, credential or config file. */
export class ConfigError extends ThreatConnectError {
  static {
    defineName(this, 'ConfigError');
  }
  constructor(message: string, options: BaseOptions = {}) {
    super(message, { ...options, code: 'TC_CONFIG' });
  }
}

/** A bad value given to an SDK object before any request was made. */
export class ValidationError extends ThreatConnectError {
  static {
    defineName(this, 'ValidationError');
  }
  constructor(message: string, options: BaseOptions = {}) {
    super(message, { ...options, code: 'TC_VALIDATION' });
  }
}

/** Options of {@link ApiError} and its subclasses. */
export interface ApiErrorOptions extends BaseOptions {
  readonly status: number;
  /** The response body as text. */
  readonly body?: string | undefined;
  /** The response headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** An HTTP answer other than 200, 201 or 202. */
export class ApiError extends ThreatConnectError {
  static {
    defineName(this, 'ApiError');
  }
  /** HTTP status code. */
  readonly status: number;
  /** Response body as text ('' when there was none). */
  readonly body: string;
  /** Response headers with lower-case names. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, options: ApiErrorOptions, code: ErrorCode = 'TC_API') {
    super(message, { ...options, code });
    this.status = options.status;
    this.body = options.body ?? '';
    this.headers = options.headers ?? {};
  }
}

/** HTTP 400. */
export class BadRequestError extends ApiError {
  static {
    defineName(this, 'BadRequestError');
  }
  constructor(message: string, options: ApiErrorOptions) {
    super(message, options, 'TC_BAD_REQUEST');
  }
}

/** HTTP 401 or 403; `status` tells which. */
export class AuthenticationError extends ApiError {
  static {
    defineName(this, 'AuthenticationError');
  }
  constructor(message: string, options: ApiErrorOptions) {
    super(message, options, 'TC_AUTH');
  }
}

/** HTTP 404. */
export class NotFoundError extends ApiError {
  static {
    defineName(this, 'NotFoundError');
  }
  constructor(message: string, options: ApiErrorOptions) {
    super(message, options, 'TC_NOT_FOUND');
  }
}

/** Options of the errors that may carry a Retry-After hint. */
export interface RetryHintOptions extends ApiErrorOptions {
  /** The server's Retry-After, in milliseconds, when it sent a valid one. */
  readonly retryAfterMs?: number | undefined;
}

/** HTTP 429. */
export class RateLimitError extends ApiError {
  static {
    defineName(this, 'RateLimitError');
  }
  /** The server's Retry-After hint in milliseconds, if any. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RetryHintOptions) {
    super(message, options, 'TC_RATE_LIMIT');
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** HTTP 5xx. For a 503 the server's Retry-After hint is kept in `retryAfterMs`. */
export class ServerError extends ApiError {
  static {
    defineName(this, 'ServerError');
  }
  /** The server's Retry-After hint in milliseconds, if any. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RetryHintOptions) {
    super(message, options, 'TC_SERVER');
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * What went wrong on the connection. The retry policy (decisions.md 1.6) tells "nothing was sent"
 * (`refused`, `dns`, a connect timeout) from "the server may have processed it" (`reset`,
 * `early-end`, an idle timeout, `other`).
 */
export type ConnectionErrorKind =
  | 'refused'
  | 'dns'
  | 'reset'
  | 'early-end'
  | 'tls'
  | 'timeout'
  | 'proxy-auth'
  | 'other';

/** Options of {@link ConnectionError}. */
export interface ConnectionErrorOptions extends BaseOptions {
  readonly kind: ConnectionErrorKind;
}

/** Refused, reset, DNS, TLS, or a body that ended early. */
export class ConnectionError extends ThreatConnectError {
  static {
    defineName(this, 'ConnectionError');
  }
  /** Which connection failure this was. */
  readonly kind: ConnectionErrorKind;
  constructor(message: string, options: ConnectionErrorOptions, code: ErrorCode = 'TC_CONNECTION') {
    super(message, { ...options, code });
    this.kind = options.kind;
  }
}

/** `connect`: no connection within the timeout (nothing was sent); `idle`: no bytes within it. */
export type TimeoutPhase = 'connect' | 'idle';

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorOptions extends BaseOptions {
  readonly phase: TimeoutPhase;
  readonly timeoutMs?: number | undefined;
}

/** A connect or idle timeout. */
export class TimeoutError extends ConnectionError {
  static {
    defineName(this, 'TimeoutError');
  }
  /** Which timeout fired. */
  readonly phase: TimeoutPhase;
  /** The timeout that fired, in milliseconds, when known. */
  readonly timeoutMs: number | undefined;
  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, { ...options, kind: 'timeout' }, 'TC_TIMEOUT');
    this.phase = options.phase;
    this.timeoutMs = options.timeoutMs;
  }
}

/** The proxy answered 407. Never retried. */
export class ProxyAuthError extends ConnectionError {
  static {
    defineName(this, 'ProxyAuthError');
  }
  constructor(message: string, options: BaseOptions = {}) {
    super(message, { ...options, kind: 'proxy-auth' }, 'TC_PROXY_AUTH');
  }
}

/** The caller's AbortSignal fired. `cause` is the signal's reason. */
export class AbortError extends ThreatConnectError {
  static {
    defineName(this, 'AbortError');
  }
  constructor(
    message = 'The operation was aborted',
    options: BaseOptions = {},
    code: ErrorCode = 'TC_ABORT',
  ) {
    super(message, { ...options, code });
  }

  /** An AbortError for a fired signal, keeping the signal's reason as `cause`. */
  static fromSignal(signal: AbortSignal): AbortError {
    const reason: unknown = signal.reason;
    const detail = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
    return new AbortError(`The operation was aborted${detail}`, { cause: reason });
  }
}

/** Throws {@link AbortError} when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw AbortError.fromSignal(signal);
}

/** Options of {@link RetryExhaustedError}. */
export interface RetryExhaustedErrorOptions extends BaseOptions {
  readonly attempts: readonly AttemptRecord[];
}

/** Retries ran out after at least one retry. `cause` is the last error. */
export class RetryExhaustedError extends ThreatConnectError {
  static {
    defineName(this, 'RetryExhaustedError');
  }
  /** Every attempt, in order, with its status or error. */
  readonly attempts: readonly AttemptRecord[];
  constructor(message: string, options: RetryExhaustedErrorOptions) {
    super(message, { ...options, code: 'TC_RETRY_EXHAUSTED' });
    this.attempts = Object.freeze([...options.attempts]);
  }
}

/** Options of {@link IncompleteResultError}. */
export interface IncompleteResultErrorOptions extends BaseOptions {
  /** Offset of the page window that came back short or failed. */
  readonly resultStart: number;
  /** Size of that page window. */
  readonly resultLimit: number;
}

/** A page window came back short, or failed, during retrieval. */
export class IncompleteResultError extends ThreatConnectError {
  static {
    defineName(this, 'IncompleteResultError');
  }
  /** Offset of the page window that came back short or failed. */
  readonly resultStart: number;
  /** Size of that page window. */
  readonly resultLimit: number;
  constructor(message: string, options: IncompleteResultErrorOptions) {
    super(message, { ...options, code: 'TC_INCOMPLETE' });
    this.resultStart = options.resultStart;
    this.resultLimit = options.resultLimit;
  }
}

/**
 * The client was closed (`close()`, or `await using` leaving its scope) before or during the call. An
 * {@link AbortError}: the call was aborted, by the client's close rather than the caller's signal.
 */
export class ClientClosedError extends AbortError {
  static {
    defineName(this, 'ClientClosedError');
  }
  constructor(message = 'This client has been closed', options: BaseOptions = {}) {
    super(message, options, 'TC_CLOSED');
  }
}

/** Options of {@link InvalidResponseError}. */
export interface InvalidResponseErrorOptions extends BaseOptions {
  /** HTTP status of the answer. */
  readonly status: number;
  /** The answer's `Content-Type`, when it had one. */
  readonly contentType?: string | undefined;
}

/** An answer the SDK cannot read: a body that is not JSON, or JSON without the expected envelope. */
export class InvalidResponseError extends ThreatConnectError {
  static {
    defineName(this, 'InvalidResponseError');
  }
  readonly status: number;
  readonly contentType: string | undefined;
  constructor(message: string, options: InvalidResponseErrorOptions) {
    super(message, { ...options, code: 'TC_INVALID_RESPONSE' });
    this.status = options.status;
    this.contentType = options.contentType;
  }
}
