/**
 * Building the request target exactly as the original SDK put it on the wire
 * (python-sdk-observed.md 3.1, 3.2): base path + request URI + `?` + the form-encoded parameters,
 * `createActivityLog` first, the others in the order they were set. This string is both signed and
 * sent (conventions rule 6); nothing re-encodes it afterwards.
 */

import { ValidationError } from './errors.js';

const ALWAYS_SAFE = /[A-Za-z0-9_.~-]/;
/** A value made only of safe characters, as most parameters are (`500`, `false`, `Example_Org`). */
const ALL_SAFE = /^[A-Za-z0-9_.~-]*$/;

function percentEncode(value: string, spaceAsPlus: boolean): string {
  // Every request encodes each parameter's key and value; most have nothing to encode.
  if (ALL_SAFE.test(value)) return value;
  let out = '';
  for (const ch of value) {
    if (ch.length === 1 && ALWAYS_SAFE.test(ch)) {
      out += ch;
    } else if (ch === ' ' && spaceAsPlus) {
      out += '+';
    } else {
      // UTF-8 bytes; a lone surrogate becomes U+FFFD, as TextEncoder does.
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * Python `urllib.parse.quote_plus(value, safe='')`, as `urlencode` uses it: letters, digits and
 * `_.-~` are kept, space becomes `+`, everything else `%XX` (UTF-8, upper-case hex).
 */
export function formEncode(value: string): string {
  return percentEncode(value, true);
}

/**
 * Python `urllib.parse.quote(value, safe='~')`, for a value inside a parameter (the `filters`
 * expression): only letters, digits and `_.-~` are kept; `/` → `%2F`, space → `%20`.
 */
export function quoteValue(value: string): string {
  return percentEncode(value, false);
}

/**
 * {@link quoteValue} for one path segment built from a name (tag, label, indicator value).
 * @throws {ValidationError} for `.` and `..`, which no encoding can send as a name: URL parsers (the
 * WHATWG one, undici's, a server's) resolve them as dot segments, `%2e` included, so the request
 * would reach another resource (`/v2/tags/../indicators` is `/v2/indicators`: every indicator).
 */
export function quotePathSegment(value: string): string {
  checkPathSegment(value);
  return percentEncode(value, false);
}

/** Throws for a name that cannot be one path segment (see {@link quotePathSegment}). */
export function checkPathSegment(value: string, label = 'a name'): void {
  if (value === '.' || value === '..') {
    throw new ValidationError(
      `${JSON.stringify(value)} cannot be ${label} in a request path: URL parsers read "." and ".." as dot segments, so the request would reach another resource`,
    );
  }
}

/** `k=v&k2=v2`, form-encoded, in the given order. */
export function buildQuery(params: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [key, value] of params) parts.push(`${formEncode(key)}=${formEncode(value)}`);
  return parts.join('&');
}

/**
 * The parameters in wire order: `createActivityLog` first (when present), then the rest in the
 * given order. With `activityLog: true` the value is `true` whatever the request object holds, and
 * the parameter is added if it was missing (as the original's `api_request` did).
 */
export function wireParams(
  params: Iterable<readonly [string, string]>,
  activityLog = false,
): (readonly [string, string])[] {
  let activity: string | undefined = activityLog ? 'true' : undefined;
  const rest: (readonly [string, string])[] = [];
  for (const [key, value] of params) {
    if (key === 'createActivityLog') activity = activityLog ? 'true' : value;
    else rest.push([key, value]);
  }
  return activity === undefined ? rest : [['createActivityLog', activity], ...rest];
}

/** Input of {@link buildPathAndQuery}. */
export interface PathAndQueryInput {
  /** The base URL's path, e.g. `/api` (no trailing `/`), or `''`. */
  readonly basePath: string;
  /** The request URI, e.g. `/v2/indicators`; it may hold a query of its own. */
  readonly requestUri: string;
  readonly params?: Iterable<readonly [string, string]> | undefined;
  /** The client's `activityLog` setting. */
  readonly activityLog?: boolean | undefined;
}

/**
 * The exact request target: `/api/v2/indicators?createActivityLog=false&owner=Example+Community`.
 * With no parameters there is no `?`; when the request URI already has a query, the parameters
 * follow it after `&`, as requests did.
 */
export function buildPathAndQuery(input: PathAndQueryInput): string {
  const base = input.basePath.replace(/\/+$/, '');
  const path = `${base}${input.requestUri}`;
  const query = buildQuery(wireParams(input.params ?? [], input.activityLog ?? false));
  if (query.length === 0) return path;
  return path.includes('?') ? `${path}&${query}` : `${path}?${query}`;
}

/** Splits a base URL into its origin (`https://host:port`) and its path (`/api`, or `''`). */
export function splitBaseUrl(baseUrl: string): { readonly origin: string; readonly basePath: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

// No `'`: the WHATWG parser percent-encodes it in a query (special-query set), though not in a path.
const SAFE_TARGET = /^\/[A-Za-z0-9\-._~%!$&()*+,;=:@/?]*$/;
// `.` and `..` segments, also written as `%2e` (the parser resolves both), and an empty final query.
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:[/?]|$)|\?$/i;

/**
 * The path and query exactly as undici puts them on the wire. undici parses the URL with the WHATWG
 * parser, which percent-encodes some characters (non-ASCII, `{`, `}`, `"`, ...) and resolves `.` and
 * `..` segments; signing that form keeps the signed string equal to the request target.
 */
export function wireTarget(origin: string, pathAndQuery: string): string {
  // Fast path: nothing the parser would change (no dot segments, backslashes or characters it encodes).
  if (SAFE_TARGET.test(pathAndQuery) && !DOT_SEGMENT.test(pathAndQuery)) return pathAndQuery;
  const url = new URL(origin + pathAndQuery);
  return url.pathname + url.search;
}
