/**
 * Input records of `tc.batch()` turned into batch V2 file entries, with the checks the SDK can make
 * before sending (a record that fails one is reported with its index and never sent).
 */
import { isIP } from 'node:net';
import { describeType, describeValue } from '../core/validators.js';
import { Group } from '../resources/group.js';
import { Indicator } from '../resources/indicator.js';
import { GROUP_KIND_BY_TYPE, type IndicatorKind } from '../resources/kinds.js';

/** A record ready for a job file. */
export interface WireRecord {
  kind: 'indicator' | 'group';
  /** The JSON text of the file entry. */
  json: string;
  /** What the server's error entries name it by: `type|summary` or the group's xid. */
  key: string;
}

export type Prepared = { ok: true; wire: WireRecord } | { ok: false; reason: string };

const HASH_LENGTHS = new Set([32, 40, 64]);
/** Whether a value holds a C0 control character other than tab. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 && code !== 0x09) return true;
  }
  return false;
}

export function indicatorKey(type: string, summary: string): string {
  return `i|${type}|${summary}`;
}

export function groupKey(xid: string): string {
  return `g|${xid}`;
}

/** Why a value is not one of its (built-in) type, or undefined when it looks valid. */
function valueProblem(type: string, value: string): string | undefined {
  if (value === '') return `the ${type} value is empty`;
  if (hasControl(value)) return `the ${type} value ${JSON.stringify(value)} holds a control character`;
  switch (type) {
    case 'Address':
      return isIP(value) === 0 ? `${JSON.stringify(value)} is not an IPv4 or IPv6 address` : undefined;
    case 'File': {
      const parts = value.split(':').map((p) => p.trim());
      const bad = parts.find((p) => !HASH_LENGTHS.has(p.length) || !/^[0-9a-fA-F]+$/.test(p));
      return bad === undefined
        ? undefined
        : `${JSON.stringify(bad)} is not an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hex digits)`;
    }
    case 'EmailAddress':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
        ? undefined
        : `${JSON.stringify(value)} is not an e-mail address`;
    case 'Host':
      return /^[^\s/:@]+$/.test(value) ? undefined : `${JSON.stringify(value)} is not a host name`;
    case 'URL':
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/.test(value)
        ? undefined
        : `${JSON.stringify(value)} is not a URL`;
    default:
      return undefined;
  }
}

/**
 * A rating or confidence as the server reads it: a JSON number, or a plain decimal string (`'2.0'`),
 * which the server takes as that number (decisions.md 2.4); null or absent is none. Anything else is NaN.
 */
function numeric(value: unknown, pattern: RegExp): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  return typeof value === 'string' && pattern.test(value) ? Number(value) : Number.NaN;
}

function numberProblem(record: Record<string, unknown>): string | undefined {
  const rating = numeric(record.rating, /^\s*\d+(\.\d+)?\s*$/);
  if (rating !== undefined && (!Number.isFinite(rating) || rating < 0 || rating > 5))
    return `rating must be a number from 0 to 5, got ${describeValue(record.rating)}`;
  const confidence = numeric(record.confidence, /^\d+$/);
  if (confidence !== undefined && (!Number.isInteger(confidence) || confidence < 0 || confidence > 100))
    return `confidence must be an integer from 0 to 100, got ${describeValue(record.confidence)}`;
  return undefined;
}

function fromIndicator(indicator: Indicator): Record<string, unknown> | string {
  const queued = indicator.pendingChanges.filter((c) => c !== 'create' && !c.startsWith('update ('));
  if (queued.length > 0)
    return `${indicator.label} has queued requests a batch cannot carry (${queued.join(', ')}); give tag, attribute and securityLabel arrays in a plain record instead`;
  const out: Record<string, unknown> = { type: indicator.type, summary: indicator.summary };
  if (indicator.rating !== undefined) out.rating = indicator.rating;
  if (indicator.confidence !== undefined) out.confidence = indicator.confidence;
  if (indicator.description !== undefined) out.description = indicator.description;
  if (indicator.dnsActive !== undefined) out.dnsActive = indicator.dnsActive;
  if (indicator.whoisActive !== undefined) out.whoisActive = indicator.whoisActive;
  if (indicator.size !== undefined) out.size = indicator.size;
  if (indicator.tags !== undefined) out.tag = indicator.tags.map((name) => ({ name }));
  if (indicator.securityLabels !== undefined)
    out.securityLabel = indicator.securityLabels.map((name) => ({ name }));
  if (indicator.attributes !== undefined)
    out.attribute = indicator.attributes.map((a) => ({
      type: a.type,
      value: a.value,
      displayed: a.displayed,
    }));
  return out;
}

/** An SDK group; its xid is `type:name` unless its fields carry one. */
function fromGroup(group: Group): Record<string, unknown> | string {
  const queued = group.pendingChanges.filter((c) => c !== 'create' && !c.startsWith('update ('));
  if (queued.length > 0)
    return `${group.label} has queued requests a batch cannot carry (${queued.join(', ')}); give tag, attribute and securityLabel arrays in a plain record instead`;
  const out: Record<string, unknown> = { ...group.fields, type: group.type, name: group.name };
  if (typeof out.xid !== 'string') out.xid = `${group.type}:${group.name ?? ''}`;
  if (group.tags !== undefined) out.tag = group.tags.map((name) => ({ name }));
  if (group.securityLabels !== undefined) out.securityLabel = group.securityLabels.map((name) => ({ name }));
  if (group.attributes !== undefined)
    out.attribute = group.attributes.map((a) => ({ type: a.type, value: a.value, displayed: a.displayed }));
  return out;
}

/** The record's file entry, or why it has none (a BigInt, a cycle, a throwing `toJSON`). */
function toJson(
  record: Record<string, unknown>,
): { text: string; problem?: undefined } | { problem: string } {
  try {
    const text = JSON.stringify(record) as string | undefined;
    if (text?.startsWith('{') !== true) return { problem: 'the record does not write as a JSON object' };
    return { text };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { problem: `the record cannot be written as JSON: ${message.split('\n')[0] ?? ''}` };
  }
}

/**
 * Checks one record and gives its file entry. `kinds` are the API's indicator types (custom ones
 * included); `valueFields` of a type let a plain record give `ip`, `hostName`… instead of `summary`.
 */
export function prepareRecord(raw: unknown, kinds: ReadonlyMap<string, IndicatorKind>): Prepared {
  let record: Record<string, unknown>;
  if (raw instanceof Indicator || raw instanceof Group) {
    const converted = raw instanceof Indicator ? fromIndicator(raw) : fromGroup(raw);
    if (typeof converted === 'string') return { ok: false, reason: converted };
    record = converted;
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    record = { ...(raw as Record<string, unknown>) };
  } else {
    return {
      ok: false,
      reason: `a batch record must be an object, an Indicator or a Group, got ${describeType(raw)}`,
    };
  }
  const type = record.type;
  if (typeof type !== 'string' || type === '') return { ok: false, reason: 'the record has no type' };
  const groupKind = GROUP_KIND_BY_TYPE.get(type);
  if (groupKind !== undefined) {
    const { name, xid } = record;
    if (typeof name !== 'string' || name.trim() === '')
      return { ok: false, reason: `the ${type} has no name` };
    if (typeof xid !== 'string' || xid.trim() === '')
      return { ok: false, reason: `the ${type} ${JSON.stringify(name)} has no xid` };
    const json = toJson(record);
    if (json.problem !== undefined) return { ok: false, reason: json.problem };
    return { ok: true, wire: { kind: 'group', json: json.text, key: groupKey(xid) } };
  }
  const kind = kinds.get(type);
  if (kind === undefined)
    return { ok: false, reason: `unknown indicator or group type ${JSON.stringify(type)}` };
  if (typeof record.summary !== 'string') {
    const parts = kind.valueFields
      .map((f) => record[f])
      .filter((v): v is string => typeof v === 'string' && v !== '');
    if (parts.length === 0)
      return { ok: false, reason: `the ${type} has no summary (or ${kind.valueFields.join(', ')})` };
    record = Object.fromEntries(Object.entries(record).filter(([key]) => !kind.valueFields.includes(key)));
    record.summary = parts.join(' : ');
  }
  const summary = record.summary as string;
  const problem = valueProblem(type, summary) ?? numberProblem(record);
  if (problem !== undefined) return { ok: false, reason: problem };
  const json = toJson(record);
  if (json.problem !== undefined) return { ok: false, reason: json.problem };
  return { ok: true, wire: { kind: 'indicator', json: json.text, key: indicatorKey(type, summary) } };
}
