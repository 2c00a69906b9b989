/**
 * Sandboxes for tests: starting one, the admin endpoints (decisions.md 2.2) signed with the server's
 * own clock, and `useSandboxClient()`, the fixture of a test file that talks to a sandbox through
 * clients or signed requests (started in `before`, clients made on demand, everything closed in
 * `after`).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import type { ClientOptions, ThreatConnect } from '../../src/index.js';
import {
  type FaultConfig,
  type FaultRule,
  type RequestLogEntry,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.js';
import { clientFor } from './client.js';
import { type RawResponse, call } from './signer.js';

export { call };
export type { RequestLogEntry };

/** The base clock of each sandbox started here (the `clock` option, else real time). */
const serverClocks = new WeakMap<Sandbox, () => number>();
/** The clock offset of each sandbox, as last set through {@link admin}. */
const offsets = new WeakMap<Sandbox, number>();

/**
 * Starts a sandbox and remembers its clock, so that {@link admin} can sign with the server's time.
 * Its `close()` also asserts that it met no internal error: a sandbox bug answers 500, which a
 * client's retries or a lenient assertion could otherwise hide. Each such error was written to stderr
 * with its stack when it happened. A test that provokes one on purpose uses `startSandbox` instead.
 */
export async function withSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  if (options.clock !== undefined) serverClocks.set(sandbox, options.clock);
  const close = sandbox.close.bind(sandbox);
  sandbox.close = async () => {
    await close();
    assert.equal(
      sandbox.internalErrors,
      0,
      `the sandbox met ${sandbox.internalErrors} internal error(s); their stacks are on stderr`,
    );
  };
  return sandbox;
}

/** The sandbox's current time in epoch seconds: its base clock plus the offset set through admin calls. */
export function serverNow(sandbox: Sandbox): number {
  const base = serverClocks.get(sandbox) ?? Date.now;
  return Math.floor(base() / 1000) + (offsets.get(sandbox) ?? 0);
}

/**
 * A call to `/_sandbox/<name>`, signed with the sandbox's time (see {@link serverNow}). A successful
 * `POST clock` records the new offset, so later calls keep being accepted once it passes 300 s.
 */
export async function admin(
  sandbox: Sandbox,
  method: string,
  name: string,
  body?: unknown,
): Promise<RawResponse> {
  const r = await call(sandbox, method, `/_sandbox/${name}`, {
    timestamp: serverNow(sandbox),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (name === 'clock' && method === 'POST' && r.status === 200) {
    offsets.set(sandbox, (r.json() as { offsetSeconds: number }).offsetSeconds);
  }
  return r;
}

/** Replaces the sandbox's fault configuration. */
export async function setFaults(sandbox: Sandbox, config: Partial<FaultConfig>): Promise<void> {
  const r = await admin(sandbox, 'POST', 'faults', config);
  assert.equal(r.status, 200, r.text);
}

/** A configuration with these rules only. */
export function setRules(sandbox: Sandbox, ...rules: FaultRule[]): Promise<void> {
  return setFaults(sandbox, { rules });
}

export async function clearFaults(sandbox: Sandbox): Promise<void> {
  const r = await admin(sandbox, 'DELETE', 'faults');
  assert.equal(r.status, 200, r.text);
}

/** The request log (v2 and /appAuth requests, oldest first). */
export async function requestLog(sandbox: Sandbox): Promise<RequestLogEntry[]> {
  const r = await admin(sandbox, 'GET', 'requests');
  assert.equal(r.status, 200, r.text);
  return (r.json() as { requests: RequestLogEntry[] }).requests;
}

/** The activity log: requests that carried createActivityLog=true. */
export async function activityLog(sandbox: Sandbox): Promise<RequestLogEntry[]> {
  const r = await admin(sandbox, 'GET', 'activity');
  assert.equal(r.status, 200, r.text);
  return (r.json() as { requests: RequestLogEntry[] }).requests;
}

/** Sets the offset of the sandbox clock, in seconds. */
export async function setServerClock(sandbox: Sandbox, offsetSeconds: number): Promise<void> {
  const r = await admin(sandbox, 'POST', 'clock', { offsetSeconds });
  assert.equal(r.status, 200, r.text);
}

/** Clears faults, both logs and the clock offset. */
export async function resetSandbox(sandbox: Sandbox): Promise<void> {
  await clearFaults(sandbox);
  await setServerClock(sandbox, 0);
  assert.equal((await admin(sandbox, 'DELETE', 'requests')).status, 200);
  assert.equal((await admin(sandbox, 'DELETE', 'activity')).status, 200);
}

/**
 * Polls the request log until `count` entries are there, and returns it. The sandbox logs a request
 * when it has finished with it, which for a stalled answer is when the stall ends, after the client
 * gave up. The limit only ends a hung test (the caller's assertion then shows the short log); it is
 * far above what a slow machine needs, and nothing asserts how long the wait took.
 */
export async function waitForLog(
  sandbox: Sandbox,
  count: number,
  limitMs = 60_000,
): Promise<RequestLogEntry[]> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const log = await requestLog(sandbox);
    if (log.length >= count || performance.now() > deadline) return log;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SandboxClientOptions {
  /** Options of the sandbox started in `before`. */
  sandbox?: SandboxOptions;
  /** Defaults for every `client()` of the fixture, over those of {@link clientFor}. */
  client?: Partial<ClientOptions>;
  /** Clear faults, both logs and the clock offset before each test. @default false */
  resetEach?: boolean;
}

export interface SandboxClientFixture {
  /** The sandbox; it exists from the `before` hook on. */
  readonly sandbox: Sandbox;
  /** A client for the sandbox (fast retry waits, see {@link clientFor}), closed in `after`. */
  client(options?: Partial<ClientOptions>): ThreatConnect;
  /** Closes a client made otherwise in `after` too; returns it. */
  track(tc: ThreatConnect): ThreatConnect;
  /** A signed `GET` of `pathAndQuery` (`/v2/…`) straight to the sandbox, no client in between. */
  readonly get: (pathAndQuery: string) => Promise<RawResponse>;
}

/**
 * The usual setup of a test file (or `describe`) that talks to one sandbox through clients. Call it
 * at the top of a `describe` callback: it registers `before` (start the sandbox), `after` (close every
 * client it made, then the sandbox) and, with `resetEach`, a `beforeEach` that resets the sandbox.
 */
export function useSandboxClient(options: SandboxClientOptions = {}): SandboxClientFixture {
  let started: Sandbox | undefined;
  const clients: ThreatConnect[] = [];
  const fixture: SandboxClientFixture = {
    get sandbox(): Sandbox {
      if (started === undefined) throw new Error('the sandbox starts in before(): use it in a test or hook');
      return started;
    },
    client(clientOptions = {}) {
      return fixture.track(clientFor(fixture.sandbox, { ...options.client, ...clientOptions }));
    },
    track(tc) {
      clients.push(tc);
      return tc;
    },
    get: (pathAndQuery) => call(fixture.sandbox, 'GET', pathAndQuery),
  };
  before(async () => {
    started = await withSandbox(options.sandbox);
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((tc) => tc.close()));
    await started?.close();
  });
  if (options.resetEach === true) {
    beforeEach(async () => {
      await resetSandbox(fixture.sandbox);
    });
  }
  return fixture;
}
