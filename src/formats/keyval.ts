/**
 * KeyVal (decisions.md 3.1): `key="value"` pairs in sorted key order, one space apart, no trailing
 * space. `\`, `"`, CR, LF and tab are escaped as `\\`, `\"`, `\r`, `\n` and `\t`; other C0 controls are
 * dropped; null fields are omitted. Indicators and groups.
 */
import { compatKeyval } from './compat.js';
import { type FormatOptions, formatSettings } from './options.js';
import type { LooseRecord } from './loose.js';
import { checkRecord, type FormatRecord, field, fieldsOf, isGroupRecord, recordOf } from './records.js';
import { keyvalValue } from './text.js';
import { valueText } from './values.js';

/**
 * `out` with the pair ` key="value"` appended (`key="value"` when `out` is empty); `out` itself for no
 * value. `lead` is the constant ` key="`, so the pair costs three string joins, not five.
 */
function pair(out: string, lead: string, value: unknown, float: boolean): string {
  let shown: string;
  if (typeof value === 'string') shown = keyvalValue(value);
  else {
    const text = valueText(value, float);
    if (text === null) return out;
    // Numbers and booleans print nothing that needs escaping.
    shown = typeof value === 'number' || typeof value === 'boolean' ? text : keyvalValue(text);
  }
  return `${out === '' ? lead.slice(1) : out + lead}${shown}"`;
}

/**
 * An indicator's pairs, written out in sorted key order (the same order as the generic loop below, which
 * the tests check): each field read directly, which V8 does faster than reading by a computed key.
 */
function indicatorLine(r: LooseRecord): string {
  const type = r.type;
  let out = type === 'EmailAddress' ? pair('', ' address="', r.address, false) : '';
  out = pair(out, ' confidence="', r.confidence, false);
  out = pair(out, ' dateAdded="', r.dateAdded, false);
  out = pair(out, ' description="', r.description, false);
  if (type === 'Host') {
    out = pair(out, ' dnsActive="', r.dnsActive, false);
    out = pair(out, ' hostName="', r.hostName, false);
  }
  out = pair(out, ' id="', r.id, false);
  if (type === 'Address') out = pair(out, ' ip="', r.ip, false);
  out = pair(out, ' lastModified="', r.lastModified, false);
  if (type === 'File') out = pair(out, ' md5="', r.md5, false);
  out = pair(out, ' ownerName="', r.ownerName, false);
  out = pair(out, ' rating="', r.rating, true);
  switch (type) {
    case 'File':
      out = pair(out, ' sha1="', r.sha1, false);
      out = pair(out, ' sha256="', r.sha256, false);
      out = pair(out, ' size="', r.size, false);
      break;
    case 'URL':
      out = pair(out, ' source="', r.source, false);
      out = pair(out, ' text="', r.text, false);
      break;
    case 'Address':
    case 'EmailAddress':
    case 'Host':
      break;
    default:
      out = pair(out, ' summary="', r.summary, false);
  }
  out = pair(out, ' type="', type, false);
  out = pair(out, ' weblink="', r.weblink, false);
  if (type === 'Host') out = pair(out, ' whoisActive="', r.whoisActive, false);
  return out;
}

/** The spec-correct KeyVal line of a record. */
export function keyvalLine(record: FormatRecord): string {
  if (!isGroupRecord(record)) return indicatorLine(record);
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
export function formatKeyval(value: FormatRecord, options?: FormatOptions): string {
  const record = recordOf(value);
  checkRecord(record);
  return formatSettings('keyval', options).compat ? compatKeyval(record) : keyvalLine(record);
}
