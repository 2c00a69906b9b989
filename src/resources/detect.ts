/**
 * Indicator type detection (sdk-behaviour.md 7; decisions.md 1.7 "Type detection").
 *
 * Each client owns one {@link IndicatorRegexes}: `tc.setIndicatorRegex(type, regex)` replaces that
 * type's patterns for that client only (the original mutated one table shared by the whole process).
 * A value is of a type when one of the type's patterns matches the **whole** value: the original's
 * defaults, ported to JavaScript, and user patterns as given (their flags kept), each checked through an
 * anchored copy, so `/a|ab/` does match `ab`. Values are not trimmed: a trailing newline fails.
 */
import { types } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { IndicatorType, indicatorTypeName, isIndicatorType } from '../core/enums.js';
import { describeValue } from '../core/validators.js';
import type { IndicatorDetector } from './context.js';

/** The indicator types that have patterns: every type but CUSTOM_INDICATORS. */
export type DetectableIndicatorType = (typeof IndicatorType)[
  | 'ADDRESSES'
  | 'EMAIL_ADDRESSES'
  | 'FILES'
  | 'HOSTS'
  | 'URLS'];

/**
 * The order in which {@link IndicatorRegexes.detect} tries the types: the original's (its Python 2
 * dict order). The default patterns never overlap under a full match, so the order matters only for
 * user patterns, where the first type that matches wins.
 */
export const DETECTION_ORDER: readonly DetectableIndicatorType[] = Object.freeze([
  IndicatorType.FILES,
  IndicatorType.URLS,
  IndicatorType.HOSTS,
  IndicatorType.ADDRESSES,
  IndicatorType.EMAIL_ADDRESSES,
]);

// ---- the default patterns (sdk-behaviour.md 7.1), ported from Python ------------------------------

/** One IPv4 octet without leading zeros. */
const OCTET = '(?:\\d|[1-9]\\d|1\\d\\d|2[0-4]\\d|25[0-5])';
const IPV4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;
const H = '[0-9a-f]{1,4}';
/** The last 32 bits of an IPv6 address: two groups or a dotted IPv4. */
const L = `(?:${H}:${H}|${IPV4})`;
/** The nine distinct forms of the original's 73 alternatives (RFC 3986 `IPv6address`). */
const IPV6_FORMS = [
  `(?:${H}:){6}${L}`,
  `::(?:${H}:){5}${L}`,
  `(?:${H})?::(?:${H}:){4}${L}`,
  `(?:(?:${H}:)?${H})?::(?:${H}:){3}${L}`,
  `(?:(?:${H}:){0,2}${H})?::(?:${H}:){2}${L}`,
  `(?:(?:${H}:){0,3}${H})?::${H}:${L}`,
  `(?:(?:${H}:){0,4}${H})?::${L}`,
  `(?:(?:${H}:){0,5}${H})?::${H}`,
  `(?:(?:${H}:){0,6}${H})?::`,
];

/** File extensions (and other words) a host's top-level label must not start with. */
const NOT_A_TLD =
  'exe|php|dll|doc|docx|txt|rtf|odt|xls|xlsx|ppt|pptx|bin|pcap|ioc|pdf|mdb|asp|html|xml|jpg|png|lnk|log|' +
  'vbs|lco|bat|shell|quit|pdb|vbp|bdoda|bsspx|save|cpl|wav|tmp|close|ico|ini|sleep|run|scr|jar|jxr|apt|' +
  'w32|css|js|xpi|class|apk|rar|zip|hlp|cpp|crl|cfg|cer|plg|lxdns|cgi|dat($|\\r\\n)|gif($|\\r\\n)|xn$';

function defaults(): Map<DetectableIndicatorType, readonly RegExp[]> {
  return new Map<DetectableIndicatorType, readonly RegExp[]>([
    [
      IndicatorType.ADDRESSES,
      // The original's `(?i)` on the IPv6 patterns becomes the `i` flag.
      [new RegExp(`^${IPV4}$`), ...IPV6_FORMS.map((form) => new RegExp(`^${form}$`, 'i'))],
    ],
    [
      IndicatorType.EMAIL_ADDRESSES,
      [
        /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])$/i,
      ],
    ],
    [IndicatorType.FILES, [/^([a-fA-F\d]{32})$/, /^([a-fA-F\d]{40})$/, /^([a-fA-F\d]{64})$/]],
    [
      IndicatorType.HOSTS,
      // The mid-pattern `(?i)` applied to the whole pattern in Python 2: the `i` flag.
      [
        new RegExp(
          `^\\b((?:(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\\.)+(?!${NOT_A_TLD})(?:xn--[a-zA-Z0-9]{2,22}|[a-zA-Z]{2,13}))$`,
          'i',
        ),
      ],
    ],
    [
      IndicatorType.URLS,
      // Case-sensitive, as the original: `HTTP://` is not a URL for it.
      [/^\b(https?|sftp|ftp|file):\/\/[-a-zA-Z0-9+&@#/%?=~_|!:,.;'"*$()]*[a-zA-Z0-9+&@#/%=~_|?]$/],
    ],
  ]);
}

/**
 * A copy of `regex` that matches only the whole input, whatever its flags: `(?<![\s\S])` and
 * `(?![\s\S])` are the start and end of the input even with the `m` flag (where `^` and `$` are line
 * boundaries), and `g`/`y` are dropped so no `lastIndex` state is carried between values.
 */
const { isRegExp } = types;

function wholeValue(regex: RegExp): RegExp {
  const flags = regex.flags.replace(/[gy]/g, '');
  return new RegExp(`(?<![\\s\\S])(?:${regex.source})(?![\\s\\S])`, flags);
}

interface TypePatterns {
  /** As given (returned by `patterns()`). */
  readonly given: readonly RegExp[];
  /** Anchored copies, used to test values. */
  readonly whole: readonly RegExp[];
}

function compile(given: readonly RegExp[]): TypePatterns {
  return { given: Object.freeze([...given]), whole: given.map(wholeValue) };
}

const TYPE_NAMES = DETECTION_ORDER.map((t) => indicatorTypeName(t)).join(', ');

/** The patterns of one client: detection, validation and the `setIndicatorRegex` overrides. */
export class IndicatorRegexes implements IndicatorDetector {
  readonly #patterns = new Map<DetectableIndicatorType, TypePatterns>();

  constructor() {
    for (const [type, regexes] of defaults()) this.#patterns.set(type, compile(regexes));
  }

  /**
   * Replaces the patterns of `type` (sdk-behaviour.md 7.4): one RegExp or a non-empty array of them.
   * They are used as given, flags included; a value matches when a pattern matches all of it.
   *
   * @throws {ConfigError} when `type` is not an IndicatorType with patterns, or `regex` is not a
   *   RegExp or a non-empty array of RegExps.
   */
  set(type: DetectableIndicatorType, regex: RegExp | readonly RegExp[]): void {
    const label = '`setIndicatorRegex`';
    const given: unknown = type;
    if (!isIndicatorType(given) || given === IndicatorType.CUSTOM_INDICATORS) {
      const shown = indicatorTypeName(given) ?? describeValue(given);
      throw new ConfigError(
        `${label} type must be one of ${TYPE_NAMES}, got ${shown} (custom indicator types are not detected by patterns)`,
      );
    }
    const list: readonly unknown[] = Array.isArray(regex) ? regex : [regex];
    if (list.length === 0) {
      throw new ConfigError(
        `${label} needs at least one RegExp for ${indicatorTypeName(type)}, got an empty array`,
      );
    }
    // An index loop, not forEach, which skips holes: `new Array(2)` would otherwise pass as two
    // patterns of none, and the type would never be detected again. `isRegExp` also takes a RegExp
    // made in another realm (a `vm` context), which `instanceof RegExp` refuses.
    for (let i = 0; i < list.length; i += 1) {
      const item = list[i];
      if (!isRegExp(item)) {
        const where = Array.isArray(regex) ? `regex[${i}]` : 'regex';
        throw new ConfigError(
          `${label} ${where} must be a RegExp (such as /^x$/i or new RegExp(text)), got ${describeValue(item)}`,
        );
      }
    }
    this.#patterns.set(type, compile(list as readonly RegExp[]));
  }

  /** The patterns of `type` as they were given (the defaults until `set`). */
  patterns(type: DetectableIndicatorType): readonly RegExp[] {
    return this.#patterns.get(type)?.given ?? [];
  }

  /** Whether one of the patterns of `type` matches the whole value. */
  matches(type: DetectableIndicatorType, value: string): boolean {
    const patterns = this.#patterns.get(type);
    return patterns !== undefined && patterns.whole.some((re) => re.test(value));
  }

  /** The first type, in {@link DETECTION_ORDER}, one of whose patterns matches the whole value. */
  detect(value: string): DetectableIndicatorType | undefined {
    if (typeof value !== 'string') return undefined;
    return DETECTION_ORDER.find((type) => this.matches(type, value));
  }

  /** Whether the value is of some type (the original accepted a match of a prefix: fixed). */
  validate(value: string): boolean {
    return this.detect(value) !== undefined;
  }
}
