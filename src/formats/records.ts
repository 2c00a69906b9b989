/**
 * The records the formats print (decisions.md 3.1): plain objects in the SDK's field names, one
 * interface per indicator and group type, and the conversion from the API's wire items.
 *
 * Every field but `type` may be missing, `null` or `undefined`; all three mean "no value".
 */
import { ValidationError } from '../core/errors.js';

/** A text field of a record; null or undefined when absent. */
export type Text = string | null | undefined;
/** A numeric field of a record; null or undefined when absent. */
export type Num = number | null | undefined;
/** A boolean field of a record; null or undefined when absent. */
export type Bool = boolean | null | undefined;

/** The indicator types the SDK models; any other type name is a custom type such as `ASN`. */
export type IndicatorTypeName = 'Address' | 'EmailAddress' | 'File' | 'Host' | 'URL';

/** The group types the SDK models. */
export type GroupTypeName =
  | 'Adversary'
  | 'Campaign'
  | 'Document'
  | 'Email'
  | 'Incident'
  | 'Signature'
  | 'Threat';

/** The fields every indicator has. */
export interface IndicatorFields {
  readonly id?: Num;
  readonly ownerName?: Text;
  /** ISO 8601 text as the API sends it (`2015-06-21T10:40:33-05:00`). */
  readonly dateAdded?: Text;
  readonly lastModified?: Text;
  readonly description?: Text;
  /** 0-100. */
  readonly confidence?: Num;
  /** 0-5; printed as a float (`1.0`). */
  readonly rating?: Num;
  /** The API's `webLink`. */
  readonly weblink?: Text;
}

export interface AddressRecord extends IndicatorFields {
  readonly type: 'Address';
  /** IPv4 or IPv6. */
  readonly ip?: Text;
}

export interface EmailAddressRecord extends IndicatorFields {
  readonly type: 'EmailAddress';
  readonly address?: Text;
}

export interface FileRecord extends IndicatorFields {
  readonly type: 'File';
  readonly md5?: Text;
  readonly sha1?: Text;
  readonly sha256?: Text;
  /** Bytes, when the API gave it. */
  readonly size?: Num;
}

export interface HostRecord extends IndicatorFields {
  readonly type: 'Host';
  readonly hostName?: Text;
  readonly dnsActive?: Bool;
  readonly whoisActive?: Bool;
}

export interface UrlRecord extends IndicatorFields {
  readonly type: 'URL';
  readonly text?: Text;
  /** The displayed Source attribute, when the API gave it. */
  readonly source?: Text;
}

/** An indicator of a type the SDK does not model (a custom type such as `ASN`). */
export interface CustomIndicatorRecord extends IndicatorFields {
  readonly type: string;
  /** The API's `summary`: the value, several values joined by ` : `. */
  readonly summary?: Text;
}

/** A record of any indicator type, as the formatters take it. */
export type IndicatorRecord =
  | AddressRecord
  | EmailAddressRecord
  | FileRecord
  | HostRecord
  | UrlRecord
  | CustomIndicatorRecord;

/** The fields every group has. */
export interface GroupFields {
  readonly id?: Num;
  readonly name?: Text;
  readonly ownerName?: Text;
  readonly dateAdded?: Text;
  readonly weblink?: Text;
}

export interface AdversaryRecord extends GroupFields {
  readonly type: 'Adversary';
}
export interface CampaignRecord extends GroupFields {
  readonly type: 'Campaign';
  readonly firstSeen?: Text;
}
export interface DocumentRecord extends GroupFields {
  readonly type: 'Document';
  readonly fileName?: Text;
  readonly fileSize?: Num;
  readonly malware?: Bool;
  readonly password?: Text;
}
export interface EmailRecord extends GroupFields {
  readonly type: 'Email';
  readonly body?: Text;
  readonly from?: Text;
  readonly header?: Text;
  readonly score?: Num;
  readonly subject?: Text;
  readonly to?: Text;
}
export interface IncidentRecord extends GroupFields {
  readonly type: 'Incident';
  readonly eventDate?: Text;
}
export interface SignatureRecord extends GroupFields {
  readonly type: 'Signature';
  readonly fileName?: Text;
  readonly fileText?: Text;
  readonly fileType?: Text;
}
export interface ThreatRecord extends GroupFields {
  readonly type: 'Threat';
}

/** A record of any group type, as the formatters take it. */
export type GroupRecord =
  | AdversaryRecord
  | CampaignRecord
  | DocumentRecord
  | EmailRecord
  | IncidentRecord
  | SignatureRecord
  | ThreatRecord;

/** What the formatters take. */
export type FormatRecord = IndicatorRecord | GroupRecord;

/** A field value as the records hold it. */
export type FieldValue = string | number | boolean | null;

/** The JSON object of a record (`indicator.data`): every field of its type, sorted, `null` kept. */
export type RecordData = Readonly<Record<string, FieldValue>>;

// ---------------------------------------------------------------------------------------------------
// Field sets (sdk-behaviour.md 6.1)
// ---------------------------------------------------------------------------------------------------

const INDICATOR_BASE = [
  'confidence',
  'dateAdded',
  'description',
  'id',
  'lastModified',
  'ownerName',
  'rating',
  'type',
  'weblink',
] as const;

const INDICATOR_EXTRAS: Readonly<Record<IndicatorTypeName, readonly string[]>> = {
  Address: ['ip'],
  EmailAddress: ['address'],
  File: ['md5', 'sha1', 'sha256', 'size'],
  Host: ['dnsActive', 'hostName', 'whoisActive'],
  URL: ['source', 'text'],
};
const CUSTOM_EXTRAS = ['summary'];

const GROUP_BASE = ['dateAdded', 'id', 'name', 'ownerName', 'type', 'weblink'] as const;

const GROUP_EXTRAS: Readonly<Record<GroupTypeName, readonly string[]>> = {
  Adversary: [],
  Campaign: ['firstSeen'],
  Document: ['fileName', 'fileSize', 'malware', 'password'],
  Email: ['body', 'from', 'header', 'score', 'subject', 'to'],
  Incident: ['eventDate'],
  Signature: ['fileName', 'fileText', 'fileType'],
  Threat: [],
};

const INDICATOR_TYPES: ReadonlySet<string> = new Set(Object.keys(INDICATOR_EXTRAS));
const GROUP_TYPES: ReadonlySet<string> = new Set(Object.keys(GROUP_EXTRAS));

/** The fields of one record type, in sorted order. */
export interface FieldSet {
  readonly kind: 'indicator' | 'group';
  /** Sorted ordinally (as JavaScript's default sort and Python's `sorted` order them). */
  readonly keys: readonly string[];
  /** `true` where the field prints as a float (`rating`). */
  readonly float: readonly boolean[];
}

function fieldSet(kind: 'indicator' | 'group', keys: readonly string[]): FieldSet {
  const sorted = [...keys].sort();
  return Object.freeze({
    kind,
    keys: Object.freeze(sorted),
    float: Object.freeze(sorted.map((k) => k === 'rating')),
  });
}

const FIELD_SETS = new Map<string, FieldSet>();
for (const [type, extras] of Object.entries(INDICATOR_EXTRAS)) {
  FIELD_SETS.set(type, fieldSet('indicator', [...INDICATOR_BASE, ...extras]));
}
for (const [type, extras] of Object.entries(GROUP_EXTRAS)) {
  FIELD_SETS.set(type, fieldSet('group', [...GROUP_BASE, ...extras]));
}
const CUSTOM_FIELDS = fieldSet('indicator', [...INDICATOR_BASE, ...CUSTOM_EXTRAS]);
const OTHER_GROUP_FIELDS = fieldSet('group', GROUP_BASE);

/**
 * True for a group record: a modelled group type, or a type that is not a modelled indicator type on a
 * record with a `name` and no `summary` (a group type the SDK does not model, such as `Event`).
 */
export function isGroupRecord(record: FormatRecord): record is GroupRecord {
  const type = record.type;
  if (INDICATOR_TYPES.has(type)) return false;
  if (GROUP_TYPES.has(type)) return true;
  return 'name' in record && !('summary' in record);
}

/** The field set of a record's type. */
export function fieldsOf(record: FormatRecord): FieldSet {
  const found = FIELD_SETS.get(record.type);
  if (found !== undefined) return found;
  return isGroupRecord(record) ? OTHER_GROUP_FIELDS : CUSTOM_FIELDS;
}

/** Reads a field of a record: `undefined` becomes `null`. */
export function field(record: FormatRecord, key: string): unknown {
  return (record as unknown as Record<string, unknown>)[key] ?? null;
}

/** Checks that `record` is an object with a string `type`, for callers without type checking. */
export function checkRecord(record: unknown, what = 'record'): asserts record is FormatRecord {
  if (typeof record !== 'object' || record === null) {
    throw new ValidationError(`A ${what} must be an object, got ${record === null ? 'null' : typeof record}`);
  }
  const type = (record as { type?: unknown }).type;
  if (typeof type !== 'string') {
    throw new ValidationError(
      `A ${what} needs a string \`type\`, got ${type === null ? 'null' : typeof type}`,
    );
  }
}

/**
 * The record's object (`indicator.data`): every field of its type in sorted order, `null` for the
 * missing ones. Values are copied as they are: numbers stay numbers (a rating of 1.0 is `1`).
 */
export function recordData(record: FormatRecord): RecordData {
  checkRecord(record);
  const { keys } = fieldsOf(record);
  const out: Record<string, FieldValue> = {};
  for (const key of keys) out[key] = field(record, key) as FieldValue;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// From the API's wire items
// ---------------------------------------------------------------------------------------------------

/** Type names, API entities and branches of the modelled indicator types. */
const INDICATOR_ALIASES: ReadonlyMap<string, IndicatorTypeName> = new Map([
  ['Address', 'Address'],
  ['address', 'Address'],
  ['addresses', 'Address'],
  ['EmailAddress', 'EmailAddress'],
  ['emailAddress', 'EmailAddress'],
  ['emailAddresses', 'EmailAddress'],
  ['File', 'File'],
  ['file', 'File'],
  ['files', 'File'],
  ['Host', 'Host'],
  ['host', 'Host'],
  ['hosts', 'Host'],
  ['URL', 'URL'],
  ['url', 'URL'],
  ['urls', 'URL'],
]);

const GROUP_ALIASES: ReadonlyMap<string, GroupTypeName> = new Map(
  (Object.keys(GROUP_EXTRAS) as GroupTypeName[]).flatMap((name): [string, GroupTypeName][] => {
    const entity = name.toLowerCase();
    const branch = name === 'Adversary' ? 'adversaries' : `${entity}s`;
    return [
      [name, name],
      [entity, name],
      [branch, name],
    ];
  }),
);

/** Wire keys that are not an indicator's value, for custom types without a `summary`. */
const NOT_A_VALUE: ReadonlySet<string> = new Set([
  'id',
  'owner',
  'ownerName',
  'type',
  'dateAdded',
  'lastModified',
  'rating',
  'confidence',
  'threatAssessRating',
  'threatAssessConfidence',
  'threatAssessScore',
  'threatAssessScoreObserved',
  'threatAssessScoreFalsePositive',
  'webLink',
  'weblink',
  'description',
  'source',
  'summary',
  'active',
  'privateFlag',
  'activeLocked',
  'observationCount',
  'falsePositiveCount',
  'falsePositiveLastReported',
  'lastObserved',
  'tag',
  'attribute',
  'securityLabel',
  'securityLabels',
  'xid',
]);

function asObject(item: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new ValidationError(`${what} must be a JSON object, got ${item === null ? 'null' : typeof item}`);
  }
  return item as Readonly<Record<string, unknown>>;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** The API's flags: JSON booleans, or the strings `"true"`/`"false"` (any case). */
function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return null;
}

function ownerNameOf(item: Readonly<Record<string, unknown>>): string | null {
  const direct = text(item.ownerName);
  if (direct !== null) return direct;
  const owner = item.owner;
  if (typeof owner === 'object' && owner !== null) return text((owner as { name?: unknown }).name);
  return null;
}

/** Splits a file summary (`md5 : sha1 : sha256`, any subset) into its hashes, by length. */
function splitHashes(summary: string): { md5: string | null; sha1: string | null; sha256: string | null } {
  const out = { md5: null as string | null, sha1: null as string | null, sha256: null as string | null };
  for (const part of summary.split(' : ')) {
    const hash = part.trim();
    if (hash === '') continue;
    if (!/^[0-9A-Fa-f]+$/.test(hash))
      throw new ValidationError(`A file summary holds a part that is not a hash: ${JSON.stringify(hash)}`);
    if (hash.length === 32) out.md5 = hash;
    else if (hash.length === 40) out.sha1 = hash;
    else if (hash.length === 64) out.sha256 = hash;
    else
      throw new ValidationError(
        `A file summary holds a hash of ${hash.length} characters (32, 40 or 64 expected): ${hash}`,
      );
  }
  return out;
}

function inferIndicatorType(item: Readonly<Record<string, unknown>>): IndicatorTypeName | undefined {
  if ('ip' in item) return 'Address';
  if ('hostName' in item) return 'Host';
  if ('md5' in item || 'sha1' in item || 'sha256' in item) return 'File';
  if ('text' in item) return 'URL';
  if ('address' in item) return 'EmailAddress';
  return undefined;
}

/** Options of {@link fromApiIndicator}. */
export interface FromApiIndicatorOptions {
  /**
   * A custom type's value fields, in order, from its definition (`value1Label`, `value2Label`…, as
   * `IndicatorKind.valueFields` holds them): an item without `summary` takes them joined by ` : `.
   */
  readonly valueFields?: readonly string[] | undefined;
}

/**
 * Builds an indicator record from the API's JSON item: a list item (`ownerName`, `webLink`, `summary`
 * or the typed value field), or a single object (`owner: { name }`). Ratings and confidence may be
 * numbers or numeric text; host flags may be `"true"`/`"false"`; a file's `summary`
 * (`md5 : sha1 : sha256`, any subset) is split into its hashes by length.
 *
 * `type` names the type when the item has no `type` (typed listings): a type name (`Host`), an API
 * entity (`host`) or branch (`hosts`); any other text is a custom type's name (`ASN`). Without either,
 * the type is inferred from the value field (`ip`, `hostName`, hashes, `text`, `address`).
 *
 * A custom type's value is its `summary`; without one (a typed listing), the `valueFields` of its
 * definition joined by ` : ` when given, else the item's other string fields joined by ` : `, in their
 * order (ThreatConnect's summary of a multi-value type).
 */
export function fromApiIndicator(
  item: unknown,
  type?: string,
  options: FromApiIndicatorOptions = {},
): IndicatorRecord {
  const wire = asObject(item, 'An indicator item');
  const wireType = text(wire.type);
  const named = wireType ?? type;
  const typeName = named === undefined ? inferIndicatorType(wire) : (INDICATOR_ALIASES.get(named) ?? named);
  if (typeName === undefined || typeName === '') {
    throw new ValidationError('An indicator item has no `type`, and none was given or could be inferred');
  }
  const common = {
    confidence: num(wire.confidence),
    dateAdded: text(wire.dateAdded),
    description: text(wire.description),
    id: num(wire.id),
    lastModified: text(wire.lastModified),
    ownerName: ownerNameOf(wire),
    rating: num(wire.rating),
    weblink: text(wire.webLink ?? wire.weblink),
  };
  const summary = text(wire.summary);
  switch (typeName) {
    case 'Address':
      return { type: 'Address', ...common, ip: text(wire.ip) ?? summary };
    case 'EmailAddress':
      return { type: 'EmailAddress', ...common, address: text(wire.address) ?? summary };
    case 'Host':
      return {
        type: 'Host',
        ...common,
        hostName: text(wire.hostName) ?? summary,
        dnsActive: flag(wire.dnsActive),
        whoisActive: flag(wire.whoisActive),
      };
    case 'URL':
      return { type: 'URL', ...common, text: text(wire.text) ?? summary, source: text(wire.source) };
    case 'File': {
      const fromSummary = summary === null ? null : splitHashes(summary);
      return {
        type: 'File',
        ...common,
        md5: text(wire.md5) ?? fromSummary?.md5 ?? null,
        sha1: text(wire.sha1) ?? fromSummary?.sha1 ?? null,
        sha256: text(wire.sha256) ?? fromSummary?.sha256 ?? null,
        size: num(wire.size),
      };
    }
    default: {
      let value = summary;
      const labels = options.valueFields;
      if (value === null && labels !== undefined && labels.length > 0) {
        const parts = labels
          .map((label) => text(wire[label]))
          .filter((v): v is string => v !== null && v !== '');
        value = parts.length === 0 ? null : parts.join(' : ');
      } else if (value === null) {
        const parts: string[] = [];
        for (const [key, v] of Object.entries(wire))
          if (!NOT_A_VALUE.has(key) && typeof v === 'string') parts.push(v);
        value = parts.length === 0 ? null : parts.join(' : ');
      }
      return { type: typeName, ...common, summary: value };
    }
  }
}

/**
 * Builds a group record from the API's JSON item (list item or single object), with its type's own
 * fields (sdk-behaviour.md 6.1). `type` names the type when the item has none (typed listings): a type
 * name (`Adversary`), entity (`adversary`) or branch (`adversaries`).
 */
export function fromApiGroup(item: unknown, type?: string): GroupRecord {
  const wire = asObject(item, 'A group item');
  const named = text(wire.type) ?? type;
  if (named === undefined || named === '') {
    throw new ValidationError('A group item has no `type`, and none was given');
  }
  const typeName = GROUP_ALIASES.get(named) ?? named;
  const common = {
    dateAdded: text(wire.dateAdded),
    id: num(wire.id),
    name: text(wire.name),
    ownerName: ownerNameOf(wire),
    weblink: text(wire.webLink ?? wire.weblink),
  };
  switch (typeName) {
    case 'Campaign':
      return { type: 'Campaign', ...common, firstSeen: text(wire.firstSeen) };
    case 'Document':
      return {
        type: 'Document',
        ...common,
        fileName: text(wire.fileName),
        fileSize: num(wire.fileSize),
        malware: flag(wire.malware),
        password: text(wire.password),
      };
    case 'Email':
      return {
        type: 'Email',
        ...common,
        body: text(wire.body),
        from: text(wire.from),
        header: text(wire.header),
        score: num(wire.score),
        subject: text(wire.subject),
        to: text(wire.to),
      };
    case 'Incident':
      return { type: 'Incident', ...common, eventDate: text(wire.eventDate) };
    case 'Signature':
      return {
        type: 'Signature',
        ...common,
        fileName: text(wire.fileName),
        fileText: text(wire.fileText),
        fileType: text(wire.fileType),
      };
    case 'Adversary':
    case 'Threat':
      return { type: typeName, ...common };
    default:
      // A group type the SDK does not model (Event, Report, …): its common fields.
      return { type: typeName, ...common } as unknown as GroupRecord;
  }
}
