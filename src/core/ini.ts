/**
 * An INI reader with the semantics of Python 3's `configparser.RawConfigParser()` defaults, which the
 * original SDK used to read `tc.conf`:
 *
 * - `[section]` headers (section names are case-sensitive; a repeated section is an error);
 * - `key = value` or `key: value`, split at the first `=` or `:`; keys are lower-cased; the value is
 *   taken verbatim after trimming, so `#` and `;` inside a value are kept (a secret key may hold them);
 * - comments are whole lines whose first non-blank character is `#` or `;`;
 * - a line indented deeper than its key line continues the value (joined with `\n`); blank lines
 *   inside a value are kept, trailing ones dropped;
 * - keys of the `[DEFAULT]` section are visible in every section;
 * - no interpolation (`%` is literal).
 */
import { ConfigError } from './errors.js';

/** Parsed sections: `sections[name][key]`. Objects have no prototype, so any key is safe. */
export type IniSections = Record<string, Record<string, string>>;

const DEFAULT_SECTION = 'DEFAULT';

function fail(source: string, lineNo: number, what: string): never {
  throw new ConfigError(`${source}, line ${lineNo}: ${what}`);
}

/**
 * Parses INI text. Throws {@link ConfigError} naming the source and the line for a key line before
 * any section, a line that is neither a header nor `key = value`, an empty key, or a repeated
 * section or key.
 */
export function parseIni(text: string, source = 'config file'): IniSections {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  let currentKey: string | undefined;
  let indentLevel = 0;

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const stripped = line.trim();
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    if (stripped.length === 0 || isComment) {
      // A blank line inside a multi-line value is part of it; a comment line never is.
      if (!isComment && current !== undefined && currentKey !== undefined) {
        current.get(currentKey)?.push('');
      }
      return;
    }
    const indent = line.length - line.trimStart().length;
    if (current !== undefined && currentKey !== undefined && indent > indentLevel) {
      current.get(currentKey)?.push(stripped);
      return;
    }
    indentLevel = indent;
    // `s`: as Python's `.`, match U+2028 and U+2029 too (lines are split only at CR and LF).
    const header = /^\[(.+)\]/s.exec(stripped);
    if (header) {
      const name = header[1] ?? '';
      const existing = sections.get(name);
      // Python lets [DEFAULT] reopen; any other section may appear once.
      if (existing !== undefined && name !== DEFAULT_SECTION) {
        fail(source, lineNo, `section [${name}] appears twice`);
      }
      current = existing ?? new Map<string, string[]>();
      sections.set(name, current);
      currentKey = undefined;
      return;
    }
    if (current === undefined) fail(source, lineNo, 'a key line comes before any [section] header');
    const option = /^(.*?)\s*[=:]\s*(.*)$/s.exec(stripped);
    if (!option) fail(source, lineNo, 'expected "key = value", "key: value" or "[section]"');
    const key = (option[1] ?? '').trimEnd().toLowerCase();
    if (key.length === 0) fail(source, lineNo, 'the key is empty');
    if (current.has(key)) fail(source, lineNo, `key "${key}" appears twice in its section`);
    current.set(key, [(option[2] ?? '').trim()]);
    currentKey = key;
  });

  const join = (values: string[]): string => values.join('\n').trimEnd();
  const defaults = sections.get(DEFAULT_SECTION) ?? new Map<string, string[]>();
  const out: IniSections = Object.create(null) as IniSections;
  for (const [name, options] of sections) {
    if (name === DEFAULT_SECTION) continue;
    const section: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, values] of defaults) section[key] = join(values);
    for (const [key, values] of options) section[key] = join(values);
    out[name] = section;
  }
  if (defaults.size > 0) {
    const section: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, values] of defaults) section[key] = join(values);
    out[DEFAULT_SECTION] = section;
  }
  return out;
}
