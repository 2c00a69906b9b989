/**
 * The output formats of decisions.md section 3: pure functions from records to text.
 *
 * - `formatCef`, `formatLeef` (indicators), `formatCsv`, `csvHeader`, `formatKeyval`, `formatJson`
 *   (indicators and groups): one record's text, spec-correct by default, the original's bytes with
 *   `{ compat: 'python-sdk' }`.
 * - `createFormatter`, `formatLines`, `formatStream`, `createFormatTransform`: many records in constant
 *   memory.
 * - `fromApiIndicator`, `fromApiGroup`: records from the API's JSON items; `recordData`: a record's
 *   object (`indicator.data`).
 */
export { formatCef } from './cef.js';
export { type CsvKind, csvHeader, formatCsv } from './csv.js';
export { formatJson } from './json.js';
export { formatKeyval } from './keyval.js';
export { formatLeef } from './leef.js';
export type { FormatOptions, LeefOptions } from './options.js';
export {
  type AddressRecord,
  type AdversaryRecord,
  type CampaignRecord,
  type CustomIndicatorRecord,
  type DocumentRecord,
  type EmailAddressRecord,
  type EmailRecord,
  type FieldValue,
  type FileRecord,
  type FormatRecord,
  type GroupFields,
  type GroupRecord,
  type GroupTypeName,
  type HostRecord,
  type IncidentRecord,
  type IndicatorFields,
  type IndicatorRecord,
  type IndicatorTypeName,
  isGroupRecord,
  type RecordData,
  recordData,
  type SignatureRecord,
  type ThreatRecord,
  type UrlRecord,
} from './records.js';
export { type FromApiIndicatorOptions, fromApiGroup, fromApiIndicator } from './from-api.js';
export {
  createFormatTransform,
  createFormatter,
  type FormatName,
  type FormatterOptions,
  formatLines,
  formatStream,
  type StreamOptions,
} from './stream.js';
