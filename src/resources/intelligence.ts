/**
 * Indicator intelligence (rest-api-v2.md 6.6, 5): observations, false positives, file occurrences,
 * DNS resolutions and the owners of a value, for the methods of the same names on `Indicator`, and
 * the observed-indicators listing of `tc.indicators().observed()`. Every call goes through the
 * client's requester; listings the API pages are read through the page-window limiter. Dates stay
 * ISO 8601 strings, as everywhere in the SDK (`dateAdded`, `lastModified`).
 */
import { InvalidResponseError, ValidationError } from '../core/errors.js';
import { type HttpMethod, RequestObject } from '../core/request-object.js';
import type { ApiResponse } from '../core/response.js';
import { checkSignal, describeValue, isRecord } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import type { Indicator } from './indicator.js';
import type {
  DnsResolution,
  FalsePositive,
  FileOccurrence,
  IntelligenceTarget,
  Observation,
  ObservationCount,
  ObservedIndicator,
  ObservedOptions,
  ObservedUser,
} from './intelligence-types.js';
import { checkDate, checkId } from './checks.js';
import { ADDRESS, FILE, HOST, type IndicatorKind } from './kinds.js';

export type * from './intelligence-types.js';
import { type Owner, parseOwner } from './owner.js';
import { readId, readNumber, readString } from './values.js';

/** Largest count one `addObservation()` may add: the API's Java `int`. */
export const MAX_OBSERVATION_COUNT = 2_147_483_647;

type Signal = AbortSignal | undefined;

// ---- requests ----

function send(
  context: ResourceContext,
  method: HttpMethod,
  path: string,
  owner: string | undefined,
  signal: Signal,
  json?: unknown,
  params: readonly [string, string][] = [],
  alsoAccept?: readonly number[],
): Promise<ApiResponse> {
  const ro = new RequestObject().setHttpMethod(method).setRequestUri(path).setResourcePagination(false);
  if (owner !== undefined) ro.setOwner(owner);
  for (const [key, value] of params) ro.addPayload(key, value);
  if (json !== undefined) {
    ro.setBody(JSON.stringify(json));
    ro.setContentType('application/json');
  }
  return context.requester.request(ro, { throwOnError: true, alsoAccept, signal });
}

/** Every item of a paged listing, through the page-window limiter. */
async function pagedItems(
  target: IntelligenceTarget,
  path: string,
  signal: Signal,
): Promise<Record<string, unknown>[]> {
  const ro = new RequestObject().setHttpMethod('GET').setRequestUri(path);
  if (target.owner !== undefined) ro.setOwner(target.owner);
  const out: Record<string, unknown>[] = [];
  const pages = target.context.requester.pages(ro, { signal, countsAsApiFilter: false });
  for await (const item of pages.items()) if (isRecord(item)) out.push(item);
  return out;
}

/** `data[key]` of an answer, as a list: an array, or a lone object wrapped (rest-api-v2.md 3.1). */
function dataList(response: ApiResponse, key: string): Record<string, unknown>[] {
  const value = response.json<{ data?: Record<string, unknown> }>().data?.[key];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(isRecord);
}

/** `data[key]` of an answer as one object (a one-item array is taken too). */
function dataObject(response: ApiResponse, key: string, what: string): Record<string, unknown> {
  const [first] = dataList(response, key);
  if (first === undefined) {
    throw new InvalidResponseError(`${what}: the answer has no data.${key} object`, {
      status: response.status,
      contentType: response.headers['content-type'],
    });
  }
  return first;
}

// ---- checks ----

function requireKind(target: IntelligenceTarget, kind: IndicatorKind, method: string, hint = ''): void {
  if (target.kind !== kind) {
    throw new ValidationError(
      `${method}() applies to ${kind.type} indicators only, not to ${target.label}${hint}`,
    );
  }
}

function checkCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_OBSERVATION_COUNT) {
    throw new ValidationError(
      `addObservation: count must be an integer from 1 to ${MAX_OBSERVATION_COUNT}, got ${describeValue(count)}`,
    );
  }
  return count;
}

/** The body of a file occurrence create (`update` false) or update. */
function occurrenceBody(input: unknown, update: boolean, method: string): Record<string, unknown> {
  if (!isRecord(input)) {
    throw new ValidationError(
      `${method}: expected an object with fileName, path or date, got ${describeValue(input)}`,
    );
  }
  const body: Record<string, unknown> = {};
  for (const field of ['fileName', 'path', 'date'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null && update) {
      body[field] = null;
    } else if (field === 'date') {
      body.date = checkDate(value, `${method}: date`);
    } else if (typeof value !== 'string' || value === '') {
      throw new ValidationError(
        `${method}: ${field} must be a non-empty string, got ${describeValue(value)}`,
      );
    } else {
      body[field] = value;
    }
  }
  const unknown = Object.keys(input).filter((key) => !['fileName', 'path', 'date'].includes(key));
  if (unknown.length > 0) {
    throw new ValidationError(
      `${method}: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (fileName, path and date are known)`,
    );
  }
  if (!Object.values(body).some((v) => v !== null)) {
    throw new ValidationError(`${method}: give at least one of fileName, path and date`);
  }
  return body;
}

// ---- parsing ----

function parseOccurrence(item: Record<string, unknown>): FileOccurrence {
  return {
    id: readId(item.id),
    fileName: readString(item.fileName),
    path: readString(item.path),
    date: readString(item.date),
  };
}

function parseObservedUser(value: unknown): ObservedUser[] {
  if (!isRecord(value)) return [];
  return [
    {
      userName: readString(value.userName),
      userLastObservedDate: readString(value.userLastObservedDate),
      count: readNumber(value.count) ?? 0,
    },
  ];
}

// ---- the operations ----

export async function observations(target: IntelligenceTarget, signal: Signal): Promise<Observation[]> {
  const items = await pagedItems(target, `${target.path}/observations`, signal);
  return items.map((item) => ({
    count: readNumber(item.count) ?? 0,
    dateObserved: readString(item.dateObserved),
  }));
}

export async function observationCount(
  target: IntelligenceTarget,
  signal: Signal,
): Promise<ObservationCount> {
  const response = await send(target.context, 'GET', `${target.path}/observationCount`, target.owner, signal);
  const data = dataObject(response, 'observationCount', `${target.label}: observationCount()`);
  return {
    count: readNumber(data.count) ?? 0,
    lastObserved: readString(data.lastObserved),
    yourCount: readNumber(data.yourCount) ?? 0,
    yourLastObserved: readString(data.yourLastObserved),
  };
}

/** Checks `addObservation()`'s arguments; run before anything is sent. */
export function observationBody(count: unknown, dateObserved: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { count: checkCount(count) };
  if (dateObserved !== undefined) body.dateObserved = checkDate(dateObserved, 'addObservation: dateObserved');
  return body;
}

export async function addObservation(
  target: IntelligenceTarget,
  body: Record<string, unknown>,
  signal: Signal,
): Promise<void> {
  // 200 with {"status":"Success"} or 204 without a body (rest-api-v2.md 3.1): both are success.
  await send(target.context, 'POST', `${target.path}/observations`, target.owner, signal, body, [], [204]);
}

export async function reportFalsePositive(
  target: IntelligenceTarget,
  signal: Signal,
): Promise<FalsePositive> {
  const response = await send(target.context, 'POST', `${target.path}/falsePositive`, target.owner, signal);
  const data = dataObject(response, 'falsePositive', `${target.label}: reportFalsePositive()`);
  return { count: readNumber(data.count) ?? 0, lastReported: readString(data.lastReported) };
}

export async function owners(target: IntelligenceTarget, signal: Signal): Promise<Owner[]> {
  // Owners are a value's, not an owner's: no `owner` parameter. One call: the list has no resultCount.
  const response = await send(target.context, 'GET', `${target.path}/owners`, undefined, signal);
  return dataList(response, 'owner').map((item) => parseOwner(item, target.context));
}

export async function dnsResolutions(target: IntelligenceTarget, signal: Signal): Promise<DnsResolution[]> {
  requireKind(target, HOST, 'dnsResolutions', ' (for an Address, use dnsHosts())');
  const items = await pagedItems(target, `${target.path}/dnsResolutions`, signal);
  return items.map((item) => ({
    resolutionDate: readString(item.resolutionDate),
    addresses: (Array.isArray(item.addresses) ? item.addresses : [])
      .filter(isRecord)
      .map((address) => target.parse(address, ADDRESS)),
  }));
}

export async function dnsHosts(target: IntelligenceTarget, signal: Signal): Promise<Indicator[]> {
  requireKind(target, ADDRESS, 'dnsHosts', ' (for a Host, use dnsResolutions())');
  const items = await pagedItems(target, `${target.path}/dnsResolutions`, signal);
  return items.map((item) => target.parse(item, item.type === undefined ? HOST : undefined));
}

const occurrencesPath = (target: IntelligenceTarget): string => `${target.path}/fileOccurrences`;

export async function fileOccurrences(target: IntelligenceTarget, signal: Signal): Promise<FileOccurrence[]> {
  requireKind(target, FILE, 'fileOccurrences');
  // One call, as the original read them: the list has no resultCount (rest-api-v2.md 4.1).
  const response = await send(target.context, 'GET', occurrencesPath(target), target.owner, signal);
  return dataList(response, 'fileOccurrence').map(parseOccurrence);
}

export async function fileOccurrence(
  target: IntelligenceTarget,
  id: number,
  signal: Signal,
): Promise<FileOccurrence> {
  requireKind(target, FILE, 'fileOccurrence');
  const occurrenceId = checkId(id, 'fileOccurrence: id');
  const response = await send(
    target.context,
    'GET',
    `${occurrencesPath(target)}/${occurrenceId}`,
    target.owner,
    signal,
  );
  return parseOccurrence(
    dataObject(response, 'fileOccurrence', `${target.label}: fileOccurrence(${occurrenceId})`),
  );
}

/** Checks a file occurrence call's arguments before anything is sent; returns the body. */
export function checkOccurrence(
  target: IntelligenceTarget,
  method: string,
  input: unknown,
  id?: unknown,
): Record<string, unknown> {
  requireKind(target, FILE, method);
  if (id !== undefined) checkId(id, `${method}: id`);
  return input === undefined ? {} : occurrenceBody(input, method === 'updateFileOccurrence', method);
}

export async function addFileOccurrence(
  target: IntelligenceTarget,
  body: Record<string, unknown>,
  signal: Signal,
): Promise<FileOccurrence> {
  const response = await send(target.context, 'POST', occurrencesPath(target), target.owner, signal, body);
  return parseOccurrence(dataObject(response, 'fileOccurrence', `${target.label}: addFileOccurrence()`));
}

export async function updateFileOccurrence(
  target: IntelligenceTarget,
  id: number,
  body: Record<string, unknown>,
  signal: Signal,
): Promise<FileOccurrence> {
  const response = await send(
    target.context,
    'PUT',
    `${occurrencesPath(target)}/${id}`,
    target.owner,
    signal,
    body,
  );
  return parseOccurrence(
    dataObject(response, 'fileOccurrence', `${target.label}: updateFileOccurrence(${id})`),
  );
}

export async function deleteFileOccurrence(
  target: IntelligenceTarget,
  id: number,
  signal: Signal,
): Promise<void> {
  await send(target.context, 'DELETE', `${occurrencesPath(target)}/${id}`, target.owner, signal);
}

/** A real calendar day `YYYY-MM-DD` (not `2015-02-30`, which Date.parse rolls over). */
function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text);
}

/** `GET /v2/indicators/observed`: one call, as the API answers it whole (at most 20,000 items). */
export async function observed(
  context: ResourceContext,
  options: ObservedOptions = {},
): Promise<ObservedIndicator[]> {
  if (typeof options !== 'object' || (options as unknown) === null)
    throw new ValidationError(`observed: expected an options object, got ${describeValue(options)}`);
  const params: [string, string][] = [];
  const { date } = options;
  if (date !== undefined) {
    let day: string;
    if (date instanceof Date && !Number.isNaN(date.getTime())) day = date.toISOString().slice(0, 10);
    else if (typeof date === 'string' && isDay(date)) day = date;
    else {
      throw new ValidationError(
        `observed: date must be a day such as '2024-01-02', or a Date, got ${describeValue(date)}`,
      );
    }
    params.push(['dateObserved', day]);
  }
  checkSignal(options.signal, 'observed');
  const owner = options.owner ?? context.requester.config.defaultOrg;
  const response = await send(
    context,
    'GET',
    '/v2/indicators/observed',
    owner,
    options.signal,
    undefined,
    params,
  );
  return dataList(response, 'indicator').map((item) => ({
    summary: readString(item.summary) ?? '',
    observationCount: readNumber(item.observationCount) ?? 0,
    lastObserved: readString(item.lastObserved),
    userObservedList: (Array.isArray(item.userObservedList) ? item.userObservedList : []).flatMap(
      parseObservedUser,
    ),
  }));
}
