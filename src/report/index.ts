/**
 * The report of a client (decisions.md 1.5). Internal: the package entry exports only the read-only
 * `Report` type and the entry types; `createReport` and `ReportRecorder` stay inside the SDK.
 */
export {
  type AttemptSummary,
  type ErrorSummary,
  PostFilterEntry,
  type PostFilterEntryFields,
  type ReportEntry,
  RequestEntry,
  type RequestEntryFields,
  SUCCESS_STATUSES,
  summarizeAttempt,
  summarizeError,
} from './entries.js';
export { LatencyHistogram, MAX_HISTOGRAM_BUCKETS, RecentList } from './bounded.js';
export {
  type CallEnd,
  type CallRecorder,
  type CallStart,
  createReport,
  MAX_FAIL_MESSAGE_CHARS,
  MAX_REPORT_ENTRIES,
  MAX_REPORT_FAILURES,
  type PostFilterRecord,
  Report,
  type ReportClock,
  type ReportOptions,
  type ReportRecorder,
} from './report.js';
