/** Delivery of lines to a syslog collector (issue 12): `createSyslogSink` and what it reports. */
export type { SyslogFormat } from './message.js';
export type { Pem, SyslogSinkOptions } from './options.js';
export { SyslogDeliveryError, type SyslogFailureReason, type SyslogResult } from './result.js';
export { SEVERITY, severityOfRating, UNKNOWN_RATING_SEVERITY } from './severity.js';
export type { SyslogChunk, SyslogRecord } from './batch.js';
export { createSyslogSink, SyslogSink } from './sink.js';
export { DEFAULT_PORTS, parseSyslogUrl, type SyslogTransportName, type SyslogUrl } from './url.js';
