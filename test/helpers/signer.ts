/**
 * A small HMAC signer for tests, written apart from both the SDK's signer and the sandbox's check
 * (rest-api-v2.md 2.1), plus a minimal signed HTTP client over node:http.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** base64(HMAC-SHA256(secretKey, `<pathAndQuery>:<method>:<timestamp>`)), the signature of rest-api-v2.md 2.1. */
export function signature(
  secretKey: string,
  method: string,
  pathAndQuery: string,
  timestamp: number,
): string {
  return createHmac('sha256', secretKey).update(`${pathAndQuery}:${method}:${timestamp}`).digest('base64');
}

/** The `Timestamp` and `Authorization` headers of a request signed with HMAC. */
export function signHeaders(
  accessId: string,
  secretKey: string,
  method: string,
  pathAndQuery: string,
  timestamp: number,
): Record<string, string> {
  return {
    Timestamp: String(timestamp),
    Authorization: `TC ${accessId}:${signature(secretKey, method, pathAndQuery, timestamp)}`,
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => unknown;
}

export interface CallOptions {
  body?: string | Buffer | undefined;
  contentType?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** Seconds; defaults to now. */
  timestamp?: number | undefined;
  /** Override credentials. */
  accessId?: string | undefined;
  secretKey?: string | undefined;
  /** Do not sign at all. */
  unsigned?: boolean | undefined;
  ca?: string | undefined;
}

export interface Target {
  baseUrl: string;
  accessId: string;
  secretKey: string;
  caCertificate?: string | undefined;
}

/** Reads a whole response into a {@link RawResponse}. */
function collect(
  res: http.IncomingMessage,
  resolve: (response: RawResponse) => void,
  reject: (error: Error) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('error', reject);
  res.on('end', () => {
    const buffer = Buffer.concat(chunks);
    const text = buffer.toString('utf8');
    resolve({
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: buffer,
      text,
      json: () => JSON.parse(text) as unknown,
    });
  });
}

/** Sends one signed request. `pathAndQuery` is appended to the base URL's path verbatim (e.g. `/v2/owners`). */
export function call(
  target: Target,
  method: string,
  pathAndQuery: string,
  options: CallOptions = {},
): Promise<RawResponse> {
  const base = new URL(target.baseUrl);
  const wirePath = base.pathname.replace(/\/$/, '') + pathAndQuery;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    ...(options.unsigned === true
      ? {}
      : signHeaders(
          options.accessId ?? target.accessId,
          options.secretKey ?? target.secretKey,
          method,
          wirePath,
          timestamp,
        )),
    ...options.headers,
  };
  const body =
    options.body === undefined
      ? undefined
      : Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(options.body);
  if (body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(body.length);
  }
  const transport = base.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path: wirePath,
        headers,
        agent: false,
        ca: options.ca ?? target.caCertificate,
      },
      (res) => {
        collect(res, resolve, reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A signed JSON request whose body goes out only after `during()` has finished: it sends
 * `Expect: 100-continue`, Node answers `100 Continue` just before the sandbox runs the handler, which
 * then waits for the body while `during()` (another request) runs.
 */
export function callWithBodyAfter(
  target: Target,
  method: string,
  pathAndQuery: string,
  body: unknown,
  during: () => Promise<void>,
): Promise<RawResponse> {
  const base = new URL(target.baseUrl);
  const path = `${base.pathname}${pathAndQuery}`;
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = {
    ...signHeaders(target.accessId, target.secretKey, method, path, Math.floor(Date.now() / 1000)),
    'Content-Type': 'application/json',
    'Content-Length': String(bytes.length),
    Expect: '100-continue',
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, headers, agent: false },
      (res) => {
        collect(res, resolve, reject);
      },
    );
    req.on('error', reject);
    req.on('continue', () => {
      during().then(() => req.end(bytes), reject);
    });
  });
}
