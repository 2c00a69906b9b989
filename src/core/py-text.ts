/**
 * Helpers that reproduce the original SDK's printed layout byte for byte (python-sdk-observed.md 4):
 * the `'{0!s:_^80}'` title bar, 40-wide headings, `'  {0!s:<29}{1!s:<50}'` rows, `str()` of
 * Python values, `repr()` of strings and dicts, and `str(timedelta)`.
 */

/** The length in code points, as Python's `len()` counts a str. */
export function codePointLength(text: string): number {
  // A surrogate pair is one code point.
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;
}

/** Python-style `ljust`: pads with spaces to `width` code points; never truncates. */
export function ljust(text: string, width: number): string {
  const length = codePointLength(text);
  return length >= width ? text : text + ' '.repeat(width - length);
}

/** `'{0!s:_^80}'.format(title)`: the title centred in `_`, the odd extra on the right. */
export function titleBar(title: string, width = 80, fill = '_'): string {
  const length = codePointLength(title);
  if (length >= width) return title;
  const left = Math.floor((width - length) / 2);
  return fill.repeat(left) + title + fill.repeat(width - length - left);
}

/** `'{0!s:40}'.format(title)`: a section heading. */
export function heading(title: string): string {
  return ljust(title, 40);
}

/** `'  {0!s:<29}{1!s:<50}'`: the common label/value row. */
export function row(label: string, value: string): string {
  return `  ${ljust(label, 29)}${ljust(value, 50)}`;
}

/** `'{0!s:<30}: {1!s:<50}'`: a Report Entry "Properties" row. */
export function propertyRow(label: string, value: string): string {
  return `${ljust(label, 30)}: ${ljust(value, 50)}`;
}

/** `'  {0!s:<28}: {1!s:<50}'`: a Post Filter Object row. */
export function colonRow(label: string, value: string): string {
  return `  ${ljust(label, 28)}: ${ljust(value, 50)}`;
}

/** Python `str()` of a simple value: `None`, `True`/`False`, numbers and strings as they are. */
export function pyStr(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `<function ${value.name}>`;
  return JSON.stringify(value);
}

// Python's str.isprintable() is false for these categories (ASCII space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python `repr()` of a str: single quotes unless the text has `'` and no `"`; escapes as Python does. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python `str()` of a dict of strings: `{'createActivityLog': 'false', 'owner': 'Example Org'}`. */
export function pyDict(entries: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [key, value] of entries) parts.push(`${pyRepr(key)}: ${pyRepr(value)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * Python `str(timedelta)` of a duration in ms: `H:MM:SS` or `H:MM:SS.ffffff` (microseconds shown
 * when not 0), with `N day(s), ` in front past 24 h and for negative durations (`-1 day, 23:59:59`).
 */
export function formatTimedelta(ms: number): string {
  const totalUs = Math.round(ms * 1000);
  const dayUs = 86_400_000_000;
  const days = Math.floor(totalUs / dayUs);
  const rest = totalUs - days * dayUs;
  const seconds = Math.floor(rest / 1_000_000);
  const micro = rest - seconds * 1_000_000;
  const hh = Math.floor(seconds / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = seconds % 60;
  let out = `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
  if (days !== 0) out = `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${out}`;
  if (micro !== 0) out += `.${String(micro).padStart(6, '0')}`;
  return out;
}
