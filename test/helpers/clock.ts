/**
 * Client clocks for tests (the `clock` option: `{ now, sleep, random }`). Time in a test moves because
 * the test says so, never because the machine was fast or slow: sleeps are recorded and return at once,
 * and `now()` is real time, a fixed value, or a fixed value moved on by the sleeps.
 */
import { AbortError, type Clock } from '../../src/index.js';

/** A client clock whose sleeps are recorded and return at once. */
export interface RecordingClock extends Required<Clock> {
  /** Every wait the client asked for, in ms. */
  readonly sleeps: number[];
  /** Added to the base time by now(). */
  offsetMs: number;
}

export interface RecordingClockOptions {
  /** The jitter draw. @default 0.5 */
  random?: number;
  /** Runs inside each sleep (1-based count), before it resolves: to change faults between attempts. */
  onSleep?: (ms: number, count: number) => unknown;
  /** A fixed now(), instead of real time. */
  fixedNow?: number;
  /** Each sleep moves now() on by the time asked for (as a real wait would). */
  advanceOnSleep?: boolean;
}

export function recordingClock(options: RecordingClockOptions = {}): RecordingClock {
  const sleeps: number[] = [];
  const clock: RecordingClock = {
    sleeps,
    offsetMs: 0,
    now: () => (options.fixedNow ?? Date.now()) + clock.offsetMs,
    sleep: async (ms, signal) => {
      if (signal?.aborted === true) throw AbortError.fromSignal(signal);
      sleeps.push(ms);
      if (options.advanceOnSleep === true) clock.offsetMs += ms;
      await options.onSleep?.(ms, sleeps.length);
    },
    random: () => options.random ?? 0.5,
  };
  return clock;
}

/** A clock that stands at `startMs` and moves only by its sleeps or by `advance()`. */
export interface FakeClock extends RecordingClock {
  advance(ms: number): void;
}

export function createFakeClock(startMs = 1_700_000_000_000, random = 0.5): FakeClock {
  const clock = recordingClock({ fixedNow: startMs, advanceOnSleep: true, random });
  return Object.assign(clock, {
    advance: (ms: number) => {
      clock.offsetMs += ms;
    },
  });
}

/** A clock whose now() returns the given values in turn (the last one repeats). */
export function createSequenceClock(values: readonly number[]): { now(): number; readonly reads: number } {
  let index = 0;
  return {
    now: () => {
      const value = values[Math.min(index, values.length - 1)];
      index += 1;
      if (value === undefined) throw new Error('empty sequence');
      return value;
    },
    get reads() {
      return index;
    },
  };
}
