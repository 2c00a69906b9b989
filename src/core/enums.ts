/**
 * The original SDK's enums as `const` objects with the original values (decisions.md 1.7), plus a
 * name lookup so that values print as the original printed them (`ResourceType.ADVERSARIES`).
 */

/** Post-filter comparison operators. The original's values were Python functions; ours are the names. */
export const FilterOperator = Object.freeze({
  EQ: 'EQ',
  NE: 'NE',
  GT: 'GT',
  GE: 'GE',
  LT: 'LT',
  LE: 'LE',
} as const);
export type FilterOperator = (typeof FilterOperator)[keyof typeof FilterOperator];

/** How a filter object combines with the ones before it. */
export const FilterSetOperator = Object.freeze({
  AND: 'and',
  OR: 'or',
} as const);
export type FilterSetOperator = (typeof FilterSetOperator)[keyof typeof FilterSetOperator];

/** Indicator types, with the original's numeric values. */
export const IndicatorType = Object.freeze({
  ADDRESSES: 515,
  EMAIL_ADDRESSES: 525,
  FILES: 535,
  HOSTS: 545,
  URLS: 555,
  CUSTOM_INDICATORS: 565,
} as const);
export type IndicatorType = (typeof IndicatorType)[keyof typeof IndicatorType];

/**
 * Resource types, with the original's numeric values (sdk-behaviour.md 3.1). `BULK` and `TAGS`
 * come from the original's source (they are not listed in the spec's subset).
 */
export const ResourceType = Object.freeze({
  OWNERS: 30,
  OWNER_MEMBERS: 34,
  OWNER_METRICS: 36,
  BULK: 40,
  ADVERSARIES: 115,
  CAMPAIGNS: 120,
  DOCUMENTS: 125,
  EMAILS: 135,
  GROUPS: 150,
  INCIDENTS: 165,
  SIGNATURES: 185,
  TAGS: 195,
  TASKS: 200,
  THREATS: 205,
  INDICATORS: 505,
  ADDRESSES: 515,
  EMAIL_ADDRESSES: 525,
  FILES: 535,
  HOSTS: 545,
  URLS: 555,
  CUSTOM_INDICATORS: 565,
  VICTIMS: 905,
  VICTIM_ASSETS: 1005,
  VICTIM_EMAIL_ADDRESSES: 1015,
  VICTIM_NETWORK_ACCOUNTS: 1025,
  VICTIM_PHONES: 1035,
  VICTIM_SOCIAL_NETWORKS: 1045,
  VICTIM_WEBSITES: 1055,
  BATCH_JOBS: 1075,
  DNS_RESOLUTIONS: 1080,
} as const);
export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType];

/** The member name of a value in one of the enums above, or `undefined` when it is not a member. */
export function enumName(
  enumObject: Readonly<Record<string, string | number>>,
  value: unknown,
): string | undefined {
  for (const [name, member] of Object.entries(enumObject)) {
    if (member === value) return name;
  }
  return undefined;
}

/**
 * The name of a `ResourceType` value as the original printed it: `ResourceType.ADVERSARIES` for 115;
 * `undefined` for a value that is not a member.
 * @example
 * console.log(resourceTypeName(ResourceType.ADVERSARIES)); // ResourceType.ADVERSARIES
 */
export function resourceTypeName(value: unknown): string | undefined {
  const name = enumName(ResourceType, value);
  return name === undefined ? undefined : `ResourceType.${name}`;
}

/** The name of an `IndicatorType` value: `IndicatorType.HOSTS` for 545; `undefined` for another value. */
export function indicatorTypeName(value: unknown): string | undefined {
  const name = enumName(IndicatorType, value);
  return name === undefined ? undefined : `IndicatorType.${name}`;
}

/** The name of a `FilterOperator` value: `FilterOperator.GE`; `undefined` for another value. */
export function filterOperatorName(value: unknown): string | undefined {
  const name = enumName(FilterOperator, value);
  return name === undefined ? undefined : `FilterOperator.${name}`;
}

/** The name of a `FilterSetOperator` value: `FilterSetOperator.AND` for `'and'`; `undefined` for another value. */
export function filterSetOperatorName(value: unknown): string | undefined {
  const name = enumName(FilterSetOperator, value);
  return name === undefined ? undefined : `FilterSetOperator.${name}`;
}

/** True when `value` is a member of `ResourceType`. */
export function isResourceType(value: unknown): value is ResourceType {
  return enumName(ResourceType, value) !== undefined;
}

/** True when `value` is a member of `IndicatorType`. */
export function isIndicatorType(value: unknown): value is IndicatorType {
  return enumName(IndicatorType, value) !== undefined;
}

/** True when `value` is a member of `FilterOperator`. */
export function isFilterOperator(value: unknown): value is FilterOperator {
  return enumName(FilterOperator, value) !== undefined;
}

/** True when `value` is a member of `FilterSetOperator`. */
export function isFilterSetOperator(value: unknown): value is FilterSetOperator {
  return enumName(FilterSetOperator, value) !== undefined;
}
