/**
 * `ObjectStream`, what `container.stream()` returns: it must behave as the async generator it
 * replaced (lazy start, calls served in order, `return()`/`throw()` close the source, the count of
 * objects handed out reported once however the walk ends).
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { ObjectStream } from '../../../src/resources/object-stream.js';

interface Probe {
  opened: number;
  closed: boolean;
  ends: number[];
}

function source(pages: number[][], probe: Probe, failAfter?: number) {
  return async function* (): AsyncGenerator<number[]> {
    probe.opened += 1;
    try {
      for (let i = 0; i < pages.length; i += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        if (failAfter === i) throw new Error(`page ${i} failed`);
        yield pages[i] ?? [];
      }
    } finally {
      probe.closed = true;
    }
  };
}

function make(pages: number[][], failAfter?: number, signal?: AbortSignal) {
  const probe: Probe = { opened: 0, closed: false, ends: [] };
  const stream: AsyncGenerator<number, undefined> = new ObjectStream<number>(
    source(pages, probe, failAfter),
    (n) => probe.ends.push(n),
    signal,
  );
  return { stream, probe };
}

describe('ObjectStream', () => {
  it('yields every object of every page in order, skipping empty pages, and reports the count once', async () => {
    const { stream, probe } = make([[1, 2], [], [3], [4, 5, 6]]);
    assert.equal(probe.opened, 0, 'nothing starts before the first next()');
    const got: number[] = [];
    for await (const x of stream) got.push(x);
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(probe.ends, [6]);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    assert.deepEqual(probe.ends, [6]);
  });

  it('after a page boundary, hands out the rest of the page at once (the fast path is taken again)', async () => {
    const { stream } = make([[1, 2, 3]]);
    // The first call fetches the page: the slow path.
    assert.deepEqual(await stream.next(), { value: 1, done: false });
    // The next calls must each settle within one microtask turn: a stream still marked busy by the
    // first call would queue each behind the one before, several turns each, and never recover.
    for (const expected of [2, 3]) {
      let settled = false;
      const call = stream.next().then((r) => {
        settled = true;
        return r;
      });
      await Promise.resolve();
      await Promise.resolve();
      assert.equal(settled, true, `object ${expected} waited for more than one turn`);
      assert.deepEqual(await call, { value: expected, done: false });
    }
  });

  it('serves calls made without waiting in the order they were made', async () => {
    const { stream, probe } = make([[1], [2, 3]]);
    const results = await Promise.all([stream.next(), stream.next(), stream.next(), stream.next()]);
    assert.deepEqual(
      results.map((r): number | undefined => r.value),
      [1, 2, 3, undefined],
    );
    assert.deepEqual(
      results.map((r) => r.done),
      [false, false, false, true],
    );
    assert.deepEqual(probe.ends, [3]);
  });

  it('breaking out of the loop closes the source and reports what was handed out', async () => {
    const { stream, probe } = make([
      [1, 2, 3],
      [4, 5],
    ]);
    for await (const x of stream) if (x === 2) break;
    assert.equal(probe.closed, true);
    assert.deepEqual(probe.ends, [2]);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });

  it('an abort within a page ends the walk at the next call: AbortError, source closed, count reported', async () => {
    const controller = new AbortController();
    const { stream, probe } = make([[1, 2, 3], [4]], undefined, controller.signal);
    assert.deepEqual(await stream.next(), { value: 1, done: false });
    const reason = new Error('enough');
    controller.abort(reason);
    await assert.rejects(stream.next(), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'AbortError');
      assert.equal(e.message, 'The operation was aborted: enough');
      assert.equal(e.cause, reason);
      return true;
    });
    assert.equal(probe.closed, true, 'the source was closed (its windows aborted)');
    assert.deepEqual(probe.ends, [1]);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });

  it('an abort while a next() waits for the next page rejects that call too', async () => {
    const controller = new AbortController();
    const { stream, probe } = make([[1], [2, 3]], undefined, controller.signal);
    assert.deepEqual(await stream.next(), { value: 1, done: false });
    // Waits for the second page, which this source hands over whatever the signal does.
    const pending = stream.next();
    controller.abort(new Error('enough'));
    await assert.rejects(pending, { name: 'AbortError', message: 'The operation was aborted: enough' });
    assert.equal(probe.closed, true);
    assert.deepEqual(probe.ends, [1]);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });

  it('a signal that never fires changes nothing, and the walk lets go of its listener when it ends', async () => {
    const controller = new AbortController();
    const { stream, probe } = make([[1, 2], [3]], undefined, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'nothing before the start');
    const got: number[] = [];
    for await (const x of stream) {
      got.push(x);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    }
    assert.deepEqual(got, [1, 2, 3]);
    assert.deepEqual(probe.ends, [3]);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('return() before the first next() never opens the source and reports nothing', async () => {
    const { stream, probe } = make([[1]]);
    assert.deepEqual(await stream.return(undefined), { value: undefined, done: true });
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    assert.equal(probe.opened, 0);
    assert.deepEqual(probe.ends, []);
  });

  it('return(value) resolves { value, done: true } with the value given, as an async generator does', async () => {
    const { stream, probe } = make([[1, 2], [3]]);
    await stream.next();
    const returned = await (stream.return as (v: unknown) => Promise<unknown>)(42);
    assert.deepEqual(returned, { value: 42, done: true });
    assert.equal(probe.closed, true);
    async function* generator() {
      yield await Promise.resolve(1);
    }
    const reference = generator();
    await reference.next();
    assert.deepEqual(await (reference.return as (v: unknown) => Promise<unknown>)(42), returned);
  });

  it('throw() closes the source and rejects with the error; before the start it only rejects', async () => {
    const first = make([[1, 2], [3]]);
    await first.stream.next();
    const boom = new Error('boom');
    await assert.rejects(first.stream.throw(boom), (e) => e === boom);
    assert.equal(first.probe.closed, true);
    assert.deepEqual(first.probe.ends, [1]);
    assert.deepEqual(await first.stream.next(), { value: undefined, done: true });

    const second = make([[1]]);
    await assert.rejects(second.stream.throw(boom), (e) => e === boom);
    assert.equal(second.probe.opened, 0);
    assert.deepEqual(await second.stream.next(), { value: undefined, done: true });
  });

  it('a failing source rejects the next() that reaches it, once, then ends; the count is reported', async () => {
    const { stream, probe } = make([[1], [2], [3]], 1);
    assert.deepEqual(await stream.next(), { value: 1, done: false });
    await assert.rejects(stream.next(), /page 1 failed/);
    assert.deepEqual(probe.ends, [1]);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
  });
});
