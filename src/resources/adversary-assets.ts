/**
 * An adversary's assets (rest-api-v2.md 7.4): handles, phone numbers and URLs, read and written at once
 * (not queued for `commit()`) under `/v2/groups/adversaries/{id}/adversaryAssets`. `adversary.assets()`
 * gives the accessor.
 */
import { ValidationError } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import type { HttpMethod } from '../core/request-object.js';
import { describeValue } from '../core/validators.js';
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
  ): Promise<Record<string, unknown>> {
    const ro = new RequestObject().setHttpMethod(method).setRequestUri(path).setResourcePagination(false);
    if (body !== undefined) ro.setBody(JSON.stringify(body)).setContentType('application/json');
    const response = await this.#context.requester.request(ro, { throwOnError: true, signal });
    return response.content.length === 0 ? {} : response.json<Record<string, unknown>>();
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
    const body = await this.#send(
      'GET',
      `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`,
      undefined,
      options.signal,
    );
    return asset(dataOf(body, which.entity), which.field);
  }

  /** Adds an asset; resolves with it as the API stored it (its id included). */
  async add(
    type: AdversaryAssetType,
    value: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    const which = assetType(type);
    const text = checkText(value, which.field);
    const body = await this.#send(
      'POST',
      `${this.#path()}/${which.branch}`,
      { [which.field]: text },
      options.signal,
    );
    return asset(dataOf(body, which.entity), which.field);
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
    const body = await this.#send('PUT', path, { [which.field]: text }, options.signal);
    return asset(dataOf(body, which.entity), which.field);
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

function dataOf(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const data = body.data as Record<string, unknown> | undefined;
  const value = data?.[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`the adversary asset answer has no data.${key} object`);
  }
  return value as Record<string, unknown>;
}
