/** The typed results and options of indicator intelligence (intelligence.ts; rest-api-v2.md 6.6). */
import type { Indicator } from './indicator.js';
import type { ResourceContext } from './context.js';
import type { IndicatorKind } from './kinds.js';

/** Observations of one day, all users together. */
export interface Observation {
  readonly count: number;
  /** The day, as the API gives it (`2024-01-02T00:00:00Z`). */
  readonly dateObserved: string | undefined;
}

/** `observationCount()`: everyone's observations and the API user's own. */
export interface ObservationCount {
  readonly count: number;
  readonly lastObserved: string | undefined;
  readonly yourCount: number;
  readonly yourLastObserved: string | undefined;
}

/** `reportFalsePositive()`: the indicator's false-positive reports after this one. */
export interface FalsePositive {
  readonly count: number;
  readonly lastReported: string | undefined;
}

/** Where a file was seen. */
export interface FileOccurrence {
  readonly id: number;
  readonly fileName: string | undefined;
  readonly path: string | undefined;
  readonly date: string | undefined;
}

/**
 * The fields of a file occurrence to add or change: at least one. `date` is an ISO 8601 string or a
 * Date; in an update, `null` clears a field.
 */
export interface FileOccurrenceInput {
  readonly fileName?: string | null | undefined;
  readonly path?: string | null | undefined;
  readonly date?: string | Date | null | undefined;
}

/** A host's resolution on one date, with the addresses it resolved to. */
export interface DnsResolution {
  readonly resolutionDate: string | undefined;
  readonly addresses: Indicator[];
}

/** One user's observations of an observed indicator. */
export interface ObservedUser {
  readonly userName: string | undefined;
  readonly userLastObservedDate: string | undefined;
  readonly count: number;
}

/** An item of `tc.indicators().observed()`. */
export interface ObservedIndicator {
  /** The indicator's value (the API gives no type). */
  readonly summary: string;
  readonly observationCount: number;
  readonly lastObserved: string | undefined;
  readonly userObservedList: ObservedUser[];
}

/** Options of `addObservation()`. */
export interface AddObservationOptions {
  /** When the observations were made: an ISO 8601 string or a Date. @default the server's now */
  readonly dateObserved?: string | Date | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of `tc.indicators().observed()`. */
export interface ObservedOptions {
  /** Only this day's observations: `YYYY-MM-DD`, or a Date (its UTC day). */
  readonly date?: string | Date | undefined;
  /** The owner whose indicators are listed. @default the client's default org */
  readonly owner?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * What an indicator hands over for its intelligence requests. Not marked internal: intelligence.ts's
 * declarations name it, and a stripped type would break them for a consumer that type-checks its
 * dependencies (`skipLibCheck` off, TypeScript's default).
 */
export interface IntelligenceTarget {
  readonly context: ResourceContext;
  /** `/v2/indicators/hosts/x.example.com` */
  readonly path: string;
  readonly owner: string | undefined;
  /** `Host "x.example.com"`, for messages. */
  readonly label: string;
  readonly kind: IndicatorKind | undefined;
  /** Parses an indicator item of an answer (a typed one when `kind` is given). */
  readonly parse: (item: Record<string, unknown>, kind?: IndicatorKind) => Indicator;
}
