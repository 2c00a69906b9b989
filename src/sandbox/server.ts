/**
 * The sandbox HTTP(S) server: auth, admin endpoints, fault injection, request log and dispatch.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { BatchJobs } from './batch/jobs.js';
import { refuseUnparsedRequests } from './client-error.js';
import {
  type Limits,
  type RequestContext,
  UploadSlots,
  discardBody,
  isTrue,
  isoSeconds,
  readObject,
} from './context.js';
import { createJsonEncoder } from './encode.js';
import { type FaultConfig, FaultEngine, type FaultRule, parseFaultConfig } from './faults.js';
import { hasUnreadBody, isClosingConnection, lingerAfterAnswer } from './linger.js';
import { pageBody } from './listing-cache.js';
import { refuseUnreadFilters } from './query-filters.js';
import { includesOf } from './views.js';
import { Failure, type JsonReply, NOT_FOUND, type Reply, json } from './reply.js';
import { RequestLog } from './request-log.js';
import { createApiRouter } from './routes.js';
import type { Store, UserRow } from './store.js';
import { GROUP_BY_BRANCH } from './types.js';
import { expectedSignature, parseHmacAuthorization, signaturesMatch } from './verify-hmac.js';

export const CLOCK_SKEW_SECONDS = 300;
/** Largest clock offset in either direction: ten years of 365.25 days (decisions.md 2.2). */
export const MAX_CLOCK_OFFSET_SECONDS = 315_576_000;

export type { RequestLogEntry } from './request-log.js';

export interface ServerSettings {
  store: Store;
  limits: Limits;
  faults: FaultConfig | undefined;
  clock: (() => number) | undefined;
  tokenTtlSeconds: number;
  tls: { key: string; cert: string } | undefined;
  host: string;
  port: number;
}

export interface RunningServer {
  origin: string;
  port: number;
  /** Unexpected exceptions met while answering requests (each answered 500 and written to stderr). */
  readonly internalErrors: number;
  issueToken(userId: number): { token: string; expires: number };
  close(): Promise<void>;
}

interface Outcome {
  status: number | null;
  fault: string | null;
}

/** Errors that only say the client went away mid-request: there is no one to answer, and no bug. */
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);
function isClientGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CLIENT_GONE_CODES.has(code);
}

/** Rough test for listings, used to scope `shortPage` rules before the handler runs. */
const COLLECTIONS = new Set([
  'indicators',
  'groups',
  'owners',
  'tags',
  'securityLabels',
  'victims',
  'tasks',
  'attributes',
  'victimAssets',
  'indicatorTypes',
  'adversaryAssets',
  'assignees',
  'escalatees',
  'deleted',
  // Paged lists too (docs/decisions.md, "Every list pages"), which a shortPage rule shortens as well.
  'members',
  'attributeTypes',
  'associationTypes',
  'dnsResolutions',
  'observations',
]);
/** Parents whose next segment names a typed list (`victimAssets/emailAddresses`). */
const TYPED_LIST_PARENTS = new Set(['victimAssets', 'adversaryAssets']);
function looksLikeListing(store: Store, method: string, segments: readonly string[]): boolean {
  if (method !== 'GET') return false;
  const last = segments.at(-1) ?? '';
  const previous = segments.at(-2) ?? '';
  if (COLLECTIONS.has(last)) return true;
  if (previous === 'indicators') return store.indicatorTypes.byBranch(last) !== undefined;
  if (previous === 'groups') return GROUP_BY_BRANCH.has(last);
  if (TYPED_LIST_PARENTS.has(previous)) return !/^\d+$/.test(last);
  return false;
}

export async function startServer(settings: ServerSettings): Promise<RunningServer> {
  const { store, limits } = settings;
  const faults = new FaultEngine(settings.faults);
  const requestLog = new RequestLog();
  const uploads = new UploadSlots(limits.maxConcurrentUploads);
  const activityLog = new RequestLog();
  const encode = createJsonEncoder();
  const router = createApiRouter();
  let clockOffsetSeconds = 0;
  const baseClock = settings.clock ?? Date.now;
  const nowMs = (): number => baseClock() + clockOffsetSeconds * 1000;
  const isoTime = (): string => new Date(nowMs()).toISOString();
  const batch = new BatchJobs(store, () => isoSeconds(nowMs()));
  const sockets = new Set<Socket>();
  let origin = '';
  let internalErrors = 0;
  let closing = false;
  /** Ends the waits of latency and stall faults at close(): a stalled answer must not keep the process alive. */
  const shutdown = new AbortController();

  /**
   * An unexpected exception: the client gets a 500, and the error is never silent. It goes to stderr
   * with its stack and is counted, so that a test (or a user) notices it even when a client's retries
   * hide the 500. Errors raised after `close()` began are the shutdown's doing (a handler finding its
   * database closed), and are not reported.
   */
  const reportInternal = (error: unknown, method: string, target: string): void => {
    if (closing) return;
    internalErrors += 1;
    const detail = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    const shown = target.length > 200 ? `${target.slice(0, 200)}…` : target;
    process.stderr.write(`threatconnect sandbox: internal error answering ${method} ${shown}\n${detail}\n`);
  };

  const issueToken = (userId: number): { token: string; expires: number } => {
    const expires = Math.floor(nowMs() / 1000) + settings.tokenTtlSeconds;
    const token = `APIV2:${userId}:${randomBytes(6).toString('base64url')}:${expires}:${randomBytes(24).toString('base64')}`;
    store.run('INSERT INTO tokens (token, user_id, expires) VALUES (?, ?, ?)', token, userId, expires);
    return { token, expires };
  };

  /**
   * Checks the Authorization (and Timestamp) headers; returns the user or throws a 401 Failure. An admin
   * call may also be signed with the real time (the base clock, or the wall clock), so that a wrong offset
   * can always be reset (decisions.md 2.2).
   */
  const authenticate = (
    req: IncomingMessage,
    target: string,
    method: string,
    seen: { accessId: string | null },
    isAdminCall: boolean,
  ) => {
    const authorization = req.headers.authorization;
    if (authorization === undefined || authorization === '') throw new Failure(401, 'Access Denied');
    if (authorization.startsWith('TC-Token ')) {
      const token = authorization.slice('TC-Token '.length).trim();
      const row = store.get<{ user_id: number; expires: number }>(
        'SELECT user_id, expires FROM tokens WHERE token = ?',
        token,
      );
      const user = row ? store.userById(row.user_id) : undefined;
      if (!row || !user) throw new Failure(401, 'Unauthorized');
      seen.accessId = user.access_id;
      if (row.expires * 1000 <= nowMs()) throw new Failure(401, 'Unauthorized');
      return user;
    }
    const parsed = parseHmacAuthorization(authorization);
    if (!parsed) throw new Failure(401, 'Access Denied');
    const user = store.userByAccessId(parsed.accessId);
    if (!user) throw new Failure(401, 'Access Denied');
    seen.accessId = user.access_id;
    const timestamp = req.headers.timestamp;
    if (typeof timestamp !== 'string' || timestamp === '') throw new Failure(401, 'Access Denied');
    // Any digits are a number (a timestamp in milliseconds too, which is then out of range).
    if (!/^\d+$/.test(timestamp)) throw new Failure(401, 'Invalid timestamp');
    const isNear = (ms: number): boolean => Math.abs(Number(timestamp) - ms / 1000) <= CLOCK_SKEW_SECONDS;
    if (!isNear(nowMs()) && !(isAdminCall && (isNear(baseClock()) || isNear(Date.now())))) {
      throw new Failure(401, 'Timestamp out of acceptable time range');
    }
    const expected = expectedSignature(user.secret_key, target, method, timestamp);
    if (!signaturesMatch(expected, parsed.signature)) {
      throw new Failure(401, 'Signature data did not match expected result');
    }
    return user;
  };

  const writeJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    writePayload(res, status, Buffer.from(encode(body), 'utf8'), headers);
  };

  const writePayload = (
    res: ServerResponse,
    status: number,
    payload: Buffer,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...headers,
      // Exactly this value, no charset: the original Python client compares it literally.
      'Content-Type': 'application/json',
      'Content-Length': String(payload.length),
    });
    res.end(payload);
  };

  const failureBody = (message: string) => ({ status: 'Failure', message });

  /**
   * Waits until `res` can take more data. False when the client has gone: 'drain' would never come,
   * and the handler would never finish (nor be logged). Every listener it adds is removed when it
   * settles, whichever event came: a large download waits once per chunk.
   */
  const drained = (res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      if (res.destroyed) {
        resolve(false);
        return;
      }
      const settle = (): void => {
        res.off('drain', settle);
        res.off('close', settle);
        res.off('error', settle);
        resolve(!res.destroyed);
      };
      res.on('drain', settle);
      res.on('close', settle);
      res.on('error', settle);
    });

  /** Writes a reply, applying a post-handler fault (reset, truncate, stall, shortPage). */
  const deliver = async (res: ServerResponse, reply: Reply, rule: FaultRule | null): Promise<Outcome> => {
    const fault = rule?.kind ?? null;
    if (rule?.kind === 'reset') {
      res.socket?.destroy();
      return { status: null, fault };
    }
    if (rule?.kind === 'stall') await delay(rule.ms ?? 0, undefined, { signal: shutdown.signal });
    if (reply.kind === 'json' || reply.kind === 'list') {
      let body = reply.kind === 'json' ? reply.body : undefined;
      if (reply.kind === 'json' && rule?.kind === 'shortPage' && reply.listKey !== undefined) {
        const envelope = body as { data: Record<string, unknown> };
        const items = envelope.data[reply.listKey];
        if (Array.isArray(items)) {
          const kept = items.slice(0, Math.max(0, items.length - (rule.drop ?? 0)));
          body = { ...envelope, data: { ...envelope.data, [reply.listKey]: kept } };
        }
      }
      const payload =
        reply.kind === 'list'
          ? pageBody(reply.page, reply.page.ends.length - (rule?.kind === 'shortPage' ? (rule.drop ?? 0) : 0))
          : Buffer.from(encode(body), 'utf8');
      if (rule?.kind === 'truncate') {
        res.writeHead(reply.status, {
          'Content-Type': 'application/json',
          'Content-Length': String(payload.length),
        });
        res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
        return { status: null, fault };
      }
      writePayload(res, reply.status, payload, reply.kind === 'json' ? reply.headers : undefined);
      return {
        status: reply.status,
        fault:
          rule?.kind === 'shortPage' && reply.kind === 'json' && reply.listKey === undefined ? null : fault,
      };
    }
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType,
      'Content-Length': String(reply.length),
    });
    if (rule?.kind === 'truncate') {
      const half = Math.floor(reply.length / 2);
      if (Buffer.isBuffer(reply.body)) {
        res.write(reply.body.subarray(0, half), () => res.socket?.destroy());
      } else {
        let sent = 0;
        for await (const chunk of reply.body as AsyncIterable<Buffer>) {
          const part = chunk.subarray(0, Math.max(0, half - sent));
          sent += part.length;
          if (sent >= half) {
            // The response corks the socket until the next tick: destroying it before the last write
            // has gone out would drop the headers and the half body.
            await new Promise<void>((resolve) => {
              res.write(part, () => {
                resolve();
              });
            });
            break;
          }
          if (part.length > 0 && !res.write(part) && !(await drained(res))) break;
        }
        res.socket?.destroy();
      }
      return { status: null, fault };
    }
    if (Buffer.isBuffer(reply.body)) {
      res.end(reply.body);
    } else {
      for await (const chunk of reply.body as AsyncIterable<Buffer>) {
        if (!res.write(chunk) && !(await drained(res))) break;
      }
      res.end();
    }
    return { status: reply.status, fault: rule?.kind === 'stall' ? fault : null };
  };

  const handleAdmin = async (ctx: RequestContext, res: ServerResponse, name: string): Promise<void> => {
    const method = ctx.method;
    if (name === 'faults') {
      if (method === 'GET') {
        writeJson(res, 200, faults.config);
        return;
      }
      if (method === 'POST') {
        faults.replace(parseFaultConfig(await readObject(ctx)));
        writeJson(res, 200, faults.config);
        return;
      }
      if (method === 'DELETE') {
        faults.replace(parseFaultConfig({}));
        writeJson(res, 200, faults.config);
        return;
      }
    }
    if (name === 'requests' || name === 'activity') {
      const log = name === 'requests' ? requestLog : activityLog;
      if (method === 'GET') {
        writeJson(res, 200, { requests: log.list() });
        return;
      }
      if (method === 'DELETE') {
        log.clear();
        writeJson(res, 200, { requests: [] });
        return;
      }
    }
    if (name === 'clock') {
      if (method === 'POST') {
        const body = await readObject(ctx);
        const offset = body.offsetSeconds;
        if (typeof offset !== 'number') throw new Failure(400, 'offsetSeconds must be a number');
        if (!Number.isFinite(offset) || Math.abs(offset) > MAX_CLOCK_OFFSET_SECONDS) {
          throw new Failure(
            400,
            `offsetSeconds must be a finite number from -${MAX_CLOCK_OFFSET_SECONDS} to ${MAX_CLOCK_OFFSET_SECONDS} (ten years)`,
          );
        }
        clockOffsetSeconds = offset;
      }
      if (method === 'GET' || method === 'POST') {
        writeJson(res, 200, { offsetSeconds: clockOffsetSeconds, now: Math.floor(nowMs() / 1000) });
        return;
      }
    }
    throw new Failure(404, NOT_FOUND);
  };

  /**
   * The user whose token `GET /api/appAuth?expiredToken=…` renews, or undefined when the sandbox never
   * issued it. This is the renewal's auth: it is checked before any fault rule (decisions.md 2.3).
   */
  const appAuthUser = (query: URLSearchParams): UserRow | undefined => {
    const old = query.get('expiredToken') ?? '';
    const row = store.get<{ user_id: number }>('SELECT user_id FROM tokens WHERE token = ?', old);
    return row ? store.userById(row.user_id) : undefined;
  };

  /** `GET /api/appAuth?expiredToken=…`: token renewal, with its own un-enveloped shape (spec 2.3). */
  const handleAppAuth = (user: UserRow): JsonReply => {
    const { token, expires } = issueToken(user.id);
    return json({ success: true, apiToken: token, apiTokenExpires: String(expires) }, 200);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
    const seen: { accessId: string | null } = { accessId: null };
    // The Date header tells the server's time, offset included (decisions.md 2.2): clients such as
    // `threatconnect sync` take their checkpoint from it.
    res.setHeader('Date', new Date(nowMs()).toUTCString());
    let outcome: Outcome = { status: null, fault: null };
    let logged = true;
    let consumed = false;
    /** The v2 fault rule that fired, if any: it applies to an error answer as to a success (a 404 stalls too). */
    let afterHandler: FaultRule | null = null;
    const record = () => {
      if (!logged) return;
      const entry = {
        method,
        target,
        status: outcome.status,
        accessId: seen.accessId,
        time: isoTime(),
        fault: outcome.fault,
      };
      requestLog.add(entry);
      if (isTrue(query.get('createActivityLog'))) activityLog.add(entry);
    };
    try {
      if (!rawPath.startsWith('/api/')) throw new Failure(404, NOT_FOUND);
      const apiPath = rawPath.slice('/api'.length);
      let segments: string[];
      try {
        segments = apiPath
          .split('/')
          .filter((s) => s !== '')
          .map((s) => decodeURIComponent(s));
      } catch {
        throw new Failure(400, 'The request was not properly formed');
      }
      if (segments[0] === 'appAuth' && segments.length === 1 && method === 'GET') {
        // Auth is checked first (decisions.md 2.3): a token the sandbox never issued gets its 401 and
        // never reaches, nor counts for, a fault rule.
        const renewing = appAuthUser(query);
        if (!renewing) {
          outcome = { status: 401, fault: null };
          writeJson(res, 401, { success: false, message: 'Unauthorized' });
          return;
        }
        seen.accessId = renewing.access_id;
        const rule = faults.evaluate({ method, path: apiPath, isListing: false });
        if (rule?.kind === 'status') {
          outcome = { status: rule.status ?? 500, fault: 'status' };
          const headers: Record<string, string> =
            rule.retryAfter === undefined ? {} : { 'Retry-After': String(rule.retryAfter) };
          writeJson(res, outcome.status ?? 500, failureBody(`Injected fault ${rule.status}`), headers);
          return;
        }
        // Reset, truncate and stall apply after the renewal has issued its token, as on v2.
        outcome = await deliver(res, handleAppAuth(renewing), rule);
        return;
      }
      // Admin calls are never logged, not even when they fail auth: the log shows client traffic only.
      if (segments[0] === '_sandbox') logged = false;
      const user: UserRow = authenticate(req, target, method, seen, segments[0] === '_sandbox');
      // The control panel belongs to the main user: the request log alone holds its token renewals.
      if (segments[0] === '_sandbox' && user.role !== 'main') throw new Failure(403, 'Access Denied');
      const included = includesOf(query);
      const ctx: RequestContext = {
        req,
        method,
        query,
        includes: included,
        user,
        store,
        limits,
        nowMs,
        view: {
          store,
          origin,
          includeTags: isTrue(query.get('includeTags')) || included.has('tags'),
          includeAttributes: isTrue(query.get('includeAttributes')) || included.has('attributes'),
          includeAdditional: isTrue(query.get('includeAdditional')) || included.has('additional'),
          includeLabels: included.has('labels'),
          ownerCache: new Map(),
        },
        bodyConsumed: false,
        uploads,
        batch,
      };
      if (segments[0] === '_sandbox' && segments.length === 2) {
        logged = false;
        await handleAdmin(ctx, res, segments[1] ?? '');
        consumed = ctx.bodyConsumed;
        return;
      }
      if (segments[0] !== 'v2') throw new Failure(404, NOT_FOUND);
      const latency = faults.nextLatencyMs();
      if (latency > 0) await delay(latency, undefined, { signal: shutdown.signal });
      const rule = faults.evaluate({
        method,
        path: apiPath,
        isListing: looksLikeListing(store, method, segments),
      });
      afterHandler = rule;
      if (rule?.kind === 'status') {
        const status = rule.status ?? 500;
        outcome = { status, fault: 'status' };
        const headers: Record<string, string> =
          rule.retryAfter === undefined ? {} : { 'Retry-After': String(rule.retryAfter) };
        if (hasUnreadBody(req)) {
          headers.Connection = 'close';
          lingerAfterAnswer(req, res);
        }
        writeJson(res, status, failureBody(`Injected fault ${status}`), headers);
        return;
      }
      const matched = router.match(method, segments.slice(1));
      if (!matched) throw new Failure(404, NOT_FOUND);
      const reply = await matched.handler(ctx, matched.params, matched.rest);
      // A listing without filters refuses them rather than answer unfiltered (rest-api-v2.md 4.2).
      if (reply.kind === 'list' || (reply.kind === 'json' && reply.listKey !== undefined))
        refuseUnreadFilters(ctx);
      consumed = ctx.bodyConsumed;
      outcome = await deliver(res, reply, rule);
    } catch (error) {
      const failure = error instanceof Failure ? error : undefined;
      if (!failure && isClientGone(error)) {
        outcome = { status: null, fault: null };
        res.destroy();
        return;
      }
      if (!failure) reportInternal(error, method, target);
      const status = failure?.status ?? 500;
      outcome = { status, fault: null };
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const headers = { ...failure?.headers };
      // A small unread body is read and dropped, so the answer keeps the connection (decisions.md 2.4).
      // A body refused before it was read (413, or one over the limit) closes the connection, but only
      // once the client has had the answer and stopped sending.
      const isDrained = consumed || (status !== 413 && (await discardBody(req, limits.maxBodyBytes)));
      if (req.socket.destroyed) {
        // The client went away while its body was read and dropped: it saw no answer (decisions.md
        // 2.2: the log's status is what the client saw).
        outcome = { status: null, fault: null };
        res.destroy();
        return;
      }
      if (!isDrained && hasUnreadBody(req)) {
        headers.Connection = 'close';
        lingerAfterAnswer(req, res);
      }
      if (failure && afterHandler !== null && afterHandler.kind !== 'status') {
        const reply: JsonReply = { kind: 'json', status, body: failureBody(failure.message), headers };
        outcome = await deliver(res, reply, afterHandler);
      } else writeJson(res, status, failureBody(failure?.message ?? 'An unknown error occurred'), headers);
    } finally {
      record();
    }
  };

  const inFlight = new Set<Promise<void>>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (isClosingConnection(req)) {
      // Pipelined behind an answer that closes the connection: dropped unread, never run.
      req.resume();
      return;
    }
    const handled = handle(req, res).catch((error: unknown) => {
      reportInternal(error, req.method ?? '', req.url ?? '');
      res.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  };
  const server = settings.tls
    ? https.createServer({ key: settings.tls.key, cert: settings.tls.cert }, onRequest)
    : http.createServer(onRequest);
  server.keepAliveTimeout = 30_000;
  // A request Node cannot parse still gets the failure envelope rather than Node's bare status line.
  refuseUnparsedRequests(server, (message) => Buffer.from(encode(failureBody(message)), 'utf8'));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(settings.port, settings.host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `${settings.tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`;

  return {
    origin,
    port: address.port,
    get internalErrors() {
      return internalErrors;
    },
    issueToken,
    close: async () => {
      closing = true;
      shutdown.abort();
      const closed = once(server, 'close');
      const jobsStopped = batch.stop();
      server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
      // Handlers still running (a body read cut short, a stalled answer) finish before the caller
      // closes the database under them; a stalled one is not waited for beyond a second.
      await Promise.race([Promise.allSettled(inFlight), delay(1000, undefined, { ref: false })]);
      // A batch job stops after its current chunk, before the caller closes the database.
      await jobsStopped;
    },
  };
}
