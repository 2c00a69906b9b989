/**
 * Redaction: what the SDK shows of a request in errors, logs, reports and `inspect` output. The HMAC
 * signature, API tokens, proxy passwords and secret-bearing query parameters are replaced by
 * `[REDACTED]` (conventions.md 2.4 rule 4).
 */

/** A request as it may be shown to users: `Authorization` and other secrets are masked. */
export interface RedactedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Header values as they arrive from an HTTP stack: repeated headers may come as arrays. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** The input of the SDK's request redaction: a request that may still hold secrets. */
export interface RequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers?: HeaderValues | undefined;
}

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
