// A fake clock for unit tests: time moves only when told to, or by the amount a sleep asks for.
import { throwIfAborted } from '../../../src/core/errors.js';

export interface FakeClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  advance(ms: number): void;
  readonly sleeps: number[];
}

export function createFakeClock(startMs = 1_700_000_000_000, random = 0.5): FakeClock {
  let current = startMs;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: (ms, signal) => {
      throwIfAborted(signal);
      sleeps.push(ms);
      current += ms;
      return Promise.resolve();
    },
    random: () => random,
    advance: (ms) => {
      current += ms;
    },
    sleeps,
  };
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
