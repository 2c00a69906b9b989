/**
 * The client's open/closed state as its calls see it: a closed client refuses new calls, and closing
 * aborts the calls in flight.
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

  begin(signal: AbortSignal | undefined): { readonly signal: AbortSignal; end(): void } {
    const closing = this.#closing.signal;
    // One controller per call, fed by the caller's signal and the client's close; both listeners are
    // removed when the call ends, so neither long-lived signal grows.
    const controller = new AbortController();
    const onAbort = (): void => {
      controller.abort(signal?.aborted === true ? signal.reason : closing.reason);
    };
    if (signal?.aborted === true || closing.aborted) onAbort();
    else {
      signal?.addEventListener('abort', onAbort, { once: true });
      closing.addEventListener('abort', onAbort, { once: true });
    }
    return {
      signal: controller.signal,
      end: () => {
        signal?.removeEventListener('abort', onAbort);
        closing.removeEventListener('abort', onAbort);
      },
    };
  }
}
