/** Static type tables of the sandbox: indicator and group types as the v2 API names them. */

export interface IndicatorTypeInfo {
  /** The `type` value on the wire. */
  name: string;
  /** Path branch, e.g. `hosts`. */
  branch: string;
  /** JSON data key, e.g. `host`. */
  entity: string;
  /** Value field names in summary order. */
  fields: readonly string[];
  /** Custom types: `valueNType` of each field (`text` when absent). */
  fieldTypes?: readonly string[];
  custom: boolean;
  /** How values are compared when addressed by value. */
  casePreference: 'upper' | 'lower' | 'sensitive';
}

export const INDICATOR_TYPES: readonly IndicatorTypeInfo[] = [
  {
    name: 'Address',
    branch: 'addresses',
    entity: 'address',
    fields: ['ip'],
    custom: false,
    casePreference: 'lower',
  },
  {
    name: 'EmailAddress',
    branch: 'emailAddresses',
    entity: 'emailAddress',
    fields: ['address'],
    custom: false,
    casePreference: 'lower',
  },
  {
    name: 'File',
    branch: 'files',
    entity: 'file',
    fields: ['md5', 'sha1', 'sha256'],
    custom: false,
    casePreference: 'upper',
  },
  {
    name: 'Host',
    branch: 'hosts',
    entity: 'host',
    fields: ['hostName'],
    custom: false,
    casePreference: 'lower',
  },
  {
    name: 'URL',
    branch: 'urls',
    entity: 'url',
    fields: ['text'],
    custom: false,
    casePreference: 'sensitive',
  },
  {
    name: 'ASN',
    branch: 'asns',
    entity: 'asn',
    fields: ['AS Number'],
    custom: true,
    casePreference: 'upper',
  },
];

export const INDICATOR_BY_BRANCH = new Map(INDICATOR_TYPES.map((t) => [t.branch, t]));
export const INDICATOR_BY_NAME = new Map(INDICATOR_TYPES.map((t) => [t.name, t]));

export interface GroupTypeInfo {
  name: string;
  branch: string;
  entity: string;
  /** Type-specific fields a client may write. */
  writable: readonly string[];
  /** Fields required on create, besides `name`. */
  required: readonly string[];
  /** Type-specific fields shown in typed listings (rest-api-v2.md 7.2). */
  listed: readonly string[];
}

export const GROUP_TYPES: readonly GroupTypeInfo[] = [
  { name: 'Adversary', branch: 'adversaries', entity: 'adversary', writable: [], required: [], listed: [] },
  {
    name: 'Campaign',
    branch: 'campaigns',
    entity: 'campaign',
    writable: ['firstSeen'],
    required: [],
    listed: ['firstSeen'],
  },
  {
    name: 'Document',
    branch: 'documents',
    entity: 'document',
    writable: ['fileName', 'malware', 'password'],
    required: ['fileName'],
    listed: [],
  },
  {
    name: 'Email',
    branch: 'emails',
    entity: 'email',
    writable: ['subject', 'header', 'body', 'from', 'to'],
    required: ['subject', 'header', 'body'],
    listed: ['score'],
  },
  {
    name: 'Incident',
    branch: 'incidents',
    entity: 'incident',
    writable: ['eventDate', 'status'],
    required: ['eventDate'],
    listed: ['eventDate'],
  },
  {
    name: 'Signature',
    branch: 'signatures',
    entity: 'signature',
    writable: ['fileName', 'fileType', 'fileText'],
    required: ['fileName', 'fileType', 'fileText'],
    listed: ['fileType'],
  },
  { name: 'Threat', branch: 'threats', entity: 'threat', writable: [], required: [], listed: [] },
];

export const GROUP_BY_BRANCH = new Map(GROUP_TYPES.map((t) => [t.branch, t]));
export const GROUP_BY_NAME = new Map(GROUP_TYPES.map((t) => [t.name, t]));

export const INCIDENT_STATUSES = [
  'New',
  'Open',
  'Stalled',
  'Containment Achieved',
  'Restoration Achieved',
  'Incident Reported',
  'Closed',
  'Rejected',
  'Deleted',
] as const;

export const SIGNATURE_FILE_TYPES = [
  'Bro',
  'ClamAV',
  'CybOX',
  'Iris Search Hash',
  'KQL',
  'OpenIOC',
  'Regex',
  'SPL',
  'Sigma',
  'Snort',
  'Suricata',
  'TQL Query',
  'YARA',
] as const;

export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on Someone',
  'Deferred',
] as const;

export const VICTIM_ASSET_TYPES = [
  {
    branch: 'emailAddresses',
    type: 'EmailAddress',
    entity: 'victimEmailAddress',
    required: 'address',
    optional: ['addressType'],
  },
  {
    branch: 'networkAccounts',
    type: 'NetworkAccount',
    entity: 'victimNetworkAccount',
    required: 'account',
    optional: ['network'],
  },
  { branch: 'phoneNumbers', type: 'Phone', entity: 'victimPhone', required: 'phoneType', optional: [] },
  {
    branch: 'socialNetworks',
    type: 'SocialNetwork',
    entity: 'victimSocialNetwork',
    required: 'account',
    optional: ['network'],
  },
  { branch: 'webSites', type: 'WebSite', entity: 'victimWebSite', required: 'webSite', optional: [] },
] as const;

/** Item kinds stored in the `links` table. */
export type ItemKind = 'indicator' | 'group' | 'victim' | 'task' | 'tag' | 'label';

/**
 * An API user's HMAC credentials. Here rather than in store.ts, so that the public declarations of
 * `threatconnect/sandbox` do not reach better-sqlite3's types (a types-only dev dependency).
 */
export interface Credentials {
  /** The access id. */
  accessId: string;
  /** The secret key. */
  secretKey: string;
}
