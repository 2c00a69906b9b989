/**
 * CEF (ArcSight Common Event Format, revision 25), decisions.md 3.1: indicators only.
 *
 * `CEF:0|threatconnect|threatconnect|2|<id>|<Name>|<Severity>|<extension>`, with the header fields
 * escaped (`\`, `|`; CR and LF become a space) and the extension's values escaped (`\`, `=`, CR and LF
 * as `\r` and `\n`), never quoted; null fields are omitted, other C0 controls dropped.
 */
import { ValidationError } from '../core/errors.js';
import { compatCef } from './compat.js';
import type { LooseRecord } from './loose.js';
import { type FormatOptions, formatSettings } from './options.js';
import { checkRecord, type IndicatorRecord, isGroupRecord, recordOf } from './records.js';
import {
  confidenceField,
  flagsField,
  isoEpochText,
  KNOWN_NAME,
  knownTail,
  ownerField,
  ratingField,
} from './cef-parts.js';
import { cefBoth, cefDescription, cefHeader, cefValue } from './text.js';
import { hashText, intText, ratingText, severity, stringText } from './values.js';

/** Checks that `record` is an indicator record (CEF and LEEF print indicators only). */
export function checkIndicator(record: unknown, format: string): asserts record is IndicatorRecord {
  // The usual case first, in a few comparisons (no set lookup).
  if (typeof record === 'object' && record !== null) {
    const type = (record as { type?: unknown }).type;
    if (type === 'Host' || type === 'Address' || type === 'File' || type === 'URL' || type === 'EmailAddress')
      return;
  }
  checkRecord(record);
  if (isGroupRecord(record)) {
    throw new ValidationError(`${format} is printed for indicators only, not for a ${record.type} group`);
  }
}

function flagText(value: unknown): string {
  return stringText(value) ?? '';
}

/** Text that needs no escaping: digits of a number. */
function isNumber(value: unknown): boolean {
  return typeof value === 'number';
}

/** The spec-correct CEF line of an indicator record. */
export function cefLine(record: IndicatorRecord): string {
  // Each field is read once: records of several types reach this function, so every read is a
  // megamorphic property load.
  const r = record as LooseRecord;
  const rawType = r.type;
  const type = typeof rawType === 'string' ? rawType : (stringText(rawType) ?? '');
  const rawId = r.id;
  const id = intText(rawId);
  const description = stringText(r.description);
  const ownerName = stringText(r.ownerName);
  const weblink = stringText(r.weblink);
  const rawConfidence = r.confidence;
  const rawRating = r.rating;
  // The type's value field(s); a file's three hashes.
  let value: string | null = null;
  let sha1: string | null = null;
  let sha256: string | null = null;
  let flags: string | null = null;
  let flagsSafe = true;
  let flagsDone: string | undefined;
  // The modelled types' names need no escaping.
  let known = true;
  switch (type) {
    case 'Address':
      value = stringText(r.ip);
      break;
    case 'Host': {
      value = stringText(r.hostName);
      const dns = r.dnsActive ?? null;
      const whois = r.whoisActive ?? null;
      flagsDone = flagsField(dns, whois);
      if (flagsDone === undefined && (dns !== null || whois !== null)) {
        flags = `${flagText(dns)},${flagText(whois)}`;
      }
      // Booleans print `true`/`false`: nothing to escape.
      flagsSafe =
        (dns === null || typeof dns === 'boolean') && (whois === null || typeof whois === 'boolean');
      break;
    }
    case 'URL':
      value = stringText(r.text);
      break;
    case 'EmailAddress':
      value = stringText(r.address);
      break;
    case 'File':
      value = hashText(r.md5);
      sha1 = hashText(r.sha1);
      sha256 = hashText(r.sha256);
      break;
    default:
      known = false;
      value = stringText(r.summary);
  }
  const head = cefHeader;
  const esc = cefValue;
  let name: string;
  let msg: string | null = null;
  if (description === null || description === '') {
    name = known ? (KNOWN_NAME[type] as string) : head(`${type} indicator`);
    msg = description;
  } else {
    cefDescription(description);
    name = cefBoth.header;
    msg = cefBoth.value;
  }
  const idHeader = id === null ? '' : isNumber(rawId) ? id : head(id);
  const sev = severity(rawRating);
  let out = known
    ? `CEF:0|threatconnect|threatconnect|2|${idHeader}|${name}${knownTail(type, sev)}`
    : `CEF:0|threatconnect|threatconnect|2|${idHeader}|${name}|${sev}|cat=${esc(type)}`;
  switch (type) {
    case 'Address':
      if (value !== null)
        out += value.includes(':') ? ` c6a3Label=address c6a3=${esc(value)}` : ` dst=${esc(value)}`;
      break;
    case 'Host':
      if (value !== null) out += ` dhost=${esc(value)}`;
      break;
    case 'URL':
      if (value !== null) out += ` request=${esc(value)}`;
      break;
    case 'EmailAddress':
      if (value !== null) out += ` duser=${esc(value)}`;
      break;
    case 'File': {
      // Each hash escaped once; fileHash repeats the strongest.
      const md5Text = value === null ? null : esc(value);
      const sha1Text = sha1 === null ? null : esc(sha1);
      const sha256Text = sha256 === null ? null : esc(sha256);
      const best = sha256Text ?? sha1Text ?? md5Text;
      if (best !== null) out += ` fileHash=${best}`;
      if (md5Text !== null) out += ` cs4Label=md5 cs4=${md5Text}`;
      if (sha1Text !== null) out += ` cs5Label=sha1 cs5=${sha1Text}`;
      if (sha256Text !== null) out += ` cs6Label=sha256 cs6=${sha256Text}`;
      break;
    }
    default:
      if (value !== null) out += ` cs4Label=summary cs4=${esc(value)}`;
  }
  if (id !== null) out += ` externalId=${isNumber(rawId) ? id : esc(id)}`;
  if (msg !== null) out += ` msg=${msg}`;
  if (ownerName !== null) out += ownerField(ownerName);
  const confidenceDone = confidenceField(rawConfidence);
  if (confidenceDone !== undefined) out += confidenceDone;
  else {
    const confidence = intText(rawConfidence);
    if (confidence !== null)
      out += ` cn1Label=confidence cn1=${isNumber(rawConfidence) ? confidence : esc(confidence)}`;
  }
  const ratingDone = ratingField(rawRating);
  if (ratingDone !== undefined) out += ratingDone;
  else {
    const rating = ratingText(rawRating);
    if (rating !== null) out += ` cfp1Label=rating cfp1=${isNumber(rawRating) ? rating : esc(rating)}`;
  }
  const dateAdded = stringText(r.dateAdded);
  const added = dateAdded === null ? null : isoEpochText(dateAdded);
  if (added !== null) out += ` deviceCustomDate1Label=dateAdded deviceCustomDate1=${added}`;
  const lastModified = stringText(r.lastModified);
  const modified = lastModified === null ? null : isoEpochText(lastModified);
  if (modified !== null) out += ` rt=${modified}`;
  if (weblink !== null) out += ` cs2Label=webLink cs2=${esc(weblink)}`;
  if (flagsDone !== undefined) out += flagsDone;
  else if (flags !== null) out += ` cs3Label=dnsActive,whoisActive cs3=${flagsSafe ? flags : esc(flags)}`;
  return out;
}

/**
 * One indicator as a CEF line, without a line ending (decisions.md 3.1). With
 * `{ compat: 'python-sdk' }`, the original's line instead (decisions.md 3.2): not valid CEF.
 */
export function formatCef(value: IndicatorRecord, options?: FormatOptions): string {
  const record = recordOf(value);
  checkIndicator(record, 'CEF');
  return cefText(record, options);
}

/** @internal {@link formatCef} of a record the SDK built (an object's), which needs no checks. */
export function cefText(record: IndicatorRecord, options: FormatOptions | undefined): string {
  return formatSettings('cef', options).compat ? compatCef(record) : cefLine(record);
}
