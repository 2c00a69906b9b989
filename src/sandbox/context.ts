/** The per-request context handed to sandbox handlers, with the helpers they share. */
import type { IncomingMessage } from 'node:http';
import type { BatchJobs } from './batch/jobs.js';
import { hasUnreadBody } from './linger.js';
import { Failure, badRequest, json, type JsonReply } from './reply.js';
import type { OwnerRow, Store, TaskRow, UserRow, VictimRow } from './store.js';
import type { ViewContext } from './views.js';

export interface Limits {
  maxResultLimit: number;
  maxBodyBytes: number;
  maxUploadBytes: number;
  maxConcurrentUploads: number;
}

/**
 * Uploads in progress, against `maxConcurrentUploads`. One per server: an upload stages up to
 * `maxUploadBytes` in the database before it is accepted or refused, so the count bounds the space
 * (and, in memory, the memory) that uploads can take at once.
 */
export class UploadSlots {
  readonly max: number;
  #active = 0;

  constructor(max: number) {
    this.max = max;
  }

  get active(): number {
    return this.#active;
  }

  /** Takes a slot; false when all are taken. */
  tryAcquire(): boolean {
    if (this.#active >= this.max) return false;
    this.#active += 1;
    return true;
  }

  release(): void {
    this.#active = Math.max(0, this.#active - 1);
  }
}

export interface RequestContext {
  req: IncomingMessage;
  method: string;
  /** Query parameters, decoded (`+` and `%20` both give a space). */
  query: URLSearchParams;
  /** What `includes` asks for, every value of the parameter split at commas (views.ts `includesOf`). */
  includes: ReadonlySet<string>;
  user: UserRow;
  store: Store;
  limits: Limits;
  /** The server clock, in ms (shared by auth, token expiry, new dates and logs). */
  nowMs: () => number;
  view: ViewContext;
  /** Set when the handler has consumed the request body completely. */
  bodyConsumed: boolean;
  uploads: UploadSlots;
  /** Set when a listing has read `filters`/`orParams` (query-filters.ts); unread filters are a 400. */
  filtersRead?: boolean;
  /** The server's batch jobs. */
  batch: BatchJobs;
}

export const DEFAULT_RESULT_LIMIT = 100;

/** An instant the way the real server writes dates in current docs: ISO 8601 with `Z`, no milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The server clock's now, as {@link isoSeconds} writes it. */
export function isoNow(ctx: RequestContext): string {
  return isoSeconds(ctx.nowMs());
}

export function accessibleOwnerIds(ctx: RequestContext): Set<number> {
  return ctx.store.ownerIdsForUser(ctx.user.id);
}

/**
 * The owner a request addresses: the `owner` parameter (an owner name, matched without case), else the
 * user's organization. An unknown owner or one the user may not access gives 403.
 */
export function requestOwner(ctx: RequestContext): OwnerRow {
  const name = ctx.query.get('owner');
  if (name === null || name === '') {
    const org = ctx.store.ownerById(ctx.user.org_owner_id);
    if (!org) throw new Failure(403, 'The requested owner was not found');
    return org;
  }
  const row = ctx.store.ownerByName(name);
  if (!row) throw new Failure(403, 'The requested owner was not found');
  assertOwnerAccess(ctx, row.id);
  return row;
}

export function assertOwnerAccess(ctx: RequestContext, ownerId: number): void {
  if (!accessibleOwnerIds(ctx).has(ownerId)) throw new Failure(403, 'Access Denied');
}

export const PAGINATION_MESSAGE = (max: number): string =>
  `The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is ${max}`;

/** Validated `resultStart`/`resultLimit`; a limit above the maximum is a 400, never a silent truncation. */
export function pageWindow(ctx: RequestContext): { start: number; limit: number } {
  const max = ctx.limits.maxResultLimit;
  const parse = (name: string, fallback: number, min: number): number => {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw badRequest(PAGINATION_MESSAGE(max));
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) throw badRequest(PAGINATION_MESSAGE(max));
    return value;
  };
  const start = parse('resultStart', 0, 0);
  const limit = parse('resultLimit', Math.min(DEFAULT_RESULT_LIMIT, max), 1);
  if (limit > max) throw badRequest(PAGINATION_MESSAGE(max));
  return { start, limit };
}

/**
 * A listing answer. `resultCount` (the total) is sent only with `resultStart=0`, as the real server does
 * (rest-api-v2.md 4.1).
 */
export function listReply(key: string, items: unknown[], total: number, start: number): JsonReply {
  const data: Record<string, unknown> = start === 0 ? { resultCount: total, [key]: items } : { [key]: items };
  return json({ status: 'Success', data }, 200, key);
}

/** An unpaged list that still honours the window, for lists the SDK reads in one call. */
export function windowed<T>(
  ctx: RequestContext,
  key: string,
  rows: readonly T[],
  map: (row: T) => unknown,
): JsonReply {
  const { start, limit } = pageWindow(ctx);
  return listReply(key, rows.slice(start, start + limit).map(map), rows.length, start);
}

/** The tables whose listings are one owner's rows, and their row types. */
interface OwnerTables {
  tasks: TaskRow;
  victims: VictimRow;
}

/** A listing's extra SQL condition (a compiled `filters` parameter) and its parameters. */
export interface ListingCondition {
  readonly clause: string;
  readonly params: readonly unknown[];
}

/**
 * One window of the requesting owner's rows of `table`, by id, kept by `filter` when given; the total is
 * counted on the first window only.
 */
export function ownerListing<K extends keyof OwnerTables>(
  ctx: RequestContext,
  table: K,
  key: string,
  map: (row: OwnerTables[K]) => unknown,
  filter: ListingCondition | null = null,
): JsonReply {
  const owner = requestOwner(ctx);
  const { start, limit } = pageWindow(ctx);
  const where = filter === null ? 'owner_id = ?' : `owner_id = ? AND ${filter.clause}`;
  const params = filter === null ? [owner.id] : [owner.id, ...filter.params];
  const rows = ctx.store.all<OwnerTables[K]>(
    `SELECT * FROM ${table} WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`,
    ...params,
    limit,
    start,
  );
  const total =
    start === 0
      ? (ctx.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, ...params)?.n ?? 0)
      : 0;
  return listReply(key, rows.map(map), total, start);
}

export function isTrue(value: string | null): boolean {
  return value !== null && value.toLowerCase() === 'true';
}

/**
 * The request body's chunks. Stopping early (a body over the limit) leaves the request open: the
 * server then answers, and discards the rest of the body before it closes the connection
 * (decisions.md 2.4). A plain `for await` over the request would destroy it, and with it the socket,
 * before the answer could be sent.
 */
export function bodyChunks(ctx: RequestContext): AsyncIterable<Buffer> {
  return ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}

/** Reads and parses a JSON request body within `maxBodyBytes`. */
export async function readJson(ctx: RequestContext): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  const limit = ctx.limits.maxBodyBytes;
  const declared = Number(ctx.req.headers['content-length'] ?? '0');
  if (declared > limit) throw tooLarge(limit);
  for await (const chunk of bodyChunks(ctx)) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  ctx.bodyConsumed = true;
  let text: string;
  let body: unknown;
  try {
    // Fatal: bytes that are not UTF-8 are refused, never replaced with U+FFFD.
    text = UTF8.decode(Buffer.concat(chunks));
    if (text.trim() === '') throw new SyntaxError('empty body');
    body = JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request was not properly formed');
  }
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
    throw badRequest(
      `The request was not properly formed: the body nests deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  const where = loneSurrogatePath(body, '');
  if (where !== null) {
    throw badRequest(
      `The request was not properly formed: ${where || 'the body'} holds a lone UTF-16 surrogate`,
    );
  }
  return body;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Deepest nesting of arrays and objects a JSON body may have (the default of Jackson, a common Java
 * JSON reader). The checks that walk a body recurse, so a 1 MiB body of `[[[…]]]` would otherwise
 * overflow the stack and answer 500.
 */
export const MAX_JSON_DEPTH = 1000;

/** Whether a parsed JSON value nests arrays and objects more than `max` levels deep; not recursive. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const item of Object.values(next.value)) pending.push({ value: item, depth });
  }
  return false;
}

/** In `u` mode a surrogate range matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Where a parsed JSON value holds a lone surrogate (`"\ud800"` in the raw body): the dotted path of the
 * first such key or string, `''` for the top level, or null when there is none (decisions.md 2.4).
 */
function loneSurrogatePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = loneSurrogatePath(item, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogatePath(item, at);
    if (found !== null) return found;
  }
  return null;
}

/** Reads a JSON object body; anything else is a 400. */
export async function readObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const body = await readJson(ctx);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request was not properly formed');
  }
  return body as Record<string, unknown>;
}

/**
 * Reads and drops an unread body of at most `limit` bytes, so that an error answered before the handler
 * read the body can keep the connection (decisions.md 2.4). False, with the body left, when it is
 * declared or turns out larger than `limit`: the connection must then close.
 */
export async function discardBody(req: IncomingMessage, limit: number): Promise<boolean> {
  if (!hasUnreadBody(req)) return true;
  if (Number(req.headers['content-length'] ?? '0') > limit) return false;
  let size = 0;
  try {
    // Stopping at the limit must leave the request open, as in bodyChunks: the answer is still to go.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return false;
    }
  } catch {
    // The client went away mid-body: there is no connection left to keep.
    return false;
  }
  return true;
}

export function tooLarge(limit: number): Failure {
  return new Failure(413, `The request body is larger than the limit of ${limit} bytes`);
}

/** Parses an id path segment (a non-negative integer); anything else is not found. */
export function parseId(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw))
    throw new Failure(404, 'The requested resource was not found');
  return Number(raw);
}
