/**
 * JSON (decisions.md 3.1): compact JSON text on one line, with the record's fields in sorted order and
 * `null` kept; ratings print as floats (`1.0`). Indicators and groups.
 */
import { compatJson } from './compat.js';
import { type FormatOptions, formatSettings } from './options.js';
import { checkRecord, type FormatRecord, field, fieldsOf, recordOf } from './records.js';
import { jsonString, pyFloat } from './text.js';
import { stringify } from './values.js';

/** A non-string value as JSON: numbers that are not finite are `null`, as `JSON.stringify` prints them. */
function jsonOther(value: unknown, float: boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'null';
    return float ? pyFloat(value) : String(value);
  }
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  return stringify(value) ?? 'null';
}

/** The compact JSON text of a record. */
export function jsonLine(record: FormatRecord): string {
  const { keys, float } = fieldsOf(record);
  let out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const value = field(record, key);
    const json = typeof value === 'string' ? jsonString(value) : jsonOther(value, float[i] === true);
    out += `${i === 0 ? '"' : ',"'}${key}":${json}`;
  }
  return `${out}}`;
}

/**
 * One record as compact JSON text (`indicator.json`), without a line ending. With
 * `{ compat: 'python-sdk' }`, the seed page's form: sorted keys, 4-space indentation, several lines.
 */
export function formatJson(value: FormatRecord, options?: FormatOptions): string {
  const record = recordOf(value);
  checkRecord(record);
  return formatSettings('json', options).compat ? compatJson(record) : jsonLine(record);
}
