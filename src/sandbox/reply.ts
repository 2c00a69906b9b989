/** What a sandbox handler answers, and the failure it can throw. */
import type { Readable } from 'node:stream';
import type { CachedPage } from './listing-cache.js';

/** A handled failure: always answered with the v2 failure envelope. */
export class Failure extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'Failure';
    this.status = status;
    this.headers = headers;
  }
}

export const NOT_FOUND = 'The requested resource was not found';

export function notFound(): Failure {
  return new Failure(404, NOT_FOUND);
}

export function badRequest(message: string): Failure {
  return new Failure(400, message);
}

export interface JsonReply {
  kind: 'json';
  status: number;
  body: unknown;
  /** For listings: `body.data[listKey]` is the page, which a shortPage fault may shorten. */
  listKey?: string;
  headers?: Record<string, string>;
}

export interface RawReply {
  kind: 'raw';
  status: number;
  contentType: string;
  length: number;
  /** Either the whole body or a stream of its chunks. */
  body: Buffer | Readable;
}

/**
 * A listing window served from the listing cache: its body is what `listReply` with the parsed items
 * would give, byte for byte (the tests compare the two).
 */
export interface ListReply {
  kind: 'list';
  status: number;
  page: CachedPage;
}

export type Reply = JsonReply | RawReply | ListReply;

export function json(body: unknown, status = 200, listKey?: string): JsonReply {
  return listKey === undefined ? { kind: 'json', status, body } : { kind: 'json', status, body, listKey };
}

export function success(status = 200): JsonReply {
  return json({ status: 'Success' }, status);
}

export function single(key: string, item: unknown, status = 200): JsonReply {
  return json({ status: 'Success', data: { [key]: item } }, status);
}
