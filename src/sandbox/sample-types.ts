/**
 * The shape of the sandbox's deterministic sample data (decisions.md 2.6).
 *
 * Records are in the wire shape of v2 list items (`ownerName`, `type`, `summary`, host flags as strings),
 * plus link arrays (`tags`, `securityLabels`, `attributes`, `groupIds`, `indicatorIds`, ...).
 * The sandbox seeds its database from exactly these records, so tests can compute expected answers
 * from `sampleData(n)` without asking the server.
 */

/** Kinds of item that can carry metadata and take part in associations. */
export type SampleItemKind = 'indicator' | 'group' | 'victim' | 'task';

/** The kind of an owner. */
export type SampleOwnerType = 'Organization' | 'Community' | 'Source';

/** An owner of the sample data. */
export interface SampleOwner {
  id: number;
  name: string;
  type: SampleOwnerType;
}

/**
 * An API user. Credentials are not part of the sample data: `startSandbox` generates them (or takes them
 * from its options) and stores them with the user.
 */
export interface SampleUser {
  /** `main` is the user whose credentials `startSandbox` returns; `restricted` is `restrictedUser`. */
  role: 'main' | 'restricted';
  userName: string;
  firstName: string;
  lastName: string;
  /** Names of the owners this user may access. The first one is the user's organization (default owner). */
  owners: string[];
}

/** An attribute as the sample data holds it. */
export interface SampleAttribute {
  id: number;
  type: string;
  value: string;
  displayed: boolean;
  source?: string;
  dateAdded: string;
  lastModified: string;
}

/** An attribute together with the item that carries it (the top-level `attributes` list). */
export interface SampleItemAttribute extends SampleAttribute {
  itemKind: SampleItemKind;
  itemId: number;
}

/** The indicator types of the sample data (ASN is the custom type). */
export type SampleIndicatorType = 'Address' | 'EmailAddress' | 'File' | 'Host' | 'URL' | 'ASN';

/** An indicator of the sample data, in the wire shape of a list item plus its links. */
export interface SampleIndicator {
  id: number;
  ownerName: string;
  type: SampleIndicatorType;
  dateAdded: string;
  lastModified: string;
  rating?: number;
  confidence?: number;
  threatAssessRating?: number;
  threatAssessConfidence?: number;
  /**
   * Fixed records carry their recorded absolute webLink verbatim. Generated records carry a path that
   * starts with `/auth/`, which the sandbox prefixes with its own origin.
   */
  webLink: string;
  /** Value of the displayed Description attribute, when there is one. */
  description?: string;
  /** Value of the displayed Source attribute, when there is one. */
  source?: string;
  /** The value; files join the hashes present with ' : ' (md5, sha1, sha256). */
  summary: string;
  /** Address */
  ip?: string;
  /** EmailAddress */
  address?: string;
  /** File (upper-case hex) */
  md5?: string;
  sha1?: string;
  sha256?: string;
  size?: number;
  /** Host */
  hostName?: string;
  dnsActive?: 'true' | 'false';
  whoisActive?: 'true' | 'false';
  /** URL */
  text?: string;
  /** Custom type ASN (its value label). */
  'AS Number'?: string;
  active: boolean;
  tags: string[];
  securityLabels: string[];
  attributes: SampleAttribute[];
  groupIds: number[];
  victimIds: number[];
  taskIds: number[];
}

/** The group types of the sample data. */
export type SampleGroupType =
  | 'Adversary'
  | 'Campaign'
  | 'Document'
  | 'Email'
  | 'Incident'
  | 'Signature'
  | 'Threat';

/** A group of the sample data, in the wire shape of a list item plus its links. */
export interface SampleGroup {
  id: number;
  name: string;
  type: SampleGroupType;
  ownerName: string;
  dateAdded: string;
  lastModified: string;
  /** As for indicators: absolute for fixed records, `/auth/...` for generated ones. */
  webLink: string;
  /** Campaign */
  firstSeen?: string;
  /** Document (fileSize and status are derived from the content) */
  fileName?: string;
  fileSize?: number;
  status?: string;
  malware?: boolean;
  /** Email */
  subject?: string;
  header?: string;
  body?: string;
  from?: string;
  to?: string;
  score?: number;
  /** Incident (status above) */
  eventDate?: string;
  /** Signature (fileName above) */
  fileType?: string;
  fileText?: string;
  tags: string[];
  securityLabels: string[];
  attributes: SampleAttribute[];
  indicatorIds: number[];
  groupIds: number[];
  victimIds: number[];
  taskIds: number[];
}

/** The kinds of victim asset. */
export type SampleVictimAssetType = 'EmailAddress' | 'NetworkAccount' | 'Phone' | 'SocialNetwork' | 'WebSite';

/** A victim asset of the sample data. */
export interface SampleVictimAsset {
  id: number;
  type: SampleVictimAssetType;
  /** The asset's display name (its main value). */
  name: string;
  /** The asset's own fields, e.g. `{ account: 'jdoe', network: 'Active Directory' }`. */
  fields: Record<string, string>;
}

/** A victim of the sample data, with its assets and links. */
export interface SampleVictim {
  id: number;
  name: string;
  /** Victims have no owner on the wire; the sandbox keeps one to scope listings. */
  ownerName: string;
  description?: string;
  org?: string;
  suborg?: string;
  workLocation?: string;
  nationality?: string;
  webLink: string;
  assets: SampleVictimAsset[];
  tags: string[];
  securityLabels: string[];
  attributes: SampleAttribute[];
  indicatorIds: number[];
  groupIds: number[];
  taskIds: number[];
}

/** The statuses a task can have. */
export type SampleTaskStatus =
  | 'Not Started'
  | 'In Progress'
  | 'Completed'
  | 'Waiting on Someone'
  | 'Deferred';

/** A user named as a task's assignee or escalatee. */
export interface SampleTaskUser {
  userName: string;
  firstName: string;
  lastName: string;
}

/** A task of the sample data, with its users and links. */
export interface SampleTask {
  id: number;
  name: string;
  ownerName: string;
  dateAdded: string;
  lastModified: string;
  webLink: string;
  status: SampleTaskStatus;
  escalated: boolean;
  reminded: boolean;
  overdue: boolean;
  dueDate?: string;
  reminderDate?: string;
  escalationDate?: string;
  description?: string;
  assignee: SampleTaskUser[];
  escalatee: SampleTaskUser[];
  tags: string[];
  securityLabels: string[];
  attributes: SampleAttribute[];
  indicatorIds: number[];
  groupIds: number[];
  victimIds: number[];
}

/** A tag of one owner: tags belong to an owner, as in ThreatConnect (decisions.md 2.4). */
export interface SampleTag {
  ownerName: string;
  name: string;
  description?: string;
}

/** A security label of one owner; the built-in labels exist in every owner (decisions.md 2.4). */
export interface SampleSecurityLabel {
  ownerName: string;
  name: string;
  description: string;
  dateAdded: string;
}

/** A reference to an item of the sample data by kind and id. */
export interface SampleItemRef {
  kind: SampleItemKind;
  id: number;
}

/** One symmetric association, listed once. The link arrays on the records show it from both ends. */
export interface SampleAssociation {
  a: SampleItemRef;
  b: SampleItemRef;
}

/** The stored content of a sample document or signature. */
export interface SampleDocument {
  groupId: number;
  fileName: string;
  content: Buffer;
}

/**
 * Observations of an indicator by one user on one UTC day (rest-api-v2.md 6.6): `count` of them, the
 * last at `lastObserved`.
 */
export interface SampleObservation {
  indicatorId: number;
  userName: string;
  /** `YYYY-MM-DD` */
  dateObserved: string;
  count: number;
  /** ISO 8601, on `dateObserved`. */
  lastObserved: string;
}

/** One false-positive report: one per user, per indicator, per UTC day. */
export interface SampleFalsePositive {
  indicatorId: number;
  userName: string;
  /** ISO 8601. */
  reported: string;
}

/** Where a file was seen (files only). */
export interface SampleFileOccurrence {
  id: number;
  indicatorId: number;
  fileName?: string;
  path?: string;
  date?: string;
}

/** A host that resolved to an address on a date: one row per (host, date, address). */
export interface SampleDnsResolution {
  id: number;
  hostId: number;
  addressId: number;
  /** ISO 8601. */
  resolutionDate: string;
}

/** Everything `sampleData(n)` returns: the records the sandbox seeds its database with. */
export interface SampleData {
  owners: SampleOwner[];
  users: SampleUser[];
  indicators: SampleIndicator[];
  groups: SampleGroup[];
  victims: SampleVictim[];
  tasks: SampleTask[];
  /** The tags in use, per owner: an item's tags are its owner's. Sorted by owner id, then name. */
  tags: SampleTag[];
  /** The built-in labels, in every owner. Sorted by owner id, then name. */
  securityLabels: SampleSecurityLabel[];
  attributes: SampleItemAttribute[];
  associations: SampleAssociation[];
  documents: SampleDocument[];
  /** Indicator intelligence (rest-api-v2.md 6.6), sorted by indicator id, user and date. */
  observations: SampleObservation[];
  /** Sorted by indicator id, then report time. */
  falsePositives: SampleFalsePositive[];
  /** Sorted by id. */
  fileOccurrences: SampleFileOccurrence[];
  /** Sorted by id. */
  dnsResolutions: SampleDnsResolution[];
}
