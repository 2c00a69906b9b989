/**
 * An indicator (rest-api-v2.md 6): read from list items, typed listings and single objects alike.
 *
 * The read side lives here; setters, `commit()`, `delete()` and metadata loading build on it.
 */
import { inspect } from 'node:util';
import type { ResourceContext } from './context.js';
import { FILE, INDICATOR_KIND_BY_TYPE, type IndicatorKind } from './kinds.js';
import {
  type AttributeValue,
  readAttributes,
  readNumber,
  readOwnerName,
  readString,
  readTags,
} from './values.js';

const HASH_BY_LENGTH: Readonly<Record<number, 'md5' | 'sha1' | 'sha256'>> = {
  32: 'md5',
  40: 'sha1',
  64: 'sha256',
};

/** Splits a file `summary` (`md5 : sha1 : sha256`, any subset) into its hashes, by length. */
export function splitFileSummary(summary: string): { md5?: string; sha1?: string; sha256?: string } {
  const out: { md5?: string; sha1?: string; sha256?: string } = {};
  for (const part of summary.split(':')) {
    const hash = part.trim();
    const key = HASH_BY_LENGTH[hash.length];
    if (key !== undefined && /^[0-9a-fA-F]+$/.test(hash)) out[key] ??= hash;
  }
  return out;
}

/** An indicator of any type, custom ones included. */
export class Indicator {
  /** The API id (a temporary negative id before the first commit of a new indicator). */
  id: number;
  /** `Address`, `EmailAddress`, `File`, `Host`, `URL`, or a custom type's name. */
  readonly type: string;
  /** The type's table entry; undefined for a type the client has not seen in `/v2/types/indicatorTypes`. */
  readonly kind: IndicatorKind | undefined;
  ownerName: string | undefined;
  dateAdded: string | undefined;
  lastModified: string | undefined;
  rating: number | undefined;
  confidence: number | undefined;
  threatAssessRating: number | undefined;
  threatAssessConfidence: number | undefined;
  description: string | undefined;
  webLink: string | undefined;
  /** The value fields (`ip`, `hostName`, `md5`/`sha1`/`sha256`, `text`, `address`, custom ones). */
  readonly values: Record<string, string | undefined>;
  /** Host flags, as the API sends them (`'true'`/`'false'`). */
  dnsActive: string | undefined;
  whoisActive: string | undefined;
  /** File size in bytes. */
  size: number | undefined;
  /** Tag names, when read with `includeTags` or `loadTags()`. */
  tags: string[] | undefined;
  /** Attributes, when read with `includeAttributes` or `loadAttributes()`. */
  attributes: AttributeValue[] | undefined;
  /** Security label names, after `loadSecurityLabels()`. */
  securityLabels: string[] | undefined;
  /** @internal */
  readonly context: ResourceContext;

  /** @internal Built by {@link parseIndicator} and by `indicators.add()`. */
  constructor(init: { id: number; type: string; kind: IndicatorKind | undefined; context: ResourceContext }) {
    this.id = init.id;
    this.type = init.type;
    this.kind = init.kind;
    this.context = init.context;
    this.values = {};
    this.ownerName = undefined;
    this.dateAdded = undefined;
    this.lastModified = undefined;
    this.rating = undefined;
    this.confidence = undefined;
    this.threatAssessRating = undefined;
    this.threatAssessConfidence = undefined;
    this.description = undefined;
    this.webLink = undefined;
    this.dnsActive = undefined;
    this.whoisActive = undefined;
    this.size = undefined;
    this.tags = undefined;
    this.attributes = undefined;
    this.securityLabels = undefined;
  }

  /** The indicator's value: the value field, or for a file the hashes present joined by ` : `. */
  get summary(): string {
    if (this.kind?.builtIn !== true && this.values.summary !== undefined) return this.values.summary;
    const fields = this.kind?.valueFields ?? ['summary'];
    return fields
      .map((f) => this.values[f])
      .filter((v): v is string => v !== undefined && v !== '')
      .join(' : ');
  }

  /** The value that addresses the indicator in URLs: the summary, or a file's first hash present. */
  get referenceValue(): string {
    if (this.kind === FILE) return this.values.sha256 ?? this.values.sha1 ?? this.values.md5 ?? '';
    return this.summary;
  }

  [inspect.custom](): string {
    return `Indicator { id: ${this.id}, type: ${JSON.stringify(this.type)}, summary: ${JSON.stringify(this.summary)}, ownerName: ${JSON.stringify(this.ownerName ?? null)} }`;
  }
}

/**
 * An indicator from a wire item. `kind` names the type when the listing was typed (its items carry no
 * `type`); otherwise the item's `type` picks it, and a type the client does not know is kept as a
 * generic indicator with its `summary` (decisions.md 1.7), never dropped.
 */
export function parseIndicator(
  item: Record<string, unknown>,
  context: ResourceContext,
  kind?: IndicatorKind,
  kinds?: ReadonlyMap<string, IndicatorKind>,
): Indicator {
  const typeName = readString(item.type) ?? kind?.type ?? 'Indicator';
  const resolved = kind ?? kinds?.get(typeName) ?? INDICATOR_KIND_BY_TYPE.get(typeName);
  const indicator = new Indicator({ id: readNumber(item.id) ?? 0, type: typeName, kind: resolved, context });
  indicator.ownerName = readOwnerName(item);
  indicator.dateAdded = readString(item.dateAdded);
  indicator.lastModified = readString(item.lastModified);
  indicator.rating = readNumber(item.rating);
  indicator.confidence = readNumber(item.confidence);
  indicator.threatAssessRating = readNumber(item.threatAssessRating);
  indicator.threatAssessConfidence = readNumber(item.threatAssessConfidence);
  indicator.description = readString(item.description);
  indicator.webLink = readString(item.webLink);
  indicator.dnsActive = readString(item.dnsActive);
  indicator.whoisActive = readString(item.whoisActive);
  indicator.size = readNumber(item.size);
  indicator.tags = readTags(item.tag);
  indicator.attributes = readAttributes(item.attribute);
  const summary = readString(item.summary);
  for (const field of resolved?.valueFields ?? []) {
    const value = readString(item[field]);
    if (value !== undefined) indicator.values[field] = value;
  }
  if (summary !== undefined) {
    if (resolved === FILE)
      Object.assign(indicator.values, { ...splitFileSummary(summary), ...indicator.values });
    else if (resolved?.builtIn === true && resolved.valueFields[0] !== undefined) {
      indicator.values[resolved.valueFields[0]] ??= summary;
    } else indicator.values.summary = summary;
  }
  return indicator;
}
