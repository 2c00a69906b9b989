/** The checks and splits of indicator values that the setters and parsing share (indicator.ts). */
import { ValidationError } from '../core/errors.js';
import { describeValue } from '../core/validators.js';

const HASH_BY_LENGTH: Readonly<Record<number, 'md5' | 'sha1' | 'sha256'>> = {
  32: 'md5',
  40: 'sha1',
  64: 'sha256',
};

/** The hash field a value of this length goes to: `md5` (32), `sha1` (40), `sha256` (64). */
export function hashField(value: string): 'md5' | 'sha1' | 'sha256' | undefined {
  return HASH_BY_LENGTH[value.length];
}

/** Splits a file `summary` (`md5 : sha1 : sha256`, any subset) into its hashes, by length. */
export function splitFileSummary(summary: string): { md5?: string; sha1?: string; sha256?: string } {
  const out: { md5?: string; sha1?: string; sha256?: string } = {};
  for (const part of summary.split(':')) {
    const hash = part.trim();
    const key = HASH_BY_LENGTH[hash.length];
    if (key !== undefined && /^[0-9a-fA-F]+$/.test(hash)) out[key] ??= hash;
  }
  return out;
}

/** `rating` as sent: a number 0–5, from a number or a plain decimal string such as `'2.0'`. */
export function checkRating(value: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 5) {
    throw new ValidationError(
      `rating must be a number from 0 to 5 or a numeric string such as '2.0', got ${describeValue(value)}`,
    );
  }
  return n;
}

/** `confidence`: an integer 0–100. */
export function checkConfidence(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new ValidationError(`confidence must be an integer from 0 to 100, got ${describeValue(value)}`);
  }
  return value;
}

export function checkFlag(value: unknown, label: string): 'true' | 'false' {
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  throw new ValidationError(`${label} must be a boolean, got ${describeValue(value)}`);
}
