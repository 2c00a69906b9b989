/**
 * a caller's long-lived AbortSignal used for many calls must not collect state per call.
 * Node 20's AbortSignal.any() keeps a reference to every combined signal in its sources, and never
 * prunes them, so a combined signal per attempt grows the caller's signal without bound.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { AbortError, RequestObject } from '../../../src/index.js';
import { rejection, setRules, useSandboxClient } from './support.js';

/** The size of Node's internal set of signals that depend on `signal` (0 when Node has none). */
function dependants(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find((s) => String(s).includes('Dependant'));
  // Node's internal SafeSet is not a `Set` instance: read its size.
  const set = key === undefined ? undefined : (signal as unknown as Record<symbol, { size?: unknown }>)[key];
  return typeof set?.size === 'number' ? set.size : 0;
}

const owners = () => new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners');

describe('review: a long-lived AbortSignal across many calls', () => {
  /** Resolves at the sandbox's next clock read, which it makes as it authenticates a request. */
  let arrived: () => void = () => undefined;
  const fx = useSandboxClient({
    sandbox: {
      clock: () => {
        arrived();
        return Date.now();
      },
    },
    resetEach: true,
  });

  for (const seconds of [1, 30]) {
    it(`with a ${seconds} s timeout, 40 calls leave no listener and no dependant on the signal`, async () => {
      const tc = fx.client({ apiRequestTimeout: seconds });
      const controller = new AbortController();
      for (let i = 0; i < 40; i += 1) {
        const response = await tc.apiRequest(owners(), { signal: controller.signal });
        assert.equal(response.status, 200);
      }
      const streamed = await tc.apiRequest(owners(), { signal: controller.signal, stream: true });
      streamed.body.resume();
      await new Promise((resolve) => streamed.body.once('close', resolve));
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
      assert.equal(dependants(controller.signal), 0);
    });
  }

  it('the signal still aborts a call in flight (short timeout)', async () => {
    await setRules(fx.sandbox, { kind: 'stall', ms: 1000 });
    const tc = fx.client({ apiRequestTimeout: 2 });
    const controller = new AbortController();
    const atServer = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const pending = rejection(() => tc.apiRequest(owners(), { signal: controller.signal }));
    // The sandbox has the request and holds its answer: the call is in flight.
    await atServer;
    arrived = () => undefined;
    controller.abort(new Error('stop'));
    const error = await pending;
    assert.ok(error instanceof AbortError, String(error));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });
});
