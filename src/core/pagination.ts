/**
 * The page-window limiter: walks a listing in windows of `resultLimit`, reading the total from the
 * first page's `resultCount`, with up to `concurrency` of the remaining windows in flight, and yields
 * the pages in order. Used by `apiRequestPages` and by the resource containers.
 *
 * - Memory is bounded: at most `concurrency` pages wait beside the one the caller holds.
 * - Leaving the loop early (or the caller's signal) aborts the windows in flight.
 * - A window shorter than expected (a short non-final page, or an end before `resultCount`) throws
 *   {@link IncompleteResultError}: there is no silent partial result.
 *
 * It does no I/O itself: the caller passes `fetchWindow`.
 */
import { IncompleteResultError, throwIfAborted } from './errors.js';

/** One window of a listing. */
export interface PageWindow {
  readonly resultStart: number;
  readonly resultLimit: number;
}

/** What `fetchWindow` returns: the page, how many items it holds, and the total if it gives one. */
export interface FetchedWindow<P> {
  readonly page: P;
  readonly itemCount: number;
  /** `resultCount`; read from the first window only. */
  readonly total?: number | undefined;
}

/** One page as {@link paginate} yields it. */
export interface PaginatedPage<P> extends PageWindow {
  readonly page: P;
  /** The total from the first page. */
  readonly resultCount: number;
}

/** Options of {@link paginate}. */
export interface PaginateOptions<P> {
  readonly resultLimit: number;
  /** Windows in flight after the first; 1 fetches one after another. */
  readonly concurrency: number;
  readonly signal?: AbortSignal | undefined;
  /** Fetches one window; `signal` fires when the walk ends early. */
  readonly fetchWindow: (window: PageWindow, signal: AbortSignal) => Promise<FetchedWindow<P>>;
}

function checkWindow(fetched: FetchedWindow<unknown>, start: number, limit: number, total: number): void {
  const expected = Math.min(limit, Math.max(0, total - start));
  if (fetched.itemCount < expected) {
    throw new IncompleteResultError(
      `The page at resultStart=${start} has ${fetched.itemCount} items where ${expected} were expected (resultCount ${total})`,
      { resultStart: start, resultLimit: limit },
    );
  }
}

interface Pending<P> {
  readonly start: number;
  readonly promise: Promise<FetchedWindow<P>>;
  /** Whether `promise` has settled: the window is no longer on the server's hands. */
  settled: boolean;
}

/**
 * Two turns of the event loop's check phase. A window started is not on the wire yet: a keep-alive
 * socket is written to only after a check-phase turn (undici validates an idle socket first), and a
 * caller that handles a page without awaiting I/O never gives the loop that turn, so without this the
 * next request would leave only once the whole page had been handled. Callbacks queued in the first
 * turn (the transport's) run before the second, which resumes the walk: the page is then handled while
 * the server works on the next one.
 *
 * Given only when no window started earlier is still pending: then the new ones are all the server
 * has. Otherwise the server works on those meanwhile, and the new windows leave with the next turn
 * the loop takes anyway (at the latest the one in which a pending window settles); the two turns
 * per page would cost more than they save (measured: docs/filters.md, "Performance").
 */
function sendTurn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      setImmediate(resolve);
    });
  });
}

/** Walks a listing window by window; see the module comment. */
export async function* paginate<P>(options: PaginateOptions<P>): AsyncGenerator<PaginatedPage<P>> {
  const { resultLimit: limit, signal } = options;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  throwIfAborted(signal);
  const controller = new AbortController();
  // The caller's abort is forwarded, not combined with AbortSignal.any(), which on Node 20 keeps every
  // combined signal alive in a long-lived caller signal.
  const forward = (): void => {
    controller.abort(signal?.reason);
  };
  signal?.addEventListener('abort', forward, { once: true });
  const pending: Pending<P>[] = [];
  try {
    const first = await options.fetchWindow({ resultStart: 0, resultLimit: limit }, controller.signal);
    const total = first.total ?? first.itemCount;
    checkWindow(first, 0, limit, total);
    let nextStart = limit;
    /**
     * Starts windows up to `concurrency` in flight; whether they need a turn of the loop to be sent
     * (it started some, and no window started before is pending: see `sendTurn`).
     */
    const launch = (): boolean => {
      const before = nextStart;
      const busy = pending.some((p) => !p.settled);
      while (pending.length < concurrency && nextStart < total) {
        const start = nextStart;
        const promise = options.fetchWindow({ resultStart: start, resultLimit: limit }, controller.signal);
        const entry: Pending<P> = { start, promise, settled: false };
        const settle = (): void => {
          entry.settled = true;
        };
        // Also marks a rejection as handled: rejections are read in order below.
        promise.then(settle, settle);
        pending.push(entry);
        nextStart += limit;
      }
      return nextStart !== before && !busy;
    };
    // The next windows are on their way while the caller handles this page: once they are started,
    // the event loop gets a turn to send them if the server has nothing else (see `sendTurn`).
    if (launch()) await sendTurn();
    // An abort during that turn ends the walk here rather than with one more page.
    throwIfAborted(signal);
    yield { page: first.page, resultStart: 0, resultLimit: limit, resultCount: total };
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
      const fetched = await next.promise;
      checkWindow(fetched, next.start, limit, total);
      if (launch()) await sendTurn();
      throwIfAborted(signal);
      yield { page: fetched.page, resultStart: next.start, resultLimit: limit, resultCount: total };
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (pending.length > 0) controller.abort(new Error('the page loop ended early'));
  }
}
