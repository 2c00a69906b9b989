/**
 * KeyVal (decisions.md 3.1): `key="value"` pairs in sorted key order, one space apart, no trailing
 * space. `\`, `"`, CR, LF and tab are escaped as `\\`, `\"`, `\r`, `\n` and `\t`; other C0 controls are
 * dropped; null fields are omitted. Indicators and groups.
 */
import { compatKeyval } from './compat.js';
import { type FormatOptions, isCompat } from './options.js';
import { checkRecord, type FormatRecord, field, fieldsOf } from './records.js';
import { keyvalValue } from './text.js';
import { valueText } from './values.js';

/** The spec-correct KeyVal line of a record. */
export function keyvalLine(record: FormatRecord): string {
  const { keys, float } = fieldsOf(record);
  let out = '';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const value = field(record, key);
    const text = valueText(value, float[i] === true);
    if (text === null) continue;
    // Numbers and booleans print nothing that needs escaping.
    const shown = typeof value === 'number' || typeof value === 'boolean' ? text : keyvalValue(text);
    out += out === '' ? `${key}="${shown}"` : ` ${key}="${shown}"`;
  }
  return out;
}

/**
 * One record as a KeyVal line, without a line ending. With `{ compat: 'python-sdk' }`, the original's
 * line (unescaped, `None` for nulls, a trailing space).
 */
export function formatKeyval(record: FormatRecord, options?: FormatOptions): string {
  checkRecord(record);
  return isCompat(options) ? compatKeyval(record) : keyvalLine(record);
}
