/**
 * Replays every request line that python-sdk-observed.md records the original Python client sending,
 * byte for byte (same raw path and query, signed by the test signer), against a sandbox seeded with
 * 1000 indicators, and checks each answer against what a real server gives for the same data
 * (computed from `sampleData(1000)`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import type { SampleIndicator } from '../../../src/sandbox/sample-types.js';
import { NOT_FOUND, failure, success, type Item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, type RawResponse, call } from '../../helpers/signer.js';

const N = 1000;
const sample = sampleData(N);

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
const ids = (items: readonly { id: number }[]): number[] => items.map((i) => i.id);

function activeIn(owner: string, extra: (i: SampleIndicator) => boolean = () => true): SampleIndicator[] {
  return sample.indicators.filter((i) => i.active && i.ownerName === owner && extra(i)).sort(byId);
}

/** A listing page: the only keys are the data key and, on the first window only, `resultCount`. */
function page(r: RawResponse, key: string, start: number): { total: number | undefined; items: Item[] } {
  const data = success(r);
  const items = data[key];
  assert.ok(Array.isArray(items), `data.${key} is an array`);
  if (start === 0) {
    assert.deepEqual(Object.keys(data).sort(), [key, 'resultCount'].sort());
    assert.equal(typeof data.resultCount, 'number');
  } else {
    assert.deepEqual(Object.keys(data), [key]);
  }
  return { total: data.resultCount as number | undefined, items: items as Item[] };
}

interface Listing {
  key: string;
  /** The whole expected result set, in id order. */
  expected: readonly { id: number }[];
  start: number;
  limit: number;
}

/** Each recorded line (path and query after `/api`, verbatim) with the listing it must return. */
function recordedListings(): [string, Listing][] {
  const ec = 'Example Community';
  const org = 'Example Org';
  const apt = (i: { tags: string[] }) => i.tags.includes('APT');
  const group = (id: number) => sample.groups.find((g) => g.id === id);
  const adversariesOf = (groupIds: readonly number[]) =>
    groupIds
      .map((id) => group(id))
      .filter((g) => g?.type === 'Adversary')
      .map((g) => ({ id: g?.id ?? 0 }))
      .sort(byId);
  const victim10 = sample.victims.find((v) => v.id === 10);
  const orgAddress = sample.indicators.find((i) => i.ownerName === org && i.summary === '10.20.30.40');
  const threat38 = group(38);
  const since = Date.parse('2015-06-17T00:00:00Z');
  const modified = (i: SampleIndicator) => Date.parse(i.lastModified) >= since;
  const typed = (type: string) => activeIn(org, (i) => i.type === type);
  const all = (owner: string) => activeIn(owner);
  const list = (key: string, expected: readonly { id: number }[], start: number, limit: number): Listing => ({
    key,
    expected,
    start,
    limit,
  });
  return [
    [
      '/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=0',
      list('indicator', all(ec), 0, 500),
    ],
    [
      '/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=500',
      list('indicator', all(ec), 500, 500),
    ],
    [
      '/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=1000',
      list('indicator', all(ec), 1000, 500),
    ],
    [
      '/v2/tags/APT/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      list('indicator', activeIn(ec, apt), 0, 200),
    ],
    [
      '/v2/tags/APT/indicators?createActivityLog=true&owner=Example+Community&resultLimit=200&resultStart=0',
      list('indicator', activeIn(ec, apt), 0, 200),
    ],
    [
      '/v2/tags/APT/groups/adversaries?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      list(
        'adversary',
        sample.groups.filter((g) => g.ownerName === ec && g.type === 'Adversary' && apt(g)).sort(byId),
        0,
        200,
      ),
    ],
    [
      '/v2/indicators/addresses/10.20.30.40/groups/adversaries?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list('adversary', adversariesOf(orgAddress?.groupIds ?? []), 0, 200),
    ],
    [
      '/v2/victims/10/groups/adversaries?createActivityLog=false&resultLimit=200&resultStart=0',
      list('adversary', adversariesOf(victim10?.groupIds ?? []), 0, 200),
    ],
    [
      '/v2/tags/APT/groups/adversaries?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list(
        'adversary',
        sample.groups.filter((g) => g.ownerName === org && g.type === 'Adversary' && apt(g)).sort(byId),
        0,
        200,
      ),
    ],
    [
      '/v2/groups/adversaries?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list(
        'adversary',
        sample.groups.filter((g) => g.ownerName === org && g.type === 'Adversary').sort(byId),
        0,
        200,
      ),
    ],
    [
      '/v2/indicators/addresses?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list('address', typed('Address'), 0, 200),
    ],
    [
      '/v2/indicators/emailAddresses?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list('emailAddress', typed('EmailAddress'), 0, 200),
    ],
    [
      '/v2/indicators/files?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list('file', typed('File'), 0, 200),
    ],
    [
      '/v2/indicators/hosts?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list('host', typed('Host'), 0, 200),
    ],
    [
      '/v2/indicators/urls?createActivityLog=false&owner=Example+Org&resultLimit=200&resultStart=0',
      list('url', typed('URL'), 0, 200),
    ],
    [
      '/v2/tags/APT/indicators/hosts?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      list(
        'host',
        activeIn(ec, (i) => apt(i) && i.type === 'Host'),
        0,
        200,
      ),
    ],
    [
      '/v2/indicators/addresses?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      list(
        'address',
        activeIn(ec, (i) => i.type === 'Address'),
        0,
        200,
      ),
    ],
    ...[0, 200, 400, 600].map((start): [string, Listing] => [
      `/v2/indicators?createActivityLog=false&modifiedSince=2015-06-17T00%3A00%3A00Z&resultLimit=200&resultStart=${start}`,
      list('indicator', activeIn(org, modified), start, 200),
    ]),
    ...[0, 200, 400, 600].map((start): [string, Listing] => [
      `/v2/indicators?createActivityLog=false&modifiedSince=2015-06-17T00%3A00%3A00Z&owner=Example+Community&resultLimit=200&resultStart=${start}`,
      list('indicator', activeIn(ec, modified), start, 200),
    ]),
    [
      '/v2/securityLabels/TLP%20Red/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      list(
        'indicator',
        activeIn(ec, (i) => i.securityLabels.includes('TLP Red')),
        0,
        200,
      ),
    ],
    [
      '/v2/groups/threats/38/indicators?createActivityLog=false&resultLimit=200&resultStart=0',
      list('indicator', (threat38?.indicatorIds ?? []).map((id) => ({ id })).sort(byId), 0, 200),
    ],
    [
      '/v2/tags/EXAMPLE/indicators/addresses?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      list(
        'address',
        activeIn(ec, (i) => i.tags.includes('EXAMPLE') && i.type === 'Address'),
        0,
        200,
      ),
    ],
    ['/v2/indicators?createActivityLog=false&owner=Example+Community', list('indicator', all(ec), 0, 100)],
  ];
}

describe('replay of the requests python-sdk-observed.md records', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: N });
  });
  after(async () => {
    await sandbox.close();
  });

  it('serves the indicatorTypes preflight with both activity-log spellings', async () => {
    for (const path of [
      '/v2/types/indicatorTypes?createActivityLog=false',
      '/v2/types/indicatorTypes?createActivityLog=true',
    ]) {
      const { total, items } = page(await call(sandbox, 'GET', path), 'indicatorType', 0);
      assert.equal(total, 6);
      assert.deepEqual(
        items.map((t) => t.name),
        ['Address', 'EmailAddress', 'File', 'Host', 'URL', 'ASN'],
      );
    }
  });

  for (const [path, listing] of recordedListings()) {
    it(`GET ${path}`, async () => {
      const { key, expected, start, limit } = listing;
      assert.ok(expected.length > 0, 'the sample data has records for this request');
      const r = await call(sandbox, 'GET', path);
      const { total, items } = page(r, key, start);
      if (start === 0) assert.equal(total, expected.length);
      assert.deepEqual(ids(items), ids(expected.slice(start, start + limit)));
    });
  }

  it('answers the recorded tag SLOW (unknown) with 404', async () => {
    const r = await call(
      sandbox,
      'GET',
      '/v2/tags/SLOW/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
    );
    failure(r, 404, NOT_FOUND);
  });

  it('answers the reserved-character lines: owner "Example Community & Friends" does not exist (403)', async () => {
    for (const path of [
      '/v2/tags/APT%2F28%20%26%20co%2Bx~y/indicators?createActivityLog=false&owner=Example+Community+%26+Friends&resultLimit=200&resultStart=0',
      '/v2/securityLabels/TLP%3AAMBER/indicators?createActivityLog=false&owner=Example+Community+%26+Friends&resultLimit=200&resultStart=0',
    ]) {
      failure(await call(sandbox, 'GET', path), 403, 'The requested owner was not found');
    }
  });

  it('answers the reserved-character tag with 404 and the built-in label TLP:AMBER with its (empty) listing, in an owner that exists', async () => {
    failure(
      await call(
        sandbox,
        'GET',
        '/v2/tags/APT%2F28%20%26%20co%2Bx~y/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      ),
      404,
      NOT_FOUND,
    );
    const r = await call(
      sandbox,
      'GET',
      '/v2/securityLabels/TLP%3AAMBER/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), { status: 'Success', data: { resultCount: 0, indicator: [] } });
  });

  it('answers the failure example (incident 708996) with 404', async () => {
    const r = await call(
      sandbox,
      'GET',
      '/v2/groups/incidents/708996/groups/adversaries?createActivityLog=false&resultLimit=500&resultStart=0',
    );
    failure(r, 404, NOT_FOUND);
  });

  it('downloads document 19 as recorded', async () => {
    const r = await call(
      sandbox,
      'GET',
      '/v2/groups/documents/19/download?createActivityLog=false&owner=Example+Community',
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.equal(r.headers['content-length'], String(r.body.length));
    assert.deepEqual(r.body, Buffer.from('Example document #19 contents.\n'));
  });

  it('creates a document and uploads to it, as the recorded create + upload', async () => {
    const createBody = '{"name": "Raw Upload Example", "fileName": "raw_example.txt"}';
    assert.equal(createBody.length, 61, 'the recorded Content-Length');
    const created = success(
      await call(sandbox, 'POST', '/v2/groups/documents?createActivityLog=false&owner=Example+Community', {
        body: createBody,
      }),
      201,
    );
    const document = created.document as Item;
    assert.equal(document.name, 'Raw Upload Example');
    assert.equal(document.fileName, 'raw_example.txt');
    assert.deepEqual(document.owner, { id: 2, name: 'Example Community', type: 'Community' });
    assert.equal(typeof document.id, 'number');

    const content = Buffer.from('Raw upload example file Contents.');
    assert.equal(content.length, 33, 'the recorded Content-Length');
    const upload: CallOptions = { body: content, contentType: 'application/octet-stream' };
    // The recording's id 392 does not exist here.
    failure(
      await call(
        sandbox,
        'POST',
        '/v2/groups/documents/392/upload?createActivityLog=false&owner=Example+Community',
        upload,
      ),
      404,
      NOT_FOUND,
    );
    const r = await call(
      sandbox,
      'POST',
      `/v2/groups/documents/${document.id}/upload?createActivityLog=false&owner=Example+Community`,
      upload,
    );
    assert.equal(r.status, 201);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json(), { status: 'Success' });
    const download = await call(sandbox, 'GET', `/v2/groups/documents/${document.id}/download`);
    assert.deepEqual(download.body, content);
  });

  it('rejects the type-override commit of a non-IP address with the recorded 400', async () => {
    const r = await call(
      sandbox,
      'POST',
      '/v2/indicators/addresses?createActivityLog=false&owner=Example+Community',
      { body: '{"ip": "<indicator>"}' },
    );
    failure(r, 400, 'Please enter a valid Address: <indicator>');
  });

  it('commits the type override with a real IP (201)', async () => {
    const data = success(
      await call(
        sandbox,
        'POST',
        '/v2/indicators/addresses?createActivityLog=false&owner=Example+Community',
        {
          body: '{"ip": "198.51.100.77"}',
        },
      ),
      201,
    );
    const address = data.address as Item;
    assert.equal(address.ip, '198.51.100.77');
    assert.deepEqual(address.owner, { id: 2, name: 'Example Community', type: 'Community' });
  });

  it('commits the regex-override host with the recorded body (rating as the string "2.0")', async () => {
    const body = '{"confidence": 50, "rating": "2.0", "hostName": "new.domain.tld"}';
    assert.equal(body.length, 65, 'the recorded Content-Length');
    const r = await call(
      sandbox,
      'POST',
      '/v2/indicators/hosts?createActivityLog=false&owner=Example+Community',
      { body },
    );
    const host = success(r, 201).host as Item;
    assert.equal(host.hostName, 'new.domain.tld');
    assert.equal(host.rating, 2);
    assert.equal(host.confidence, 50);
    assert.match(r.text, /"rating":2\.00,/);
    assert.equal(typeof host.id, 'number');
  });
});
