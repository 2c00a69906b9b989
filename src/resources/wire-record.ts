/**
 * The format record of an indicator read from a listing whose fields have not been read yet, built
 * straight from its wire item. It is exactly the record `indicatorRecord` builds through the object's
 * fields (the same reads, the same key order; a property test compares the two), without making the
 * fields, a values object and an intermediate item first: an export of a million indicators formats
 * each one once and touches nothing else. Custom types take the general path.
 */
import type { IndicatorRecord } from '../formats/index.js';
import type { IndicatorData } from './indicator-data.js';
import { splitFileSummary } from './indicator-values.js';
import { ADDRESS, EMAIL_ADDRESS, FILE, HOST, URL_KIND } from './kinds.js';
import { readNumber, readString } from './values.js';

/** The API's flags as the formats read them: `"true"`/`"false"` in any case, else null. */
function flag(value: string | undefined): boolean | null {
  if (value === undefined) return null;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** The record of `indicator` from its unread `wire` item, or undefined for a type this does not cover. */
export function wireRecord(
  indicator: IndicatorData,
  wire: Readonly<Record<string, unknown>>,
): IndicatorRecord | undefined {
  const kind = indicator.kind;
  if (kind === undefined || !kind.builtIn || indicator.type !== kind.type) return undefined;
  const summary = (): string | null => readString(wire.summary) ?? null;
  // One literal in the general path's key order, then the type's own fields, each type always in the
  // same order: V8 gives each type one fixed shape (a spread of shared fields copies them key by key).
  const record: Record<string, unknown> = {
    type: kind.type,
    confidence: readNumber(wire.confidence) ?? null,
    dateAdded: readString(wire.dateAdded) ?? null,
    description: readString(wire.description) ?? null,
    id: Number.isFinite(indicator.id) ? indicator.id : null,
    lastModified: readString(wire.lastModified) ?? null,
    ownerName: indicator.ownerName ?? null,
    rating: readNumber(wire.rating) ?? null,
    weblink: readString(wire.webLink) ?? null,
  };
  switch (kind) {
    case ADDRESS:
      record.ip = readString(wire.ip) ?? summary();
      break;
    case EMAIL_ADDRESS:
      record.address = readString(wire.address) ?? summary();
      break;
    case HOST:
      record.hostName = readString(wire.hostName) ?? summary();
      record.dnsActive = flag(readString(wire.dnsActive));
      record.whoisActive = flag(readString(wire.whoisActive));
      break;
    case URL_KIND:
      record.text = readString(wire.text) ?? summary();
      record.source = null;
      break;
    case FILE: {
      const text = readString(wire.summary);
      const split = text === undefined ? undefined : splitFileSummary(text);
      record.md5 = readString(wire.md5) ?? split?.md5 ?? null;
      record.sha1 = readString(wire.sha1) ?? split?.sha1 ?? null;
      record.sha256 = readString(wire.sha256) ?? split?.sha256 ?? null;
      record.size = readNumber(wire.size) ?? null;
      break;
    }
    default:
      return undefined;
  }
  return record as unknown as IndicatorRecord;
}
