/**
 * The fixed sample records of decisions.md 2.5, read over HTTP, for two seed sizes. Counts that the
 * decisions call exact are exact at every n; the expected answers come from `sampleData(n)`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { list, success, type Item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const ids = (items: readonly { id: number }[]): number[] => items.map((i) => i.id).sort((a, b) => a - b);

/** The five records of python-sdk-observed.md section 2, exactly as recorded. */
const RECORDED_APT = [
  '{"id":355999,"ownerName":"Example Community","type":"Host","dateAdded":"2015-06-21T10:40:33-05:00","lastModified":"2015-06-21T10:40:33-05:00","rating":1.0,"confidence":14,"webLink":"https://tc.sumx.us/auth/indicators/details/host.xhtml?host=www.badguy_014.com&owner=Example+Community","description":"TEST attribute #14","summary":"www.badguy_014.com"}',
  '{"id":356001,"ownerName":"Example Community","type":"Address","dateAdded":"2015-06-18T20:21:45-05:00","lastModified":"2015-06-19T08:00:00-05:00","rating":3.0,"confidence":50,"webLink":"https://tc.sumx.us/auth/indicators/details/address.xhtml?address=10.20.30.40&owner=Example+Community","description":"Callback \\"C2\\" address, seen=twice","summary":"10.20.30.40"}',
  '{"id":356002,"ownerName":"Example Community","type":"File","dateAdded":"2015-06-17T12:00:00-05:00","lastModified":"2015-06-17T12:00:00-05:00","rating":5.0,"confidence":90,"webLink":"https://tc.sumx.us/auth/indicators/details/file.xhtml?file=422AD421127685E3EF4A44B546258107&owner=Example+Community","summary":"422AD421127685E3EF4A44B546258107"}',
  '{"id":356003,"ownerName":"Example Community","type":"URL","dateAdded":"2015-05-01T00:00:00Z","lastModified":"2015-05-02T00:00:00Z","rating":2.5,"confidence":0,"webLink":"https://tc.sumx.us/auth/indicators/details/url.xhtml?orgid=356003&owner=Example+Community","description":"pipe | and backslash \\\\ test","summary":"http://bad.example.com/a?b=c&d=e"}',
  '{"id":356004,"ownerName":"Example Community","type":"EmailAddress","dateAdded":"2015-06-20T00:00:00-05:00","lastModified":"2015-06-20T00:00:00-05:00","webLink":"https://tc.sumx.us/auth/indicators/details/emailaddress.xhtml?emailaddress=bad%40example.com&owner=Example+Community","summary":"bad@example.com"}',
];

/** Rewrites a recorded line's ratings the way the wire carries them: two decimals. */
const twoDecimals = (line: string): string =>
  line.replace(/"rating":(\d+)\.(\d)\b/, (_, whole: string, tenth: string) => `"rating":${whole}.${tenth}0`);

for (const n of [0, 1000]) {
  describe(`fixed records with seedIndicators ${n}`, () => {
    const sample = sampleData(n);
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await withSandbox({ seedIndicators: n });
    });
    after(async () => {
      await sandbox.close();
    });
    const get = async (path: string) => call(sandbox, 'GET', path);

    it('serves host 355999 exactly: confidence 14, rating 1.00, -05:00 dates, description, webLink', async () => {
      const r = await get('/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community');
      const host = success(r).host;
      assert.deepEqual(host, {
        id: 355999,
        owner: { id: 2, name: 'Example Community', type: 'Community' },
        dateAdded: '2015-06-21T10:40:33-05:00',
        lastModified: '2015-06-21T10:40:33-05:00',
        rating: 1,
        confidence: 14,
        webLink:
          'https://tc.sumx.us/auth/indicators/details/host.xhtml?host=www.badguy_014.com&owner=Example+Community',
        description: 'TEST attribute #14',
        hostName: 'www.badguy_014.com',
        dnsActive: 'false',
        whoisActive: 'false',
      });
      assert.ok(r.text.includes('"rating":1.00,'), r.text);
      assert.ok(r.text.includes('"dateAdded":"2015-06-21T10:40:33-05:00"'));
      // Its displayed Description attribute and its APT tag.
      const attributes = list(
        await get('/v2/indicators/hosts/www.badguy_014.com/attributes?owner=Example%20Community'),
        'attribute',
      ).items;
      assert.ok(
        attributes.some(
          (a) => a.type === 'Description' && a.displayed === true && a.value === 'TEST attribute #14',
        ),
      );
      const tags = list(
        await get('/v2/indicators/hosts/www.badguy_014.com/tags?owner=Example%20Community'),
        'tag',
      ).items;
      assert.ok(tags.some((t) => t.name === 'APT'));
    });

    it('lists the five recorded APT records of Example Community with every field as recorded', async () => {
      const r = await get('/v2/tags/APT/indicators?owner=Example+Community&resultLimit=500');
      const { total, items } = list(r, 'indicator');
      const expectedTotal = sample.indicators.filter(
        (i) => i.active && i.ownerName === 'Example Community' && i.tags.includes('APT'),
      ).length;
      assert.equal(total, expectedTotal);
      assert.ok(total >= 5);
      for (const line of RECORDED_APT) {
        const recorded = JSON.parse(line) as Item;
        const served = items.find((i) => i.id === recorded.id);
        assert.ok(served, `record ${recorded.id} is listed`);
        assert.deepEqual(served, recorded);
        assert.deepEqual(Object.keys(served), Object.keys(recorded), 'same keys in the same order');
        // Byte for byte, apart from the two-decimal rating of decisions.md 2.4.
        assert.ok(r.text.includes(twoDecimals(line)), `raw text of ${recorded.id}`);
      }
    });

    it('puts TLP Red on exactly 10 indicators of Example Community', async () => {
      const { total, items } = list(
        await get('/v2/securityLabels/TLP%20Red/indicators?owner=Example+Community'),
        'indicator',
      );
      assert.equal(total, 10);
      const expected = sample.indicators.filter(
        (i) => i.ownerName === 'Example Community' && i.securityLabels.includes('TLP Red'),
      );
      assert.deepEqual(ids(items), ids(expected));
      // At least 2 are threat 38's, and at least 2 are neither threat 38's nor APT-tagged addresses.
      const threat38 = new Set(sample.groups.find((g) => g.id === 38)?.indicatorIds);
      assert.ok(items.filter((i) => threat38.has(i.id)).length >= 2);
      const other = expected.filter(
        (i) => !threat38.has(i.id) && !(i.type === 'Address' && i.tags.includes('APT')),
      );
      assert.ok(other.length >= 2);
    });

    it('puts the tag EXAMPLE on exactly 20 indicators of Example Community, addresses among them', async () => {
      const { total, items } = list(
        await get('/v2/tags/EXAMPLE/indicators?owner=Example+Community'),
        'indicator',
      );
      assert.equal(total, 20);
      assert.deepEqual(
        ids(items),
        ids(
          sample.indicators.filter((i) => i.ownerName === 'Example Community' && i.tags.includes('EXAMPLE')),
        ),
      );
      const addresses = list(
        await get('/v2/tags/EXAMPLE/indicators/addresses?owner=Example+Community'),
        'address',
      );
      assert.ok(addresses.total > 0);
      const all = new Set(items.map((i) => i.id));
      for (const a of addresses.items) {
        assert.ok(all.has(a.id));
        assert.equal(typeof a.ip, 'string');
        assert.equal(a.summary, undefined);
      }
      assert.equal(addresses.total, items.filter((i) => i.type === 'Address').length);
    });

    it('gives threat 38 eight indicators, two of them owned by Common Community', async () => {
      const { total, items } = list(await get('/v2/groups/threats/38/indicators'), 'indicator');
      assert.equal(total, 8);
      assert.deepEqual(
        ids(items),
        ids((sample.groups.find((g) => g.id === 38)?.indicatorIds ?? []).map((id) => ({ id }))),
      );
      assert.equal(items.filter((i) => i.ownerName === 'Common Community').length, 2);
      assert.equal(items.filter((i) => i.ownerName === 'Example Community').length, 6);
      const threat = success(await get('/v2/groups/threats/38')).threat as Item;
      assert.equal(threat.name, 'Example Threat');
      assert.deepEqual(threat.owner, { id: 2, name: 'Example Community', type: 'Community' });
    });

    it('serves document 19 and its content', async () => {
      const document = success(await get('/v2/groups/documents/19')).document as Item;
      assert.equal(document.fileSize, Buffer.byteLength('Example document #19 contents.\n'));
      assert.equal(document.status, 'Success');
      assert.deepEqual(document.owner, { id: 2, name: 'Example Community', type: 'Community' });
      const r = await get('/v2/groups/documents/19/download');
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/octet-stream');
      assert.deepEqual(r.body, Buffer.from('Example document #19 contents.\n', 'utf8'));
      assert.deepEqual(r.body, sample.documents.find((d) => d.groupId === 19)?.content);
    });

    it('associates victim 10 with adversaries and indicators of Example Community and the Example Org copies', async () => {
      const victim = sample.victims.find((v) => v.id === 10);
      assert.ok(victim);
      const adversaries = list(await get('/v2/victims/10/groups/adversaries'), 'adversary').items;
      const expected = victim.groupIds.filter(
        (id) => sample.groups.find((g) => g.id === id)?.type === 'Adversary',
      );
      assert.deepEqual(
        ids(adversaries),
        [...expected].sort((a, b) => a - b),
      );
      assert.ok(adversaries.some((a) => a.ownerName === 'Example Community'));
      assert.deepEqual(
        adversaries.filter((a) => a.ownerName === 'Example Org').map((a) => a.name),
        ['Bad Guy', 'Other Guy'],
      );
      const indicators = list(await get('/v2/victims/10/indicators'), 'indicator').items;
      assert.deepEqual(
        ids(indicators),
        [...victim.indicatorIds].sort((a, b) => a - b),
      );
      assert.ok(indicators.every((i) => i.ownerName === 'Example Community'));
      assert.ok(indicators.length >= 1);
    });

    it('has the Example Org copies: Bad Guy twice and Other Guy, tagged APT, dated around the filter date', async () => {
      const { items } = list(await get('/v2/tags/APT/groups/adversaries'), 'adversary');
      const named = items.filter((a) => a.name === 'Bad Guy' || a.name === 'Other Guy');
      assert.deepEqual(named.map((a) => a.name).sort(), ['Bad Guy', 'Bad Guy', 'Other Guy']);
      assert.ok(named.every((a) => a.ownerName === 'Example Org'));
      const pivot = Date.parse('2015-06-18T20:21:45-05:00');
      const dates = named.map((a) => Date.parse(a.dateAdded as string));
      assert.ok(dates.some((d) => d < pivot));
      assert.ok(dates.some((d) => d > pivot));
      // And in Example Community.
      const community = list(
        await get('/v2/tags/APT/groups/adversaries?owner=Example%20Community'),
        'adversary',
      );
      assert.deepEqual(
        community.items.filter((a) => [700, 701, 702].includes(a.id)).map((a) => [a.id, a.name]),
        [
          [700, 'Bad Guy'],
          [701, 'Other Guy'],
          [702, 'Bad Guy'],
        ],
      );
    });

    it('has address 10.20.30.40 in Example Org with its own id and two adversaries', async () => {
      const address = success(await get('/v2/indicators/addresses/10.20.30.40')).address as Item;
      assert.notEqual(address.id, 356001);
      assert.deepEqual(address.owner, { id: 1, name: 'Example Org', type: 'Organization' });
      const adversaries = list(
        await get('/v2/indicators/addresses/10.20.30.40/groups/adversaries?owner=Example+Org'),
        'adversary',
      ).items;
      assert.equal(adversaries.length, 2);
      assert.ok(adversaries.every((a) => a.ownerName === 'Example Org'));
      const community = success(await get('/v2/indicators/addresses/10.20.30.40?owner=Example+Community'))
        .address as Item;
      assert.equal(community.id, 356001);
      const communityAdversaries = list(
        await get('/v2/indicators/addresses/10.20.30.40/groups/adversaries?owner=Example+Community'),
        'adversary',
      ).items;
      assert.equal(communityAdversaries.length, 2);
    });

    it('has adversary 5 in Example Community with indicators', async () => {
      const adversary = success(await get('/v2/groups/adversaries/5')).adversary as Item;
      assert.deepEqual(adversary.owner, { id: 2, name: 'Example Community', type: 'Community' });
      const { total, items } = list(await get('/v2/groups/adversaries/5/indicators'), 'indicator');
      assert.ok(total > 0);
      assert.deepEqual(
        ids(items),
        ids((sample.groups.find((g) => g.id === 5)?.indicatorIds ?? []).map((id) => ({ id }))),
      );
    });

    it('has no incident 708996', async () => {
      const r = await get('/v2/groups/incidents/708996');
      assert.deepEqual(
        { status: r.status, body: r.json() },
        { status: 404, body: { status: 'Failure', message: 'The requested resource was not found' } },
      );
    });

    it('has the three owners', async () => {
      assert.deepEqual(success(await get('/v2/owners')).owner, [
        { id: 1, name: 'Example Org', type: 'Organization' },
        { id: 2, name: 'Example Community', type: 'Community' },
        { id: 3, name: 'Common Community', type: 'Community' },
      ]);
    });
  });
}

describe('sampleData keeps the fixed records whatever n is', () => {
  it('gives the same fixed records for n = 0 and n = 1000', () => {
    const small = sampleData(0);
    const large = sampleData(1000);
    const fixed = <T extends { id: number }>(items: readonly T[]) => items.filter((i) => i.id < 1_000_000);
    assert.deepEqual(
      fixed(large.indicators).map((i) => ({ ...i, groupIds: [], victimIds: [], taskIds: [] })),
      fixed(small.indicators).map((i) => ({ ...i, groupIds: [], victimIds: [], taskIds: [] })),
    );
    assert.deepEqual(ids(fixed(large.groups)), ids(fixed(small.groups)));
    assert.equal(large.indicators.length, small.indicators.length + 1000);
  });
});
