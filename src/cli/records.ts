/**
 * The records the CLI prints, as the SDK yields them, and their plain-object views for `json` and
 * `jsonl`. The types come from the client's public methods, so the CLI needs no import of the
 * resources' modules.
 */
import type { ThreatConnect } from '../index.js';

type Yielded<C> = C extends { stream(): AsyncGenerator<infer T> } ? T : never;

/** An indicator as `tc.indicators().stream()` yields it. */
export type IndicatorRecord = Yielded<ReturnType<ThreatConnect['indicators']>>;
/** A group as `tc.groups().stream()` (and each group type's container) yields it. */
export type GroupRecord = Yielded<ReturnType<ThreatConnect['groups']>>;
/** An owner as `tc.owners().stream()` yields it. */
export type OwnerRecord = Yielded<ReturnType<ThreatConnect['owners']>>;

/** What a listing command prints: decides the view and the formats that apply. */
export type RecordKind = 'indicator' | 'group' | 'owner';

const INDICATOR_FIELDS = [
  'id',
  'type',
  'summary',
  'ownerName',
  'dateAdded',
  'lastModified',
  'rating',
  'confidence',
  'threatAssessRating',
  'threatAssessConfidence',
  'description',
  'webLink',
] as const;

/**
 * `{ id, type, summary, ownerName, dateAdded, lastModified, rating, confidence, threatAssessRating,
 * threatAssessConfidence, description, webLink, ...values }`: absent fields are `null`, so every line
 * has the same keys; the type's value fields (`ip`, `hostName`, `md5`, `sha1`, `sha256`, `text`,
 * `address`, a custom type's `summary`) follow when present.
 */
export function indicatorView(
  indicator: Pick<IndicatorRecord, (typeof INDICATOR_FIELDS)[number] | 'values'>,
): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of INDICATOR_FIELDS) view[field] = indicator[field] ?? null;
  for (const [key, value] of Object.entries(indicator.values)) {
    if (value !== undefined && !(key in view)) view[key] = value;
  }
  return view;
}

const GROUP_FIELDS = ['id', 'type', 'name', 'ownerName', 'dateAdded', 'webLink'] as const;

/** `{ id, type, name, ownerName, dateAdded, webLink, ...fields }`, absent common fields `null`. */
export function groupView(
  group: Pick<GroupRecord, (typeof GROUP_FIELDS)[number] | 'fields'>,
): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of GROUP_FIELDS) view[field] = group[field] ?? null;
  for (const [key, value] of Object.entries(group.fields)) {
    if (value !== undefined && !(key in view)) view[key] = value;
  }
  return view;
}

/** `{ id, name, type }`. */
export function ownerView(owner: Pick<OwnerRecord, 'id' | 'name' | 'type'>): Record<string, unknown> {
  return { id: owner.id, name: owner.name ?? null, type: owner.type ?? null };
}

/** The plain-object view of a record of `kind`. */
export function viewOf(
  kind: RecordKind,
  record: IndicatorRecord | GroupRecord | OwnerRecord,
): Record<string, unknown> {
  switch (kind) {
    case 'indicator':
      return indicatorView(record as Pick<IndicatorRecord, (typeof INDICATOR_FIELDS)[number] | 'values'>);
    case 'group':
      return groupView(record as Pick<GroupRecord, (typeof GROUP_FIELDS)[number] | 'fields'>);
    default:
      return ownerView(record as Pick<OwnerRecord, 'id' | 'name' | 'type'>);
  }
}
