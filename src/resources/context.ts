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
}
