/**
 * What `container.stream()` returns: the objects of a source of pages (arrays), one at a time, with the
 * behaviour of an async generator (nothing starts before the first `next()`; calls are served in
 * order; `return()` and `throw()` close the source, which aborts the windows in flight, once a call in
 * progress is served: a `return()` beside a pending `next()` waits for it, as an async generator's
 * does; the caller's `signal` is what stops a wait), at the cost of one resolved promise per object. An async generator that yields each object of a page costs about
 * three times that: every `yield` awaits its value and settles a queued request.
 *
 * The caller's `signal`, once it fires, ends the walk at the next call, also within the page at hand:
 * that call closes the source and rejects with {@link AbortError} (the signal's reason as `cause`).
 */
import { AbortError } from '../core/errors.js';

/** When the walk ends, however it ends: the number of objects handed out. */
export type StreamEnd = (delivered: number) => void;

type Result<T> = IteratorResult<T, undefined>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

export class ObjectStream<T> implements AsyncGenerator<T, undefined, unknown> {
  readonly #open: () => AsyncGenerator<readonly T[]>;
  readonly #onEnd: StreamEnd;
  #source: AsyncGenerator<readonly T[]> | undefined;
  #batch: readonly T[] = [];
  #index = 0;
  #delivered = 0;
  #finished = false;
  /** The call being served; later calls wait for it, as an async generator's queue does. */
  #busy: Promise<Result<T>> | undefined;
  readonly #signal: AbortSignal | undefined;
  /**
   * Set by the signal's abort event, so that the path taken for every object reads a field rather than
   * the signal's `aborted` getter.
   */
  #aborted = false;
  readonly #onAbort = (): void => {
    this.#aborted = true;
  };

  /**
   * `open` is called by the first `next()`; `onEnd` once, when the source ends, fails or is closed.
   * `signal`: the caller's, already checked.
   */
  constructor(open: () => AsyncGenerator<readonly T[]>, onEnd: StreamEnd, signal?: AbortSignal) {
    this.#open = open;
    this.#onEnd = onEnd;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result<T>> {
    // The common case: an object of the page at hand, with no call in progress.
    if (this.#busy === undefined && this.#index < this.#batch.length && !this.#aborted) {
      this.#delivered += 1;
      return Promise.resolve({ value: this.#batch[this.#index++] as T, done: false });
    }
    return this.#nextSlow();
  }

  /**
   * `next()` at a page's end or behind another call. Its own method: a closure over `this` in `next()`
   * would make V8 allocate a context for `this` on every call (40 bytes an object), fast path included.
   */
  #nextSlow(): Promise<Result<T>> {
    return this.#serve(() => this.#pull());
  }

  /** Closes the walk; resolves `{ value, done: true }` with the value given, as an async generator does. */
  return(value?: unknown): Promise<Result<T>> {
    return this.#serve(async () => {
      await this.#close((source) => source.return(undefined));
      if (value === undefined) return DONE;
      // Typed as undefined; plain JavaScript may pass anything, which comes back as is.
      const given: unknown = await Promise.resolve(value);
      return { value: given, done: true } as Result<T>;
    });
  }

  throw(error: unknown): Promise<Result<T>> {
    return this.#serve(async () => {
      // As a `for await` loop left by an exception: the source is closed, then the error thrown.
      await this.#close((source) => source.return(undefined));
      throw error;
    });
  }

  #serve(run: () => Promise<Result<T>>): Promise<Result<T>> {
    const previous = this.#busy;
    const call = previous === undefined ? run() : previous.then(run, run);
    this.#busy = call;
    // Registered before the caller's own `await` on `call`, so it runs first: the caller's next
    // `next()` finds the stream idle and takes the fast path. (Clearing one reaction later, through a
    // promise derived from `call`, would make every later call queue behind the one before.)
    const clear = (): void => {
      if (this.#busy === call) this.#busy = undefined;
    };
    call.then(clear, clear);
    return call;
  }

  async #pull(): Promise<Result<T>> {
    const signal = this.#signal;
    while (this.#index >= this.#batch.length) {
      if (this.#finished) return DONE;
      if (this.#source === undefined) {
        // A signal that has fired already is the source's to report (before any request).
        signal?.addEventListener('abort', this.#onAbort, { once: true });
        this.#source = this.#open();
      } else if (this.#aborted) {
        // Fired while the caller handled the page at hand: no next page is asked for (reported below).
        break;
      }
      let step: IteratorResult<readonly T[]>;
      try {
        step = await this.#source.next();
      } catch (error) {
        this.#end();
        throw error;
      }
      if (step.done === true) {
        this.#end();
        return DONE;
      }
      this.#batch = step.value;
      this.#index = 0;
    }
    if (this.#aborted && signal !== undefined) {
      // Fired within a page, or while this call waited for one: no more objects are handed out.
      // Closing the source runs its finally blocks, which abort the windows in flight.
      await this.#close((source) => source.return(undefined));
      throw AbortError.fromSignal(signal);
    }
    this.#delivered += 1;
    return { value: this.#batch[this.#index++] as T, done: false };
  }

  /** Closes the source (its `finally` blocks run: windows in flight are aborted), then ends. */
  async #close(how: (source: AsyncGenerator<readonly T[]>) => Promise<unknown>): Promise<void> {
    const source = this.#finished ? undefined : this.#source;
    this.#batch = [];
    this.#index = 0;
    if (source === undefined) {
      this.#end();
      return;
    }
    try {
      await how(source);
    } finally {
      this.#end();
    }
  }

  #end(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#batch = [];
    this.#index = 0;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    // A walk that never started reports nothing, as an async generator closed before it started.
    if (this.#source !== undefined) this.#onEnd(this.#delivered);
  }
}
