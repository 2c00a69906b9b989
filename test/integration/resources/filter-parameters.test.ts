/**
 * The parameters of a filter retrieval (decisions.md 1.7, sdk-behaviour.md 3.6 and 3.7): several
 * owners, the default org when none is given, `setModifiedSince` (ISO string or Date, on every default
 * request, typed ones included, whatever the order of the calls, never on pivots), and the
 * indicator-type filter. Expected results come from the oracle over `sampleData`.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FilterSetOperator, IndicatorType, type ThreatConnect, ValidationError } from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type ContainerModel, FilterOracle } from './oracle.js';
import { ids, resetSandbox, targets } from './support.js';

const SEED = 300;
const LIMIT = 100;
const EC = 'Example Community';
const ORG = 'Example Org';

describe('filter parameters: owners, modified-since, indicator types', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  const data = sampleData(SEED);
  const oracle = new FilterOracle(data);
  const hosts: ContainerModel = { kind: 'typedIndicators', type: 'Host' };
  const page = (start = 0) => `resultLimit=${LIMIT}&resultStart=${start}`;

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
      for (const bad of [999, IndicatorType.CUSTOM_INDICATORS, 'HOSTS']) {
        assert.throws(
          () => container.addFilter(bad as IndicatorType),
          (e: unknown) =>
            e instanceof ValidationError &&
            e.message ===
              `addFilter: ${typeof bad === 'string' ? `"${bad}"` : bad} is not an IndicatorType with a listing (ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS)`,
        );
      }
      assert.deepEqual(await targets(sandbox), []);
    });
  });
});
