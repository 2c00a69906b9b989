/**
 * Shared pieces of the client integration tests: the sandbox's admin endpoints (faults, request log,
 * activity log, clock), a recording client clock, request builders and a closed port.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { AbortError, type Clock, RequestObject } from '../../../src/index.js';
import type { FaultConfig, FaultRule, RequestLogEntry, Sandbox } from '../../../src/sandbox/index.js';
import { type RawResponse, call } from '../../helpers/signer.js';

export type { RequestLogEntry };

/**
 * The sandbox clock offsets set through {@link setServerClock}. Admin calls need auth too, so once
 * the offset exceeds the 300 s window they are signed with the shifted time.
 */
const offsets = new WeakMap<Sandbox, number>();

/** A signed call to `/_sandbox/<name>`, with a Timestamp on the sandbox's (shifted) clock. */
export function admin(sandbox: Sandbox, method: string, name: string, body?: unknown): Promise<RawResponse> {
  const timestamp = Math.floor(Date.now() / 1000) + (offsets.get(sandbox) ?? 0);
  return call(sandbox, method, `/_sandbox/${name}`, {
    timestamp,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
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
  offsets.set(sandbox, offsetSeconds);
}

/** Clears faults, both logs and the clock offset. */
export async function resetSandbox(sandbox: Sandbox): Promise<void> {
  await clearFaults(sandbox);
  await setServerClock(sandbox, 0);
  assert.equal((await admin(sandbox, 'DELETE', 'requests')).status, 200);
  assert.equal((await admin(sandbox, 'DELETE', 'activity')).status, 200);
}

/**
 * Polls the request log until `count` entries are there (the sandbox logs a request only when it
 * has finished with it, which for a stalled answer is after the client gave up).
 */
export async function waitForLog(
  sandbox: Sandbox,
  count: number,
  limitMs = 3000,
): Promise<RequestLogEntry[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const log = await requestLog(sandbox);
    if (log.length >= count || Date.now() > deadline) return log;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A client clock on real time whose sleeps are recorded and return at once. */
export interface RecordingClock extends Required<Clock> {
  /** Every wait the client asked for, in ms. */
  readonly sleeps: number[];
  /** Added to Date.now() by now(). */
  offsetMs: number;
}

export interface RecordingClockOptions {
  /** The jitter draw. @default 0.5 */
  random?: number;
  /** Runs inside each sleep (1-based count), before it resolves: to change faults between attempts. */
  onSleep?: (ms: number, count: number) => unknown;
  /** A fixed now(), instead of real time. */
  fixedNow?: number;
  /** Each sleep moves now() on by the time asked for (as a real wait would). */
  advanceOnSleep?: boolean;
}

export function recordingClock(options: RecordingClockOptions = {}): RecordingClock {
  const sleeps: number[] = [];
  const clock: RecordingClock = {
    sleeps,
    offsetMs: 0,
    now: () => (options.fixedNow ?? Date.now()) + clock.offsetMs,
    sleep: async (ms, signal) => {
      if (signal?.aborted === true) throw AbortError.fromSignal(signal);
      sleeps.push(ms);
      if (options.advanceOnSleep === true) clock.offsetMs += ms;
      await options.onSleep?.(ms, sleeps.length);
    },
    random: () => options.random ?? 0.5,
  };
  return clock;
}

/** A RequestObject for `method uri`, with an owner and a JSON body when given. */
export function request(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  uri: string,
  options: { owner?: string; body?: unknown } = {},
): RequestObject {
  const ro = new RequestObject().setHttpMethod(method).setRequestUri(uri);
  if (options.owner !== undefined) ro.setOwner(options.owner);
  if (options.body !== undefined) ro.setBody(JSON.stringify(options.body));
  return ro;
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `fn` and returns the error it threw (fails when it resolves). */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}
