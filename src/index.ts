/**
 * threatconnect: the TypeScript SDK for the ThreatConnect REST API v2.
 *
 * The client core (ThreatConnect, RequestObject, errors) lands in the client-core issue; the sandbox
 * server is exported separately from `threatconnect/sandbox` so that this entry never loads SQLite.
 */
export const VERSION = '0.1.0';
