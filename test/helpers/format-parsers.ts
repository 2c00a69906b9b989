/**
 * Strict parsers for the formats, written from their specifications and sharing no code with
 * src/formats, so a round trip through them checks the formatters against the formats rather than
 * against themselves. Each throws on anything its specification does not allow, so a forged field,
 * event or record is an error or a visible extra entry, never silently absorbed.
 *
 * - CEF: ArcSight "Implementing ArcSight CEF", revision 25. `CEF:Version|Device Vendor|Device Product|
 *   Device Version|Device Event Class ID|Name|Severity|Extension`. In the header, `\|` and `\\` are the
 *   only escapes. The extension is `key=value` pairs separated by spaces: a key is the word right
 *   before an unescaped `=`, and a value runs to the space before the next key. In values, `\\`, `\=`,
 *   `\n` and `\r` are the only escapes.
 * - LEEF: IBM QRadar "Log Event Extended Format" 1.0 and 2.0. `LEEF:1.0|Vendor|Product|Version|EventID|`
 *   then tab-separated `key=value`; 2.0 adds a delimiter field (one character, or `xHH`/`0xHH`) before
 *   the attributes. No escapes exist; a key ends at the first `=`.
 * - CSV: RFC 4180 section 2's grammar: CRLF between records (the last may lack it), fields separated
 *   by commas, quoted fields may hold commas, CR, LF and doubled quotes; unquoted fields hold none of
 *   those nor a quote.
 * - KeyVal: decisions.md 3.1: `key="value"` pairs, one space apart, no trailing space; inside the
 *   quotes `\\`, `\"`, `\r`, `\n` and `\t` are the only escapes, and no raw `"`, CR, LF or tab.
 */

export class ParseError extends Error {
  override name = 'ParseError';
}

function fail(message: string, text: string, at: number): never {
  throw new ParseError(`${message} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}`);
}

/** A line may not hold a line break (it would be a second event). */
function oneLine(text: string): void {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) fail('line break inside a line', text, i);
  }
}

// ---------------------------------------------------------------------------------------------------
// CEF
// ---------------------------------------------------------------------------------------------------

export interface CefEvent {
  /** `CEF:0`, vendor, product, version, event class id, name, severity: unescaped. */
  header: string[];
  /** The extension's pairs in order. */
  extension: [string, string][];
}

const CEF_KEY = /^[A-Za-z0-9_]+$/;

export function parseCef(line: string): CefEvent {
  oneLine(line);
  if (!line.startsWith('CEF:')) fail('no CEF: prefix', line, 0);
  const header: string[] = [];
  let field = '';
  let i = 0;
  while (header.length < 7) {
    if (i >= line.length) fail('header ends early', line, i);
    const ch = line[i] as string;
    if (ch === '\\') {
      const next = line[i + 1];
      if (next !== '\\' && next !== '|') fail('bad header escape', line, i);
      field += next;
      i += 2;
    } else if (ch === '|') {
      header.push(field);
      field = '';
      i += 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  const extension: [string, string][] = [];
  const rest = line.slice(i);
  if (rest === '') return { header, extension };
  // Unescaped `=` positions; a backslash always escapes the character after it.
  const equals: number[] = [];
  for (let j = 0; j < rest.length; j += 1) {
    const ch = rest[j];
    if (ch === '\\') {
      j += 1;
      continue;
    }
    if (ch === '=') equals.push(j);
  }
  if (equals.length === 0) fail('extension without a key', rest, 0);
  let keyStart = 0;
  for (let k = 0; k < equals.length; k += 1) {
    const eq = equals[k] as number;
    const key = rest.slice(keyStart, eq);
    if (!CEF_KEY.test(key)) fail(`bad extension key ${JSON.stringify(key)}`, rest, keyStart);
    const next = equals[k + 1];
    let valueEnd: number;
    if (next === undefined) valueEnd = rest.length;
    else {
      valueEnd = rest.lastIndexOf(' ', next);
      if (valueEnd <= eq) fail('two keys without a space between', rest, next);
    }
    extension.push([key, unescapeCefValue(rest.slice(eq + 1, valueEnd), rest)]);
    keyStart = valueEnd + 1;
  }
  return { header, extension };
}

function unescapeCefValue(value: string, context: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[i + 1];
    if (next === '\\' || next === '=') out += next;
    else if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else fail(`bad extension escape \\${next ?? ''}`, context, context.indexOf(value));
    i += 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// LEEF
// ---------------------------------------------------------------------------------------------------

export interface LeefEvent {
  version: '1.0' | '2.0';
  /** Vendor, product, version, event id. */
  header: string[];
  /** LEEF 2.0: the delimiter character. */
  delimiter: string;
  attributes: [string, string][];
}

export function parseLeef(line: string): LeefEvent {
  oneLine(line);
  const parts = line.split('|');
  const version = parts[0];
  if (version !== 'LEEF:1.0' && version !== 'LEEF:2.0') fail('no LEEF:1.0 or LEEF:2.0 prefix', line, 0);
  const headerCount = version === 'LEEF:1.0' ? 5 : 6;
  if (parts.length < headerCount + 1) fail('header ends early', line, line.length);
  const header = parts.slice(1, 5);
  let delimiter = '\t';
  if (version === 'LEEF:2.0') {
    const spec = parts[5] as string;
    const hex = /^(?:0x|x)([0-9A-Fa-f]{2,4})$/.exec(spec);
    if (hex) delimiter = String.fromCharCode(Number.parseInt(hex[1] as string, 16));
    else if (spec.length === 1) delimiter = spec;
    else fail(`bad delimiter ${JSON.stringify(spec)}`, line, 0);
  }
  // The attributes are everything after the header's last `|` (values may hold `|`).
  let at = 0;
  for (let n = 0; n < headerCount; n += 1) at = line.indexOf('|', at) + 1;
  const body = line.slice(at);
  const attributes: [string, string][] = [];
  if (body !== '') {
    for (const pair of body.split(delimiter)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) fail(`attribute without a key: ${JSON.stringify(pair)}`, line, at);
      attributes.push([pair.slice(0, eq), pair.slice(eq + 1)]);
    }
  }
  return { version: version === 'LEEF:1.0' ? '1.0' : '2.0', header, delimiter, attributes };
}

// ---------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------

/** Every record of an RFC 4180 text. An empty text has no record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  if (text === '') return records;
  let record: string[] = [];
  let i = 0;
  const length = text.length;
  for (;;) {
    // One field.
    let value = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= length) fail('unterminated quoted field', text, i);
        const ch = text[i] as string;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += ch;
        i += 1;
      }
    } else {
      const start = i;
      while (i < length) {
        const ch = text[i];
        if (ch === ',' || ch === '\r') break;
        if (ch === '"' || ch === '\n') fail('quote or bare LF in an unquoted field', text, i);
        i += 1;
      }
      value = text.slice(start, i);
    }
    record.push(value);
    if (i >= length) {
      records.push(record);
      return records;
    }
    const ch = text[i];
    if (ch === ',') {
      i += 1;
      continue;
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      if (i >= length) return records;
      continue;
    }
    fail('field not followed by a comma or CRLF', text, i);
  }
}

// ---------------------------------------------------------------------------------------------------
// KeyVal
// ---------------------------------------------------------------------------------------------------

function isKeyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

export function parseKeyval(line: string): [string, string][] {
  oneLine(line);
  const pairs: [string, string][] = [];
  if (line === '') return pairs;
  let i = 0;
  for (;;) {
    const keyStart = i;
    while (i < line.length && isKeyChar(line.charCodeAt(i))) i += 1;
    if (i === keyStart) fail('expected a key', line, i);
    const key = line.slice(keyStart, i);
    if (line[i] !== '=' || line[i + 1] !== '"') fail('expected ="', line, i);
    i += 2;
    let value = '';
    for (;;) {
      // Copy up to the next quote or backslash in one slice.
      let stop = i;
      while (stop < line.length) {
        const c = line.charCodeAt(stop);
        if (c === 0x22 || c === 0x5c) break;
        if (c === 0x09) fail('raw tab in a value', line, stop);
        stop += 1;
      }
      value += line.slice(i, stop);
      i = stop;
      if (i >= line.length) fail('unterminated value', line, i);
      const ch = line[i] as string;
      if (ch === '"') {
        i += 1;
        break;
      }
      const next = line[i + 1];
      if (next === '\\' || next === '"') value += next;
      else if (next === 'n') value += '\n';
      else if (next === 'r') value += '\r';
      else if (next === 't') value += '\t';
      else fail(`bad escape \\${next ?? ''}`, line, i);
      i += 2;
    }
    pairs.push([key, value]);
    if (i === line.length) return pairs;
    if (line[i] !== ' ' || i + 1 === line.length)
      fail('pairs must be one space apart, no trailing space', line, i);
    i += 1;
  }
}
