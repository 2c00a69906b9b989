/**
 * Reading the instance's tables (rest-api-v2.md 5, 6.1, 9, 10): `tc.types()` for indicator, attribute
 * and association types; owner metrics (`tc.owners().metrics()`, `owner.metrics()`); and the members of
 * the API user's organization (`tc.owners().members()`), in both of the shapes the API answers with.
 */
import { IncompleteResultError, InvalidResponseError, ValidationError } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import { quotePathSegment } from '../core/url.js';
import { checkCallOptions, SIGNAL_OPTION, describeValue } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import type { IndicatorKind } from './kinds.js';
import { readNumber, readSingleObject, readString } from './values.js';

/** Options of the readers: an AbortSignal. */
export interface LookupOptions {
  readonly signal?: AbortSignal | undefined;
}

/** An attribute type of `/v2/types/attributeTypes`. */
export interface AttributeType {
  readonly name: string;
  readonly description?: string | undefined;
  readonly errorMessage?: string | undefined;
  /** Longest value, in characters. */
  readonly maxSize?: number | undefined;
  readonly allowMarkdown?: boolean | undefined;
  readonly system?: boolean | undefined;
  /** With `{ validationRule: true }`: the rule a value must match, as the API gives it. */
  readonly validationRule?: Readonly<Record<string, unknown>> | undefined;
}

/** An association type of `/v2/types/associationTypes`: a custom indicator association, or a file action. */
export interface AssociationType {
  readonly name: string;
  /** The path segment: `{indicator}/associations/{apiBranch}/…`, or `/actions/{apiBranch}/…` for a file action. */
  readonly apiBranch: string;
  readonly custom: boolean;
  readonly fileAction: boolean;
}

/** One `ownerMetric` entry: `metricDate` (`YYYY-MM-DD`) and the counts of rest-api-v2.md 5, as numbers. */
export interface OwnerMetric {
  readonly metricDate: string;
  readonly totalIndicator?: number;
  readonly totalHost?: number;
  readonly totalAddress?: number;
  readonly totalEmailAddress?: number;
  readonly totalFile?: number;
  readonly totalUrl?: number;
  readonly totalGroup?: number;
  readonly totalAdversary?: number;
  readonly totalCampaign?: number;
  readonly totalDocument?: number;
  readonly totalEmail?: number;
  readonly totalIncident?: number;
  readonly totalSignature?: number;
  readonly totalThreat?: number;
  readonly totalTask?: number;
  readonly totalTag?: number;
  readonly averageIndicatorRating?: number;
  readonly averageIndicatorConfidence?: number;
  readonly totalObservation?: number;
  readonly totalFalsePositive?: number;
  /** Every other field the API sent, numbers read from numeric text. */
  readonly [field: string]: string | number | undefined;
}

/** The members of the organization: users, or pseudonyms when the organization's membership is anonymous. */
export type Members =
  | {
      readonly anonymous: false;
      readonly users: readonly { userName: string; firstName?: string; lastName?: string }[];
    }
  | { readonly anonymous: true; readonly members: readonly { pseudonym: string }[] };

function get(uri: string): RequestObject {
  return new RequestObject().setHttpMethod('GET').setRequestUri(uri);
}

/** Every item of a listing (paged by the client's `apiResultLimit`). */
async function readAll(
  context: ResourceContext,
  ro: RequestObject,
  options: LookupOptions,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const pages = context.requester.pages<Record<string, unknown>>(ro, {
    signal: options.signal,
    countsAsApiFilter: false,
  });
  for await (const item of pages.items()) out.push(item);
  return out;
}

/** One object under `data` of a single-object answer. */
async function readOne(
  context: ResourceContext,
  ro: RequestObject,
  key: string,
  options: LookupOptions,
): Promise<Record<string, unknown>> {
  ro.setResourcePagination(false);
  const response = await context.requester.request(ro, { throwOnError: true, signal: options.signal });
  // An object, or an array holding only it (rest-api-v2.md 3.1). An answer without one is the server's
  // fault, not a bad value given before any request: InvalidResponseError, not ValidationError.
  const value = readSingleObject(response.json<{ data?: Record<string, unknown> }>().data?.[key]);
  if (value === undefined) {
    throw new InvalidResponseError(
      `${ro.requestUri ?? 'the request'} answered without a data.${key} object`,
      {
        status: response.status,
        contentType: response.headers['content-type'],
      },
    );
  }
  return value;
}

const flag = (value: unknown): boolean | undefined =>
  value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined;

function attributeType(item: Record<string, unknown>): AttributeType {
  const rule = item.validationRule;
  return {
    name: readString(item.name) ?? '',
    description: readString(item.description),
    errorMessage: readString(item.errorMessage),
    maxSize: readNumber(item.maxSize),
    allowMarkdown: flag(item.allowMarkdown),
    system: flag(item.system),
    validationRule:
      typeof rule === 'object' && rule !== null ? (rule as Readonly<Record<string, unknown>>) : undefined,
  };
}

function associationType(item: Record<string, unknown>): AssociationType {
  return {
    name: readString(item.name) ?? '',
    apiBranch: readString(item.apiBranch) ?? '',
    custom: flag(item.custom) ?? false,
    fileAction: flag(item.fileAction) ?? false,
  };
}

function checkName(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`${label} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * `tc.types()`: the instance's indicator, attribute and association types. The indicator types are read
 * once per client and shared (the containers use the same table); the others are read on each call.
 */
export class TypeLookups {
  readonly #context: ResourceContext;

  /** @internal */
  constructor(context: ResourceContext) {
    this.#context = context;
  }

  /** Every indicator type of `/v2/types/indicatorTypes`, custom ones included, in the API's order. */
  async indicatorTypes(options: LookupOptions = {}): Promise<IndicatorKind[]> {
    checkCallOptions(options, 'indicatorTypes', SIGNAL_OPTION);
    return [...(await this.#context.indicatorKinds(options.signal)).values()];
  }

  /**
   * One indicator type, by its `apiEntity` (`asn`), `apiBranch` (`asns`) or name (`ASN`).
   * @throws {ValidationError} when the instance has no such type (the message lists the ones it has).
   */
  async indicatorType(id: string, options: LookupOptions = {}): Promise<IndicatorKind> {
    checkCallOptions(options, 'indicatorType', SIGNAL_OPTION);
    return findIndicatorKind(this.#context, checkName(id, 'indicatorType'), options.signal);
  }

  /** Every attribute type; `{ validationRule: true }` asks for the rules too (`includes=validationRule`). */
  async attributeTypes(options: LookupOptions & { validationRule?: boolean } = {}): Promise<AttributeType[]> {
    checkCallOptions(options, 'attributeTypes', ['signal', 'validationRule']);
    const ro = get('/v2/types/attributeTypes');
    if (options.validationRule === true) ro.addPayload('includes', 'validationRule');
    return (await readAll(this.#context, ro, options)).map(attributeType);
  }

  /** One attribute type by name. @throws {NotFoundError} for a name the instance does not have. */
  async attributeType(
    name: string,
    options: LookupOptions & { validationRule?: boolean } = {},
  ): Promise<AttributeType> {
    checkCallOptions(options, 'attributeType', ['signal', 'validationRule']);
    const ro = get(`/v2/types/attributeTypes/${quotePathSegment(checkName(name, 'attributeType'))}`);
    if (options.validationRule === true) ro.addPayload('includes', 'validationRule');
    return attributeType(await readOne(this.#context, ro, 'attributeType', options));
  }

  /** Every association type: the custom indicator association types and the file actions. */
  async associationTypes(options: LookupOptions = {}): Promise<AssociationType[]> {
    checkCallOptions(options, 'associationTypes', SIGNAL_OPTION);
    return (await readAll(this.#context, get('/v2/types/associationTypes'), options)).map(associationType);
  }

  /** One association type by name. @throws {NotFoundError} for a name the instance does not have. */
  async associationType(name: string, options: LookupOptions = {}): Promise<AssociationType> {
    checkCallOptions(options, 'associationType', SIGNAL_OPTION);
    const ro = get(`/v2/types/associationTypes/${quotePathSegment(checkName(name, 'associationType'))}`);
    return associationType(await readOne(this.#context, ro, 'associationType', options));
  }
}

/** The indicator kind named by an `apiEntity`, `apiBranch` or type name, from the client's shared table. */
export async function findIndicatorKind(
  context: ResourceContext,
  id: string,
  signal?: AbortSignal,
): Promise<IndicatorKind> {
  const kinds = [...(await context.indicatorKinds(signal)).values()];
  const found =
    kinds.find((k) => k.entity === id) ??
    kinds.find((k) => k.branch === id) ??
    kinds.find((k) => k.type === id);
  if (found === undefined) {
    throw new ValidationError(
      `${JSON.stringify(id)} is not an indicator type of this instance: give the apiEntity, apiBranch or name of one of ${kinds
        .map((k) => `${k.entity} (${k.type})`)
        .join(', ')}`,
    );
  }
  return found;
}

function ownerMetric(item: Record<string, unknown>): OwnerMetric {
  const out: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(item)) {
    out[key] = key === 'metricDate' ? readString(value) : (readNumber(value) ?? readString(value));
  }
  return { ...out, metricDate: readString(item.metricDate) ?? '' };
}

/**
 * `GET /v2/owners/metrics` or `/v2/owners/{id}/metrics`: one call, as the API answers metrics without
 * paging (rest-api-v2.md 4.1).
 */
export async function readOwnerMetrics(
  context: ResourceContext,
  ownerId: number | undefined,
  options: LookupOptions,
): Promise<OwnerMetric[]> {
  checkCallOptions(options, 'metrics', SIGNAL_OPTION);
  const ro = get(ownerId === undefined ? '/v2/owners/metrics' : `/v2/owners/${ownerId}/metrics`);
  ro.setResourcePagination(false);
  const response = await context.requester.request(ro, { throwOnError: true, signal: options.signal });
  const list = response.json<{ data?: { ownerMetric?: unknown } }>().data?.ownerMetric;
  const items = Array.isArray(list) ? list : typeof list === 'object' && list !== null ? [list] : [];
  return items
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    .map(ownerMetric);
}

/**
 * `GET /v2/owners/mine/members`, page by page with the client's `apiResultLimit`: the enveloped
 * `data.user[]`, or the un-enveloped `{anonymous: true, members: [{pseudonym}]}` of an organization with
 * anonymous membership.
 * @throws {IncompleteResultError} when a page comes back shorter than its window before the total.
 */
export async function readMembers(context: ResourceContext, options: LookupOptions): Promise<Members> {
  checkCallOptions(options, 'members', SIGNAL_OPTION);
  const limit = context.requester.config.apiResultLimit;
  let anonymous = false;
  const users: { userName: string; firstName?: string; lastName?: string }[] = [];
  const pseudonyms: { pseudonym: string }[] = [];
  let total: number | undefined;
  for (let start = 0; total === undefined || start < total; start += limit) {
    const ro = get('/v2/owners/mine/members').setResourcePagination(false);
    ro.setResultStart(start).setResultLimit(limit);
    const response = await context.requester.request(ro, { throwOnError: true, signal: options.signal });
    const body = response.json<Record<string, unknown>>();
    const data = (body.data ?? {}) as Record<string, unknown>;
    anonymous = body.anonymous === true || body.anonymous === 'true';
    total ??= readNumber(anonymous ? body.resultCount : data.resultCount) ?? 0;
    const raw = anonymous ? body.members : data.user;
    const page = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
    // A page shorter than its window before the total, as the page-window limiter checks listings.
    const expected = Math.min(limit, Math.max(0, total - start));
    if (page.length < expected) {
      throw new IncompleteResultError(
        `/v2/owners/mine/members answered ${page.length} of the ${expected} members expected at resultStart=${start} (resultCount ${total})`,
        { resultStart: start, resultLimit: limit },
      );
    }
    for (const m of page) {
      if (anonymous) pseudonyms.push({ pseudonym: readString(m.pseudonym) ?? '' });
      else {
        const user: { userName: string; firstName?: string; lastName?: string } = {
          userName: readString(m.userName) ?? '',
        };
        const first = readString(m.firstName);
        const last = readString(m.lastName);
        if (first !== undefined) user.firstName = first;
        if (last !== undefined) user.lastName = last;
        users.push(user);
      }
    }
  }
  return anonymous ? { anonymous: true, members: pseudonyms } : { anonymous: false, users };
}
