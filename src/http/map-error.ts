/**
 * The mapping of undici (and socket) failures to the SDK's error family: the connection errors and
 * their `kind`, the two timeouts, a proxy's 407, and an abort.
 */
import {
  AbortError,
  ConnectionError,
  type ConnectionErrorKind,
  ProxyAuthError,
  TimeoutError,
} from '../core/errors.js';
import { type RequestLike } from '../core/redact.js';

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_OSSL_)/;

interface ErrorLike {
  code?: string;
  name?: string;
  message?: string;
  cause?: unknown;
}

function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    chain.push(current);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

/**
 * Maps an undici (or socket) failure to the SDK's error family.
 * `phase` tells whether the response headers had arrived (a failure after them is an early end of body).
 */
export function mapTransportError(
  error: unknown,
  request: RequestLike,
  phase: 'connect' | 'response' | 'body',
  timeoutMs: number,
  signal?: AbortSignal,
): Error {
  if (signal?.aborted === true) return AbortError.fromSignal(signal);
  const chain = errorChain(error);
  const codes = chain.map((e) => e.code ?? '');
  const messages = chain.map((e) => e.message ?? '').join(' | ');
  const redacted = { request, cause: error };
  if (/Proxy response \(407\)|Proxy Authentication Required|\(407\)/.test(messages)) {
    return new ProxyAuthError(
      'The proxy refused the credentials (407 Proxy Authentication Required)',
      redacted,
    );
  }
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT')) {
    return new TimeoutError(`Connect timeout after ${timeoutMs} ms`, {
      ...redacted,
      phase: 'connect',
      timeoutMs,
    });
  }
  if (codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT')) {
    return new TimeoutError(`No data from the server for ${timeoutMs} ms`, {
      ...redacted,
      phase: 'idle',
      timeoutMs,
    });
  }
  let kind: ConnectionErrorKind = phase === 'body' ? 'early-end' : 'other';
  let what = 'The connection failed';
  if (codes.includes('ECONNREFUSED')) {
    kind = 'refused';
    what = 'The connection was refused';
  } else if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN')) {
    kind = 'dns';
    what = 'The host name could not be resolved';
  } else if (codes.some((c) => TLS_CODES.test(c))) {
    kind = 'tls';
    what = 'The TLS handshake failed';
  } else if (phase === 'body' || codes.includes('UND_ERR_RES_CONTENT_LENGTH_MISMATCH')) {
    kind = 'early-end';
    what = 'The response body ended early';
  } else if (codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE')) {
    kind = 'reset';
    what = 'The connection was reset before the response';
  }
  const detail = chain.find((e) => e.message)?.message;
  return new ConnectionError(detail === undefined ? what : `${what}: ${detail}`, { ...redacted, kind });
}
