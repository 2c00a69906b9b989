/**
 * Text helpers of the formats (decisions.md 3.1): escaping per format, number printing and ISO dates.
 *
 * Every escaper first scans for a character that needs work and returns its input unchanged when there
 * is none, which is the common case; only then does it build a new string. The per-character tables
 * cover ASCII: every character the formats treat specially is ASCII.
 */

/** A replacement table: `undefined` keeps the character, `''` drops it, any other text replaces it. */
type Table = readonly (string | undefined)[];

function table(entries: Readonly<Record<number, string>>, dropC0: boolean): Table {
  const out: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
  if (dropC0) {
    // C0 controls other than tab, CR and LF are dropped (NUL included).
    for (let c = 0; c < 0x20; c += 1) if (c !== 0x09 && c !== 0x0a && c !== 0x0d) out[c] = '';
  }
  for (const [code, replacement] of Object.entries(entries)) out[Number(code)] = replacement;
  return out;
}

/**
 * A regular expression that matches a text with no character `map` changes: `^[^…]*$`. V8 runs this
 * anchored negated loop about twice as fast as a search for the class, and both far faster than a
 * `charCodeAt` loop, so it is the fast path: most values have nothing to change.
 */
function cleanTest(map: Table): RegExp {
  const hex = (c: number): string => `\\x${c.toString(16).padStart(2, '0')}`;
  let source = '';
  for (let c = 0; c < map.length; c += 1) {
    if (map[c] === undefined) continue;
    let end = c;
    while (end + 1 < map.length && map[end + 1] !== undefined) end += 1;
    source += end === c ? hex(c) : `${hex(c)}-${hex(end)}`;
    c = end;
  }
  return new RegExp(`^[^${source}]*$`);
}

/** Applies `map`; returns `text` itself when `clean` says nothing in it changes. */
function applyTable(text: string, map: Table, clean: RegExp): string {
  if (clean.test(text)) return text;
  const length = text.length;
  let out = '';
  let start = 0;
  for (let i = 0; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 128) continue;
    const replacement = map[c];
    if (replacement === undefined) continue;
    if (i > start) out += text.slice(start, i);
    out += replacement;
    start = i + 1;
  }
  return start < length ? out + text.slice(start) : out;
}

const CEF_HEADER = table({ 0x5c: '\\\\', 0x7c: '\\|', 0x0d: ' ', 0x0a: ' ' }, true);
const CEF_HEADER_CLEAN = cleanTest(CEF_HEADER);
const CEF_VALUE = table({ 0x5c: '\\\\', 0x3d: '\\=', 0x0d: '\\r', 0x0a: '\\n' }, true);
const CEF_VALUE_CLEAN = cleanTest(CEF_VALUE);
const LEEF_VALUE = table({ 0x09: ' ', 0x0d: ' ', 0x0a: ' ' }, true);
const LEEF_VALUE_CLEAN = cleanTest(LEEF_VALUE);
const KEYVAL_VALUE = table({ 0x5c: '\\\\', 0x22: '\\"', 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t' }, true);
const KEYVAL_VALUE_CLEAN = cleanTest(KEYVAL_VALUE);

/** True when no CEF value or header field needs more than `=` or `|` escaped (no `\`, no control but tab). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CEF_CLEAN = /^[^\x00-\x08\x0a-\x1f\\]*$/;

/** `text` with every `char` preceded by `prefix` (an `indexOf` loop: faster than `replaceAll` in V8). */
function prefixEach(text: string, char: string, prefix: string): string {
  let at = text.indexOf(char);
  if (at === -1) return text;
  let out = '';
  let start = 0;
  while (at !== -1) {
    out += `${text.slice(start, at)}${prefix}`;
    start = at;
    at = text.indexOf(char, at + 1);
  }
  return out + text.slice(start);
}

/**
 * The description both ways, scanned once: as the CEF header's Name (`header`) and as the `msg` value
 * (`value`). Kept in module state to return two strings without allocating; read them at once.
 */
export const cefBoth = { header: '', value: '' };

/** Sets {@link cefBoth} for `text`. */
export function cefDescription(text: string): void {
  if (CEF_CLEAN.test(text)) {
    cefBoth.header = prefixEach(text, '|', '\\');
    cefBoth.value = prefixEach(text, '=', '\\');
  } else {
    cefBoth.header = applyTable(text, CEF_HEADER, CEF_HEADER_CLEAN);
    cefBoth.value = applyTable(text, CEF_VALUE, CEF_VALUE_CLEAN);
  }
}

/** A CEF header field: `\` and `|` escaped, CR and LF become a space, other C0 controls dropped. */
export function cefHeader(text: string): string {
  if (CEF_CLEAN.test(text)) return prefixEach(text, '|', '\\');
  return applyTable(text, CEF_HEADER, CEF_HEADER_CLEAN);
}

/** A CEF extension value: `\`, `=` escaped, CR and LF as `\r` and `\n`, other C0 controls (tab kept) dropped. */
export function cefValue(text: string): string {
  // URLs and webLinks hold `=` and rarely anything else.
  if (CEF_CLEAN.test(text)) return prefixEach(text, '=', '\\');
  return applyTable(text, CEF_VALUE, CEF_VALUE_CLEAN);
}

/** A LEEF 1.0 attribute value: tab, CR and LF become a space, other C0 controls dropped. */
export function leefValue(text: string): string {
  return applyTable(text, LEEF_VALUE, LEEF_VALUE_CLEAN);
}

/** A LEEF 2.0 value cleaner: the delimiter becomes a space too. */
export function leef2Value(delimiter: number): (text: string) => string {
  const map = table({ 0x09: ' ', 0x0d: ' ', 0x0a: ' ', [delimiter]: ' ' }, true);
  const clean = cleanTest(map);
  return (text) => applyTable(text, map, clean);
}

/** A KeyVal value (inside its quotes): `\`, `"`, CR, LF and tab escaped, other C0 controls dropped. */
export function keyvalValue(text: string): string {
  return applyTable(text, KEYVAL_VALUE, KEYVAL_VALUE_CLEAN);
}

/** True when JSON.stringify escapes nothing (no C0 control, `"`, `\`; any surrogate takes the slow path). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const JSON_CLEAN = /^[^\x00-\x1f"\\\ud800-\udfff]*$/;

/** A JSON string: the text in quotes when nothing needs escaping, else `JSON.stringify`. */
export function jsonString(text: string): string {
  return JSON_CLEAN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** An RFC 4180 field: quoted, with inner quotes doubled, when it holds a comma, a quote, CR or LF. */
export function csvField(text: string): string {
  return CSV_CLEAN.test(text) ? text : quoteCsv(text);
}

/** True when a CSV field needs no quotes (no comma, quote, CR or LF). */
const CSV_CLEAN = /^[^,"\r\n]*$/;

function quoteCsv(text: string): string {
  return `"${prefixEach(text, '"', '"')}"`;
}

// ---------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------

/**
 * Python's `repr()` of a float: the shortest digits that read back to the same number, in fixed
 * notation for exponents -4 to 15 (with `.0` on whole numbers), otherwise `1e+16` / `1.5e-07`.
 * Ratings print this way in every format (`1.0`), as the original printed them.
 */
export function pyFloat(value: number): string {
  // Ratings are mostly halves from 0 to 5: a table skips the number-to-text conversion.
  const doubled = value * 2;
  if (doubled >= 0 && doubled <= 10 && (doubled | 0) === doubled && !Object.is(value, -0)) {
    return HALVES[doubled] as string;
  }
  const magnitude = value < 0 ? -value : value;
  if (Number.isInteger(value) && magnitude < 1e16) {
    return Object.is(value, -0) ? '-0.0' : `${value}.0`;
  }
  // Between 1e-4 and 1e16 JavaScript and Python both print the shortest digits in fixed notation.
  if (magnitude >= 1e-4 && magnitude < 1e16) return String(value);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const exp = value.toExponential(); // shortest round-trip digits: "d.ddde±x"
  const at = exp.indexOf('e');
  const exponent = Number(exp.slice(at + 1));
  if (exponent >= -4 && exponent < 16) return String(value);
  const mantissa = exp.slice(0, at);
  const sign = exponent < 0 ? '-' : '+';
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

const HALVES = ['0.0', '0.5', '1.0', '1.5', '2.0', '2.5', '3.0', '3.5', '4.0', '4.5', '5.0'];

/**
 * The decimal text of a whole number of milliseconds. Epoch milliseconds exceed V8's small integers, and
 * converting such a double is slow; two small halves convert quickly (three times faster, measured).
 */
export function epochText(ms: number): string {
  if (ms < 1e6 || ms > Number.MAX_SAFE_INTEGER) return String(ms);
  const high = Math.floor(ms / 1e6);
  const low = ms - high * 1e6;
  return low >= 100_000 ? `${high}${low}` : `${high}${String(low).padStart(6, '0')}`;
}

/** Python `str()` of a number: integers as they are, others as {@link pyFloat}. */
export function pyNumber(value: number, float: boolean): string {
  return !float && Number.isInteger(value) ? String(value) : pyFloat(value);
}

// ---------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1-12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digit(text: string, at: number): number {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(text: string, at: number): number {
  const a = digit(text, at);
  const b = digit(text, at + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * Milliseconds since the epoch of an ISO 8601 date-time as the API writes them
 * (`2015-06-21T10:40:33-05:00`, `2015-05-01T00:00:00Z`, with or without fractions; `YYYY-MM-DD` alone is
 * midnight UTC, and so is a time without an offset). Anything else, or an impossible date, is `null`.
 */
export function isoToEpochMs(text: string): number | null {
  // `lastModified` often equals `dateAdded`: the last answer is kept.
  if (text === lastIso) return lastMs;
  const fast = canonicalIso(text);
  const ms = fast === -1 ? parseIso(text) : fast;
  lastIso = text;
  lastMs = ms;
  return ms;
}

/** A digit's value, or a large number for anything else (so a sum of them is out of range). */
function d(text: string, at: number): number {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : 10_000;
}

/**
 * The API's own layouts, `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS±HH:MM`, in one pass;
 * -1 for anything else (then {@link parseIso} decides).
 */
function canonicalIso(text: string): number {
  const length = text.length;
  if (
    (length !== 20 && length !== 25) ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return -1;
  }
  const year = d(text, 0) * 1000 + d(text, 1) * 100 + d(text, 2) * 10 + d(text, 3);
  const month = d(text, 5) * 10 + d(text, 6);
  const day = d(text, 8) * 10 + d(text, 9);
  const hour = d(text, 11) * 10 + d(text, 12);
  const minute = d(text, 14) * 10 + d(text, 15);
  const second = d(text, 17) * 10 + d(text, 18);
  if (year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return -1;
  if (hour > 23 || minute > 59 || second > 59) return -1;
  const ms =
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000;
  const zone = text.charCodeAt(19);
  if (length === 20) return zone === 0x5a ? ms : -1;
  if ((zone !== 0x2b && zone !== 0x2d) || text.charCodeAt(22) !== 0x3a) return -1;
  const oh = d(text, 20) * 10 + d(text, 21);
  const om = d(text, 23) * 10 + d(text, 24);
  if (oh > 23 || om > 59) return -1;
  const offset = (oh * 60 + om) * 60_000;
  return zone === 0x2b ? ms - offset : ms + offset;
}

let lastIso = '';
let lastMs: number | null = null;

/** Days from 1970-01-01 to January 1st of each year 1970-2037. */
const YEAR_DAYS: readonly number[] = Array.from({ length: 68 }, (_, i) => daysFromCivil(1970 + i, 1, 1));
/** Days from January 1st to the first of each month, in a common year. */
const MONTH_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Two digits' value at `at`, or a negative number when either is no digit. */
function two(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -100;
}

/**
 * Whole seconds since the epoch of a date-time in the API's own layouts (`YYYY-MM-DDTHH:MM:SSZ`,
 * `YYYY-MM-DDTHH:MM:SS±HH:MM`) from 1970 to 2037, in integer arithmetic only (the result stays below
 * 2^31); -1 for anything else, which {@link isoToEpochMs} then decides. The formats' hot path: two
 * dates per CEF line.
 */
export function isoEpochSeconds(text: string): number {
  const length = text.length;
  if (
    (length !== 20 && length !== 25) ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return -1;
  }
  const century = two(text, 0);
  const year = century * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (century < 19 || year < 1970 || year > 2037 || month < 1 || month > 12 || day < 1) return -1;
  if (day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return -1;
  if (second < 0 || second > 59) return -1;
  const days =
    (YEAR_DAYS[year - 1970] as number) +
    (MONTH_DAYS[month - 1] as number) +
    (month > 2 && isLeap(year) ? 1 : 0) +
    day -
    1;
  const seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
  const zone = text.charCodeAt(19);
  if (length === 20) return zone === 0x5a ? seconds : -1;
  if ((zone !== 0x2b && zone !== 0x2d) || text.charCodeAt(22) !== 0x3a) return -1;
  const oh = two(text, 20);
  const om = two(text, 23);
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
  const offset = oh * 3600 + om * 60;
  const out = zone === 0x2b ? seconds - offset : seconds + offset;
  return out >= 0 ? out : -1;
}

function parseIso(text: string): number | null {
  const length = text.length;
  if (length < 10) return null;
  const y0 = digit(text, 0);
  const y1 = digit(text, 1);
  const y2 = digit(text, 2);
  const y3 = digit(text, 3);
  if (y0 < 0 || y1 < 0 || y2 < 0 || y3 < 0) return null;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return null;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  if (length === 10) return ms;
  const t = text.charCodeAt(10);
  if (t !== 0x54 && t !== 0x74 && t !== 0x20) return null; // T, t or a space
  const hour = twoDigits(text, 11);
  if (hour < 0 || hour > 23 || text.charCodeAt(13) !== 0x3a) return null;
  const minute = twoDigits(text, 14);
  if (minute < 0 || minute > 59) return null;
  let at = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(at) === 0x3a) {
    second = twoDigits(text, at + 1);
    if (second < 0 || second > 59) return null;
    at += 3;
    if (text.charCodeAt(at) === 0x2e || text.charCodeAt(at) === 0x2c) {
      at += 1;
      // Milliseconds from the first three digits; further digits are truncated.
      const first = at;
      let scale = 100;
      while (at < length) {
        const d = digit(text, at);
        if (d < 0) break;
        millis += d * scale;
        scale = scale === 1 ? 0 : scale / 10;
        at += 1;
      }
      if (at === first) return null;
    }
  }
  ms += hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
  if (at === length) return ms;
  const zone = text.charCodeAt(at);
  if ((zone === 0x5a || zone === 0x7a) && at + 1 === length) return ms; // Z
  if (zone !== 0x2b && zone !== 0x2d) return null;
  const oh = twoDigits(text, at + 1);
  if (oh < 0 || oh > 23) return null;
  let om = 0;
  if (at + 3 === length) {
    // ±HH
  } else if (text.charCodeAt(at + 3) === 0x3a && at + 6 === length) {
    om = twoDigits(text, at + 4);
  } else if (at + 5 === length) {
    om = twoDigits(text, at + 3);
  } else return null;
  if (om < 0 || om > 59) return null;
  const offset = (oh * 60 + om) * 60_000;
  return zone === 0x2b ? ms - offset : ms + offset;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The LEEF `devTimeFormat` this module writes. */
export const LEEF_TIME_FORMAT = 'MMM dd yyyy HH:mm:ss';

/** `MMM dd yyyy HH:mm:ss` in UTC (`Jun 21 2015 15:40:33`), or `null` outside years 0-9999. */
export function leefTime(ms: number): string | null {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // civil from days (Howard Hinnant's algorithm)
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return null;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return `${MONTHS[month - 1] ?? ''} ${pad2(day)} ${String(year).padStart(4, '0')} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}
