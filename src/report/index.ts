/** The report of a client (decisions.md 1.5). */
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
export {
  type CallEnd,
  CallRecorder,
  type CallStart,
  MAX_FAIL_MESSAGE_CHARS,
  type PostFilterRecord,
  Report,
  type ReportClock,
  type ReportOptions,
} from './report.js';
