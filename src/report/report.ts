/**
 * `tc.report` (decisions.md 1.5, sdk-behaviour.md 9): counters, entries, the `stats` text byte for
 * byte as the original printed it, `failures`, and `toJSON()` for machines.
 *
 * Two sides over one state (docs/decisions.md, Client core 20): {@link Report} is what users read
 * (`tc.report`), with no method that records anything; `ReportRecorder` is the write side,
 * which only the client, its pipeline and its resources hold. `createReport` makes the pair.
 *
 * What is counted when:
 * - always: API calls, unfiltered and filtered results, post filters, and the three times;
 * - only while reporting is enabled (they come from entries): API filters, and the HTTP-method and
 *   status-code counts of `stats`; the entry list (iteration, `failures`) itself;
 * - `toJSON()`'s histograms, retries, attempts, bytes and latency are always on (a documented extra).
 *
 * Request time is the wall time during which at least one logical call was in flight. For calls
 * made one after another that is the sum of their durations, as in the original; with concurrent
 * page windows it does not count overlapping time twice, so processing time never goes negative.
 *
 * Memory is bounded (docs/decisions.md, Client core 21): latency percentiles come from a fixed
 * histogram, and the entry and failure lists keep their most recent `MAX_REPORT_ENTRIES` and
 * `MAX_REPORT_FAILURES` items.
 */
import { inspect } from 'node:util';
import type { FilterOperator, ResourceType } from '../core/enums.js';
import { type AttemptRecord } from '../core/errors.js';
import { isSecretParam, REDACTED, redactUrl } from '../core/redact.js';
import { formatTimedelta, heading, row, titleBar } from '../core/py-text.js';
import { describeBody, type RequestBody } from '../core/request-object.js';
import { LatencyHistogram, RecentList } from './bounded.js';
import {
  type AttemptSummary,
  type ErrorSummary,
  PostFilterEntry,
  type ReportEntry,
  RequestEntry,
  SUCCESS_STATUSES,
  summarizeAttempt,
  summarizeError,
} from './entries.js';

/** The clock the report reads (the client's injectable clock). */
export interface ReportClock {
  now(): number;
}

/** The most recent entries kept (`report.entries`); older ones are counted in `droppedEntries`. */
export const MAX_REPORT_ENTRIES = 10_000;
/** The most recent failures kept (`report.failures`); older ones are counted in `droppedFailures`. */
export const MAX_REPORT_FAILURES = 1_000;

/** Options of `createReport`. */
export interface ReportOptions {
  readonly clock?: ReportClock | undefined;
  /** Entries kept; `MAX_REPORT_ENTRIES` by default. */
  readonly maxEntries?: number | undefined;
  /** Failures kept; `MAX_REPORT_FAILURES` by default. */
  readonly maxFailures?: number | undefined;
}

/** What the client knows when a logical call starts. */
export interface CallStart {
  readonly method: string;
  readonly requestUri?: string | undefined;
  /** Full URL with query; the report stores a redacted copy. */
  readonly url: string;
  readonly description?: string | undefined;
  readonly resourceType?: ResourceType | undefined;
  readonly contentType?: string | undefined;
  readonly body?: RequestBody | undefined;
  /** Query parameters in wire order. */
  readonly payload?: Iterable<readonly [string, string]> | undefined;
  /** A filter retrieval request (counted as an API filter). */
  readonly countsAsApiFilter?: boolean | undefined;
  readonly bytesSent?: number | undefined;
}

/** How a logical call ended: a final status, or an error without an HTTP answer. */
export interface CallEnd {
  readonly status?: number | undefined;
  readonly error?: unknown;
  /** The final response body; kept as the failure message when the status is not 200/201/202. */
  readonly responseBody?: string | Uint8Array | undefined;
  readonly bytesReceived?: number | undefined;
}

/** Input of {@link ReportRecorder.recordPostFilter}. */
export interface PostFilterRecord {
  readonly description: string;
  readonly filter: string | number;
  readonly method: string;
  readonly operator: FilterOperator;
}

/** At most this many characters of a failing body are kept in an entry. */
export const MAX_FAIL_MESSAGE_CHARS = 100_000;

function bodyText(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  const text =
    typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.length > MAX_FAIL_MESSAGE_CHARS ? `${text.slice(0, MAX_FAIL_MESSAGE_CHARS)}…` : text;
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The report's state: written through a `ReportRecorder`, read through a {@link Report}. */
class ReportState {
  readonly clock: ReportClock;
  readonly startMs: number;
  enabled = false;
  readonly entries: RecentList<ReportEntry>;
  /** Failing request entries, in a list of their own so that later successes do not push them out. */
  readonly failures: RecentList<RequestEntry>;

  apiCalls = 0;
  failedCalls = 0;
  resultsUnfiltered = 0;
  resultsFiltered = 0;
  apiFilters = 0;
  postFilters = 0;
  /** Entry-based counts, for `stats` (first-seen order). */
  readonly methods = new Map<string, number>();
  readonly statuses = new Map<number, number>();
  /** Always-on histograms, for `toJSON()`. */
  readonly allMethods = new Map<string, number>();
  readonly allStatuses = new Map<number, number>();
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyHistogram();
  attempts = 0;
  retries = 0;
  bytesSent = 0;
  bytesReceived = 0;

  hasRequestTime = false;
  busyMs = 0;
  inFlight = 0;
  busySinceMs = 0;

  constructor(options: ReportOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.startMs = this.clock.now();
    this.entries = new RecentList(options.maxEntries ?? MAX_REPORT_ENTRIES);
    this.failures = new RecentList(options.maxFailures ?? MAX_REPORT_FAILURES);
  }

  get runtime(): number {
    return this.clock.now() - this.startMs;
  }

  /** Starts a logical call; returns its start time. */
  begin(): number {
    const now = this.clock.now();
    if (this.inFlight === 0) this.busySinceMs = now;
    this.inFlight += 1;
    return now;
  }

  finish(
    start: CallStart,
    startMs: number,
    attempts: readonly AttemptSummary[],
    end: CallEnd,
  ): RequestEntry | undefined {
    const now = this.clock.now();
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) this.busyMs += now - this.busySinceMs;
    this.hasRequestTime = true;

    const method = start.method.toUpperCase();
    const status = end.status;
    let error: ErrorSummary | undefined;
    if (status === undefined) {
      error = summarizeError(end.error ?? new Error('no response'));
      this.failedCalls += 1;
      increment(this.errors, error.code ?? error.name);
    } else {
      this.apiCalls += 1;
      increment(this.allMethods, method);
      increment(this.allStatuses, status);
    }
    const attemptCount = Math.max(1, attempts.length);
    this.attempts += attemptCount;
    this.retries += attemptCount - 1;
    const bytesSent = start.bytesSent ?? 0;
    const bytesReceived = end.bytesReceived ?? 0;
    this.bytesSent += bytesSent;
    this.bytesReceived += bytesReceived;
    const durationMs = Math.max(0, now - startMs);
    this.latency.record(durationMs);

    if (!this.enabled) return undefined;
    let failMessage: string | undefined;
    if (status === undefined) failMessage = `${error?.name ?? 'Error'}: ${error?.message ?? ''}`;
    else if (!SUCCESS_STATUSES.has(status)) failMessage = bodyText(end.responseBody) ?? '';
    const entry = new RequestEntry({
      method,
      // The URI as the caller wrote it may carry a query too (`/v2/x?token=…`).
      requestUri: start.requestUri === undefined ? undefined : redactUrl(start.requestUri),
      url: redactUrl(start.url),
      status,
      error,
      failMessage,
      description: start.description,
      resourceType: start.resourceType,
      contentType: start.contentType,
      body: start.body === undefined ? undefined : describeBody(start.body),
      payload: [...(start.payload ?? [])].map(([k, v]) => [k, isSecretParam(k) ? REDACTED : v] as const),
      countsAsApiFilter: start.countsAsApiFilter ?? false,
      attempts,
      startMs,
      durationMs,
      bytesSent,
      bytesReceived,
    });
    this.entries.push(entry);
    if (entry.failed) this.failures.push(entry);
    if (status !== undefined) {
      increment(this.methods, method);
      increment(this.statuses, status);
    }
    if (entry.countsAsApiFilter) this.apiFilters += 1;
    return entry;
  }
}

/** Records the attempts of one logical call, then finishes it into the report. */
export interface CallRecorder {
  /** When the call started (epoch ms from the report's clock). */
  readonly startMs: number;
  /** The attempts recorded so far. */
  readonly attempts: readonly AttemptSummary[];
  /** Records one attempt: its status or error, the wait before it, and its duration. */
  addAttempt(record: AttemptRecord): void;
  /**
   * Ends the call. Returns the entry, or undefined when reporting is disabled. A second call does
   * nothing and returns undefined.
   */
  finish(end: CallEnd): RequestEntry | undefined;
}

/** The write side of a report: held by the client, its pipeline and its resources, never by users. */
export interface ReportRecorder {
  /** Starts a logical call (one `apiRequest` or one page request). */
  beginCall(start: CallStart): CallRecorder;
  /** Counts one post-filter evaluation (always), and records its entry while enabled. */
  recordPostFilter(record: PostFilterRecord): PostFilterEntry | undefined;
  /** Adds objects parsed from API answers, before owner and post filters. */
  addUnfilteredResults(count: number): void;
  /** Adds the size of a retrieval's final result set. */
  addFilteredResults(count: number): void;
}

class Call implements CallRecorder {
  readonly #state: ReportState;
  readonly #start: CallStart;
  readonly startMs: number;
  readonly #attempts: AttemptSummary[] = [];
  #finished = false;

  constructor(state: ReportState, start: CallStart) {
    this.#state = state;
    this.#start = start;
    this.startMs = state.begin();
  }

  get attempts(): readonly AttemptSummary[] {
    return this.#attempts;
  }

  addAttempt(record: AttemptRecord): void {
    this.#attempts.push(summarizeAttempt(record));
  }

  finish(end: CallEnd): RequestEntry | undefined {
    if (this.#finished) return undefined;
    this.#finished = true;
    return this.#state.finish(this.#start, this.startMs, this.#attempts, end);
  }
}

class Recorder implements ReportRecorder {
  readonly #state: ReportState;

  constructor(state: ReportState) {
    this.#state = state;
  }

  beginCall(start: CallStart): CallRecorder {
    return new Call(this.#state, start);
  }

  recordPostFilter(record: PostFilterRecord): PostFilterEntry | undefined {
    const state = this.#state;
    state.postFilters += 1;
    if (!state.enabled) return undefined;
    const entry = new PostFilterEntry(record);
    state.entries.push(entry);
    return entry;
  }

  addUnfilteredResults(count: number): void {
    this.#state.resultsUnfiltered += count;
  }

  addFilteredResults(count: number): void {
    this.#state.resultsFiltered += count;
  }
}

let wrapState: (state: ReportState) => Report;

/**
 * The report of one client (`tc.report`): read-only. Its counters, entries and texts are written by
 * the client through the `ReportRecorder` made with it by `createReport`.
 */
export class Report {
  readonly #state: ReportState;

  private constructor(state: ReportState) {
    this.#state = state;
  }

  static {
    wrapState = (state) => new Report(state);
  }

  // --- switches -------------------------------------------------------------------------------

  /** Starts collecting entries; the same as `tc.reportEnable()`. */
  enable(): void {
    this.#state.enabled = true;
  }

  /** Stops collecting entries; the same as `tc.reportDisable()`. Entries already collected stay. */
  disable(): void {
    this.#state.enabled = false;
  }

  /** Whether entries are being collected. */
  get enabled(): boolean {
    return this.#state.enabled;
  }

  // --- reading --------------------------------------------------------------------------------

  /** Logical calls that ended with an HTTP answer. */
  get apiCalls(): number {
    return this.#state.apiCalls;
  }
  /** Items read from the API before post filters. */
  get resultsUnfiltered(): number {
    return this.#state.resultsUnfiltered;
  }
  /** Items kept after post filters. */
  get resultsFiltered(): number {
    return this.#state.resultsFiltered;
  }
  /** Tracked (filter retrieval) request entries; counted only while enabled. */
  get apiFilters(): number {
    return this.#state.apiFilters;
  }
  /** Post filters applied during retrieval. */
  get postFilters(): number {
    return this.#state.postFilters;
  }
  /** API filters plus post filters. */
  get totalFilters(): number {
    return this.#state.apiFilters + this.#state.postFilters;
  }

  /** Milliseconds since the client was built. */
  get runtime(): number {
    return this.#state.runtime;
  }

  /** Milliseconds with at least one call in flight (0 before the first call ends). */
  get requestTime(): number {
    return this.#state.busyMs;
  }

  /** Run time minus request time, in ms. */
  get processingTime(): number {
    return this.runtime - this.#state.busyMs;
  }

  /** A copy of the collected entries, in order: the most recent `MAX_REPORT_ENTRIES`. */
  get entries(): ReportEntry[] {
    return this.#state.entries.toArray();
  }

  /**
   * Request entries whose call did not end with 200, 201 or 202, in order: the most recent
   * `MAX_REPORT_FAILURES`, kept even when their entries have left `entries`.
   */
  get failures(): RequestEntry[] {
    return this.#state.failures.toArray();
  }

  /** Entries collected but no longer kept in `entries`. */
  get droppedEntries(): number {
    return this.#state.entries.dropped;
  }

  /** Failures collected but no longer kept in `failures`. */
  get droppedFailures(): number {
    return this.#state.failures.dropped;
  }

  /** Iterates over the kept entries, oldest first. */
  [Symbol.iterator](): Iterator<ReportEntry> {
    return this.entries[Symbol.iterator]();
  }

  /** The original's Stats text, byte for byte (python-sdk-observed.md 4.6). */
  get stats(): string {
    const s = this.#state;
    const lines: string[] = ['', titleBar('Stats'), '', heading('API Stats')];
    lines.push(row('API Calls', String(s.apiCalls)));
    lines.push(row('Unfiltered Results', String(s.resultsUnfiltered)));
    lines.push(row('Filtered Results', String(s.resultsFiltered)));
    lines.push('', heading('Filters'));
    lines.push(row('API Filters', String(s.apiFilters)));
    lines.push(row('Post Filters', String(s.postFilters)));
    lines.push(row('Total Filters', String(this.totalFilters)));
    if (s.methods.size > 0) {
      lines.push('', heading('HTTP Methods'));
      for (const [method, count] of s.methods) lines.push(row(method, String(count)));
    }
    if (s.statuses.size > 0) {
      lines.push('', heading('Status Codes'));
      for (const [status, count] of s.statuses) lines.push(row(String(status), String(count)));
    }
    lines.push('', heading('Performance Stats'));
    if (s.hasRequestTime) {
      lines.push(row('Request Time', formatTimedelta(s.busyMs)));
      // Each row reads the clock, as the original's did.
      lines.push(row('Processing Time', formatTimedelta(this.processingTime)));
    }
    lines.push(row('Run Time', formatTimedelta(this.runtime)));
    return `${lines.join('\n')}\n`;
  }

  /** A machine-readable summary, `{ version: 1, ... }` (schema in docs/client.md). */
  toJSON(): Record<string, unknown> {
    const s = this.#state;
    const runTimeMs = this.runtime;
    return {
      version: 1,
      apiCalls: s.apiCalls,
      failedCalls: s.failedCalls,
      results: { unfiltered: s.resultsUnfiltered, filtered: s.resultsFiltered },
      filters: { api: s.apiFilters, post: s.postFilters, total: this.totalFilters },
      methods: Object.fromEntries(s.allMethods),
      statuses: Object.fromEntries([...s.allStatuses].map(([status, n]) => [String(status), n])),
      errors: Object.fromEntries(s.errors),
      attempts: s.attempts,
      retries: s.retries,
      bytes: { sent: s.bytesSent, received: s.bytesReceived },
      latencyMs: { p50: s.latency.percentile(50), p95: s.latency.percentile(95) },
      requestTimeMs: s.busyMs,
      processingTimeMs: runTimeMs - s.busyMs,
      runTimeMs,
      reporting: s.enabled,
      entries: s.entries.toArray().map((e) => e.toJSON()),
      droppedEntries: s.entries.dropped,
      droppedFailures: s.failures.dropped,
    };
  }

  /** The stats text. */
  toString(): string {
    return this.stats;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    const s = this.#state;
    return `Report { apiCalls: ${s.apiCalls}, entries: ${s.entries.length}, enabled: ${s.enabled} }`;
  }
}

/**
 * Makes a client's report: the read-only {@link Report} it hands to users as `tc.report`, and the
 * `ReportRecorder` that only the client and its pipeline write through.
 */
export function createReport(options: ReportOptions = {}): { report: Report; recorder: ReportRecorder } {
  const state = new ReportState(options);
  return { report: wrapState(state), recorder: new Recorder(state) };
}
