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

/**
 * @internal The method by which an SDK object (an indicator or a group of `tc.indicators()`,
 * `tc.adversaries()`, …) gives its format record. The format functions call it, so that
 * `formatCef(indicator)` or `formatStream(container.stream(), 'csv')` print an object as its own
 * `cef`, `csv`, … properties do. Without it, an object passes for a record (its `type`, `id`,
 * `ownerName`, … are there) but lacks the record's value fields (`hostName`, `ip`, …) and `weblink`
 * (objects have `webLink`), which would silently print as empty.
 */
export const FORMAT_RECORD: unique symbol = Symbol.for('threatconnect.formatRecord');

/** @internal An object that gives its own format record (the SDK's indicator and group objects). */
export interface FormatRecordSource {
  [FORMAT_RECORD](): FormatRecord;
}

/**
 * @internal The record to print for `value`: an SDK object's own format record, else `value` itself
 * (a plain record, or something the checks will refuse).
 */
export function recordOf<T>(value: T): T {
  if (typeof value === 'object' && value !== null && FORMAT_RECORD in value) {
    const source = (value as Partial<FormatRecordSource>)[FORMAT_RECORD];
    if (typeof source === 'function') return source.call(value) as T;
  }
  return value;
}

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
/** The modelled group types, in the order of {@link GroupTypeName}. */
export const GROUP_TYPE_NAMES = Object.keys(GROUP_EXTRAS) as readonly GroupTypeName[];

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
export function recordData(value: FormatRecord): RecordData {
  const record = recordOf(value);
  checkRecord(record);
  const { keys } = fieldsOf(record);
  const out: Record<string, FieldValue> = {};
  for (const key of keys) out[key] = field(record, key) as FieldValue;
  return out;
}
