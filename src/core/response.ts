/**
 * The response of `tc.apiRequest()` (decisions.md 1.4): status, lower-case headers, and the body,
 * buffered (`content`, `text()`, `json()`) or, with `{ stream: true }`, as a Node `Readable`.
 */
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { InvalidResponseError, ThreatConnectError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { redactUrl } from './redact.js';

/** What an {@link ApiResponse} is built from. */
export interface ApiResponseInit {
  status: number;
  headers: Record<string, string>;
  /** The request URL; the response shows it with secrets redacted. */
  url: string;
  content?: Buffer | undefined;
  body?: Readable | undefined;
  /** Attempts made for this call (1 when no retry happened). */
  attempts: number;
}

/** One HTTP answer. Shaped so that Python's `results.status_code`, `.headers[...]`, `.json()` port line by line. */
export class ApiResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Headers with lower-case names; repeated headers joined by `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly #url: string;
  /** How many attempts the call took. */
  readonly attempts: number;
  readonly #content: Buffer | undefined;
  readonly #body: Readable | undefined;

  constructor(init: ApiResponseInit) {
    this.status = init.status;
    // The transport built this object for this response alone: freeze it rather than copy it.
    this.headers = Object.freeze(init.headers);
    this.#url = init.url;
    this.attempts = init.attempts;
    this.#content = init.content;
    this.#body = init.body;
  }

  /** The request URL, with secrets redacted (computed on demand). */
  get url(): string {
    return redactUrl(this.#url);
  }

  /** Alias of `status`, as Python's `status_code`. */
  get statusCode(): number {
    return this.status;
  }

  /** Whether the status is 200, 201 or 202 (the seed's definition of success). */
  get ok(): boolean {
    return this.status === 200 || this.status === 201 || this.status === 202;
  }

  /**
   * The whole body as bytes.
   * @throws {ThreatConnectError} (`TC_ERROR`) for a response requested with `{ stream: true }` (read `body` instead).
   */
  get content(): Buffer {
    if (this.#content === undefined) {
      throw new ThreatConnectError(
        'This response is streamed: read `body` instead of `content`, `text()` or `json()`',
      );
    }
    return this.#content;
  }

  /**
   * The body as a stream, for responses requested with `{ stream: true }`.
   * @throws {ThreatConnectError} (`TC_ERROR`) for a buffered response (read `content` instead).
   */
  get body(): Readable {
    if (this.#body === undefined) {
      throw new ThreatConnectError(
        'This response is buffered: read `content`, `text()` or `json()` instead of `body`',
      );
    }
    return this.#body;
  }

  /** The body decoded as UTF-8. */
  text(): string {
    return this.content.toString('utf8');
  }

  /**
   * The body parsed as JSON.
   * @throws {InvalidResponseError} when the body is not JSON.
   */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
  json<T = unknown>(): T {
    const content = this.content;
    try {
      return parseJsonBody(content) as T;
    } catch (error) {
      // 80 UTF-16 units take at most 240 bytes of UTF-8 (3 a unit; 4 for a pair of two units).
      const start = content.toString('utf8', 0, 240).slice(0, 80);
      throw new InvalidResponseError(
        `The response body is not JSON (status ${this.status}): ${JSON.stringify(start)}`,
        { cause: error, status: this.status, contentType: this.headers['content-type'] },
      );
    }
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    const size = this.#content === undefined ? 'streamed' : `${this.#content.length} bytes`;
    return `ApiResponse { status: ${this.status}, content-type: ${JSON.stringify(this.headers['content-type'] ?? null)}, body: ${size} }`;
  }
}
