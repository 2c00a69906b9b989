/**
 * Shared pieces of the resource-container tests: building filter objects from the oracle's models,
 * reading the sandbox's request log as v2 targets, and collecting ids.
 */
import type { ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { requestLog } from '../client/support.js';
import type { ApiFilterModel, ContainerModel, FilterModel } from './oracle.js';

export {
  admin,
  rejection,
  requestLog,
  resetSandbox,
  setRules,
  waitForLog,
} from '../client/support.js';

/** The v2 targets of the request log, without the base path: `/v2/tags/APT/indicators?...`. */
export async function targets(sandbox: Sandbox): Promise<string[]> {
  return (await requestLog(sandbox)).map((e) => e.target.replace(/^\/api/, ''));
}

/** A target split into its path and query parameters (in order). */
export function splitTarget(target: string): { path: string; params: [string, string][] } {
  const url = new URL(target, 'http://x');
  return { path: url.pathname.replace(/^\/api/, ''), params: [...url.searchParams.entries()] };
}

/** A container's ids, in iteration order. */
export function ids(container: Iterable<{ id: number }>): number[] {
  return [...container].map((x) => x.id);
}

/** What every container and filter object has, seen untyped (to apply models generically). */
interface AnyContainer {
  addFilter(type?: number): AnyFilter;
}
type AnyFilter = Record<string, (...args: unknown[]) => unknown> & {
  addOwner(owner: string | readonly string[]): unknown;
  addFilterOperator(op: string): unknown;
};

const INDICATOR_TYPES = {
  Address: 515,
  EmailAddress: 525,
  File: 535,
  Host: 545,
  URL: 555,
} as const;

/** The container of a model, on a client. */
export function containerOf(tc: ThreatConnect, c: ContainerModel) {
  switch (c.kind) {
    case 'indicators':
    case 'typedIndicators':
      return tc.indicators();
    case 'groupType': {
      const accessor = {
        Adversary: () => tc.adversaries(),
        Campaign: () => tc.campaigns(),
        Document: () => tc.documents(),
        Email: () => tc.emails(),
        Incident: () => tc.incidents(),
        Signature: () => tc.signatures(),
        Threat: () => tc.threats(),
      }[c.type];
      return accessor();
    }
    case 'groups':
      return tc.groups();
    case 'victims':
      return tc.victims();
    case 'tasks':
      return tc.tasks();
    case 'owners':
      return tc.owners();
  }
}

/** Adds a model's filter objects to a container (through the public methods, untyped). */
export function applyModels(container: object, c: ContainerModel, models: readonly FilterModel[]): void {
  const target = container as AnyContainer;
  for (const m of models) {
    const filter =
      c.kind === 'typedIndicators' ? target.addFilter(INDICATOR_TYPES[c.type]) : target.addFilter();
    if (m.owners.length > 0) filter.addOwner(m.owners);
    filter.addFilterOperator(m.operator);
    for (const api of m.api) applyApi(filter, api);
    for (const p of m.post) filter[p.name]?.(p.value, p.op);
  }
}

function applyApi(filter: AnyFilter, api: ApiFilterModel): void {
  const method = filter[api[0]];
  if (method === undefined) throw new Error(`no ${api[0]}`);
  method.call(filter, api[1]);
}
