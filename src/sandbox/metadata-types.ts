/**
 * The sandbox's attribute types and association types (rest-api-v2.md 9 and 10): deterministic tables,
 * served by `/v2/types/attributeTypes` and `/v2/types/associationTypes`. The attribute endpoints accept
 * exactly the attribute types listed here, within their `maxSize`.
 */

export interface AttributeTypeInfo {
  name: string;
  description: string;
  /** Longest value, in characters. */
  maxSize: number;
  allowMarkdown: boolean;
  /** A type every owner has (all of the sandbox's are). */
  system: boolean;
  /** `includes=validationRule`: a pattern the value must match, when the type has one. */
  validationRule?: { name: string; type: 'regex'; text: string; description: string };
}

const type = (
  name: string,
  description: string,
  maxSize: number,
  allowMarkdown: boolean,
  validationRule?: AttributeTypeInfo['validationRule'],
): AttributeTypeInfo =>
  validationRule === undefined
    ? { name, description, maxSize, allowMarkdown, system: true }
    : { name, description, maxSize, allowMarkdown, system: true, validationRule };

const ISO_DATE = {
  name: 'ISO 8601 date',
  type: 'regex' as const,
  text: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$',
  description: 'A date such as 2024-01-02 or 2024-01-02T03:04:05Z',
};

/** In name order, as the listing shows them. */
export const ATTRIBUTE_TYPES: readonly AttributeTypeInfo[] = [
  type('Additional Analysis and Context', 'Analysis and context about the item.', 65_536, true),
  type('Description', 'A description of the item.', 65_536, true),
  type('External Date Created', 'When the item was created in an external source.', 32, false, ISO_DATE),
  type('External Date Expires', 'When the item expires in an external source.', 32, false, ISO_DATE),
  type('External ID', 'The identifier of the item in an external source.', 500, false),
  type('First Seen', 'When the item was first seen.', 32, false, ISO_DATE),
  type('Last Seen', 'When the item was last seen.', 32, false, ISO_DATE),
  type('Phase of Intrusion', 'The kill chain phase the item belongs to.', 500, false),
  type('Source', 'Where the information came from.', 65_536, true),
  type('Targeted Industry', 'An industry the item targets.', 500, false),
  type('Title', 'A short title.', 500, false),
];

export const ATTRIBUTE_TYPE_BY_NAME = new Map(ATTRIBUTE_TYPES.map((t) => [t.name.toLowerCase(), t]));

export interface AssociationTypeInfo {
  name: string;
  /** Path segment: `/associations/{apiBranch}/...`, or `/actions/{apiBranch}/...` for a file action. */
  apiBranch: string;
  /** Instance-defined association types (the typed ones); the file actions are not custom. */
  custom: boolean;
  fileAction: boolean;
  /** The indicator type pairs it links, by `type` name. A file action links a File to the second type. */
  pairs: readonly (readonly [string, string])[];
}

const custom = (name: string, apiBranch: string, ...pairs: [string, string][]): AssociationTypeInfo => ({
  name,
  apiBranch,
  custom: true,
  fileAction: false,
  pairs,
});
const action = (name: string, apiBranch: string, ...targets: string[]): AssociationTypeInfo => ({
  name,
  apiBranch,
  custom: false,
  fileAction: true,
  pairs: targets.map((t) => ['File', t] as const),
});

/** rest-api-v2.md 10: the documented association types and file actions. */
export const ASSOCIATION_TYPES: readonly AssociationTypeInfo[] = [
  custom('Address to User Agent', 'addressToUserAgent', ['Address', 'User Agent']),
  custom('ASN to Address', 'asnToAddress', ['ASN', 'Address']),
  custom('ASN to CIDR', 'asnToCidr', ['ASN', 'CIDR']),
  custom('CIDR to Address', 'cidrToAddress', ['CIDR', 'Address']),
  custom('DNS PTR Record', 'dnsPtrRecord', ['Address', 'Host']),
  custom('Domain Registrant', 'domainRegistrant', ['Host', 'EmailAddress']),
  custom('File Download', 'fileDownload', ['URL', 'File']),
  custom('URL Host', 'urlHost', ['URL', 'Address'], ['URL', 'Host']),
  action('File Archive', 'archive', 'File'),
  action('File DNS Query', 'dnsQuery', 'Host'),
  action('File Drop', 'drop', 'File'),
  action('File Mutex', 'mutex', 'Mutex'),
  action('File Registry Key', 'registryKey', 'Registry Key'),
  action('File Traffic', 'traffic', 'Address', 'Host', 'URL'),
  action('File User Agent', 'userAgent', 'User Agent'),
];

/** Whether `assoc` links an indicator of type `a` (the path's item) to one of type `b`. */
export function linksTypes(assoc: AssociationTypeInfo, a: string, b: string): boolean {
  return assoc.pairs.some(([x, y]) => (x === a && y === b) || (!assoc.fileAction && x === b && y === a));
}
