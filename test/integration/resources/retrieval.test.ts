/**
 * Retrieval (sdk-behaviour.md 3.2 and 3.6, decisions.md 1.5 and 1.7): `await retrieve()` then
 * synchronous iteration and `length`; identity by id across retrievals (the same instance, and post
 * filters judged on what this request read); `stream()`; the filter objects used up by a walk;
 * `/v2/types/indicatorTypes` read at most once per client, lazily; the report's counters as the
 * original counts them; leaving a loop early aborts the windows in flight; concurrency options.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  FilterOperator,
  FilterSetOperator,
  IndicatorType,
  RequestObject,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { FilterOracle } from './oracle.js';
import { ids, rejection, resetSandbox, setRules, targets, waitForLog } from './support.js';

const SEED = 300;
const LIMIT = 50;
const EC = 'Example Community';
const ORG = 'Example Org';

describe('retrieval: identity, streams, counters, preflight, early exit', () => {
  let sandbox: Sandbox;
  const clients: ThreatConnect[] = [];
  const data = sampleData(SEED);
  const oracle = new FilterOracle(data);
  const make = (options: Parameters<typeof clientFor>[1] = {}) => {
    const tc = clientFor(sandbox, { apiResultLimit: LIMIT, ...options });
    clients.push(tc);
    return tc;
  };
  const aptEC = data.indicators
    .filter((i) => i.ownerName === EC && i.active && i.tags.includes('APT'))
    .map((i) => i.id)
    .sort((a, b) => a - b);

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
  });
  after(async () => {
    await Promise.all(clients.map((tc) => tc.close()));
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  describe('retrieve() and identity', () => {
    it('resolves to the container; iteration and length show the results in first-seen order', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT');
      const resolved = await container.retrieve();
      assert.equal(resolved, container);
      assert.equal(container.length, aptEC.length);
      assert.deepEqual(ids(container), aptEC);
      // Iterating twice gives the same objects again.
      const first = [...container];
      const second = [...container];
      assert.ok(first.every((x, i) => x === second[i]));
    });

    it('results accumulate across retrievals; a known id gives the same instance', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      const before = new Map([...container].map((x) => [x.id, x]));
      container.addFilter().addOwner(EC).addSecurityLabel('TLP Red');
      await container.retrieve();
      const red = oracle.retrieve({ kind: 'indicators' }, [
        { owners: [EC], api: [['addSecurityLabel', 'TLP Red']], post: [], operator: 'and' },
      ]);
      assert.deepEqual(ids(container), [...aptEC, ...red.filter((id) => !aptEC.includes(id))]);
      for (const x of container) {
        const earlier = before.get(x.id);
        if (earlier !== undefined) assert.equal(x, earlier, `id ${x.id}`);
      }
      // The same filter again adds nothing and keeps the instances.
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      assert.equal(container.length, new Set([...aptEC, ...red]).size);
      for (const [id, x] of before)
        assert.equal(
          [...container].find((y) => y.id === id),
          x,
        );
    });

    it('a tag post filter on a second retrieve judges what that request read, and the known objects gain their tags', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      assert.ok([...container].every((x) => x.tags === undefined));
      const instances = [...container];
      const filtered = tc.report.resultsFiltered;
      container.addFilter().addOwner(EC).addTag('APT').addPfTag('APT');
      await container.retrieve();
      // Every APT indicator passes its own tag post filter; the earlier instances stay.
      assert.equal(tc.report.resultsFiltered - filtered, aptEC.length);
      assert.ok([...container].every((x, i) => x === instances[i]));
      assert.ok([...container].every((x) => x.tags?.includes('APT') === true));
    });

    it('an attribute post filter after a plain retrieve works the same way', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      container.addFilter().addOwner(EC).addTag('APT').addPfAttribute('Description');
      const got: number[] = [];
      const stream = container.stream();
      for await (const x of stream) got.push(x.id);
      const expected = data.indicators
        .filter((i) => aptEC.includes(i.id) && i.attributes.some((a) => a.type === 'Description'))
        .map((i) => i.id);
      assert.ok(expected.length > 0);
      assert.deepEqual(got, expected);
      container.addFilter().addOwner(EC).addTag('APT').addPfAttribute('Description');
      const before = container.length;
      const filtered = tc.report.resultsFiltered;
      await container.retrieve();
      assert.equal(tc.report.resultsFiltered - filtered, expected.length);
      assert.equal(container.length, before);
      assert.deepEqual(
        [...container].filter((x) => x.attributes?.some((a) => a.type === 'Description')).map((x) => x.id),
        expected,
      );
    });

    it('stream() yields fresh objects and leaves the container as it was', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      const kept = [...container];
      container.addFilter().addOwner(EC).addTag('APT');
      const streamed = [];
      for await (const x of container.stream()) streamed.push(x);
      assert.deepEqual(
        streamed.map((x) => x.id),
        aptEC,
      );
      assert.ok(streamed.every((x, i) => x !== kept[i]));
      assert.equal(container.length, aptEC.length);
    });

    it('a walk uses the filter objects up: the next retrieve() with none reads the base listing', async () => {
      const tc = make();
      const container = tc.adversaries();
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      await resetSandbox(sandbox);
      await container.retrieve();
      assert.deepEqual(await targets(sandbox), [
        `/v2/groups/adversaries?createActivityLog=false&resultLimit=${LIMIT}&resultStart=0`,
      ]);
      const orgAdversaries = data.groups
        .filter((g) => g.type === 'Adversary' && g.ownerName === ORG)
        .map((g) => g.id)
        .sort((a, b) => a - b);
      assert.deepEqual(ids(container), [700, 701, 702, ...orgAdversaries]);
    });
  });

  describe('/v2/types/indicatorTypes', () => {
    it('is read once per client, on first need, whatever the number of containers', async () => {
      const tc = make();
      // No custom type in these results: no read at all.
      const plain = tc.indicators();
      plain.addFilter().addOwner(EC).addTag('APT');
      await plain.retrieve();
      tc.adversaries();
      tc.indicators();
      assert.ok(!(await targets(sandbox)).some((t) => t.startsWith('/v2/types/')));
      // ASN indicators (a custom type) in two owners and two containers: one read.
      for (const owner of [ORG, EC]) {
        const c = tc.indicators();
        c.addFilter().addOwner(owner);
        await c.retrieve();
        const asn = [...c].filter((i) => i.type === 'ASN');
        assert.ok(asn.length > 0, owner);
        assert.ok(asn.every((i) => i.kind?.branch === 'asns' && i.summary.startsWith('ASN')));
      }
      const log = await targets(sandbox);
      assert.equal(log.filter((t) => t.startsWith('/v2/types/indicatorTypes')).length, 1, log.join('\n'));
      // The read came after the first listing that needed it, not before any listing.
      assert.ok(log.findIndex((t) => t.startsWith('/v2/types/')) > 0);
      // Another client reads it again.
      const other = make();
      const c = other.indicators();
      c.addFilter().addOwner(ORG);
      await c.retrieve();
      assert.equal(
        (await targets(sandbox)).filter((t) => t.startsWith('/v2/types/indicatorTypes')).length,
        2,
      );
    });
  });

  describe('report counters', () => {
    it('unfiltered, filtered, API filters, post filters and total, as the original counts them', async () => {
      const tc = make();
      tc.reportEnable();
      const container = tc.indicators();
      const f = container.addFilter();
      f.addOwner([EC, ORG])
        .addTag('APT')
        .addPfConfidence(50, FilterOperator.GE)
        .addPfRating('2.0', FilterOperator.GE);
      await container.retrieve();
      const answered = [EC, ORG].flatMap((o) =>
        data.indicators.filter((i) => i.ownerName === o && i.active && i.tags.includes('APT')),
      );
      const kept = answered.filter((i) => (i.confidence ?? -1) >= 50 && (i.rating ?? -1) >= 2);
      const pages = [EC, ORG].reduce(
        (n, o) => n + Math.max(1, Math.ceil(answered.filter((i) => i.ownerName === o).length / LIMIT)),
        0,
      );
      const r = tc.report;
      assert.equal(r.resultsUnfiltered, answered.length);
      assert.equal(r.resultsFiltered, kept.length);
      assert.equal(container.length, kept.length);
      assert.equal(r.apiFilters, pages);
      // Two post filters, counted per owner.
      assert.equal(r.postFilters, 4);
      assert.equal(r.totalFilters, pages + 4);
      const post = r.entries.filter((e) => e.kind === 'postFilter');
      assert.deepEqual(
        post.map((e) => e.description),
        [
          'post filter by confidence GE 50',
          'post filter by rating GE 2.0',
          'post filter by confidence GE 50',
          'post filter by rating GE 2.0',
        ],
      );
      assert.match(r.stats, /\n {2}Unfiltered Results {11}\d+/);
      assert.ok(r.stats.includes(`  Filtered Results             ${String(kept.length).padEnd(50)}`));
      assert.ok(r.stats.includes(`  Post Filters                 ${'4'.padEnd(50)}`));
    });

    it('while reporting is off, API filters are not counted; results and post filters are', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT').addPfConfidence(50, FilterOperator.GE);
      await container.retrieve();
      const r = tc.report;
      assert.equal(r.apiFilters, 0);
      assert.equal(r.postFilters, 1);
      assert.equal(r.totalFilters, 1);
      assert.equal(r.resultsUnfiltered, aptEC.length);
      assert.equal(
        r.resultsFiltered,
        data.indicators.filter((i) => aptEC.includes(i.id) && (i.confidence ?? -1) >= 50).length,
      );
      assert.equal(r.entries.length, 0);
    });

    it('a 404 "not found" pivot is an empty result and a report failure; a stream counts what it yielded', async () => {
      const tc = make();
      tc.reportEnable();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('NoSuchTag');
      await container.retrieve();
      assert.equal(container.length, 0);
      assert.equal(tc.report.failures.length, 1);
      assert.equal(tc.report.failures[0]?.status, 404);
      const s = tc.indicators();
      s.addFilter().addOwner(EC).addTag('APT');
      let n = 0;
      for await (const x of s.stream()) {
        assert.ok(aptEC.includes(x.id));
        n += 1;
        if (n === 3) break;
      }
      assert.equal(tc.report.resultsFiltered, 3);
    });
  });

  describe('leaving a loop early and concurrency', () => {
    it('breaking out of a stream aborts the windows in flight', async () => {
      // Every page is held 3 s, so the windows launched with the first page are still in flight when
      // the loop ends right after its first object.
      await setRules(sandbox, { kind: 'stall', ms: 3000, pathPrefix: '/v2/indicators' });
      const tc = make({ concurrency: 3 });
      tc.reportEnable();
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      for await (const x of container.stream()) {
        assert.equal(typeof x.id, 'number');
        break;
      }
      const owned = data.indicators.filter((i) => i.ownerName === EC && i.active).length;
      const inFlight = Math.min(3, Math.ceil(owned / LIMIT) - 1);
      assert.ok(inFlight >= 2, `${owned} indicators`);
      // Listing requests only: parsing the first page may also read the indicator types (an ASN item).
      const listing = () =>
        tc.report.entries.flatMap((e) =>
          e.kind === 'request' && e.url.includes('/v2/indicators?') ? [e] : [],
        );
      for (let i = 0; i < 500 && listing().length < 1 + inFlight; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const requests = listing();
      const aborted = requests.filter((e) => e.error?.code === 'TC_ABORT');
      assert.equal(aborted.length, inFlight, JSON.stringify(requests.map((e) => e.toJSON())));
      assert.ok(aborted.every((e) => e.error?.message.endsWith('the page loop ended early')));
      assert.equal(requests.filter((e) => e.status === 200).length, 1);
    });

    it('a slow reader holds the page window only: no window past it is requested until it reads on', async () => {
      const tc = make({ concurrency: 2, apiResultLimit: 20 });
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      const owned = data.indicators.filter((i) => i.ownerName === EC && i.active).map((i) => i.id);
      const windows = Math.ceil(owned.length / 20);
      assert.ok(windows >= 4, `${windows} windows`);
      const got: number[] = [];
      let held = -1;
      for await (const x of container.stream()) {
        got.push(x.id);
        if (got.length === 1) {
          // The first page and the two windows after it: requested and answered; then nothing more
          // while this reader waits.
          await waitForLog(sandbox, 3);
          await new Promise((resolve) => setTimeout(resolve, 300));
          held = (await targets(sandbox)).length;
        }
      }
      assert.equal(held, 3);
      assert.deepEqual(
        got,
        [...owned].sort((a, b) => a - b),
      );
      assert.equal((await targets(sandbox)).filter((t) => t.startsWith('/v2/indicators')).length, windows);
    });

    it('a caller signal aborts a retrieve()', async () => {
      await setRules(sandbox, { kind: 'stall', ms: 3000, pathPrefix: '/v2/indicators' });
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      const controller = new AbortController();
      const pending = container.retrieve({ signal: controller.signal });
      pending.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      const error = await rejection(() => pending);
      assert.equal((error as { code?: string }).code, 'TC_ABORT', String(error));
      assert.equal(container.length, 0);
    });

    for (const concurrency of [1, 4, 32]) {
      it(`retrieve({ concurrency: ${concurrency} }) and stream({ concurrency }) give the same results in order`, async () => {
        const tc = make();
        const model = { owners: [EC, ORG], api: [], post: [], operator: 'and' } as const;
        const expected = oracle.retrieve({ kind: 'indicators' }, [model]);
        assert.ok(expected.length > 3 * LIMIT);
        const c = tc.indicators();
        c.addFilter().addOwner([EC, ORG]);
        await c.retrieve({ concurrency });
        assert.deepEqual(ids(c), expected);
        c.addFilter().addOwner([EC, ORG]);
        const streamed: number[] = [];
        for await (const x of c.stream({ concurrency })) streamed.push(x.id);
        assert.deepEqual(streamed, expected);
      });
    }

    it('a call refused for its options keeps the filter objects for the corrected call', async () => {
      const tc = make();
      for (const bad of [{ concurrency: 0 }, { serverFilters: 'yes' as unknown as boolean }]) {
        const c = tc.indicators();
        c.addFilter().addOwner(EC).addTag('APT');
        assert.ok((await rejection(() => c.retrieve(bad))) instanceof ValidationError);
        // Not the whole base listing of the default org, which a container without filters reads.
        await c.retrieve({ concurrency: 2 });
        assert.deepEqual(ids(c), aptEC);
      }
    });

    it('an invalid concurrency throws ValidationError before any request', async () => {
      const tc = make();
      for (const bad of [0, 33, 1.5, Number.NaN]) {
        const c = tc.indicators();
        c.addFilter().addOwner(EC);
        const error = await rejection(() => c.retrieve({ concurrency: bad }));
        assert.ok(error instanceof ValidationError, String(error));
        assert.equal(error.message, `\`concurrency\` must be an integer from 1 to 32, got ${String(bad)}`);
        c.addFilter().addOwner(EC);
        const streamError = await rejection(async () => {
          for await (const x of c.stream({ concurrency: bad })) assert.fail(`yielded ${x.id}`);
        });
        assert.ok(streamError instanceof ValidationError, String(streamError));
        // A single-object request is no exception.
        const single = tc.adversaries();
        single.addFilter().addOwner(EC).addId(700);
        assert.ok((await rejection(() => single.retrieve({ concurrency: bad }))) instanceof ValidationError);
        // Nor is apiRequestPages.
        const ro = new RequestObject().setHttpMethod('GET').setRequestUri('/v2/indicators');
        const pagesError = await rejection(async () => {
          for await (const page of tc.apiRequestPages(ro, { concurrency: bad }))
            assert.fail(String(page.resultStart));
        });
        assert.ok(pagesError instanceof ValidationError, String(pagesError));
      }
      assert.deepEqual(await targets(sandbox), []);
    });
  });

  it('typed and untyped filter objects of one container combine by their operators', async () => {
    const tc = make();
    const container = tc.indicators();
    container.addFilter().addOwner(EC).addTag('EXAMPLE');
    container.addFilter(IndicatorType.ADDRESSES).addOwner(EC).addFilterOperator(FilterSetOperator.AND);
    await container.retrieve();
    const expected = data.indicators
      .filter((i) => i.ownerName === EC && i.active && i.type === 'Address' && i.tags.includes('EXAMPLE'))
      .map((i) => i.id)
      .sort((a, b) => a - b);
    assert.ok(expected.length >= 2);
    assert.deepEqual(ids(container), expected);
  });
});
