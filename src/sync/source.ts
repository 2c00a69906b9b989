/**
 * The source of a sync run against a ThreatConnect client: the server's time from the `Date` header
 * of a cheap first request (`GET /v2/owners/mine`), taken before any listing so that a write in
 * flight during the run falls inside the next run's window; the changes from a container the caller
 * builds (its filters, `setModifiedSince`); the deletions of the selected owners and type.
 */
import type { IndicatorType } from '../core/enums.js';
import { InvalidResponseError } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import type { ThreatConnect } from '../client.js';
import type { Indicator } from '../resources/indicator.js';
import type { SyncSource } from './engine.js';

export interface ClientSourceOptions {
  /** The selected indicators modified since `modifiedSince` (all when undefined). */
  changes(modifiedSince: string | undefined, signal: AbortSignal | undefined): AsyncIterable<Indicator>;
  /** `--owner` values; the default org when empty. */
  readonly owners: readonly string[];
  /** `--type`: deletions of that type only. */
  readonly type?: IndicatorType | undefined;
}

/** The server's time from a response's `Date` header, in ms. */
export function dateHeaderMs(headers: Readonly<Record<string, string>>, url: string, status = 200): number {
  const raw = headers.date;
  const ms = raw === undefined ? Number.NaN : Date.parse(raw);
  if (!Number.isFinite(ms)) {
    throw new InvalidResponseError(
      `The server's answer to ${url} has ${raw === undefined ? 'no Date header' : `an invalid Date header (${raw})`}: sync takes its checkpoint from the server's clock`,
      { status },
    );
  }
  return ms;
}

export function clientSource(tc: ThreatConnect, options: ClientSourceOptions): SyncSource<Indicator> {
  return {
    serverTime: async (signal) => {
      const ro = new RequestObject()
        .setHttpMethod('GET')
        .setRequestUri('/v2/owners/mine')
        .setResourcePagination(false)
        .setDescription('Server time for sync');
      const response = await tc.apiRequest(ro, { throwOnError: true, signal });
      return dateHeaderMs(response.headers, '/v2/owners/mine', response.status);
    },
    changes: (modifiedSince, signal) => options.changes(modifiedSince, signal),
    deletions: (since, signal) =>
      tc.indicators().deleted({
        since,
        ...(options.owners.length === 0 ? {} : { owner: options.owners }),
        ...(options.type === undefined ? {} : { type: options.type }),
        signal,
      }),
  };
}
