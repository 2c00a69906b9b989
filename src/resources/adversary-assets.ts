/**
 * An adversary's assets (rest-api-v2.md 7.4): handles, phone numbers and URLs, read and written at once
 * (not queued for `commit()`) under `/v2/groups/adversaries/{id}/adversaryAssets`. `adversary.assets()`
 * gives the accessor.
 */
import { ValidationError } from '../core/errors.js';
import { checkCallOptions, SIGNAL_OPTION, describeValue } from '../core/validators.js';
import { assetObject, listAssetItems, sendAssetRequest } from './asset-requests.js';
import type { ResourceContext } from './context.js';
import { checkId, checkText } from './checks.js';
import { readId, readString } from './values.js';

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
    id: readId(item.id),
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

  /** Every asset (`bucketAsset`), or those of one type. */
  async list(type?: AdversaryAssetType, options: { signal?: AbortSignal } = {}): Promise<AdversaryAsset[]> {
    checkCallOptions(options, 'assets().list', SIGNAL_OPTION);
    const which = type === undefined ? undefined : assetType(type);
    const path = which === undefined ? this.#path() : `${this.#path()}/${which.branch}`;
    const items = await listAssetItems(this.#context, path, options.signal);
    return items.map((item) => asset(item, which?.field));
  }

  /** One asset by type and id. @throws {NotFoundError} when the adversary has no such asset. */
  async get(
    type: AdversaryAssetType,
    id: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    checkCallOptions(options, 'assets().get', SIGNAL_OPTION);
    const which = assetType(type);
    const response = await sendAssetRequest(
      this.#context,
      'GET',
      `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`,
      undefined,
      options.signal,
    );
    return asset(assetObject(response, which.entity, 'adversary asset'), which.field);
  }

  /** Adds an asset; resolves with it as the API stored it (its id included). */
  async add(
    type: AdversaryAssetType,
    value: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    checkCallOptions(options, 'assets().add', SIGNAL_OPTION);
    const which = assetType(type);
    const text = checkText(value, which.field);
    const response = await sendAssetRequest(
      this.#context,
      'POST',
      `${this.#path()}/${which.branch}`,
      { [which.field]: text },
      options.signal,
    );
    return asset(assetObject(response, which.entity, 'adversary asset'), which.field);
  }

  /** Replaces an asset's value. */
  async update(
    type: AdversaryAssetType,
    id: number,
    value: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AdversaryAsset> {
    checkCallOptions(options, 'assets().update', SIGNAL_OPTION);
    const which = assetType(type);
    const text = checkText(value, which.field);
    const path = `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`;
    const response = await sendAssetRequest(
      this.#context,
      'PUT',
      path,
      { [which.field]: text },
      options.signal,
    );
    return asset(assetObject(response, which.entity, 'adversary asset'), which.field);
  }

  /** Deletes an asset. */
  async delete(type: AdversaryAssetType, id: number, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkCallOptions(options, 'assets().delete', SIGNAL_OPTION);
    const which = assetType(type);
    await sendAssetRequest(
      this.#context,
      'DELETE',
      `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`,
      undefined,
      options.signal,
    );
  }
}
