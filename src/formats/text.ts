/**
 * Text helpers of the formats (decisions.md 3.1): escaping per format and number printing (dates are in
 * dates.ts).
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
