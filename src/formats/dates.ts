/**
 * Dates of the formats (decisions.md 3.1): ISO 8601 date-times as the API writes them, read into epoch
 * milliseconds (CEF's `rt`, LEEF's `devTime`) or seconds, and LEEF's `devTime` text.
 */

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

/**
 * Whether a string is an ISO 8601 date the SDK sends as given: `YYYY-MM-DD`, or a date-time with a `T`
 * (the reading side also takes a space or a `t` there; the API's own dates have a `T`, and a server
 * may refuse the others), of a day that exists.
 */
export function isIsoToSend(text: string): boolean {
  return (text.length === 10 || text[10] === 'T') && isoToEpochMs(text) !== null;
}

/** A digit's value, or a large number for anything else (so a sum of them is out of range). */
function d(text: string, at: number): number {
  const c = text.charCodeAt(at) - 48;
  return c >= 0 && c <= 9 ? c : 10_000;
}

/** Whether `text` has the separators of `YYYY-MM-DDTHH:MM:SS` and the length of the API's two layouts. */
function apiLayout(text: string, length: number): boolean {
  return (
    (length === 20 || length === 25) &&
    text.charCodeAt(4) === 0x2d &&
    text.charCodeAt(7) === 0x2d &&
    text.charCodeAt(10) === 0x54 &&
    text.charCodeAt(13) === 0x3a &&
    text.charCodeAt(16) === 0x3a
  );
}

/**
 * The API's own layouts, `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS±HH:MM`, in one pass;
 * -1 for anything else (then {@link parseIso} decides).
 */
function canonicalIso(text: string): number {
  const length = text.length;
  if (!apiLayout(text, length)) return -1;
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
  if (!apiLayout(text, length)) return -1;
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
