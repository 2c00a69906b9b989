/**
 * The page-window limiter must not start a window once the caller's
 * signal has fired. A window started with an aborted signal is never sent, yet it becomes a report
 * entry (an aborted call, counted as an API filter and listed among the failures).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FetchedWindow, PageWindow } from '../../../src/core/pagination.js';
import { paginate } from '../../../src/core/pagination.js';

/** A listing of `total` numbers whose windows answer at once; records the windows asked for. */
function instantListing(total: number) {
  const asked: { window: PageWindow; abortedAtStart: boolean }[] = [];
  const fetchWindow = (window: PageWindow, signal: AbortSignal): Promise<FetchedWindow<number[]>> => {
    asked.push({ window, abortedAtStart: signal.aborted });
    if (signal.aborted) return Promise.reject(new Error('aborted before it was sent'));
    const end = Math.min(total, window.resultStart + window.resultLimit);
    const items: number[] = [];
    for (let i = window.resultStart; i < end; i += 1) items.push(i);
    return Promise.resolve({
      page: items,
      itemCount: items.length,
      ...(window.resultStart === 0 ? { total } : {}),
    });
  };
  return { asked, fetchWindow };
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('paginate: aborts between pages', () => {
  it('a signal that fires while the caller holds a page starts no further window', async () => {
    const listing = instantListing(100);
    const controller = new AbortController();
    const iterator = paginate({
      resultLimit: 10,
      concurrency: 2,
      signal: controller.signal,
      fetchWindow: listing.fetchWindow,
    });
    const first = await iterator.next();
    assert.equal(first.done, false);
    // The caller works on page 0 (I/O of its own); the windows at 10 and 20 have arrived meanwhile.
    await turns(5);
    assert.deepEqual(
      listing.asked.map((a) => a.window.resultStart),
      [0, 10, 20],
    );
    controller.abort(new Error('stop'));
    await assert.rejects(iterator.next(), (error: Error) => error.name === 'AbortError');
    const late = listing.asked.filter((a) => a.abortedAtStart).map((a) => a.window.resultStart);
    assert.deepEqual(late, [], `windows started after the abort: ${late.join(', ')}`);
  });
});
