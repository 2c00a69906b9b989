/**
 * What each format must carry for a record, written from decisions.md 3.1 for the round-trip tests:
 * the fields, their order, and the documented replacement where a format has no escape. It works on
 * the parsed values (escapes already undone), so it states meaning, not bytes.
 */
import type { FormatRecord } from '../../src/formats/index.js';

type Loose = Record<string, unknown> & { type: string };

export const INDICATOR_TYPES = ['Address', 'EmailAddress', 'File', 'Host', 'URL'];
export const GROUP_TYPES = ['Adversary', 'Campaign', 'Document', 'Email', 'Incident', 'Signature', 'Threat'];

const GROUP_EXTRAS: Record<string, string[]> = {
  Adversary: [],
  Campaign: ['firstSeen'],
  Document: ['fileName', 'fileSize', 'malware', 'password'],
  Email: ['body', 'from', 'header', 'score', 'subject', 'to'],
  Incident: ['eventDate'],
  Signature: ['fileName', 'fileText', 'fileType'],
  Threat: [],
};
const INDICATOR_EXTRAS: Record<string, string[]> = {
  Address: ['ip'],
  EmailAddress: ['address'],
  File: ['md5', 'sha1', 'sha256', 'size'],
  Host: ['dnsActive', 'hostName', 'whoisActive'],
  URL: ['source', 'text'],
};

export function isGroup(record: FormatRecord): boolean {
  return GROUP_TYPES.includes(record.type);
}

/** Every key of the record's type, sorted (decisions.md 3.1: KeyVal and JSON). */
export function sortedKeys(record: FormatRecord): string[] {
  const base = isGroup(record)
    ? ['dateAdded', 'id', 'name', 'ownerName', 'type', 'weblink', ...(GROUP_EXTRAS[record.type] as string[])]
    : [
        'confidence',
        'dateAdded',
        'description',
        'id',
        'lastModified',
        'ownerName',
        'rating',
        'type',
        'weblink',
        ...(Object.hasOwn(INDICATOR_EXTRAS, record.type)
          ? (INDICATOR_EXTRAS[record.type] as string[])
          : ['summary']),
      ];
  return base.sort();
}

function get(record: FormatRecord, key: string): unknown {
  return (record as unknown as Loose)[key] ?? null;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

/** C0 controls other than tab, CR and LF dropped (CEF, LEEF, KeyVal). */
export function dropControls(text: string): string {
  if (!CONTROLS.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) continue;
    out += ch;
  }
  return out;
}

/** Ratings are floats: the number read back must be the rating, and a whole one shows `.0`. */
export function ratingMatches(text: string, rating: number): boolean {
  if (Number(text) !== rating) return false;
  return !Number.isInteger(rating) || Math.abs(rating) >= 1e16 || text.endsWith('.0');
}

/** The text a value must have, `null` when omitted (the records hold strings, numbers, booleans). */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/**
 * The dates the formats read (src/formats/text.ts documents them): `YYYY-MM-DD`, optionally a time
 * `[Tt ]HH:MM[:SS[.fraction]]` and then an offset `Z`, `z` or `±HH[[:]MM]`; no offset is UTC.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/** Epoch ms of such a date, `null` for anything else or an impossible date (`Date.UTC` computes). */
export function epochMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = ISO.exec(value);
  if (!m) return null;
  const n = (i: number): number => Number(m[i] ?? '0');
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Number(`${m[7] ?? ''}000`.slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return null;
  let offset = 0;
  if (m[9] !== undefined) {
    const oh = n(10);
    const om = n(11);
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '+' ? 1 : -1) * (oh * 60 + om) * 60_000;
  }
  return date.getTime() - offset;
}

/** A pair list entry whose value is checked by a predicate instead of equality. */
export type Expected = [string, string | ((actual: string) => boolean)];

function severity(rating: unknown): string {
  if (typeof rating !== 'number' || !Number.isFinite(rating)) return '0';
  return String(Math.min(10, Math.max(0, Math.round(rating * 2))));
}

function hash(record: FormatRecord, key: string): string | null {
  const value = get(record, key);
  return typeof value === 'string' && value !== '' ? value : null;
}

function ratingPair(key: string, rating: unknown): Expected | null {
  if (typeof rating !== 'number' || !Number.isFinite(rating)) return null;
  return [key, (actual) => ratingMatches(actual, rating)];
}

// ---------------------------------------------------------------------------------------------------
// CEF
// ---------------------------------------------------------------------------------------------------

export function expectedCef(record: FormatRecord): { header: string[]; extension: Expected[] } {
  const type = record.type;
  const description = textOf(get(record, 'description'));
  const id = textOf(get(record, 'id'));
  const headerText = (text: string): string => dropControls(text).replace(/[\r\n]/g, ' ');
  const name = description === null || description === '' ? `${type} indicator` : description;
  const header = [
    'CEF:0',
    'threatconnect',
    'threatconnect',
    '2',
    headerText(id ?? ''),
    headerText(name),
    severity(get(record, 'rating')),
  ];
  const ext: (Expected | null)[] = [];
  const put = (key: string, value: string | null): void => {
    ext.push(value === null ? null : [key, dropControls(value)]);
  };
  const label = (labelKey: string, labelText: string, key: string, value: string | null): void => {
    if (value === null) return;
    ext.push([labelKey, labelText]);
    ext.push([key, dropControls(value)]);
  };
  put('cat', type);
  switch (type) {
    case 'Address': {
      const ip = textOf(get(record, 'ip'));
      if (ip !== null && ip.includes(':')) label('c6a3Label', 'address', 'c6a3', ip);
      else put('dst', ip);
      break;
    }
    case 'Host':
      put('dhost', textOf(get(record, 'hostName')));
      break;
    case 'URL':
      put('request', textOf(get(record, 'text')));
      break;
    case 'EmailAddress':
      put('duser', textOf(get(record, 'address')));
      break;
    case 'File': {
      const md5 = hash(record, 'md5');
      const sha1 = hash(record, 'sha1');
      const sha256 = hash(record, 'sha256');
      put('fileHash', sha256 ?? sha1 ?? md5);
      label('cs4Label', 'md5', 'cs4', md5);
      label('cs5Label', 'sha1', 'cs5', sha1);
      label('cs6Label', 'sha256', 'cs6', sha256);
      break;
    }
    default:
      label('cs4Label', 'summary', 'cs4', textOf(get(record, 'summary')));
  }
  put('externalId', id);
  put('msg', description);
  label('cs1Label', 'ownerName', 'cs1', textOf(get(record, 'ownerName')));
  label('cn1Label', 'confidence', 'cn1', textOf(get(record, 'confidence')));
  const rating = ratingPair('cfp1', get(record, 'rating'));
  if (rating !== null) ext.push(['cfp1Label', 'rating'], rating);
  const added = epochMs(get(record, 'dateAdded'));
  label('deviceCustomDate1Label', 'dateAdded', 'deviceCustomDate1', added === null ? null : String(added));
  const modified = epochMs(get(record, 'lastModified'));
  put('rt', modified === null ? null : String(modified));
  label('cs2Label', 'webLink', 'cs2', textOf(get(record, 'weblink')));
  if (type === 'Host') {
    const dns = textOf(get(record, 'dnsActive'));
    const whois = textOf(get(record, 'whoisActive'));
    if (dns !== null || whois !== null)
      label('cs3Label', 'dnsActive,whoisActive', 'cs3', `${dns ?? ''},${whois ?? ''}`);
  }
  return { header, extension: ext.filter((e): e is Expected => e !== null) };
}

// ---------------------------------------------------------------------------------------------------
// LEEF
// ---------------------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `MMM dd yyyy HH:mm:ss` in UTC, from a Date. */
export function leefDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()] ?? ''} ${p(d.getUTCDate())} ${String(d.getUTCFullYear()).padStart(4, '0')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function expectedLeef(record: FormatRecord, delimiter = '\t'): Expected[] {
  const clean = (text: string): string =>
    dropControls(text)
      .replaceAll('\t', ' ')
      .replaceAll('\r', ' ')
      .replaceAll('\n', ' ')
      .replaceAll(delimiter, ' ');
  const out: (Expected | null)[] = [];
  const put = (key: string, value: string | null): void => {
    out.push(value === null ? null : [key, clean(value)]);
  };
  const type = record.type;
  put('cat', type);
  switch (type) {
    case 'Address':
      put('dst', textOf(get(record, 'ip')));
      break;
    case 'Host':
      put('identHostName', textOf(get(record, 'hostName')));
      put('dnsActive', textOf(get(record, 'dnsActive')));
      put('whoisActive', textOf(get(record, 'whoisActive')));
      break;
    case 'URL':
      put('url', textOf(get(record, 'text')));
      break;
    case 'EmailAddress':
      put('usrName', textOf(get(record, 'address')));
      break;
    case 'File': {
      const md5 = hash(record, 'md5');
      const sha1 = hash(record, 'sha1');
      const sha256 = hash(record, 'sha256');
      put('fileHash', sha256 ?? sha1 ?? md5);
      put('md5', md5);
      put('sha1', sha1);
      put('sha256', sha256);
      break;
    }
    default:
      put('summary', textOf(get(record, 'summary')));
  }
  const added = epochMs(get(record, 'dateAdded'));
  if (added !== null && new Date(added).getUTCFullYear() >= 0 && new Date(added).getUTCFullYear() <= 9999) {
    put('devTime', leefDate(added));
    put('devTimeFormat', 'MMM dd yyyy HH:mm:ss');
  }
  put('sev', severity(get(record, 'rating')));
  put('description', textOf(get(record, 'description')));
  put('ownerName', textOf(get(record, 'ownerName')));
  put('confidence', textOf(get(record, 'confidence')));
  out.push(ratingPair('rating', get(record, 'rating')));
  put('weblink', textOf(get(record, 'weblink')));
  return out.filter((e): e is Expected => e !== null);
}

// ---------------------------------------------------------------------------------------------------
// CSV, KeyVal, JSON
// ---------------------------------------------------------------------------------------------------

/** The CSV fields: null is an empty field; the rating is checked as a float. */
export function expectedCsv(record: FormatRecord): (string | ((actual: string) => boolean))[] {
  const t = (key: string): string => textOf(get(record, key)) ?? '';
  if (isGroup(record)) return [t('dateAdded'), t('id'), t('name'), t('ownerName'), t('type'), t('weblink')];
  let indicator: string;
  switch (record.type) {
    case 'Address':
      indicator = t('ip');
      break;
    case 'Host':
      indicator = t('hostName');
      break;
    case 'URL':
      indicator = t('text');
      break;
    case 'EmailAddress':
      indicator = t('address');
      break;
    case 'File':
      indicator = ['md5', 'sha1', 'sha256']
        .map((k) => hash(record, k))
        .filter((h) => h !== null)
        .join(' : ');
      break;
    default:
      indicator = t('summary');
  }
  const rating = get(record, 'rating');
  const ratingCell =
    typeof rating === 'number' && Number.isFinite(rating)
      ? (actual: string) => ratingMatches(actual, rating)
      : '';
  return [
    t('confidence'),
    t('dateAdded'),
    t('description'),
    t('id'),
    indicator,
    t('lastModified'),
    t('ownerName'),
    ratingCell,
    t('type'),
    t('weblink'),
  ];
}

export function expectedKeyval(record: FormatRecord): Expected[] {
  const out: Expected[] = [];
  for (const key of sortedKeys(record)) {
    const value = get(record, key);
    if (key === 'rating' && typeof value === 'number') {
      const pair = ratingPair(key, value);
      if (pair !== null) out.push(pair);
      continue;
    }
    const text = textOf(value);
    if (text !== null) out.push([key, dropControls(text)]);
  }
  return out;
}

/** The object `JSON.parse` must give: every key of the type, `null` kept, non-finite numbers `null`. */
export function expectedJson(record: FormatRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(record)) {
    const value = get(record, key);
    out[key] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  return out;
}

/** Compares parsed pairs to the expected ones; returns a description of the first difference. */
export function comparePairs(
  actual: readonly [string, string][],
  expected: readonly Expected[],
): string | null {
  if (actual.length !== expected.length) {
    return `expected ${expected.length} pairs (${expected.map((e) => e[0]).join(' ')}), got ${actual.length} (${actual.map((a) => a[0]).join(' ')})`;
  }
  for (let i = 0; i < actual.length; i += 1) {
    const [key, value] = actual[i] as [string, string];
    const [wantKey, want] = expected[i] as Expected;
    if (key !== wantKey) return `pair ${i}: key ${JSON.stringify(key)}, expected ${JSON.stringify(wantKey)}`;
    const ok = typeof want === 'string' ? value === want : want(value);
    if (!ok) {
      return `pair ${i} (${key}): ${JSON.stringify(value)}, expected ${typeof want === 'string' ? JSON.stringify(want) : 'a match'}`;
    }
  }
  return null;
}

/** Compares CSV fields the same way. */
export function compareFields(
  actual: readonly string[],
  expected: readonly (string | ((actual: string) => boolean))[],
): string | null {
  if (actual.length !== expected.length) return `expected ${expected.length} fields, got ${actual.length}`;
  for (let i = 0; i < actual.length; i += 1) {
    const want = expected[i] as string | ((a: string) => boolean);
    const value = actual[i] as string;
    const ok = typeof want === 'string' ? value === want : want(value);
    if (!ok)
      return `field ${i}: ${JSON.stringify(value)}, expected ${typeof want === 'string' ? JSON.stringify(want) : 'a match'}`;
  }
  return null;
}
