/**
 * The one factory that picks the error class for an HTTP answer (conventions.md 2.4 rule 3), and the
 * failure message it reads from the answer's body.
 */
import { STATUS_CODES } from 'node:http';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  ProxyAuthError,
  RateLimitError,
  ServerError,
} from './errors.js';
import { type HeaderValues, type RequestLike, redactHeaderValue } from './redact.js';

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
