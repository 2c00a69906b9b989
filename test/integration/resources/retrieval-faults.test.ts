/**
 * Retrieval under the sandbox's faults (decisions.md 1.4 and 1.6): with 503s and connection resets on
 * GETs, retries give exactly the expected set, in order, without duplicates; a short page (`shortPage`)
 * or a later window that still fails after its retries throws IncompleteResultError naming the window,
 * and the first window's failure throws the typed ApiError; `retrieve()` is all or nothing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ConnectionError,
  FilterSetOperator,
  IncompleteResultError,
  ServerError,
  type ThreatConnect,
} from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type ContainerModel, type FilterModel, FilterOracle } from './oracle.js';
import { applyModels, ids, rejection, requestLog, resetSandbox, setRules } from './support.js';

const SEED = 400;
const LIMIT = 25;
const EC = 'Example Community';
const CC = 'Common Community';
const ORG = 'Example Org';

describe('retrieval under faults', () => {
  let sandbox: Sandbox;
  const clients: ThreatConnect[] = [];
  const data = sampleData(SEED);
  const oracle = new FilterOracle(data);
  const make = (options: Parameters<typeof clientFor>[1] = {}) => {
    const tc = clientFor(sandbox, { apiResultLimit: LIMIT, apiRetries: 12, ...options });
    clients.push(tc);
    return tc;
  };
  const indicators: ContainerModel = { kind: 'indicators' };
  /** Several owners, pivots with and without owner, AND and OR: many pages. */
  const models: FilterModel[] = [
    { owners: [EC, ORG], api: [], post: [], operator: 'and' },
    {
      owners: [EC, CC],
      api: [
        ['addTag', 'APT'],
        ['addThreatId', 38],
        ['addSecurityLabel', 'TLP Red'],
      ],
      post: [],
      operator: 'or',
    },
    {
      owners: [ORG, EC, CC],
      api: [],
      post: [{ name: 'addPfConfidence', value: 20, op: 'GE' }],
      operator: 'and',
    },
  ];
  const ownerPages = (owner: string) =>
    Math.ceil(data.indicators.filter((i) => i.ownerName === owner && i.active).length / LIMIT);

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

  for (const mode of ['retrieve', 'stream'] as const) {
    it(`503s (p=0.1) and resets of GETs (p=0.05): ${mode}() gives exactly the expected set, in order, once each`, async () => {
      await setRules(
        sandbox,
        { kind: 'status', status: 503, probability: 0.1 },
        { kind: 'reset', method: 'GET', probability: 0.05 },
      );
      // Small pages: many requests, so that both rules fire.
      const tc = make({ apiResultLimit: 10 });
      const expected = oracle.retrieve(indicators, models);
      assert.ok(expected.length > 5 * LIMIT, `${expected.length} expected`);
      const container = tc.indicators();
      applyModels(container, indicators, models);
      let got: number[];
      if (mode === 'retrieve') {
        await container.retrieve();
        got = ids(container);
      } else {
        got = [];
        for await (const x of container.stream()) got.push(x.id);
      }
      assert.equal(new Set(got).size, got.length, 'no duplicates');
      assert.deepEqual(got, expected);
      // The faults did fire: answered 503s and resets (no status) are in the log, and were retried.
      const log = await requestLog(sandbox);
      assert.ok(
        log.some((e) => e.status === 503),
        'a 503 was served',
      );
      assert.ok(
        log.some((e) => e.status === null && e.fault === 'reset'),
        'a reset was served',
      );
    });
  }

  describe('no silent partial result', () => {
    const ownedEC = data.indicators.filter((i) => i.ownerName === EC && i.active).length;
    const windows = Math.ceil(ownedEC / LIMIT);

    /**
     * `retrieve()` of EC's listing one window at a time (so the second request is the window at
     * resultStart=LIMIT) under `rule`: the IncompleteResultError it must throw, naming that window.
     */
    const failSecondWindow = async (
      rule: Parameters<typeof setRules>[1],
      options: Parameters<typeof make>[0],
    ) => {
      await setRules(sandbox, rule);
      const tc = make({ concurrency: 1, ...options });
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      const error = await rejection(() => container.retrieve());
      assert.ok(error instanceof IncompleteResultError, String(error));
      assert.equal(error.resultStart, LIMIT);
      assert.equal(error.resultLimit, LIMIT);
      return { tc, container, error };
    };

    it('a short later window (shortPage) throws IncompleteResultError naming it; retrieve() keeps nothing', async () => {
      assert.ok(windows >= 3);
      const { tc, container, error } = await failSecondWindow(
        { kind: 'shortPage', drop: 2, every: 2, pathPrefix: '/v2/indicators' },
        {},
      );
      assert.equal(
        error.message,
        `The page at resultStart=${LIMIT} has ${LIMIT - 2} items where ${LIMIT} were expected (resultCount ${ownedEC}) in GET /api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=${LIMIT}&resultStart=${LIMIT}`,
      );
      assert.equal(container.length, 0);
      // A retrieval that throws has no final set: Filtered Results is not counted (the objects of the
      // windows before the short one were collected, then dropped).
      assert.equal(tc.report.resultsFiltered, 0);
      assert.ok(tc.report.resultsUnfiltered >= LIMIT);
    });

    it('an end before resultCount (the last window short) throws too, after the earlier objects streamed', async () => {
      await setRules(sandbox, { kind: 'shortPage', drop: 1, every: windows, pathPrefix: '/v2/indicators' });
      const tc = make({ concurrency: 1 });
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      const seen: number[] = [];
      const error = await rejection(async () => {
        for await (const x of container.stream()) seen.push(x.id);
      });
      const last = (windows - 1) * LIMIT;
      assert.ok(error instanceof IncompleteResultError, String(error));
      assert.equal(error.resultStart, last);
      assert.match(
        error.message,
        new RegExp(
          `^The page at resultStart=${last} has \\d+ items where \\d+ were expected \\(resultCount ${ownedEC}\\) in GET /api/v2/indicators\\?\\S*&resultStart=${last}$`,
        ),
      );
      // Every object before the short window came out, and nothing of it.
      assert.equal(seen.length, last);
    });

    it('a short page on any request of a union fails the whole retrieval', async () => {
      await setRules(sandbox, { kind: 'shortPage', drop: 1, pathPrefix: '/v2/tags/' });
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      container.addFilter().addOwner(EC).addTag('APT').addFilterOperator(FilterSetOperator.OR);
      const error = await rejection(() => container.retrieve());
      assert.ok(error instanceof IncompleteResultError, String(error));
      assert.equal(error.resultStart, 0);
      assert.equal(container.length, 0);
    });

    it('a later window that fails for good: IncompleteResultError naming it, with the ApiError as cause', async () => {
      await setRules(sandbox, { kind: 'status', status: 500, every: 2, pathPrefix: '/v2/indicators' });
      const tc = make({ concurrency: 1 });
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      const error = await rejection(() => container.retrieve());
      assert.ok(error instanceof IncompleteResultError, String(error));
      assert.equal(error.resultStart, LIMIT);
      assert.match(error.message, new RegExp(`^The page at resultStart=${LIMIT} failed: `));
      assert.ok(error.cause instanceof ServerError, String(error.cause));
      assert.equal(container.length, 0);
    });

    it('a later window whose connection fails for good (reset, no retry): IncompleteResultError naming it, with the ConnectionError as cause', async () => {
      const { container, error } = await failSecondWindow(
        { kind: 'reset', method: 'GET', every: 2, pathPrefix: '/v2/indicators' },
        { apiRetries: 0 },
      );
      assert.match(error.message, new RegExp(`^The page at resultStart=${LIMIT} failed: `));
      assert.ok(error.cause instanceof ConnectionError, String(error.cause));
      assert.equal(container.length, 0);
    });

    it('a later window still failing after its retries (503): the same, after every retry', async () => {
      // Fail every request after the first for good: retries included.
      const tc = make({ concurrency: 1, apiRetries: 2 });
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      let first = true;
      const error = await rejection(async () => {
        for await (const x of container.stream()) {
          assert.equal(typeof x.id, 'number');
          if (first) {
            first = false;
            await setRules(sandbox, { kind: 'status', status: 503, pathPrefix: '/v2/indicators' });
          }
        }
      });
      assert.ok(error instanceof IncompleteResultError, String(error));
      // The window after the first was launched before the rule, so it may have passed; the one that
      // failed was tried three times (two retries).
      const failed = (await requestLog(sandbox)).filter((e) => e.status === 503);
      assert.equal(failed.length, 3);
      assert.ok(failed.every((e) => e.target.includes(`resultStart=${error.resultStart}`)));
      assert.ok(error.resultStart >= LIMIT);
    });

    it('the first window failing for good throws the typed ApiError', async () => {
      await setRules(sandbox, { kind: 'status', status: 500, pathPrefix: '/v2/indicators' });
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC);
      const error = await rejection(() => container.retrieve());
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.status, 500);
    });

    it('a failure of a later filter object leaves the earlier retrieve() results as they were', async () => {
      const tc = make();
      const container = tc.indicators();
      container.addFilter().addOwner(EC).addTag('APT');
      await container.retrieve();
      const before = ids(container);
      assert.ok(before.length > 0);
      await setRules(sandbox, { kind: 'shortPage', drop: 1, every: 2, pathPrefix: '/v2/indicators' });
      container.addFilter().addOwner(ORG);
      container.addFilter().addOwner(CC).addFilterOperator(FilterSetOperator.OR);
      assert.ok(ownerPages(ORG) > 0 && ownerPages(CC) > 0);
      await assert.rejects(container.retrieve(), IncompleteResultError);
      assert.deepEqual(ids(container), before);
    });
  });
});
