/**
 * The value rules of the sandbox's indicator types, as regular expressions: JavaScript syntax, no flags,
 * anchored with `^…$`. A value of a type is accepted when it matches one of its type's patterns (a
 * File's hashes each match one of the File patterns), and `GET /v2/types/indicatorTypes[/{t}]
 * ?includeAdditional=true` lists exactly these as `regexes[]` (rest-api-v2.md 6.1: "adds `regexes[]`
 * and `keys`"), so what it shows is what the sandbox enforces. Custom types given as options have none.
 */

const V4_SEGMENT = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = `(?:${V4_SEGMENT}\\.){3}${V4_SEGMENT}`;
const V6_SEGMENT = '(?:[0-9a-fA-F]{1,4})';
/** Written as Node's own `net.isIPv6` check, which the sandbox used before (a zone suffix included). */
const V6 = [
  `(?:${V6_SEGMENT}:){7}(?:${V6_SEGMENT}|:)`,
  `(?:${V6_SEGMENT}:){6}(?:${V4}|:${V6_SEGMENT}|:)`,
  `(?:${V6_SEGMENT}:){5}(?::${V4}|(?::${V6_SEGMENT}){1,2}|:)`,
  `(?:${V6_SEGMENT}:){4}(?:(?::${V6_SEGMENT}){0,1}:${V4}|(?::${V6_SEGMENT}){1,3}|:)`,
  `(?:${V6_SEGMENT}:){3}(?:(?::${V6_SEGMENT}){0,2}:${V4}|(?::${V6_SEGMENT}){1,4}|:)`,
  `(?:${V6_SEGMENT}:){2}(?:(?::${V6_SEGMENT}){0,3}:${V4}|(?::${V6_SEGMENT}){1,5}|:)`,
  `(?:${V6_SEGMENT}:){1}(?:(?::${V6_SEGMENT}){0,4}:${V4}|(?::${V6_SEGMENT}){1,6}|:)`,
  `(?::(?:(?::${V6_SEGMENT}){0,5}:${V4}|(?::${V6_SEGMENT}){1,7}|:))`,
].join('|');

/** Each File hash field's pattern; hashes are stored upper-case, but either case is taken. */
export const FILE_HASH_PATTERNS = {
  md5: '^[0-9a-fA-F]{32}$',
  sha1: '^[0-9a-fA-F]{40}$',
  sha256: '^[0-9a-fA-F]{64}$',
} as const;

const PATTERNS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Address', [`^${V4}$`, `^(?:${V6})(?:%[0-9a-zA-Z-.:]{1,})?$`]],
  ['EmailAddress', ['^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$']],
  ['File', [FILE_HASH_PATTERNS.md5, FILE_HASH_PATTERNS.sha1, FILE_HASH_PATTERNS.sha256]],
  [
    'Host',
    [
      '^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$',
    ],
  ],
  // A scheme, `://`, an optional `user@`, then a domain without upper-case letters (rest-api-v2.md 6.1:
  // "URLs with a lower-case domain") up to the first `/`, `?`, `#` or `:`; no white space anywhere.
  ['URL', ['^(?!.*\\s)[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^/?#:@]+@)?[^/?#:A-Z]+(?:[/?#:].*)?$']],
  ['ASN', ['^ASN\\d{1,10}$']],
]);

const COMPILED = new Map([...PATTERNS].map(([type, list]) => [type, list.map((p) => new RegExp(p))]));

/** The patterns of a type (by its `type` name); empty for a type the sandbox does not check. */
export function valuePatterns(typeName: string): readonly string[] {
  return PATTERNS.get(typeName) ?? [];
}

const HASHES = {
  md5: new RegExp(FILE_HASH_PATTERNS.md5),
  sha1: new RegExp(FILE_HASH_PATTERNS.sha1),
  sha256: new RegExp(FILE_HASH_PATTERNS.sha256),
};

/** Whether a value is a valid hash for that File field. */
export function isFileHash(field: keyof typeof FILE_HASH_PATTERNS, value: string): boolean {
  return HASHES[field].test(value);
}

/** Whether a value is one of the type's: it matches one of its patterns, or the type has none. */
export function matchesValuePatterns(typeName: string, value: string): boolean {
  const patterns = COMPILED.get(typeName);
  return patterns === undefined || patterns.some((p) => p.test(value));
}
