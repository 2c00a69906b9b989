/**
 * Fault injection for client tests (decisions.md 2.3): configuration, validation and rule evaluation.
 */
import { badRequest } from './reply.js';

/** What a fault rule does (decisions.md 2.3): answer a status, reset, truncate, stall, or shorten a page. */
export type FaultKind = 'status' | 'reset' | 'truncate' | 'stall' | 'shortPage';

/** One fault rule; rules are evaluated in order and the first that fires wins. */
export interface FaultRule {
  /** What the rule does. */
  kind: FaultKind;
  /** `status`: the 4xx or 5xx to answer, before the handler runs. */
  status?: number;
  /** `status` 429: the `Retry-After` seconds to send. */
  retryAfter?: number;
  /** `stall`: how long the answer is held, in milliseconds. */
  ms?: number;
  /** `shortPage`: how many items a listing page loses (its `resultCount` is unchanged). */
  drop?: number;
  /** Fires on the Nth, 2Nth, … matching request, counted per rule from 1. */
  every?: number;
  /** Fires with this probability, drawn deterministically from the seed (docs/sandbox.md). */
  probability?: number;
  /** Matches only this HTTP method. */
  method?: string;
  /** Matches only raw paths (after `/api`) that start with this, such as `/v2/indicators`. */
  pathPrefix?: string;
}

/** The sandbox's fault configuration, as `POST /_sandbox/faults` takes it (decisions.md 2.3). */
export interface FaultConfig {
  /** Seed of the probability draws. */
  seed: number;
  /** Latency added before every handler, in milliseconds. */
  latencyMs: number;
  /** Random extra latency, up to this many milliseconds. */
  jitterMs: number;
  /** The rules, evaluated in order. */
  rules: FaultRule[];
}

export const EMPTY_FAULTS: FaultConfig = Object.freeze({ seed: 0, latencyMs: 0, jitterMs: 0, rules: [] });

const RULE_KEYS: Record<FaultKind, readonly string[]> = {
  status: ['status', 'retryAfter'],
  reset: [],
  truncate: [],
  stall: ['ms'],
  shortPage: ['drop'],
};
const COMMON_RULE_KEYS = ['kind', 'every', 'probability', 'method', 'pathPrefix'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw badRequest(`Invalid fault configuration: ${where} must be a non-negative integer`);
  }
  return value;
}

/** The longest delay a Node timer keeps: a longer one fires after 1 ms. */
const MAX_DELAY_MS = 2_147_483_647;

/** A delay in ms: a non-negative integer a timer can hold. */
function delayMs(value: unknown, where: string): number {
  const ms = nonNegativeInteger(value, where);
  if (ms > MAX_DELAY_MS) {
    throw badRequest(
      `Invalid fault configuration: ${where} must be at most ${MAX_DELAY_MS} (about 24.8 days)`,
    );
  }
  return ms;
}

/** Validates a fault configuration; throws a 400 Failure naming the offending key. */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (!isRecord(input)) throw badRequest('Invalid fault configuration: expected a JSON object');
  for (const key of Object.keys(input)) {
    if (!['seed', 'latencyMs', 'jitterMs', 'rules'].includes(key)) {
      throw badRequest(`Invalid fault configuration: unknown key "${key}"`);
    }
  }
  const config: FaultConfig = {
    seed: input.seed === undefined ? 0 : nonNegativeInteger(input.seed, 'seed'),
    latencyMs: input.latencyMs === undefined ? 0 : delayMs(input.latencyMs, 'latencyMs'),
    jitterMs: input.jitterMs === undefined ? 0 : delayMs(input.jitterMs, 'jitterMs'),
    rules: [],
  };
  if (config.latencyMs + config.jitterMs > MAX_DELAY_MS) {
    throw badRequest(`Invalid fault configuration: latencyMs + jitterMs must be at most ${MAX_DELAY_MS}`);
  }
  if (input.rules !== undefined) {
    if (!Array.isArray(input.rules)) throw badRequest('Invalid fault configuration: rules must be an array');
    config.rules = input.rules.map((rule, index) => parseRule(rule, index));
  }
  return config;
}

function parseRule(input: unknown, index: number): FaultRule {
  const where = `rules[${index}]`;
  if (!isRecord(input)) throw badRequest(`Invalid fault configuration: ${where} must be an object`);
  const kind = input.kind;
  if (typeof kind !== 'string' || !(kind in RULE_KEYS)) {
    throw badRequest(
      `Invalid fault configuration: ${where}.kind must be one of status, reset, truncate, stall, shortPage`,
    );
  }
  const faultKind = kind as FaultKind;
  const allowed = new Set([...COMMON_RULE_KEYS, ...RULE_KEYS[faultKind]]);
  for (const key of Object.keys(input)) {
    if (!allowed.has(key)) throw badRequest(`Invalid fault configuration: ${where} has unknown key "${key}"`);
  }
  const rule: FaultRule = { kind: faultKind };
  if (input.every !== undefined && input.probability !== undefined) {
    throw badRequest(`Invalid fault configuration: ${where} sets both every and probability`);
  }
  if (input.every !== undefined) {
    const every = nonNegativeInteger(input.every, `${where}.every`);
    if (every < 1) throw badRequest(`Invalid fault configuration: ${where}.every must be at least 1`);
    rule.every = every;
  }
  if (input.probability !== undefined) {
    const p = input.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw badRequest(`Invalid fault configuration: ${where}.probability must be a number from 0 to 1`);
    }
    rule.probability = p;
  }
  if (input.method !== undefined) {
    if (typeof input.method !== 'string' || input.method === '') {
      throw badRequest(`Invalid fault configuration: ${where}.method must be an HTTP method`);
    }
    rule.method = input.method.toUpperCase();
  }
  if (input.pathPrefix !== undefined) {
    if (typeof input.pathPrefix !== 'string' || !input.pathPrefix.startsWith('/')) {
      throw badRequest(`Invalid fault configuration: ${where}.pathPrefix must be a path starting with /`);
    }
    rule.pathPrefix = input.pathPrefix;
  }
  if (faultKind === 'status') {
    const status = input.status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
      throw badRequest(`Invalid fault configuration: ${where}.status must be an HTTP status from 400 to 599`);
    }
    rule.status = status;
    if (input.retryAfter !== undefined)
      rule.retryAfter = nonNegativeInteger(input.retryAfter, `${where}.retryAfter`);
  } else if (faultKind === 'stall') {
    rule.ms = delayMs(input.ms, `${where}.ms`);
  } else if (faultKind === 'shortPage') {
    const drop = nonNegativeInteger(input.drop, `${where}.drop`);
    if (drop < 1) throw badRequest(`Invalid fault configuration: ${where}.drop must be at least 1`);
    rule.drop = drop;
  }
  return rule;
}

/**
 * The deterministic draw used for `probability` rules and for latency jitter: murmur3's 32-bit finaliser
 * (fmix32) applied to a mix of (seed, stream, counter), scaled to [0, 1). `stream` is the rule index, or
 * 0xFFFF for jitter. Documented in docs/sandbox.md so that any client's tests can predict it.
 */
export function faultDraw(seed: number, stream: number, counter: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(counter, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}

export const JITTER_STREAM = 0xffff;

export interface FaultRequest {
  method: string;
  /** Raw path after the `/api` prefix, without the query. */
  path: string;
  isListing: boolean;
}

/** Holds the active configuration and the per-rule counters. */
export class FaultEngine {
  #config: FaultConfig = EMPTY_FAULTS;
  #counts: number[] = [];
  #requests = 0;

  constructor(initial?: FaultConfig) {
    if (initial) this.replace(initial);
  }

  get config(): FaultConfig {
    return this.#config;
  }

  /** Replaces the whole configuration and resets the counters. */
  replace(config: FaultConfig): void {
    this.#config = config;
    this.#counts = config.rules.map(() => 0);
    this.#requests = 0;
  }

  /** Latency for the next faultable request: latencyMs plus a deterministic share of jitterMs. */
  nextLatencyMs(): number {
    this.#requests += 1;
    const { latencyMs, jitterMs, seed } = this.#config;
    if (jitterMs === 0) return latencyMs;
    return latencyMs + Math.floor(faultDraw(seed, JITTER_STREAM, this.#requests) * (jitterMs + 1));
  }

  /** Evaluates the rules in order; returns the first that fires. */
  evaluate(request: FaultRequest): FaultRule | null {
    const { rules, seed } = this.#config;
    for (let index = 0; index < rules.length; index += 1) {
      const rule = rules[index];
      if (rule === undefined || !matches(rule, request)) continue;
      const count = (this.#counts[index] ?? 0) + 1;
      this.#counts[index] = count;
      let fires: boolean;
      if (rule.every !== undefined) fires = count % rule.every === 0;
      else if (rule.probability !== undefined) fires = faultDraw(seed, index, count) < rule.probability;
      else fires = true;
      if (fires) return rule;
    }
    return null;
  }
}

function matches(rule: FaultRule, request: FaultRequest): boolean {
  if (rule.method !== undefined && rule.method !== request.method) return false;
  if (rule.kind === 'shortPage' && !request.isListing) return false;
  if (rule.pathPrefix !== undefined && !request.path.startsWith(rule.pathPrefix)) return false;
  // decisions.md 2.3: /appAuth is faulted only by a rule whose pathPrefix is /appAuth. A rule without
  // pathPrefix, or with a shorter one (`/`, `/app`), leaves it alone; the path must still start with
  // the prefix, so `/appAuthX` does not fault `/appAuth`.
  if (request.path.startsWith('/appAuth')) return rule.pathPrefix?.startsWith('/appAuth') === true;
  return true;
}
