/** Options of the formatters and their checks. */
import type { CompatMode } from '../core/config-types.js';
import { ValidationError } from '../core/errors.js';
import { checkKnownKeys } from '../core/validators.js';
import { stringify } from './values.js';

/** Options every formatter takes. */
export interface FormatOptions {
  /**
   * `'python-sdk'` prints the bytes the original Python SDK printed (decisions.md 3.2). That CEF and
   * LEEF are not valid by their specifications; the default output is.
   */
  readonly compat?: CompatMode | undefined;
}

/** LEEF options: version 1.0 (tab-separated, the default) or 2.0 with a delimiter of your choice. */
export interface LeefOptions extends FormatOptions {
  readonly version?: '1.0' | '2.0' | undefined;
  /**
   * LEEF 2.0 only: the attribute delimiter, one character: a tab, or printable ASCII other than a
   * letter, a digit, a space, `=`, `|`, `\`, `:`, `.`, `-`, `+` (the line's own text holds them), `/`,
   * `?`, `&` or `%` (a weblink does). Default `^`. Occurrences in values become a space.
   */
  readonly delimiter?: string | undefined;
}

/** A value for an error message: its JSON text, or its type (`undefined`, a function, a symbol). */
export function describe(value: unknown): string {
  return stringify(value) ?? typeof value;
}

/** True for `compat: 'python-sdk'`; `ValidationError` for any other value but `undefined`. */
export function isCompat(options: FormatOptions | undefined): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ValidationError('Format options must be an object');
  }
  const compat = options.compat as unknown;
  if (compat === undefined) return false;
  if (compat === 'python-sdk') return true;
  throw new ValidationError(`\`compat\` must be 'python-sdk' or undefined, got ${describe(compat)}`);
}

/** The keys of the format functions' options (`LeefOptions`). */
export const FORMAT_OPTION_KEYS: readonly string[] = ['compat', 'version', 'delimiter'];

/**
 * Refuses an option key not in `known`: a misspelt `compat` would otherwise print the default format
 * without a word. Options that are not an object are left to {@link isCompat}.
 */
export function checkOptionKeys(options: unknown, known: readonly string[]): void {
  if (typeof options === 'object' && options !== null) checkKnownKeys(options, known, 'Format options');
}

/** The formats by name. */
export type FormatName = 'cef' | 'leef' | 'csv' | 'keyval' | 'json';

/** The checked settings of a format's options: `delimiter` is `undefined` but for LEEF 2.0. */
export interface LeefSettings {
  readonly compat: boolean;
  /** LEEF 2.0: the delimiter's character code. */
  readonly delimiter: number | undefined;
}

const PLAIN: LeefSettings = { compat: false, delimiter: undefined };
const COMPAT: LeefSettings = { compat: true, delimiter: undefined };

/**
 * The one check of a formatter's options, used by every format function, `csvHeader` and
 * `createFormatter` (so the streams too): the same options give the same `ValidationError` everywhere.
 * `version` and `delimiter` are LEEF options, refused by the other formats even when they would
 * change nothing.
 */
export function formatSettings(format: FormatName, options: LeefOptions | undefined): LeefSettings {
  checkOptionKeys(options, FORMAT_OPTION_KEYS);
  if (format === 'leef') return leefSettings(options);
  if (options === undefined) return PLAIN;
  const compat = isCompat(options);
  if (options.version !== undefined || options.delimiter !== undefined) {
    throw new ValidationError('`version` and `delimiter` are LEEF options');
  }
  return compat ? COMPAT : PLAIN;
}

const COMPAT_LEEF = '`compat: "python-sdk"` prints the original LEEF; it takes no `version` or `delimiter`';

/** The checked LEEF options (through {@link formatSettings}). */
function leefSettings(options: LeefOptions | undefined): LeefSettings {
  if (options === undefined) return PLAIN;
  const compat = isCompat(options);
  const version = options.version as unknown;
  const delimiter = options.delimiter as unknown;
  if (version !== undefined && version !== '1.0' && version !== '2.0') {
    throw new ValidationError(`LEEF \`version\` must be '1.0' or '2.0', got ${describe(version)}`);
  }
  // The original knew one LEEF: any version or delimiter, even LEEF 1.0's own, would be ignored.
  if (compat && (version !== undefined || delimiter !== undefined)) throw new ValidationError(COMPAT_LEEF);
  if (version !== '2.0') {
    if (delimiter !== undefined && delimiter !== '\t') {
      throw new ValidationError(
        'LEEF 1.0 separates attributes with a tab; a `delimiter` needs `version: "2.0"`',
      );
    }
    return compat ? COMPAT : PLAIN;
  }
  const chosen = delimiter ?? '^';
  if (typeof chosen !== 'string' || chosen.length !== 1 || !isDelimiter(chosen.charCodeAt(0))) {
    throw new ValidationError(
      `LEEF 2.0 \`delimiter\` must be one character: a tab, or printable ASCII other than a letter, a digit, a space, =, |, \\, :, ., -, +, /, ?, & or %; got ${describe(chosen)}`,
    );
  }
  const refused = refusal(chosen);
  if (refused !== undefined) {
    throw new ValidationError(`LEEF 2.0 \`delimiter\` ${describe(chosen)} is refused: ${refused}`);
  }
  return { compat, delimiter: chosen.charCodeAt(0) };
}

const UNSPLITTABLE = 'so the attributes could not be told apart';
const URL_TEXT = "every record's weblink (a URL) holds it, and each one would become a space";

/**
 * Why a printable ASCII character cannot be the delimiter: the line's own text holds it (keys, `=`,
 * dates, numbers: text that is not a value and is never cleaned, so the line could not be split), or
 * the weblink's URL holds it on every record (the line could be split, but no weblink would survive).
 */
const REFUSED: ReadonlyMap<string, string> = new Map([
  [' ', `devTime and devTimeFormat hold spaces, ${UNSPLITTABLE}`],
  ['=', 'it separates every key from its value'],
  ['|', 'it ends the fields of the LEEF header'],
  ['\\', 'it is the escape character of the LEEF header'],
  [':', `devTime and devTimeFormat hold it (HH:mm:ss), ${UNSPLITTABLE}`],
  ['.', `numbers hold it (rating=1.0), ${UNSPLITTABLE}`],
  ['-', `numbers hold it (rating=-1.0, 1e-05), ${UNSPLITTABLE}`],
  ['+', `numbers hold it (1e+21), ${UNSPLITTABLE}`],
  ['/', URL_TEXT],
  ['?', URL_TEXT],
  ['&', URL_TEXT],
  ['%', 'a weblink (a URL) holds it for every escaped character, and each one would become a space'],
]);

function refusal(char: string): string | undefined {
  const code = char.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return `numbers and devTime hold digits, ${UNSPLITTABLE}`;
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) {
    return `keys, devTime and devTimeFormat hold letters, ${UNSPLITTABLE}`;
  }
  return REFUSED.get(char);
}

/** A tab or printable ASCII (the space included: {@link refusal} says why it is refused). */
function isDelimiter(code: number): boolean {
  return code === 0x09 || (code >= 0x20 && code < 0x7f);
}
