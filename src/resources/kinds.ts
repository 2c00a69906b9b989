/**
 * The resource kinds of ThreatConnect v2 (rest-api-v2.md 6, 7): each indicator and group type with its
 * `type` name, its URL branch, its JSON entity key, and its enum value.
 */
import { IndicatorType, ResourceType } from '../core/enums.js';

/** An indicator type the SDK models, or a custom one read from `/v2/types/indicatorTypes`. */
export interface IndicatorKind {
  /** `type` as the API names it: `Address`, `EmailAddress`, `File`, `Host`, `URL`, or a custom name. */
  readonly type: string;
  /** URL segment: `addresses`, `emailAddresses`, `files`, `hosts`, `urls`, or a custom `apiBranch`. */
  readonly branch: string;
  /** Key of a single object under `data` (`address`, `emailAddress`, …, or a custom `apiEntity`). */
  readonly entity: string;
  /** Key of the list under `data` in a typed listing (the entity for the built-in types). */
  readonly listKey: string;
  readonly indicatorType: IndicatorType;
  /** The value fields of the type, in order (`ip`; `md5`, `sha1`, `sha256`; custom `value1Label`…). */
  readonly valueFields: readonly string[];
  /** Whether the SDK models the type (false for custom types). */
  readonly builtIn: boolean;
}

const kind = (
  type: string,
  branch: string,
  entity: string,
  indicatorType: IndicatorType,
  valueFields: readonly string[],
): IndicatorKind =>
  Object.freeze({ type, branch, entity, listKey: entity, indicatorType, valueFields, builtIn: true });

export const ADDRESS = kind('Address', 'addresses', 'address', IndicatorType.ADDRESSES, ['ip']);
export const EMAIL_ADDRESS = kind(
  'EmailAddress',
  'emailAddresses',
  'emailAddress',
  IndicatorType.EMAIL_ADDRESSES,
  ['address'],
);
export const FILE = kind('File', 'files', 'file', IndicatorType.FILES, ['md5', 'sha1', 'sha256']);
export const HOST = kind('Host', 'hosts', 'host', IndicatorType.HOSTS, ['hostName']);
export const URL_KIND = kind('URL', 'urls', 'url', IndicatorType.URLS, ['text']);

/** The five built-in indicator kinds, by enum value. */
export const INDICATOR_KINDS: ReadonlyMap<IndicatorType, IndicatorKind> = new Map([
  [IndicatorType.ADDRESSES, ADDRESS],
  [IndicatorType.EMAIL_ADDRESSES, EMAIL_ADDRESS],
  [IndicatorType.FILES, FILE],
  [IndicatorType.HOSTS, HOST],
  [IndicatorType.URLS, URL_KIND],
]);

/** The built-in indicator kinds by their API `type` name. */
export const INDICATOR_KIND_BY_TYPE: ReadonlyMap<string, IndicatorKind> = new Map(
  [...INDICATOR_KINDS.values()].map((k) => [k.type, k]),
);

/** The built-in indicator kinds by their URL branch (`hosts`). */
export const INDICATOR_KIND_BY_BRANCH: ReadonlyMap<string, IndicatorKind> = new Map(
  [...INDICATOR_KINDS.values()].map((k) => [k.branch, k]),
);

/** A group type. */
export interface GroupKind {
  /** `type` as the API names it: `Adversary`, `Campaign`, `Document`, `Email`, `Incident`, `Signature`, `Threat`. */
  readonly type: string;
  /** URL segment: `adversaries`, … */
  readonly branch: string;
  /** Key of a single object under `data`, and of the list in a typed listing. */
  readonly entity: string;
  readonly resourceType: ResourceType;
}

const group = (type: string, branch: string, entity: string, resourceType: ResourceType): GroupKind =>
  Object.freeze({ type, branch, entity, resourceType });

export const GROUP_KINDS: readonly GroupKind[] = Object.freeze([
  group('Adversary', 'adversaries', 'adversary', ResourceType.ADVERSARIES),
  group('Campaign', 'campaigns', 'campaign', ResourceType.CAMPAIGNS),
  group('Document', 'documents', 'document', ResourceType.DOCUMENTS),
  group('Email', 'emails', 'email', ResourceType.EMAILS),
  group('Incident', 'incidents', 'incident', ResourceType.INCIDENTS),
  group('Signature', 'signatures', 'signature', ResourceType.SIGNATURES),
  group('Threat', 'threats', 'threat', ResourceType.THREATS),
]);

export const GROUP_KIND_BY_TYPE: ReadonlyMap<string, GroupKind> = new Map(
  GROUP_KINDS.map((g) => [g.type, g]),
);
export const GROUP_KIND_BY_BRANCH: ReadonlyMap<string, GroupKind> = new Map(
  GROUP_KINDS.map((g) => [g.branch, g]),
);

/**
 * The kind of one item of `/v2/types/indicatorTypes` (rest-api-v2.md 6.1): a built-in type's own
 * entry, or a custom type with its `apiBranch`, `apiEntity` and `value1Label`… as value fields.
 * Undefined for an item without `name`, `apiBranch` and `apiEntity`.
 */
export function indicatorKindFromApi(item: Readonly<Record<string, unknown>>): IndicatorKind | undefined {
  const { name, apiBranch, apiEntity } = item;
  if (typeof name !== 'string' || typeof apiBranch !== 'string' || typeof apiEntity !== 'string') {
    return undefined;
  }
  const builtIn = INDICATOR_KIND_BY_TYPE.get(name);
  if (builtIn !== undefined && String(item.custom) !== 'true') return builtIn;
  const valueFields: string[] = [];
  for (let n = 1; typeof item[`value${n}Label`] === 'string'; n += 1) {
    valueFields.push(item[`value${n}Label`] as string);
  }
  return Object.freeze({
    type: name,
    branch: apiBranch,
    entity: apiEntity,
    listKey: apiEntity,
    indicatorType: IndicatorType.CUSTOM_INDICATORS,
    valueFields: Object.freeze(valueFields.length > 0 ? valueFields : ['summary']),
    builtIn: false,
  });
}
