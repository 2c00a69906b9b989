/**
 * The `filters` and `orParams` query parameters over real HTTP (rest-api-v2.md 4.2): the spec's examples,
 * raw and percent-encoded operators, each listing's fields, paging of a filtered listing, and every 400
 * (status, envelope and message). Expected sets come from `sampleData`, not from the sandbox.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { failureBody } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const SEED = 300;
const ORG = 'Example Org';
const EC = 'Example Community';

interface Listing {
  total: number | undefined;
  ids: number[];
  items: Record<string, unknown>[];
}

describe('filters and orParams on v2 listings', () => {
  let sandbox: Sandbox;
  const data = sampleData(SEED);
  const byId = (a: number, b: number) => a - b;

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
  });
  after(async () => {
    await sandbox.close();
  });

  async function get(path: string, key: string): Promise<Listing> {
    const r = await call(sandbox, 'GET', path);
    assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 300)}`);
    const body = r.json() as { data: Record<string, unknown> };
    const items = body.data[key] as Record<string, unknown>[];
    return {
      total: body.data.resultCount as number | undefined,
      ids: items.map((i) => i.id as number),
      items,
    };
  }

  /** Every window of a listing at `limit`, checking resultCount on the first only. */
  async function all(path: string, key: string, limit = 500): Promise<number[]> {
    const out: number[] = [];
    let total = 0;
    for (let start = 0; start === 0 || start < total; start += limit) {
      const page = await get(
        `${path}${path.includes('?') ? '&' : '?'}resultStart=${start}&resultLimit=${limit}`,
        key,
      );
      if (start === 0) total = page.total ?? Number.NaN;
      else assert.equal(page.total, undefined, 'resultCount only at resultStart=0');
      out.push(...page.ids);
    }
    assert.equal(out.length, total, `${path}: resultCount is the filtered total`);
    return out;
  }

  async function refused(path: string, message: string): Promise<void> {
    const r = await call(sandbox, 'GET', path);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json(), failureBody(message));
  }

  const orgIndicators = (test: (i: (typeof data.indicators)[number]) => boolean) =>
    data.indicators
      .filter((i) => i.ownerName === ORG && test(i))
      .map((i) => i.id)
      .sort(byId);

  describe('the spec examples', () => {
    it('summary and dateAdded, ANDed', async () => {
      const target = data.indicators.find((i) => i.ownerName === ORG && i.active && i.type === 'Host');
      assert.ok(target);
      const before = Date.parse(target.dateAdded) + 86_400_000;
      const day = new Date(before).toISOString().slice(0, 10);
      const got = await all(
        `/v2/indicators?filters=summary%3D${encodeURIComponent(target.summary)},dateAdded%3C${day}`,
        'indicator',
      );
      assert.deepEqual(got, [target.id]);
      const later = new Date(Date.parse(target.dateAdded) - 86_400_000).toISOString().slice(0, 10);
      assert.deepEqual(
        await all(
          `/v2/indicators?filters=summary%3D${encodeURIComponent(target.summary)},dateAdded%3C${later}`,
          'indicator',
        ),
        [],
      );
    });

    it('active=true,active=false with orParams lists active and inactive; without, nothing', async () => {
      const inactive = orgIndicators((i) => !i.active);
      assert.ok(inactive.length > 0, 'the sample has inactive indicators');
      assert.deepEqual(
        await all('/v2/indicators?filters=active%3Dtrue,active%3Dfalse&orParams=true', 'indicator'),
        orgIndicators(() => true),
      );
      assert.deepEqual(await all('/v2/indicators?filters=active%3Dtrue,active%3Dfalse', 'indicator'), []);
      assert.deepEqual(await all('/v2/indicators?filters=active%3Dfalse', 'indicator'), inactive);
      assert.deepEqual(
        await all('/v2/indicators?filters=active%3Dtrue', 'indicator'),
        orgIndicators((i) => i.active),
      );
    });

    it('groups whose name starts with a prefix, and a security label by a name holding a colon', async () => {
      const expected = data.groups
        .filter((g) => g.ownerName === ORG && g.name.startsWith('Bad'))
        .map((g) => g.id)
        .sort(byId);
      assert.ok(expected.length > 0);
      assert.deepEqual(await all('/v2/groups?filters=name%5EBad', 'group'), expected);
      const labels = await get('/v2/securityLabels?filters=name%3DTLP%3AGREEN', 'securityLabel');
      assert.deepEqual(
        labels.items.map((l) => l.name),
        ['TLP:GREEN'],
      );
    });
  });

  describe('encoding', () => {
    const pairs: [string, string][] = [
      [
        '/v2/indicators?filters=rating>2.5,confidence<60',
        '/v2/indicators?filters=rating%3E2.5,confidence%3C60',
      ],
      ['/v2/indicators?filters=confidence=50', '/v2/indicators?filters=confidence%3D50'],
      ['/v2/groups?filters=name^Bad', '/v2/groups?filters=name%5eBad'],
      ['/v2/tasks?filters=status!Completed', '/v2/tasks?filters=status%21Completed'],
      ['/v2/securityLabels?filters=name=TLP:GREEN', '/v2/securityLabels?filters=name%3DTLP%3AGREEN'],
      ['/v2/groups/adversaries?filters=name=Bad%20Guy', '/v2/groups/adversaries?filters=name%3DBad+Guy'],
    ];
    for (const [raw, encoded] of pairs) {
      it(`${raw} answers as ${encoded}`, async () => {
        const a = await call(sandbox, 'GET', raw);
        const b = await call(sandbox, 'GET', encoded);
        assert.equal(a.status, 200, a.text);
        assert.equal(a.text, b.text);
        const data = (a.json() as { data: { resultCount: number } }).data;
        assert.ok(data.resultCount > 0, `${raw} finds something`);
      });
    }
  });

  describe('each listing', () => {
    it('indicators: rating and confidence, paged in windows of 7 with the filtered resultCount', async () => {
      const expected = orgIndicators(
        (i) => i.active && i.rating !== undefined && i.rating > 2 && (i.confidence ?? -1) > 30,
      );
      assert.ok(expected.length > 7, `${expected.length} indicators`);
      assert.deepEqual(
        await all('/v2/indicators?filters=rating%3E2,confidence%3E30', 'indicator', 7),
        expected,
      );
    });

    it('typed indicators: host flags, and address-only fields the sandbox keeps no data for', async () => {
      const hosts = data.indicators.filter((i) => i.ownerName === ORG && i.active && i.type === 'Host');
      const dns = hosts.filter((h) => h.dnsActive === 'true').map((h) => h.id);
      assert.deepEqual(await all('/v2/indicators/hosts?filters=dnsActive%3Dtrue', 'host'), dns);
      assert.deepEqual(
        await all('/v2/indicators/hosts?filters=dnsActive%3Dtrue,dnsActive%3Dfalse&orParams=true', 'host'),
        hosts.map((h) => h.id),
      );
      assert.deepEqual(await all('/v2/indicators/addresses?filters=countryCode%3DUS', 'address'), []);
    });

    it('groups: campaign firstSeen and incident eventDate', async () => {
      const campaigns = data.groups.filter((g) => g.ownerName === ORG && g.type === 'Campaign');
      // The earliest first-seen instant, with its offset: strictly after it drops that campaign.
      const seen = campaigns.flatMap((g) => (g.firstSeen === undefined ? [] : [g.firstSeen]));
      const first = seen.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
      const later = campaigns
        .filter((g) => g.firstSeen !== undefined && Date.parse(g.firstSeen) > Date.parse(first))
        .map((g) => g.id);
      assert.ok(later.length < campaigns.length);
      assert.deepEqual(
        await all(`/v2/groups/campaigns?filters=firstSeen%3E${encodeURIComponent(first)}`, 'campaign'),
        later,
      );
      const cut = '2023-01-01';
      const incidents = data.groups.filter((g) => g.ownerName === ORG && g.type === 'Incident');
      const expected = incidents
        .filter((g) => g.eventDate !== undefined && Date.parse(g.eventDate) < Date.parse(cut))
        .map((g) => g.id);
      assert.ok(expected.length > 0);
      assert.deepEqual(await all(`/v2/groups/incidents?filters=eventDate%3C${cut}`, 'incident'), expected);
    });

    it('tags: weight is the number of items carrying the tag; names compare without case', async () => {
      const records = [...data.indicators, ...data.groups, ...data.victims, ...data.tasks];
      const weight = (owner: string, name: string) =>
        records.filter((r) => r.ownerName === owner && r.tags.includes(name)).length;
      const tags = data.tags.filter((t) => t.ownerName === EC);
      const heavy = tags.filter((t) => weight(EC, t.name) > 3).map((t) => t.name);
      assert.ok(heavy.length > 0 && heavy.length < tags.length);
      const got = await get(`/v2/tags?owner=${encodeURIComponent(EC)}&filters=weight%3E3`, 'tag');
      assert.deepEqual(
        got.items.map((t) => t.name),
        heavy,
      );
      const apt = await get(`/v2/tags?owner=${encodeURIComponent(EC)}&filters=name%3Dapt`, 'tag');
      assert.deepEqual(
        apt.items.map((t) => t.name),
        ['APT'],
      );
    });

    it('victims by name, tasks by status, assignee and flags', async () => {
      const victim = data.victims.find((v) => v.ownerName === ORG);
      assert.ok(victim);
      assert.deepEqual(await all(`/v2/victims?filters=name%3D${encodeURIComponent(victim.name)}`, 'victim'), [
        victim.id,
      ]);
      const tasks = data.tasks.filter((t) => t.ownerName === ORG);
      assert.deepEqual(
        await all('/v2/tasks?filters=status%21Completed', 'task'),
        tasks.filter((t) => t.status !== 'Completed').map((t) => t.id),
      );
      const user = tasks.flatMap((t) => t.assignee)[0];
      assert.ok(user);
      assert.deepEqual(
        await all(`/v2/tasks?filters=assignee%3D${user.userName}`, 'task'),
        tasks.filter((t) => t.assignee.some((a) => a.userName === user.userName)).map((t) => t.id),
      );
      assert.deepEqual(
        await all('/v2/tasks?filters=escalated%3Dtrue,overdue%3Dtrue&orParams=true', 'task'),
        tasks.filter((t) => t.escalated || t.overdue).map((t) => t.id),
      );
    });

    it('pivot listings take the filters of what they list', async () => {
      const tagged = data.indicators.filter(
        (i) => i.ownerName === EC && i.active && i.tags.includes('APT') && (i.rating ?? -1) > 2,
      );
      assert.ok(tagged.length > 0);
      assert.deepEqual(
        await all(`/v2/tags/APT/indicators?owner=${encodeURIComponent(EC)}&filters=rating%3E2`, 'indicator'),
        tagged.map((i) => i.id).sort(byId),
      );
    });
  });

  describe('refusals: 400 with the v2 failure envelope, naming the field, operator or value', () => {
    const cases: [string, string][] = [
      [
        '/v2/indicators?filters=city%3DParis',
        'The filter field city is not supported by this listing; its fields are active, summary, dateAdded, rating, confidence, threatAssessScore, threatAssessRating, threatAssessConfidence, falsePositive',
      ],
      [
        '/v2/groups/adversaries?filters=firstSeen%3E2020-01-01',
        'The filter field firstSeen is not supported by this listing; its fields are name, dateAdded',
      ],
      [
        '/v2/indicators?filters=summary%3Cexample.com',
        'The filter operator < is not supported for the field summary; its operators are =, ^',
      ],
      [
        '/v2/indicators?filters=dateAdded%3D2020-01-01',
        'The filter operator = is not supported for the field dateAdded; its operators are <, >',
      ],
      [
        '/v2/groups?filters=name!x',
        'The filter operator ! is not supported for the field name; its operators are =, ^',
      ],
      [
        '/v2/indicators?filters=confidence%3Dhigh',
        'The filter value "high" for the field confidence is invalid: expected an integer',
      ],
      [
        '/v2/indicators?filters=rating%3E2,5',
        'The filter "5" is not properly formed: expected a field, an operator (=, <, >, ^ or !) and a value',
      ],
      [
        '/v2/indicators?filters=rating%3Etwo',
        'The filter value "two" for the field rating is invalid: expected a decimal number',
      ],
      [
        '/v2/indicators?filters=dateAdded%3Eyesterday',
        'The filter value "yesterday" for the field dateAdded is invalid: expected a date such as 2017-07-13 or 2017-07-13T00:00',
      ],
      [
        '/v2/indicators?filters=active%3Dyes',
        'The filter value "yes" for the field active is invalid: expected true or false',
      ],
      [
        '/v2/tasks?filters=status%3DDone',
        'The filter value "Done" for the field status is invalid: expected one of Not Started, In Progress, Completed, Waiting on Someone, Deferred',
      ],
      [
        '/v2/indicators?filters=summary%3D',
        'The filter value "" for the field summary is invalid: expected a value after the operator',
      ],
      [
        '/v2/indicators?filters=confidence%3D5,,rating%3E1',
        'The filter "" is not properly formed: expected a field, an operator (=, <, >, ^ or !) and a value',
      ],
      [
        '/v2/indicators?filters=confidence',
        'The filter "confidence" is not properly formed: expected a field, an operator (=, <, >, ^ or !) and a value',
      ],
      [
        '/v2/indicators?filters=confidence%3D5&orParams=maybe',
        'The orParams value "maybe" is invalid: expected true or false',
      ],
      [
        '/v2/owners?filters=name%3DExample%20Org',
        'The filter field name is not supported by this listing: it takes no filters',
      ],
      [
        '/v2/indicators/hosts/www.badguy_014.com/tags?owner=Example%20Community&filters=name%3DAPT',
        'The filter field name is not supported by this listing: it takes no filters',
      ],
    ];
    for (const [path, message] of cases) {
      it(`${path} is refused`, async () => {
        await refused(path, message);
      });
    }

    it('a filter on a single object is not a listing: it is not refused', async () => {
      const r = await call(sandbox, 'GET', '/v2/groups/adversaries/700?filters=name%3Dx');
      assert.equal(r.status, 200, r.text);
    });
  });
});
