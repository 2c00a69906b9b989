/**
 * `sandbox.close()` ends the waits of stall and latency faults: an answer held by a stall must not keep
 * the process alive after close. Run in a child process that starts an in-process sandbox, sends a
 * request that a 10-minute stall holds, gives up on it, closes the client and the sandbox, and then
 * has nothing left to do: it must exit on its own. Before, the stall's timer kept it alive for the
 * rest of the 10 minutes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const CHILD = `
import { startSandbox } from './src/sandbox/index.ts';
import { RequestObject, ThreatConnect } from './src/index.ts';
import { setRules } from './test/helpers/sandbox.ts';
const sandbox = await startSandbox({ seedIndicators: 0 });
await setRules(sandbox, { kind: 'stall', ms: 600000, pathPrefix: '/v2/owners' });
const { baseUrl, accessId, secretKey, defaultOrg } = sandbox;
const tc = new ThreatConnect({ baseUrl, accessId, secretKey, defaultOrg });
const controller = new AbortController();
const call = tc.apiRequest(new RequestObject().setRequestUri('/v2/owners'), { signal: controller.signal })
  .then(() => 'answered', (e) => e.name);
// The request is answered by the handler at once and then held by the stall.
await new Promise((resolve) => setTimeout(resolve, 500));
controller.abort();
console.log('call', await call);
await tc.close();
await sandbox.close();
console.log('closed');
`;

describe('sandbox.close() and stalled answers', () => {
  it('a process whose sandbox held a stalled answer exits once the sandbox is closed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    let timer: NodeJS.Timeout | undefined;
    // Bounded only so that a regression fails instead of waiting out the 10-minute stall.
    const outcome = await Promise.race([
      once(child, 'exit').then(([code]) => `exited with ${String(code)}`),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => {
          resolve('still running 90 s after the start');
        }, 90_000);
      }),
    ]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
    assert.match(out, /call AbortError\nclosed\n/);
    assert.equal(outcome, 'exited with 0', out);
  });
});
