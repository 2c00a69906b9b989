/**
 * CSV (RFC 4180, decisions.md 3.1): the seed's columns, a field quoted (inner quotes doubled) when it
 * holds a comma, a quote, CR or LF; null is an empty field; ratings print as `1.0`. A file's
 * `indicator` column holds the hashes present joined by ` : ` (md5, sha1, sha256), in one row.
 */
import { ValidationError } from '../core/errors.js';
import { compatCsv } from './compat.js';
import type { LooseRecord } from './loose.js';
import { describe, type FormatOptions, formatSettings } from './options.js';
import { checkRecord, type FormatRecord, isGroupRecord, recordOf } from './records.js';
import { csvField } from './text.js';
import { hashText, intText, ratingText, stringText } from './values.js';

const INDICATOR_HEADER =
  'confidence,dateAdded,description,id,indicator,lastModified,ownerName,rating,type,weblink';
const GROUP_HEADER = 'dateAdded,id,name,ownerName,type,weblink';

/** Which header: an indicator's or a group's. */
export type CsvKind = 'indicator' | 'group';

/**
 * The CSV header record, without a line ending: `csvHeader('indicator')` or `csvHeader('group')`.
 * The same in compat mode.
 */
export function csvHeader(kind: CsvKind, options?: FormatOptions): string {
  formatSettings('csv', options);
  if (kind === 'indicator') return INDICATOR_HEADER;
  if ((kind as string) === 'group') return GROUP_HEADER;
  throw new ValidationError(`csvHeader takes 'indicator' or 'group', got ${describe(kind)}`);
}

/** The `indicator` column: the value; a file's hashes present joined by ` : `. */
export function indicatorValue(r: LooseRecord): string | null {
  switch (r.type) {
    case 'Address':
      return stringText(r.ip);
    case 'Host':
      return stringText(r.hostName);
    case 'URL':
      return stringText(r.text);
    case 'EmailAddress':
      return stringText(r.address);
    case 'File': {
      const md5 = hashText(r.md5);
      const sha1 = hashText(r.sha1);
      const sha256 = hashText(r.sha256);
      let out: string | null = md5;
      if (sha1 !== null) out = out === null ? sha1 : `${out} : ${sha1}`;
      if (sha256 !== null) out = out === null ? sha256 : `${out} : ${sha256}`;
      return out;
    }
    default:
      return stringText(r.summary);
  }
}

function cell(text: string | null): string {
  return text === null ? '' : csvField(text);
}

/** A number's cell: digits, never quoted. */
function numberCell(text: string | null, value: unknown): string {
  return text === null ? '' : typeof value === 'number' ? text : csvField(text);
}

/** The spec-correct CSV record of a record, without a line ending. */
export function csvLine(record: FormatRecord): string {
  const r = record as LooseRecord;
  if (isGroupRecord(record)) {
    return `${cell(stringText(r.dateAdded))},${numberCell(intText(r.id), r.id)},${cell(stringText(r.name))},${cell(stringText(r.ownerName))},${cell(stringText(r.type))},${cell(stringText(r.weblink))}`;
  }
  return `${numberCell(intText(r.confidence), r.confidence)},${cell(stringText(r.dateAdded))},${cell(stringText(r.description))},${numberCell(intText(r.id), r.id)},${cell(indicatorValue(r))},${cell(stringText(r.lastModified))},${cell(stringText(r.ownerName))},${numberCell(ratingText(r.rating), r.rating)},${cell(stringText(r.type))},${cell(stringText(r.weblink))}`;
}

/**
 * One record as a CSV record (`indicator.csv`), without a line ending. With
 * `{ compat: 'python-sdk' }`, the original's text: a file gives one row per hash, joined by CRLF.
 */
export function formatCsv(value: FormatRecord, options?: FormatOptions): string {
  const record = recordOf(value);
  checkRecord(record);
  return formatSettings('csv', options).compat ? compatCsv(record) : csvLine(record);
}
