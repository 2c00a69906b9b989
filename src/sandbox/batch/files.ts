/**
 * Files whose incoming hashes collide with existing Files (rest-api-v2.md 11.2, `fileMergeMode` and
 * `hashCollisionMode`). A collision is an incoming hash held by a File other than the one the record
 * merges into, or a hash of the same kind that differs. The sandbox keeps each hash on one File.
 */
import { findIndicator } from '../handlers/shared.js';
import type { IndicatorRow } from '../store.js';
import type { IndicatorTypeInfo } from '../types.js';
import { BATCH_ERROR_CODES as CODES, RecordError } from './errors.js';
import type { WriteScope } from './writer.js';

const HASHES = ['md5', 'sha1', 'sha256'] as const;
type Hash = (typeof HASHES)[number];

export type FileResolution =
  | { kind: 'write'; body: Record<string, unknown> }
  | { kind: 'skip' }
  | { kind: 'each'; ids: number[] };

function incomingHashes(body: Record<string, unknown>): Partial<Record<Hash, string>> {
  const out: Partial<Record<Hash, string>> = {};
  for (const field of HASHES) {
    const value = body[field];
    if (typeof value === 'string' && value !== '') out[field] = value.toUpperCase();
  }
  return out;
}

function setHashes(scope: WriteScope, row: IndicatorRow, hashes: Partial<Record<Hash, string | null>>): void {
  const next = { md5: row.md5, sha1: row.sha1, sha256: row.sha256, ...hashes };
  const present = HASHES.map((f) => next[f]).filter((h): h is string => typeof h === 'string');
  if (present.length === 0) {
    scope.store.run('DELETE FROM indicators WHERE id = ?', row.id);
    scope.store.forgetItem('indicator', row.id);
    return;
  }
  scope.store.run(
    'UPDATE indicators SET md5 = ?, sha1 = ?, sha256 = ?, summary = ? WHERE id = ?',
    next.md5 ?? null,
    next.sha1 ?? null,
    next.sha256 ?? null,
    present.join(' : '),
    row.id,
  );
}

/**
 * How a File record is written:
 * - no collision: merged as the single-item endpoint would (`write`);
 * - `fileMergeMode: Distribute` with several matching Files: the record's fields go to each (`each`);
 * - `FavorExisting`: the first matching File keeps its hashes and takes only the kinds it lacks;
 * - `FavorIncoming` (default) and `IgnoreExisting`: the incoming hashes win; they are moved to the first
 *   matching File (a File left with no hash is deleted);
 * - `IgnoreIncoming`: the record is skipped;
 * - `Split`: the record fails (one File per hash).
 */
export function resolveFileCollision(
  scope: WriteScope,
  info: IndicatorTypeInfo,
  body: Record<string, unknown>,
): FileResolution {
  const incoming = incomingHashes(body);
  const matches = new Map<number, IndicatorRow>();
  for (const field of HASHES) {
    const value = incoming[field];
    if (value === undefined || !/^[0-9A-F]+$/.test(value)) continue;
    const row = findIndicator(scope, info, value, scope.owner.id);
    if (row) matches.set(row.id, row);
  }
  const rows = [...matches.values()].sort((a, b) => a.id - b.id);
  const first = rows[0];
  const differs = (row: IndicatorRow): boolean =>
    HASHES.some((f) => incoming[f] !== undefined && row[f] !== null && row[f] !== incoming[f]);
  if (!first || (rows.length === 1 && !differs(first))) return { kind: 'write', body };
  if (scope.config.fileMergeMode === 'Distribute' && rows.length > 1)
    return { kind: 'each', ids: rows.map((r) => r.id) };
  const values = HASHES.map((f) => incoming[f]).join(' : ');
  switch (scope.config.hashCollisionMode) {
    case 'IgnoreIncoming':
      return { kind: 'skip' };
    case 'Split':
      throw new RecordError(
        CODES.hashCollision,
        `The hashes of this File collide with existing Files: ${values}`,
      );
    case 'FavorExisting': {
      const taken = new Set(rows.flatMap((r) => HASHES.map((f) => r[f]).filter((h) => h !== null)));
      const merged: Record<string, unknown> = { ...body };
      for (const field of HASHES) {
        const own = first[field];
        const value = incoming[field];
        merged[field] = own ?? (value !== undefined && !taken.has(value) ? value : undefined);
      }
      return { kind: 'write', body: merged };
    }
    default: {
      // FavorIncoming, IgnoreExisting: the incoming hashes leave the other Files for the first one.
      for (const row of rows.slice(1)) {
        const cleared: Partial<Record<Hash, null>> = {};
        for (const field of HASHES)
          if (row[field] !== null && Object.values(incoming).includes(row[field])) cleared[field] = null;
        setHashes(scope, row, cleared);
      }
      setHashes(scope, first, incoming);
      return { kind: 'write', body };
    }
  }
}
