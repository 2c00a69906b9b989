/** Shared pieces of the batch tests: records made programmatically, counts read through the API. */
import assert from 'node:assert/strict';
import type { BatchIndicatorRecord, ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { recordingClock } from '../../helpers/clock.js';
import { clientFor } from '../../helpers/client.js';
import { call, requestLog } from '../../helpers/sandbox.js';

/** A client whose waits between polls return at once (each poll is still a real request). */
export function batchClient(sandbox: Sandbox, options: Parameters<typeof clientFor>[1] = {}): ThreatConnect {
  return clientFor(sandbox, { clock: recordingClock(), ...options });
}

/** The number of indicators of `branch` in an owner, from the listing's `resultCount`. */
export async function countIndicators(sandbox: Sandbox, branch: string, owner: string): Promise<number> {
  const r = await call(
    sandbox,
    'GET',
    `/v2/indicators/${branch}?owner=${encodeURIComponent(owner)}&resultLimit=1`,
  );
  assert.equal(r.status, 200, r.text);
  return (r.json() as { data: { resultCount: number } }).data.resultCount;
}

/** Host records whose description makes each one `bytes` long in a job file: a few per job. */
export function bulkyHosts(count: number, prefix: string, bytes = 150_000): BatchIndicatorRecord[] {
  const padding = 'x'.repeat(bytes);
  return Array.from({ length: count }, (_, i) => ({
    type: 'Host',
    summary: `${prefix}${i}.example.com`,
    description: padding,
  }));
}

/** The request log's batch traffic: job creates and uploads, by method and path. */
export async function batchTraffic(
  sandbox: Sandbox,
): Promise<{ creates: number; uploads: string[]; polls: number }> {
  const log = await requestLog(sandbox);
  const path = (target: string): string => target.split('?')[0] ?? '';
  return {
    creates: log.filter((e) => e.method === 'POST' && path(e.target) === '/api/v2/batch').length,
    uploads: log
      .filter((e) => e.method === 'POST' && /^\/api\/v2\/batch\/\d+$/.test(path(e.target)))
      .map((e) => path(e.target)),
    polls: log.filter((e) => e.method === 'GET' && /^\/api\/v2\/batch\/\d+$/.test(path(e.target))).length,
  };
}
