/**
 * JSON encoding for sandbox answers.
 *
 * The real server sends ratings with two decimals (`"rating":3.00`, decisions.md 2.4), which
 * `JSON.stringify` cannot produce from a number. Views wrap such values in {@link Decimal2}, whose
 * `toJSON()` gives a marker string carrying a random nonce; the encoder then replaces each quoted marker
 * by the bare decimal. `toJSON` runs natively inside `JSON.stringify`, far cheaper than a replacer
 * function called for every key of a 500-item page.
 */
import { randomBytes } from 'node:crypto';

const NONCE = `\u2063${randomBytes(8).toString('hex')}:`;
const MARKER = new RegExp(`"${NONCE}(-?[0-9]+\\.[0-9]{2})"`, 'g');

/** A number that goes on the wire with exactly two decimals. */
export class Decimal2 {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  toJSON(): string {
    return NONCE + this.value.toFixed(2);
  }
}

export type JsonEncoder = (value: unknown) => string;

export function createJsonEncoder(): JsonEncoder {
  return (value) => {
    const text = JSON.stringify(value);
    return text.includes(NONCE) ? text.replace(MARKER, '$1') : text;
  };
}

const TWO_DECIMALS = /^-?[0-9]+\.[0-9]{2}$/;

/**
 * The JSON text that an encoder gives for `new Decimal2(value)`, without the marker pass: the listing
 * encoder writes its ratings with it (`3.00`).
 */
export function decimal2Json(value: number): string {
  const text = value.toFixed(2);
  // A value that toFixed cannot write as a plain decimal keeps its marker, as the encoder leaves it.
  return TWO_DECIMALS.test(text) ? text : JSON.stringify(NONCE + text);
}
