/**
 * `stream({ signal })` over a listing whose first page holds an indicator of a type the SDK does not
 * build in (an ASN): the page's parse waits for the type table. An abort during that wait ends the
 * pending step with `AbortError` at once. Before, the read was made without the caller's signal, and
 * the step resolved with an object when the read ended, after the abort.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { requestLog, setRules, waitForLog, withSandbox } from '../../helpers/sandbox.js';

describe('stream(): an abort while a page waits for the type table', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 300 });
    tc = clientFor(sandbox, { apiResultLimit: 50 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  it('the pending step rejects with AbortError, not with an object once the read ends', async () => {
    // The type table is held far longer than any machine needs for the rest of the test.
    await setRules(sandbox, { kind: 'stall', ms: 120_000, pathPrefix: '/v2/types' });
    const controller = new AbortController();
    const stream = tc.indicators().stream({ signal: controller.signal });
    const logged = (await requestLog(sandbox)).length;
    const pending = stream.next();
    // The first page has been answered: its parse now waits for the type table (or is about to ask).
    const log = await waitForLog(sandbox, logged + 1);
    assert.match(log.at(-1)?.target ?? '', /^\/api\/v2\/indicators/);
    controller.abort(new Error('enough'));
    let timer: NodeJS.Timeout | undefined;
    // Bounded only so that a regression fails instead of hanging for the stall.
    const outcome = await Promise.race([
      pending.then(
        (r) => `resolved (done: ${String(r.done)})`,
        (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)),
      ),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => {
          resolve('still waiting after 60 s');
        }, 60_000);
      }),
    ]);
    clearTimeout(timer);
    assert.equal(outcome, 'AbortError: The operation was aborted: enough');
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });
});
