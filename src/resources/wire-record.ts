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
  if (kind === undefined || indicator.type !== kind.type) return undefined;
  const id = indicator.id;
  // Object literals with every key written out, in the general path's order: V8 builds each with a
  // fixed shape, where a spread of shared fields would copy them key by key.
  const confidence = readNumber(wire.confidence) ?? null;
  const dateAdded = readString(wire.dateAdded) ?? null;
  const description = readString(wire.description) ?? null;
  const recordId = Number.isFinite(id) ? id : null;
  const lastModified = readString(wire.lastModified) ?? null;
  const ownerName = indicator.ownerName ?? null;
  const rating = readNumber(wire.rating) ?? null;
  const weblink = readString(wire.webLink) ?? null;
  switch (kind) {
    case ADDRESS:
      return {
        type: 'Address',
        confidence,
        dateAdded,
        description,
        id: recordId,
        lastModified,
        ownerName,
        rating,
        weblink,
        ip: readString(wire.ip) ?? readString(wire.summary) ?? null,
      };
    case EMAIL_ADDRESS:
      return {
        type: 'EmailAddress',
        confidence,
        dateAdded,
        description,
        id: recordId,
        lastModified,
        ownerName,
        rating,
        weblink,
        address: readString(wire.address) ?? readString(wire.summary) ?? null,
      };
    case HOST:
      return {
        type: 'Host',
        confidence,
        dateAdded,
        description,
        id: recordId,
        lastModified,
        ownerName,
        rating,
        weblink,
        hostName: readString(wire.hostName) ?? readString(wire.summary) ?? null,
        dnsActive: flag(readString(wire.dnsActive)),
        whoisActive: flag(readString(wire.whoisActive)),
      };
    case URL_KIND:
      return {
        type: 'URL',
        confidence,
        dateAdded,
        description,
        id: recordId,
        lastModified,
        ownerName,
        rating,
        weblink,
        text: readString(wire.text) ?? readString(wire.summary) ?? null,
        source: null,
      };
    case FILE: {
      const summary = readString(wire.summary);
      const split = summary === undefined ? undefined : splitFileSummary(summary);
      return {
        type: 'File',
        confidence,
        dateAdded,
        description,
        id: recordId,
        lastModified,
        ownerName,
        rating,
        weblink,
        md5: readString(wire.md5) ?? split?.md5 ?? null,
        sha1: readString(wire.sha1) ?? split?.sha1 ?? null,
        sha256: readString(wire.sha256) ?? split?.sha256 ?? null,
        size: readNumber(wire.size) ?? null,
      };
    }
    default:
      return undefined;
  }
}
