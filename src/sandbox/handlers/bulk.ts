/**
 * Bulk reports (rest-api-v2.md 11.1): `GET /v2/indicators/bulk` (status), `/bulk/json` and `/bulk/csv`,
 * each for the `owner` given (else the user's organization), all three un-enveloped.
 */
import { type BulkFormat, BULK_RUN_INTERVAL_MS, BulkReports, type BulkRun } from '../bulk-reports.js';
import { type RequestContext, isTrue, isoSeconds, requestOwner } from '../context.js';
import { type Reply, json } from '../reply.js';
import type { Store } from '../store.js';

/** Each sandbox's reports, made on its first bulk request. */
const reportsByStore = new WeakMap<Store, Promise<BulkReports>>();

function reportsOf(store: Store): Promise<BulkReports> {
  let reports = reportsByStore.get(store);
  if (!reports) {
    reports = import('better-sqlite3').then(
      // An empty file name: a private temporary database, deleted when its connection closes.
      ({ default: Database }) => new BulkReports(new Database('')),
    );
    reportsByStore.set(store, reports);
  }
  return reports;
}

/** The owner's current report: run first when it has none, when it is due, or with `runNow=true`. */
async function currentRun(ctx: RequestContext): Promise<BulkRun> {
  const owner = requestOwner(ctx);
  const reports = await reportsOf(ctx.store);
  const now = ctx.nowMs();
  const run = reports.current(owner.id);
  if (run !== undefined && !isTrue(ctx.query.get('runNow')) && now < run.ranAtMs + BULK_RUN_INTERVAL_MS) {
    return run;
  }
  return reports.run(ctx.store, ctx.view, owner, now);
}

/** `GET /v2/indicators/bulk`: `{"bulkStatus":{...}}`, without the envelope. */
export async function bulkStatus(ctx: RequestContext): Promise<Reply> {
  const run = await currentRun(ctx);
  const owner = requestOwner(ctx);
  return json({
    bulkStatus: {
      name: owner.name,
      csvEnabled: true,
      jsonEnabled: true,
      nextRun: isoSeconds(run.ranAtMs + BULK_RUN_INTERVAL_MS),
      lastRun: isoSeconds(run.ranAtMs),
      status: 'Complete',
    },
  });
}

const CONTENT_TYPES: Readonly<Record<BulkFormat, string>> = { json: 'application/json', csv: 'text/csv' };

/** `GET /v2/indicators/bulk/json` (`{"indicator":[...]}`) or `/bulk/csv`, streamed from the last run. */
export async function bulkDownload(ctx: RequestContext, format: BulkFormat): Promise<Reply> {
  const run = await currentRun(ctx);
  const reports = await reportsOf(ctx.store);
  return {
    kind: 'raw',
    status: 200,
    contentType: CONTENT_TYPES[format],
    length: run.parts[format].length,
    body: reports.stream(run, format),
  };
}
