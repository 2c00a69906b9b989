/**
 * `tc.apiRequestPages(ro)` against the sandbox (decisions.md 1.4): pages in order with the total
 * from the first page, exactly the sample records, `resultLimit`/`resultStart` after the request's
 * own parameters, a short window, a 404 and 503s on a page.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ApiPage,
  type ClientOptions,
  IncompleteResultError,
  NotFoundError,
  type RequestObject,
  ServerError,
  type ThreatConnect,
} from '../../../src/index.js';
import { sampleData } from '../../../src/sandbox/index.js';
import { recordingClock, rejection, request, requestLog, setRules, useSandboxClient } from './support.js';

const SEED = 600;
const OWNER = 'Example Community';
const LIMIT = 100;

describe('apiRequestPages against the sandbox', () => {
  const fx = useSandboxClient({ sandbox: { seedIndicators: SEED }, resetEach: true });
  const data = sampleData(SEED);
  const owned = data.indicators.filter((i) => i.ownerName === OWNER && i.active);
  /** Active Example Community indicators, in id order (the listing's order). */
  const expected = owned.map((i) => i.id).sort((a, b) => a - b);

  // One window at a time, so the request log's order is fixed; pages-concurrency.test.ts covers more.
  const make = (options: Partial<ClientOptions> = {}) => {
    const tc = fx.client({ apiRetries: 2, clock: recordingClock(), concurrency: 1, ...options });
    tc.setApiResultLimit(LIMIT);
    return tc;
  };
  const collect = async (tc: ThreatConnect, ro: RequestObject, into: ApiPage[] = []) => {
    for await (const page of tc.apiRequestPages(ro)) into.push(page);
    return into;
  };
  const ids = (pages: ApiPage[]) => pages.flatMap((p) => p.items.map((item) => (item as { id: number }).id));
  const target = (query: string, start: number) =>
    `/api/v2/indicators?${query}&resultLimit=${LIMIT}&resultStart=${start}`;

  it('yields every page in order, with the total from the first page: exactly the sample records', async () => {
    assert.ok(expected.length > 2 * LIMIT, `${expected.length} indicators: at least three pages`);
    const tc = make();
    const pages = await collect(tc, request('GET', '/v2/indicators', { owner: OWNER }));
    const starts = Array.from({ length: Math.ceil(expected.length / LIMIT) }, (_, i) => i * LIMIT);
    assert.deepEqual(
      pages.map((p) => [p.resultStart, p.resultLimit, p.resultCount, p.items.length, p.response.status]),
      starts.map((start) => [start, LIMIT, expected.length, Math.min(LIMIT, expected.length - start), 200]),
    );
    assert.equal(pages[0]?.data.resultCount, expected.length);
    assert.ok(pages.every((p) => p.items === p.data.indicator));
    assert.deepEqual(ids(pages), expected);
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => e.target),
      starts.map((start) => target('createActivityLog=false&owner=Example+Community', start)),
    );
  });

  it('sends resultLimit then resultStart after the request parameters, in the order they were set', async () => {
    const since = '2023-01-01T00:00:00Z';
    const tc = make();
    tc.setActivityLog(true);
    const ro = request('GET', '/v2/indicators');
    ro.addPayload('modifiedSince', since).setOwner(OWNER);
    const pages = await collect(tc, ro);
    const recent = owned
      .filter((i) => Date.parse(i.lastModified) >= Date.parse(since))
      .map((i) => i.id)
      .sort((a, b) => a - b);
    assert.ok(recent.length > LIMIT && recent.length < expected.length, `${recent.length} recent`);
    assert.deepEqual(ids(pages), recent);
    const query = 'createActivityLog=true&modifiedSince=2023-01-01T00%3A00%3A00Z&owner=Example+Community';
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => e.target),
      pages.map((p) => target(query, p.resultStart)),
    );
  });

  it("the iterator owns the window: the request object's resultLimit/resultStart are not sent", async () => {
    const tc = make();
    const ro = request('GET', '/v2/indicators', { owner: OWNER }).setResultLimit(50).setResultStart(7);
    const pages = await collect(tc, ro);
    assert.deepEqual(ids(pages), expected);
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => e.target),
      pages.map((p) => target('createActivityLog=false&owner=Example+Community', p.resultStart)),
    );
  });

  for (const [every, start, kept] of [
    [2, 100, 97],
    [3, 200, 18],
  ] as const) {
    it(`a short page at resultStart=${start}: IncompleteResultError with its window`, async () => {
      await setRules(fx.sandbox, { kind: 'shortPage', drop: 3, every });
      const tc = make();
      const pages: ApiPage[] = [];
      const error = await rejection(() =>
        collect(tc, request('GET', '/v2/indicators', { owner: OWNER }), pages),
      );
      assert.ok(error instanceof IncompleteResultError, String(error));
      assert.equal(error.code, 'TC_INCOMPLETE');
      assert.equal(error.resultStart, start);
      assert.equal(error.resultLimit, LIMIT);
      const want = Math.min(LIMIT, expected.length - start);
      // The listing is named: which request of a walk came back short.
      assert.match(
        error.message,
        new RegExp(
          `^The page at resultStart=${start} has ${kept} items where ${want} were expected \\(resultCount ${expected.length}\\) in GET /api/v2/indicators\\?\\S*resultStart=${start}$`,
        ),
      );
      assert.equal(pages.length, start / LIMIT, 'the pages before it were yielded');
      assert.equal((await requestLog(fx.sandbox)).length, start / LIMIT + 1);
    });
  }

  it('a 404: NotFoundError, not retried', async () => {
    const tc = make();
    const error = await rejection(() =>
      collect(tc, request('GET', '/v2/groups/incidents/708996/groups/adversaries')),
    );
    assert.ok(error instanceof NotFoundError, String(error));
    assert.equal(error.status, 404);
    assert.equal(error.message, 'The requested resource was not found');
    assert.equal(
      error.request?.url,
      `${fx.sandbox.baseUrl}/v2/groups/incidents/708996/groups/adversaries?createActivityLog=false&resultLimit=${LIMIT}&resultStart=0`,
    );
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => e.status),
      [404],
    );
  });

  it('503s on pages (every second request) are retried and the pages stay complete', async () => {
    await setRules(fx.sandbox, { kind: 'status', status: 503, every: 2 });
    const tc = make();
    const pages = await collect(tc, request('GET', '/v2/indicators', { owner: OWNER }));
    assert.deepEqual(ids(pages), expected);
    assert.deepEqual(
      pages.map((p) => p.response.attempts),
      [1, 2, 2],
    );
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => e.status),
      [200, 503, 200, 503, 200],
    );
  });

  it('503s until retries run out: ServerError after the retries', async () => {
    await setRules(fx.sandbox, { kind: 'status', status: 503 });
    const tc = make({ apiRetries: 1 });
    const error = await rejection(() => collect(tc, request('GET', '/v2/indicators', { owner: OWNER })));
    assert.ok(error instanceof ServerError, String(error));
    assert.equal(error.message, 'Injected fault 503');
    assert.equal((await requestLog(fx.sandbox)).length, 2);
  });
});
