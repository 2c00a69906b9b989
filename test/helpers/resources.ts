/**
 * A ResourceContext for tests of resource objects, built from a client's internals (the requester and
 * its indicator patterns), with the indicator types read once from `/v2/types/indicatorTypes`, and
 * optionally a logger that records what it is given.
 */
import { ApiResponse, RequestObject, type ThreatConnect } from '../../src/index.js';
import type { LogFields, Logger } from '../../src/logging/logger.js';
import type { Requester } from '../../src/pipeline/requester.js';
import type { IndicatorDetector, ResourceContext } from '../../src/resources/context.js';
import { createResourceContext } from '../../src/resources/context-impl.js';
import { IndicatorRegexes } from '../../src/resources/detect.js';
import { CLIENT_INTERNALS } from '../../src/resources/internals.js';

/** One record of a {@link RecordingLogger}. */
export interface LogRecord {
  level: string;
  message: string;
  fields: LogFields | undefined;
}

/** A logger that keeps every record. */
export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];
  debug(message: string, fields?: LogFields): void {
    this.records.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.records.push({ level: 'info', message, fields });
  }
  warning(message: string, fields?: LogFields): void {
    this.records.push({ level: 'warning', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.records.push({ level: 'error', message, fields });
  }
  critical(message: string, fields?: LogFields): void {
    this.records.push({ level: 'critical', message, fields });
  }
  isLevelEnabled(): boolean {
    return true;
  }
  /** The messages at one level. */
  at(level: string): string[] {
    return this.records.filter((r) => r.level === level).map((r) => r.message);
  }
}

/** The client's requester, with `logger` replaced when one is given. */
function requesterWith(requester: Requester, logger: Logger | undefined): Requester {
  if (logger === undefined) return requester;
  return {
    get config() {
      return requester.config;
    },
    logger,
    recorder: requester.recorder,
    request: (ro, options) => requester.request(ro, options),
    pages: (ro, options) => requester.pages(ro, options),
    listing: (ro, options) => requester.listing(ro, options),
  };
}

/** A context over `tc`, as the client's containers will hold one. */
export function contextFor(tc: ThreatConnect, options: { logger?: Logger } = {}): ResourceContext {
  const { requester, detector } = tc[CLIENT_INTERNALS]();
  const effective = requesterWith(requester, options.logger);
  return createResourceContext(effective, detector);
}

/** A context whose requester refuses every call: for objects that must send nothing. */
export function offlineContext(
  logger: Logger = new RecordingLogger(),
  detector: IndicatorDetector = new IndicatorRegexes(),
): ResourceContext {
  const refuse = (): never => {
    throw new Error('offline context: no request expected');
  };
  return {
    requester: {
      get config(): never {
        return refuse();
      },
      logger,
      get recorder(): never {
        return refuse();
      },
      request: refuse,
      pages: refuse,
      listing: refuse,
    },
    detector,
    indicatorKinds: () => Promise.resolve(new Map()),
    indicatorKindsForReading: () => Promise.resolve(new Map()),
  };
}

/** `GET path` (with `owner`), parsed; throws the typed error for a non-2xx answer. */
export async function getJson<T = Record<string, unknown>>(
  tc: ThreatConnect,
  path: string,
  owner?: string,
): Promise<T> {
  const ro = new RequestObject().setHttpMethod('GET').setRequestUri(path);
  if (owner !== undefined) ro.setOwner(owner);
  const response = await tc.apiRequest(ro, { throwOnError: true });
  return response.json<{ data: T }>().data;
}

/** The status of `GET path` (with `owner`). */
export async function statusOf(tc: ThreatConnect, path: string, owner?: string): Promise<number> {
  const ro = new RequestObject().setHttpMethod('GET').setRequestUri(path);
  if (owner !== undefined) ro.setOwner(owner);
  return (await tc.apiRequest(ro)).status;
}

/** One request seen by a {@link recordingContext}. */
export interface SeenRequest {
  method: string;
  uri: string | undefined;
  owner: string | undefined;
  contentType: string | undefined;
  body: string | undefined;
}

/**
 * A context whose requester records each request and answers it with `answer(request)` (by default
 * `{"status":"Success"}`, status 200), so tests can see exactly what objects send, and in what order.
 */
export function recordingContext(
  answer: (request: SeenRequest) => { status?: number; json: unknown } = () => ({
    json: { status: 'Success' },
  }),
): { ctx: ResourceContext; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const base = offlineContext();
  const request = (ro: RequestObject): Promise<ApiResponse> => {
    const body = ro.body;
    const entry: SeenRequest = {
      method: ro.httpMethod,
      uri: ro.requestUri,
      owner: ro.owner,
      contentType: ro.headers['Content-Type'],
      body: body === undefined ? undefined : typeof body === 'string' ? body : `<${body.byteLength} bytes>`,
    };
    seen.push(entry);
    const { status = 200, json } = answer(entry);
    return Promise.resolve(
      new ApiResponse({
        status,
        headers: { 'content-type': 'application/json' },
        url: `http://sandbox.invalid${entry.uri ?? ''}`,
        content: Buffer.from(JSON.stringify(json)),
        attempts: 1,
      }),
    );
  };
  const offline = base.requester;
  const requester: Requester = {
    get config() {
      return offline.config;
    },
    get recorder() {
      return offline.recorder;
    },
    logger: offline.logger,
    request,
    pages: (ro, options) => offline.pages(ro, options),
    listing: (ro, options) => offline.listing(ro, options),
  };
  return { ctx: { ...base, requester }, seen };
}
