/**
 * The requests of an item's assets (adversary assets, rest-api-v2.md 7.4; victim assets, 8): sent at
 * once, not queued for `commit()`, and the asset object read from a single-object answer.
 */
import { InvalidResponseError } from '../core/errors.js';
import type { HttpMethod } from '../core/request-object.js';
import { RequestObject } from '../core/request-object.js';
import type { ApiResponse } from '../core/response.js';
import { isRecord } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { readSingleObject } from './values.js';

/** One asset request; an answer other than 200/201/202 throws its typed `ApiError`. */
export function sendAssetRequest(
  context: ResourceContext,
  method: HttpMethod,
  path: string,
  body: Record<string, unknown> | undefined,
  signal: AbortSignal | undefined,
): Promise<ApiResponse> {
  const ro = new RequestObject().setHttpMethod(method).setRequestUri(path).setResourcePagination(false);
  if (body !== undefined) ro.setBody(JSON.stringify(body)).setContentType('application/json');
  return context.requester.request(ro, { throwOnError: true, signal });
}

/** Every asset item of a listing (all its pages). */
export async function listAssetItems(
  context: ResourceContext,
  path: string,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>[]> {
  const ro = new RequestObject().setHttpMethod('GET').setRequestUri(path);
  const out: Record<string, unknown>[] = [];
  const pages = context.requester.pages<Record<string, unknown>>(ro, { signal, countsAsApiFilter: false });
  for await (const item of pages.items()) out.push(item);
  return out;
}

/**
 * The asset object of an answer (`data.{key}`). @throws {InvalidResponseError} when there is none: the
 * request may have been carried out, so this is no `ValidationError` (which means nothing was sent).
 */
export function assetObject(response: ApiResponse, key: string, what: string): Record<string, unknown> {
  const body = response.content.length === 0 ? undefined : response.json();
  const data = isRecord(body) ? body.data : undefined;
  // An object, or an array holding only it (rest-api-v2.md 3.1).
  const value = isRecord(data) ? readSingleObject(data[key]) : undefined;
  if (value === undefined) {
    throw new InvalidResponseError(`the ${what} answer has no data.${key} object`, {
      status: response.status,
      contentType: response.headers['content-type'],
    });
  }
  return value;
}
