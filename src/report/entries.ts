/**
 * Report entries (decisions.md 1.5): a discriminated union of request entries (one per logical
 * call: one `apiRequest` or one page request) and post-filter entries. Their `toString()` gives the
 * original's printed layout (python-sdk-observed.md 4.2, 4.6).
 */
import { inspect } from 'node:util';
import {
  type FilterOperator,
  filterOperatorName,
  type ResourceType,
  resourceTypeName,
} from '../core/enums.js';
import type { AttemptRecord } from '../core/errors.js';
import { colonRow, heading, propertyRow, pyDict, pyStr, row, titleBar } from '../core/py-text.js';

/** The statuses the original counts as success; every other one is a failure (seed: "Failed Reports"). */
export const SUCCESS_STATUSES: ReadonlySet<number> = new Set([200, 201, 202]);

/** An error as kept in the report: enough to read, nothing that could hold a secret beyond the message. */
export interface ErrorSummary {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

/** One attempt of a request entry, as kept in the report. */
export interface AttemptSummary {
  readonly attempt: number;
  readonly delayMs: number;
  readonly status: number | undefined;
  readonly error: ErrorSummary | undefined;
  readonly durationMs: number | undefined;
  /** `tokenRenewal` for a `GET /appAuth` made on the call's behalf, else `request`. */
  readonly purpose: 'request' | 'tokenRenewal';
}

/** Summarises any thrown value. */
export function summarizeError(error: unknown): ErrorSummary {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, code: typeof code === 'string' ? code : undefined, message: error.message };
  }
  return { name: 'Error', code: undefined, message: String(error) };
}

/** Converts an {@link AttemptRecord} into its report form. */
export function summarizeAttempt(record: AttemptRecord): AttemptSummary {
  return {
    attempt: record.attempt,
    delayMs: record.delayMs,
    status: record.status,
    error: record.error === undefined ? undefined : summarizeError(record.error),
    durationMs: record.durationMs,
    purpose: record.purpose ?? 'request',
  };
}

/** The fields of a {@link RequestEntry}. */
export interface RequestEntryFields {
  /** HTTP method. */
  readonly method: string;
  /** The request URI as set on the request object, before the query. */
  readonly requestUri: string | undefined;
  /** Full URL with query, already redacted. */
  readonly url: string;
  /** Final status; undefined when the call ended without an HTTP answer. */
  readonly status: number | undefined;
  /** The failure of a call that ended without an HTTP answer. */
  readonly error: ErrorSummary | undefined;
  /** Body of a failing answer (or the error text); undefined on success. */
  readonly failMessage: string | undefined;
  /** The request object's description. */
  readonly description: string | undefined;
  /** The request object's resource type. */
  readonly resourceType: ResourceType | undefined;
  /** The request's `Content-Type`. */
  readonly contentType: string | undefined;
  /** The request body as printed: text, `<binary body, N bytes>`, or undefined. */
  readonly body: string | undefined;
  /** Query parameters in wire order. */
  readonly payload: readonly (readonly [string, string])[];
  /** A filter retrieval request (counted as an API filter). */
  readonly countsAsApiFilter: boolean;
  /** Every attempt, retries and token renewals included. */
  readonly attempts: readonly AttemptSummary[];
  /** Start, in milliseconds since the client was built. */
  readonly startMs: number;
  /** Duration of the whole call, retries included, in milliseconds. */
  readonly durationMs: number;
  /** Bytes of request bodies sent, over every attempt. */
  readonly bytesSent: number;
  /** Bytes of response bodies received, over every attempt. */
  readonly bytesReceived: number;
}

/** One logical call: one `apiRequest` or one page request. */
export class RequestEntry implements RequestEntryFields {
  readonly kind = 'request' as const;
  readonly method: string;
  readonly requestUri: string | undefined;
  readonly url: string;
  readonly status: number | undefined;
  readonly error: ErrorSummary | undefined;
  readonly failMessage: string | undefined;
  readonly description: string | undefined;
  readonly resourceType: ResourceType | undefined;
  readonly contentType: string | undefined;
  readonly body: string | undefined;
  readonly payload: readonly (readonly [string, string])[];
  readonly countsAsApiFilter: boolean;
  readonly attempts: readonly AttemptSummary[];
  readonly startMs: number;
  readonly durationMs: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;

  constructor(fields: RequestEntryFields) {
    this.method = fields.method;
    this.requestUri = fields.requestUri;
    this.url = fields.url;
    this.status = fields.status;
    this.error = fields.error;
    this.failMessage = fields.failMessage;
    this.description = fields.description;
    this.resourceType = fields.resourceType;
    this.contentType = fields.contentType;
    this.body = fields.body;
    this.payload = Object.freeze(fields.payload.map(([k, v]) => Object.freeze([k, v] as const)));
    this.countsAsApiFilter = fields.countsAsApiFilter;
    this.attempts = Object.freeze([...fields.attempts]);
    this.startMs = fields.startMs;
    this.durationMs = fields.durationMs;
    this.bytesSent = fields.bytesSent;
    this.bytesReceived = fields.bytesReceived;
    Object.freeze(this);
  }

  /** True when the call did not end with 200, 201 or 202. */
  get failed(): boolean {
    return this.status === undefined || !SUCCESS_STATUSES.has(this.status);
  }

  /** Retries made: attempts after the first. */
  get retries(): number {
    return Math.max(0, this.attempts.length - 1);
  }

  /** The original's Report Entry layout; the body is shown without Python's `b'…'` wrapper. */
  toString(): string {
    const lines: string[] = ['', titleBar('Report Entry'), '', heading('Properties')];
    lines.push(propertyRow('Status Code', pyStr(this.status)));
    if (this.failMessage !== undefined) lines.push(propertyRow('Fail Msg', this.failMessage));
    lines.push(propertyRow('Description', pyStr(this.description)));
    lines.push(propertyRow('Resource Type', resourceTypeName(this.resourceType) ?? 'None'));
    lines.push('', heading('HTTP Settings'));
    lines.push(row('HTTP Method', this.method));
    lines.push(row('Request URI', pyStr(this.requestUri)));
    lines.push(row('Request URL', this.url));
    lines.push(row('Content Type', pyStr(this.contentType)));
    lines.push(row('Body', pyStr(this.body)));
    lines.push('', heading('Payload'));
    lines.push(row('Payload', pyDict(this.payload)));
    return `${lines.join('\n')}\n`;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** The plain object that `JSON.stringify` writes for this object. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      method: this.method,
      requestUri: this.requestUri ?? null,
      url: this.url,
      status: this.status ?? null,
      error: this.error ?? null,
      failMessage: this.failMessage ?? null,
      description: this.description ?? null,
      resourceType: resourceTypeName(this.resourceType) ?? null,
      contentType: this.contentType ?? null,
      payload: Object.fromEntries(this.payload),
      countsAsApiFilter: this.countsAsApiFilter,
      attempts: this.attempts.map((a) => ({
        attempt: a.attempt,
        delayMs: a.delayMs,
        status: a.status ?? null,
        error: a.error ?? null,
        durationMs: a.durationMs ?? null,
        purpose: a.purpose,
      })),
      durationMs: this.durationMs,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
    };
  }
}

/** The fields of a {@link PostFilterEntry}. */
export interface PostFilterEntryFields {
  /** e.g. `post filter by rating GE 2.0`. */
  readonly description: string;
  /** The filter value. */
  readonly filter: string | number;
  /** The index method, e.g. `filter_rating`. */
  readonly method: string;
  readonly operator: FilterOperator;
}

/** One post-filter evaluation. */
export class PostFilterEntry implements PostFilterEntryFields {
  readonly kind = 'postFilter' as const;
  readonly description: string;
  readonly filter: string | number;
  readonly method: string;
  readonly operator: FilterOperator;

  constructor(fields: PostFilterEntryFields) {
    this.description = fields.description;
    this.filter = fields.filter;
    this.method = fields.method;
    this.operator = fields.operator;
    Object.freeze(this);
  }

  /** The original's Post Filter Object layout. */
  toString(): string {
    const lines: string[] = ['', titleBar('Post Filter Object'), heading('Filter Properties')];
    lines.push(colonRow('description', this.description));
    lines.push(colonRow('filter', pyStr(this.filter)));
    lines.push(colonRow('method', this.method));
    lines.push(colonRow('operator', filterOperatorName(this.operator) ?? pyStr(this.operator)));
    return `${lines.join('\n')}\n`;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** The plain object that `JSON.stringify` writes for this object. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      description: this.description,
      filter: this.filter,
      method: this.method,
      operator: this.operator,
    };
  }
}

/** Any report entry. */
export type ReportEntry = RequestEntry | PostFilterEntry;
