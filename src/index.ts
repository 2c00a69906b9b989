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
export type {
  BatchAction,
  BatchAttributeWriteType,
  BatchFileMergeMode,
  BatchGroupRecord,
  BatchHashCollisionMode,
  BatchIndicatorRecord,
  BatchInputRecord,
  BatchJobResult,
  BatchMetadataWriteType,
  BatchOptions,
  BatchProgress,
  BatchRecordError,
  BatchResult,
} from './batch/types.js';
export {
  Bulk,
  type BulkCsvRow,
  type BulkDownloadOptions,
  type BulkStatus,
  type BulkStatusOptions,
} from './bulk/bulk.js';
export type { Clock } from './core/clock.js';
export type { ClientOptions, CompatMode, ConsoleLevel, LogLevel, ProxyOptions } from './core/config-types.js';
export {
  FilterOperator,
  FilterSetOperator,
  filterOperatorName,
  filterSetOperatorName,
  IndicatorType,
  indicatorTypeName,
  ResourceType,
  resourceTypeName,
} from './core/enums.js';
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
export type {
  AttemptSummary,
  ErrorSummary,
  PostFilterEntry,
  PostFilterEntryFields,
  Report,
  ReportEntry,
  RequestEntry,
  RequestEntryFields,
} from './report/index.js';
// Resource objects (what the containers' add() and retrieval give).
export type { AdversaryAsset, AdversaryAssets, AdversaryAssetType } from './resources/adversary-assets.js';
export type {
  VictimAsset,
  VictimAssetFields,
  VictimAssets,
  VictimAssetType,
} from './resources/victim-assets.js';
export { Group } from './resources/group.js';
export { Indicator } from './resources/indicator.js';
export type {
  AddObservationOptions,
  DnsResolution,
  FalsePositive,
  FileOccurrence,
  FileOccurrenceInput,
  Observation,
  ObservationCount,
  ObservedIndicator,
  ObservedOptions,
  ObservedUser,
} from './resources/intelligence-types.js';
export type { AssociationTypeRef } from './resources/indicator-links.js';
export type { DeletedIndicator, DeletedOptions } from './resources/deleted.js';
export type { CallOptions, ItemKind, Phase } from './resources/item.js';
export type { GroupKind, IndicatorKind } from './resources/kinds.js';
export type {
  AssociationType,
  AttributeType,
  LookupOptions,
  Members,
  OwnerMetric,
  TypeLookups,
} from './resources/lookups.js';
export { Owner } from './resources/owner.js';
export { Task } from './resources/task.js';
export type { AttributeValue } from './resources/values.js';
export { Victim } from './resources/victim.js';
// Types that the public API refers to, exported so that users can name them (and the API reference
// lists them).
export type { ResolvedClock } from './core/clock.js';
export type {
  LOG_LEVELS,
  ResolvedAuth,
  ResolvedConfig,
  ResolvedHmacAuth,
  ResolvedProxy,
  ResolvedTokenAuth,
} from './core/config-types.js';
export type {
  ApiErrorOptions,
  AttemptRecord,
  BaseOptions,
  ConnectionErrorOptions,
  IncompleteResultErrorOptions,
  InvalidResponseErrorOptions,
  RetryExhaustedErrorOptions,
  RetryHintOptions,
  TimeoutErrorOptions,
  TimeoutPhase,
} from './core/errors.js';
export type { HeaderValues, RedactedRequest, RequestLike } from './core/redact.js';
export type { FailureCallback, HttpMethod, RequestBody, SuccessCallback } from './core/request-object.js';
export type { ApiResponseInit } from './core/response.js';
export type { Bool, Num, Text } from './formats/records.js';
export type {
  GroupTypeContainer,
  GroupsContainer,
  IndicatorsContainer,
  OwnersContainer,
  TasksContainer,
  VictimsContainer,
} from './resources/containers.js';
export type { DetectableIndicatorType } from './resources/detect.js';
export type {
  API_FILTERS,
  ApiFilterName,
  ApiFiltersOf,
  ContainerKind,
  POST_FILTERS,
  PostFilterName,
  PostFiltersOf,
} from './filters/definitions.js';
export type { ChainedMembers, CommonMembers, Filter, FilterObject } from './filters/filter.js';
export type { FilterableObject, PostFilter } from './filters/post-filters.js';
export type { ApiRequestSpec } from './filters/requests.js';
export type { RetrieveOptions } from './resources/retrieval.js';
// Syslog delivery (issue 12): createSyslogSink, a writable stream of lines to a UDP, TCP or TLS collector.
export * from './delivery/index.js';
