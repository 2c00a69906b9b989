/**
 * The error family of the SDK (decisions.md 1.3). Every error the SDK throws is one of these classes,
 * each with a stable `code`, `name` equal to the class name, and `cause` where there is one.
 *
 * Requests attached to errors are always redacted copies (see {@link redactRequest}): the HMAC
 * signature, API tokens, proxy passwords and secret-bearing query parameters never appear.
 */
import { STATUS_CODES } from 'node:http';

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
  | 'TC_INCOMPLETE';

/** A request as it may be shown to users: `Authorization` and other secrets are masked. */
export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Header values as they arrive from an HTTP stack: repeated headers may come as arrays. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** The input of {@link redactRequest}: a request that may still hold secrets. */
export interface RequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers?: HeaderValues | undefined;
}

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
}

interface BaseOptions {
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
  constructor(message = 'The operation was aborted', options: BaseOptions = {}) {
    super(message, { ...options, code: 'TC_ABORT' });
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
  readonly resultStart: number;
  readonly resultLimit: number;
}

/** A page window came back short, or failed, during retrieval. */
export class IncompleteResultError extends ThreatConnectError {
  static {
    defineName(this, 'IncompleteResultError');
  }
  readonly resultStart: number;
  readonly resultLimit: number;
  constructor(message: string, options: IncompleteResultErrorOptions) {
    super(message, { ...options, code: 'TC_INCOMPLETE' });
    this.resultStart = options.resultStart;
    this.resultLimit = options.resultLimit;
  }
}

// ---------------------------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------------------------

/** The marker that replaces every secret. */
export const REDACTED = '[REDACTED]';

/** Query parameters whose values are secrets (compared case-insensitively). */
const SECRET_QUERY_PARAMS = new Set([
  'expiredtoken',
  'token',
  'apitoken',
  'secretkey',
  'secret',
  'password',
  'signature',
  'authorization',
]);

/** True when a query parameter's value is a secret (`expiredToken`, `token`, `password`, …). */
export function isSecretParam(name: string): boolean {
  return SECRET_QUERY_PARAMS.has(name.toLowerCase());
}

/** Headers whose values are secrets (lower-case). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/**
 * Masks one header value if the header carries a secret:
 * `TC <id>:<signature>` → `TC <id>:[REDACTED]`, `TC-Token <t>` → `TC-Token [REDACTED]`,
 * `Basic <b64>` → `Basic [REDACTED]`, anything else → `[REDACTED]`.
 */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (!SECRET_HEADERS.has(lower)) return value;
  if (lower === 'authorization') {
    const hmac = /^TC\s+([^:\s]*):/.exec(value);
    if (hmac) return `TC ${hmac[1] ?? ''}:${REDACTED}`;
  }
  const scheme = /^(TC-Token|Basic|Bearer|Digest)\s/i.exec(value);
  if (scheme) return `${scheme[1] ?? ''} ${REDACTED}`;
  return REDACTED;
}

/** Redacts every header of a header map, joining repeated values with `, `. */
export function redactHeaders(headers: HeaderValues | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    out[name] = redactHeaderValue(name, value);
  }
  return out;
}

/**
 * Masks the password of a URL's user-info and the values of secret-bearing query parameters,
 * leaving every other byte as it was (so the text still matches what went on the wire).
 */
export function redactUrl(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]*):([^/?#@]*)@/i, `$1$2:${REDACTED}@`);
  const q = out.indexOf('?');
  if (q >= 0) {
    const hash = out.indexOf('#', q);
    const end = hash >= 0 ? hash : out.length;
    const query = out
      .slice(q + 1, end)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const rawKey = pair.slice(0, eq);
        let key = rawKey;
        try {
          key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
        } catch {
          // Keep the raw key when it is not valid percent-encoding.
        }
        return isSecretParam(key) ? `${rawKey}=${REDACTED}` : pair;
      })
      .join('&');
    out = `${out.slice(0, q + 1)}${query}${out.slice(end)}`;
  }
  return out;
}

/** A redacted copy of a request: `{ method, url, headers }` with every secret masked. */
export function redactRequest(request: RequestLike): RedactedRequest {
  return Object.freeze({
    method: request.method,
    url: redactUrl(request.url),
    headers: Object.freeze(redactHeaders(request.headers)),
  });
}

/**
 * Replaces every occurrence of the given secret strings in a text with `[REDACTED]`.
 * Empty secrets are ignored.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length === 0) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------------------------

/** Input of {@link errorFromResponse}. */
export interface ResponseErrorInput {
  readonly status: number;
  /** The response body (text or bytes). */
  readonly body?: string | Uint8Array | undefined;
  /** Response headers (names in any case). */
  readonly headers?: HeaderValues | undefined;
  /** The request; it is redacted before it is stored. */
  readonly request?: RequestLike | undefined;
  /** The Retry-After hint in ms, if the caller has parsed it already. */
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

function bodyText(body: string | Uint8Array | undefined): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/**
 * The message of a failure body: the `message` of a JSON failure envelope
 * (`{"status":"Failure","message":…}` or `/appAuth`'s `{"success":false,"message":…}`), else the
 * text of a plain-text body (first 500 characters), else `HTTP <status> <reason>`.
 */
export function failureMessage(status: number, body: string | Uint8Array | undefined): string {
  const text = bodyText(body).trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
        const message = parsed.message;
        if (typeof message === 'string' && message.length > 0) return message;
      }
    } catch {
      // Not JSON after all: fall through to the text.
    }
  } else if (text.length > 0 && !text.startsWith('<')) {
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  const reason = STATUS_CODES[status];
  return reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}`;
}

function lowerCaseHeaders(headers: HeaderValues | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    out[name.toLowerCase()] = redactHeaderValue(name, value);
  }
  return out;
}

/**
 * Picks the error class for an HTTP answer other than 200/201/202 from its status, with the
 * message from the failure envelope: 400 → BadRequestError, 401/403 → AuthenticationError,
 * 404 → NotFoundError, 407 → ProxyAuthError (a proxy answer, not the API's), 429 →
 * RateLimitError, 5xx → ServerError, any other → ApiError.
 */
export function errorFromResponse(input: ResponseErrorInput): ApiError | ProxyAuthError {
  const { status } = input;
  const message = failureMessage(status, input.body);
  const base = {
    status,
    body: bodyText(input.body),
    headers: lowerCaseHeaders(input.headers),
    request: input.request,
    ...('cause' in input ? { cause: input.cause } : {}),
  };
  if (status === 407) {
    return new ProxyAuthError(`Proxy authentication failed (407): ${message}`, {
      request: input.request,
      ...('cause' in input ? { cause: input.cause } : {}),
    });
  }
  if (status === 400) return new BadRequestError(message, base);
  if (status === 401 || status === 403) return new AuthenticationError(message, base);
  if (status === 404) return new NotFoundError(message, base);
  if (status === 429) return new RateLimitError(message, { ...base, retryAfterMs: input.retryAfterMs });
  if (status >= 500 && status <= 599) {
    return new ServerError(message, { ...base, retryAfterMs: input.retryAfterMs });
  }
  return new ApiError(message, base);
}
