/**
 * Shared pieces of the client integration tests: request builders, a closed port and rejections.
 * The sandbox's admin endpoints and the fixture are in test/helpers/sandbox.ts, the recording client
 * clock in test/helpers/clock.ts; both are re-exported here for the tests of this folder.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { RequestObject } from '../../../src/index.js';
import type { RequestLogEntry } from '../../helpers/sandbox.js';

export {
  type RecordingClock,
  type RecordingClockOptions,
  recordingClock,
} from '../../helpers/clock.js';
export {
  type RequestLogEntry,
  activityLog,
  admin,
  clearFaults,
  requestLog,
  resetSandbox,
  setFaults,
  setRules,
  setServerClock,
  useSandboxClient,
  waitForLog,
} from '../../helpers/sandbox.js';

/** `[method, path, status]` of each logged request; the query is left out (it may hold a token). */
export function logSummary(log: readonly RequestLogEntry[]): [string, string | undefined, number | null][] {
  return log.map((e) => [e.method, e.target.split('?')[0], e.status]);
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
