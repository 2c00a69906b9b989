/**
 * Bulk reports in the sandbox (rest-api-v2.md 11.1): the un-enveloped status, the JSON report (byte for
 * byte the owner's generic listing items with `includeTags` and `includeAttributes`), the CSV report,
 * the snapshot semantics (a write shows only after `runNow=true` or once `nextRun` has passed on the
 * server clock), the owner rules (default org, 403 for an unknown or inaccessible owner), and the
 * faults that apply to a download.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { call, serverNow, setRules, setServerClock, useSandboxClient } from '../../helpers/sandbox.js';
import type { CallOptions, RawResponse } from '../../helpers/signer.js';

const OWNER = 'Example Community';
const q = (owner: string) => `owner=${encodeURIComponent(owner)}`;

/** A GET signed with the sandbox's own time (its clock may be moved). */
function get(sandbox: Sandbox, path: string, options: CallOptions = {}): Promise<RawResponse> {
  return call(sandbox, 'GET', path, { timestamp: serverNow(sandbox), ...options });
}

interface BulkStatusBody {
  bulkStatus: {
    name: string;
    csvEnabled: boolean;
    jsonEnabled: boolean;
    nextRun: string;
    lastRun: string;
    status: string;
  };
}

async function status(sandbox: Sandbox, query: string): Promise<BulkStatusBody['bulkStatus']> {
  const r = await get(sandbox, `/v2/indicators/bulk?${query}`);
  assert.equal(r.status, 200, r.text);
  return (r.json() as BulkStatusBody).bulkStatus;
}

/** The owner's generic listing with tags and attributes, as the items' raw JSON texts. */
async function listingItemTexts(sandbox: Sandbox, owner: string): Promise<string[]> {
  const texts: string[] = [];
  for (let start = 0; ; start += 500) {
    const r = await call(
      sandbox,
      'GET',
      `/v2/indicators?${q(owner)}&includeTags=true&includeAttributes=true&resultStart=${start}&resultLimit=500`,
    );
    assert.equal(r.status, 200, r.text);
    const open = r.text.indexOf('"indicator":[') + '"indicator":['.length;
    const inner = r.text.slice(open, r.text.lastIndexOf(']}}'));
    const count = (r.json() as { data: { indicator: unknown[] } }).data.indicator.length;
    if (count === 0) break;
    // Split the page's array text into its items by parsing positions: items are objects at depth 1.
    let depth = 0;
    let inString = false;
    let from = 0;
    for (let i = 0; i < inner.length; i += 1) {
      const c = inner[i];
      if (inString) {
        if (c === '\\') i += 1;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth += 1;
      else if (c === '}') {
        depth -= 1;
        if (depth === 0) {
          texts.push(inner.slice(from, i + 1));
          from = i + 2;
        }
      }
    }
    if (count < 500) break;
  }
  return texts;
}

describe('sandbox: bulk reports', () => {
  const fx = useSandboxClient({ sandbox: { seedIndicators: 300 }, resetEach: true });

  it('answers the status un-enveloped, for the owner given', async () => {
    const r = await get(fx.sandbox, `/v2/indicators/bulk?${q(OWNER)}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const body = r.json() as BulkStatusBody & { status?: unknown; data?: unknown };
    assert.deepEqual(Object.keys(body), ['bulkStatus']);
    const s = body.bulkStatus;
    assert.deepEqual(Object.keys(s), ['name', 'csvEnabled', 'jsonEnabled', 'nextRun', 'lastRun', 'status']);
    assert.equal(s.name, OWNER);
    assert.equal(s.csvEnabled, true);
    assert.equal(s.jsonEnabled, true);
    assert.equal(s.status, 'Complete');
    assert.match(s.lastRun, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(Date.parse(s.nextRun) - Date.parse(s.lastRun), 24 * 3600 * 1000);
  });

  it('serves the JSON report as the generic listing items with tag[] and attribute[], byte for byte', async () => {
    const r = await get(fx.sandbox, `/v2/indicators/bulk/json?${q(OWNER)}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['content-length'], String(r.body.length));
    const items = await listingItemTexts(fx.sandbox, OWNER);
    assert.ok(items.length > 50, `only ${items.length} items listed`);
    assert.equal(r.text, `{"indicator":[${items.join(',')}]}`);
    const parsed = (r.json() as { indicator: Record<string, unknown>[] }).indicator;
    for (const item of parsed) {
      assert.ok(Array.isArray(item.attribute) && Array.isArray(item.tag), JSON.stringify(item));
      assert.equal(item.ownerName, OWNER);
      assert.equal(typeof item.summary, 'string');
    }
    // The seed's sample host is in it with its tag and its displayed description attribute.
    const host = parsed.find((i) => i.id === 355999);
    assert.deepEqual(
      (host?.tag as { name: string }[]).map((t) => t.name),
      ['APT'],
    );
    assert.ok((host?.attribute as { value: string }[]).some((a) => a.value === 'TEST attribute #14'));
  });

  it('serves the CSV report: the header, then Type,Value,Rating,Confidence with null for what is missing', async () => {
    const r = await get(fx.sandbox, `/v2/indicators/bulk/csv?${q(OWNER)}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/csv');
    assert.equal(r.headers['content-length'], String(r.body.length));
    const lines = r.text.split('\r\n');
    assert.equal(lines[0], 'Type,Value,Rating,Confidence');
    assert.equal(lines.at(-1), '', 'every record ends with CRLF');
    const json = (
      (await get(fx.sandbox, `/v2/indicators/bulk/json?${q(OWNER)}`)).json() as {
        indicator: { type: string; summary: string; rating?: number; confidence?: number }[];
      }
    ).indicator;
    const expected = json.map((i) => {
      const value =
        /[",\r\n]/.test(i.summary) || i.summary === 'null' ? `"${i.summary.replace(/"/g, '""')}"` : i.summary;
      return `${i.type},${value},${i.rating === undefined ? 'null' : i.rating.toFixed(2)},${i.confidence ?? 'null'}`;
    });
    assert.deepEqual(lines.slice(1, -1), expected);
    assert.ok(lines.includes('Host,www.badguy_014.com,1.00,14'));
    assert.ok(
      lines.some((l) => l.endsWith(',null')),
      'some indicator has no confidence',
    );
  });

  it('takes the default org without an owner, and answers 403 for an unknown or inaccessible owner', async () => {
    assert.equal((await status(fx.sandbox, '')).name, fx.sandbox.defaultOrg);
    for (const path of ['/v2/indicators/bulk', '/v2/indicators/bulk/json', '/v2/indicators/bulk/csv']) {
      const unknown = await get(fx.sandbox, `${path}?${q('No Such Owner')}`);
      assert.equal(unknown.status, 403, path);
      assert.deepEqual(unknown.json(), { status: 'Failure', message: 'The requested owner was not found' });
      const denied = await get(fx.sandbox, `${path}?${q(OWNER)}`, fx.sandbox.restrictedUser);
      assert.equal(denied.status, 403, path);
      assert.deepEqual(denied.json(), { status: 'Failure', message: 'Access Denied' });
    }
    const own = await call(
      fx.sandbox,
      'GET',
      `/v2/indicators/bulk/csv?${q('Example Org')}`,
      fx.sandbox.restrictedUser,
    );
    assert.equal(own.status, 200);
  });

  it('keeps the snapshot until runNow=true, or until nextRun has passed on the server clock', async () => {
    const tc = fx.client();
    const host = tc.indicators().add('bulk-snapshot.example.com', 'Example Org');
    const before = await status(fx.sandbox, q('Example Org'));
    const beforeCsv = (await get(fx.sandbox, `/v2/indicators/bulk/csv?${q('Example Org')}`)).text;
    await host.setRating(2).commit();
    // The report is a snapshot: the new host is not in it yet.
    const stale = (await get(fx.sandbox, `/v2/indicators/bulk/csv?${q('Example Org')}`)).text;
    assert.equal(stale, beforeCsv);
    assert.ok(!stale.includes('bulk-snapshot.example.com'));
    assert.deepEqual(await status(fx.sandbox, q('Example Org')), before);
    // runNow on the download rebuilds first.
    const fresh = (await get(fx.sandbox, `/v2/indicators/bulk/csv?${q('Example Org')}&runNow=true`)).text;
    assert.ok(fresh.includes('\r\nHost,bulk-snapshot.example.com,2.00,null\r\n'), fresh.slice(-200));
    // A day later on the server clock the next request runs it again by itself.
    await host.delete();
    await setServerClock(fx.sandbox, 24 * 3600 + 60);
    const later = await status(fx.sandbox, q('Example Org'));
    assert.ok(Date.parse(later.lastRun) >= Date.parse(before.nextRun), JSON.stringify({ before, later }));
    const after = (await get(fx.sandbox, `/v2/indicators/bulk/csv?${q('Example Org')}`)).text;
    assert.ok(!after.includes('bulk-snapshot.example.com'));
  });

  it('runs again on a status request with runNow=true', async () => {
    const first = await status(fx.sandbox, q(OWNER));
    await setServerClock(fx.sandbox, 120);
    const second = await status(fx.sandbox, `${q(OWNER)}&runNow=true`);
    assert.ok(
      Date.parse(second.lastRun) >= Date.parse(first.lastRun) + 120_000,
      JSON.stringify({ first, second }),
    );
  });

  it('applies a truncate fault to a download: the body stops half-way under the full Content-Length', async () => {
    const full = await get(fx.sandbox, `/v2/indicators/bulk/json?${q(OWNER)}`);
    await setRules(fx.sandbox, { kind: 'truncate', pathPrefix: '/v2/indicators/bulk/json' });
    await assert.rejects(get(fx.sandbox, `/v2/indicators/bulk/json?${q(OWNER)}`), (error: Error) => {
      assert.match(error.message, /aborted|socket hang up|ECONNRESET/);
      return true;
    });
    assert.ok(full.body.length > 0);
  });
});
