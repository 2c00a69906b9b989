/**
 * Assertions on the sandbox's JSON answers and the wire values the sandbox integration tests share.
 * Written from rest-api-v2.md, apart from the sandbox's own tables, so a test does not check the
 * server against itself.
 */
import assert from 'node:assert/strict';
import type { RawResponse } from './signer.js';

export const NOT_FOUND = 'The requested resource was not found';

/** The three sample owners as the v2 API shows them, by name. */
export const OWNERS: Record<string, { id: number; name: string; type: string }> = {
  'Example Org': { id: 1, name: 'Example Org', type: 'Organization' },
  'Example Community': { id: 2, name: 'Example Community', type: 'Community' },
  'Common Community': { id: 3, name: 'Common Community', type: 'Community' },
};

/** The six indicator types: wire `type`, path branch and JSON data key. */
export const INDICATOR_TYPES = [
  { type: 'Address', branch: 'addresses', key: 'address' },
  { type: 'EmailAddress', branch: 'emailAddresses', key: 'emailAddress' },
  { type: 'File', branch: 'files', key: 'file' },
  { type: 'Host', branch: 'hosts', key: 'host' },
  { type: 'URL', branch: 'urls', key: 'url' },
  { type: 'ASN', branch: 'asns', key: 'asn' },
] as const;

export interface Envelope {
  status: string;
  data?: Record<string, unknown>;
}

export type Item = Record<string, unknown> & { id: number };

/** The body of a JSON failure answer. */
export const failureBody = (message: string) => ({ status: 'Failure', message });

/** Asserts a JSON success answer (status code, exact Content-Type, envelope) and returns `data`. */
export function success(r: RawResponse, status = 200): Record<string, unknown> {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  const body = r.json() as Envelope;
  assert.equal(body.status, 'Success');
  assert.ok(body.data !== undefined, 'has data');
  return body.data;
}

/** A listing: `data[key]` is an array and `data.resultCount` a number; other keys are not checked. */
export function list(r: RawResponse, key: string): { total: number; items: Item[] } {
  const data = success(r);
  const items = data[key];
  assert.ok(Array.isArray(items), `data.${key} is an array: ${r.text.slice(0, 200)}`);
  assert.equal(typeof data.resultCount, 'number');
  return { total: data.resultCount as number, items: items as Item[] };
}

/** A listing whose `data` has exactly the keys `key` and `resultCount` (their types are not checked). */
export function exactList(r: RawResponse, key: string): { total: number; items: Item[] } {
  const data = success(r);
  assert.deepEqual(Object.keys(data).sort(), [key, 'resultCount'].sort(), r.text.slice(0, 300));
  return { total: data.resultCount as number, items: data[key] as Item[] };
}

/** A single item: `data` has exactly the one key `key`. */
export function item(r: RawResponse, key: string, status = 200): Item {
  const data = success(r, status);
  assert.deepEqual(Object.keys(data), [key]);
  return data[key] as Item;
}

/** A success answer without data, e.g. after a DELETE. */
export function done(r: RawResponse, status = 200): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(r.json(), { status: 'Success' });
}

/** A JSON failure answer with this status code and message. */
export function failure(r: RawResponse, status: number, message: string): void {
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual({ status: r.status, body: r.json() }, { status, body: failureBody(message) });
}
