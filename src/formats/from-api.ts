/**
 * The conversion from the API's wire items to the records the formats print (decisions.md 3.1;
 * records.ts has the records themselves).
 */
import { ValidationError } from '../core/errors.js';
import {
  GROUP_TYPE_NAMES,
  type GroupRecord,
  type GroupTypeName,
  type IndicatorRecord,
  type IndicatorTypeName,
} from './records.js';

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
  GROUP_TYPE_NAMES.flatMap((name): [string, GroupTypeName][] => {
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

/**
 * Splits a file summary (`md5 : sha1 : sha256`, any subset) into its hashes, by length, by the rule of
 * the resource objects (`splitFileSummary`, src/resources/indicator-values.ts), so an item gives the same
 * record either way: parts are split at `:` and trimmed; a part that is not 32, 40 or 64 hex digits is
 * ignored; of two parts of one length the first is kept. The typed fields (`md5`, …) win over it.
 */
function splitHashes(summary: string): { md5: string | null; sha1: string | null; sha256: string | null } {
  const out = { md5: null as string | null, sha1: null as string | null, sha256: null as string | null };
  for (const part of summary.split(':')) {
    const hash = part.trim();
    if (!/^[0-9A-Fa-f]+$/.test(hash)) continue;
    if (hash.length === 32) out.md5 ??= hash;
    else if (hash.length === 40) out.sha1 ??= hash;
    else if (hash.length === 64) out.sha256 ??= hash;
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
 * (`md5 : sha1 : sha256`, any subset) is split into its hashes by length, for the hash fields the item
 * lacks; a part that is not a hash is ignored, and of two hashes of one length the first is kept.
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
