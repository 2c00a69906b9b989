/**
 * An indicator's fields (rest-api-v2.md 6), read from its wire item when first used. A listing makes
 * one object per item, and most readers of a stream touch a few fields of each (its id, its owner, a
 * post filter's field) or none: the id, type, owner, tags and attributes are read at once (the tags
 * and attributes by `wireIndicator()`, when the request asked for them), and the other fields the
 * first time any of them is read or set, after which the wire item is let go. What a reader sees is
 * the same either way. The setters of sdk-behaviour.md 8.1 are here too.
 */
import { ValidationError } from '../core/errors.js';
import { describeValue } from '../core/validators.js';
import { checkText } from './checks.js';
import type { ResourceContext } from './context.js';
import { checkConfidence, checkFlag, checkRating, splitFileSummary } from './indicator-values.js';
import { Item, type Phase } from './item.js';
import { FILE, HOST, type IndicatorKind } from './kinds.js';
import { readAttributes, readNumber, readOwnerName, readString, readTags } from './values.js';

/** The lazily read fields of an indicator; a new one has nothing read or set. */
class Fields {
  values: Record<string, string | undefined> = {};
  dateAdded: string | undefined = undefined;
  lastModified: string | undefined = undefined;
  rating: number | undefined = undefined;
  confidence: number | undefined = undefined;
  threatAssessRating: number | undefined = undefined;
  threatAssessConfidence: number | undefined = undefined;
  description: string | undefined = undefined;
  webLink: string | undefined = undefined;
  dnsActive: string | undefined = undefined;
  whoisActive: string | undefined = undefined;
  size: number | undefined = undefined;
}

/** Where an indicator keeps its wire item or fields: see `STATE` in item-state.ts for why a symbol. */
const DATA = Symbol('threatconnect.indicator.data');

/**
 * The wire item of an indicator none of whose lazily read fields has been read or set yet, else
 * undefined: what its format record can be built from directly (wire-record.ts).
 */
export function unreadWire(indicator: IndicatorData): Readonly<Record<string, unknown>> | undefined {
  const data = indicator[DATA];
  return data instanceof Fields ? undefined : data;
}

/** The fields of {@link Indicator}; see the module comment. */
export abstract class IndicatorData extends Item {
  /** `Address`, `EmailAddress`, `File`, `Host`, `URL`, or a custom type's name. */
  declare readonly type: string;
  /** The type's table entry; undefined for a type the client has not seen in `/v2/types/indicatorTypes`. */
  declare readonly kind: IndicatorKind | undefined;
  /**
   * The wire item whose fields have not been read yet, or the fields once read or set (a
   * {@link Fields}): an object read from a listing and never looked into carries one slot for them
   * instead of twelve (it is built, and, in `retrieve()`, kept, by the hundred thousand).
   */
  declare private [DATA]: Fields | Record<string, unknown> | undefined;

  /**
   * @internal Built by `parseIndicator()` (with the wire item the fields are read from when first
   * used) and by `createIndicator()` (`indicators.add()`, phase `new`, no wire item). Positional: one
   * is built for every item of a listing.
   */
  constructor(
    context: ResourceContext,
    id: number,
    type: string,
    kind: IndicatorKind | undefined,
    phase: Phase,
    wire: Record<string, unknown> | undefined,
  ) {
    super(id, context, phase);
    this.type = type;
    this.kind = kind;
    this[DATA] = wire;
    if (wire !== undefined) {
      const ownerName = readOwnerName(wire);
      if (ownerName !== undefined) this.ownerName = ownerName;
    }
  }

  /** Reads the fields of `item` that are present (a create or update answer): they replace the old ones. */
  protected readWire(item: Record<string, unknown>): void {
    this.loadedFields();
    const ownerName = readOwnerName(item);
    if (ownerName !== undefined) this.ownerName = ownerName;
    this.tags = readTags(item.tag) ?? this.tags;
    this.attributes = readAttributes(item.attribute) ?? this.attributes;
    this.readFields(item);
  }

  /** The fields, read from the wire item (or made empty) on first use. */
  private loadedFields(): Fields {
    const data = this[DATA];
    if (data instanceof Fields) return data;
    const fields = new Fields();
    this[DATA] = fields;
    if (data !== undefined) this.readFields(data);
    return fields;
  }

  private readFields(item: Record<string, unknown>): void {
    const f = this.loadedFields();
    f.dateAdded = readString(item.dateAdded) ?? f.dateAdded;
    f.lastModified = readString(item.lastModified) ?? f.lastModified;
    f.rating = readNumber(item.rating) ?? f.rating;
    f.confidence = readNumber(item.confidence) ?? f.confidence;
    f.threatAssessRating = readNumber(item.threatAssessRating) ?? f.threatAssessRating;
    f.threatAssessConfidence = readNumber(item.threatAssessConfidence) ?? f.threatAssessConfidence;
    f.description = readString(item.description) ?? f.description;
    f.webLink = readString(item.webLink) ?? f.webLink;
    f.dnsActive = readString(item.dnsActive) ?? f.dnsActive;
    f.whoisActive = readString(item.whoisActive) ?? f.whoisActive;
    f.size = readNumber(item.size) ?? f.size;
    const values = f.values;
    const kind = this.kind;
    for (const field of kind?.valueFields ?? []) {
      const value = readString(item[field]);
      if (value !== undefined) values[field] = value;
    }
    const summary = readString(item.summary);
    if (summary !== undefined) {
      if (kind === FILE) {
        // The hashes in the order the summary gives them; a value field read above wins.
        for (const [field, hash] of Object.entries(splitFileSummary(summary))) values[field] ??= hash;
      } else if (kind?.builtIn === true && kind.valueFields[0] !== undefined) {
        values[kind.valueFields[0]] ??= summary;
      } else {
        values.summary = summary;
        // A custom type's value fields, from a generic item's summary (`Key : Value`, rest-api-v2.md 6.3).
        const fields = kind?.valueFields ?? [];
        const parts = fields.length === 1 ? [summary] : summary.split(' : ');
        if (kind !== undefined && fields[0] !== 'summary' && parts.length === fields.length) {
          fields.forEach((field, i) => {
            values[field] ??= parts[i];
          });
        }
      }
    }
  }

  // ---- setters (sdk-behaviour.md 8.1) ----------------------------------------------------------

  /** Confidence, an integer from 0 to 100; sent by `commit()`. */
  setConfidence(confidence: number): this {
    const value = checkConfidence(confidence);
    this.change('confidence', value, 'setConfidence');
    this.confidence = value;
    return this;
  }

  /** Rating, a number from 0 to 5 or a numeric string (`'2.0'`); sent as a number by `commit()`. */
  setRating(rating: number | string): this {
    const value = checkRating(rating);
    this.change('rating', value, 'setRating');
    this.rating = value;
    return this;
  }

  /**
   * The description. The API reports an indicator's `description` from its displayed Description
   * attribute, so `commit()` updates that attribute, or adds one when there is none. (The original
   * stored the description and never sent it.)
   */
  setDescription(description: string): this {
    const text = checkText(description, 'description');
    this.assertNotDeleted('setDescription');
    this.unqueue('setDescription(');
    this.queue(
      `setDescription(${JSON.stringify(text)})`,
      async (signal) => {
        const path = `${this.itemPath()}/attributes`;
        const current = (readAttributes(await this.list(path, this.requestOwner, signal)) ?? []).find(
          (a) => a.type === 'Description' && a.displayed === true && a.id !== undefined,
        );
        if (current?.id !== undefined) {
          if (current.value !== text) {
            await this.call('PUT', `${path}/${current.id}`, {
              json: { value: text },
              owner: this.requestOwner,
              signal,
            });
          }
        } else {
          await this.call('POST', path, {
            json: { type: 'Description', value: text, displayed: true },
            owner: this.requestOwner,
            signal,
          });
        }
        this.attributes = undefined;
      },
      'setDescription',
    );
    this.description = text;
    return this;
  }

  /** A host's DNS flag (sent as `"true"`/`"false"`). */
  setDnsActive(active: boolean): this {
    this.requireKind(HOST, 'setDnsActive');
    const value = checkFlag(active, 'dnsActive');
    this.change('dnsActive', value, 'setDnsActive');
    this.dnsActive = value;
    return this;
  }

  /** A host's WHOIS flag (sent as `"true"`/`"false"`). */
  setWhoisActive(active: boolean): this {
    this.requireKind(HOST, 'setWhoisActive');
    const value = checkFlag(active, 'whoisActive');
    this.change('whoisActive', value, 'setWhoisActive');
    this.whoisActive = value;
    return this;
  }

  /** A file's size in bytes, an integer ≥ 0. */
  setSize(bytes: number): this {
    this.requireKind(FILE, 'setSize');
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new ValidationError(`size must be an integer >= 0, got ${describeValue(bytes)}`);
    }
    this.change('size', bytes, 'setSize');
    this.size = bytes;
    return this;
  }

  private requireKind(kind: IndicatorKind, method: string): void {
    if (this.kind !== kind) {
      throw new ValidationError(`${method}() applies to ${kind.type} indicators only, not to ${this.label}`);
    }
  }

  /**
   * The fields as data, for `JSON.stringify`, which does not see accessors: the fields an indicator
   * had as own properties before they were read lazily, in their order (without the internal context).
   */
  override toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      ownerName: this.ownerName,
      tags: this.tags,
      attributes: this.attributes,
      securityLabels: this.securityLabels,
      type: this.type,
      kind: this.kind,
      dateAdded: this.dateAdded,
      lastModified: this.lastModified,
      rating: this.rating,
      confidence: this.confidence,
      threatAssessRating: this.threatAssessRating,
      threatAssessConfidence: this.threatAssessConfidence,
      description: this.description,
      webLink: this.webLink,
      values: this.values,
      dnsActive: this.dnsActive,
      whoisActive: this.whoisActive,
      size: this.size,
    };
  }

  /** The value fields (`ip`, `hostName`, `md5`/`sha1`/`sha256`, `text`, `address`, custom ones). */
  get values(): Record<string, string | undefined> {
    return this.loadedFields().values;
  }

  /** When the indicator was added (ISO 8601), as the server sent it. */
  get dateAdded(): string | undefined {
    return this.loadedFields().dateAdded;
  }
  /** When the indicator was added (ISO 8601), as the server sent it. */
  set dateAdded(value: string | undefined) {
    this.loadedFields().dateAdded = value;
  }

  /** When the indicator last changed (ISO 8601), as the server sent it. */
  get lastModified(): string | undefined {
    return this.loadedFields().lastModified;
  }
  /** When the indicator last changed (ISO 8601), as the server sent it. */
  set lastModified(value: string | undefined) {
    this.loadedFields().lastModified = value;
  }

  /** The threat rating, 0–5. */
  get rating(): number | undefined {
    return this.loadedFields().rating;
  }
  /** The threat rating, 0–5. */
  set rating(value: number | undefined) {
    this.loadedFields().rating = value;
  }

  /** The confidence, 0–100. */
  get confidence(): number | undefined {
    return this.loadedFields().confidence;
  }
  /** The confidence, 0–100. */
  set confidence(value: number | undefined) {
    this.loadedFields().confidence = value;
  }

  /** ThreatAssess rating, computed by the server. */
  get threatAssessRating(): number | undefined {
    return this.loadedFields().threatAssessRating;
  }
  /** ThreatAssess rating, computed by the server. */
  set threatAssessRating(value: number | undefined) {
    this.loadedFields().threatAssessRating = value;
  }

  /** ThreatAssess confidence, computed by the server. */
  get threatAssessConfidence(): number | undefined {
    return this.loadedFields().threatAssessConfidence;
  }
  /** ThreatAssess confidence, computed by the server. */
  set threatAssessConfidence(value: number | undefined) {
    this.loadedFields().threatAssessConfidence = value;
  }

  /** The displayed Description attribute's value, as the API reports it (`setDescription` writes it). */
  get description(): string | undefined {
    return this.loadedFields().description;
  }
  /** The displayed Description attribute's value, as the API reports it (`setDescription` writes it). */
  set description(value: string | undefined) {
    this.loadedFields().description = value;
  }

  /** The link to the indicator in the ThreatConnect web application. */
  get webLink(): string | undefined {
    return this.loadedFields().webLink;
  }
  /** The link to the indicator in the ThreatConnect web application. */
  set webLink(value: string | undefined) {
    this.loadedFields().webLink = value;
  }

  /** A host's DNS flag, as the API sends it (`'true'`/`'false'`). */
  get dnsActive(): string | undefined {
    return this.loadedFields().dnsActive;
  }
  /** A host's DNS flag, as the API sends it (`'true'`/`'false'`). */
  set dnsActive(value: string | undefined) {
    this.loadedFields().dnsActive = value;
  }

  /** A host's WHOIS flag, as the API sends it (`'true'`/`'false'`). */
  get whoisActive(): string | undefined {
    return this.loadedFields().whoisActive;
  }
  /** A host's WHOIS flag, as the API sends it (`'true'`/`'false'`). */
  set whoisActive(value: string | undefined) {
    this.loadedFields().whoisActive = value;
  }

  /** File size in bytes. */
  get size(): number | undefined {
    return this.loadedFields().size;
  }
  /** A file's size in bytes. */
  set size(value: number | undefined) {
    this.loadedFields().size = value;
  }
}

/**
 * Whether a wire item's rating or confidence may break the SDK's write rules (rating 0–5, confidence
 * an integer 0–100), without reading the item's other fields: the usual numbers in range say no.
 */
export function mayBeOutOfRange(item: Record<string, unknown>): boolean {
  const { rating, confidence } = item;
  const ratingOk = rating === undefined || (typeof rating === 'number' && rating >= 0 && rating <= 5);
  const confidenceOk =
    confidence === undefined ||
    (typeof confidence === 'number' && Number.isInteger(confidence) && confidence >= 0 && confidence <= 100);
  return !(ratingOk && confidenceOk);
}
