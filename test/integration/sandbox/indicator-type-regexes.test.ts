/**
 * `GET /v2/types/indicatorTypes[/{t}]?includeAdditional=true` adds `regexes[]` and `keys`
 * (rest-api-v2.md 6.1): the patterns are exactly the rules the sandbox enforces on a type's values, so
 * every value it takes matches one of them and every value it refuses as invalid matches none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type Item, exactList, failure, item, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

/** A custom type given as an option: the sandbox checks nothing of its values. */
const MUTEX = { name: 'Mutex', apiBranch: 'mutexes', apiEntity: 'mutex', value1Label: 'Mutex' };

/** Entity, the value field, values taken and values refused (with the type named in the message). */
const CASES: {
  entity: string;
  branch: string;
  field: string;
  label: string;
  good: string[];
  bad: string[];
}[] = [
  {
    entity: 'address',
    branch: 'addresses',
    field: 'ip',
    label: 'Address',
    good: ['192.0.2.77', '2001:db8::7', '::ffff:192.0.2.1', 'fe80::1%eth0'],
    bad: ['999.1.1.1', '192.0.2', '01.2.3.4', '2001:db8::g', 'example.com'],
  },
  {
    entity: 'emailAddress',
    branch: 'emailAddresses',
    field: 'address',
    label: 'EmailAddress',
    good: ['a@b.example', 'first.last+tag@mail.example.org'],
    bad: ['nobody.example.com', 'a b@c.example', 'a@b@c.example', 'a@example'],
  },
  {
    entity: 'host',
    branch: 'hosts',
    field: 'hostName',
    label: 'Host',
    good: ['ok-host.example.com', 'under_score.example.com', 'localhost'],
    bad: ['bad host!', '-lead.example.com', 'trail-.example.com', `${'a'.repeat(250)}.com`, 'a..b'],
  },
  {
    entity: 'url',
    branch: 'urls',
    field: 'text',
    label: 'URL',
    good: ['http://ok.example.com/x', 'https://User@ok.example.com:8080/P?Q#F', 'ftp://ok.example.com'],
    bad: [
      'http://BAD.example.com/x',
      'not a url',
      'http://ok.example.com/a b',
      'http://user@Bad.example.com',
      'http:///x',
    ],
  },
  {
    entity: 'asn',
    branch: 'asns',
    field: 'AS Number',
    label: 'ASN',
    good: ['ASN123', 'ASN4294967295'],
    bad: ['AS 123', 'ASN', 'asn123', 'ASN12345678901'],
  },
];
const HEX = {
  md5: '^[0-9a-fA-F]{32}$',
  sha1: '^[0-9a-fA-F]{40}$',
  sha256: '^[0-9a-fA-F]{64}$',
};

describe('sandbox: regexes of the indicator types', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ indicatorTypes: [MUTEX] });
  });
  after(async () => {
    await sandbox.close();
  });

  const get = (path: string) => call(sandbox, 'GET', path);
  const type = async (entity: string, query = '?includeAdditional=true'): Promise<Item> =>
    item(await get(`/v2/types/indicatorTypes/${entity}${query}`), 'indicatorType');

  it('adds regexes[] and keys with includeAdditional=true (or includes=additional) only', async () => {
    for (const entity of ['address', 'emailAddress', 'file', 'host', 'url', 'asn', 'mutex']) {
      const plain = await type(entity, '');
      assert.ok(!('regexes' in plain) && !('keys' in plain), entity);
      const full = await type(entity);
      assert.deepEqual(Object.keys(full), [...Object.keys(plain), 'regexes', 'keys'], entity);
      assert.ok(Array.isArray(full.regexes) && full.regexes.every((r) => typeof r === 'string'), entity);
      assert.deepEqual(await type(entity, '?includes=additional'), full);
    }
    assert.deepEqual(await type('file'), {
      name: 'File',
      custom: 'false',
      parsable: 'true',
      apiBranch: 'files',
      apiEntity: 'file',
      regexes: [HEX.md5, HEX.sha1, HEX.sha256],
      keys: { key1: 'md5', key2: 'sha1', key3: 'sha256' },
    });
    assert.deepEqual((await type('asn')).regexes, ['^ASN\\d{1,10}$']);
    // A custom type of the options has no rule: no patterns.
    assert.deepEqual((await type('mutex')).regexes, []);
    const listing = exactList(await get('/v2/types/indicatorTypes?includeAdditional=true'), 'indicatorType');
    for (const listed of listing.items) assert.deepEqual(listed, await type(listed.apiEntity as string));
  });

  for (const c of CASES) {
    it(`${c.label}: each value taken matches a pattern, each refused matches none`, async () => {
      const patterns = ((await type(c.entity)).regexes as string[]).map((r) => new RegExp(r));
      assert.ok(patterns.length > 0);
      for (const value of c.good) {
        const r = await call(sandbox, 'POST', `/v2/indicators/${c.branch}`, {
          body: JSON.stringify({ [c.field]: value }),
        });
        success(r, 201);
        assert.ok(
          patterns.some((p) => p.test(value)),
          `${value} was taken`,
        );
      }
      for (const value of c.bad) {
        const r = await call(sandbox, 'POST', `/v2/indicators/${c.branch}`, {
          body: JSON.stringify({ [c.field]: value }),
        });
        failure(r, 400, `Please enter a valid ${c.label}: ${value}`);
        assert.ok(!patterns.some((p) => p.test(value)), `${value} was refused`);
      }
    });
  }

  it('File: each hash field takes what its pattern matches', async () => {
    const patterns = ((await type('file')).regexes as string[]).map((r) => new RegExp(r));
    const hashes = { md5: 'd41d8cd98f00b204e9800998ecf8427e', sha1: 'a'.repeat(40), sha256: 'B'.repeat(64) };
    for (const [field, value] of Object.entries(hashes)) {
      const r = await call(sandbox, 'POST', '/v2/indicators/files', {
        body: JSON.stringify({ [field]: value }),
      });
      success(r, 201);
      assert.ok(patterns.some((p) => p.test(value)));
    }
    for (const [field, value] of [
      ['md5', 'abc123'],
      ['sha1', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['sha256', 'zz'.repeat(32)],
    ] as const) {
      const r = await call(sandbox, 'POST', '/v2/indicators/files', {
        body: JSON.stringify({ [field]: value }),
      });
      failure(r, 400, `Please enter a valid ${field.toUpperCase()}: ${value}`);
      assert.ok(!new RegExp(HEX[field]).test(value));
    }
  });
});
