/**
 * apiRequestPages with windows in flight (issue 6 section 3): the client's `concurrency` (or the
 * per-call option) pages a listing with several requests at once, the pages and items still come
 * out in order, `.items()` iterates items with a typed shape, and leaving the loop early aborts the
 * windows in flight. Also the client's lifecycle: `close()` aborts calls in flight, `await using`.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ClientClosedError, type ThreatConnect } from '../../../src/index.js';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { rejection, request, requestLog, resetSandbox, setRules } from './support.js';

const SEED = 600;
const OWNER = 'Example Community';
const LIMIT = 50;

describe('apiRequestPages with concurrent windows', () => {
  let sandbox: Sandbox;
  const clients: ThreatConnect[] = [];
  const expected = sampleData(SEED)
    .indicators.filter((i) => i.ownerName === OWNER && i.active)
    .map((i) => i.id)
    .sort((a, b) => a - b);
  const make = (concurrency?: number) => {
    const tc = clientFor(sandbox, { apiRetries: 2, ...(concurrency === undefined ? {} : { concurrency }) });
    tc.setApiResultLimit(LIMIT);
    clients.push(tc);
    return tc;
  };
  const listing = () => request('GET', '/v2/indicators', { owner: OWNER });
  const starts = async () =>
    (await requestLog(sandbox)).map((e) =>
      Number(new URL(e.target, 'http://x').searchParams.get('resultStart')),
    );

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

  for (const concurrency of [1, 4, 32]) {
    it(`concurrency ${concurrency}: every item once, in order, each window requested once`, async () => {
      const tc = make(concurrency);
      const ids: number[] = [];
      for await (const item of tc.apiRequestPages<{ id: number }>(listing()).items()) ids.push(item.id);
      assert.deepEqual(ids, expected);
      const windows = Math.ceil(expected.length / LIMIT);
      assert.deepEqual(
        (await starts()).sort((a, b) => a - b),
        Array.from({ length: windows }, (_, i) => i * LIMIT),
      );
    });
  }

  /**
   * The most calls open at once, from the report's entries. The client's clock is a counter that
   * moves on every reading, so the intervals order events exactly: no wall-clock time is involved.
   */
  const maxOpen = (tc: ThreatConnect) => {
    const events = tc.report.entries.flatMap((e) =>
      e.kind === 'request'
        ? [
            [e.startMs, 1],
            [e.startMs + e.durationMs, -1],
          ]
        : [],
    );
    events.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0));
    let open = 0;
    let most = 0;
    for (const [, step] of events) {
      open += step ?? 0;
      most = Math.max(most, open);
    }
    return most;
  };
  const countingClient = (options: { concurrency?: number } = {}) => {
    let tick = Date.now();
    const tc = clientFor(sandbox, {
      clock: { now: () => (tick += 1) },
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    });
    tc.setApiResultLimit(LIMIT);
    tc.reportEnable();
    clients.push(tc);
    return tc;
  };

  it('the default is the client option concurrency: 4 windows open at once, never more', async () => {
    const tc = countingClient();
    assert.equal(tc.config.concurrency, 4);
    let pages = 0;
    for await (const page of tc.apiRequestPages(listing())) pages += page.items.length > 0 ? 1 : 0;
    assert.equal(pages, Math.ceil(expected.length / LIMIT));
    assert.equal(maxOpen(tc), 4);
  });

  it('the per-call option wins: concurrency 1 opens one window at a time', async () => {
    const tc = countingClient({ concurrency: 8 });
    for await (const page of tc.apiRequestPages(listing(), { concurrency: 1 }))
      assert.ok(page.items.length > 0);
    assert.equal(maxOpen(tc), 1);
    const eight = countingClient({ concurrency: 8 });
    for await (const page of eight.apiRequestPages(listing())) assert.ok(page.items.length > 0);
    assert.equal(maxOpen(eight), Math.min(8, Math.ceil(expected.length / LIMIT) - 1));
  });

  for (const concurrency of [1, 4]) {
    it(`concurrency ${concurrency}: the next windows are on the wire before the caller is handed a page`, async () => {
      // The order of two events, no clock: undici reports each request's headers as it writes them
      // to the socket, and the loop below notes each page as it gets it. A caller that handles a
      // page without awaiting I/O would otherwise hold back the next request until it was done.
      const size = 20;
      const windows = Math.ceil(expected.length / size);
      assert.ok(windows > concurrency + 1, 'later pages start windows too');
      const tc = make(concurrency);
      tc.setApiResultLimit(size);
      const walk = async (): Promise<string[]> => {
        const events: string[] = [];
        const onSent = (message: unknown): void => {
          const path = (message as { request: { path: string } }).request.path;
          const start = new URL(path, 'http://x').searchParams.get('resultStart');
          if (path.includes('/v2/indicators')) events.push(`sent ${start ?? '?'}`);
        };
        diagnostics.subscribe('undici:client:sendHeaders', onSent);
        try {
          for await (const page of tc.apiRequestPages(listing(), { concurrency })) {
            events.push(`page ${page.resultStart}`);
          }
        } finally {
          diagnostics.unsubscribe('undici:client:sendHeaders', onSent);
        }
        assert.equal(events.filter((e) => e.startsWith('sent ')).length, windows, events.join(', '));
        return events;
      };
      const sentBefore = (events: string[], window: number, page: number): void => {
        const sent = events.indexOf(`sent ${window * size}`);
        assert.ok(
          sent !== -1 && sent < events.indexOf(`page ${page * size}`),
          `window ${window * size} was sent after page ${page * size}: ${events.join(', ')}`,
        );
      };
      // Page 0 starts windows 1..concurrency at once; every later page k starts window k + concurrency.
      const started = (k: number): number[] =>
        k === 0
          ? Array.from({ length: Math.min(concurrency, windows - 1) }, (_, i) => i + 1)
          : k + concurrency < windows
            ? [k + concurrency]
            : [];
      // A new client: the first window after page 0 goes out on the connection page 0 came over, which
      // undici reuses only after a check-phase turn of its own; the other windows started with page 0
      // need new connections, whose set-up is I/O the walk does not wait for.
      const cold = await walk();
      if (concurrency === 1) for (let k = 0; k < windows - 1; k += 1) sentBefore(cold, k + 1, k);
      else sentBefore(cold, 1, 0);
      // The same client again: every window has a kept-alive connection waiting, so each window a page
      // starts is on the wire before that page is handed out.
      const warm = await walk();
      for (let k = 0; k < windows - 1; k += 1) for (const window of started(k)) sentBefore(warm, window, k);
    });
  }

  it('leaving the loop early aborts the windows in flight', async () => {
    // Later pages are held long; after the first page the loop ends, and the held requests are
    // abandoned by the client (the sandbox logs them once it gives up on the closed sockets).
    // Every page is held 3 s, so the windows launched with the first page are still in flight when the
    // loop ends right after it.
    await setRules(sandbox, { kind: 'stall', ms: 3000, pathPrefix: '/v2/indicators' });
    const tc = make(3);
    tc.reportEnable();
    for await (const page of tc.apiRequestPages(listing())) {
      assert.equal(page.resultStart, 0);
      break;
    }
    // The windows in flight end as aborted calls in the report, without waiting for the sandbox.
    for (let i = 0; i < 500 && tc.report.entries.length < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const aborted = tc.report.entries.filter((e) => e.kind === 'request' && e.error?.code === 'TC_ABORT');
    assert.ok(aborted.length >= 1, JSON.stringify(tc.report.entries.map((e) => e.toJSON())));
    assert.equal(tc.report.entries.filter((e) => e.kind === 'request' && e.status === 200).length, 1);
  });

  it('close() aborts the calls in flight with ClientClosedError', async () => {
    await setRules(sandbox, { kind: 'stall', ms: 3000, pathPrefix: '/v2/owners' });
    const tc = make();
    const pending = tc.apiRequest(request('GET', '/v2/owners/mine'));
    pending.catch(() => undefined); // asserted below
    // Most likely sent by now; either way the call must end as closed, not wait for the answer.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tc.close();
    const error = await rejection(() => pending);
    assert.ok(error instanceof ClientClosedError, String(error));
    assert.equal(error.message, 'The client was closed while the request was in flight');
  });

  it('await using closes the client at the end of its scope', async () => {
    let outside: ThreatConnect | undefined;
    {
      await using tc = make();
      outside = tc;
      assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    }
    await assert.rejects(outside.apiRequest(request('GET', '/v2/owners/mine')), ClientClosedError);
  });
});
