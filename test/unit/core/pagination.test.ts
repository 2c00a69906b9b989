/**
 * The page-window limiter (core/pagination.ts) without a transport: windows in flight never exceed
 * `concurrency`, pages come out in order whatever order the windows finish in, short windows throw,
 * and leaving early aborts what is in flight.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IncompleteResultError } from '../../../src/core/errors.js';
import {
  type ArrivedWindow,
  type FetchedWindow,
  type PageWindow,
  type PaginatedPage,
  paginate,
} from '../../../src/core/pagination.js';

interface Deferred {
  readonly window: PageWindow;
  readonly signal: AbortSignal;
  resolve(value: FetchedWindow<number[]>): void;
  reject(error: Error): void;
}

/** A listing of `total` numbers whose windows finish only when the test says so. */
function controlledListing(total: number) {
  const waiting: Deferred[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchWindow = (window: PageWindow, signal: AbortSignal) =>
    new Promise<FetchedWindow<number[]>>((resolve, reject) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = () => {
        inFlight -= 1;
      };
      signal.addEventListener('abort', () => {
        done();
        reject(new Error('aborted', { cause: signal.reason }));
      });
      waiting.push({
        window,
        signal,
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
    });
  const pageOf = (window: PageWindow, short = 0): FetchedWindow<number[]> => {
    const end = Math.min(total, window.resultStart + window.resultLimit) - short;
    const items: number[] = [];
    for (let i = window.resultStart; i < end; i += 1) items.push(i);
    return { page: items, itemCount: items.length, ...(window.resultStart === 0 ? { total } : {}) };
  };
  return {
    waiting,
    fetchWindow,
    pageOf,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** The page a step of the walk gave, if any. */
const yielded = <P>(step: IteratorResult<PaginatedPage<P>>): PaginatedPage<P> | undefined =>
  step.done === true ? undefined : step.value;

/**
 * Turns of the event loop enough for the walk to settle: after launching windows it gives the loop
 * two check-phase turns before handing out the page (`sendTurn`), so one turn is not enough.
 */
const tick = async (): Promise<void> => {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * A walk of 100 numbers in windows of 10, two in flight, under a caller's signal, whose first window
 * has just arrived: `first` is the pending first `next()`.
 */
async function walkWithFirstPageArrived() {
  const listing = controlledListing(100);
  const controller = new AbortController();
  const iterator = paginate({
    resultLimit: 10,
    concurrency: 2,
    signal: controller.signal,
    fetchWindow: listing.fetchWindow,
  });
  const first = iterator.next();
  await tick();
  const [w0] = listing.waiting.splice(0, 1);
  w0?.resolve(listing.pageOf(w0.window));
  return { listing, controller, iterator, first };
}

describe('paginate', () => {
  it('property: every window once, pages in order, never more than `concurrency` in flight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (total, limit, concurrency, picks) => {
          const listing = controlledListing(total);
          const out: number[] = [];
          const run = (async () => {
            for await (const page of paginate({
              resultLimit: limit,
              concurrency,
              fetchWindow: listing.fetchWindow,
            })) {
              out.push(...page.page);
            }
          })();
          // Finish the waiting windows in an order the property chooses.
          let pick = 0;
          for (;;) {
            await tick();
            if (listing.waiting.length === 0) break;
            const index = (picks[pick++ % Math.max(1, picks.length)] ?? 0) % listing.waiting.length;
            const [next] = listing.waiting.splice(index, 1);
            next?.resolve(listing.pageOf(next.window));
          }
          await run;
          assert.deepEqual(
            out,
            Array.from({ length: total }, (_, i) => i),
          );
          // The first window is alone; then at most `concurrency` at once.
          assert.ok(listing.maxInFlight <= concurrency, `${listing.maxInFlight} in flight`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fetches the remaining windows concurrently once the first page gives the total', async () => {
    const listing = controlledListing(100);
    const iterator = paginate({ resultLimit: 10, concurrency: 4, fetchWindow: listing.fetchWindow });
    const first = iterator.next();
    await tick();
    assert.deepEqual(
      listing.waiting.map((w) => w.window.resultStart),
      [0],
      'the first window alone',
    );
    const [w0] = listing.waiting.splice(0, 1);
    w0?.resolve(listing.pageOf(w0.window));
    const firstPage = await first;
    assert.equal(firstPage.done ? undefined : firstPage.value.resultCount, 100);
    assert.deepEqual(
      listing.waiting.map((w) => w.window.resultStart),
      [10, 20, 30, 40],
      'four windows in flight while the caller holds the first page',
    );
    await iterator.return(undefined);
  });

  it('a short non-final window throws IncompleteResultError naming it, after the pages before it', async () => {
    const listing = controlledListing(30);
    const seen: number[] = [];
    const run = (async () => {
      for await (const page of paginate({
        resultLimit: 10,
        concurrency: 2,
        fetchWindow: listing.fetchWindow,
      })) {
        seen.push(page.resultStart);
      }
    })();
    run.catch(() => undefined); // asserted below, once every window has settled
    const settle = async (short: number) => {
      await tick();
      const [next] = listing.waiting.splice(0, 1);
      next?.resolve(listing.pageOf(next.window, next.window.resultStart === 10 ? short : 0));
    };
    await settle(3);
    await settle(3);
    await settle(3);
    await assert.rejects(run, (error: unknown) => {
      assert.ok(error instanceof IncompleteResultError);
      assert.equal(error.resultStart, 10);
      assert.equal(error.resultLimit, 10);
      assert.equal(
        error.message,
        'The page at resultStart=10 has 7 items where 10 were expected (resultCount 30)',
      );
      return true;
    });
    assert.deepEqual(seen, [0]);
  });

  it('a last page that ends before resultCount throws too', async () => {
    const listing = controlledListing(25);
    const run = (async () => {
      for await (const page of paginate({
        resultLimit: 10,
        concurrency: 1,
        fetchWindow: listing.fetchWindow,
      })) {
        assert.ok(page.page.length > 0);
      }
    })();
    run.catch(() => undefined); // asserted below, once every window has settled
    for (let i = 0; i < 3; i += 1) {
      await tick();
      const [next] = listing.waiting.splice(0, 1);
      next?.resolve(listing.pageOf(next.window, next.window.resultStart === 20 ? 1 : 0));
    }
    await assert.rejects(
      run,
      /The page at resultStart=20 has 4 items where 5 were expected \(resultCount 25\)/,
    );
  });

  it('leaving the loop early aborts the windows in flight', async () => {
    const listing = controlledListing(100);
    const iterator = paginate({ resultLimit: 10, concurrency: 3, fetchWindow: listing.fetchWindow });
    const first = iterator.next();
    await tick();
    const [w0] = listing.waiting.splice(0, 1);
    w0?.resolve(listing.pageOf(w0.window));
    await first;
    const inFlight = [...listing.waiting];
    assert.equal(inFlight.length, 3);
    assert.ok(inFlight.every((w) => !w.signal.aborted));
    await iterator.return(undefined);
    assert.ok(
      inFlight.every((w) => w.signal.aborted),
      'every window in flight is aborted',
    );
  });

  it("the caller's signal aborts the windows in flight and ends the walk", async () => {
    const { listing, controller, iterator, first } = await walkWithFirstPageArrived();
    await first;
    const second = iterator.next();
    controller.abort(new Error('stop'));
    await assert.rejects(second, /aborted/);
    assert.ok(listing.waiting.every((w) => w.signal.aborted));
  });

  it('an abort while the started windows are being sent ends the walk without handing out the page', async () => {
    const { listing, controller, first } = await walkWithFirstPageArrived();
    // Microtasks only: the walk has the first page and has started windows 10 and 20, and now waits
    // for its check-phase turns.
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    assert.equal(listing.waiting.length, 2);
    controller.abort(new Error('stop'));
    await assert.rejects(
      first,
      (error: Error) => error.name === 'AbortError' && /stop/.test(String(error.cause)),
    );
    assert.ok(listing.waiting.every((w) => w.signal.aborted));
  });

  it('an abort while the windows started for a later page are being sent ends the walk before that page', async () => {
    const { listing, controller, iterator, first } = await walkWithFirstPageArrived();
    await first;
    const second = iterator.next();
    // Window 10 arrives; the walk starts window 30 and waits for its check-phase turns.
    const [w10] = listing.waiting.splice(0, 1);
    assert.ok(w10 !== undefined && w10.window.resultStart === 10);
    w10.resolve(listing.pageOf(w10.window));
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    assert.deepEqual(
      listing.waiting.map((w) => w.window.resultStart),
      [20, 30],
    );
    controller.abort(new Error('stop'));
    await assert.rejects(
      second,
      (error: Error) => error.name === 'AbortError' && /stop/.test(String(error.cause)),
    );
  });

  it('a first page without a total is the whole listing: no further window is asked for, however many items it has', async () => {
    // rest-api-v2.md 4.1: `/indicators/{t}/{v}/owners`, `ownerMetric` and `fileOccurrence` are not
    // paged and give no resultCount. Asking for windows at 10, 20, … would read the same items again.
    const windows: number[] = [];
    const pages: number[][] = [];
    for await (const { page } of paginate({
      resultLimit: 10,
      concurrency: 4,
      fetchWindow: (window) => {
        windows.push(window.resultStart);
        const items = Array.from({ length: 25 }, (_, i) => i);
        return Promise.resolve({ page: items, itemCount: items.length });
      },
    })) {
      pages.push(page);
    }
    assert.deepEqual(windows, [0]);
    assert.deepEqual(pages, [Array.from({ length: 25 }, (_, i) => i)]);
  });

  it('an empty listing yields its one page', async () => {
    const pages = [];
    for await (const page of paginate({
      resultLimit: 10,
      concurrency: 4,
      fetchWindow: () => Promise.resolve({ page: [], itemCount: 0, total: 0 }),
    })) {
      pages.push(page);
    }
    assert.deepEqual(pages, [{ page: [], resultStart: 0, resultLimit: 10, resultCount: 0 }]);
  });

  it('an arrived window is read at its turn, in order, not when its answer comes', async () => {
    // Windows at 10 and 20 arrive before the caller asks for more, and out of order; each is read only
    // when the walk reaches it, after the caller has let go of the page before it.
    const events: string[] = [];
    const arrivals = new Map<number, () => void>();
    const fetchWindow = (window: PageWindow) =>
      new Promise<ArrivedWindow<number[]>>((resolve) => {
        const start = window.resultStart;
        arrivals.set(start, () => {
          events.push(`arrived ${start}`);
          resolve({
            read: () => {
              events.push(`read ${start}`);
              const items = Array.from({ length: Math.min(10, 30 - start) }, (_, i) => start + i);
              return { page: items, itemCount: items.length, ...(start === 0 ? { total: 30 } : {}) };
            },
          });
        });
      });
    const iterator = paginate<number[]>({ resultLimit: 10, concurrency: 2, fetchWindow });
    const first = iterator.next();
    await tick();
    arrivals.get(0)?.();
    assert.deepEqual(yielded(await first)?.page, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    events.push('handled 0');
    arrivals.get(20)?.();
    arrivals.get(10)?.();
    await tick();
    assert.deepEqual(events, ['arrived 0', 'read 0', 'handled 0', 'arrived 20', 'arrived 10']);
    assert.equal(yielded(await iterator.next())?.resultStart, 10);
    events.push('handled 10');
    assert.equal(yielded(await iterator.next())?.resultStart, 20);
    assert.deepEqual(events.slice(5), ['read 10', 'handled 10', 'read 20']);
    assert.equal((await iterator.next()).done, true);
  });

  it('a window whose read throws fails the walk at its turn, after the pages before it', async () => {
    const seen: number[] = [];
    const walk = async () => {
      for await (const page of paginate({
        resultLimit: 10,
        concurrency: 3,
        fetchWindow: (window) =>
          Promise.resolve({
            read: () => {
              if (window.resultStart === 20) throw new SyntaxError('not JSON');
              return { page: [], itemCount: 10, ...(window.resultStart === 0 ? { total: 40 } : {}) };
            },
          }),
      })) {
        seen.push(page.resultStart);
      }
    };
    await assert.rejects(walk(), { name: 'SyntaxError', message: 'not JSON' });
    assert.deepEqual(seen, [0, 10]);
  });
});
