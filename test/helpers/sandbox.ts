/** Starts a sandbox for a test file and signs admin calls with the server's own clock. */
import assert from 'node:assert/strict';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { type CallOptions, type RawResponse, call } from './signer.js';

/**
 * Starts a sandbox whose `close()` also asserts that it met no internal error: a sandbox bug answers
 * 500, which a client's retries or a lenient assertion could otherwise hide. Each such error was
 * written to stderr with its stack when it happened. A test that provokes one on purpose starts its
 * sandbox with `startSandbox` instead.
 */
export async function withSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
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

/** A signed call to an admin endpoint (`/_sandbox/...`) using the timestamp the server expects. */
export async function admin(
  sandbox: Sandbox,
  method: string,
  name: string,
  body?: unknown,
): Promise<RawResponse> {
  const clock = await call(sandbox, 'GET', '/_sandbox/clock');
  const { now } = clock.json() as { now: number };
  const options: CallOptions = { timestamp: now };
  if (body !== undefined) options.body = JSON.stringify(body);
  return call(sandbox, method, `/_sandbox/${name}`, options);
}

export { call };
