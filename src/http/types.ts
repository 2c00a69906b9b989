/**
 * What the transport sends and gets back for one attempt. The request pipeline (`src/pipeline`)
 * builds these; the transport fills in nothing else.
 */
import type { Readable } from 'node:stream';

/** One attempt's request. */
export interface AttemptRequest {
  method: string;
  /** Full URL; its path and query are sent exactly as given (they were signed that way). */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | Uint8Array | undefined;
  signal?: AbortSignal | undefined;
  /** Resolve as soon as the headers arrive and hand over the body as a stream. */
  stream?: boolean | undefined;
  /** This attempt's connect/idle timeout in ms; defaults to the transport's. */
  timeoutMs?: number | undefined;
}

/** One attempt's response. */
export interface AttemptResponse {
  status: number;
  /** Lower-case names; repeated headers joined by `, `. */
  headers: Record<string, string>;
  /** The whole body (buffered mode). */
  content?: Buffer | undefined;
  /** The body stream (stream mode). Errors on it are already mapped to SDK errors. */
  body?: Readable | undefined;
}

/** Sends one attempt; rejects only with SDK errors. */
export type SendFn = (request: AttemptRequest) => Promise<AttemptResponse>;
