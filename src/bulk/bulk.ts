/**
 * `tc.bulk(owner)`: an owner's bulk reports (rest-api-v2.md 11.1). `status()` reads
 * `GET /v2/indicators/bulk`; `json()` streams the indicators of `GET /v2/indicators/bulk/json` one at a
 * time, read incrementally from the one large JSON document (src/bulk/json-scanner.ts), as the same
 * indicator objects `tc.indicators().stream()` yields; `csv()` streams the rows of
 * `GET /v2/indicators/bulk/csv`. Each download is one streamed request through the client's pipeline
 * (signing, retries before the answer starts, the report); memory stays constant whatever the report's
 * size, because the body is read only as fast as the caller takes the items.
 */
import type { Readable } from 'node:stream';
import { InvalidResponseError, ValidationError, throwIfAborted } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import type { ApiResponse } from '../core/response.js';
import { checkSignal, describeValue } from '../core/validators.js';
import type { ResourceContext } from '../resources/context.js';
import { type Indicator, parseIndicator } from '../resources/indicator.js';
import { checkMadeByClient } from '../resources/item-state.js';
import { INDICATOR_KIND_BY_TYPE } from '../resources/kinds.js';
import { type BulkCsvRow, BulkCsvScanner } from './csv-scanner.js';
import { JsonArrayScanner } from './json-scanner.js';

export type { BulkCsvRow } from './csv-scanner.js';

/** The state of an owner's bulk reports (`GET /v2/indicators/bulk`). */
export interface BulkStatus {
  /** The owner's name. */
  readonly name: string;
  readonly csvEnabled: boolean;
  readonly jsonEnabled: boolean;
  /** When the reports were last built (ISO 8601), if the server says. */
  readonly lastRun?: string | undefined;
  /** When they will be built next (ISO 8601), if the server says. */
  readonly nextRun?: string | undefined;
  /** The server's word for the last run, such as `Complete`. */
  readonly status: string;
}

/** Options of {@link Bulk.status}. */
export interface BulkStatusOptions {
  /** Ask the server to rebuild the reports first (`runNow=true`). @default false */
  readonly runNow?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link Bulk.json} and {@link Bulk.csv}. */
export interface BulkDownloadOptions {
  /** Ask the server to rebuild the report before sending it (`runNow=true`). @default false */
  readonly runNow?: boolean | undefined;
  /** Ends the download: the iteration throws `AbortError`. */
  readonly signal?: AbortSignal | undefined;
}

const STATUS_URI = '/v2/indicators/bulk';

function checkOptions(name: string, options: unknown): { runNow: boolean; signal: AbortSignal | undefined } {
  if (options === undefined) return { runNow: false, signal: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(`${name}: options must be an object, got ${describeValue(options)}`);
  }
  const { runNow, signal } = options as { runNow?: unknown; signal?: unknown };
  if (runNow !== undefined && typeof runNow !== 'boolean') {
    throw new ValidationError(`${name}: \`runNow\` must be true or false, got ${describeValue(runNow)}`);
  }
  checkSignal(signal, name);
  return { runNow: runNow === true, signal };
}

function readFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** An owner's bulk reports; made by `tc.bulk(owner)`. */
export class Bulk {
  /** The owner whose reports these are. */
  readonly owner: string;
  readonly #context: ResourceContext;

  /**
   * @internal The SDK's way to make one: users call `tc.bulk(owner)`, and the published constructor is
   * private, so that `new Bulk()`, which would have no client, does not compile.
   */
  static create(context: ResourceContext, owner: unknown): Bulk {
    return new Bulk(context, owner);
  }

  private constructor(context: ResourceContext, owner: unknown) {
    // Plain JavaScript can still call `new Bulk()`, which would have no client.
    checkMadeByClient(context, 'Bulk', 'tc.bulk(owner)');
    if (typeof owner !== 'string' || owner.trim() === '') {
      throw new ValidationError(`bulk: ${describeValue(owner)} is not an owner name`);
    }
    this.owner = owner;
    this.#context = context;
  }

  #what(format: string): string {
    return `The bulk ${format} report of owner ${JSON.stringify(this.owner)}`;
  }

  #request(uri: string, runNow: boolean): RequestObject {
    const ro = new RequestObject().setHttpMethod('GET').setRequestUri(uri).setOwner(this.owner);
    if (runNow) ro.addPayload('runNow', 'true');
    return ro.setDescription(`bulk ${uri.slice(STATUS_URI.length + 1) || 'status'}`);
  }

  /**
   * The reports' state.
   * @throws {ApiError} (a subclass) when the server refuses, e.g. `AuthenticationError` (403) for an
   *   owner that does not exist or that the user may not access.
   * @throws {InvalidResponseError} when the answer has no `bulkStatus` object.
   */
  async status(options?: BulkStatusOptions): Promise<BulkStatus> {
    const { runNow, signal } = checkOptions('status', options);
    const response = await this.#context.requester.request(this.#request(STATUS_URI, runNow), {
      throwOnError: true,
      signal,
    });
    const invalid = (problem: string, cause?: unknown): InvalidResponseError =>
      new InvalidResponseError(`The bulk status of owner ${JSON.stringify(this.owner)} ${problem}`, {
        status: response.status,
        contentType: response.headers['content-type'],
        ...(cause === undefined ? {} : { cause }),
      });
    let body: unknown;
    try {
      body = response.json();
    } catch (error) {
      throw invalid('is not JSON', error);
    }
    const record = body as { bulkStatus?: unknown; data?: { bulkStatus?: unknown } } | null;
    // Un-enveloped as documented; an envelope is read too.
    const raw = record?.bulkStatus ?? record?.data?.bulkStatus;
    if (typeof raw !== 'object' || raw === null) throw invalid('has no bulkStatus object');
    const status = raw as Record<string, unknown>;
    const text = (key: string): string | undefined => {
      const value = status[key];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      name: text('name') ?? this.owner,
      csvEnabled: readFlag(status.csvEnabled) ?? false,
      jsonEnabled: readFlag(status.jsonEnabled) ?? false,
      lastRun: text('lastRun'),
      nextRun: text('nextRun'),
      status: text('status') ?? '',
    };
  }

  /** Starts a download: the streamed body once the server has answered 200. */
  async #download(format: 'json' | 'csv', runNow: boolean, signal: AbortSignal | undefined) {
    throwIfAborted(signal);
    const response: ApiResponse = await this.#context.requester.request(
      this.#request(`${STATUS_URI}/${format}`, runNow),
      { throwOnError: true, stream: true, signal },
    );
    const body = response.body as Readable | undefined;
    if (body === undefined) {
      throw new InvalidResponseError(`${this.#what(format.toUpperCase())} came without a body`, {
        status: response.status,
      });
    }
    return { body, status: response.status, contentType: response.headers['content-type'] };
  }

  /**
   * The report's indicators, one at a time, as `tc.indicators().stream()` yields them (with their
   * `tags` and `attributes`, which the report carries). Leaving the loop early ends the download.
   * @throws {ApiError} (a subclass) when the server refuses the download, before the first item.
   * @throws {InvalidResponseError} when the body is not such a report, at the item where it goes wrong.
   * @throws {ConnectionError} when the body ends early (the items before it were yielded).
   * @throws {AbortError} when `signal` fires.
   */
  json(options?: BulkDownloadOptions): AsyncGenerator<Indicator> {
    const checked = checkOptions('json', options);
    return this.#json(checked.runNow, checked.signal);
  }

  async *#json(runNow: boolean, signal: AbortSignal | undefined): AsyncGenerator<Indicator> {
    const { body, status, contentType } = await this.#download('json', runNow, signal);
    const { recorder } = this.#context.requester;
    const scanner = new JsonArrayScanner({ key: 'indicator', what: this.#what('JSON'), status, contentType });
    let count = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        const items = scanner.push(chunk);
        recorder.addUnfilteredResults(items.length);
        for (const item of items) {
          if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw new InvalidResponseError(
              `${this.#what('JSON')} holds ${describeValue(item)} where an indicator object was expected`,
              { status, contentType },
            );
          }
          const indicator = await this.#parse(item as Record<string, unknown>, signal);
          // A chunk holds many items: the signal is checked between them, not only between chunks.
          throwIfAborted(signal);
          count += 1;
          yield indicator;
        }
      }
      scanner.end();
    } finally {
      body.destroy();
      recorder.addFilteredResults(count);
    }
  }

  /** A built-in type at once; another type once the client has read its type table (decisions.md 1.7). */
  #parse(item: Record<string, unknown>, signal: AbortSignal | undefined): Indicator | Promise<Indicator> {
    const type = typeof item.type === 'string' ? item.type : undefined;
    const kind = type === undefined ? undefined : INDICATOR_KIND_BY_TYPE.get(type);
    if (kind !== undefined || type === undefined) return parseIndicator(item, this.#context, kind);
    return this.#context
      .indicatorKindsForReading(signal)
      .then((kinds) => parseIndicator(item, this.#context, kinds.get(type)));
  }

  /**
   * The report's rows, `{ type, value, rating, confidence }`, one at a time; a rating or confidence the
   * report gives as `null` is `null`. Leaving the loop early ends the download.
   * @throws {ApiError} (a subclass) when the server refuses the download, before the first row.
   * @throws {InvalidResponseError} when the body is not such a report.
   * @throws {ConnectionError} when the body ends early (the rows before it were yielded).
   * @throws {AbortError} when `signal` fires.
   */
  csv(options?: BulkDownloadOptions): AsyncGenerator<BulkCsvRow> {
    const checked = checkOptions('csv', options);
    return this.#csv(checked.runNow, checked.signal);
  }

  async *#csv(runNow: boolean, signal: AbortSignal | undefined): AsyncGenerator<BulkCsvRow> {
    const { body, status, contentType } = await this.#download('csv', runNow, signal);
    const scanner = new BulkCsvScanner({ what: this.#what('CSV'), status, contentType });
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        for (const row of scanner.push(chunk)) {
          throwIfAborted(signal);
          yield row;
        }
      }
      yield* scanner.end();
    } finally {
      body.destroy();
    }
  }
}
