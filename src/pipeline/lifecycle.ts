/**
 * The client's open/closed state as its calls see it: a closed client refuses new calls. Closing
 * fires `signal`, which ends retry waits and token renewals; the client destroys its connection pools
 * at the same time, which ends the requests in flight. A call then rejects with ClientClosedError.
 * Calls carry no signal of their own for this: one per call cost more than the whole pipeline.
 */
import { AbortError, ClientClosedError } from '../core/errors.js';
import type { CallLifecycle } from './requester.js';

export class ClientLifecycle implements CallLifecycle {
  readonly #closing = new AbortController();

  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Fires when the client closes. */
  get signal(): AbortSignal {
    return this.#closing.signal;
  }

  /** Marks the client closed and aborts every call in flight. */
  close(): void {
    this.#closing.abort(new AbortError('The client was closed'));
  }

  assertOpen(): void {
    if (this.closed) throw new ClientClosedError();
  }
}
