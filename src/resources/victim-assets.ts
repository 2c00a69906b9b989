/**
 * A victim's assets (rest-api-v2.md 8): e-mail addresses, network accounts, phone numbers, social
 * network accounts and web sites, read and written at once (not queued for `commit()`) under
 * `/v2/victims/{id}/victimAssets`. `victim.assets()` gives the accessor. A victim needs at least one
 * asset before it can be associated with anything (rest-api-v2.md 8).
 */
import { ValidationError } from '../core/errors.js';
import { checkCallOptions, SIGNAL_OPTION, describeValue, isRecord } from '../core/validators.js';
import { assetObject, listAssetItems, sendAssetRequest } from './asset-requests.js';
import { checkId, checkText } from './checks.js';
import type { ResourceContext } from './context.js';
import { readId, readString } from './values.js';

/** The asset types, as the SDK names them: the API's type names in camelCase. */
export type VictimAssetType = 'emailAddress' | 'networkAccount' | 'phone' | 'socialNetwork' | 'webSite';

/**
 * An asset's fields as the API names them: `emailAddress` `{ address, addressType? }`,
 * `networkAccount` and `socialNetwork` `{ account, network? }`, `phone` `{ phoneType }` (which holds
 * the number), `webSite` `{ webSite }`.
 */
export type VictimAssetFields = Readonly<Record<string, string>>;

/** One asset. `type` is the API's (`EmailAddress`, `NetworkAccount`, `Phone`, `SocialNetwork`, `WebSite`). */
export interface VictimAsset {
  readonly id: number;
  readonly type: string;
  /** The address, account, number or site (a listing of every type gives it as `name`). */
  readonly value: string;
  /** The type's fields as read (a listing of every type gives none). */
  readonly fields: VictimAssetFields;
  readonly webLink?: string | undefined;
}

interface AssetTypeInfo {
  readonly branch: string;
  readonly entity: string;
  readonly required: string;
  readonly optional: readonly string[];
}

/** Path segment, single-object key and fields of each type (rest-api-v2.md 8). */
const ASSET_TYPES: Readonly<Record<VictimAssetType, AssetTypeInfo>> = {
  emailAddress: {
    branch: 'emailAddresses',
    entity: 'victimEmailAddress',
    required: 'address',
    optional: ['addressType'],
  },
  networkAccount: {
    branch: 'networkAccounts',
    entity: 'victimNetworkAccount',
    required: 'account',
    optional: ['network'],
  },
  phone: { branch: 'phoneNumbers', entity: 'victimPhone', required: 'phoneType', optional: [] },
  socialNetwork: {
    branch: 'socialNetworks',
    entity: 'victimSocialNetwork',
    required: 'account',
    optional: ['network'],
  },
  webSite: { branch: 'webSites', entity: 'victimWebSite', required: 'webSite', optional: [] },
};

function assetType(type: unknown): AssetTypeInfo & { name: VictimAssetType } {
  if (typeof type === 'string' && Object.hasOwn(ASSET_TYPES, type)) {
    const name = type as VictimAssetType;
    return { name, ...ASSET_TYPES[name] };
  }
  throw new ValidationError(
    `victim asset type must be one of ${Object.keys(ASSET_TYPES)
      .map((t) => `'${t}'`)
      .join(', ')}, got ${describeValue(type)}`,
  );
}

/** Checks an asset's fields: only the type's own, each text; `creating` needs the required one. */
function checkFields(which: AssetTypeInfo & { name: VictimAssetType }, fields: unknown, creating: boolean) {
  const known = [which.required, ...which.optional];
  const list = known.join(', ');
  if (!isRecord(fields)) {
    throw new ValidationError(
      `${which.name} asset: fields must be an object (${list}), got ${describeValue(fields)}`,
    );
  }
  const unknown = Object.keys(fields).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new ValidationError(
      `${which.name} asset: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (it has ${list})`,
    );
  }
  const body: Record<string, string> = {};
  for (const key of known) {
    if (fields[key] !== undefined) body[key] = checkText(fields[key], `${which.name} asset ${key}`);
  }
  if (creating && body[which.required] === undefined) {
    throw new ValidationError(`${which.name} asset: ${which.required} is required`);
  }
  if (Object.keys(body).length === 0)
    throw new ValidationError(`${which.name} asset: give at least one of ${list}`);
  return body;
}

function asset(item: Record<string, unknown>, which: AssetTypeInfo | undefined): VictimAsset {
  const fields: Record<string, string> = {};
  for (const key of which === undefined ? [] : [which.required, ...which.optional]) {
    const value = readString(item[key]);
    if (value !== undefined) fields[key] = value;
  }
  return {
    id: readId(item.id),
    type: readString(item.type) ?? '',
    value: readString(which === undefined ? item.name : item[which.required]) ?? '',
    fields,
    webLink: readString(item.webLink),
  };
}

/** The assets of one committed victim. */
export class VictimAssets {
  readonly #context: ResourceContext;
  readonly #path: () => string;

  /** @internal `path` gives `/v2/victims/{id}/victimAssets`, or throws for a new victim. */
  constructor(context: ResourceContext, path: () => string) {
    this.#context = context;
    this.#path = path;
  }

  /** Every asset (`victimAsset`: id, type, name), or those of one type with their fields. */
  async list(type?: VictimAssetType, options: { signal?: AbortSignal } = {}): Promise<VictimAsset[]> {
    checkCallOptions(options, 'assets().list', SIGNAL_OPTION);
    const which = type === undefined ? undefined : assetType(type);
    const path = which === undefined ? this.#path() : `${this.#path()}/${which.branch}`;
    const items = await listAssetItems(this.#context, path, options.signal);
    return items.map((item) => asset(item, which));
  }

  /** One asset by type and id. @throws {NotFoundError} when the victim has no such asset. */
  async get(type: VictimAssetType, id: number, options: { signal?: AbortSignal } = {}): Promise<VictimAsset> {
    checkCallOptions(options, 'assets().get', SIGNAL_OPTION);
    const which = assetType(type);
    const path = `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`;
    const response = await sendAssetRequest(this.#context, 'GET', path, undefined, options.signal);
    return asset(assetObject(response, which.entity, 'victim asset'), which);
  }

  /** Adds an asset; resolves with it as the API stored it (its id included). */
  async add(
    type: VictimAssetType,
    fields: VictimAssetFields,
    options: { signal?: AbortSignal } = {},
  ): Promise<VictimAsset> {
    checkCallOptions(options, 'assets().add', SIGNAL_OPTION);
    const which = assetType(type);
    const body = checkFields(which, fields, true);
    const path = `${this.#path()}/${which.branch}`;
    const response = await sendAssetRequest(this.#context, 'POST', path, body, options.signal);
    return asset(assetObject(response, which.entity, 'victim asset'), which);
  }

  /** Changes an asset's fields (those given). */
  async update(
    type: VictimAssetType,
    id: number,
    fields: VictimAssetFields,
    options: { signal?: AbortSignal } = {},
  ): Promise<VictimAsset> {
    checkCallOptions(options, 'assets().update', SIGNAL_OPTION);
    const which = assetType(type);
    const body = checkFields(which, fields, false);
    const path = `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`;
    const response = await sendAssetRequest(this.#context, 'PUT', path, body, options.signal);
    return asset(assetObject(response, which.entity, 'victim asset'), which);
  }

  /** Deletes an asset. */
  async delete(type: VictimAssetType, id: number, options: { signal?: AbortSignal } = {}): Promise<void> {
    checkCallOptions(options, 'assets().delete', SIGNAL_OPTION);
    const which = assetType(type);
    const path = `${this.#path()}/${which.branch}/${checkId(id, 'asset id')}`;
    await sendAssetRequest(this.#context, 'DELETE', path, undefined, options.signal);
  }
}
