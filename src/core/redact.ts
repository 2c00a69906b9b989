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

/** Names (lower-case, letters and digits only) whose values are secrets wherever they appear. */
const SECRET_NAMES = new Set([
  'expiredtoken',
  'token',
  'apitoken',
  'secretkey',
  'secret',
  'password',
  'passwd',
  'pwd',
  'signature',
  'sig',
  'authorization',
  'auth',
  'apikey',
  'credential',
  'credentials',
  'cookie',
  'setcookie',
]);

/**
 * Endings that make a name secret (`access_token`, `api-token`, `X-Auth-Token`, `client_secret`,
 * `apiSecretKey`, `proxyPassword`, `x-api-key`, `X-Amz-Signature`, `Proxy-Authorization`), compared on the lower-case name
 * with everything but letters and digits removed. `apiTokenExpires` and `tokenType` do not end so.
 */
const SECRET_NAME_ENDINGS =
  /(token|secret|secretkey|password|passwd|apikey|signature|credentials?|authorization)$/;

/**
 * True when a name (a query parameter, a header, a log field) holds a secret. Case, `_`, `-` and `.`
 * do not matter: `expiredToken`, `TOKEN`, `access_token`, `api-key` and `Secret_Key` are all secret.
 */
export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAMES.has(normalized) || SECRET_NAME_ENDINGS.test(normalized);
}

/** True when a query parameter's value is a secret (`expiredToken`, `token`, `access_token`, …). */
export function isSecretParam(name: string): boolean {
  return isSecretName(name);
}

/** Headers whose values are secrets besides those {@link isSecretName} finds (lower-case). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/**
 * True when a header carries a secret, whatever the case of its name: `Authorization`,
 * `Proxy-Authorization`, cookies, and any name {@link isSecretName} finds (`X-Auth-Token`, `X-Api-Key`).
 */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase()) || isSecretName(name);
}

/**
 * Masks one header value if the header carries a secret:
 * `TC <id>:<signature>` → `TC <id>:[REDACTED]`, `TC-Token <t>` → `TC-Token [REDACTED]`,
 * `Basic <b64>` → `Basic [REDACTED]`, anything else → `[REDACTED]`.
 */
export function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (!isSecretHeader(lower)) return value;
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
  // The user-info ends at the last `@` of the authority (a password may hold an unencoded `@`), as
  // URL parsers read it; the user name stays, everything after its first `:` is masked.
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#\\:]*):([^/?#\\]*)@/i, `$1$2:${REDACTED}@`);
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
 * The secrets to look for in texts: those of at least `minLength` characters, longest first, so that
 * a shorter secret inside a longer one does not leave the rest of the longer one shown.
 */
export function secretsToMask(secrets: Iterable<string | undefined>, minLength = 1): string[] {
  return [...secrets]
    .filter((s): s is string => s !== undefined && s.length >= minLength)
    .sort((a, b) => b.length - a.length);
}

/**
 * Replaces every occurrence of the given secret strings in a text with `[REDACTED]`, in the order
 * given (see {@link secretsToMask}). Empty secrets are ignored. With `whole`, only occurrences that are
 * not part of a longer word: a secret `secret` leaves `secretKey` alone.
 */
export function redactSecrets(
  text: string,
  secrets: Iterable<string | undefined>,
  options: { readonly whole?: boolean } = {},
): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length === 0) continue;
    if (options.whole === true) {
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g'), REDACTED);
    } else {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out;
}

/** `name=value` pairs of a query string inside free text, after `?`, `&` or `;`. */
const TEXT_QUERY_PAIR = /([?&;])([^=&?#;\s"'<>]+)=([^&#;\s"'<>]*)/g;

/**
 * Masks the secrets a free text (a log message, an error line) may hold without the SDK knowing
 * their values: secret query parameters of the URLs in it ({@link isSecretParam}), the password of a
 * URL's user-info, `TC-Token <token>`, the signature of `TC <id>:<signature>`, and the credentials of
 * an `Authorization: Basic|Bearer|Digest …` header written out.
 */
export function redactText(text: string): string {
  let out = text.replace(TEXT_QUERY_PAIR, (whole, sep: string, rawKey: string) => {
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      // Keep the raw key when it is not valid percent-encoding.
    }
    return isSecretParam(key) ? `${sep}${rawKey}=${REDACTED}` : whole;
  });
  out = out.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#\\:\s@]*(?:@[^/?#\\:\s@]*)*):([^/?#\\\s]*)@/gi,
    `$1$2:${REDACTED}@`,
  );
  out = out.replace(/\bTC-Token\s+(?!\[REDACTED\])[^\s"',;)]+/g, `TC-Token ${REDACTED}`);
  out = out.replace(/\bTC\s+([^\s:"']+):(?!\[REDACTED\])[A-Za-z0-9+/]{16,}={0,2}/g, `TC $1:${REDACTED}`);
  out = out.replace(
    /(authorization["']?\s*[:=]\s*["']?)(Basic|Bearer|Digest)\s+(?!\[REDACTED\])[^\s"',;]+/gi,
    `$1$2 ${REDACTED}`,
  );
  return out;
}
