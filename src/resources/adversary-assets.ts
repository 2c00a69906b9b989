/**
 * An adversary's assets (rest-api-v2.md 7.4): handles, phone numbers and URLs, read and written at once
 * (not queued for `commit()`) under `/v2/groups/adversaries/{id}/adversaryAssets`. `adversary.assets()`
 * gives the accessor.
 */
import { InvalidResponseError, ValidationError } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import type { HttpMethod } from '../core/request-object.js';
import type { ApiResponse } from '../core/response.js';
import { describeValue, isRecord } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { checkId, checkText } from './checks.js';
import { readNumber, readString } from './values.js';

/** The asset types, as the SDK names them: the value field of each. */
export type AdversaryAssetType = 'handle' | 'phoneNumber' | 'url';

/** One asset. `type` is the API's (`Handle`, `URL`, and the instance's name for phone numbers). */
export interface AdversaryAsset {
  readonly id: number;
  readonly type: string;
  /** The handle, phone number or URL. */
  readonly value: string;
  readonly webLink?: string | undefined;
}

/** Path segment and single-object key of each asset type. */
const ASSET_TYPES: Readonly<Record<AdversaryAssetType, { branch: string; entity: string }>> = {
  handle: { branch: 'handles', entity: 'adversaryHandle' },
  phoneNumber: { branch: 'phoneNumbers', entity: 'adversaryPhoneNumber' },
  url: { branch: 'urls', entity: 'adversaryUrl' },
};

function assetType(type: unknown): { field: AdversaryAssetType; branch: string; entity: string } {
  if (typeof type === 'string' && Object.hasOwn(ASSET_TYPES, type)) {
    const field = type as AdversaryAssetType;
    return { field, ...ASSET_TYPES[field] };
  }
  throw new ValidationError(
    `adversary asset type must be 'handle', 'phoneNumber' or 'url', got ${describeValue(type)}`,
  );
}

function asset(item: Record<string, unknown>, field: string | undefined): AdversaryAsset {
  return {
    id: readNumber(item.id) ?? 0,
    type: readString(item.type) ?? '',
    value: readString(field === undefined ? item.name : item[field]) ?? '',
    webLink: readString(item.webLink),
  };
}

/** The assets of one committed adversary. */
export class AdversaryAssets {
  readonly #context: ResourceContext;
  readonly #path: () => string;

  /** @internal `path` gives `/v2/groups/adversaries/{id}/adversaryAssets`, or throws for a new adversary. */
  constructor(context: ResourceContext, path: () => string) {
    this.#context = context;
    this.#path = path;
  }

  async #send(
    method: HttpMethod,
    path: string,
    body: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ApiResponse> {
    const ro = new RequestObject().setHttpMethod(method).setRequestUri(path).setResourcePagination(false);
    if (body !== undefined) ro.setBody(JSON.stringify(body)).setContentType('application/json');
    return this.#context.requester.request(ro, { throwOnError: true, signal });
  }

  /** Every asset (`bucketAsset`), or those of one type. */
  async list(type?: AdversaryAssetType, options: { signal?: AbortSignal } = {}): Promise<AdversaryAsset[]> {
    const which = type === undefined ? undefined : assetType(type);
    const ro = new RequestObject()
      .setHttpMethod('GET')
      .setRequestUri(which === undefined ? this.#path() : `${this.#path()}/${which.branch}`);
    const out: AdversaryAsset[] = [];
    const pages = this.#context.requester.pages<Record<string, unknown>>(ro, {
      signal: options.signal,
      countsAsApiFilter: false,
    });
    for await (const item of pages.items()) out.push(asset(item, which?.field));
    return out;
  }

  /** One asset by type and id. @throws {NotFoundError} when the adversary has no such asset. */
  async get(
    type: AdversaryAssetType,
    id: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    const which = assetType(type);
    const response = await this.#send(
      'GET',
      `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`,
      undefined,
      options.signal,
    );
    return asset(dataOf(response, which.entity), which.field);
  }

  /** Adds an asset; resolves with it as the API stored it (its id included). */
  async add(
    type: AdversaryAssetType,
    value: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    const which = assetType(type);
    const text = checkText(value, which.field);
    const response = await this.#send(
      'POST',
      `${this.#path()}/${which.branch}`,
      { [which.field]: text },
      options.signal,
    );
    return asset(dataOf(response, which.entity), which.field);
  }

  /** Replaces an asset's value. */
  async update(
    type: AdversaryAssetType,
    id: number,
    value: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    const which = assetType(type);
    const text = checkText(value, which.field);
    const path = `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`;
    const response = await this.#send('PUT', path, { [which.field]: text }, options.signal);
    return asset(dataOf(response, which.entity), which.field);
  }

  /** Deletes an asset. */
  async delete(type: AdversaryAssetType, id: number, options: { signal?: AbortSignal } = {}): Promise<void> {
    const which = assetType(type);
    await this.#send(
      'DELETE',
      `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`,
      undefined,
      options.signal,
    );
  }
}

/**
 * The asset object of an answer. @throws {InvalidResponseError} when there is none: the request may
 * have been carried out, so this is no `ValidationError` (which means nothing was sent).
 */
function dataOf(response: ApiResponse, key: string): Record<string, unknown> {
  const body = response.content.length === 0 ? undefined : response.json();
  const data = isRecord(body) ? body.data : undefined;
  const value = isRecord(data) ? data[key] : undefined;
  if (!isRecord(value)) {
    throw new InvalidResponseError(`the adversary asset answer has no data.${key} object`, {
      status: response.status,
      contentType: response.headers['content-type'],
    });
  }
  return value;
}
