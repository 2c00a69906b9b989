/**
 * The retrieval engine, with answers the sandbox never gives (stub server):
 * - a later window answered 200 with a body that is not JSON (a proxy's error page, a body cut at a
 *   clean chunk end) failed the walk with InvalidResponseError, which names no window; decisions.md 1.3
 *   and 1.4 want IncompleteResultError for "a page window [that] came back short, or failed";
 * - a short window's IncompleteResultError did not say which listing it belongs to, so a retrieval of
 *   several requests or owners could not be told apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IncompleteResultError } from '../../../src/index.js';
import { type StubApi, startStubApi } from '../../helpers/stub-api.js';

const TOTAL = 30;
const LIMIT = 10;

const host = (id: number, owner: string) =>
  `{"id":${id},"type":"Host","summary":"h${id}.example.com","ownerName":"${owner}"}`;

describe('later windows that fail by their answer (stub server)', () => {
  let stub: StubApi;
  let answer: (url: URL) => { type: string; body: string };
  before(async () => {
    stub = await startStubApi((req, res) => {
      req.resume();
      req.on('end', () => {
        const { type, body } = answer(new URL(req.url ?? '/', 'http://stub'));
        res.writeHead(200, { 'Content-Type': type });
        res.end(body);
      });
    });
    stub.tc.setApiResultLimit(LIMIT);
  });
  after(async () => {
    await stub.close();
  });

  /** A listing of TOTAL hosts for `owner`; `page(start)` may replace a page's answer. */
  const listing =
    (shortAt?: { owner: string; start: number }, replace?: (start: number) => string | undefined) =>
    (url: URL) => {
      const owner = url.searchParams.get('owner') ?? 'Example Org';
      const start = Number(url.searchParams.get('resultStart'));
      const replaced = replace?.(start);
      if (replaced !== undefined) return { type: 'text/html', body: replaced };
      let end = Math.min(TOTAL, start + LIMIT);
      if (shortAt !== undefined && shortAt.owner === owner && shortAt.start === start) end -= 1;
      const base = owner === 'Example Org' ? 1000 : 2000;
      const items = [];
      for (let i = start; i < end; i += 1) items.push(host(base + i, owner));
      const count = start === 0 ? `"resultCount":${TOTAL},` : '';
      return {
        type: 'application/json',
        body: `{"status":"Success","data":{${count}"indicator":[${items.join(',')}]}}`,
      };
    };

  it('a later window answered 200 with a body that is not JSON: IncompleteResultError naming it', async () => {
    answer = listing(undefined, (start) => (start === LIMIT ? '<html>502 Bad Gateway</html>' : undefined));
    const container = stub.tc.indicators();
    container.addFilter();
    const error = await container.retrieve({ concurrency: 1 }).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(
      error instanceof IncompleteResultError,
      `${(error as Error).name}: ${(error as Error).message}`,
    );
    assert.equal(error.resultStart, LIMIT);
    assert.equal(error.resultLimit, LIMIT);
  });

  it('a short window of one of several owners: the error says which listing', async () => {
    answer = listing({ owner: 'Example Community', start: LIMIT });
    const container = stub.tc.indicators();
    container.addFilter().addOwner(['Example Org', 'Example Community']);
    const error = await container.retrieve({ concurrency: 1 }).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof IncompleteResultError, String(error));
    assert.equal(error.resultStart, LIMIT);
    const where = `${error.message} ${error.request?.url ?? ''}`;
    assert.match(where, /Example(\+|%20| )Community/, `the error names the listing: ${where}`);
  });
});
