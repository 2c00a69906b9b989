import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { abortableSleep, createRealClock, resolveClock } from '../../../src/core/clock.js';
import { AbortError } from '../../../src/core/errors.js';

describe('abortableSleep', () => {
  it('resolves after the time', async () => {
    // A lower bound on a deliberate wait cannot fail by slowness (timers may end a ms early).
    const start = performance.now();
    await abortableSleep(20);
    assert.ok(performance.now() - start >= 15);
  });

  it('treats a negative time as 0', async () => {
    await abortableSleep(-10);
  });

  it('rejects at once with AbortError when the signal has fired', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await assert.rejects(abortableSleep(60_000, controller.signal), (error: unknown) => {
      assert.ok(error instanceof AbortError);
      assert.equal(error.cause, reason);
      assert.equal(error.message, 'The operation was aborted: stop');
      return true;
    });
  });

  it('rejects with AbortError when the signal fires during the wait, long before its timer', async () => {
    const controller = new AbortController();
    let settled = false;
    const pending = abortableSleep(60_000, controller.signal).finally(() => {
      settled = true;
    });
    // The wait has begun and not ended: an abort on a later tick ends it, and not its 60 s timer
    // (which would make this test run into its own time limit).
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    controller.abort();
    await assert.rejects(pending, AbortError);
  });

  it('does not leave a listener behind, after a normal end or an abort', async () => {
    const controller = new AbortController();
    const pending = abortableSleep(1, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    await pending;
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    const other = new AbortController();
    const aborted = abortableSleep(60_000, other.signal);
    other.abort();
    await assert.rejects(aborted, AbortError);
    assert.equal(getEventListeners(other.signal, 'abort').length, 0);
  });
});

describe('clocks', () => {
  it('the real clock reads Date.now and Math.random', () => {
    const clock = createRealClock();
    const before = Date.now();
    const now = clock.now();
    assert.ok(now >= before && now <= Date.now());
    const r = clock.random();
    assert.ok(r >= 0 && r < 1);
  });

  it('resolveClock keeps the user members and fills the missing ones', async () => {
    const user = {
      t: 10,
      now() {
        return this.t;
      },
      random() {
        return this.t / 100;
      },
    };
    const clock = resolveClock(user);
    assert.equal(clock.now(), 10);
    assert.equal(clock.random(), 0.1);
    await clock.sleep(1);
    const slept: number[] = [];
    const withSleep = resolveClock({
      now: () => 0,
      sleep(ms) {
        slept.push(ms);
        return Promise.resolve();
      },
    });
    await withSleep.sleep(42);
    assert.deepEqual(slept, [42]);
    const r = withSleep.random();
    assert.ok(r >= 0 && r < 1);
    const before = Date.now();
    const now = resolveClock().now();
    assert.ok(now >= before && now <= Date.now());
  });
});
