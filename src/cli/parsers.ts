/**
 * Argument parsers for commander options. Each throws `InvalidArgumentError`, which commander turns
 * into `error: option '--flag <value>' argument 'x' is invalid. <reason>`, a usage error (exit 2).
 */
import { InvalidArgumentError } from 'commander';
import { isIsoToSend } from '../formats/dates.js';

/** An integer from `min` to `max`. */
export function integer(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return (value: string): number => {
    const n = /^\+?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be an integer ${range}`);
    }
    return n;
  };
}

/** A number of seconds, fractions allowed: above 0 (`positive`) or from 0. */
export function seconds(flag: string, options: { positive: boolean; max?: number }) {
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return (value: string): number => {
    const n = /^\+?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n > max || (options.positive ? n <= 0 : n < 0)) {
      const what = options.positive ? 'a number of seconds above 0' : 'a number of seconds >= 0';
      throw new InvalidArgumentError(
        `${flag} must be ${what}${max === Number.MAX_SAFE_INTEGER ? '' : ` and at most ${max}`}`,
      );
    }
    return n;
  };
}

/** Repeatable option: collects every value, in order. */
export function collect<T>(parse: (value: string) => T = (value) => value as T) {
  const parser = (value: string, previous: readonly T[] | undefined): T[] => [
    ...(previous ?? []),
    parse(value),
  ];
  return Object.assign(parser, { [REPEATABLE]: true });
}

/** Marks the parser of an option that may be given more than once (its values are collected). */
export const REPEATABLE = Symbol('threatconnect.cli.repeatable');

/** Whether an option's parser collects its values (see {@link collect}). */
export function isRepeatable(parser: unknown): boolean {
  return typeof parser === 'function' && (parser as unknown as Record<symbol, unknown>)[REPEATABLE] === true;
}

/** A non-empty text value (names, tags, owners). */
export function text(flag: string) {
  return (value: string): string => {
    if (value.trim().length === 0) throw new InvalidArgumentError(`${flag} must not be empty`);
    return value;
  };
}

/**
 * An ISO 8601 date or date-time, kept as written: `YYYY-MM-DD`, or with a `T` and a time, of a day that
 * exists (the SDK's own rule for what it sends, so that no value this takes fails later as exit 1).
 */
export function isoDate(flag: string) {
  return (value: string): string => {
    if (!isIsoToSend(value)) {
      throw new InvalidArgumentError(`${flag} must be an ISO 8601 date such as 2024-01-31T00:00:00Z`);
    }
    return value;
  };
}
