/**
 * Every example of the seed's "Advanced Filtering" section, translated, against the sandbox. Expected
 * results are computed here from `sampleData(n)` by the rules of each example (owner, tag, label,
 * associations, post filters, set operators), never by asking the SDK twice; the requests are those of
 * python-sdk-observed.md 4.2 with this client's pages (`apiResultLimit`, 200 by default) and the
 * documented differences (no owner on group-association pivots; `addresses`, not `address`).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  FilterOperator,
  FilterSetOperator,
  IndicatorType,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { ids, resetSandbox, targets } from './support.js';

const SEED = 300;
const owner = 'Example Community';
const ORG = 'Example Org';
const PAGE = 'resultLimit=200&resultStart=0';

describe("the seed's Advanced Filtering examples", () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  const data = sampleData(SEED);
  const byId = (a: number, b: number) => a - b;
  const adversaries = data.groups.filter((g) => g.type === 'Adversary');
  const indicatorById = new Map(data.indicators.map((i) => [i.id, i]));

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
    tc = clientFor(sandbox);
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('filter1.filters and print(filter1): adversaries of Example Community tagged APT', async () => {
    const adversary = tc.adversaries();
    const filter1 = adversary.addFilter();
    filter1.addOwner(owner);
    filter1.addTag('APT');
    const printed = String(filter1);
    assert.ok(printed.includes('\n  Request Objects              1'));
    assert.ok(
      printed.includes(
        '\nOwners                                  \n  Owner                        Example Community',
      ),
    );
    assert.ok(printed.includes('\n  Filter                       api filter by tag "APT"'));
    assert.equal(filter1.filters.length, 16);
    await adversary.retrieve();
    const expected = adversaries
      .filter((g) => g.ownerName === owner && g.tags.includes('APT'))
      .map((g) => g.id)
      .sort(byId);
    assert.deepEqual(expected, [700, 701, 702]);
    assert.deepEqual(ids(adversary), expected);
    assert.deepEqual(
      [...adversary].map((a) => [a.id, a.name, a.ownerName]),
      [
        [700, 'Bad Guy', owner],
        [701, 'Other Guy', owner],
        [702, 'Bad Guy', owner],
      ],
    );
    assert.deepEqual(await targets(sandbox), [
      `/v2/tags/APT/groups/adversaries?createActivityLog=false&owner=Example+Community&${PAGE}`,
    ]);
  });

  it('Filter Object Basics: API filters OR together (indicator, victim, tag), in the default org', async () => {
    const adversary = tc.adversaries();
    const filter1 = adversary.addFilter();
    filter1.addIndicator('10.20.30.40');
    filter1.addVictimId(10);
    filter1.addTag('APT');
    await adversary.retrieve();
    // No owner: the default org. The address 10.20.30.40 of Example Org, its adversaries; victim 10's
    // adversaries (a pivot that carries no owner, so kept when they are Example Org's); Example Org's
    // adversaries tagged APT. First seen first.
    const address = data.indicators.find((i) => i.summary === '10.20.30.40' && i.ownerName === ORG);
    const victim = data.victims.find((v) => v.id === 10);
    const viaIndicator = adversaries
      .filter((g) => address?.groupIds.includes(g.id))
      .map((g) => g.id)
      .sort(byId);
    const viaVictim = adversaries
      .filter((g) => victim?.groupIds.includes(g.id))
      .map((g) => g.id)
      .sort(byId);
    const viaTag = adversaries
      .filter((g) => g.tags.includes('APT'))
      .map((g) => g.id)
      .sort(byId);
    const inOrg = (id: number) => adversaries.find((g) => g.id === id)?.ownerName === ORG;
    const expected = [...new Set([...viaIndicator, ...viaVictim, ...viaTag])].filter(inOrg);
    assert.deepEqual(expected, [710, 711, 712]);
    // Victim 10 is also associated with 720, which belongs to Example Community: dropped.
    assert.ok(viaVictim.includes(720));
    assert.deepEqual(ids(adversary), expected);
    assert.deepEqual(await targets(sandbox), [
      `/v2/indicators/addresses/10.20.30.40/groups/adversaries?createActivityLog=false&owner=Example+Org&${PAGE}`,
      `/v2/victims/10/groups/adversaries?createActivityLog=false&${PAGE}`,
      `/v2/tags/APT/groups/adversaries?createActivityLog=false&owner=Example+Org&${PAGE}`,
    ]);
  });

  it("Post Filter Basics: name 'Bad Guy' AND date added >= 2015-06-18T20:21:45-05:00", async () => {
    tc.reportEnable();
    const postFiltersBefore = tc.report.postFilters;
    const adversary = tc.adversaries();
    const filter1 = adversary.addFilter();
    filter1.addPfName('Bad Guy');
    filter1.addPfDateAdded('2015-06-18T20:21:45-05:00', FilterOperator.GE);
    await adversary.retrieve();
    const since = Date.parse('2015-06-18T20:21:45-05:00');
    const expected = adversaries
      .filter((g) => g.ownerName === ORG && g.name === 'Bad Guy' && Date.parse(g.dateAdded) >= since)
      .map((g) => g.id)
      .sort(byId);
    assert.deepEqual(expected, [710]);
    assert.deepEqual(
      [...adversary].map((a) => [a.id, a.name, a.dateAdded, a.ownerName]),
      [[710, 'Bad Guy', '2015-06-18T20:21:45-05:00', ORG]],
    );
    assert.equal(tc.report.postFilters - postFiltersBefore, 2);
    assert.deepEqual(await targets(sandbox), [
      `/v2/groups/adversaries?createActivityLog=false&owner=Example+Org&${PAGE}`,
    ]);
    tc.reportDisable();
  });

  it('Owner API Filter: the owner applies to every API filter of the filter object that can carry one', async () => {
    // The page's /v2/indicators/address/10.20.30.40?owner=Example+Community: a single object.
    const indicators = tc.indicators();
    indicators.addFilter().addOwner(owner).addIndicator('10.20.30.40');
    await indicators.retrieve();
    const address = data.indicators.filter((i) => i.summary === '10.20.30.40' && i.ownerName === owner);
    assert.deepEqual(
      ids(indicators),
      address.map((i) => i.id),
    );
    assert.deepEqual(ids(indicators), [356001]);
    // The page's /v2/groups/adversaries/5/indicators?owner=Example+Community: a group pivot carries no
    // owner (sdk-behaviour.md 3.4, PAGE≠SRC); its results are kept when they are the owner's.
    const byAdversary = tc.indicators();
    byAdversary.addFilter().addOwner(owner).addAdversaryId(5);
    await byAdversary.retrieve();
    const five = adversaries.find((g) => g.id === 5);
    const expected = (five?.indicatorIds ?? [])
      .filter((id) => {
        const i = indicatorById.get(id);
        return i?.active === true && i.ownerName === owner;
      })
      .sort(byId);
    assert.ok(expected.length >= 4);
    assert.deepEqual(ids(byAdversary), expected);
    assert.deepEqual(await targets(sandbox), [
      '/v2/indicators/addresses/10.20.30.40?createActivityLog=false&owner=Example+Community',
      `/v2/groups/adversaries/5/indicators?createActivityLog=false&${PAGE}`,
    ]);
  });

  it('Indicator-Type Filter: one filter object per type, intersected (AND by default): none', async () => {
    const indicators = tc.indicators();
    let filter1 = indicators.addFilter(IndicatorType.ADDRESSES);
    filter1 = indicators.addFilter(IndicatorType.EMAIL_ADDRESSES);
    filter1 = indicators.addFilter(IndicatorType.FILES);
    filter1 = indicators.addFilter(IndicatorType.HOSTS);
    filter1 = indicators.addFilter(IndicatorType.URLS);
    assert.equal(filter1.operator, FilterSetOperator.AND);
    await indicators.retrieve();
    // Every indicator has one type, so the five sets are disjoint.
    assert.equal(indicators.length, 0);
    assert.equal((await targets(sandbox)).length, 5);
  });

  it('Modified Since: the base listing of the default org, indicators modified since 2015-06-17', async () => {
    const indicators = tc.indicators();
    // datetime.isoformat(datetime(2015, 6, 17)) + 'Z'
    const modifiedSince = `${new Date(Date.UTC(2015, 5, 17)).toISOString().slice(0, 19)}Z`;
    assert.equal(modifiedSince, '2015-06-17T00:00:00Z');
    indicators.setModifiedSince(modifiedSince);
    await indicators.retrieve();
    const since = Date.parse(modifiedSince);
    const expected = data.indicators
      .filter((i) => i.ownerName === ORG && i.active && Date.parse(i.lastModified) >= since)
      .map((i) => i.id)
      .sort(byId);
    const all = data.indicators.filter((i) => i.ownerName === ORG && i.active);
    assert.ok(expected.length > 0 && expected.length < all.length);
    assert.deepEqual(ids(indicators), expected);
    assert.deepEqual(await targets(sandbox), [
      `/v2/indicators?createActivityLog=false&modifiedSince=2015-06-17T00%3A00%3A00Z&${PAGE}`,
    ]);
  });

  it('Multiple Filter Objects: (TLP Red AND threat 38) OR addresses tagged EXAMPLE', async () => {
    const indicators = tc.indicators();

    const filter1 = indicators.addFilter();
    filter1.addOwner(owner);
    filter1.addSecurityLabel('TLP Red');

    const filter2 = indicators.addFilter();
    filter2.addOwner(owner);
    filter2.addFilterOperator(FilterSetOperator.AND);
    filter2.addThreatId(38);

    const filter3 = indicators.addFilter(IndicatorType.ADDRESSES);
    filter3.addOwner(owner);
    filter3.addFilterOperator(FilterSetOperator.OR);
    filter3.addTag('EXAMPLE');

    assert.ok(String(filter2).includes('  Operator                     FilterSetOperator.AND'));
    assert.ok(String(filter3).includes('  Operator                     FilterSetOperator.OR'));
    // The original's failure path: a string is not a FilterSetOperator.
    assert.throws(
      () => filter3.addFilterOperator('OR' as FilterSetOperator),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message ===
          'addFilterOperator: "OR" is not a FilterSetOperator (FilterSetOperator.AND or FilterSetOperator.OR)',
    );

    await indicators.retrieve();

    const owned = data.indicators.filter((i) => i.ownerName === owner && i.active);
    const f1 = owned
      .filter((i) => i.securityLabels.includes('TLP Red'))
      .map((i) => i.id)
      .sort(byId);
    const threat = data.groups.find((g) => g.id === 38);
    const f2 = owned
      .filter((i) => threat?.indicatorIds.includes(i.id))
      .map((i) => i.id)
      .sort(byId);
    const f3 = owned
      .filter((i) => i.type === 'Address' && i.tags.includes('EXAMPLE'))
      .map((i) => i.id)
      .sort(byId);
    const result = new Set([...f1.filter((id) => f2.includes(id)), ...f3]);
    // First seen: filter1's order, then filter3's (filter2, AND'd, only decides membership).
    const expected = [...new Set([...f1, ...f3])].filter((id) => result.has(id));
    assert.deepEqual(expected, [100001, 100005, 100006, 100007, 100008, 100009, 100016, 100021]);
    assert.deepEqual(ids(indicators), expected);
    for (const x of indicators) assert.equal(x.ownerName, owner);
    // Threat 38 also lists 100010 and 100011 of Common Community: both dropped (the original kept
    // 100011, python-sdk-observed.md 3.7).
    assert.ok(!ids(indicators).includes(100011));
    const log = await targets(sandbox);
    assert.deepEqual(log.sort(), [
      `/v2/groups/threats/38/indicators?createActivityLog=false&${PAGE}`,
      `/v2/securityLabels/TLP%20Red/indicators?createActivityLog=false&owner=Example+Community&${PAGE}`,
      `/v2/tags/EXAMPLE/indicators/addresses?createActivityLog=false&owner=Example+Community&${PAGE}`,
    ]);
  });
});
