/**
 * `tc.indicators().deleted(options)`: the indicators deleted since a time, from
 * `/v2/indicators/deleted` or `/v2/indicators/{branch}/deleted` (rest-api-v2.md 6.5), one owner after
 * another, page by page through the requester (report, retries, page windows).
 */
import { type IndicatorType, ResourceType } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { formatModifiedSince, isSendableDate, RequestObject } from '../core/request-object.js';
import { checkCallOptions, describeValue, isDate } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { INDICATOR_KINDS } from './kinds.js';

/** One deleted indicator, as the API lists it. The API gives no id and no time of deletion. */
export interface DeletedIndicator {
  readonly ownerName: string;
  /** The API's type name: `Address`, `Host`, … or a custom type's. */
  readonly type: string;
  /** When the indicator was created (ISO 8601, as the API wrote it). */
  readonly dateAdded: string;
  /** The value; a file's hashes joined by ` : `. */
  readonly summary: string;
}

/** Options of `tc.indicators().deleted()`. */
export interface DeletedOptions {
  /** Only deletions at or after this time (`deletedSince`); all within the server's retention when absent. */
  readonly since?: string | Date | undefined;
  /** One built-in type (`IndicatorType.HOSTS`, …): its `/{branch}/deleted` listing. */
  readonly type?: IndicatorType | undefined;
  /** Owners to list, one after another; the default org when absent. */
  readonly owner?: string | readonly string[] | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Page windows in flight after the first. @default the client's `concurrency` */
  readonly concurrency?: number | undefined;
}

const OPTION_KEYS: readonly string[] = ['since', 'type', 'owner', 'signal', 'concurrency'];

function sinceText(since: unknown): string | undefined {
  if (since === undefined) return undefined;
  if (isDate(since)) {
    if (Number.isNaN(since.getTime())) throw new ValidationError('deleted: `since` is an invalid Date');
    if (!isSendableDate(since)) {
      throw new ValidationError(`deleted: \`since\` ${since.toISOString()} is outside the years 0 to 9999`);
    }
    return formatModifiedSince(since);
  }
  if (typeof since === 'string' && Number.isFinite(Date.parse(since))) return since;
  throw new ValidationError(
    `deleted: \`since\` must be a Date or an ISO 8601 date, got ${describeValue(since)}`,
  );
}

function ownersOf(owner: unknown): (string | undefined)[] {
  if (owner === undefined) return [undefined];
  const list = typeof owner === 'string' ? [owner] : owner;
  if (!Array.isArray(list) || list.length === 0 || list.some((o) => typeof o !== 'string' || o === '')) {
    throw new ValidationError(
      `deleted: \`owner\` must be an owner name or a non-empty array of them, got ${describeValue(owner)}`,
    );
  }
  return list as string[];
}

function itemOf(raw: unknown): DeletedIndicator {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof item[key] === 'string' ? item[key] : '');
  return {
    ownerName: text('ownerName'),
    type: text('type'),
    dateAdded: text('dateAdded'),
    summary: text('summary'),
  };
}

/**
 * The deleted indicators the options select. Options are checked before any request
 * ({@link ValidationError} naming the option).
 */
export function deletedIndicators(
  context: ResourceContext,
  options: DeletedOptions = {},
): AsyncGenerator<DeletedIndicator> {
  checkCallOptions(options, 'deleted', OPTION_KEYS);
  const since = sinceText(options.since);
  let path = '/v2/indicators/deleted';
  if (options.type !== undefined) {
    const kind = INDICATOR_KINDS.get(options.type);
    if (kind === undefined) {
      throw new ValidationError(
        `deleted: \`type\` must be an IndicatorType with a listing (ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS), got ${describeValue(options.type)}`,
      );
    }
    path = `/v2/indicators/${kind.branch}/deleted`;
  }
  const owners = ownersOf(options.owner);
  return walk(context, path, since, owners, options);
}

async function* walk(
  context: ResourceContext,
  path: string,
  since: string | undefined,
  owners: (string | undefined)[],
  options: DeletedOptions,
): AsyncGenerator<DeletedIndicator> {
  for (const owner of owners) {
    const ro = new RequestObject()
      .setHttpMethod('GET')
      .setRequestUri(path)
      .setResourceType(ResourceType.INDICATORS)
      .setDescription(`Deleted indicators${since === undefined ? '' : ` since ${since}`}`);
    if (since !== undefined) ro.addPayload('deletedSince', since);
    if (owner !== undefined) ro.setOwner(owner);
    const pages = context.requester.listing(ro, {
      signal: options.signal,
      concurrency: options.concurrency,
      countsAsApiFilter: false,
      failedWindows: 'incomplete',
    });
    for await (const page of pages) {
      for (const item of page.items) yield itemOf(item);
    }
  }
}
