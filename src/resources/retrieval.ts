/**
 * The retrieval engine (sdk-behaviour.md 3.6, decisions.md 1.4 and 1.7): each filter object's
 * requests, sent once per owner when they can carry one (else once, with the results kept for each
 * owner whose name matches), paged through the requester's page-window limiter, owner-checked,
 * post-filtered object by object, and de-duplicated by id. Filter objects combine left to right by
 * their operator; results come out in first-seen order.
 */
import { NotFoundError, ValidationError } from '../core/errors.js';
import { checkCallOptions, describeValue, isRecord } from '../core/validators.js';
import { RequestObject } from '../core/request-object.js';
import type { ResourceType } from '../core/enums.js';
import type { FilterObject } from '../filters/filter.js';
import type { PostFilter } from '../filters/post-filters.js';
import { serverFilterValue } from '../filters/server-filters.js';
import { type ApiRequestSpec, defaultRequestSpec, type FilterTarget } from '../filters/requests.js';
import { checkConcurrency } from '../pipeline/requester.js';
import type { ResourceContext } from './context.js';
import { INDICATOR_KIND_BY_BRANCH } from './kinds.js';

/** Options of `retrieve()` and `stream()` (decisions.md 1.7). */
export interface RetrieveOptions {
  /** Page windows in flight, 1 to 32. @default the client's `concurrency` */
  readonly concurrency?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Ask the server for each item's tags (`includeTags=true`). Set by itself for a tag post filter. */
  readonly includeTags?: boolean | undefined;
  /** Ask the server for each item's attributes. Set by itself for an attribute post filter. */
  readonly includeAttributes?: boolean | undefined;
  /**
   * Also send the post filters the listing can filter on as a server-side `filters=` parameter, which
   * cuts the traffic; the post filters still run on every object, so the results are the same
   * (docs/filters.md, "Server-side filters"). @default false
   */
  readonly serverFilters?: boolean | undefined;
}

/** The keys of {@link RetrieveOptions}: another is refused, not ignored. */
const RETRIEVE_OPTION_KEYS: readonly string[] = [
  'concurrency',
  'signal',
  'includeTags',
  'includeAttributes',
  'serverFilters',
] satisfies readonly (keyof RetrieveOptions)[];

/** An object the engine can place: its id and owner. */
export interface Retrieved {
  readonly id: number;
  readonly ownerName?: string | undefined;
}

/** What a container tells the engine. */
export interface RetrievalPlan<T extends Retrieved> {
  readonly context: ResourceContext;
  readonly target: FilterTarget;
  readonly resourceType: ResourceType;
  /** Whether results are dropped unless their `ownerName` is the owner asked for (not owners, victims). */
  readonly ownerCheck: boolean;
  readonly modifiedSince?: string | undefined;
  /** Turns a wire item into the container's object (the same instance for an id already known). */
  readonly parse: ParseItem<T>;
}

/**
 * Turns a wire item into an object. `metadata`: whether the request asked for tags or attributes
 * (`includeTags`, `includeAttributes`), without which an item has none; `owner`: the owner the request
 * was sent for, if any; `signal`: the caller's, for what a parse may have to read (the type table).
 */
export type ParseItem<T> = (
  item: Record<string, unknown>,
  spec: ApiRequestSpec,
  metadata: boolean,
  owner: string | undefined,
  signal: AbortSignal | undefined,
) => T | Promise<T>;

/** The message of the 404 that retrieval reads as an empty result (decisions.md 1.4). */
const NOT_FOUND_MESSAGE = 'The requested resource was not found';

/**
 * Whether an object's owner is one of `allowed` (`upper`: the same names in upper case), case
 * insensitively; an object without an owner passes. The exact name is tried first: it is the usual
 * case, and it costs no new string.
 */
function ownedBy(name: string | undefined, allowed: readonly string[], upper: readonly string[]): boolean {
  if (name === undefined) return true;
  for (const owner of allowed) if (name === owner) return true;
  const upperName = name.toUpperCase();
  for (const owner of upper) if (upperName === owner) return true;
  return false;
}

/** What every request of one filter object adds: inline tags and attributes, server-side filters. */
interface RequestExtras {
  readonly tags: boolean;
  readonly attributes: boolean;
  /** The `filters` value for listings (not single objects), already encoded. */
  readonly filters?: string | undefined;
}

function buildRequest<T extends Retrieved>(
  plan: RetrievalPlan<T>,
  spec: ApiRequestSpec,
  owner: string | undefined,
  include: RequestExtras,
): RequestObject {
  // In the request URI, so that its commas stay literal (rest-api-v2.md 4.2); payload values are form-encoded.
  const uri =
    include.filters === undefined || spec.single
      ? spec.requestUri
      : `${spec.requestUri}?filters=${include.filters}`;
  const ro = new RequestObject().setHttpMethod('GET').setRequestUri(uri);
  // A typed indicator request (a typed filter object's, or one whose value's type was detected) carries
  // that type, as the original's did (sdk-behaviour.md 3.4): the report entry shows it.
  const kind =
    spec.indicatorBranch === undefined ? undefined : INDICATOR_KIND_BY_BRANCH.get(spec.indicatorBranch);
  // IndicatorType and ResourceType share the values of the built-in types (515 for addresses, …).
  ro.setResourceType(kind === undefined ? plan.resourceType : (kind.indicatorType as number as ResourceType));
  let description = spec.description;
  // `modifiedSince` before `owner`, as the original sent them (python-sdk-observed.md 3.2).
  if (spec.isDefault && plan.modifiedSince !== undefined) {
    ro.addPayload('modifiedSince', plan.modifiedSince);
    description = `${owner === undefined ? 'Owner Filter' : 'Indicator Owner Filter'} modified since ${plan.modifiedSince}`;
  } else if (spec.isDefault && owner === undefined) description = 'None';
  if (owner !== undefined && spec.ownerAllowed) ro.setOwner(owner);
  if (include.tags) ro.addPayload('includeTags', 'true');
  if (include.attributes) ro.addPayload('includeAttributes', 'true');
  return ro.setDescription(description);
}

/**
 * The object of a single-object answer (`data.adversary`): an object, or an array holding only it, as
 * a lone item may come either way (rest-api-v2.md 3.1). Undefined when the answer holds none.
 */
function singleItem(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const values = Object.values(data);
  const item = values.find(isRecord);
  if (item !== undefined) return item;
  const list = values.find((v): v is unknown[] => Array.isArray(v) && v.length === 1 && isRecord(v[0]));
  return list?.[0] as Record<string, unknown> | undefined;
}

/**
 * A page being parsed: the objects kept so far, the next item, the parse being waited for, and the
 * caller's signal, which that parse waits with.
 */
interface PageWalk<T> {
  readonly batch: T[];
  readonly signal: AbortSignal | undefined;
  next: number;
  pending: Promise<T> | undefined;
}

/**
 * Parses and keeps `items` from `walk.next` into `walk.batch`, in one pass into one array, up to the end
 * or to the first item whose parse is asynchronous (`walk.pending`: a custom type waiting for the type
 * table). A plain function, so that the loop run for every item of a listing is not suspended code.
 */
function takeItems<T extends Retrieved>(
  plan: RetrievalPlan<T>,
  spec: ApiRequestSpec,
  items: readonly Record<string, unknown>[],
  keep: ((object: T) => boolean) | undefined,
  walk: PageWalk<T>,
  metadata: boolean,
  owner: string | undefined,
): void {
  for (let i = walk.next; i < items.length; i += 1) {
    const parsed = plan.parse(items[i] as Record<string, unknown>, spec, metadata, owner, walk.signal);
    if (parsed instanceof Promise) {
      walk.pending = parsed;
      walk.next = i + 1;
      return;
    }
    if (keep === undefined || keep(parsed)) walk.batch.push(parsed);
  }
  walk.next = items.length;
}

/**
 * The objects of one request for one owner (or for none), a page at a time: the layers of the engine
 * pass batches, so a listing costs one generator step per page, not per object.
 */
async function* fetchRequest<T extends Retrieved>(
  plan: RetrievalPlan<T>,
  spec: ApiRequestSpec,
  owner: string | undefined,
  options: RetrieveOptions,
  include: RequestExtras,
  keep?: (object: T) => boolean,
): AsyncGenerator<T[]> {
  const { requester } = plan.context;
  const ro = buildRequest(plan, spec, owner, include);
  const metadata = include.tags || include.attributes;
  // Whether the code running is the parse of an object (which may read the type table), not the
  // request: only the request's 404 is read as an empty result.
  let parsing = false;
  try {
    if (spec.single) {
      const response = await requester.request(ro, {
        throwOnError: true,
        countsAsApiFilter: true,
        signal: options.signal,
      });
      const data = response.json<{ data?: Record<string, unknown> }>().data ?? {};
      const item = singleItem(data);
      if (item === undefined) return;
      requester.recorder.addUnfilteredResults(1);
      parsing = true;
      const object = await plan.parse(item, spec, metadata, owner, options.signal);
      const kept = keep === undefined || keep(object);
      parsing = false;
      if (kept) yield [object];
      return;
    }
    const pages = requester.listing<Record<string, unknown>>(ro, {
      concurrency: options.concurrency,
      signal: options.signal,
      countsAsApiFilter: true,
      failedWindows: 'incomplete',
    });
    for await (const page of pages) {
      const items = page.items;
      requester.recorder.addUnfilteredResults(items.length);
      const walk: PageWalk<T> = { batch: [], signal: options.signal, next: 0, pending: undefined };
      parsing = true;
      for (;;) {
        takeItems(plan, spec, items, keep, walk, metadata, owner);
        if (walk.pending === undefined) break;
        const object = await walk.pending;
        walk.pending = undefined;
        if (keep === undefined || keep(object)) walk.batch.push(object);
      }
      parsing = false;
      if (walk.batch.length > 0) yield walk.batch;
    }
  } catch (error) {
    // The original's useful case: filtering on a missing resource is an empty result (the report
    // keeps the failure). A 404 met while parsing (the type table's) is no such thing: it throws.
    if (!parsing && error instanceof NotFoundError && error.message === NOT_FOUND_MESSAGE) return;
    throw error;
  }
}

/**
 * The objects of one filter object, de-duplicated and post-filtered, in first-seen order. Memory: the
 * ids seen, when it has several requests (for their union); nothing beyond the pages when it has one.
 */
export async function* streamFilterObject<T extends Retrieved>(
  plan: RetrievalPlan<T>,
  filter: FilterObject | undefined,
  defaultOrg: string,
  options: RetrieveOptions,
): AsyncGenerator<T[]> {
  const post: readonly PostFilter[] = filter?.postFilters ?? [];
  const include: RequestExtras = {
    tags: options.includeTags === true || post.some((p) => p.needs === 'tags'),
    attributes: options.includeAttributes === true || post.some((p) => p.needs === 'attributes'),
    filters:
      options.serverFilters === true && filter !== undefined
        ? serverFilterValue(filter.target, post)
        : undefined,
  };
  const { recorder } = plan.context.requester;
  if (filter === undefined) {
    // No filter object: the container's base listing, no owner (the API user's default org).
    yield* fetchRequest(plan, defaultRequestSpec(plan.target), undefined, options, include);
    return;
  }
  const owners = filter.owners.length > 0 ? filter.owners : [defaultOrg];
  const requests = filter.apiRequests.length > 0 ? filter.apiRequests : [filter.defaultRequest];
  // One report entry per post filter and owner, as the original counted them, recorded after that
  // owner's requests as the original did, so that iterating `tc.report` lists a request before the
  // post filters that narrowed its results. A walk that fails records none for the owner it failed
  // in and those after, as the original raised before recording them; one the caller ends early
  // records the rest, as they ran on what it got.
  let recorded = 0;
  const recordPostFilters = (upTo: number) => {
    for (; recorded < upTo; recorded += 1) {
      for (const p of post) {
        recorder.recordPostFilter({
          description: p.description,
          filter: p.filter,
          method: p.method,
          operator: p.operator,
        });
      }
    }
  };
  // The ids seen, for the union of the requests and owners. One request cannot give an object twice
  // when it is sent once, or once per owner with the owner check telling the owners apart (an object
  // has one owner): then only objects without an owner are remembered, and memory stays flat.
  const only = requests.length === 1 ? requests[0] : undefined;
  const disjoint =
    only !== undefined &&
    (owners.length === 1 ||
      !only.ownerAllowed ||
      (plan.ownerCheck && new Set(owners.map((o) => o.toUpperCase())).size === owners.length));
  const seen = new Set<number>();
  /** The filter of the results meant for `allowed` owners. */
  const keeper = (allowed: readonly string[]) => {
    const upper = allowed.map((o) => o.toUpperCase());
    return (object: T): boolean => {
      if (seen.size > 0 && seen.has(object.id)) return false;
      if (plan.ownerCheck && !ownedBy(object.ownerName, allowed, upper)) return false;
      for (const p of post) if (!p.test(object as never)) return false;
      if (!disjoint || object.ownerName === undefined) seen.add(object.id);
      return true;
    };
  };
  let failed = false;
  try {
    // Owner by owner, each owner's requests in order, as the original sent them (sdk-behaviour.md
    // 3.6). A request that cannot carry an owner is sent once, in the first owner's turn, and its
    // results are kept for each owner whose name matches (decisions.md 1.7).
    for (const [index, owner] of owners.entries()) {
      for (const spec of requests) {
        if (spec.ownerAllowed) {
          for await (const batch of fetchRequest(plan, spec, owner, options, include, keeper([owner]))) {
            yield batch;
          }
        } else if (index === 0) {
          for await (const batch of fetchRequest(plan, spec, undefined, options, include, keeper(owners))) {
            yield batch;
          }
        }
      }
      recordPostFilters(index + 1);
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (!failed) recordPostFilters(owners.length);
  }
}

/** Checks the options of `retrieve()` and `stream()`. @throws {ValidationError} */
export function checkRetrieveOptions(options: RetrieveOptions, method: 'retrieve' | 'stream'): void {
  checkCallOptions(options, method, RETRIEVE_OPTION_KEYS);
  checkConcurrency(options.concurrency);
  for (const key of ['serverFilters', 'includeTags', 'includeAttributes'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new ValidationError(`${key} must be true or false, got ${describeValue(value)}`);
    }
  }
}

/**
 * Every filter object combined left to right. Streams directly when each filter object after the first
 * is OR'd (memory: ids). With an AND, the later filter objects are walked first for their ids (and the
 * objects of OR'd ones kept), then the first streams through the combined set.
 */
export async function* streamAll<T extends Retrieved>(
  plan: RetrievalPlan<T>,
  filters: readonly FilterObject[],
  defaultOrg: string,
  options: RetrieveOptions,
): AsyncGenerator<T[]> {
  // (The options were checked by the container, before any request and before it took the filters.)
  if (filters.length === 0) {
    yield* streamFilterObject(plan, undefined, defaultOrg, options);
    return;
  }
  const [first, ...rest] = filters as [FilterObject, ...FilterObject[]];
  if (rest.length === 0) {
    // One filter object: it de-duplicates itself.
    yield* streamFilterObject(plan, first, defaultOrg, options);
    return;
  }
  if (rest.every((f) => f.operator === 'or')) {
    const seen = new Set<number>();
    for (const filter of filters) {
      for await (const batch of streamFilterObject(plan, filter, defaultOrg, options)) {
        const fresh = batch.filter((object) => {
          if (seen.has(object.id)) return false;
          seen.add(object.id);
          return true;
        });
        if (fresh.length > 0) yield fresh;
      }
    }
    return;
  }
  // Later filter objects first: their id sets decide membership; OR'd ones keep their objects too.
  const later: { operator: string; ids: Set<number>; objects: T[] }[] = [];
  for (const filter of rest) {
    const ids = new Set<number>();
    const objects: T[] = [];
    for await (const batch of streamFilterObject(plan, filter, defaultOrg, options)) {
      for (const object of batch) {
        ids.add(object.id);
        if (filter.operator === 'or') objects.push(object);
      }
    }
    later.push({ operator: filter.operator, ids, objects });
  }
  // Whether an object in set position `from` survives the operators after it.
  const survives = (id: number, from: number): boolean => {
    let member = true;
    for (let i = from; i < later.length; i += 1) {
      const step = later[i];
      if (step === undefined) continue;
      member = step.operator === 'and' ? member && step.ids.has(id) : member || step.ids.has(id);
    }
    return member;
  };
  const yielded = new Set<number>();
  const take =
    (from: number) =>
    (object: T): boolean => {
      if (yielded.has(object.id) || !survives(object.id, from)) return false;
      yielded.add(object.id);
      return true;
    };
  for await (const batch of streamFilterObject(plan, first, defaultOrg, options)) {
    const kept = batch.filter(take(0));
    if (kept.length > 0) yield kept;
  }
  for (let i = 0; i < later.length; i += 1) {
    const kept = (later[i]?.objects ?? []).filter(take(i + 1));
    if (kept.length > 0) yield kept;
  }
}
