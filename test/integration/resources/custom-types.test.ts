/**
 * Custom indicator types end to end against the sandbox (rest-api-v2.md 6.1, decisions.md 1.7 and 3.1):
 * the type table read once per client, typed filters of a custom type, commit (create and update), the
 * output formats; with the sandbox's ASN and a second, two-field type given as a sandbox option. Also
 * `tc.types()`, owner metrics and members, adversary assets and typed indicator associations.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  FilterOperator,
  IndicatorType,
  NotFoundError,
  RequestObject,
  ServerError,
  ThreatConnect,
  ValidationError,
  formatCef,
  fromApiIndicator,
} from '../../../src/index.js';
import type { Indicator } from '../../../src/index.js';
import { setRules, useSandboxClient } from '../../helpers/sandbox.js';
import { resetSandbox, targets } from './support.js';

const REGISTRY_KEY = {
  name: 'Registry Key',
  apiBranch: 'registryKeys',
  apiEntity: 'registryKey',
  value1Label: 'Key Name',
  value2Label: 'Value Name',
};
const ORG = 'Example Org';

describe('custom indicator types and the instance tables', () => {
  const fixture = useSandboxClient({ sandbox: { indicatorTypes: [REGISTRY_KEY] } });
  let tc: ThreatConnect;
  before(() => {
    tc = fixture.client();
  });
  const page = 'resultLimit=200&resultStart=0';

  describe('the type table', () => {
    it('is read once per client, shared by concurrent callers, and lists every type', async () => {
      await resetSandbox(fixture.sandbox);
      const fresh = fixture.client();
      const [a, b] = await Promise.all([fresh.types().indicatorTypes(), fresh.types().indicatorTypes()]);
      await fresh.types().indicatorType('asn');
      assert.deepEqual(a, b);
      assert.deepEqual(
        a.map((k) => [k.type, k.branch, k.entity, k.valueFields, k.indicatorType]),
        [
          ['Address', 'addresses', 'address', ['ip'], IndicatorType.ADDRESSES],
          ['EmailAddress', 'emailAddresses', 'emailAddress', ['address'], IndicatorType.EMAIL_ADDRESSES],
          ['File', 'files', 'file', ['md5', 'sha1', 'sha256'], IndicatorType.FILES],
          ['Host', 'hosts', 'host', ['hostName'], IndicatorType.HOSTS],
          ['URL', 'urls', 'url', ['text'], IndicatorType.URLS],
          ['ASN', 'asns', 'asn', ['AS Number'], IndicatorType.CUSTOM_INDICATORS],
          [
            'Registry Key',
            'registryKeys',
            'registryKey',
            ['Key Name', 'Value Name'],
            IndicatorType.CUSTOM_INDICATORS,
          ],
        ],
      );
      assert.deepEqual(await targets(fixture.sandbox), [
        `/v2/types/indicatorTypes?createActivityLog=false&${page}`,
      ]);
    });

    it('finds a type by apiEntity, apiBranch or name, and names the known ones otherwise', async () => {
      for (const id of ['registryKey', 'registryKeys', 'Registry Key'])
        assert.equal((await tc.types().indicatorType(id)).branch, 'registryKeys');
      await assert.rejects(tc.types().indicatorType('mutex'), {
        name: 'ValidationError',
        message:
          '"mutex" is not an indicator type of this instance: give the apiEntity, apiBranch or name of one of address (Address), emailAddress (EmailAddress), file (File), host (Host), url (URL), asn (ASN), registryKey (Registry Key)',
      });
    });
  });

  describe('commit, retrieval and formats', () => {
    let created: Indicator;
    it('creates and updates an indicator of a two-field type from its " : " value', async () => {
      const kind = await tc.types().indicatorType('registryKey');
      created = tc.indicators().add('HKEY_CURRENT_USER\\Run : updater', ORG, kind);
      created.setRating(3);
      await created.commit();
      assert.ok(created.id > 0);
      assert.deepEqual(created.values['Key Name'], 'HKEY_CURRENT_USER\\Run');
      assert.equal(created.summary, 'HKEY_CURRENT_USER\\Run : updater');
      await resetSandbox(fixture.sandbox);
      created.setConfidence(55);
      await created.commit();
      assert.equal(created.confidence, 55);
      assert.deepEqual(await targets(fixture.sandbox), [
        '/v2/indicators/registryKeys/HKEY_CURRENT_USER%5CRun%20%3A%20updater?createActivityLog=false&owner=Example+Org',
      ]);
      assert.throws(() => tc.indicators().add('only one part', ORG, kind), {
        name: 'ValidationError',
        message: `"only one part" is not a Registry Key value: give 2 values joined by ' : ' (Key Name, Value Name)`,
      });
    });

    it('retrieves a custom type with addFilter(IndicatorType.CUSTOM_INDICATORS, apiEntity), from its apiBranch', async () => {
      await resetSandbox(fixture.sandbox);
      const fresh = fixture.client();
      const container = fresh.indicators();
      container.addFilter(IndicatorType.CUSTOM_INDICATORS, 'registryKey').addOwner(ORG);
      await container.retrieve();
      const found = [...container][0];
      assert.ok(found);
      assert.equal(container.length, 1);
      assert.equal(found.id, created.id);
      assert.equal(found.kind?.branch, 'registryKeys');
      assert.deepEqual(found.values, { 'Key Name': 'HKEY_CURRENT_USER\\Run', 'Value Name': 'updater' });
      assert.deepEqual(await targets(fixture.sandbox), [
        `/v2/types/indicatorTypes?createActivityLog=false&${page}`,
        `/v2/indicators/registryKeys?createActivityLog=false&owner=Example+Org&${page}`,
      ]);
    });

    it('keeps the API filters of a custom typed filter object on its branch (tag pivot, ASN by kind)', async () => {
      await created.addTag('REGKEY').commit();
      const byTag = tc.indicators();
      byTag.addFilter(IndicatorType.CUSTOM_INDICATORS, 'Registry Key').addOwner(ORG).addTag('REGKEY');
      await byTag.retrieve();
      assert.deepEqual(
        [...byTag].map((i) => i.id),
        [created.id],
      );
      const asn = await tc.types().indicatorType('asn');
      const byKind = tc.indicators();
      byKind.addFilter(asn).addOwner('Example Community').addPfConfidence(0, FilterOperator.GT);
      await resetSandbox(fixture.sandbox);
      await byKind.retrieve();
      assert.ok([...byKind].every((i) => i.type === 'ASN' && /^ASN\d+$/.test(i.values['AS Number'] ?? '')));
      assert.ok(byKind.length >= 1);
      assert.deepEqual(await targets(fixture.sandbox), [
        `/v2/indicators/asns?createActivityLog=false&owner=Example+Community&${page}`,
      ]);
    });

    it('reads generic items of a custom type into its value fields', async () => {
      const all = tc.indicators();
      all.addFilter().addOwner(ORG);
      await all.retrieve();
      const found = [...all].find((i) => i.id === created.id);
      assert.ok(found);
      assert.deepEqual(found.values['Value Name'], 'updater');
      assert.equal(found.kind?.type, 'Registry Key');
      // The custom item waits for the type table; the items after it in its page are neither lost
      // nor reordered.
      const after = tc.indicators().add('after-the-custom-item.example.com', ORG);
      await after.commit();
      const again = tc.indicators();
      again.addFilter().addOwner(ORG);
      await again.retrieve();
      const raw: number[] = [];
      const listing = new RequestObject().setHttpMethod('GET').setOwner(ORG).setRequestUri('/v2/indicators');
      for await (const p of tc.apiRequestPages<{ id: number }>(listing))
        for (const item of p.items) raw.push(item.id);
      assert.ok(raw.indexOf(created.id) < raw.length - 1, 'the custom item is not the last of the listing');
      assert.deepEqual(
        [...again].map((i) => i.id),
        raw,
      );
      await after.delete();
    });

    it('refuses CUSTOM_INDICATORS without an apiEntity at once, and an unknown one at retrieval', async () => {
      assert.throws(() => tc.indicators().addFilter(IndicatorType.CUSTOM_INDICATORS as never), {
        name: 'ValidationError',
        message:
          "addFilter(IndicatorType.CUSTOM_INDICATORS, apiEntity): give the custom type's apiEntity (such as 'asn'), got undefined",
      });
      const container = tc.indicators();
      container.addFilter(IndicatorType.CUSTOM_INDICATORS, 'mutex');
      await assert.rejects(container.retrieve(), (e: unknown) => {
        return (
          e instanceof ValidationError &&
          e.message.startsWith('"mutex" is not an indicator type of this instance')
        );
      });
      assert.equal(container.length, 0);
    });

    it('prints custom types in every format with their value from the type definition', async () => {
      const asnKind = await tc.types().indicatorType('asn');
      const asn = tc.indicators().add('ASN65010', ORG, asnKind);
      await asn.commit();
      for (const [indicator, value] of [
        [asn, 'ASN65010'],
        [created, 'HKEY_CURRENT_USER\\Run : updater'],
      ] as const) {
        const cefValue = value.replace(/\\/g, '\\\\');
        assert.ok(
          indicator.cef.includes(` cs4Label=summary cs4=${cefValue} externalId=${indicator.id} `),
          indicator.cef,
        );
        assert.ok(
          indicator.cef.startsWith(
            `CEF:0|threatconnect|threatconnect|2|${indicator.id}|${indicator.type} indicator|`,
          ),
        );
        assert.ok(
          indicator.leef.includes(`\tsummary=${value}\t`) || indicator.leef.includes(`summary=${value}`),
          indicator.leef,
        );
        assert.ok(
          indicator.keyval.includes(` summary="${value.replace(/\\/g, '\\\\')}" type="${indicator.type}"`),
          indicator.keyval,
        );
        assert.equal(indicator.data.summary, value);
        assert.equal((JSON.parse(indicator.json) as { summary: string }).summary, value);
        assert.equal(indicator.csv.split(',')[4], value);
      }
      // A typed listing item has no summary: the definition's value fields make it, in their order.
      const record = fromApiIndicator(
        { id: 9, 'Value Name': 'updater', 'Key Name': 'HKEY_X', ownerName: ORG },
        'Registry Key',
        { valueFields: ['Key Name', 'Value Name'] },
      );
      assert.ok(formatCef(record).includes('cs4Label=summary cs4=HKEY_X : updater '));
    });
  });

  it('a failed read of the association types fails each waiting commit with its own step', async () => {
    const fresh = fixture.client({ apiRetries: 0 });
    const asnKind = await fresh.types().indicatorType('asn');
    const [a, b] = ['ASN65031', 'ASN65032'].map((value) => fresh.indicators().add(value, ORG, asnKind));
    assert.ok(a && b);
    await Promise.all([a.commit(), b.commit()]);
    a.associateIndicator('asnToAddress', IndicatorType.ADDRESSES, '10.9.9.1');
    b.associateIndicator('asnToAddress', IndicatorType.ADDRESSES, '10.9.9.2');
    await setRules(fixture.sandbox, {
      kind: 'status',
      status: 500,
      pathPrefix: '/v2/types/associationTypes',
    });
    try {
      const [ra, rb] = await Promise.allSettled([a.commit(), b.commit()]);
      assert.ok(ra.status === 'rejected' && rb.status === 'rejected');
      // One shared failure used to be prefixed by both commits: each message named the other's step too.
      for (const [r, value, ip] of [
        [ra, 'ASN65031', '10.9.9.1'],
        [rb, 'ASN65032', '10.9.9.2'],
      ] as const) {
        assert.ok(r.reason instanceof ServerError);
        assert.match(
          r.reason.message,
          new RegExp(
            `^ASN "${value}": associateIndicator\\(asnToAddress, addresses/${ip.replaceAll('.', '\\.')}\\) failed: [^:]*$`,
          ),
        );
      }
      assert.notEqual(ra.reason, rb.reason);
    } finally {
      await setRules(fixture.sandbox);
    }
  });

  describe('owners, types and assets', () => {
    it("reads owner metrics, one owner's 30 days and the members", async () => {
      const metrics = await tc.owners().metrics();
      assert.equal(metrics.length, 3);
      assert.ok(
        metrics.every(
          (m) => /^\d{4}-\d{2}-\d{2}$/.test(m.metricDate) && typeof m.totalIndicator === 'number',
        ),
      );
      const owners = tc.owners();
      await owners.retrieve();
      const org = [...owners].find((o) => o.name === ORG);
      assert.ok(org);
      const days = await org.metrics();
      assert.equal(days.length, 30);
      assert.equal(days.at(-1)?.totalHost, metrics[0]?.totalHost);
      assert.deepEqual(await tc.owners().members(), {
        anonymous: false,
        users: [
          { userName: 'sandbox.analyst', firstName: 'Sam', lastName: 'Analyst' },
          { userName: 'sandbox.restricted', firstName: 'Riley', lastName: 'Restricted' },
        ],
      });
      const paged = fixture.client({ apiResultLimit: 1 });
      const pagedMembers = await paged.owners().members();
      assert.ok(!pagedMembers.anonymous);
      assert.equal(pagedMembers.users.length, 2);
    });

    it('reads attribute and association types', async () => {
      const attributes = await tc.types().attributeTypes();
      assert.ok(
        attributes.some((a) => a.name === 'Description' && a.maxSize === 65536 && a.allowMarkdown === true),
      );
      const firstSeen = await tc.types().attributeType('First Seen', { validationRule: true });
      assert.equal(firstSeen.validationRule?.type, 'regex');
      await assert.rejects(tc.types().attributeType('Nope'), NotFoundError);
      const associations = await tc.types().associationTypes();
      assert.deepEqual(
        associations.find((a) => a.apiBranch === 'dnsQuery'),
        { name: 'File DNS Query', apiBranch: 'dnsQuery', custom: false, fileAction: true },
      );
      assert.equal((await tc.types().associationType('asnToAddress')).custom, true);
      // A dot segment is refused before sending: `/v2/types/attributeTypes/..` would reach `/v2/types`.
      for (const name of ['.', '..']) {
        for (const read of [() => tc.types().attributeType(name), () => tc.types().associationType(name)]) {
          await assert.rejects(read(), {
            name: 'ValidationError',
            message: `${JSON.stringify(name)} cannot be a name in a request path: URL parsers read "." and ".." as dot segments, so the request would reach another resource`,
          });
        }
      }
    });

    it('adds, lists, updates and deletes adversary assets', async () => {
      const adversary = tc.adversaries().add('Asset holder', ORG);
      await assert.rejects(adversary.assets().list(), {
        name: 'ValidationError',
        message: 'Adversary (new) "Asset holder" has not been committed yet: commit() it before assets()',
      });
      await adversary.commit();
      const assets = adversary.assets();
      const handle = await assets.add('handle', 'n0body');
      const phone = await assets.add('phoneNumber', '+1 555 0199');
      const url = await assets.add('url', 'https://evil.example.com/');
      assert.deepEqual([handle.type, phone.type, url.type], ['Handle', 'PhoneNumber', 'URL']);
      assert.deepEqual(
        (await assets.list()).map((a) => [a.id, a.type, a.value]),
        [
          [handle.id, 'Handle', 'n0body'],
          [phone.id, 'PhoneNumber', '+1 555 0199'],
          [url.id, 'URL', 'https://evil.example.com/'],
        ],
      );
      assert.deepEqual(
        (await assets.list('url')).map((a) => a.value),
        ['https://evil.example.com/'],
      );
      assert.equal((await assets.update('handle', handle.id, 'somebody')).value, 'somebody');
      assert.equal((await assets.get('handle', handle.id)).value, 'somebody');
      await assets.delete('handle', handle.id);
      await assert.rejects(assets.get('handle', handle.id), NotFoundError);
      await assert.rejects(assets.add('email' as never, 'x'), {
        name: 'ValidationError',
        message: `adversary asset type must be 'handle', 'phoneNumber' or 'url', got "email"`,
      });
      assert.throws(() => tc.threats().add('T', ORG).assets(), {
        name: 'ValidationError',
        message: 'assets() applies to adversaries only, not to Threat (new) "T"',
      });
    });

    it('associates indicators by a custom association type and a file action', async () => {
      const asnKind = await tc.types().indicatorType('asn');
      const asn = tc.indicators().add('ASN65020', ORG, asnKind);
      asn.associateIndicator('asnToAddress', IndicatorType.ADDRESSES, '10.20.30.40');
      await asn.commit();
      const linked = await asn.associatedIndicators('asnToAddress');
      assert.deepEqual(
        linked.map((i) => [i.type, i.summary]),
        [['Address', '10.20.30.40']],
      );
      const typed = await asn.associatedIndicators('ASN to Address', { type: IndicatorType.ADDRESSES });
      assert.deepEqual(
        typed.map((i) => i.values.ip),
        ['10.20.30.40'],
      );

      const file = tc.indicators().add('B'.repeat(32), ORG);
      const host = tc.indicators().add('c2.custom.example', ORG);
      await host.commit();
      file.associateIndicator('dnsQuery', host);
      await file.commit();
      assert.deepEqual(
        (await file.associatedIndicators('dnsQuery')).map((i) => i.summary),
        ['c2.custom.example'],
      );
      file.disassociateIndicator('dnsQuery', host);
      await file.commit();
      assert.deepEqual(await file.associatedIndicators('dnsQuery'), []);

      // One request names both ends by value with one owner, so the two must share it.
      const message = (other: string) =>
        `ASN "ASN65020": associateIndicator(asnToAddress, ${other}): a typed association links two indicators of one owner, and this one is in "Example Org", the other in "Example Community"`;
      assert.throws(
        () =>
          asn.associateIndicator('asnToAddress', IndicatorType.ADDRESSES, '10.20.30.40', 'Example Community'),
        { name: 'ValidationError', message: message('addresses/10.20.30.40') },
      );
      const community = tc.indicators().add('10.20.30.41', 'Example Community');
      assert.throws(() => asn.associateIndicator('asnToAddress', community), {
        name: 'ValidationError',
        message: message(community.label),
      });
      assert.deepEqual(asn.pendingChanges, []);

      asn.associateIndicator('nope', IndicatorType.ADDRESSES, '10.20.30.40');
      await assert.rejects(asn.commit(), (e: unknown) => {
        return (
          e instanceof ValidationError &&
          e.message.startsWith(
            'ASN "ASN65020": associateIndicator(nope, addresses/10.20.30.40) failed: "nope" is not an association type of this instance',
          )
        );
      });
      asn.discardPending();
      assert.throws(() => asn.associateIndicator(3 as never, host), {
        name: 'ValidationError',
        message:
          "association type must be an apiBranch or name (such as 'asnToAddress') or an AssociationType, got 3",
      });
    });
  });
});
