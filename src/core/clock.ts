/**
 * The injectable clock (decisions.md 1.2 option `clock`): the time used for signing and reporting,
 * the retry waits and the jitter. Tests pass a fake one; the default is real time.
 */
import { AbortError } from './errors.js';

/** A clock as given in the client options; `sleep` and `random` fall back to the real ones. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Waits `ms` milliseconds; rejects with {@link AbortError} when `signal` fires. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1), for the retry jitter. */
  random?(): number;
}

/** A clock with every member present. */
export interface ResolvedClock {
  /** The time in milliseconds since the epoch. */
  now(): number;
  /** Waits `ms` milliseconds; rejects with `AbortError` when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1), for retry jitter. */
  random(): number;
}

/**
 * Waits `ms` milliseconds with a real timer. Rejects with {@link AbortError} (its `cause` is the
 * signal's reason) as soon as `signal` fires, and at once if it has fired already.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(AbortError.fromSignal(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      if (signal !== undefined) reject(AbortError.fromSignal(signal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A clock on real time: `Date.now()`, timers and `Math.random()`. */
export function createRealClock(): ResolvedClock {
  return {
    now: () => Date.now(),
    sleep: abortableSleep,
    random: () => Math.random(),
  };
}

/** Fills the members a user clock leaves out with the real ones. */
export function resolveClock(clock?: Clock): ResolvedClock {
  if (clock === undefined) return createRealClock();
  return {
    now: () => clock.now(),
    sleep: (ms, signal) => (clock.sleep === undefined ? abortableSleep(ms, signal) : clock.sleep(ms, signal)),
    random: () => (clock.random === undefined ? Math.random() : clock.random()),
  };
}
