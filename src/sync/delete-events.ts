/**
 * Delete events (`sync --deletions`), one line per deleted indicator, in the run's format
 * (docs/sync.md, "Delete events"; docs/decisions.md). A deleted indicator has what the API lists:
 * owner, type, value (summary) and dateAdded, and no id. Each line carries those fields under the
 * keys the format's indicator lines use, and says it is a deletion:
 *
 * - CEF: event class id `delete`, name `<Type> indicator deleted`, severity 0, then `act=delete`;
 * - LEEF: event id `delete`, then `action=delete`;
 * - KeyVal: `action="delete"` (first: keys are sorted);
 * - CSV: the indicator columns plus a last column `deleted`, `true` here (`false` on changes);
 * - JSON lines: `{"deleted":true,"ownerName":…,"type":…,"dateAdded":…,"summary":…}`.
 */
import { cefLine } from '../formats/cef.js';
import { csvLine } from '../formats/csv.js';
import { keyvalLine } from '../formats/keyval.js';
import { leefLine } from '../formats/leef.js';
import { fromApiIndicator } from '../formats/from-api.js';
import type { IndicatorRecord } from '../formats/records.js';
import { cefHeader } from '../formats/text.js';
import type { DeletedIndicator } from '../resources/deleted.js';

export const SYNC_FORMATS = ['cef', 'leef', 'keyval', 'csv', 'jsonl'] as const;
export type SyncFormat = (typeof SYNC_FORMATS)[number];

/** The record of a deleted indicator, as the formats take it (no id, no rating, no weblink). */
function recordOf(deleted: DeletedIndicator): IndicatorRecord {
  return fromApiIndicator({
    ownerName: deleted.ownerName,
    type: deleted.type,
    dateAdded: deleted.dateAdded,
    summary: deleted.summary,
  });
}

/** The index just after the `count`-th `|` not escaped by a backslash, from `from`. */
function afterPipes(line: string, from: number, count: number): number {
  let seen = 0;
  for (let i = from; i < line.length; i += 1) {
    const c = line[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '|') {
      seen += 1;
      if (seen === count) return i + 1;
    }
  }
  return line.length;
}

const CEF_PREFIX = 'CEF:0|threatconnect|threatconnect|2||';
const LEEF_PREFIX = 'LEEF:1.0|threatconnect|threatconnect|2||';

function cefDeletion(deleted: DeletedIndicator): string {
  const line = cefLine(recordOf(deleted));
  // The indicator line with no id: CEF_PREFIX, then Name|Severity|, then the extension.
  const extension = line.slice(afterPipes(line, CEF_PREFIX.length, 2));
  const name = cefHeader(`${deleted.type} indicator deleted`);
  return `CEF:0|threatconnect|threatconnect|2|delete|${name}|0|act=delete ${extension}`;
}

function leefDeletion(deleted: DeletedIndicator): string {
  const line = leefLine(recordOf(deleted));
  return `LEEF:1.0|threatconnect|threatconnect|2|delete|action=delete\t${line.slice(LEEF_PREFIX.length)}`;
}

/** The delete event of `deleted` in `format`, without a line ending. */
export function deletionLine(format: SyncFormat, deleted: DeletedIndicator): string {
  switch (format) {
    case 'cef':
      return cefDeletion(deleted);
    case 'leef':
      return leefDeletion(deleted);
    case 'keyval':
      return `action="delete" ${keyvalLine(recordOf(deleted))}`;
    case 'csv':
      return `${csvLine(recordOf(deleted))},true`;
    case 'jsonl':
      return JSON.stringify({
        deleted: true,
        ownerName: deleted.ownerName,
        type: deleted.type,
        dateAdded: deleted.dateAdded,
        summary: deleted.summary,
      });
  }
}
