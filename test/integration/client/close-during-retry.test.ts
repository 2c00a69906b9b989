/**
 * `tc.close()` while a call waits between retries. The next attempt finds the client closed;
 * that is not "retries ran out" (decisions.md 1.3: RetryExhaustedError is for retries that ran out),
 * so the caller gets the closed-client error itself, not a RetryExhaustedError wrapping it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientClosedError, RetryExhaustedError } from '../../../src/index.js';
import { recordingClock, rejection, request, setRules, useSandboxClient } from './support.js';

describe('review: close() during a retry wait', () => {
  const fx = useSandboxClient({ resetEach: true });

  it('the call rejects with ClientClosedError', async () => {
    await setRules(fx.sandbox, { kind: 'status', status: 503 });
    let closing: Promise<void> | undefined;
    const clock = recordingClock({
      onSleep: () => {
        closing = tc.close();
        return closing;
      },
    });
    const tc = fx.client({ apiRetries: 3, clock });
    const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners')));
    await closing;
    assert.ok(!(error instanceof RetryExhaustedError), String(error));
    assert.ok(error instanceof ClientClosedError, String(error));
    assert.equal(error.code, 'TC_CLOSED');
    assert.equal(error.message, 'The client was closed while the request was in flight');
    assert.deepEqual(clock.sleeps.length, 1);
  });

  it('a transport failure after a retry is still a RetryExhaustedError', async () => {
    await setRules(fx.sandbox, { kind: 'reset' });
    const tc = fx.client({ apiRetries: 1, clock: recordingClock() });
    const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners')));
    assert.ok(error instanceof RetryExhaustedError, String(error));
    assert.equal(error.attempts.length, 2);
    // The last attempt's request, its signed headers shown redacted, as other errors show theirs.
    assert.equal(error.request?.method, 'GET');
    assert.match(error.request.headers.Authorization ?? '', /^TC [^:]+:\[REDACTED\]$/);
  });
});
