/**
 * JSON encoding for sandbox answers.
 *
 * The real server sends ratings with two decimals (`"rating":3.00`, decisions.md 2.4), which
 * `JSON.stringify` cannot produce from a number. Rating values are swapped for a marker string that
 * carries a per-encoder random nonce, and the quoted marker is then replaced by the bare decimal.
 */
import { randomBytes } from 'node:crypto';

const DECIMAL_KEYS = new Set(['rating', 'threatAssessRating']);

export type JsonEncoder = (value: unknown) => string;

export function createJsonEncoder(): JsonEncoder {
  const nonce = `\u2063${randomBytes(8).toString('hex')}:`;
  const markerPattern = new RegExp(`"${nonce}(-?[0-9]+\\.[0-9]{2})"`, 'g');
  const replacer = (key: string, value: unknown): unknown =>
    typeof value === 'number' && DECIMAL_KEYS.has(key) && Number.isFinite(value)
      ? nonce + value.toFixed(2)
      : value;
  return (value) => {
    const text = JSON.stringify(value, replacer);
    return text.includes(nonce) ? text.replace(markerPattern, '$1') : text;
  };
}
