/**
 * Writes the records of a batch file through the functions the single-item endpoints use
 * (`writeIndicator`, `insertGroup`, `changeGroup`, `removeIndicator`, `removeGroup`), so a batch stores
 * exactly what those endpoints would. Each function runs inside the caller's transaction and throws
 * {@link RecordError} (or a handler's Failure) for a record it refuses.
 */
import { changeGroup, insertGroup, removeGroup } from '../handlers/groups.js';
import { removeIndicator, writeIndicator } from '../handlers/indicators.js';
import { findIndicator } from '../handlers/shared.js';
import type { GroupRow, IndicatorRow, OwnerRow, Store } from '../store.js';
import { GROUP_BY_NAME, type GroupTypeInfo, INDICATOR_BY_NAME, type IndicatorTypeInfo } from '../types.js';
import type { BatchConfig } from './config.js';
import { BATCH_ERROR_CODES as CODES, RecordError } from './errors.js';
import { resolveFileCollision } from './files.js';
import { type MetadataScope, writeMetadata } from './metadata.js';

export interface WriteScope extends MetadataScope {
  store: Store;
  owner: OwnerRow;
  config: BatchConfig;
}

const MUTABLE = ['rating', 'confidence', 'dnsActive', 'whoisActive', 'size'] as const;

export function asObject(raw: unknown, what: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RecordError(CODES.malformed, `Each ${what} of a batch file must be an object`);
  return raw as Record<string, unknown>;
}

/** The indicator type and summary of a record, as far as it has them (for error entries too). */
export function indicatorIdentity(raw: unknown): { type?: string | undefined; summary?: string | undefined } {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const type = typeof r.type === 'string' ? r.type : undefined;
  if (typeof r.summary === 'string') return { type, summary: r.summary };
  const info = type === undefined ? undefined : INDICATOR_BY_NAME.get(type);
  const parts = (info?.fields ?? []).map((f) => r[f]).filter((v): v is string => typeof v === 'string');
  return { type, summary: parts.length > 0 ? parts.join(' : ') : undefined };
}

function indicatorInfo(scope: WriteScope, record: Record<string, unknown>): IndicatorTypeInfo {
  const type = record.type;
  // The sandbox's own type table: custom types (the `indicatorTypes` option) included.
  const info = typeof type === 'string' ? scope.store.indicatorTypes.byName(type) : undefined;
  if (!info) {
    throw new RecordError(
      CODES.invalidIndicator,
      `The type of this indicator is invalid: ${JSON.stringify(type ?? null)}`,
    );
  }
  return info;
}

/** The create body of the single-item endpoint for a record: its value fields and mutable fields. */
function createBody(info: IndicatorTypeInfo, record: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const summary = record.summary;
  if (summary !== undefined && typeof summary !== 'string')
    throw new RecordError(CODES.invalidIndicator, 'The summary of this indicator must be text');
  if (typeof summary === 'string') {
    if (info.name === 'File') {
      for (const part of summary.split(':').map((p) => p.trim())) {
        const field = ({ 32: 'md5', 40: 'sha1', 64: 'sha256' } as Record<number, string>)[part.length];
        if (field === undefined)
          throw new RecordError(CODES.invalidIndicator, `Please enter a valid File: ${part}`);
        body[field] = part;
      }
    } else if (info.fields.length === 1) {
      body[info.fields[0] as string] = summary;
    } else {
      const parts = summary.split(' : ');
      info.fields.forEach((field, i) => {
        body[field] = parts[i];
      });
    }
  } else {
    for (const field of info.fields) if (record[field] !== undefined) body[field] = record[field];
  }
  for (const field of MUTABLE) if (record[field] !== undefined) body[field] = record[field];
  return body;
}

function setActive(store: Store, id: number, record: Record<string, unknown>): void {
  const active = record.active;
  if (active === undefined || active === null) return;
  if (active !== true && active !== false && active !== 'true' && active !== 'false')
    throw new RecordError(CODES.invalidIndicator, 'The active flag of this indicator must be true or false');
  store.run(
    'UPDATE indicators SET active = ? WHERE id = ?',
    active === true || active === 'true' ? 1 : 0,
    id,
  );
}

export function groupByXid(store: Store, ownerId: number, xid: string): GroupRow | undefined {
  return store.get<GroupRow>(
    'SELECT g.* FROM group_xids x JOIN groups g ON g.id = x.group_id WHERE x.owner_id = ? AND x.xid = ?',
    ownerId,
    xid,
  );
}

function linkGroups(scope: WriteScope, kind: 'indicator' | 'group', id: number, xids: unknown): void {
  if (xids === undefined || xids === null) return;
  if (!Array.isArray(xids)) throw new RecordError(CODES.malformed, 'associatedGroups must be an array');
  for (const entry of xids) {
    const xid = typeof entry === 'string' ? entry : (entry as { groupXid?: unknown } | null)?.groupXid;
    if (typeof xid !== 'string')
      throw new RecordError(CODES.association, 'Each associated group needs a groupXid');
    const group = groupByXid(scope.store, scope.owner.id, xid);
    if (!group) throw new RecordError(CODES.association, `No group has the xid ${JSON.stringify(xid)}`);
    if (kind === 'group' && group.id === id)
      throw new RecordError(CODES.association, 'A group cannot be associated with itself');
    scope.store.link(kind, id, 'group', group.id);
  }
}

function existingIndicator(scope: WriteScope, info: IndicatorTypeInfo, body: Record<string, unknown>) {
  const values =
    info.name === 'File'
      ? ['md5', 'sha1', 'sha256'].map((f) => body[f])
      : [info.fields.map((f) => body[f]).join(' : ')];
  for (const value of values) {
    if (typeof value !== 'string' || value === '') continue;
    const row = findIndicator(scope, info, value, scope.owner.id);
    if (row) return row;
  }
  return undefined;
}

/** One `indicator[]` entry: Create writes it (with metadata and group links); Delete removes it. */
export function writeIndicatorRecord(scope: WriteScope, raw: unknown): void {
  const record = asObject(raw, 'indicator');
  const info = indicatorInfo(scope, record);
  const body = createBody(info, record);
  if (scope.config.action === 'Delete') {
    const row: IndicatorRow | undefined = existingIndicator(scope, info, body);
    if (!row) throw new RecordError(CODES.notFound, `The ${info.name} was not found in ${scope.owner.name}`);
    removeIndicator(scope, row.id, Date.parse(scope.now));
    return;
  }
  let ids: number[];
  if (info.name === 'File') {
    const resolved = resolveFileCollision(scope, info, body);
    if (resolved.kind === 'skip') return;
    // Distribute: the record's fields go to each matching File, whose hashes stay as they are.
    ids =
      resolved.kind === 'each'
        ? resolved.ids.map((id) =>
            writeIndicator(scope, info, scope.owner, { ...body, ...hashesOf(scope.store, id) }, scope.now),
          )
        : [writeIndicator(scope, info, scope.owner, resolved.body, scope.now)];
  } else {
    ids = [writeIndicator(scope, info, scope.owner, body, scope.now)];
  }
  for (const id of ids) {
    setActive(scope.store, id, record);
    writeMetadata(scope, { kind: 'indicator', id }, record);
    linkGroups(scope, 'indicator', id, record.associatedGroups);
  }
}

function hashesOf(store: Store, id: number): Record<string, string> {
  const row = store.get<{ md5: string | null; sha1: string | null; sha256: string | null }>(
    'SELECT md5, sha1, sha256 FROM indicators WHERE id = ?',
    id,
  );
  const out: Record<string, string> = { md5: '', sha1: '', sha256: '' };
  for (const field of ['md5', 'sha1', 'sha256'] as const) out[field] = row?.[field] ?? '';
  return out;
}

function groupInfo(record: Record<string, unknown>): GroupTypeInfo {
  const type = record.type;
  const info = typeof type === 'string' ? GROUP_BY_NAME.get(type) : undefined;
  if (!info)
    throw new RecordError(
      CODES.invalidGroup,
      `The type of this group is invalid: ${JSON.stringify(type ?? null)}`,
    );
  return info;
}

export function xidOf(record: Record<string, unknown>): string {
  const xid = record.xid;
  if (typeof xid !== 'string' || xid.trim() === '')
    throw new RecordError(CODES.invalidGroup, 'The xid of this group is required');
  return xid;
}

/** One `group[]` entry: Create creates it, or updates the owner's group of that xid; Delete removes it. */
export function writeGroupRecord(scope: WriteScope, raw: unknown): void {
  const record = asObject(raw, 'group');
  const info = groupInfo(record);
  const xid = xidOf(record);
  const { store } = scope;
  const existing = groupByXid(store, scope.owner.id, xid);
  if (scope.config.action === 'Delete') {
    if (!existing) throw new RecordError(CODES.notFound, `No group has the xid ${JSON.stringify(xid)}`);
    const indicators = scope.config.removeOrphanIndicators ? linkedIndicators(store, existing.id) : [];
    removeGroup(scope, existing.id);
    for (const id of indicators) {
      const other = store.get(
        "SELECT 1 FROM links WHERE a_kind = 'indicator' AND a_id = ? AND b_kind = 'group'",
        id,
      );
      if (other === undefined) removeIndicator(scope, id, Date.parse(scope.now));
    }
    return;
  }
  let id: number;
  if (existing) {
    if (existing.type !== info.name)
      throw new RecordError(
        CODES.invalidGroup,
        `The xid ${JSON.stringify(xid)} belongs to a ${existing.type}`,
      );
    changeGroup(scope, info, existing, record, scope.now);
    id = existing.id;
  } else {
    id = insertGroup(scope, info, scope.owner, record, scope.now);
    store.run(
      'INSERT OR REPLACE INTO group_xids (owner_id, xid, group_id) VALUES (?, ?, ?)',
      scope.owner.id,
      xid,
      id,
    );
  }
  writeMetadata(scope, { kind: 'group', id }, record);
}

function linkedIndicators(store: Store, groupId: number): number[] {
  return store
    .all<{ id: number }>(
      "SELECT b_id AS id FROM links WHERE a_kind = 'group' AND a_id = ? AND b_kind = 'indicator'",
      groupId,
    )
    .map((r) => r.id);
}

/** A group's `associatedGroupXid[]` and `associatedIndicators[]`, after every group and indicator is written. */
export function linkGroupRecord(scope: WriteScope, raw: unknown): void {
  const record = asObject(raw, 'group');
  const group = groupByXid(scope.store, scope.owner.id, xidOf(record));
  if (!group) return;
  linkGroups(scope, 'group', group.id, record.associatedGroupXid);
  const indicators = record.associatedIndicators;
  if (indicators === undefined || indicators === null) return;
  if (!Array.isArray(indicators))
    throw new RecordError(CODES.malformed, 'associatedIndicators must be an array');
  for (const entry of indicators) {
    const e = asObject(entry, 'associated indicator');
    const row = indicatorRef(scope, e.indicatorType, e.summary);
    scope.store.link('group', group.id, 'indicator', row.id);
  }
}

function indicatorRef(scope: WriteScope, type: unknown, summary: unknown): IndicatorRow {
  const info = typeof type === 'string' ? scope.store.indicatorTypes.byName(type) : undefined;
  if (!info || typeof summary !== 'string')
    throw new RecordError(
      CODES.association,
      `No indicator ${String(type)} ${JSON.stringify(summary ?? null)}`,
    );
  const value = info.name === 'File' ? (summary.split(':')[0] ?? '').trim() : summary;
  const row = findIndicator(scope, info, value, scope.owner.id);
  if (!row)
    throw new RecordError(
      CODES.association,
      `No ${info.name} ${JSON.stringify(summary)} in ${scope.owner.name}`,
    );
  return row;
}

function end(
  scope: WriteScope,
  record: Record<string, unknown>,
  n: 1 | 2,
): { kind: 'indicator' | 'group'; id: number } {
  const type = record[`type_${n}`];
  const ref = record[`ref_${n}`];
  const id = record[`id_${n}`];
  if (typeof type === 'string' && GROUP_BY_NAME.has(type)) {
    const row =
      typeof ref === 'string'
        ? groupByXid(scope.store, scope.owner.id, ref)
        : scope.store.get<GroupRow>('SELECT * FROM groups WHERE id = ? AND type = ?', id, type);
    if (!row) throw new RecordError(CODES.association, `No ${type} ${JSON.stringify(ref ?? id ?? null)}`);
    return { kind: 'group', id: row.id };
  }
  return { kind: 'indicator', id: indicatorRef(scope, type, ref ?? id).id };
}

/** One `association[]` entry: `{ref_1|id_1, type_1, ref_2|id_2, type_2}`. */
export function writeAssociation(scope: WriteScope, raw: unknown): void {
  const record = asObject(raw, 'association');
  if (record.associationType !== undefined && record.associationType !== null)
    throw new RecordError(CODES.association, 'The sandbox has no custom association types');
  const a = end(scope, record, 1);
  const b = end(scope, record, 2);
  if (a.kind === 'indicator' && b.kind === 'indicator')
    throw new RecordError(CODES.association, 'Two indicators need a custom association type');
  if (a.kind === b.kind && a.id === b.id)
    throw new RecordError(CODES.association, 'An item cannot be associated with itself');
  if (scope.config.action === 'Delete') scope.store.unlink(a.kind, a.id, b.kind, b.id);
  else scope.store.link(a.kind, a.id, b.kind, b.id);
}
