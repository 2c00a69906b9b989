/**
 * Owner isolation (issue 7 section 1, decisions.md 2.2 and 2.4): the restricted user, who may access only
 * `Example Org`, walks every route family (reads, writes, pivots, associations, metadata, documents,
 * admin) against the other owners' data. Each attempt is refused, reads leak nothing, and the other
 * owners' whole state, read through the main user before and after, is unchanged. Its writes in its own
 * org, tag and label deletions among them, stay in its own org.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type Item, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, type RawResponse, call } from '../../helpers/signer.js';

const EC = 'Example%20Community';
const CC = 'Common%20Community';
const OTHER_OWNERS = [EC, CC];
const GROUP_BRANCHES: Record<string, string> = {
  Adversary: 'adversaries',
  Campaign: 'campaigns',
  Document: 'documents',
  Email: 'emails',
  Incident: 'incidents',
  Signature: 'signatures',
  Threat: 'threats',
};
const INDICATOR_BRANCHES: Record<string, string> = {
  Address: 'addresses',
  EmailAddress: 'emailAddresses',
  File: 'files',
  Host: 'hosts',
  URL: 'urls',
  ASN: 'asns',
};
const FULL = 'includeTags=true&includeAttributes=true&includeAdditional=true&resultLimit=500';
/**
 * Association listings may show the restricted user's own org's items (associations cross owners), whose
 * tags it may change: those listings are read without the embedded metadata.
 */
const LINKS = 'resultLimit=500';

type Attempt = [method: string, path: string, body?: unknown];

describe('owner isolation: the restricted user against every route family', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 60 });
  });
  after(async () => {
    await sandbox.close();
  });
  const main = (method: string, path: string) => call(sandbox, method, path);
  const restricted = (method: string, path: string, body?: unknown): Promise<RawResponse> => {
    const options: CallOptions = { ...sandbox.restrictedUser };
    if (Buffer.isBuffer(body)) {
      options.body = body;
      options.contentType = 'application/octet-stream';
    } else if (body !== undefined) options.body = JSON.stringify(body);
    return call(sandbox, method, path, options);
  };

  /** Everything of the other owners, read through the main user, as text keyed by path. */
  async function snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const read = async (path: string): Promise<Record<string, unknown>> => {
      const r = await main('GET', path);
      out.set(path, `${r.status} ${r.text}`);
      return r.status === 200 && r.headers['content-type'] === 'application/json'
        ? ((r.json() as { data?: Record<string, unknown> }).data ?? {})
        : {};
    };
    for (const owner of OTHER_OWNERS) {
      const q = `owner=${owner}`;
      const indicators = (await read(`/v2/indicators?${q}&${FULL}`)).indicator as Item[];
      for (const i of indicators) {
        const branch = INDICATOR_BRANCHES[String(i.type)] ?? '';
        const path = `/v2/indicators/${branch}/${encodeURIComponent(String(i.summary).split(' : ')[0] ?? '')}`;
        for (const sub of ['', '/securityLabels', '/groups', '/victims', '/tasks'])
          await read(`${path}${sub}?${q}&${sub === '' ? FULL : LINKS}`);
      }
      const groups = (await read(`/v2/groups?${q}&${FULL}`)).group as Item[];
      for (const g of groups) {
        const path = `/v2/groups/${GROUP_BRANCHES[String(g.type)] ?? ''}/${g.id}`;
        for (const sub of ['', '/indicators', '/groups', '/victims', '/tasks', '/securityLabels'])
          await read(`${path}${sub}?${sub === '' ? FULL : LINKS}`);
        if (g.type === 'Document') await read(`${path}/download`);
      }
      const victims = (await read(`/v2/victims?${q}&${FULL}`)).victim as Item[];
      for (const v of victims) {
        for (const sub of ['', '/victimAssets', '/indicators', '/groups', '/tasks', '/securityLabels'])
          await read(`/v2/victims/${v.id}${sub}?${sub === '' ? FULL : LINKS}`);
      }
      const tasks = (await read(`/v2/tasks?${q}&${FULL}`)).task as Item[];
      for (const t of tasks) {
        for (const sub of [
          '',
          '/assignees',
          '/escalatees',
          '/indicators',
          '/groups',
          '/victims',
          '/securityLabels',
        ])
          await read(`/v2/tasks/${t.id}${sub}?${sub === '' ? FULL : LINKS}`);
      }
      const tags = (await read(`/v2/tags?${q}&resultLimit=500`)).tag as Item[];
      for (const tag of tags) {
        const name = encodeURIComponent(String(tag.name));
        for (const sub of ['/indicators', '/groups', '/victims', '/tasks'])
          await read(`/v2/tags/${name}${sub}?${q}&${FULL}`);
      }
      const labels = (await read(`/v2/securityLabels?${q}`)).securityLabel as Item[];
      for (const label of labels) {
        const name = encodeURIComponent(String(label.name));
        for (const sub of ['/indicators', '/groups'])
          await read(`/v2/securityLabels/${name}${sub}?${q}&${FULL}`);
      }
    }
    for (const name of ['faults', 'clock']) {
      const r = await main('GET', `/_sandbox/${name}`);
      out.set(`/_sandbox/${name}`, r.text.replace(/"now":\d+/, ''));
    }
    return out;
  }

  /** Attempts on the other owners' data: every one must be refused (403 or 404), and change nothing. */
  function foreignAttempts(ids: { attribute: number; asset: number }): Attempt[] {
    const host = `/v2/indicators/hosts/www.badguy_014.com?owner=${EC}`;
    return [
      // reads
      ['GET', `/v2/indicators?owner=${EC}`],
      ['GET', `/v2/indicators/hosts?owner=${CC}`],
      ['GET', host],
      ['GET', `/v2/indicators/hosts/www.badguy_014.com/groups?owner=${EC}`],
      ['GET', `/v2/indicators/hosts/www.badguy_014.com/attributes?owner=${EC}`],
      ['GET', `/v2/groups?owner=${EC}`],
      ['GET', '/v2/groups/threats/38'],
      ['GET', '/v2/groups/threats/38/indicators'],
      ['GET', '/v2/groups/threats/38/attributes'],
      ['GET', '/v2/groups/adversaries/5/groups/threats/38'],
      ['GET', `/v2/victims?owner=${EC}`],
      ['GET', '/v2/victims/10'],
      ['GET', '/v2/victims/10/victimAssets'],
      ['GET', '/v2/victims/10/groups'],
      ['GET', `/v2/tasks?owner=${CC}`],
      ['GET', '/v2/tasks/4'],
      ['GET', '/v2/tasks/4/assignees'],
      ['GET', '/v2/owners/2'],
      ['GET', `/v2/tags?owner=${EC}`],
      ['GET', `/v2/tags/EXAMPLE?owner=${EC}`],
      ['GET', '/v2/tags/EXAMPLE'],
      ['GET', `/v2/tags/APT/indicators?owner=${EC}`],
      ['GET', `/v2/securityLabels?owner=${CC}`],
      ['GET', `/v2/securityLabels/TLP%20Red/indicators?owner=${EC}`],
      ['GET', '/v2/groups/documents/19/download'],
      // writes to items
      ['POST', `/v2/indicators/hosts?owner=${EC}`, { hostName: 'isolated.example.net' }],
      ['POST', `/v2/indicators/hosts?owner=${EC}`, { hostName: 'www.badguy_014.com', rating: 5 }],
      ['PUT', host, { rating: 5, confidence: 1 }],
      ['DELETE', host],
      ['POST', `/v2/groups/threats?owner=${EC}`, { name: 'Planted' }],
      ['PUT', '/v2/groups/threats/38', { name: 'Renamed' }],
      ['DELETE', '/v2/groups/threats/38'],
      ['POST', `/v2/victims?owner=${EC}`, { name: 'Planted' }],
      ['PUT', '/v2/victims/10', { name: 'Renamed' }],
      ['DELETE', '/v2/victims/10'],
      ['POST', '/v2/victims/10/victimAssets/phoneNumbers', { phoneType: '+1-555-0199' }],
      ['PUT', `/v2/victims/10/victimAssets/networkAccounts/${ids.asset}`, { account: 'x' }],
      ['DELETE', `/v2/victims/10/victimAssets/networkAccounts/${ids.asset}`],
      ['POST', `/v2/tasks?owner=${CC}`, { name: 'Planted' }],
      ['PUT', '/v2/tasks/4', { name: 'Renamed', status: 'Completed' }],
      ['DELETE', '/v2/tasks/4'],
      ['POST', '/v2/tasks/4/assignees/sandbox.restricted'],
      ['DELETE', '/v2/tasks/4/assignees/sandbox.analyst'],
      // metadata on items
      [
        'POST',
        `/v2/indicators/hosts/www.badguy_014.com/attributes?owner=${EC}`,
        { type: 'Description', value: 'x' },
      ],
      [
        'PUT',
        `/v2/indicators/hosts/www.badguy_014.com/attributes/${ids.attribute}?owner=${EC}`,
        { value: 'x' },
      ],
      ['DELETE', `/v2/indicators/hosts/www.badguy_014.com/attributes/${ids.attribute}?owner=${EC}`],
      ['POST', '/v2/groups/threats/38/tags/Planted'],
      ['DELETE', `/v2/indicators/hosts/www.badguy_014.com/tags/APT?owner=${EC}`],
      ['POST', '/v2/groups/threats/38/securityLabels/TLP%20Red'],
      ['DELETE', `/v2/indicators/hosts/pool00.badguy.example.com/securityLabels/TLP%20Red?owner=${EC}`],
      // tags and labels of another owner
      ['POST', `/v2/tags?owner=${EC}`, { name: 'Planted' }],
      ['PUT', `/v2/tags/EXAMPLE?owner=${EC}`, { name: 'Renamed' }],
      ['PUT', '/v2/tags/EXAMPLE', { name: 'Renamed' }],
      ['DELETE', `/v2/tags/APT?owner=${EC}`],
      ['DELETE', `/v2/tags/APT?owner=${CC}`],
      ['DELETE', '/v2/tags/EXAMPLE'],
      ['DELETE', `/v2/securityLabels/TLP%20Red?owner=${EC}`],
      ['DELETE', `/v2/securityLabels/TLP%3AAMBER%2BSTRICT?owner=${CC}`],
      // associations across owners, from either end
      ['POST', '/v2/groups/adversaries/710/groups/threats/38'],
      ['POST', '/v2/groups/threats/38/groups/adversaries/710'],
      ['DELETE', '/v2/groups/adversaries/5/groups/threats/38'],
      ['POST', '/v2/indicators/addresses/10.20.30.40/groups/threats/38'],
      ['DELETE', '/v2/victims/10/groups/adversaries/710'],
      ['DELETE', '/v2/groups/adversaries/710/victims/10'],
      ['POST', '/v2/tasks/1/groups/threats/38'],
      ['POST', '/v2/tasks/1/victims/10'],
      ['POST', '/v2/tags/APT/groups/threats/38'],
      ['POST', `/v2/tags/APT/groups/threats/38?owner=${EC}`],
      ['DELETE', `/v2/tags/APT/groups/adversaries/700?owner=${EC}`],
      ['POST', '/v2/securityLabels/TLP%20Red/groups/threats/38'],
      // documents
      ['POST', '/v2/groups/documents/19/upload', Buffer.from('overwritten\n')],
      ['PUT', '/v2/groups/documents/19/upload', Buffer.from('overwritten\n')],
      // admin
      ['GET', '/_sandbox/requests'],
      ['DELETE', '/_sandbox/requests'],
      ['GET', '/_sandbox/activity'],
      ['POST', '/_sandbox/clock', { offsetSeconds: 100_000 }],
      ['POST', '/_sandbox/faults', { rules: [{ kind: 'status', status: 503 }] }],
      ['DELETE', '/_sandbox/faults'],
    ];
  }

  it('refuses every attempt on another owner, leaks nothing, and leaves the other owners as they were', async () => {
    await main('POST', '/_sandbox/faults'); // a known configuration to compare
    const attributes = success(
      await main('GET', `/v2/indicators/hosts/www.badguy_014.com/attributes?owner=${EC}`),
    ).attribute as Item[];
    const assets = success(await main('GET', '/v2/victims/10/victimAssets/networkAccounts'))
      .victimNetworkAccount as Item[];
    const ids = { attribute: attributes[0]?.id ?? 0, asset: assets[0]?.id ?? 0 };
    assert.ok(ids.attribute > 0 && ids.asset > 0);
    const log = (await main('GET', '/_sandbox/requests')).text;
    const before = await snapshot();
    assert.ok(before.size > 200, `the snapshot reads ${before.size} paths`);

    for (const [method, path, body] of foreignAttempts(ids)) {
      const r = await restricted(method, path, body);
      assert.ok(
        [403, 404].includes(r.status),
        `${method} ${path} answered ${r.status}: ${r.text.slice(0, 200)}`,
      );
      assert.equal(r.headers['content-type'], 'application/json', `${method} ${path}`);
      for (const secret of [
        'Example Community',
        'Common Community',
        'badguy',
        'expiredToken',
        sandbox.apiToken,
      ])
        assert.ok(!r.text.includes(secret), `${method} ${path} leaks ${secret}: ${r.text.slice(0, 200)}`);
    }

    // Its own org stays writable, and its writes stay there: the same names in other owners are untouched.
    for (const [method, path, status] of [
      ['DELETE', '/v2/tags/APT', 200],
      ['DELETE', '/v2/securityLabels/TLP%20Red', 200],
      ['PUT', '/v2/tags/Phishing', 200],
      ['POST', '/v2/tags', 201],
      ['POST', '/v2/groups/threats/806/tags/EXAMPLE', 201],
      ['POST', '/v2/groups/threats/806/securityLabels/TLP%3AAMBER%2BSTRICT', 201],
    ] as const) {
      const body =
        path === '/v2/tags' ? { name: 'EXAMPLE' } : method === 'PUT' ? { name: 'Renamed' } : undefined;
      const r = await restricted(method, path, body);
      assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
    }
    // Its own reads show its own org only.
    for (const path of [
      '/v2/indicators',
      '/v2/groups/adversaries/710/victims',
      '/v2/indicators/addresses/10.20.30.40/groups',
      '/v2/tags',
      '/v2/owners',
    ]) {
      const r = await restricted('GET', path);
      assert.equal(r.status, 200, path);
      assert.ok(
        !r.text.includes('Example Community') && !r.text.includes('Common Community'),
        `${path}: ${r.text.slice(0, 300)}`,
      );
    }

    const afterwards = await snapshot();
    assert.deepEqual([...afterwards.keys()], [...before.keys()]);
    for (const [path, text] of before) assert.equal(afterwards.get(path), text, path);
    // The request log holds the main user's renewals; it was neither read nor cleared by the restricted user.
    assert.ok((await main('GET', '/_sandbox/requests')).text.length >= log.length);
    assert.equal((await main('GET', '/v2/tags/APT?owner=Example%20Community')).status, 200);
    assert.equal((await main('GET', '/v2/tags/APT')).status, 404);
  });
});
