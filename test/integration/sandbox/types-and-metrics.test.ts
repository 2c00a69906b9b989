/**
 * Owner metrics, members, attribute and association types, custom indicator types given as a sandbox
 * option, adversary assets and typed indicator-to-indicator associations, over HTTP (rest-api-v2.md 5,
 * 6.1, 7.4, 9, 10; docs/decisions.md "Owners, metadata types and custom types").
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, SandboxOptionsError, startSandbox } from '../../../src/sandbox/index.js';
import { NOT_FOUND, done, failure, item, success } from '../../helpers/api.js';
import { serverNow, withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, call } from '../../helpers/signer.js';

/** The second custom type of these tests: two value fields. */
const REGISTRY_KEY = {
  name: 'Registry Key',
  apiBranch: 'registryKeys',
  apiEntity: 'registryKey',
  casePreference: 'sensitive' as const,
  value1Label: 'Key Name',
  value1Type: 'text',
  value2Label: 'Value Name',
  value2Type: 'text',
};

describe('owners, types and assets', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({
      indicatorTypes: [REGISTRY_KEY],
      clock: () => Date.parse('2024-03-10T12:00:00Z'),
    });
  });
  after(async () => {
    await sandbox.close();
  });
  // The server clock is fixed (2024-03-10): every call is signed with its time.
  const send = (method: string, path: string, body?: unknown, options: CallOptions = {}) =>
    call(sandbox, method, path, {
      timestamp: serverNow(sandbox),
      ...options,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = (path: string, options: CallOptions = {}) => send('GET', path, undefined, options);

  describe('owner metrics', () => {
    it('answers /v2/owners/metrics with one entry per accessible owner, no resultCount, computed from the data', async () => {
      const data = success(await get('/v2/owners/metrics'));
      assert.deepEqual(Object.keys(data), ['ownerMetric']);
      const metrics = data.ownerMetric as Record<string, unknown>[];
      assert.equal(metrics.length, 3);
      const community = metrics[1] as Record<string, number | string>;
      assert.equal(community.metricDate, '2024-03-10');
      assert.equal('ownerId' in community || 'id' in community, false);
      // Counted independently from the listings of the same owner.
      const total = async (path: string) =>
        success(await get(`${path}?owner=Example%20Community`)).resultCount as number;
      assert.equal(community.totalHost, await total('/v2/indicators/hosts'));
      assert.equal(community.totalAdversary, await total('/v2/groups/adversaries'));
      assert.equal(community.totalGroup, await total('/v2/groups'));
      assert.equal(community.totalTask, await total('/v2/tasks'));
      assert.equal(community.totalTag, await total('/v2/tags'));
      assert.ok((community.totalIndicator as number) >= (await total('/v2/indicators')));
      for (const key of [
        'averageIndicatorRating',
        'averageIndicatorConfidence',
        'totalObservation',
        'totalFalsePositive',
      ])
        assert.equal(typeof community[key], 'number', key);
      assert.ok((community.averageIndicatorConfidence as number) > 0);
    });

    it('answers /v2/owners/{id}/metrics with the last 30 days, oldest first, and a new indicator counted today', async () => {
      const before = success(await get('/v2/owners/1/metrics')).ownerMetric as Record<
        string,
        number | string
      >[];
      assert.equal(before.length, 30);
      assert.equal(before[0]?.metricDate, '2024-02-10');
      assert.equal(before[29]?.metricDate, '2024-03-10');
      const hosts = Number(before.at(-1)?.totalHost);
      item(await send('POST', '/v2/indicators/hosts', { hostName: 'metrics.example.org' }), 'host', 201);
      const later = success(await get('/v2/owners/1/metrics')).ownerMetric as Record<string, number>[];
      assert.equal(later[29]?.totalHost, hosts + 1);
      assert.equal(later[28]?.totalHost, before[28]?.totalHost, 'yesterday is unchanged');

      // Observations and false positives of the owner's indicators count on the day they are made.
      const host = '/v2/indicators/hosts/metrics.example.org';
      assert.ok([200, 204].includes((await send('POST', `${host}/observations`, { count: 3 })).status));
      success(await send('POST', `${host}/falsePositive`));
      const now = success(await get('/v2/owners/1/metrics')).ownerMetric as Record<string, number>[];
      const grew = (key: string): number => Number(now[29]?.[key]) - Number(later[29]?.[key]);
      assert.equal(grew('totalObservation'), 3);
      assert.equal(grew('totalObservationDaily'), 3);
      assert.equal(grew('totalObservationHost'), 3);
      assert.equal(grew('totalObservationIndicator'), 1);
      assert.equal(grew('totalFalsePositive'), 1);
      assert.equal(grew('totalFalsePositiveDaily'), 1);
      assert.equal(grew('totalObservationAddress'), 0);
    });

    it('refuses unknown owners (404) and owners out of reach (403)', async () => {
      failure(await get('/v2/owners/99/metrics'), 404, NOT_FOUND);
      failure(await get('/v2/owners/x/metrics'), 404, NOT_FOUND);
      const restricted = {
        accessId: sandbox.restrictedUser.accessId,
        secretKey: sandbox.restrictedUser.secretKey,
      };
      failure(await get('/v2/owners/2/metrics', restricted), 403, 'Access Denied');
      const mine = success(await get('/v2/owners/metrics', restricted)).ownerMetric as unknown[];
      assert.equal(mine.length, 1);
    });
  });

  describe('attribute and association types', () => {
    it('lists the attribute types and reads one by name, any case', async () => {
      const data = success(await get('/v2/types/attributeTypes'));
      const types = data.attributeType as Record<string, unknown>[];
      assert.equal(data.resultCount, types.length);
      const names = types.map((t) => t.name);
      for (const name of ['Description', 'Source', 'Additional Analysis and Context'])
        assert.ok(names.includes(name));
      const description = item(await get('/v2/types/attributeTypes/description'), 'attributeType');
      assert.deepEqual(Object.keys(description).sort(), [
        'allowMarkdown',
        'description',
        'errorMessage',
        'maxSize',
        'name',
        'system',
      ]);
      assert.equal(description.name, 'Description');
      const dated = item(
        await get('/v2/types/attributeTypes/First%20Seen?includes=validationRule'),
        'attributeType',
      );
      assert.equal((dated.validationRule as { type: string }).type, 'regex');
      failure(await get('/v2/types/attributeTypes/Nope'), 404, NOT_FOUND);
    });

    it('accepts exactly the listed attribute types, within their size and rule', async () => {
      const path = '/v2/indicators/hosts/metrics.example.org/attributes';
      await send('POST', '/v2/indicators/hosts', { hostName: 'metrics.example.org' });
      const added = item(
        await send('POST', path, { type: 'targeted industry', value: 'Energy' }),
        'attribute',
        201,
      );
      assert.equal(added.type, 'Targeted Industry');
      failure(
        await send('POST', path, { type: 'Nope', value: 'x' }),
        400,
        'The requested attribute type was not found',
      );
      failure(
        await send('POST', path, { type: 'First Seen', value: 'yesterday' }),
        400,
        'Please enter a valid First Seen: A date such as 2024-01-02 or 2024-01-02T03:04:05Z',
      );
      failure(
        await send('POST', path, { type: 'Title', value: 'x'.repeat(501) }),
        400,
        'The value for this Title attribute is invalid, it may have at most 500 characters',
      );
      failure(
        await send('PUT', `${path}/${added.id}`, { value: 'y'.repeat(501) }),
        400,
        'The value for this Targeted Industry attribute is invalid, it may have at most 500 characters',
      );
    });

    it('lists the association types and reads one by name or apiBranch', async () => {
      const types = success(await get('/v2/types/associationTypes')).associationType as Record<
        string,
        string
      >[];
      assert.deepEqual(
        types.find((t) => t.apiBranch === 'asnToAddress'),
        {
          name: 'ASN to Address',
          custom: 'true',
          fileAction: 'false',
          apiBranch: 'asnToAddress',
        },
      );
      assert.equal(types.find((t) => t.apiBranch === 'dnsQuery')?.fileAction, 'true');
      assert.deepEqual(
        item(await get('/v2/types/associationTypes/DNS%20PTR%20Record'), 'associationType').apiBranch,
        'dnsPtrRecord',
      );
      assert.deepEqual(
        item(await get('/v2/types/associationTypes/urlHost'), 'associationType').name,
        'URL Host',
      );
      failure(await get('/v2/types/associationTypes/nope'), 404, NOT_FOUND);
    });
  });

  describe('custom indicator types', () => {
    it('lists the option type beside the base types and ASN, and reads it by entity', async () => {
      const types = success(await get('/v2/types/indicatorTypes')).indicatorType as Record<string, string>[];
      assert.deepEqual(
        types.map((t) => t.apiBranch),
        ['addresses', 'emailAddresses', 'files', 'hosts', 'urls', 'asns', 'registryKeys'],
      );
      assert.deepEqual(item(await get('/v2/types/indicatorTypes/registryKey'), 'indicatorType'), {
        name: 'Registry Key',
        custom: 'true',
        parsable: 'false',
        apiBranch: 'registryKeys',
        apiEntity: 'registryKey',
        casePreference: 'sensitive',
        value1Label: 'Key Name',
        value1Type: 'text',
        value2Label: 'Value Name',
        value2Type: 'text',
      });
    });

    it('creates, reads, lists, updates and deletes an indicator of the option type on its apiBranch', async () => {
      const created = item(
        await send('POST', '/v2/indicators/registryKeys?owner=Example%20Community', {
          'Key Name': 'HKEY_LOCAL_MACHINE\\Software\\Run',
          'Value Name': 'updater',
          rating: 3,
        }),
        'registryKey',
        201,
      );
      assert.equal(created.type, 'Registry Key');
      assert.equal(created['Key Name'], 'HKEY_LOCAL_MACHINE\\Software\\Run');
      assert.equal(created['Value Name'], 'updater');
      const path = `/v2/indicators/registryKeys/${encodeURIComponent('HKEY_LOCAL_MACHINE\\Software\\Run : updater')}`;
      assert.equal(item(await get(`${path}?owner=Example%20Community`), 'registryKey').id, created.id);
      const typed = success(await get('/v2/indicators/registryKeys?owner=Example%20Community'));
      assert.deepEqual(
        (typed.registryKey as Record<string, unknown>[]).map((i) => [
          i['Key Name'],
          i['Value Name'],
          i.ownerName,
        ]),
        [['HKEY_LOCAL_MACHINE\\Software\\Run', 'updater', 'Example Community']],
      );
      const generic = success(await get('/v2/indicators?owner=Example%20Community&resultLimit=500'))
        .indicator as Record<string, unknown>[];
      assert.equal(
        generic.find((i) => i.id === created.id)?.summary,
        'HKEY_LOCAL_MACHINE\\Software\\Run : updater',
      );
      const updated = item(
        await send('PUT', `${path}?owner=Example%20Community`, { confidence: 40 }),
        'registryKey',
      );
      assert.equal(updated.confidence, 40);
      failure(
        await send('POST', '/v2/indicators/registryKeys', { 'Key Name': 'HKEY_X' }),
        400,
        'The Value Name for this Registry Key is invalid',
      );
      done(await send('DELETE', `${path}?owner=Example%20Community`));
      failure(await get(`${path}?owner=Example%20Community`), 404, NOT_FOUND);
    });

    it('refuses bad indicatorTypes options with SandboxOptionsError', async () => {
      const cases: [unknown, string][] = [
        ['x', '`indicatorTypes` must be an array of type definitions'],
        [
          [{ ...REGISTRY_KEY, apiBranch: 'hosts' }],
          'indicatorTypes: the apiBranch "hosts" of "Registry Key" is already the type "Host"\'s',
        ],
        [
          [{ name: 'Mutex', apiBranch: 'mutexes', apiEntity: 'mutex' }],
          'indicatorTypes[0].value1Label is required',
        ],
        [
          [{ ...REGISTRY_KEY, value2Label: 'summary' }],
          'indicatorTypes[0].value2Label must be a distinct label (letters, digits, spaces) that is no indicator field, got "summary"',
        ],
        [[{ ...REGISTRY_KEY, colour: 'red' }], 'indicatorTypes[0] has an unknown key `colour`'],
      ];
      for (const [value, message] of cases) {
        await assert.rejects(
          startSandbox({ indicatorTypes: value as never }),
          (error: unknown) => error instanceof SandboxOptionsError && error.message === message,
          message,
        );
      }
    });

    it('keeps option types in the database, so a reused dbPath still serves them', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tc-types-'));
      try {
        const dbPath = join(dir, 'sandbox.db');
        const first = await withSandbox({ dbPath, indicatorTypes: [REGISTRY_KEY] });
        await first.close();
        const second = await withSandbox({ dbPath });
        try {
          const r = await call(second, 'GET', '/v2/types/indicatorTypes/registryKey');
          assert.equal(item(r, 'indicatorType').apiBranch, 'registryKeys');
        } finally {
          await second.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('adversary assets', () => {
    const base = '/v2/groups/adversaries/5/adversaryAssets';
    for (const [branch, field, key, type, value] of [
      ['handles', 'handle', 'adversaryHandle', 'Handle', 'darkseid'],
      ['phoneNumbers', 'phoneNumber', 'adversaryPhoneNumber', 'PhoneNumber', '+1 555 0100'],
      ['urls', 'url', 'adversaryUrl', 'URL', 'https://bad.example.com/'],
    ] as const) {
      it(`creates, reads, lists, updates and deletes ${branch}`, async () => {
        const created = item(await send('POST', `${base}/${branch}`, { [field]: value }), key, 201);
        assert.deepEqual(Object.keys(created).sort(), [field, 'id', 'type', 'webLink'].sort());
        assert.equal(created.type, type);
        assert.equal(created[field], value);
        assert.match(created.webLink as string, /\/auth\/adversary\/adversary\.xhtml\?adversary=5$/);
        assert.deepEqual(item(await get(`${base}/${branch}/${created.id}`), key), created);
        const typed = success(await get(`${base}/${branch}`))[key] as Record<string, unknown>[];
        assert.deepEqual(typed.at(-1), created);
        const all = success(await get(base)).bucketAsset as Record<string, unknown>[];
        assert.deepEqual(
          all.find((a) => a.id === created.id),
          {
            id: created.id,
            name: value,
            type,
            webLink: created.webLink,
          },
        );
        const updated = item(
          await send('PUT', `${base}/${branch}/${created.id}`, { [field]: `${value}2` }),
          key,
        );
        assert.equal(updated[field], `${value}2`);
        done(await send('DELETE', `${base}/${branch}/${created.id}`));
        failure(await get(`${base}/${branch}/${created.id}`), 404, NOT_FOUND);
      });
    }

    it('refuses bad bodies, other group types, unknown asset types and assets of another adversary', async () => {
      failure(
        await send('POST', `${base}/handles`, { handle: '' }),
        400,
        'The handle for this Handle is invalid',
      );
      failure(
        await send('POST', `${base}/handles`, { url: 'x' }),
        400,
        'The handle for this Handle is invalid',
      );
      failure(
        await send('POST', `${base}/urls`, { url: 'a\u0000b' }),
        400,
        'The url for this URL is invalid, it may not contain control characters',
      );
      failure(await get('/v2/groups/threats/38/adversaryAssets'), 404, NOT_FOUND);
      failure(await get(`${base}/emails`), 404, NOT_FOUND);
      failure(await get('/v2/groups/adversaries/99999/adversaryAssets'), 404, NOT_FOUND);
      const created = item(await send('POST', `${base}/handles`, { handle: 'mine' }), 'adversaryHandle', 201);
      failure(await get(`/v2/groups/adversaries/700/adversaryAssets/handles/${created.id}`), 404, NOT_FOUND);
      failure(await get(`${base}/urls/${created.id}`), 404, NOT_FOUND);
    });

    it('drops the assets with their adversary', async () => {
      const adversary = item(
        await send('POST', '/v2/groups/adversaries', { name: 'Short lived' }),
        'adversary',
        201,
      );
      const path = `/v2/groups/adversaries/${adversary.id}/adversaryAssets`;
      item(await send('POST', `${path}/handles`, { handle: 'gone' }), 'adversaryHandle', 201);
      done(await send('DELETE', `/v2/groups/adversaries/${adversary.id}`));
      failure(await get(path), 404, NOT_FOUND);
    });
  });

  describe('typed indicator-to-indicator associations', () => {
    const asn = '/v2/indicators/asns/ASN64500';
    it('links an ASN to an address both ways, lists it generic and typed, and unlinks it', async () => {
      await send('POST', '/v2/indicators/addresses', { ip: '192.0.2.77' });
      done(await send('POST', `${asn}/associations/asnToAddress/indicators/addresses/192.0.2.77`), 201);
      const generic = success(await get(`${asn}/associations/asnToAddress/indicators`));
      assert.equal(generic.resultCount, 1);
      const [linked] = generic.indicator as Record<string, unknown>[];
      assert.equal(linked?.summary, '192.0.2.77');
      assert.equal(linked.type, 'Address');
      const typed = success(await get(`${asn}/associations/asnToAddress/indicators/addresses`));
      assert.equal((typed.address as Record<string, unknown>[])[0]?.ip, '192.0.2.77');
      const one = item(
        await get(`${asn}/associations/asnToAddress/indicators/addresses/192.0.2.77`),
        'address',
      );
      assert.equal(one.ip, '192.0.2.77');
      // Symmetric: the address lists the ASN.
      const back = success(
        await get('/v2/indicators/addresses/192.0.2.77/associations/asnToAddress/indicators/asns'),
      );
      assert.equal((back.asn as Record<string, unknown>[])[0]?.['AS Number'], 'ASN64500');
      // Other association types and the plain pivot do not show it.
      assert.equal(success(await get(`${asn}/associations/asnToCidr/indicators`)).resultCount, 0);
      done(
        await send(
          'DELETE',
          '/v2/indicators/addresses/192.0.2.77/associations/asnToAddress/indicators/asns/ASN64500',
        ),
      );
      assert.equal(success(await get(`${asn}/associations/asnToAddress/indicators`)).resultCount, 0);
      failure(
        await send('DELETE', `${asn}/associations/asnToAddress/indicators/addresses/192.0.2.77`),
        404,
        NOT_FOUND,
      );
    });

    it('links a file to a host by the dnsQuery file action, from the file only', async () => {
      const md5 = 'A'.repeat(32);
      await send('POST', '/v2/indicators/files', { md5 });
      await send('POST', '/v2/indicators/hosts', { hostName: 'c2.example.org' });
      done(
        await send('POST', `/v2/indicators/files/${md5}/actions/dnsQuery/indicators/hosts/c2.example.org`),
        201,
      );
      const hosts = success(
        await get(`/v2/indicators/files/${md5.toLowerCase()}/actions/dnsQuery/indicators/hosts`),
      );
      assert.equal((hosts.host as Record<string, unknown>[])[0]?.hostName, 'c2.example.org');
      failure(await get('/v2/indicators/hosts/c2.example.org/actions/dnsQuery/indicators'), 404, NOT_FOUND);
      failure(
        await send('POST', `/v2/indicators/files/${md5}/actions/dnsQuery/indicators/addresses/192.0.2.77`),
        400,
        'Invalid association, a File cannot be associated with an Address by File DNS Query',
      );
      // Deleting the host drops the link.
      done(await send('DELETE', '/v2/indicators/hosts/c2.example.org'));
      assert.equal(
        success(await get(`/v2/indicators/files/${md5}/actions/dnsQuery/indicators`)).resultCount,
        0,
      );
    });

    it('refuses pairs the type does not link, unknown types and missing indicators', async () => {
      failure(
        await send('POST', `${asn}/associations/asnToAddress/indicators/hosts/metrics.example.org`),
        400,
        'Invalid association, an ASN cannot be associated with a Host by ASN to Address',
      );
      failure(await send('POST', `${asn}/associations/nope/indicators/addresses/192.0.2.77`), 404, NOT_FOUND);
      failure(
        await send('POST', `${asn}/associations/dnsQuery/indicators/hosts/metrics.example.org`),
        404,
        NOT_FOUND,
      );
      failure(
        await send('POST', `${asn}/associations/asnToAddress/indicators/addresses/198.51.100.250`),
        404,
        NOT_FOUND,
      );
      failure(await send('POST', `${asn}/associations/asnToAddress/indicators`), 404, NOT_FOUND);
      failure(await get('/v2/indicators/asns/ASN1/associations/asnToAddress/indicators'), 404, NOT_FOUND);
    });
  });
});

describe('anonymous members', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ anonymousMembers: true });
  });
  after(async () => {
    await sandbox.close();
  });

  it('answers /v2/owners/mine/members un-enveloped with pseudonyms, paged', async () => {
    const r = await call(sandbox, 'GET', '/v2/owners/mine/members');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      anonymous: true,
      status: 'Success',
      resultCount: 2,
      members: [{ pseudonym: 'Member 1' }, { pseudonym: 'Member 2' }],
    });
    const second = await call(sandbox, 'GET', '/v2/owners/mine/members?resultStart=1&resultLimit=1');
    assert.deepEqual(second.json(), {
      anonymous: true,
      status: 'Success',
      members: [{ pseudonym: 'Member 2' }],
    });
    const me = await call(sandbox, 'GET', '/v2/whoami');
    assert.equal((me.json() as { data: { user: { pseudonym: string } } }).data.user.pseudonym, 'Member 1');
  });

  it('refuses a non-boolean anonymousMembers option', async () => {
    await assert.rejects(startSandbox({ anonymousMembers: 'yes' as never }), {
      name: 'SandboxOptionsError',
      message: '`anonymousMembers` must be a boolean, got "yes"',
    });
  });
});
