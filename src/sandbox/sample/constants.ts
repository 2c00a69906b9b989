/** Fixed names and word lists of the sample data. */
import type {
  SampleGroupType,
  SampleOwner,
  SampleSecurityLabel,
  SampleTaskUser,
  SampleUser,
} from '../sample-types.js';

export const EXAMPLE_ORG = 'Example Org';
export const EXAMPLE_COMMUNITY = 'Example Community';
export const COMMON_COMMUNITY = 'Common Community';
export const OWNER_NAMES: readonly string[] = [EXAMPLE_ORG, EXAMPLE_COMMUNITY, COMMON_COMMUNITY];

export const OWNERS: readonly Readonly<SampleOwner>[] = [
  { id: 1, name: EXAMPLE_ORG, type: 'Organization' },
  { id: 2, name: EXAMPLE_COMMUNITY, type: 'Community' },
  { id: 3, name: COMMON_COMMUNITY, type: 'Community' },
];

export const MAIN_USER: Readonly<SampleTaskUser> = {
  userName: 'sandbox.analyst',
  firstName: 'Sam',
  lastName: 'Analyst',
};
export const RESTRICTED_USER: Readonly<SampleTaskUser> = {
  userName: 'sandbox.restricted',
  firstName: 'Riley',
  lastName: 'Restricted',
};

export const USERS: readonly Readonly<SampleUser>[] = [
  { role: 'main', ...MAIN_USER, owners: [EXAMPLE_ORG, EXAMPLE_COMMUNITY, COMMON_COMMUNITY] },
  { role: 'restricted', ...RESTRICTED_USER, owners: [EXAMPLE_ORG] },
];

export const TLP_RED = 'TLP Red';
export const TLP_AMBER = 'TLP Amber';
export const TLP_GREEN = 'TLP Green';
export const TLP_WHITE = 'TLP White';
/** Labels the generated records may carry (never `TLP Red`). */
export const GENERATED_LABELS: readonly string[] = [TLP_AMBER, TLP_GREEN, TLP_WHITE];

/** The built-in labels, in every owner, sorted by name (decisions.md 2.4); without their owner. */
export const SECURITY_LABELS: readonly Readonly<Omit<SampleSecurityLabel, 'ownerName'>>[] = [
  {
    name: TLP_AMBER,
    description:
      'Limited disclosure: recipients may share it only within their organization and its clients.',
    dateAdded: '2015-01-05T09:00:00-05:00',
  },
  {
    name: TLP_GREEN,
    description: 'Limited disclosure: recipients may share it within their community.',
    dateAdded: '2015-01-05T09:00:00-05:00',
  },
  {
    name: TLP_RED,
    description: 'Not for disclosure: restricted to the participants only.',
    dateAdded: '2015-01-05T09:00:00-05:00',
  },
  {
    name: TLP_WHITE,
    description: 'Disclosure is not limited.',
    dateAdded: '2015-01-05T09:00:00-05:00',
  },
  {
    name: 'TLP:AMBER',
    description:
      'TLP 2.0, limited disclosure: recipients may share it on a need-to-know basis within their organization and its clients.',
    dateAdded: '2022-08-01T09:00:00-05:00',
  },
  {
    name: 'TLP:AMBER+STRICT',
    description:
      'TLP 2.0, limited disclosure: recipients may share it on a need-to-know basis within their organization only.',
    dateAdded: '2022-08-01T09:00:00-05:00',
  },
  {
    name: 'TLP:CLEAR',
    description: 'TLP 2.0: disclosure is not limited.',
    dateAdded: '2022-08-01T09:00:00-05:00',
  },
  {
    name: 'TLP:GREEN',
    description: 'TLP 2.0, limited disclosure: recipients may share it within their community.',
    dateAdded: '2022-08-01T09:00:00-05:00',
  },
  {
    name: 'TLP:RED',
    description: 'TLP 2.0: for the eyes and ears of individual recipients only, no further disclosure.',
    dateAdded: '2022-08-01T09:00:00-05:00',
  },
  {
    name: 'TLP:WHITE',
    description: 'TLP 1.0: disclosure is not limited (TLP:CLEAR in TLP 2.0).',
    dateAdded: '2017-01-05T09:00:00-05:00',
  },
];

export const TAG_APT = 'APT';
export const TAG_EXAMPLE = 'EXAMPLE';
/** Tags the generated records may carry besides APT (never `EXAMPLE`). */
export const GENERATED_TAGS: readonly string[] = [
  'Botnet',
  'C2',
  'Crimeware',
  'Exfiltration',
  'Nation State',
  'Phishing',
  'Ransomware',
  'Watchlist',
];

export const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  APT: 'Advanced persistent threat activity.',
  EXAMPLE: 'Records used by the documentation examples.',
  Phishing: 'Credential or malware delivery by e-mail.',
  Ransomware: 'Extortion by encrypting data.',
};

/** The seven group types in the order of the sandbox's type table (`GROUP_TYPES` of ../types.ts). */
export const GROUP_TYPE_NAMES: readonly SampleGroupType[] = [
  'Adversary',
  'Campaign',
  'Document',
  'Email',
  'Incident',
  'Signature',
  'Threat',
];

export const ADJECTIVES: readonly string[] = [
  'Amber',
  'Ashen',
  'Cobalt',
  'Crimson',
  'Dusky',
  'Emerald',
  'Frosty',
  'Gilded',
  'Hollow',
  'Indigo',
  'Iron',
  'Jade',
  'Lunar',
  'Misty',
  'Obsidian',
  'Quiet',
  'Rusty',
  'Scarlet',
  'Silent',
  'Solar',
  'Stormy',
  'Velvet',
  'Wicked',
  'Zinc',
];

export const ANIMALS: readonly string[] = [
  'Badger',
  'Bear',
  'Cobra',
  'Condor',
  'Coyote',
  'Falcon',
  'Ferret',
  'Heron',
  'Hornet',
  'Jackal',
  'Kestrel',
  'Lynx',
  'Mantis',
  'Marten',
  'Otter',
  'Panda',
  'Raven',
  'Scorpion',
  'Shrike',
  'Spider',
  'Tiger',
  'Viper',
  'Weasel',
  'Wolf',
];

/** Lower-case words for host names, URLs and mailboxes. */
export const WORDS: readonly string[] = [
  'alpha',
  'apex',
  'atlas',
  'beacon',
  'bright',
  'cargo',
  'cedar',
  'cloud',
  'delta',
  'drift',
  'echo',
  'ember',
  'fleet',
  'forge',
  'glide',
  'harbor',
  'horizon',
  'ivory',
  'jet',
  'kite',
  'lumen',
  'maple',
  'metro',
  'nimbus',
  'nova',
  'orbit',
  'pixel',
  'prism',
  'quartz',
  'relay',
  'ridge',
  'sable',
  'signal',
  'summit',
  'tango',
  'terra',
  'update',
  'vector',
  'willow',
  'zephyr',
];

export const TOP_LEVEL_DOMAINS: readonly string[] = [
  'com',
  'net',
  'org',
  'info',
  'biz',
  'io',
  'ru',
  'cn',
  'xyz',
  'top',
];

export const URL_PATHS: readonly string[] = [
  'login',
  'admin',
  'gate.php',
  'download',
  'update/check',
  'wp-content/plugins',
  'api/v1/beacon',
  'files/invoice.doc',
  'panel',
  'index.html',
];

export const FIRST_NAMES: readonly string[] = [
  'Alex',
  'Blair',
  'Casey',
  'Dana',
  'Emery',
  'Jordan',
  'Morgan',
  'Quinn',
  'Robin',
  'Taylor',
];
export const LAST_NAMES: readonly string[] = [
  'Abbott',
  'Brooks',
  'Chen',
  'Diaz',
  'Ellis',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Novak',
];
export const ORGANIZATIONS: readonly string[] = [
  'Northwind Traders',
  'Contoso',
  'Fabrikam',
  'Tailspin Toys',
  'Woodgrove Bank',
];
export const DEPARTMENTS: readonly string[] = [
  'Finance',
  'Human Resources',
  'Research',
  'Legal',
  'Operations',
  'IT',
];
export const LOCATIONS: readonly string[] = ['Headquarters', 'Branch Office', 'Data Center', 'Remote'];
export const NATIONALITIES: readonly string[] = ['American', 'British', 'Canadian', 'German', 'Japanese'];
export const SOCIAL_NETWORKS: readonly string[] = ['Twitter', 'LinkedIn', 'Facebook'];

export const TASK_ACTIONS: readonly string[] = [
  'Review',
  'Triage',
  'Block',
  'Enrich',
  'Report on',
  'Hunt for',
];
export const TASK_OBJECTS: readonly string[] = [
  'phishing report',
  'suspicious logins',
  'beaconing hosts',
  'new malware samples',
  'partner advisory',
  'firewall alerts',
];
