/**
 * The parameters of a filter retrieval (decisions.md 1.7, sdk-behaviour.md 3.6 and 3.7): several
 * owners, the default org when none is given, `setModifiedSince` (ISO string or Date, on every default
 * request, typed ones included, whatever the order of the calls, never on pivots), and the
 * indicator-type filter. Expected results come from the oracle over `sampleData`.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  FilterSetOperator,
  IndicatorType,
  RequestObject,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type ContainerModel, FilterOracle } from './oracle.js';
import { ids, resetSandbox, targets } from './support.js';

const SEED = 300;
const LIMIT = 100;
const EC = 'Example Community';
const ORG = 'Example Org';
const CC = 'Common Community';
const SINCE = '2015-06-17T00:00:00Z';
const SINCE_Q = 'modifiedSince=2015-06-17T00%3A00%3A00Z';

describe('filter parameters: owners, modified-since, indicator types', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  const data = sampleData(SEED);
  const oracle = new FilterOracle(data);
  const indicators: ContainerModel = { kind: 'indicators' };
  const hosts: ContainerModel = { kind: 'typedIndicators', type: 'Host' };
  const page = (start = 0) => `resultLimit=${LIMIT}&resultStart=${start}`;
  /** The resultStart of each window of a listing of `count` items. */
  const pages = (count: number) =>
    Array.from({ length: Math.max(1, Math.ceil(count / LIMIT)) }, (_, i) => i * LIMIT);

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
    tc = clientFor(sandbox, { apiResultLimit: LIMIT, concurrency: 1 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  describe('the indicator-type filter', () => {
    it("a typed filter object with only an owner lists its own type's base listing", async () => {
      const container = tc.indicators();
      container.addFilter(IndicatorType.HOSTS).addOwner(EC);
      await container.retrieve();
      const expected = oracle.retrieve(hosts, [{ owners: [EC], api: [], post: [], operator: 'and' }]);
      assert.ok(expected.length > 5, `${expected.length} hosts`);
      assert.deepEqual(ids(container), expected);
      assert.ok([...container].every((i) => i.type === 'Host'));
      assert.deepEqual(await targets(sandbox), [
        `/v2/indicators/hosts?createActivityLog=false&owner=Example+Community&${page()}`,
      ]);
    });

    it('the seed example: five typed filter objects, AND by default, intersect to nothing', async () => {
      const container = tc.indicators();
      container.addFilter(IndicatorType.ADDRESSES);
      container.addFilter(IndicatorType.EMAIL_ADDRESSES);
      container.addFilter(IndicatorType.FILES);
      container.addFilter(IndicatorType.HOSTS);
      container.addFilter(IndicatorType.URLS);
      await container.retrieve();
      assert.equal(container.length, 0);
      const branches = ['addresses', 'emailAddresses', 'files', 'hosts', 'urls'];
      assert.deepEqual(
        (await targets(sandbox)).sort(),
        branches.map((b) => `/v2/indicators/${b}?createActivityLog=false&owner=Example+Org&${page()}`).sort(),
      );
    });

    it("five typed filter objects OR'd give every indicator of the default org of those types", async () => {
      const container = tc.indicators();
      container.addFilter(IndicatorType.ADDRESSES);
      for (const type of [
        IndicatorType.EMAIL_ADDRESSES,
        IndicatorType.FILES,
        IndicatorType.HOSTS,
        IndicatorType.URLS,
      ]) {
        container.addFilter(type).addFilterOperator(FilterSetOperator.OR);
      }
      await container.retrieve();
      const expected = new Set(
        data.indicators.filter((i) => i.ownerName === ORG && i.active && i.type !== 'ASN').map((i) => i.id),
      );
      assert.deepEqual(new Set(ids(container)), expected);
      const byType = (type: string) => [...container].filter((i) => i.type === type).map((i) => i.id);
      // First-seen order: the addresses first, then e-mail addresses, files, hosts, URLs.
      assert.deepEqual(ids(container), ['Address', 'EmailAddress', 'File', 'Host', 'URL'].flatMap(byType));
    });

    it('a typed filter object with a tag uses the typed pivot', async () => {
      const container = tc.indicators();
      container.addFilter(IndicatorType.HOSTS).addOwner(EC).addTag('APT');
      await container.retrieve();
      assert.deepEqual(
        ids(container),
        oracle.retrieve(hosts, [{ owners: [EC], api: [['addTag', 'APT']], post: [], operator: 'and' }]),
      );
      assert.ok(ids(container).includes(355999));
      assert.deepEqual(await targets(sandbox), [
        `/v2/tags/APT/indicators/hosts?createActivityLog=false&owner=Example+Community&${page()}`,
      ]);
    });

    it('an unknown type throws ValidationError before any request', async () => {
      const container = tc.indicators();
      for (const bad of [999, 'HOSTS']) {
        assert.throws(
          () => container.addFilter(bad as IndicatorType),
          (e: unknown) =>
            e instanceof ValidationError &&
            e.message ===
              `addFilter: ${typeof bad === 'string' ? `"${bad}"` : bad} is not an indicator type with a listing: give ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS, a type's IndicatorKind, or CUSTOM_INDICATORS with an apiEntity`,
        );
      }
      // CUSTOM_INDICATORS names no type by itself.
      assert.throws(() => container.addFilter(IndicatorType.CUSTOM_INDICATORS as IndicatorType), {
        name: 'ValidationError',
        message:
          "addFilter(IndicatorType.CUSTOM_INDICATORS, apiEntity): give the custom type's apiEntity (such as 'asn'), got undefined",
      });
      assert.deepEqual(await targets(sandbox), []);
    });
  });

  describe('modified-since', () => {
    it('the seed example: no filter object, so the base listing with no owner (the default org)', async () => {
      const container = tc.indicators();
      container.setModifiedSince(SINCE);
      await container.retrieve();
      const expected = oracle.retrieve(indicators, [], SINCE);
      const all = oracle.retrieve(indicators, []);
      assert.ok(expected.length > 0 && expected.length < all.length, `${expected.length} of ${all.length}`);
      assert.deepEqual(ids(container), expected);
      assert.deepEqual(
        await targets(sandbox),
        pages(expected.length).map(
          (start) => `/v2/indicators?createActivityLog=false&${SINCE_Q}&${page(start)}`,
        ),
      );
    });

    it('a Date is sent as YYYY-MM-DDTHH:MM:SSZ, on owner-only and typed defaults alike, before the owner', async () => {
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      container.addFilter(IndicatorType.HOSTS).addOwner(EC).addFilterOperator(FilterSetOperator.OR);
      container.setModifiedSince(new Date('2015-06-17T00:00:00.789Z'));
      await container.retrieve();
      const model = { owners: [EC], api: [], post: [], operator: 'or' } as const;
      const expected = oracle.retrieve(indicators, [model, model], SINCE);
      // The typed request adds nothing the untyped one lacks; both are sent.
      assert.deepEqual(ids(container), expected);
      assert.deepEqual(
        (await targets(sandbox)).sort(),
        [
          `/v2/indicators/hosts?createActivityLog=false&${SINCE_Q}&owner=Example+Community&${page()}`,
          ...pages(oracle.answer(indicators, undefined, EC, SINCE).length).map(
            (start) =>
              `/v2/indicators?createActivityLog=false&${SINCE_Q}&owner=Example+Community&${page(start)}`,
          ),
        ].sort(),
      );
      assert.deepEqual(
        ids(container).filter((id) => data.indicators.find((i) => i.id === id)?.type === 'Host').length,
        oracle.retrieve(hosts, [{ ...model, operator: 'and' }], SINCE).length,
      );
    });

    it('applies whatever the order of the calls: set before addFilter or after', async () => {
      for (const order of ['before', 'after'] as const) {
        await resetSandbox(sandbox);
        const container = tc.indicators();
        if (order === 'before') container.setModifiedSince(SINCE);
        container.addFilter(IndicatorType.ADDRESSES).addOwner(CC);
        if (order === 'after') container.setModifiedSince(SINCE);
        await container.retrieve();
        assert.deepEqual(
          ids(container),
          oracle.retrieve(
            { kind: 'typedIndicators', type: 'Address' },
            [{ owners: [CC], api: [], post: [], operator: 'and' }],
            SINCE,
          ),
          order,
        );
        assert.deepEqual(await targets(sandbox), [
          `/v2/indicators/addresses?createActivityLog=false&${SINCE_Q}&owner=Common+Community&${page()}`,
        ]);
      }
    });

    it('is never sent on tag, label, association or single-object requests', async () => {
      const container = tc.indicators();
      container.setModifiedSince(SINCE);
      container
        .addFilter()
        .addOwner(EC)
        .addTag('APT')
        .addSecurityLabel('TLP Red')
        .addThreatId(38)
        .addIndicator('10.20.30.40');
      const typed = container.addFilter(IndicatorType.HOSTS);
      typed.addOwner(EC).addTag('EXAMPLE').addFilterOperator(FilterSetOperator.OR);
      await container.retrieve();
      const log = await targets(sandbox);
      assert.equal(log.length, 5);
      assert.ok(
        log.every((t) => !t.includes('modifiedSince')),
        log.join('\n'),
      );
      // Results are not cut by the date either: 356003 was last modified in May 2015.
      assert.ok(ids(container).includes(356003));
    });

    it('an invalid date throws ValidationError with the value, before any request', async () => {
      const container = tc.indicators();
      for (const [bad, message] of [
        ['yesterday', 'setModifiedSince: "yesterday" is not a valid date'],
        ['', 'setModifiedSince: "" is not a valid date'],
        [42, 'setModifiedSince: 42 is not a valid date'],
        [new Date(Number.NaN), 'setModifiedSince: the Date is invalid'],
      ] as const) {
        assert.throws(
          () => container.setModifiedSince(bad as string),
          (e: unknown) => e instanceof ValidationError && e.message === message,
        );
      }
      await container.retrieve();
      // The failed calls left nothing behind: the container's base listing, with no modifiedSince.
      assert.deepEqual(
        (await targets(sandbox)).filter((t) => t.startsWith('/v2/indicators')),
        pages(oracle.retrieve(indicators, []).length).map(
          (start) => `/v2/indicators?createActivityLog=false&${page(start)}`,
        ),
      );
    });
  });

  describe('owners', () => {
    it('no owner: the default org is sent explicitly, and results are checked against it', async () => {
      const container = tc.adversaries();
      container.addFilter().addTag('APT');
      await container.retrieve();
      assert.deepEqual(ids(container), [710, 711, 712]);
      assert.deepEqual(await targets(sandbox), [
        `/v2/tags/APT/groups/adversaries?createActivityLog=false&owner=Example+Org&${page()}`,
      ]);
    });

    it('several owners: a request that carries an owner is sent once per owner, owner by owner as the original', async () => {
      const container = tc.indicators();
      const filter = container.addFilter();
      filter.addOwner([EC, CC]).addOwner(ORG).addTag('APT').addSecurityLabel('TLP Green');
      assert.deepEqual(filter.owners, [EC, CC, ORG]);
      await container.retrieve();
      const model = {
        owners: [EC, CC, ORG],
        api: [
          ['addTag', 'APT'],
          ['addSecurityLabel', 'TLP Green'],
        ],
        post: [],
        operator: 'and',
      } as const;
      const expected = oracle.retrieve(indicators, [model]);
      assert.ok(
        new Set(expected.map((id) => data.indicators.find((i) => i.id === id)?.ownerName)).size === 3,
      );
      assert.deepEqual(ids(container), expected);
      const q = (owner: string) => `createActivityLog=false&owner=${owner.replace(/ /g, '+')}&${page()}`;
      assert.deepEqual(
        await targets(sandbox),
        [EC, CC, ORG].flatMap((o) => [
          `/v2/tags/APT/indicators?${q(o)}`,
          `/v2/securityLabels/TLP%20Green/indicators?${q(o)}`,
        ]),
      );
    });

    it('a request that cannot carry an owner is sent once; its results are kept for each owner asked for', async () => {
      // Threat 38 has indicators of Example Community and of Common Community.
      for (const owners of [[EC], [CC], [EC, CC], [ORG]]) {
        await resetSandbox(sandbox);
        const container = tc.indicators();
        container.addFilter().addOwner(owners).addThreatId(38);
        await container.retrieve();
        const expected = data.indicators
          .filter((i) => i.groupIds.includes(38) && i.active && owners.includes(i.ownerName))
          .map((i) => i.id)
          .sort((a, b) => a - b);
        assert.deepEqual(ids(container), expected, owners.join(', '));
        assert.deepEqual(
          await targets(sandbox),
          [`/v2/groups/threats/38/indicators?createActivityLog=false&${page()}`],
          owners.join(', '),
        );
      }
    });

    it('the owner check is the only filter of a pivot: 100010 and 100011 both go, or both stay', async () => {
      // The original removed items from the list it iterated, so the second of two foreign items stayed.
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addThreatId(38);
      await container.retrieve();
      assert.deepEqual(ids(container), [100005, 100006, 100007, 100008, 100009, 100012]);
      const both = tc.indicators();
      both.addFilter().addOwner(CC).addThreatId(38);
      await both.retrieve();
      assert.deepEqual(ids(both), [100010, 100011]);
    });

    it('an owner given twice in another case: each request twice, each object once', async () => {
      for (const mode of ['retrieve', 'stream'] as const) {
        await resetSandbox(sandbox);
        const container = tc.indicators();
        container.addFilter().addOwner([EC, EC.toUpperCase()]).addTag('EXAMPLE');
        const got: number[] = [];
        if (mode === 'retrieve') {
          await container.retrieve();
          got.push(...ids(container));
        } else for await (const x of container.stream()) got.push(x.id);
        const expected = data.indicators
          .filter((i) => i.ownerName === EC && i.tags.includes('EXAMPLE'))
          .map((i) => i.id)
          .sort((a, b) => a - b);
        assert.deepEqual(got, expected, mode);
        assert.equal((await targets(sandbox)).length, 2, mode);
      }
    });

    it('victims are not owner-checked: one victim reached through two owners comes once', async () => {
      // Link Example Org's 10.20.30.40 to victim 10, which Example Community's 10.20.30.40 reaches too.
      const link = new RequestObject()
        .setHttpMethod('POST')
        .setOwner(ORG)
        .setRequestUri('/v2/indicators/addresses/10.20.30.40/victims/10');
      assert.equal((await tc.apiRequest(link)).status, 201);
      try {
        await resetSandbox(sandbox);
        const container = tc.victims();
        container.addFilter().addOwner([EC, ORG]).addIndicator('10.20.30.40');
        const got: number[] = [];
        for await (const x of container.stream()) got.push(x.id);
        assert.deepEqual(got, [10]);
        // Both owners were asked, and both answered victim 10.
        assert.equal((await targets(sandbox)).length, 2);
      } finally {
        assert.equal((await tc.apiRequest(link.setHttpMethod('DELETE'))).status, 200);
      }
    });

    it('victims and owners are not owner-checked', async () => {
      const victims = tc.victims();
      victims.addFilter().addOwner(ORG).addAdversaryId(720);
      await victims.retrieve();
      // Adversary 720 (Example Community) is associated with victim 10 (Example Community).
      assert.deepEqual(ids(victims), [10]);
      const owners = tc.owners();
      owners.addFilter().addOwner(ORG).addId(2);
      await owners.retrieve();
      assert.deepEqual(
        [...owners].map((o) => [o.id, o.name]),
        [[2, EC]],
      );
    });

    it('a victim takes the owner it was listed in (its item has none), and its writes send it', async () => {
      const victims = tc.victims();
      victims.addFilter().addOwner(EC);
      await victims.retrieve();
      const victim = [...victims].find((v) => v.id === 10);
      assert.ok(victim);
      // It used to be undefined, so a write went to the API user's default organization.
      assert.equal(victim.ownerName, EC);
      await resetSandbox(sandbox);
      await victim.addTag('victim-owner-test').commit();
      await victim.deleteTag('victim-owner-test').commit();
      const sent = (await targets(sandbox)).map((t) => new URL(t, 'http://x').searchParams.get('owner'));
      assert.deepEqual(sent, [EC, EC]);
      const unowned = tc.victims();
      unowned.addFilter();
      await unowned.retrieve();
      assert.ok([...unowned].every((v) => v.ownerName === ORG));
    });

    it('an owner that is not a non-empty string throws ValidationError, before any request', async () => {
      const filter = tc.indicators().addFilter();
      for (const [bad, message] of [
        ['', 'addOwner: "" is not an owner name'],
        ['  ', 'addOwner: "  " is not an owner name'],
        [7, 'addOwner: 7 is not an owner name'],
        [[], 'addOwner: give at least one owner name'],
        [[EC, null], 'addOwner: null is not an owner name'],
      ] as const) {
        assert.throws(
          () => filter.addOwner(bad as string),
          (e: unknown) => e instanceof ValidationError && e.message === message,
          String(bad),
        );
      }
      assert.deepEqual(await targets(sandbox), []);
    });
  });
});
