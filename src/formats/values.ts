/**
 * How field values become text in the default (spec-correct) formats: strings as they are, ratings as
 * floats (`1.0`), other numbers as JavaScript prints them, booleans as `true`/`false`. Missing values,
 * and numbers that are not finite (which JSON cannot carry), are `null`: the formats omit them.
 */
import { pyFloat } from './text.js';

/** `JSON.stringify`, typed as it behaves: `undefined` for `undefined`, functions and symbols. */
export const stringify: (value: unknown) => string | undefined = JSON.stringify;

/** The text of a value, or `null` for no value. */
export function valueText(value: unknown, float: boolean): string | null {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return float ? pyFloat(value) : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  return stringify(value) ?? null;
}

/** A string field: its text, or `null`. */
export function stringText(value: unknown): string | null {
  return typeof value === 'string' ? value : valueText(value, false);
}

/** A whole-number field (`id`, `confidence`): its text, or `null`. */
export function intText(value: unknown): string | null {
  return typeof value === 'number'
    ? Number.isFinite(value)
      ? String(value)
      : null
    : valueText(value, false);
}

/** The rating as a float (`1.0`), or `null`. */
export function ratingText(value: unknown): string | null {
  return typeof value === 'number'
    ? Number.isFinite(value)
      ? pyFloat(value)
      : null
    : valueText(value, true);
}

/** A finite number, or `null` (numeric text counts). */
export function finite(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** decisions.md 3.1: `round(rating × 2)` clamped to 0-10; 0 when there is no rating. */
export function severity(rating: unknown): number {
  const value = finite(rating);
  if (value === null) return 0;
  const scaled = Math.round(value * 2);
  return scaled < 0 ? 0 : scaled > 10 ? 10 : scaled;
}

/** A hash counts as present when it is a non-empty string. */
export function hashText(value: unknown): string | null {
  const out = stringText(value);
  return out === '' ? null : out;
}
