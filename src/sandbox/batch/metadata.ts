/**
 * The metadata of a batch record: `tag[]`, `securityLabel[]` and `attribute[]`, written with the job's
 * write types (rest-api-v2.md 11.2; the semantics are in docs/sandbox.md, "Batch jobs").
 */
import { insertAttribute, refreshDisplayed } from '../handlers/item-metadata.js';
import { checkText, parseBoolean, tagName } from '../handlers/shared.js';
import type { LabelRow, Store } from '../store.js';
import type { BatchConfig } from './config.js';
import { RecordError } from './errors.js';

export interface MetadataScope {
  store: Store;
  ownerId: number;
  config: BatchConfig;
  now: string;
}

type Target = { kind: 'indicator' | 'group'; id: number };

function array(value: unknown, field: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new RecordError('0x1006', `The ${field} of this record must be an array`);
  return value as unknown[];
}

/** `{name}` or a bare name. */
function nameOf(value: unknown, field: string): string {
  const name = typeof value === 'string' ? value : (value as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.trim() === '')
    throw new RecordError('0x1006', `Each ${field} of this record needs a name`);
  return name;
}

function writeTags(scope: MetadataScope, item: Target, raw: unknown[]): void {
  const { store } = scope;
  const names = raw.map((t) => tagName(nameOf(t, 'tag')));
  const wanted = new Set<number>();
  for (const name of names) {
    const tag = store.ensureTag(scope.ownerId, name);
    wanted.add(tag.id);
    store.link(item.kind, item.id, 'tag', tag.id);
  }
  if (scope.config.tagWriteType === 'Replace') {
    for (const tag of store.tagsOf(item.kind, item.id))
      if (!wanted.has(tag.id)) store.unlink(item.kind, item.id, 'tag', tag.id);
  }
}

/** An owner's label by name; a batch file may create one (with its description and color). */
function ensureLabel(scope: MetadataScope, raw: unknown): LabelRow {
  const name = checkText(nameOf(raw, 'securityLabel'), 'name', 'Security Label');
  const existing = scope.store.labelByName(scope.ownerId, name);
  if (existing) return existing;
  const given = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const text = (field: string): string | null => {
    const value = given[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string')
      throw new RecordError('0x1006', `The ${field} of security label ${name} must be text`);
    return value;
  };
  const info = scope.store.run(
    'INSERT INTO security_labels (owner_id, name, description, date_added, color) VALUES (?, ?, ?, ?, ?)',
    scope.ownerId,
    name,
    text('description'),
    scope.now,
    text('color'),
  );
  return scope.store.labelByName(scope.ownerId, name) ?? ({ id: Number(info.lastInsertRowid) } as LabelRow);
}

function writeLabels(scope: MetadataScope, item: Target, raw: unknown[]): void {
  const { store } = scope;
  const wanted = new Set<number>();
  for (const entry of raw) {
    const label = ensureLabel(scope, entry);
    wanted.add(label.id);
    store.link(item.kind, item.id, 'label', label.id);
  }
  if (scope.config.securityLabelWriteType === 'Replace') {
    for (const label of store.labelsOf(item.kind, item.id))
      if (!wanted.has(label.id)) store.unlink(item.kind, item.id, 'label', label.id);
  }
}

interface IncomingAttribute {
  type: string;
  value: string;
  displayed: boolean;
  source: string | null;
  labels: unknown[];
}

function parseAttribute(raw: unknown): IncomingAttribute {
  if (typeof raw !== 'object' || raw === null)
    throw new RecordError('0x1006', 'Each attribute of this record must be an object');
  const a = raw as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type.trim() === '')
    throw new RecordError('0x1006', 'The requested attribute type was not found');
  if (typeof a.value !== 'string' || a.value === '')
    throw new RecordError('0x1006', `The attribute ${a.type} requires a value`);
  if (a.source !== undefined && a.source !== null && typeof a.source !== 'string')
    throw new RecordError('0x1006', `The source of attribute ${a.type} is invalid`);
  parseBoolean(a.pinned, 'pinned', 'Attribute');
  return {
    type: a.type,
    value: a.value,
    displayed: parseBoolean(a.displayed, 'displayed', 'Attribute') ?? false,
    source: typeof a.source === 'string' ? a.source : null,
    labels: array(a.securityLabel, 'securityLabel of an attribute') ?? [],
  };
}

function deleteAttributes(store: Store, item: Target, type?: string): void {
  const ids = store
    .attributesOf(item.kind, item.id)
    .filter((a) => type === undefined || a.type === type)
    .map((a) => a.id);
  for (const id of ids) {
    store.run('DELETE FROM attributes WHERE id = ?', id);
    store.run("DELETE FROM links WHERE a_kind = 'attribute' AND a_id = ?", id);
    store.run("DELETE FROM links WHERE b_kind = 'attribute' AND b_id = ?", id);
  }
}

/**
 * Append adds each attribute not already there (same type and value); Replace swaps all the item's
 * attributes for the incoming ones; Singleton keeps one attribute per type, the incoming one; Static
 * adds an attribute only for a type the item has none of.
 */
function writeAttributes(scope: MetadataScope, item: Target, raw: unknown[]): void {
  const { store } = scope;
  const incoming = raw.map(parseAttribute);
  const mode = scope.config.attributeWriteType;
  if (mode === 'Replace') deleteAttributes(store, item);
  const existing = store.attributesOf(item.kind, item.id);
  let chosen = incoming;
  if (mode === 'Append') {
    chosen = incoming.filter((a) => !existing.some((e) => e.type === a.type && e.value === a.value));
  } else if (mode === 'Static') {
    chosen = incoming.filter((a) => !existing.some((e) => e.type === a.type));
  } else if (mode === 'Singleton') {
    const last = new Map(incoming.map((a) => [a.type, a]));
    for (const type of last.keys()) deleteAttributes(store, item, type);
    chosen = [...last.values()];
  }
  for (const attribute of chosen) {
    const id = insertAttribute(scope, item, { ...attribute, now: scope.now });
    for (const entry of attribute.labels) {
      store.run(
        'INSERT OR IGNORE INTO links (a_kind, a_id, b_kind, b_id) VALUES (?, ?, ?, ?)',
        'attribute',
        id,
        'label',
        ensureLabel(scope, entry).id,
      );
    }
  }
  refreshDisplayed(scope, item);
}

/**
 * Writes a record's metadata. `description` and `source` fields become displayed Description and
 * Source attributes, as on the real server, where they are attributes too.
 */
export function writeMetadata(scope: MetadataScope, item: Target, record: Record<string, unknown>): void {
  const attributes = array(record.attribute, 'attribute');
  const extra: unknown[] = [];
  for (const [field, type] of [
    ['description', 'Description'],
    ['source', 'Source'],
  ] as const) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string')
      throw new RecordError('0x1006', `The ${field} of this record must be text`);
    extra.push({ type, value, displayed: true });
  }
  if (attributes !== undefined || extra.length > 0)
    writeAttributes(scope, item, [...(attributes ?? []), ...extra]);
  const tags = array(record.tag, 'tag');
  if (tags !== undefined) writeTags(scope, item, tags);
  const labels = array(record.securityLabel, 'securityLabel');
  if (labels !== undefined) writeLabels(scope, item, labels);
}
