/**
 * The ThreatConnect HMAC signer (rest-api-v2.md 2.1), pure: no clock, no I/O.
 *
 * `Authorization: TC <accessId>:<base64(HMAC-SHA256(secretKey, "<pathAndQuery>:<METHOD>:<timestamp>"))>`
 * where `pathAndQuery` is the request target exactly as sent (base path prefix such as `/api`
 * included, query in wire order and encoding), and `Timestamp` is epoch seconds.
 */
import { createHmac } from 'node:crypto';

/** Input of {@link signHmac}. */
export interface HmacSignInput {
  readonly accessId: string;
  readonly secretKey: string;
  readonly method: string;
  /** The request target exactly as it goes on the wire: path (with `/api`) plus `?query` if any. */
  readonly pathAndQuery: string;
  /** Epoch seconds; a fraction is dropped. */
  readonly timestampSec: number;
}

/** The two headers of HMAC authentication. */
export interface HmacHeaders {
  readonly Timestamp: string;
  readonly Authorization: string;
}

/** The string that is signed: `<pathAndQuery>:<METHOD>:<timestamp>`. */
export function hmacMessage(pathAndQuery: string, method: string, timestampSec: number): string {
  return `${pathAndQuery}:${method.toUpperCase()}:${Math.floor(timestampSec)}`;
}

/** Signs one request: returns its `Timestamp` and `Authorization` headers. */
export function signHmac(input: HmacSignInput): HmacHeaders {
  const timestamp = Math.floor(input.timestampSec);
  const signature = createHmac('sha256', input.secretKey)
    .update(hmacMessage(input.pathAndQuery, input.method, timestamp), 'utf8')
    .digest('base64');
  return { Timestamp: String(timestamp), Authorization: `TC ${input.accessId}:${signature}` };
}
