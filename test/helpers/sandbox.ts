/** Starts a sandbox for a test file and signs admin calls with the server's own clock. */
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { type CallOptions, type RawResponse, call } from './signer.js';

export async function withSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox(options);
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
