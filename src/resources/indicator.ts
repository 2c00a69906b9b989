/**
 * An indicator (rest-api-v2.md 6): read from list items, typed listings and single objects alike, and
 * written back with setters, metadata, associations, `commit()` and `delete()` (sdk-behaviour.md 8.1,
 * 8.2; the shared write side is in item.ts).
 */
import type { FormatOptions, LeefOptions, RecordData } from '../formats/index.js';
import { FORMAT_RECORD, type IndicatorRecord } from '../formats/records.js';
import { clientCompat, indicatorOutput, indicatorRecord } from './output.js';
import { inspect } from 'node:util';
import type { IndicatorType } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { quotePathSegment } from '../core/url.js';
import { checkCallOptions, SIGNAL_OPTION } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import type { AssociationType } from './lookups.js';
import type { Owner } from './owner.js';
import * as intel from './intelligence.js';
import { IndicatorData, mayBeOutOfRange } from './indicator-data.js';
import type { CallOptions, ItemKind } from './item.js';
import { FILE, INDICATOR_KIND_BY_TYPE, type IndicatorKind } from './kinds.js';
import {
  type AssociationTypeRef,
  associationLabel,
  checkAssociationRef,
  linkSegment,
  resolveAssociation,
} from './indicator-links.js';
import { idTarget, indicatorKindOf, indicatorTarget } from './targets.js';
import { readAttributes, readId, readOptionalId, readString, readTags } from './values.js';
import type { Victim } from './victim.js';

export { checkConfidence, checkRating, hashField, splitFileSummary } from './indicator-values.js';

/** The fields `commit()` sends besides the value, in body order. */
const MUTABLE = ['rating', 'confidence', 'dnsActive', 'whoisActive', 'size'] as const;

/** What an indicator is made from: see `IndicatorData`'s constructor. */
type IndicatorParts = ConstructorParameters<typeof IndicatorData>;

/** An indicator of any type, custom ones included. Its fields are read lazily from the wire item (`indicator-data.ts`). */
export class Indicator extends IndicatorData {
  /**
   * @internal The SDK's way to make one ({@link wireIndicator}, `createIndicator()`): users get
   * indicators from a container (`retrieve()`, `stream()`, `add()`), and the published constructor is
   * private, so that `new Indicator()`, which would make an object with no client, does not compile.
   */
  static create(...parts: IndicatorParts): Indicator {
    return new Indicator(...parts);
  }

  private constructor(...parts: IndicatorParts) {
    super(...parts);
  }

  get itemKind(): ItemKind {
    return 'indicator';
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

  get label(): string {
    return `${this.type} ${JSON.stringify(this.summary)}`;
  }

  // ---- output formats (decisions.md 3; the properties follow the client's compat setting) ----

  /** One CEF line (ArcSight CEF rev 25; `compat: 'python-sdk'` gives the original's bytes). */
  get cef(): string {
    return indicatorOutput.cef(this, clientCompat(this));
  }
  /** One LEEF 1.0 line. */
  get leef(): string {
    return indicatorOutput.leef(this, clientCompat(this));
  }
  /** One CSV record (RFC 4180), no line ending. */
  get csv(): string {
    return indicatorOutput.csv(this, clientCompat(this));
  }
  /** The CSV header of indicators. */
  get csvHeader(): string {
    return indicatorOutput.csvHeader(clientCompat(this));
  }
  /** Sorted `key="value"` pairs. */
  get keyval(): string {
    return indicatorOutput.keyval(this, clientCompat(this));
  }
  /** Compact JSON with sorted keys (compat: the seed's 4-space form). */
  get json(): string {
    return indicatorOutput.json(this, clientCompat(this));
  }
  /** The object `json` prints. */
  get data(): RecordData {
    return indicatorOutput.data(this);
  }
  /** @internal The format record, so that `formatCef(indicator)` and the streams print this object as `cef` does. */
  [FORMAT_RECORD](): IndicatorRecord {
    return indicatorRecord(this);
  }
  /** This indicator as one CEF line (`formatCef`). */
  toCef(options: FormatOptions = clientCompat(this)): string {
    return indicatorOutput.cef(this, options);
  }
  /** This indicator as one LEEF line (`formatLeef`). */
  toLeef(options: LeefOptions = clientCompat(this)): string {
    return indicatorOutput.leef(this, options);
  }
  /** This indicator as one CSV row (`formatCsv`; the header is `csvHeader`). */
  toCsv(options: FormatOptions = clientCompat(this)): string {
    return indicatorOutput.csv(this, options);
  }
  /** This indicator as one key=value line (`formatKeyval`). */
  toKeyval(options: FormatOptions = clientCompat(this)): string {
    return indicatorOutput.keyval(this, options);
  }
  /** This indicator as one JSON line (`formatJson`). */
  toJson(options: FormatOptions = clientCompat(this)): string {
    return indicatorOutput.json(this, options);
  }

  // ---- associations ----------------------------------------------------------------------------

  /** Queues `POST {indicator}/victims/{id}`. */
  associateVictim(victim: Victim | number): this {
    return this.queueAssociation('POST', 'associateVictim', idTarget('victims', victim));
  }

  /** Queues `DELETE {indicator}/victims/{id}`. */
  disassociateVictim(victim: Victim | number): this {
    return this.queueAssociation('DELETE', 'disassociateVictim', idTarget('victims', victim));
  }

  // ---- intelligence (rest-api-v2.md 6.6; docs/intelligence.md). Sent at once, not queued. ------

  private intelTarget(method: string): intel.IntelligenceTarget {
    this.assertCommitted(method);
    const { context } = this;
    return {
      context,
      path: this.itemPath(),
      owner: this.requestOwner,
      label: this.label,
      kind: this.kind,
      parse: (item, kind) => parseIndicator(item, context, kind),
    };
  }

  /** Observations per day, every user together (`GET {indicator}/observations`, every page). */
  async observations(options: CallOptions = {}): Promise<intel.Observation[]> {
    checkCallOptions(options, 'observations', SIGNAL_OPTION);
    return intel.observations(this.intelTarget('observations'), options.signal);
  }

  /** Everyone's observation count and the API user's own (`GET {indicator}/observationCount`). */
  async observationCount(options: CallOptions = {}): Promise<intel.ObservationCount> {
    checkCallOptions(options, 'observationCount', SIGNAL_OPTION);
    return intel.observationCount(this.intelTarget('observationCount'), options.signal);
  }

  /** Adds `count` (an integer from 1 to 2147483647) to the API user's observations (`POST …/observations`). */
  async addObservation(count: number, options: intel.AddObservationOptions = {}): Promise<void> {
    checkCallOptions(options, 'addObservation', ['dateObserved', 'signal']);
    const body = intel.observationBody(count, options.dateObserved);
    return intel.addObservation(this.intelTarget('addObservation'), body, options.signal);
  }

  /** Reports the indicator as a false positive: counted once per user and day (`POST …/falsePositive`). */
  async reportFalsePositive(options: CallOptions = {}): Promise<intel.FalsePositive> {
    checkCallOptions(options, 'reportFalsePositive', SIGNAL_OPTION);
    return intel.reportFalsePositive(this.intelTarget('reportFalsePositive'), options.signal);
  }

  /** The owners that hold this value, among those the API user may access (`GET …/owners`). */
  async owners(options: CallOptions = {}): Promise<Owner[]> {
    checkCallOptions(options, 'owners', SIGNAL_OPTION);
    return intel.owners(this.intelTarget('owners'), options.signal);
  }

  /** A host's DNS resolutions, each date with its addresses (`GET …/dnsResolutions`, every page). */
  async dnsResolutions(options: CallOptions = {}): Promise<intel.DnsResolution[]> {
    checkCallOptions(options, 'dnsResolutions', SIGNAL_OPTION);
    return intel.dnsResolutions(this.intelTarget('dnsResolutions'), options.signal);
  }

  /** The hosts that resolved to an address (`GET …/dnsResolutions` of an address, every page). */
  async dnsHosts(options: CallOptions = {}): Promise<Indicator[]> {
    checkCallOptions(options, 'dnsHosts', SIGNAL_OPTION);
    return intel.dnsHosts(this.intelTarget('dnsHosts'), options.signal);
  }

  /** A file's occurrences (`GET …/fileOccurrences`; the array and the single-object answer alike). */
  async fileOccurrences(options: CallOptions = {}): Promise<intel.FileOccurrence[]> {
    checkCallOptions(options, 'fileOccurrences', SIGNAL_OPTION);
    return intel.fileOccurrences(this.intelTarget('fileOccurrences'), options.signal);
  }

  /** One occurrence of a file, by id. */
  async fileOccurrence(id: number, options: CallOptions = {}): Promise<intel.FileOccurrence> {
    checkCallOptions(options, 'fileOccurrence', SIGNAL_OPTION);
    return intel.fileOccurrence(this.intelTarget('fileOccurrence'), id, options.signal);
  }

  /** Adds where a file was seen: at least one of `fileName`, `path` and `date`; returns it with its id. */
  async addFileOccurrence(
    occurrence: intel.FileOccurrenceInput,
    options: CallOptions = {},
  ): Promise<intel.FileOccurrence> {
    checkCallOptions(options, 'addFileOccurrence', SIGNAL_OPTION);
    const target = this.intelTarget('addFileOccurrence');
    const body = intel.checkOccurrence(target, 'addFileOccurrence', occurrence);
    return intel.addFileOccurrence(target, body, options.signal);
  }

  /** Changes the given fields of an occurrence (`null` clears one); returns it as stored. */
  async updateFileOccurrence(
    id: number,
    changes: intel.FileOccurrenceInput,
    options: CallOptions = {},
  ): Promise<intel.FileOccurrence> {
    checkCallOptions(options, 'updateFileOccurrence', SIGNAL_OPTION);
    const target = this.intelTarget('updateFileOccurrence');
    const body = intel.checkOccurrence(target, 'updateFileOccurrence', changes, id);
    return intel.updateFileOccurrence(target, id, body, options.signal);
  }

  /** Deletes an occurrence of a file. */
  async deleteFileOccurrence(id: number, options: CallOptions = {}): Promise<void> {
    checkCallOptions(options, 'deleteFileOccurrence', SIGNAL_OPTION);
    const target = this.intelTarget('deleteFileOccurrence');
    intel.checkOccurrence(target, 'deleteFileOccurrence', undefined, id);
    return intel.deleteFileOccurrence(target, id, options.signal);
  }

  /**
   * Queues a typed association with another indicator (rest-api-v2.md 10): `POST {indicator}/associations/
   * {type}/indicators/{b}/{v}`, or `/actions/{type}/…` for a file action. The association type is an
   * `apiBranch` or name (`'asnToAddress'`, `'dnsQuery'`) or an `AssociationType` from `tc.types()`.
   */
  associateIndicator(associationType: AssociationTypeRef, indicator: Indicator): this;
  associateIndicator(
    associationType: AssociationTypeRef,
    type: IndicatorType | IndicatorKind,
    value: string,
    owner?: string,
  ): this;
  associateIndicator(
    associationType: AssociationTypeRef,
    target: unknown,
    value?: string,
    owner?: string,
  ): this {
    return this.typedLink('POST', 'associateIndicator', associationType, target, value, owner);
  }

  /** Queues the removal of a typed association (`DELETE` on the same path). */
  disassociateIndicator(associationType: AssociationTypeRef, indicator: Indicator): this;
  disassociateIndicator(
    associationType: AssociationTypeRef,
    type: IndicatorType | IndicatorKind,
    value: string,
    owner?: string,
  ): this;
  disassociateIndicator(
    associationType: AssociationTypeRef,
    target: unknown,
    value?: string,
    owner?: string,
  ): this {
    return this.typedLink('DELETE', 'disassociateIndicator', associationType, target, value, owner);
  }

  private typedLink(
    method: 'POST' | 'DELETE',
    name: string,
    associationType: unknown,
    target: unknown,
    value: string | undefined,
    owner: string | undefined,
  ): this {
    const ref = checkAssociationRef(associationType);
    const far = indicatorTarget(target, value, owner);
    const description = `${name}(${associationLabel(ref)}, ${far.description})`;
    // Both ends are in the path by value, and the one `owner` parameter picks both (rest-api-v2.md
    // 6.4), so the two must be in one owner; sending the far end's owner would act on a namesake.
    this.sameOwner(description, far.owner());
    if (typeof ref !== 'string') this.checkLinkFrom(ref, `${this.label}: ${description}: `);
    this.queue(
      description,
      async (signal) => {
        const owner = this.sameOwner(description, far.owner());
        const type = await resolveAssociation(this.context, ref, signal);
        // The failed step's error names the object and the step already.
        this.checkLinkFrom(type, '');
        await this.call(
          method,
          `${this.itemPath()}${linkSegment(type)}${far.suffix().slice('/indicators'.length)}`,
          { owner, signal },
        );
      },
      name,
    );
    return this;
  }

  /**
   * A file action (`dnsQuery`, `traffic`, …) is read and written from the file only: `/actions/` exists
   * only under `/v2/indicators/files/{hash}` (rest-api-v2.md 10), so from another indicator the request
   * would reach no resource.
   * @throws {ValidationError} for a file action on an indicator that is not a file.
   */
  private checkLinkFrom(type: AssociationType, prefix: string): void {
    if (type.fileAction && this.kind !== FILE) {
      throw new ValidationError(
        `${prefix}${JSON.stringify(type.apiBranch)} is a file action, which links from a File indicator only: call it on the file`,
      );
    }
  }

  /**
   * The owner of a typed link's request: this indicator's (none: the default organization).
   * @throws {ValidationError} if the far end's differs.
   */
  private sameOwner(description: string, farOwner: string | undefined): string | undefined {
    const owner = this.requestOwner ?? this.context.requester.config.defaultOrg;
    if (farOwner !== undefined && farOwner !== owner) {
      throw new ValidationError(
        `${this.label}: ${description}: a typed association links two indicators of one owner, and this one is in ${JSON.stringify(owner)}, the other in ${JSON.stringify(farOwner)}`,
      );
    }
    return this.requestOwner;
  }

  /**
   * The indicators a typed association links to this one (`GET {indicator}/associations/{type}/
   * indicators[/{branch}]`), of every type or of `options.type`.
   */
  async associatedIndicators(
    associationType: AssociationTypeRef,
    options: { type?: IndicatorType | IndicatorKind; signal?: AbortSignal } = {},
  ): Promise<Indicator[]> {
    checkCallOptions(options, 'associatedIndicators', ['type', 'signal']);
    const ref = checkAssociationRef(associationType);
    const kind = options.type === undefined ? undefined : indicatorKindOf(options.type, 'type');
    this.assertCommitted('associatedIndicators');
    const type = await resolveAssociation(this.context, ref, options.signal);
    this.checkLinkFrom(type, `${this.label}: associatedIndicators(${type.apiBranch}): `);
    const path = `${this.itemPath()}${linkSegment(type)}${kind === undefined ? '' : `/${kind.branch}`}`;
    const items = await this.list(path, this.requestOwner, options.signal);
    const kinds =
      kind === undefined ? await this.context.indicatorKindsForReading(options.signal) : undefined;
    return items.map((item) => parseIndicator(item, this.context, kind, kinds));
  }

  // ---- what commit() needs ---------------------------------------------------------------------

  private branchName(): string {
    if (this.kind === undefined) {
      throw new ValidationError(
        `${this.label}: the client does not know the indicator type ${JSON.stringify(this.type)}, so it cannot address it`,
      );
    }
    return this.kind.branch;
  }

  protected itemPath(): string {
    return `/v2/indicators/${this.branchName()}/${quotePathSegment(this.referenceValue)}`;
  }

  protected get entityKey(): string {
    return this.kind?.entity ?? 'indicator';
  }

  protected override checkCreate(): void {
    const fields = this.kind?.valueFields ?? [];
    const present = fields.filter((f) => (this.values[f] ?? '') !== '');
    const complete = this.kind === FILE ? present.length > 0 : present.length === fields.length;
    if (this.kind === undefined || !complete) {
      throw new ValidationError(`${this.label} cannot be created: its value is incomplete`);
    }
  }

  protected saveRequest(
    creating: boolean,
    changes: ReadonlyMap<string, unknown>,
  ): { path: string; body: Record<string, unknown> } {
    const body: Record<string, unknown> = {};
    if (creating) {
      for (const field of this.kind?.valueFields ?? []) {
        const value = this.values[field];
        if (value !== undefined && value !== '') body[field] = value;
      }
    }
    for (const field of MUTABLE) if (changes.has(field)) body[field] = changes.get(field);
    return { path: creating ? `/v2/indicators/${this.branchName()}` : this.itemPath(), body };
  }

  protected applySaved(item: Record<string, unknown>): void {
    const id = readOptionalId(item.id);
    if (id !== undefined) this.id = id;
    this.readWire(item);
  }

  /** The same one line as `util.inspect` gives, for `String(x)` and template strings. */
  override toString(): string {
    return this[inspect.custom]();
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `Indicator { id: ${this.id}, type: ${JSON.stringify(this.type)}, summary: ${JSON.stringify(this.summary)}, ownerName: ${JSON.stringify(this.ownerName ?? null)} }`;
  }
}

/** Read values that break the SDK's own write rules: kept as read, reported once per object. */
function warnOutOfRange(indicator: Indicator): void {
  const problems: string[] = [];
  const { rating, confidence } = indicator;
  if (rating !== undefined && (rating < 0 || rating > 5))
    problems.push(`rating ${rating} is not from 0 to 5`);
  if (confidence !== undefined && (!Number.isInteger(confidence) || confidence < 0 || confidence > 100)) {
    problems.push(`confidence ${confidence} is not an integer from 0 to 100`);
  }
  if (problems.length === 0) return;
  indicator.context.requester.logger.warning(
    `Indicator ${indicator.id} (${indicator.label}, owner ${JSON.stringify(indicator.ownerName ?? null)}) was read with ${problems.join(' and ')}; kept as read`,
    { indicatorId: indicator.id, type: indicator.type },
  );
}

/**
 * An indicator from a wire item. `kind` names the type when the listing was typed (its items carry no
 * `type`); otherwise the item's `type` picks it, and a type the client does not know is kept as a
 * generic indicator with its `summary` (decisions.md 1.7), never dropped. A rating or confidence out
 * of the API's range is kept as read, with one warning in the client's log.
 */
export function parseIndicator(
  item: Record<string, unknown>,
  context: ResourceContext,
  kind?: IndicatorKind,
  kinds?: ReadonlyMap<string, IndicatorKind>,
): Indicator {
  const typeName = readString(item.type);
  return wireIndicator(
    item,
    context,
    typeName,
    kind ?? (typeName === undefined ? undefined : kinds?.get(typeName)),
  );
}

/**
 * {@link parseIndicator} once the item's `type` has been read (`typeName`, undefined when it has none)
 * and its kind looked up: a listing reads each item's type once. `metadata` false skips looking for
 * `tag` and `attribute`, which a listing has only when it asked for them: two lookups an item, each
 * dear on items of many shapes.
 * @internal
 */
export function wireIndicator(
  item: Record<string, unknown>,
  context: ResourceContext,
  typeName: string | undefined,
  kind: IndicatorKind | undefined,
  metadata = true,
): Indicator {
  const type = typeName ?? kind?.type ?? 'Indicator';
  const resolved = kind ?? INDICATOR_KIND_BY_TYPE.get(type);
  const indicator = Indicator.create(context, readId(item.id), type, resolved, 'clean', item);
  if (metadata) {
    if (item.tag !== undefined) indicator.tags = readTags(item.tag);
    if (item.attribute !== undefined) indicator.attributes = readAttributes(item.attribute);
  }
  if (mayBeOutOfRange(item)) warnOutOfRange(indicator);
  return indicator;
}
