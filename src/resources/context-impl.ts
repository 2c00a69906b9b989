/**
 * The resource context of one client: its requester, its indicator patterns, and the indicator types
 * of `/v2/types/indicatorTypes`, read once on first use (the original read them again for every
 * container it created).
 */
import { IndicatorType } from '../core/enums.js';
import {
  AbortError,
  ApiError,
  IncompleteResultError,
  InvalidResponseError,
  throwIfAborted,
} from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import type { Requester } from '../pipeline/requester.js';
import type { IndicatorDetector, ResourceContext } from './context.js';
import { INDICATOR_KIND_BY_TYPE, type IndicatorKind } from './kinds.js';
import { readString } from './values.js';

/** A custom type's table entry from its `/v2/types/indicatorTypes` item. */
function customKind(item: Record<string, unknown>): IndicatorKind | undefined {
  const type = readString(item.name);
  const branch = readString(item.apiBranch);
  const entity = readString(item.apiEntity);
  if (type === undefined || branch === undefined || entity === undefined) return undefined;
  const labels = ['value1Label', 'value2Label', 'value3Label']
    .map((key) => readString(item[key]))
    .filter((label): label is string => label !== undefined && label !== '');
  return Object.freeze({
    type,
    branch,
    entity,
    listKey: entity,
    indicatorType: IndicatorType.CUSTOM_INDICATORS,
    valueFields: labels.length > 0 ? labels : ['summary'],
    builtIn: false,
  });
}

/** `promise`, or an AbortError as soon as `signal` fires (the promise itself goes on for other callers). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(AbortError.fromSignal(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      })
      .then(resolve, reject);
  });
}

/** How long a failed read of the type table stands for `indicatorKindsForReading` (ms). */
export const FAILED_TYPES_READ_STANDS_MS = 60_000;

/** A failure of the type table's read that leaves a listing readable: the server's answer, not the link. */
function answeredWithout(error: unknown): error is Error {
  return (
    error instanceof ApiError ||
    error instanceof InvalidResponseError ||
    error instanceof IncompleteResultError
  );
}

/** `now`: the client's clock, for how long a failed read of the type table stands. */
export function createResourceContext(
  requester: Requester,
  detector: IndicatorDetector,
  now: () => number = Date.now,
): ResourceContext {
  let kinds: Promise<ReadonlyMap<string, IndicatorKind>> | undefined;
  /** Until when (the client's clock) a failed read stands for `indicatorKindsForReading`. */
  let failedUntil: number | undefined;
  const load = async (): Promise<ReadonlyMap<string, IndicatorKind>> => {
    const out = new Map<string, IndicatorKind>(INDICATOR_KIND_BY_TYPE);
    const ro = new RequestObject().setHttpMethod('GET').setRequestUri('/v2/types/indicatorTypes');
    for await (const item of requester
      .pages<Record<string, unknown>>(ro, { countsAsApiFilter: false })
      .items()) {
      const name = readString(item.name);
      if (name === undefined || out.has(name)) continue;
      const kind = customKind(item);
      if (kind !== undefined) out.set(name, kind);
    }
    return out;
  };
  const indicatorKinds = (signal?: AbortSignal): Promise<ReadonlyMap<string, IndicatorKind>> => {
    // One read per client, shared by concurrent callers: each caller's signal stops its own wait,
    // not the read. A failed read is tried again next time.
    kinds ??= load().then(
      (table) => {
        failedUntil = undefined;
        return table;
      },
      (error: unknown) => {
        kinds = undefined;
        throw error;
      },
    );
    return abortable(kinds, signal);
  };
  return {
    requester,
    detector,
    indicatorKinds,
    async indicatorKindsForReading(signal) {
      if (failedUntil !== undefined && now() < failedUntil) {
        throwIfAborted(signal);
        return INDICATOR_KIND_BY_TYPE;
      }
      try {
        return await indicatorKinds(signal);
      } catch (error) {
        if (!answeredWithout(error)) throw error;
        // Concurrent readers share the failed read: the first of them logs it.
        if (failedUntil === undefined || now() >= failedUntil) {
          failedUntil = now() + FAILED_TYPES_READ_STANDS_MS;
          requester.logger.warning(
            `Could not read the indicator types (GET /v2/types/indicatorTypes: ${error.message}); ` +
              'indicators of a type the SDK does not model are read as generic indicators (type and ' +
              `summary, no value fields of their type) for the next ${FAILED_TYPES_READ_STANDS_MS / 1000} s`,
            { error: error.name },
          );
        }
        return INDICATOR_KIND_BY_TYPE;
      }
    },
  };
}
