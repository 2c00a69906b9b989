/**
 * threatconnect: the TypeScript SDK for the ThreatConnect REST API v2.
 *
 * The sandbox server is exported separately from `threatconnect/sandbox`, so this entry never loads
 * SQLite. Importing this module has no side effects.
 */
export {
  type ApiPage,
  type ApiRequestOptions,
  type ApiRequestPagesOptions,
  ThreatConnect,
} from './client.js';
export type { PageIterable } from './pipeline/pages.js';
export {
  Bulk,
  type BulkCsvRow,
  type BulkDownloadOptions,
  type BulkStatus,
  type BulkStatusOptions,
} from './bulk/bulk.js';
export type { Clock } from './core/clock.js';
export type { ClientOptions, CompatMode, ConsoleLevel, LogLevel, ProxyOptions } from './core/config-types.js';
export { FilterOperator, FilterSetOperator, IndicatorType, ResourceType } from './core/enums.js';
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ClientClosedError,
  ConfigError,
  ConnectionError,
  type ConnectionErrorKind,
  type ErrorCode,
  IncompleteResultError,
  InvalidResponseError,
  NotFoundError,
  ProxyAuthError,
  RateLimitError,
  RetryExhaustedError,
  ServerError,
  ThreatConnectError,
  TimeoutError,
  ValidationError,
} from './core/errors.js';
export { RequestObject } from './core/request-object.js';
// The output formats (decisions.md 3): formatCef, formatLeef, formatCsv, csvHeader, formatKeyval, formatJson, their
// records and streams; src/formats/index.ts lists them.
export * from './formats/index.js';
export { ApiResponse } from './core/response.js';
export type { PostFilterEntry, Report, ReportEntry, RequestEntry } from './report/index.js';
// Resource objects (what the containers' add() and retrieval give).
export { Group } from './resources/group.js';
export { Indicator } from './resources/indicator.js';
export type { CallOptions, ItemKind, Phase } from './resources/item.js';
export type { GroupKind, IndicatorKind } from './resources/kinds.js';
export { Owner } from './resources/owner.js';
export { Task } from './resources/task.js';
export type { AttributeValue } from './resources/values.js';
export { Victim } from './resources/victim.js';
