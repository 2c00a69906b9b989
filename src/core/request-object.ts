/**
 * `RequestObject`: the original SDK's manual request description (sdk-behaviour.md 4), with its
 * setters in camelCase, the matching getters, and `toString()` / `util.inspect` laid out like the
 * original's `print(ro)` (python-sdk-observed.md 4.3). Secrets in headers are never shown.
 *
 * Differences from the original, on purpose:
 * - `setBody` sets `Content-Length` to the byte length (the original counted characters);
 * - `addPayload` stringifies with JavaScript's `String()` (`true` → `'true'`; Python gave `'True'`);
 * - the client does not write `Timestamp`/`Authorization` into the object when it sends it.
 */
import { inspect } from 'node:util';
import { describeValue, isDate } from './validators.js';
import { isResourceType, type ResourceType, resourceTypeName } from './enums.js';
import { isSecretParam, REDACTED, redactHeaderValue, redactUrl } from './redact.js';
import { ValidationError } from './errors.js';
import { heading, pyStr, row, titleBar } from './py-text.js';
import { buildPathAndQuery, wireParams } from './url.js';

/** An HTTP method a request object takes: the methods the original accepted. */
export type HttpMethod = 'DELETE' | 'GET' | 'POST' | 'PUT';
/** The values of {@link HttpMethod}, in the order error messages list them. */
export const HTTP_METHODS: readonly HttpMethod[] = ['DELETE', 'GET', 'POST', 'PUT'];

/** A request body: text or bytes. */
export type RequestBody = string | Uint8Array;

/** `fn(status)`, called by the client for a failing status (kept for porting; optional to use). */
export type FailureCallback = (status: number) => void;
/** `fn(ro, response)`, called by the client on success. */
export type SuccessCallback = (ro: RequestObject, response: unknown) => void;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_HEADER_VALUE = /[\r\n\0]/;

function fail(label: string, expected: string, value: unknown): never {
  throw new ValidationError(`${label} must be ${expected}, got ${describeValue(value)}`);
}

function checkBoolean(value: unknown, label: string): boolean {
  if (typeof value !== 'boolean') fail(label, 'a boolean', value);
  return value;
}

function checkInteger(value: unknown, label: string, min?: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    fail(label, min === undefined ? 'an integer' : `an integer >= ${min}`, value);
  }
  return value;
}

function stringify(value: unknown, label: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return fail(label, 'a string, number or boolean', value);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Whether a Date can be sent as `YYYY-MM-DDTHH:MM:SSZ`: a valid time in the years 0 to 9999 (beyond
 * them, `toISOString()` writes `+010000-…` or `-000001-…`, which is no such date).
 */
export function isSendableDate(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (no milliseconds), as decisions.md 1.7 sends a Date; see {@link isSendableDate}. */
export function formatModifiedSince(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Python `str.format(*values)` for positional fields: `{}` (automatic numbering), `{0}`, and the
 * escapes `{{` / `}}`.
 */
export function formatUriTemplate(template: string, values: readonly unknown[]): string {
  let auto = 0;
  let mode: 'auto' | 'manual' | undefined;
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (match, field: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (field === undefined) {
      throw new ValidationError(
        `\`requestUri\` template has an unmatched "${match}": ${JSON.stringify(template)}`,
      );
    }
    let index: number;
    if (field === '') {
      if (mode === 'manual') {
        throw new ValidationError('`requestUri` template mixes "{}" and numbered fields');
      }
      mode = 'auto';
      index = auto++;
    } else if (/^\d+$/.test(field)) {
      if (mode === 'auto') {
        throw new ValidationError('`requestUri` template mixes "{}" and numbered fields');
      }
      mode = 'manual';
      index = Number(field);
    } else {
      throw new ValidationError(
        `\`requestUri\` template field {${field}} must be {} or a number such as {0}`,
      );
    }
    if (index >= values.length) {
      throw new ValidationError(
        `\`requestUri\` template field ${match} has no value (${values.length} value${values.length === 1 ? '' : 's'} given)`,
      );
    }
    return stringify(values[index], `\`requestUri\` value ${index}`);
  });
}

/** A manual API request, as the original SDK's `RequestObject`. */
export class RequestObject {
  #body: RequestBody | undefined;
  #contentType: string | undefined;
  #description: string | undefined;
  #headers = new Map<string, { name: string; value: string }>();
  #httpMethod: HttpMethod = 'GET';
  #owner: string | undefined;
  #ownerAllowed = true;
  #payload = new Map<string, string>([['createActivityLog', 'false']]);
  #pathUrl: string | undefined;
  #remainingResults = 1;
  #requestUri: string | undefined;
  #resourcePagination = true;
  #resourceType: ResourceType | undefined;
  #resultLimit = 0;
  #resultStart = 0;
  #stream = false;
  #countsAsApiFilter = false;
  #failureCallback: FailureCallback | undefined;
  #successCallback: SuccessCallback | undefined;

  // --- setters (the original's names in camelCase) ------------------------------------------

  /**
   * Adds (or replaces, whatever the case of the name) a header; the value is stringified. A
   * `Timestamp` or `Authorization` header set here is printed with the request object, but the
   * client's own, made for each attempt, are the ones sent.
   */
  addHeader(key: string, value: string | number | boolean): this {
    if (typeof key !== 'string' || !HEADER_NAME.test(key)) fail('header name', 'an HTTP token', key);
    const text = stringify(value, `header \`${key}\``);
    if (BAD_HEADER_VALUE.test(text)) {
      throw new ValidationError(`header \`${key}\` must not contain CR, LF or NUL characters`);
    }
    const lower = key.toLowerCase();
    const existing = this.#headers.get(lower);
    // Replace in place, as a Python dict update keeps the key's position.
    this.#headers.set(lower, { name: existing?.name ?? key, value: text });
    return this;
  }

  /** Adds (or replaces) a query parameter; the value is stringified. */
  addPayload(key: string, value: string | number | boolean): this {
    if (typeof key !== 'string' || key.length === 0) fail('payload key', 'a non-empty string', key);
    this.#payload.set(key, stringify(value, `payload \`${key}\``));
    return this;
  }

  /** Removes every query parameter, `createActivityLog` included. */
  emptyPayload(): this {
    this.#payload.clear();
    return this;
  }

  /** Sets `createActivityLog=true` on this request. */
  enableActivityLog(): this {
    this.#payload.set('createActivityLog', 'true');
    return this;
  }

  /** Marks the request as a filter retrieval, counted as an API filter in the report. */
  enableTrack(): this {
    this.#countsAsApiFilter = true;
    return this;
  }

  /** Sets the body (text or bytes) and its `Content-Length` in bytes. The object keeps a reference to bytes. */
  setBody(body: RequestBody): this {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      fail('`body`', 'a string, Buffer or Uint8Array', body);
    }
    this.#body = body;
    this.addHeader(
      'Content-Length',
      typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength,
    );
    return this;
  }

  /** Sets the content type and the `Content-Type` header. */
  setContentType(contentType: string): this {
    if (typeof contentType !== 'string' || contentType.trim().length === 0) {
      fail('`contentType`', 'a non-empty string', contentType);
    }
    this.addHeader('Content-Type', contentType);
    this.#contentType = contentType;
    return this;
  }

  /** A description of the request, shown in the report. */
  setDescription(description: string): this {
    if (typeof description !== 'string') fail('`description`', 'a string', description);
    this.#description = description;
    return this;
  }

  /**
   * Sets the method (upper-cased; DELETE, GET, POST or PUT). For POST and PUT without a content
   * type, adds the header `Content-Type: application/json` (the `contentType` field stays unset).
   */
  setHttpMethod(method: string): this {
    const upper = typeof method === 'string' ? method.toUpperCase() : undefined;
    const valid = HTTP_METHODS.find((m) => m === upper);
    if (valid === undefined) fail('`httpMethod`', `one of ${HTTP_METHODS.join(', ')}`, method);
    this.#httpMethod = valid;
    if (this.#contentType === undefined && (valid === 'POST' || valid === 'PUT')) {
      this.addHeader('Content-Type', 'application/json');
    }
    return this;
  }

  /** `modifiedSince` as given, or a Date as `YYYY-MM-DDTHH:MM:SSZ`. */
  setModifiedSince(value: string | Date): this {
    if (isDate(value)) {
      if (!isSendableDate(value)) fail('`modifiedSince`', 'a valid date from the year 0 to 9999', value);
      return this.addPayload('modifiedSince', formatModifiedSince(value));
    }
    if (typeof value !== 'string' || value.length === 0)
      fail('`modifiedSince`', 'a date string or a Date', value);
    return this.addPayload('modifiedSince', value);
  }

  /** Sets the owner, and the `owner` query parameter. */
  setOwner(owner: string): this {
    if (typeof owner !== 'string' || owner.length === 0) fail('`owner`', 'a non-empty string', owner);
    this.#owner = owner;
    return this.addPayload('owner', owner);
  }

  /**
   * Whether the request may carry an owner. With `false`, `apiRequest` and `apiRequestPages` refuse a
   * request object that has an `owner` parameter (ValidationError, before any request). The original
   * read it only in its filter machinery and ignored it in `api_request`. @default true
   */
  setOwnerAllowed(allowed: boolean): this {
    this.#ownerAllowed = checkBoolean(allowed, '`ownerAllowed`');
    return this;
  }

  /** Records the path and query that were sent. */
  setPathUrl(pathUrl: string): this {
    if (typeof pathUrl !== 'string') fail('`pathUrl`', 'a string', pathUrl);
    this.#pathUrl = pathUrl;
    return this;
  }

  /**
   * The original's pagination bookkeeping, kept for its print layout (`Remaining Results`).
   *
   * @deprecated It steers nothing in this SDK: `apiRequestPages` reads the total from the first page's
   * `resultCount` and pages by itself. The value is validated and printed, never sent.
   */
  setRemainingResults(count: number): this {
    this.#remainingResults = checkInteger(count, '`remainingResults`');
    return this;
  }

  /**
   * Sets the request URI, e.g. `/v2/indicators`, formatting `{}`/`{0}` fields with `values` as
   * Python's `str.format` does. Values are inserted as given: percent-encode names yourself
   * (`encodeURIComponent`), and never use `.` or `..` as a name, which URL parsers resolve as dot
   * segments.
   */
  setRequestUri(template: string, values?: readonly (string | number | bigint)[]): this {
    if (typeof template !== 'string') fail('`requestUri`', 'a string starting with "/"', template);
    if (values !== undefined && !Array.isArray(values)) fail('`requestUri` values', 'an array', values);
    const uri = values === undefined ? template : formatUriTemplate(template, values);
    if (!uri.startsWith('/')) fail('`requestUri`', 'a path starting with "/"', uri);
    if (/[\s#]/.test(uri) || hasControlCharacter(uri)) {
      fail('`requestUri`', 'a path without spaces, control characters or "#" (percent-encode them)', uri);
    }
    this.#requestUri = uri;
    return this;
  }

  /**
   * Whether the request may be paged: `apiRequestPages` refuses a request object with `false`
   * (ValidationError). `apiRequest` always makes one request, as the original's did. @default true
   */
  setResourcePagination(paginate: boolean): this {
    this.#resourcePagination = checkBoolean(paginate, '`resourcePagination`');
    return this;
  }

  /** The resource type (a `ResourceType` value), shown in the report. */
  setResourceType(resourceType: ResourceType): this {
    if (!isResourceType(resourceType)) fail('`resourceType`', 'a ResourceType value', resourceType);
    this.#resourceType = resourceType;
    return this;
  }

  /** Sets `resultLimit`, also as a query parameter. */
  setResultLimit(limit: number): this {
    this.#resultLimit = checkInteger(limit, '`resultLimit`', 0);
    return this.addPayload('resultLimit', limit);
  }

  /** Sets `resultStart`, also as a query parameter. */
  setResultStart(start: number): this {
    this.#resultStart = checkInteger(start, '`resultStart`', 0);
    return this.addPayload('resultStart', start);
  }

  /** `apiRequest` hands the body over as a stream (`response.body`) unless its `stream` option says otherwise. */
  setStream(stream: boolean): this {
    this.#stream = checkBoolean(stream, '`stream`');
    return this;
  }

  /** Called with the status when a call of this request object ends with a status other than 200/201/202. */
  setFailureCallback(callback: FailureCallback): this {
    if (typeof callback !== 'function') fail('`failureCallback`', 'a function', callback);
    this.#failureCallback = callback;
    return this;
  }

  /** Called with the request object and the `ApiResponse` when a call ends with 200, 201 or 202. */
  setSuccessCallback(callback: SuccessCallback): this {
    if (typeof callback !== 'function') fail('`successCallback`', 'a function', callback);
    this.#successCallback = callback;
    return this;
  }

  // --- getters ----------------------------------------------------------------------------

  /** The body set by `setBody`, if any. */
  get body(): RequestBody | undefined {
    return this.#body;
  }
  /** The `Content-Type` set by `setContentType`, if any. */
  get contentType(): string | undefined {
    return this.#contentType;
  }
  /** The description set by `setDescription`, used in logs and the report. */
  get description(): string | undefined {
    return this.#description;
  }
  /** A copy of the headers, in the order they were set. */
  get headers(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, value } of this.#headers.values()) out[name] = value;
    return out;
  }
  /** The HTTP method (`GET` unless `setHttpMethod` changed it). */
  get httpMethod(): HttpMethod {
    return this.#httpMethod;
  }
  /** The owner set by `setOwner`, sent as the `owner` query parameter when allowed. */
  get owner(): string | undefined {
    return this.#owner;
  }
  /** Whether the `owner` parameter is sent with this request. */
  get ownerAllowed(): boolean {
    return this.#ownerAllowed;
  }
  /** The path set by `setPathUrl`, if any. */
  get pathUrl(): string | undefined {
    return this.#pathUrl;
  }
  /** A copy of the query parameters, in the order they were set. */
  get payload(): Record<string, string> {
    return Object.fromEntries(this.#payload);
  }
  /** How many results remain to be read (`setRemainingResults`). */
  get remainingResults(): number {
    return this.#remainingResults;
  }
  /** The request URI built by `setRequestUri`, if any. */
  get requestUri(): string | undefined {
    return this.#requestUri;
  }
  /** Whether the request reads every page (`setResourcePagination`). */
  get resourcePagination(): boolean {
    return this.#resourcePagination;
  }
  /** The resource type set by `setResourceType`, if any. */
  get resourceType(): ResourceType | undefined {
    return this.#resourceType;
  }
  /** The page size (`resultLimit` query parameter). */
  get resultLimit(): number {
    return this.#resultLimit;
  }
  /** The offset of the first result (`resultStart` query parameter). */
  get resultStart(): number {
    return this.#resultStart;
  }
  /** Whether the response body is returned as a stream (`setStream`). */
  get stream(): boolean {
    return this.#stream;
  }
  /** Whether the report counts this request as an API filter (`enableTrack()`). */
  get countsAsApiFilter(): boolean {
    return this.#countsAsApiFilter;
  }
  /** The callback run on an HTTP failure (`setFailureCallback`), if any. */
  get failureCallback(): FailureCallback | undefined {
    return this.#failureCallback;
  }
  /** The callback run on success (`setSuccessCallback`), if any. */
  get successCallback(): SuccessCallback | undefined {
    return this.#successCallback;
  }

  /** The query parameters as `[key, value]` pairs in the order they were set. */
  payloadEntries(): [string, string][] {
    return [...this.#payload];
  }

  /** The headers as `[name, value]` pairs in the order they were set. */
  headerEntries(): [string, string][] {
    return [...this.#headers.values()].map(({ name, value }) => [name, value]);
  }

  // --- printing ---------------------------------------------------------------------------

  /** The original's `print(ro)` layout; `Authorization` and similar headers are redacted. */
  toString(): string {
    const lines: string[] = ['', titleBar('Request Object'), heading('Metadata')];
    lines.push(row('Description', pyStr(this.#description)));
    lines.push('', heading('Request Settings'));
    lines.push(row('Owner', pyStr(this.#owner)));
    lines.push(row('Owner Allowed', pyStr(this.#ownerAllowed)));
    lines.push(row('Resource Pagination', pyStr(this.#resourcePagination)));
    lines.push(row('Resource Type', resourceTypeName(this.#resourceType) ?? 'None'));
    lines.push(row('Remaining Results', pyStr(this.#remainingResults)));
    lines.push(row('Result Limit', pyStr(this.#resultLimit)));
    lines.push(row('Result Start', pyStr(this.#resultStart)));
    lines.push('', heading('HTTP Settings'));
    lines.push(row('HTTP Method', this.#httpMethod));
    // A URI written with its own query may carry a secret (`/v2/x?token=…`), masked as payload rows are.
    lines.push(
      row('Request URI', pyStr(this.#requestUri === undefined ? undefined : redactUrl(this.#requestUri))),
    );
    lines.push(row('Content Type', pyStr(this.#contentType)));
    lines.push(row('Body', describeBody(this.#body)));
    if (this.#headers.size > 0) {
      lines.push('', heading('Headers'));
      for (const { name, value } of this.#headers.values())
        lines.push(row(name, redactHeaderValue(name, value)));
    }
    if (this.#payload.size > 0) {
      lines.push('', heading('Payload'));
      for (const [key, value] of this.#payload) lines.push(row(key, isSecretParam(key) ? REDACTED : value));
    }
    return `${lines.join('\n')}\n`;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** How a body prints: text as is, bytes as `<binary body, N bytes>`, none as `None`. */
export function describeBody(body: RequestBody | undefined): string {
  if (body === undefined) return 'None';
  if (typeof body === 'string') return body;
  return `<binary body, ${body.byteLength} bytes>`;
}

/** Options of {@link requestTarget}. */
export interface RequestTargetOptions {
  /** The base URL's path, e.g. `/api`. */
  readonly basePath: string;
  /** The client's `activityLog` setting. */
  readonly activityLog?: boolean | undefined;
}

/**
 * The exact `path?query` a request object goes on the wire with, and that is signed:
 * base path + request URI + `createActivityLog` first, then the other parameters in set order,
 * form-encoded like Python's `urlencode`.
 *
 * @throws {ValidationError} when the request URI has not been set.
 */
export function requestTarget(ro: RequestObject, options: RequestTargetOptions): string {
  const requestUri = ro.requestUri;
  if (requestUri === undefined)
    throw new ValidationError('`requestUri` is not set; call setRequestUri() first');
  return buildPathAndQuery({
    basePath: options.basePath,
    requestUri,
    params: ro.payloadEntries(),
    activityLog: options.activityLog,
  });
}

/** The parameters a request object is sent with, in wire order (for the report's payload). */
export function requestParams(ro: RequestObject, activityLog = false): (readonly [string, string])[] {
  return wireParams(ro.payloadEntries(), activityLog);
}
