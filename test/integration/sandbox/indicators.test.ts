/**
 * Indicators over HTTP (rest-api-v2.md section 6, decisions.md 2.4): listings in their exact wire shapes
 * (checked item by item against `sampleData(n)`), lookups by value, create, update, delete, validation,
 * `modifiedSince`, `owner`, `includeTags`/`includeAttributes` and the indicator types.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import type { SampleIndicator } from '../../../src/sandbox/sample-types.js';
import { INDICATOR_TYPES, NOT_FOUND, OWNERS, failure, item, list, type Item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, call } from '../../helpers/signer.js';

const N = 300;
const sample = sampleData(N);

/** What the wire carries for a sample indicator, in each of the three shapes. */
function expected(
  i: SampleIndicator,
  shape: 'generic' | 'typed' | 'single',
  origin: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: i.id };
  if (shape === 'single') out.owner = OWNERS[i.ownerName];
  else out.ownerName = i.ownerName;
  if (shape === 'generic' || i.type === 'ASN') out.type = i.type;
  out.dateAdded = i.dateAdded;
  out.lastModified = i.lastModified;
  if (i.rating !== undefined) out.rating = i.rating;
  if (i.confidence !== undefined) out.confidence = i.confidence;
  if (i.threatAssessRating !== undefined) out.threatAssessRating = i.threatAssessRating;
  if (i.threatAssessConfidence !== undefined) out.threatAssessConfidence = i.threatAssessConfidence;
  out.webLink = i.webLink.startsWith('/') ? origin + i.webLink : i.webLink;
  if (i.description !== undefined) out.description = i.description;
  if (shape === 'single' && i.source !== undefined) out.source = i.source;
  if (shape === 'generic') {
    out.summary = i.summary;
    return out;
  }
  switch (i.type) {
    case 'Address':
      out.ip = i.summary;
      break;
    case 'EmailAddress':
      out.address = i.summary;
      break;
    case 'Host':
      out.hostName = i.summary;
      out.dnsActive = i.dnsActive ?? 'false';
      out.whoisActive = i.whoisActive ?? 'false';
      break;
    case 'URL':
      out.text = i.summary;
      break;
    case 'File':
      for (const key of ['md5', 'sha1', 'sha256', 'size'] as const)
        if (i[key] !== undefined) out[key] = i[key];
      break;
    case 'ASN':
      out['AS Number'] = i.summary;
      break;
  }
  return out;
}

const activeIn = (owner: string, extra: (i: SampleIndicator) => boolean = () => true): SampleIndicator[] =>
  sample.indicators.filter((i) => i.active && i.ownerName === owner && extra(i)).sort((a, b) => a.id - b.id);

const json = (value: unknown) => ({ body: JSON.stringify(value) });

describe('indicator listings and lookups', () => {
  let sandbox: Sandbox;
  let origin: string;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: N });
    origin = new URL(sandbox.baseUrl).origin;
  });
  after(async () => {
    await sandbox.close();
  });
  const get = (path: string) => call(sandbox, 'GET', path);

  for (const owner of Object.keys(OWNERS)) {
    it(`lists every active indicator of ${owner} in the generic shape (summary, type, ownerName)`, async () => {
      const expectedItems = activeIn(owner);
      const { total, items } = list(
        await get(`/v2/indicators?owner=${encodeURIComponent(owner)}&resultLimit=500`),
        'indicator',
      );
      assert.equal(total, expectedItems.length);
      assert.deepEqual(
        items,
        expectedItems.map((i) => expected(i, 'generic', origin)),
      );
    });

    for (const t of INDICATOR_TYPES) {
      it(`lists ${owner}'s ${t.branch} under data.${t.key} in the typed shape`, async () => {
        const expectedItems = activeIn(owner, (i) => i.type === t.type);
        const { total, items } = list(
          await get(`/v2/indicators/${t.branch}?owner=${encodeURIComponent(owner)}&resultLimit=500`),
          t.key,
        );
        assert.equal(total, expectedItems.length);
        assert.deepEqual(
          items,
          expectedItems.map((i) => expected(i, 'typed', origin)),
        );
        for (const listed of items) {
          assert.equal(listed.summary, undefined);
          assert.equal(listed.owner, undefined);
          if (t.type === 'Host') {
            assert.ok(listed.dnsActive === 'true' || listed.dnsActive === 'false');
            assert.ok(listed.whoisActive === 'true' || listed.whoisActive === 'false');
          }
        }
      });
    }
  }

  it('lists the default org when no owner is given', async () => {
    const { total, items } = list(await get('/v2/indicators?resultLimit=500'), 'indicator');
    assert.equal(total, activeIn('Example Org').length);
    assert.ok(items.every((i) => i.ownerName === 'Example Org'));
  });

  it('refuses an owner that does not exist and a resultLimit above the maximum', async () => {
    failure(await get('/v2/indicators?owner=Nobody%20Here'), 403, 'The requested owner was not found');
    failure(await get('/v2/indicators/hosts?owner=Nobody'), 403, 'The requested owner was not found');
    failure(
      await get('/v2/indicators?resultLimit=501'),
      400,
      'The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is 500',
    );
  });

  it('answers an unknown indicator branch with 404', async () => {
    failure(await get('/v2/indicators/cidrBlocks'), 404, NOT_FOUND);
  });

  it('gets one indicator of every type by value, with owner{} and no ownerName or summary', async () => {
    for (const t of INDICATOR_TYPES) {
      for (const owner of Object.keys(OWNERS)) {
        const one = activeIn(owner, (i) => i.type === t.type)[0];
        if (!one) continue;
        const value = one.md5 ?? one.sha1 ?? one.sha256 ?? one.summary;
        const got = item(
          await get(
            `/v2/indicators/${t.branch}/${encodeURIComponent(value)}?owner=${encodeURIComponent(owner)}`,
          ),
          t.key,
        );
        assert.deepEqual(got, expected(one, 'single', origin));
      }
    }
  });

  it('gets a URL indicator whose value is URL-encoded in the path', async () => {
    const got = item(
      await get(
        '/v2/indicators/urls/http%3A%2F%2Fbad.example.com%2Fa%3Fb%3Dc%26d%3De?owner=Example%20Community',
      ),
      'url',
    );
    assert.equal(got.id, 356003);
    assert.equal(got.text, 'http://bad.example.com/a?b=c&d=e');
    assert.equal(got.description, 'pipe | and backslash \\ test');
  });

  it('gets an e-mail address with a raw or an encoded @', async () => {
    for (const value of ['bad@example.com', 'bad%40example.com']) {
      const got = item(
        await get(`/v2/indicators/emailAddresses/${value}?owner=Example+Community`),
        'emailAddress',
      );
      assert.equal(got.id, 356004);
    }
  });

  it('finds a file by its md5, sha1 or sha256, in any case', async () => {
    const file = sample.indicators.find((i) => i.id === 100002);
    assert.ok(file?.md5 !== undefined && file.sha1 !== undefined && file.sha256 !== undefined);
    const mixed = (h: string) => h.replace(/[A-F]/g, (c, k: number) => (k % 2 === 0 ? c.toLowerCase() : c));
    for (const hash of [file.md5, file.sha1, file.sha256]) {
      for (const spelled of [hash, hash.toLowerCase(), mixed(hash)]) {
        const got = item(await get(`/v2/indicators/files/${spelled}?owner=Example%20Community`), 'file');
        assert.deepEqual(got, expected(file, 'single', origin));
      }
    }
    failure(await get(`/v2/indicators/files/${file.md5.slice(1)}?owner=Example%20Community`), 404, NOT_FOUND);
  });

  it('looks an indicator up in the owner given, else in the default org', async () => {
    failure(await get('/v2/indicators/hosts/www.badguy_014.com'), 404, NOT_FOUND);
    failure(await get('/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Org'), 404, NOT_FOUND);
    const orgAddress = item(await get('/v2/indicators/addresses/10.20.30.40'), 'address');
    assert.deepEqual(orgAddress.owner, OWNERS['Example Org']);
  });

  it('honours modifiedSince on /v2/indicators and on typed listings', async () => {
    for (const since of ['2015-06-17T00:00:00Z', '2023-01-01T00:00:00Z', '2023-06-30T12:00:00Z']) {
      const t = Date.parse(since);
      const modified = (i: SampleIndicator) => Date.parse(i.lastModified) >= t;
      for (const owner of Object.keys(OWNERS)) {
        const q = `modifiedSince=${encodeURIComponent(since)}&owner=${encodeURIComponent(owner)}&resultLimit=500`;
        const generic = list(await get(`/v2/indicators?${q}`), 'indicator');
        const want = activeIn(owner, modified);
        assert.equal(generic.total, want.length, `${owner} since ${since}`);
        assert.deepEqual(
          generic.items.map((i) => i.id),
          want.map((i) => i.id),
        );
        for (const type of INDICATOR_TYPES) {
          const typed = list(await get(`/v2/indicators/${type.branch}?${q}`), type.key);
          assert.equal(typed.total, want.filter((i) => i.type === type.type).length);
        }
      }
    }
  });

  it('compares modifiedSince with offsets as instants', async () => {
    // Host 355999 was last modified at 2015-06-21T10:40:33-05:00 = 15:40:33Z.
    const at = async (since: string) =>
      list(
        await get(`/v2/indicators/hosts?owner=Example%20Community&modifiedSince=${since}`),
        'host',
      ).items.some((i) => i.id === 355999);
    assert.equal(await at('2015-06-21T15%3A40%3A33Z'), true);
    assert.equal(await at('2015-06-21T15%3A40%3A34Z'), false);
    assert.equal(await at('2015-06-21T10%3A40%3A33-05%3A00'), true);
  });

  it('answers a modifiedSince that is not a date with 400', async () => {
    failure(
      await get('/v2/indicators?modifiedSince=yesterday'),
      400,
      'The modifiedSince value is invalid: yesterday',
    );
    failure(
      await get('/v2/indicators/hosts?modifiedSince=2015-13-45'),
      400,
      'The modifiedSince value is invalid: 2015-13-45',
    );
  });

  it('adds tag[] and attribute[] with includeTags and includeAttributes', async () => {
    const owner = 'Example Community';
    const { items } = list(
      await get(
        `/v2/indicators?owner=Example+Community&includeTags=true&includeAttributes=true&resultLimit=500`,
      ),
      'indicator',
    );
    const want = activeIn(owner);
    assert.equal(items.length, want.length);
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    want.forEach((i, k) => {
      const served = items[k];
      assert.ok(served);
      const tags = served.tag as { name: string; webLink: string }[];
      const attributes = served.attribute as Item[];
      assert.deepEqual(tags.map((t) => t.name).sort(), [...i.tags].sort(), `tags of ${i.id}`);
      for (const tag of tags) assert.equal(typeof tag.webLink, 'string');
      assert.deepEqual([...attributes].sort(byId), [...i.attributes].sort(byId), `attributes of ${i.id}`);
    });
    const onlyTags = list(await get('/v2/indicators/hosts?owner=Example+Community&includeTags=true'), 'host');
    assert.ok(onlyTags.items.every((i) => Array.isArray(i.tag) && i.attribute === undefined));
    const single = item(
      await get('/v2/indicators/hosts/www.badguy_014.com?owner=Example+Community&includeAttributes=true'),
      'host',
    );
    assert.deepEqual(
      (single.attribute as Item[]).map((a) => [a.type, a.value]),
      [['Description', 'TEST attribute #14']],
    );
    assert.equal(single.tag, undefined);
  });

  it('lists the indicator types: the five base types and the custom ASN', async () => {
    const { total, items } = list(await get('/v2/types/indicatorTypes'), 'indicatorType');
    assert.equal(total, 6);
    const base = (name: string, branch: string, entity: string) => ({
      name,
      custom: 'false',
      parsable: 'true',
      apiBranch: branch,
      apiEntity: entity,
    });
    assert.deepEqual(items, [
      base('Address', 'addresses', 'address'),
      base('EmailAddress', 'emailAddresses', 'emailAddress'),
      base('File', 'files', 'file'),
      base('Host', 'hosts', 'host'),
      base('URL', 'urls', 'url'),
      {
        name: 'ASN',
        custom: 'true',
        parsable: 'false',
        apiBranch: 'asns',
        apiEntity: 'asn',
        casePreference: 'upper',
        value1Label: 'AS Number',
        value1Type: 'text',
      },
    ]);
    assert.deepEqual(item(await get('/v2/types/indicatorTypes/asn'), 'indicatorType'), items[5]);
    assert.deepEqual(item(await get('/v2/types/indicatorTypes/host'), 'indicatorType'), items[3]);
    failure(await get('/v2/types/indicatorTypes/mutex'), 404, NOT_FOUND);
  });
});

describe('indicator create, update and delete', () => {
  let sandbox: Sandbox;
  const now = '2024-03-04T05:06:07Z';
  const nowMs = Date.parse(now);
  before(async () => {
    sandbox = await withSandbox({ clock: () => nowMs });
  });
  after(async () => {
    await sandbox.close();
  });
  /** Signed with the sandbox's fixed clock. */
  const send = (method: string, path: string, options: CallOptions = {}) =>
    call(sandbox, method, path, { ...options, timestamp: nowMs / 1000 });
  const get = (path: string) => send('GET', path);
  const post = (path: string, body: unknown) => send('POST', path, json(body));
  const put = (path: string, body: unknown) => send('PUT', path, json(body));

  const creations = [
    { branch: 'addresses', key: 'address', body: { ip: '198.51.100.10' }, fields: { ip: '198.51.100.10' } },
    { branch: 'addresses', key: 'address', body: { ip: '2001:db8::10' }, fields: { ip: '2001:db8::10' } },
    {
      branch: 'emailAddresses',
      key: 'emailAddress',
      body: { address: 'phish@example.net' },
      fields: { address: 'phish@example.net' },
    },
    {
      branch: 'files',
      key: 'file',
      body: { md5: 'd41d8cd98f00b204e9800998ecf8427e', size: 12 },
      fields: { md5: 'D41D8CD98F00B204E9800998ECF8427E', size: 12 },
    },
    {
      branch: 'hosts',
      key: 'host',
      body: {
        hostName: 'bad.example.net',
        dnsActive: 'true',
        whoisActive: 'false',
        rating: 5,
        confidence: 100,
      },
      fields: {
        hostName: 'bad.example.net',
        dnsActive: 'true',
        whoisActive: 'false',
        rating: 5,
        confidence: 100,
      },
    },
    {
      branch: 'urls',
      key: 'url',
      body: { text: 'http://bad.example.net/x?y=1', rating: 2.5 },
      fields: { text: 'http://bad.example.net/x?y=1', rating: 2.5 },
    },
    {
      branch: 'asns',
      key: 'asn',
      body: { 'AS Number': 'ASN65000', confidence: 30 },
      fields: { type: 'ASN', 'AS Number': 'ASN65000', confidence: 30 },
    },
  ];

  for (const c of creations) {
    it(`creates ${c.branch} (201, owner{}), in the default org when no owner is given`, async () => {
      const r = await post(`/v2/indicators/${c.branch}`, c.body);
      const created = item(r, c.key, 201);
      assert.equal(typeof created.id, 'number');
      assert.deepEqual(created.owner, OWNERS['Example Org']);
      assert.equal(created.ownerName, undefined);
      assert.equal(created.dateAdded, now);
      assert.equal(created.lastModified, now);
      assert.equal(typeof created.webLink, 'string');
      for (const [key, value] of Object.entries(c.fields)) assert.deepEqual(created[key], value, key);
      if (c.branch !== 'asns') assert.equal(created.type, undefined);
      const value = Object.values(c.fields).find((v) => typeof v === 'string' && v !== 'ASN') as string;
      const again = item(await get(`/v2/indicators/${c.branch}/${encodeURIComponent(value)}`), c.key);
      assert.deepEqual(again, created);
    });
  }

  it('creates in the owner given', async () => {
    const created = item(
      await post('/v2/indicators/hosts?owner=Common%20Community', { hostName: 'common.example.net' }),
      'host',
      201,
    );
    assert.deepEqual(created.owner, OWNERS['Common Community']);
    failure(await get('/v2/indicators/hosts/common.example.net'), 404, NOT_FOUND);
    assert.equal(
      item(await get('/v2/indicators/hosts/common.example.net?owner=Common+Community'), 'host').id,
      created.id,
    );
  });

  it('rejects bad values with 400 and a message', async () => {
    const cases: [string, unknown, string][] = [
      ['addresses', { ip: '999.1.1.1' }, 'Please enter a valid Address: 999.1.1.1'],
      ['addresses', { ip: 'example.com' }, 'Please enter a valid Address: example.com'],
      ['hosts', { hostName: 'bad host!' }, 'Please enter a valid Host: bad host!'],
      ['urls', { text: 'http://BAD.example.com/x' }, 'Please enter a valid URL: http://BAD.example.com/x'],
      ['urls', { text: 'not a url' }, 'Please enter a valid URL: not a url'],
      [
        'emailAddresses',
        { address: 'nobody.example.com' },
        'Please enter a valid EmailAddress: nobody.example.com',
      ],
      ['files', { md5: 'abc123' }, 'Please enter a valid MD5: abc123'],
      [
        'files',
        { sha1: 'd41d8cd98f00b204e9800998ecf8427e' },
        'Please enter a valid SHA1: d41d8cd98f00b204e9800998ecf8427e',
      ],
      ['files', { sha256: 'zz'.repeat(32) }, `Please enter a valid SHA256: ${'zz'.repeat(32)}`],
      ['asns', { 'AS Number': 'AS 123' }, 'Please enter a valid ASN: AS 123'],
      ['addresses', {}, 'The ip for this Address is invalid'],
      ['hosts', { hostName: '' }, 'The hostName for this Host is invalid'],
      ['emailAddresses', { address: 42 }, 'The address for this EmailAddress is invalid'],
      [
        'files',
        { size: 3 },
        'The md5, sha1 or sha256 for this File is invalid: at least one hash is required',
      ],
      [
        'hosts',
        { hostName: 'rated.example.net', rating: 6 },
        'The rating for this Indicator is invalid, please enter a number from 0 to 5: 6',
      ],
      [
        'hosts',
        { hostName: 'rated.example.net', rating: -1 },
        'The rating for this Indicator is invalid, please enter a number from 0 to 5: -1',
      ],
      [
        'hosts',
        { hostName: 'rated.example.net', confidence: 101 },
        'The confidence for this Indicator is invalid, please enter an integer from 0 to 100: 101',
      ],
      [
        'hosts',
        { hostName: 'rated.example.net', confidence: 'x' },
        'The confidence for this Indicator is invalid, please enter an integer from 0 to 100: "x"',
      ],
      [
        'hosts',
        { hostName: 'rated.example.net', dnsActive: 'yes' },
        'The dnsActive for this Host is invalid, please enter one of the following values: true, false',
      ],
    ];
    for (const [branch, body, message] of cases) {
      failure(await post(`/v2/indicators/${branch}`, body), 400, message);
    }
    // Nothing was written.
    failure(await get('/v2/indicators/hosts/rated.example.net'), 404, NOT_FOUND);
  });

  it('rejects a body that is not JSON, or not an object, with 400', async () => {
    for (const body of ['{"ip":', '', '[1,2]', 'null']) {
      failure(
        await send('POST', '/v2/indicators/addresses', { body }),
        400,
        'The request was not properly formed',
      );
    }
  });

  it('updates an existing value on create and answers 201 with the same id', async () => {
    const first = item(
      await post('/v2/indicators/hosts', { hostName: 'again.example.net', rating: 1 }),
      'host',
      201,
    );
    const second = item(
      await post('/v2/indicators/hosts', { hostName: 'again.example.net', rating: 4, confidence: 77 }),
      'host',
      201,
    );
    assert.equal(second.id, first.id);
    assert.equal(second.rating, 4);
    assert.equal(second.confidence, 77);
    const hosts = list(await get('/v2/indicators/hosts?resultLimit=500'), 'host').items;
    assert.equal(hosts.filter((h) => h.hostName === 'again.example.net').length, 1);
    // A file found by a second hash gains it, keeping its id.
    const md5 = '0CC175B9C0F1B6A831C399E269772661';
    const sha1 = '86F7E437FAA5A7FCE15D1DDCB9EAEAEA377667B8';
    const file = item(await post('/v2/indicators/files', { md5 }), 'file', 201);
    const merged = item(await post('/v2/indicators/files', { md5: md5.toLowerCase(), sha1 }), 'file', 201);
    assert.equal(merged.id, file.id);
    assert.equal(merged.sha1, sha1);
    assert.equal(item(await get(`/v2/indicators/files/${sha1}`), 'file').id, file.id);
    failure(
      await post('/v2/indicators/files', { md5, sha1: 'A'.repeat(40) }),
      400,
      'The SHA-1 for this File is invalid, a File with this SHA-1 already exists',
    );
  });

  it('updates rating, confidence and host flags with PUT', async () => {
    const created = item(await post('/v2/indicators/hosts', { hostName: 'put.example.net' }), 'host', 201);
    assert.equal(created.dnsActive, 'false');
    const r = await put('/v2/indicators/hosts/put.example.net', {
      rating: 3,
      confidence: 60,
      dnsActive: 'true',
    });
    const updated = item(r, 'host');
    assert.equal(updated.id, created.id);
    assert.equal(updated.rating, 3);
    assert.equal(updated.confidence, 60);
    assert.equal(updated.dnsActive, 'true');
    assert.equal(updated.whoisActive, 'false');
    assert.match(r.text, /"rating":3\.00,/);
    assert.deepEqual(item(await get('/v2/indicators/hosts/put.example.net'), 'host'), updated);
    failure(
      await put('/v2/indicators/hosts/put.example.net', { rating: 'high' }),
      400,
      'The rating for this Indicator is invalid, please enter a number from 0 to 5: "high"',
    );
    failure(await put('/v2/indicators/hosts/missing.example.net', { rating: 1 }), 404, NOT_FOUND);
  });

  it('deletes an indicator by its encoded value', async () => {
    const text = 'https://gone.example.net/path?q=1&r=2';
    item(await post('/v2/indicators/urls', { text }), 'url', 201);
    const path = `/v2/indicators/urls/${encodeURIComponent(text)}`;
    const r = await send('DELETE', path);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json(), { status: 'Success' });
    failure(await get(path), 404, NOT_FOUND);
    failure(await send('DELETE', path), 404, NOT_FOUND);
  });
});
