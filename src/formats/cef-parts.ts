/**
 * Pieces of CEF lines that repeat from record to record, made once instead of per line: the header's
 * tail of each modelled type and severity, the extension's confidence, rating and host-flag fields for
 * their usual values, and the owner field of the owners seen last. Each one is byte for byte what
 * `cefLine` would otherwise build; a value outside them takes the general path.
 */
import { isoEpochSeconds, isoToEpochMs } from './dates.js';
import { cefValue, epochText, pyFloat } from './text.js';

/** The types whose names need no escaping, in a fixed order (their index in the tables below). */
const KNOWN_TYPES = ['Address', 'Host', 'URL', 'EmailAddress', 'File'] as const;

/** `<type> indicator`: the header's Name of a record without a description. */
export const KNOWN_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  KNOWN_TYPES.map((type) => [type, `${type} indicator`]),
);

/** `|<severity>|cat=<type>` for each known type and severity 0-10. */
const TAILS: ReadonlyMap<string, readonly string[]> = new Map(
  KNOWN_TYPES.map((type) => [type, Array.from({ length: 11 }, (_, sev) => `|${sev}|cat=${type}`)]),
);

/** The header's `|<severity>|cat=<type>` of a known type. */
export function knownTail(type: string, severity: number): string {
  return (TAILS.get(type) as readonly string[])[severity] as string;
}

/** ` cn1Label=confidence cn1=<n>` for the integers 0-100. */
const CONFIDENCE = Array.from({ length: 101 }, (_, n) => ` cn1Label=confidence cn1=${n}`);

/** The confidence field of a number 0-100 with no fraction, else undefined. */
export function confidenceField(value: unknown): string | undefined {
  return typeof value === 'number' && value >= 0 && value <= 100 && (value | 0) === value
    ? CONFIDENCE[value]
    : undefined;
}

/** ` cfp1Label=rating cfp1=<r>` for the halves 0.0-5.0 (`pyFloat`'s text). */
const RATING = Array.from({ length: 11 }, (_, n) => ` cfp1Label=rating cfp1=${pyFloat(n / 2)}`);

/** The rating field of a half from 0 to 5 (not -0), else undefined. */
export function ratingField(value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  const doubled = value * 2;
  return doubled >= 0 && doubled <= 10 && (doubled | 0) === doubled && !Object.is(value, -0)
    ? RATING[doubled]
    : undefined;
}

const FLAGS_KEY = ' cs3Label=dnsActive,whoisActive cs3=';

/** The host flags field for the usual values (`'true'`/`'false'` or booleans, both present), else undefined. */
export function flagsField(dns: unknown, whois: unknown): string | undefined {
  const a = dns === 'true' || dns === true ? 'true' : dns === 'false' || dns === false ? 'false' : null;
  const b =
    whois === 'true' || whois === true ? 'true' : whois === 'false' || whois === false ? 'false' : null;
  if (a === null || b === null) return undefined;
  return FLAGS[a === 'true' ? (b === 'true' ? 0 : 1) : b === 'true' ? 2 : 3];
}

const FLAGS = [
  `${FLAGS_KEY}true,true`,
  `${FLAGS_KEY}true,false`,
  `${FLAGS_KEY}false,true`,
  `${FLAGS_KEY}false,false`,
];

/** Owner fields kept: a listing has a handful of owners, so the bound is only a guard. */
const MAX_OWNERS = 64;
const owners = new Map<string, string>();

/** ` cs1Label=ownerName cs1=<escaped owner>`, kept for the owners seen last. */
export function ownerField(ownerName: string): string {
  let field = owners.get(ownerName);
  if (field === undefined) {
    field = ` cs1Label=ownerName cs1=${cefValue(ownerName)}`;
    if (owners.size >= MAX_OWNERS) owners.clear();
    owners.set(ownerName, field);
  }
  return field;
}

/**
 * The epoch milliseconds of an ISO date-time as CEF text, or `null` when it is no date. A date in the
 * API's own layout is its whole seconds' text and `000` ({@link isoEpochSeconds}: integers only);
 * anything else takes the general parser.
 */
export function isoEpochText(text: string): string | null {
  const seconds = isoEpochSeconds(text);
  if (seconds > 0) return `${seconds}000`; // (0 prints as `0`, not `0000`)
  const ms = isoToEpochMs(text);
  return ms === null ? null : epochText(ms);
}
