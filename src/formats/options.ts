/** Options of the formatters and their checks. */
import type { CompatMode } from '../core/config-types.js';
import { ValidationError } from '../core/errors.js';
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
   * letter, a digit, a space, `=`, `|` or `\`. Default `^`. Occurrences in values become a space.
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

/** The checked LEEF settings: `delimiter` is `undefined` for LEEF 1.0. */
export interface LeefSettings {
  readonly compat: boolean;
  /** LEEF 2.0: the delimiter's character code. */
  readonly delimiter: number | undefined;
}

export function leefSettings(options: LeefOptions | undefined): LeefSettings {
  const compat = isCompat(options);
  const version = options?.version as unknown;
  const delimiter = options?.delimiter as unknown;
  if (version !== undefined && version !== '1.0' && version !== '2.0') {
    throw new ValidationError(`LEEF \`version\` must be '1.0' or '2.0', got ${describe(version)}`);
  }
  if (version !== '2.0') {
    if (delimiter !== undefined && delimiter !== '\t') {
      throw new ValidationError(
        'LEEF 1.0 separates attributes with a tab; a `delimiter` needs `version: "2.0"`',
      );
    }
    if (compat && version !== undefined) {
      throw new ValidationError('`compat: "python-sdk"` prints the original LEEF; it takes no `version`');
    }
    return { compat, delimiter: undefined };
  }
  if (compat)
    throw new ValidationError('`compat: "python-sdk"` prints the original LEEF; it takes no `version`');
  const chosen = delimiter ?? '^';
  if (typeof chosen !== 'string' || chosen.length !== 1 || !isDelimiter(chosen.charCodeAt(0))) {
    throw new ValidationError(
      `LEEF 2.0 \`delimiter\` must be one character: a tab, or printable ASCII other than a letter, a digit, a space, =, | or \\; got ${describe(chosen)}`,
    );
  }
  return { compat, delimiter: chosen.charCodeAt(0) };
}

function isDelimiter(code: number): boolean {
  if (code === 0x09) return true;
  if (code <= 0x20 || code >= 0x7f) return false;
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a))
    return false;
  return code !== 0x3d && code !== 0x7c && code !== 0x5c;
}
