/**
 * Every sample record is valid by the API's own rules (decisions.md 2.5): listed over HTTP at a large n,
 * each field is in range, and each value is one the sandbox's own POST accepts (host 355999 aside, which
 * the sandbox creates directly). Real clients validate what they read: the original Python SDK aborts a
 * whole retrieval on a confidence of 105.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Item, item, success } from '../../helpers/api.js';
import { call, useSandboxClient } from '../../helpers/sandbox.js';

const N = 3000;
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];
const INDICATOR_BRANCHES: Record<string, string> = {
  Address: 'addresses',
  EmailAddress: 'emailAddresses',
  File: 'files',
  Host: 'hosts',
  URL: 'urls',
  ASN: 'asns',
};
const GROUP_BRANCHES: Record<string, string> = {
  Adversary: 'adversaries',
  Campaign: 'campaigns',
  Document: 'documents',
  Email: 'emails',
  Incident: 'incidents',
  Signature: 'signatures',
  Threat: 'threats',
};

/** C0 controls other than tab. */
const hasControl = (text: string): boolean =>
  Array.from({ length: text.length }, (_, k) => text.charCodeAt(k)).some((c) => c < 0x20 && c !== 0x09);

function assertDate(value: unknown, what: string): void {
  assert.equal(typeof value, 'string', what);
  assert.ok(!Number.isNaN(Date.parse(value as string)), `${what}: ${String(value)}`);
}

function assertNumber(value: unknown, min: number, max: number, what: string, integer = false): void {
  if (value === undefined) return;
  assert.equal(typeof value, 'number', what);
  const n = value as number;
  assert.ok(n >= min && n <= max, `${what} = ${n} is outside ${min}..${max}`);
  if (integer) assert.ok(Number.isInteger(n), `${what} = ${n} is not an integer`);
}

describe(`every sample record is valid (decisions.md 2.5), n = ${N} over HTTP`, () => {
  const fixture = useSandboxClient({ sandbox: { seedIndicators: N } });
  const { get } = fixture;
  const post = (path: string, body: unknown) =>
    call(fixture.sandbox, 'POST', path, { body: JSON.stringify(body) });

  /** Every item of a listing, page by page. */
  async function listAll(path: string, key: string): Promise<Item[]> {
    const out: Item[] = [];
    const sep = path.includes('?') ? '&' : '?';
    let total = Infinity;
    for (let start = 0; start < total; start += 500) {
      const data = success(await get(`${path}${sep}resultStart=${start}&resultLimit=500`));
      if (start === 0) total = data.resultCount as number;
      const items = data[key] as Item[];
      assert.ok(items.length > 0 || total === 0, `${path} window ${start} is empty`);
      out.push(...items);
      if (items.length === 0) break;
    }
    return out;
  }

  /** Runs `task` over `items` with a few requests in flight. */
  async function inParallel<T>(items: readonly T[], task: (x: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const x = items[next] as T;
        next += 1;
        await task(x);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }

  it('has indicators with confidence 0-100, rating 0-5, and values that POST takes back as the same indicator', async () => {
    let count = 0;
    for (const owner of OWNERS) {
      const indicators = await listAll(`/v2/indicators?owner=${encodeURIComponent(owner)}`, 'indicator');
      count += indicators.length;
      for (const i of indicators) {
        const what = `indicator ${i.id}`;
        assertNumber(i.confidence, 0, 100, `${what} confidence`, true);
        assertNumber(i.rating, 0, 5, `${what} rating`);
        assertNumber(i.threatAssessRating, 0, 5, `${what} threatAssessRating`);
        assertNumber(i.threatAssessConfidence, 0, 100, `${what} threatAssessConfidence`);
        assertDate(i.dateAdded, `${what} dateAdded`);
        assertDate(i.lastModified, `${what} lastModified`);
        assert.ok(!hasControl(String(i.summary)), `${what} summary`);
      }
      const typed = new Map<string, Item[]>();
      for (const [type, branch] of Object.entries(INDICATOR_BRANCHES)) {
        typed.set(
          type,
          await listAll(`/v2/indicators/${branch}?owner=${encodeURIComponent(owner)}`, keyOf(branch)),
        );
      }
      await inParallel(
        [...typed.entries()].flatMap(([type, items]) => items.map((i) => [type, i] as const)),
        async ([type, i]) => {
          if (i.id === 355999) return;
          const body: Record<string, unknown> = {};
          for (const field of [
            'ip',
            'address',
            'hostName',
            'text',
            'md5',
            'sha1',
            'sha256',
            'size',
            'AS Number',
            'dnsActive',
            'whoisActive',
            'rating',
            'confidence',
          ]) {
            if (i[field] !== undefined) body[field] = i[field];
          }
          const branch = INDICATOR_BRANCHES[type] ?? '';
          const r = await post(`/v2/indicators/${branch}?owner=${encodeURIComponent(owner)}`, body);
          assert.equal(r.status, 201, `POST back ${type} ${i.id} ${JSON.stringify(body)}: ${r.text}`);
          assert.equal(
            item(r, keyOf(branch), 201).id,
            i.id,
            `POST back ${type} ${i.id} finds the same indicator`,
          );
        },
      );
    }
    assert.ok(count > N * 0.9, `listed ${count} indicators`);
  });

  it('has groups whose fields a POST of the same type takes', async () => {
    for (const owner of OWNERS) {
      const groups = await listAll(`/v2/groups?owner=${encodeURIComponent(owner)}`, 'group');
      await inParallel(groups, async (g) => {
        const branch = GROUP_BRANCHES[String(g.type)] ?? '';
        const key = keyOf(branch);
        const full = item(await get(`/v2/groups/${branch}/${g.id}`), key);
        assertDate(full.dateAdded, `group ${g.id} dateAdded`);
        const readOnly = new Set([
          'id',
          'owner',
          'dateAdded',
          'lastModified',
          'webLink',
          'fileSize',
          'score',
        ]);
        const body = Object.fromEntries(Object.entries(full).filter(([field]) => !readOnly.has(field)));

        if (g.type === 'Document') {
          delete body.status;
          body.malware = false;
        }
        const r = await post(`/v2/groups/${branch}?owner=${encodeURIComponent(owner)}`, body);
        assert.equal(
          r.status,
          201,
          `POST a copy of ${String(g.type)} ${g.id} ${JSON.stringify(body)}: ${r.text}`,
        );
      });
    }
  });

  it('has victims, tasks, tags and attributes that the API would take', async () => {
    for (const owner of OWNERS) {
      const q = `?owner=${encodeURIComponent(owner)}`;
      for (const v of await listAll(`/v2/victims${q}`, 'victim')) {
        const body: Record<string, unknown> = { ...v };
        delete body.id;
        delete body.webLink;
        const r = await post(`/v2/victims${q}`, body);
        assert.equal(r.status, 201, `POST a copy of victim ${v.id}: ${r.text}`);
        for (const a of await listAll(`/v2/victims/${v.id}/attributes`, 'attribute'))
          assertAttribute(a, `victim ${v.id}`);
      }
      for (const t of await listAll(`/v2/tasks${q}`, 'task')) {
        const full = item(await get(`/v2/tasks/${t.id}`), 'task');
        const body: Record<string, unknown> = {};
        for (const field of [
          'name',
          'status',
          'dueDate',
          'reminderDate',
          'escalationDate',
          'escalated',
          'reminded',
          'assignee',
          'escalatee',
        ]) {
          if (full[field] !== undefined) body[field] = full[field];
        }
        const r = await post(`/v2/tasks${q}`, body);
        assert.equal(r.status, 201, `POST a copy of task ${t.id} ${JSON.stringify(body)}: ${r.text}`);
      }
      for (const tag of await listAll(`/v2/tags${q}`, 'tag')) {
        const r = await post(`/v2/tags${q}`, { name: tag.name });
        assert.equal(r.status, 201, `POST tag ${String(tag.name)}: ${r.text}`);
      }
    }
    for (const path of [
      '/v2/indicators/hosts/www.badguy_014.com/attributes?owner=Example%20Community',
      '/v2/groups/threats/38/attributes',
      '/v2/tasks/1/attributes',
    ]) {
      for (const a of await listAll(path, 'attribute')) assertAttribute(a, path);
    }
  });
});

function keyOf(branch: string): string {
  const keys: Record<string, string> = {
    addresses: 'address',
    emailAddresses: 'emailAddress',
    files: 'file',
    hosts: 'host',
    urls: 'url',
    asns: 'asn',
    adversaries: 'adversary',
    campaigns: 'campaign',
    documents: 'document',
    emails: 'email',
    incidents: 'incident',
    signatures: 'signature',
    threats: 'threat',
  };
  return keys[branch] ?? branch;
}

function assertAttribute(a: Item, where: string): void {
  assert.equal(typeof a.type, 'string', `${where} attribute ${a.id}`);
  assert.ok(typeof a.value === 'string' && a.value !== '', `${where} attribute ${a.id} value`);
  assert.equal(typeof a.displayed, 'boolean', `${where} attribute ${a.id} displayed`);
}
