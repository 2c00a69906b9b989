/**
 * LEEF (IBM QRadar Log Event Extended Format), decisions.md 3.1: indicators only.
 *
 * LEEF 1.0: `LEEF:1.0|threatconnect|threatconnect|2|<id>|` and tab-separated `key=value` attributes.
 * LEEF 2.0 (an option): `LEEF:2.0|threatconnect|threatconnect|2|<id>|<delimiter>|` and attributes
 * separated by that delimiter. Neither version has an escape, so each tab, CR and LF in a value (and
 * the LEEF 2.0 delimiter) becomes one space, and other C0 controls are dropped.
 */
import { checkIndicator } from './cef.js';
import { compatLeef } from './compat.js';
import type { LooseRecord } from './loose.js';
import { formatSettings, type LeefOptions, type LeefSettings } from './options.js';
import { type IndicatorRecord, recordOf } from './records.js';
import { isoToEpochMs, LEEF_TIME_FORMAT, leefTime } from './dates.js';
import { leef2Value, leefValue } from './text.js';
import { hashText, intText, ratingText, severity, stringText } from './values.js';

/** The header's event id: digits as they are; anything else loses `|`, `\` and control characters. */
function headerId(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const id = intText(value);
  if (id === null) return '';
  let out = '';
  for (const ch of id) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c !== 0x7c && c !== 0x5c) out += ch;
  }
  return out;
}

/**
 * The attributes of an indicator joined by `sep`, each value made safe by `c`.
 */
function attributes(record: IndicatorRecord, sep: string, c: (text: string) => string): string {
  const r = record as LooseRecord;
  const type = stringText(r.type) ?? '';
  let key1 = 'summary';
  let value: string | null = null;
  let key2 = '';
  let value2: string | null = null;
  let key3 = '';
  let value3: string | null = null;
  let key4 = '';
  let value4: string | null = null;
  // The modelled types' names need no cleaning.
  let known = true;
  switch (type) {
    case 'Address':
      key1 = 'dst';
      value = stringText(r.ip);
      break;
    case 'Host':
      key1 = 'identHostName';
      value = stringText(r.hostName);
      key2 = 'dnsActive';
      value2 = stringText(r.dnsActive);
      key3 = 'whoisActive';
      value3 = stringText(r.whoisActive);
      break;
    case 'URL':
      key1 = 'url';
      value = stringText(r.text);
      break;
    case 'EmailAddress':
      key1 = 'usrName';
      value = stringText(r.address);
      break;
    case 'File': {
      const md5 = hashText(r.md5);
      const sha1 = hashText(r.sha1);
      const sha256 = hashText(r.sha256);
      key1 = 'fileHash';
      value = sha256 ?? sha1 ?? md5;
      key2 = 'md5';
      value2 = md5;
      key3 = 'sha1';
      value3 = sha1;
      key4 = 'sha256';
      value4 = sha256;
      break;
    }
    default:
      known = false;
      value = stringText(r.summary);
  }
  const description = stringText(r.description);
  const ownerName = stringText(r.ownerName);
  const confidence = intText(r.confidence);
  const rating = ratingText(r.rating);
  const weblink = stringText(r.weblink);
  let out = `cat=${known ? type : c(type)}`;
  if (value !== null) out += `${sep}${key1}=${c(value)}`;
  if (value2 !== null) out += `${sep}${key2}=${c(value2)}`;
  if (value3 !== null) out += `${sep}${key3}=${c(value3)}`;
  if (value4 !== null) out += `${sep}${key4}=${c(value4)}`;
  const dateAdded = stringText(r.dateAdded);
  const added = dateAdded === null ? null : isoToEpochMs(dateAdded);
  const devTime = added === null ? null : leefTime(added);
  if (devTime !== null) out += `${sep}devTime=${devTime}${sep}devTimeFormat=${LEEF_TIME_FORMAT}`;
  out += `${sep}sev=${severity(r.rating)}`;
  if (description !== null) out += `${sep}description=${c(description)}`;
  if (ownerName !== null) out += `${sep}ownerName=${c(ownerName)}`;
  // The text of a number needs no cleaning.
  if (confidence !== null)
    out += `${sep}confidence=${typeof r.confidence === 'number' ? confidence : c(confidence)}`;
  if (rating !== null) out += `${sep}rating=${typeof r.rating === 'number' ? rating : c(rating)}`;
  if (weblink !== null) out += `${sep}weblink=${c(weblink)}`;
  return out;
}

/** The spec-correct LEEF 1.0 line of an indicator record. */
export function leefLine(record: IndicatorRecord): string {
  return `LEEF:1.0|threatconnect|threatconnect|2|${headerId(record.id)}|${attributes(record, '\t', leefValue)}`;
}

function leef2Formatter(delimiter: number): (record: IndicatorRecord) => string {
  const clean = leef2Value(delimiter);
  const char = String.fromCharCode(delimiter);
  const shown = delimiter === 0x09 ? 'x09' : char;
  return (record) =>
    `LEEF:2.0|threatconnect|threatconnect|2|${headerId(record.id)}|${shown}|${attributes(record, char, clean)}`;
}

/** The line function for checked settings. */
export function leefFormatter(settings: LeefSettings): (record: IndicatorRecord) => string {
  if (settings.compat) return compatLeef;
  const delimiter = settings.delimiter;
  return delimiter === undefined ? leefLine : leef2Formatter(delimiter);
}

/**
 * One indicator as a LEEF line, without a line ending (decisions.md 3.1): LEEF 1.0 by default,
 * `{ version: '2.0', delimiter }` for LEEF 2.0. With `{ compat: 'python-sdk' }`, the original's line
 * instead (decisions.md 3.2): not valid LEEF.
 */
export function formatLeef(value: IndicatorRecord, options?: LeefOptions): string {
  const record = recordOf(value);
  checkIndicator(record, 'LEEF');
  if (options === undefined) return leefLine(record);
  return leefFormatter(formatSettings('leef', options))(record);
}
