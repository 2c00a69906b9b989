/**
 * Compatibility mode (`compat: 'python-sdk'`, decisions.md 3.2): the bytes the original Python SDK
 * printed (python-sdk-observed.md 4.5), defects included: unescaped CEF and LEEF headers, quoted
 * values, `None` for nulls, LEEF version 0 with spaces, a float severity, a trailing space. None of it
 * is safe to feed a SIEM: a `|` or a line break in a value forges fields or events. The default output
 * of every formatter is the correct one.
 */
import type { LooseRecord } from './loose.js';
import { type FormatRecord, field, fieldsOf, isGroupRecord } from './records.js';
import { pyFloat, pyNumber } from './text.js';
import { stringify } from './values.js';

/** Python `str()` of a field value. */
function pyText(value: unknown, float: boolean): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return pyNumber(value, float);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  return stringify(value) ?? 'None';
}

/**
 * A field as the original held it. Its host flags were the API's strings (`set_dns_active(data)` kept
 * `"true"`), so it printed `dnsActive="true"` (and `"true"` in JSON); a record holds them as booleans.
 */
function compatField(record: FormatRecord, key: string): unknown {
  const value = field(record, key);
  if (typeof value === 'boolean' && (key === 'dnsActive' || key === 'whoisActive'))
    return value ? 'true' : 'false';
  return value;
}

/** The original's CEF value escape: `=` becomes `\=`, and (a defect) every `""` becomes one `\`. */
function cefCompatValue(text: string): string {
  let out = text.includes('=') ? text.replaceAll('=', '\\=') : text;
  if (out.includes('""')) out = out.replaceAll('""', '\\');
  return out;
}

/** `CEF:0|…|<id>|<description or null>|<rating × 2>|k="v" …` with a trailing space. */
export function compatCef(record: FormatRecord): string {
  const r = record as LooseRecord;
  const description = r.description ?? null;
  const rating = r.rating ?? null;
  let sev: string;
  if (rating === null) sev = '0';
  else if (typeof rating === 'number') sev = pyFloat(rating * 2);
  else {
    // Python's `'2.0' * 2` repeats the text.
    const text = pyText(rating, true);
    sev = text + text;
  }
  let out = `CEF:0|threatconnect|threatconnect|2|${pyText(r.id, false)}|${description === null ? 'null' : pyText(description, false)}|${sev}|`;
  const { keys, float } = fieldsOf(record);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    if (key === 'description' || key === 'id' || key === 'rating') continue;
    const value = compatField(record, key);
    out += `${key}="${typeof value === 'string' ? cefCompatValue(value) : pyText(value, float[i] === true)}" `;
  }
  return out;
}

/** `LEEF:0|…|<id>|k="v" …`: the KeyVal pairs, `dateAdded` as `devTime` and `rating` as `severity`. */
export function compatLeef(record: FormatRecord): string {
  let out = `LEEF:0|threatconnect|threatconnect|2|${pyText(field(record, 'id'), false)}|`;
  const { keys, float } = fieldsOf(record);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const name = key === 'dateAdded' ? 'devTime' : key === 'rating' ? 'severity' : key;
    out += `${name}="${pyText(compatField(record, key), float[i] === true)}" `;
  }
  return out;
}

/** `k="v" ` per sorted field, unescaped, `None` for nulls. */
export function compatKeyval(record: FormatRecord): string {
  let out = '';
  const { keys, float } = fieldsOf(record);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    out += `${key}="${pyText(compatField(record, key), float[i] === true)}" `;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// CSV: Python's csv writer (minimal quoting, CRLF rows), then rstrip() of the whole text
// ---------------------------------------------------------------------------------------------------

function pyCsvField(value: unknown, float: boolean): string {
  if (value === null || value === undefined) return '';
  const text = pyText(value, float);
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x22 || c === 0x0d || c === 0x0a) return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

/** Python's `str.isspace()`. */
function isPySpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Python's `str.rstrip()`. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1))) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

function indicatorRow(r: LooseRecord, indicator: unknown): string {
  return [
    pyCsvField(r.confidence, false),
    pyCsvField(r.dateAdded, false),
    pyCsvField(r.description, false),
    pyCsvField(r.id, false),
    pyCsvField(indicator, false),
    pyCsvField(r.lastModified, false),
    pyCsvField(r.ownerName, false),
    pyCsvField(r.rating, true),
    pyCsvField(r.type, false),
    pyCsvField(r.weblink, false),
  ].join(',');
}

/** The original's `csv`: one row (a file: one row per hash, CRLF between), right-stripped. */
export function compatCsv(record: FormatRecord): string {
  const r = record as LooseRecord;
  if (isGroupRecord(record)) {
    return pyRstrip(
      [
        pyCsvField(r.dateAdded, false),
        pyCsvField(r.id, false),
        pyCsvField(r.name, false),
        pyCsvField(r.ownerName, false),
        pyCsvField(r.type, false),
        pyCsvField(r.weblink, false),
      ].join(','),
    );
  }
  let rows: string[];
  switch (r.type) {
    case 'Address':
      rows = [indicatorRow(r, r.ip)];
      break;
    case 'Host':
      rows = [indicatorRow(r, r.hostName)];
      break;
    case 'URL':
      rows = [indicatorRow(r, r.text)];
      break;
    case 'EmailAddress':
      rows = [indicatorRow(r, r.address)];
      break;
    case 'File': {
      const hashes = [r.md5, r.sha1, r.sha256].filter((h) => h !== null && h !== undefined);
      rows = hashes.length === 0 ? [indicatorRow(r, null)] : hashes.map((h) => indicatorRow(r, h));
      break;
    }
    default:
      rows = [indicatorRow(r, r.summary)];
  }
  return pyRstrip(rows.join('\r\n'));
}

// ---------------------------------------------------------------------------------------------------
// JSON: Python's json.dumps(indent=4, sort_keys=True), as the seed page shows it
// ---------------------------------------------------------------------------------------------------

/** A JSON string as Python writes it (`ensure_ascii`): everything outside printable ASCII escaped. */
function pyJsonString(text: string): string {
  const json = JSON.stringify(text);
  let plain = true;
  for (let i = 0; i < json.length; i += 1) {
    if (json.charCodeAt(i) > 0x7e) {
      plain = false;
      break;
    }
  }
  if (plain) return json;
  let out = '';
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    out += c > 0x7e ? `\\u${c.toString(16).padStart(4, '0')}` : json.charAt(i);
  }
  return out;
}

function pyJsonValue(value: unknown, float: boolean): string {
  if (typeof value === 'string') return pyJsonString(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    // As JSON.stringify (decisions.md 3.2): a number JSON cannot hold is null, not Python's `NaN`.
    if (!Number.isFinite(value)) return 'null';
    return pyNumber(value, float);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return pyJsonString(pyText(value, float));
}

/** The seed page's JSON: every field sorted, 4-space indentation, `null` kept, ratings as `1.0`. */
export function compatJson(record: FormatRecord): string {
  const { keys, float } = fieldsOf(record);
  let out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    out += `${i === 0 ? '\n' : ',\n'}    "${key}": ${pyJsonValue(compatField(record, key), float[i] === true)}`;
  }
  return `${out}\n}`;
}
