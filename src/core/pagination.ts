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

/**
 * What `fetchWindow` may return instead: a window whose answer has arrived but is read (its body
 * parsed) only when its turn comes, in order. A page that waits behind others then waits as its
 * bytes, not as the objects parsed from them: those would live long enough to be promoted to V8's
 * old generation, which only a full collection frees, while parsed at their turn they die young
 * (docs/filters.md, "Performance"). A `read()` that throws fails the walk at that window's turn.
 */
export interface ArrivedWindow<P> {
  readonly read: () => FetchedWindow<P>;
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
  /**
   * The request of one window, for the message of a short one (`GET /api/v2/indicators?owner=…`): in
   * a walk of several owners or filters, which listing came back short.
   */
  readonly describeWindow?: ((window: PageWindow) => string) | undefined;
  /** Fetches one window; `signal` fires when the walk ends early. */
  readonly fetchWindow: (
    window: PageWindow,
    signal: AbortSignal,
  ) => Promise<FetchedWindow<P> | ArrivedWindow<P>>;
}

function readWindow<P>(fetched: FetchedWindow<P> | ArrivedWindow<P>): FetchedWindow<P> {
  return 'read' in fetched ? fetched.read() : fetched;
}

function checkWindow<P>(
  fetched: FetchedWindow<unknown>,
  start: number,
  limit: number,
  total: number,
  options: PaginateOptions<P>,
): void {
  const expected = Math.min(limit, Math.max(0, total - start));
  if (fetched.itemCount < expected) {
    const where = options.describeWindow?.({ resultStart: start, resultLimit: limit });
    throw new IncompleteResultError(
      `The page at resultStart=${start} has ${fetched.itemCount} items where ${expected} were expected (resultCount ${total})${where === undefined ? '' : ` in ${where}`}`,
      { resultStart: start, resultLimit: limit },
    );
  }
}

interface Pending<P> {
  readonly start: number;
  readonly promise: Promise<FetchedWindow<P> | ArrivedWindow<P>>;
}

/**
 * Two turns of the event loop's check phase. A window started is not on the wire yet: a keep-alive
 * socket is written to only after a check-phase turn (undici validates an idle socket first), and a
 * caller that handles a page without awaiting I/O never gives the loop that turn, so without this the
 * next request would leave only once the whole page had been handled. Callbacks queued in the first
 * turn (the transport's) run before the second, which resumes the walk: the page is then handled while
 * the server works on the next one.
 *
 * Given after every launch, also while other windows are pending. Holding new windows back until the
 * caller's next wait for I/O when others were pending was faster against the local sandbox (it
 * answers one request at a time, and responses waited in the socket rather than being parsed pages
 * ahead), but against a server that answers in parallel and with some latency, the real API's case,
 * every window held back arrives that much later (docs/filters.md, "Performance").
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
    const first = readWindow(
      await options.fetchWindow({ resultStart: 0, resultLimit: limit }, controller.signal),
    );
    const total = first.total ?? first.itemCount;
    checkWindow(first, 0, limit, total, options);
    // Without a total the listing is not paged (rest-api-v2.md 4.1: `/indicators/{t}/{v}/owners`,
    // `ownerMetric`, …): its first answer is all of it, however many items that is, and asking for
    // further windows would read the same items again.
    let nextStart = first.total === undefined ? total : limit;
    /** Starts windows up to `concurrency` in flight; whether it started any. */
    const launch = (): boolean => {
      const before = nextStart;
      while (pending.length < concurrency && nextStart < total) {
        const start = nextStart;
        const promise = options.fetchWindow({ resultStart: start, resultLimit: limit }, controller.signal);
        // Rejections are read in order below; until then they must not count as unhandled.
        promise.catch(() => undefined);
        pending.push({ start, promise });
        nextStart += limit;
      }
      return nextStart !== before;
    };
    // The next windows are on their way while the caller handles this page: once they are started,
    // the event loop gets a turn to send them (see `sendTurn`).
    if (launch()) await sendTurn();
    // An abort during that turn ends the walk here rather than with one more page.
    throwIfAborted(signal);
    yield { page: first.page, resultStart: 0, resultLimit: limit, resultCount: total };
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
      const arrived = await next.promise;
      // An abort while this window was awaited ends the walk here: no further window is started (it
      // would be sent with a fired signal, and reported as a call that never happened), and this one's
      // body is not parsed for nothing.
      throwIfAborted(signal);
      const fetched = readWindow(arrived);
      checkWindow(fetched, next.start, limit, total, options);
      if (launch()) await sendTurn();
      throwIfAborted(signal);
      yield { page: fetched.page, resultStart: next.start, resultLimit: limit, resultCount: total };
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (pending.length > 0) controller.abort(new Error('the page loop ended early'));
  }
}
