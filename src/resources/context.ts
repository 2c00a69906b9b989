/**
 * What every resource container and object shares within one client: the internal requester (the
 * only way they reach the API), the client's indicator patterns, and the indicator types the API
 * knows (read once per client, lazily).
 */
import type { IndicatorType } from '../core/enums.js';
import type { Requester } from '../pipeline/requester.js';
import type { IndicatorKind } from './kinds.js';

/** Detects and validates indicator values with the client's patterns (sdk-behaviour.md 7). */
export interface IndicatorDetector {
  /** The built-in type whose patterns match the whole value, or undefined. */
  detect(value: string): Exclude<IndicatorType, 565> | undefined;
}

export interface ResourceContext {
  readonly requester: Requester;
  readonly detector: IndicatorDetector;
  /**
   * Every indicator type of `/v2/types/indicatorTypes`, custom ones included, by API `type` name;
   * fetched once per client, on first use.
   */
  indicatorKinds(signal?: AbortSignal): Promise<ReadonlyMap<string, IndicatorKind>>;
  /**
   * {@link indicatorKinds} for reading an item of a type the SDK does not model (a listing, a bulk
   * report, an object's associated indicators): when the server refuses the table or answers with
   * something that is not one, the built-in types alone, so that the item is read as a generic
   * indicator rather than failing, and losing, the whole read (decisions.md 1.7: "never dropped and
   * never a crash"). Logged at `warning` once a failed read; a failed read stands for a minute of the
   * client's clock, then the table is asked for again. A lost connection, a timeout and an abort are
   * thrown as they are.
   */
  indicatorKindsForReading(signal?: AbortSignal): Promise<ReadonlyMap<string, IndicatorKind>>;
}
