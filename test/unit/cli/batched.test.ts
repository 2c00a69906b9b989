/** The listing commands' batched output (src/cli/batched.ts): large writes, idle flushes, errors kept. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BATCH_CHARS, batched } from '../../../src/cli/batched.js';
import type { Sink } from '../../../src/cli/output.js';

/** A sink that records its writes, each resolving at once (or failing with `fail`). */
function recordingSink(options: { fail?: Error } = {}) {
  const writes: string[] = [];
  const sink: Sink = {
    write: (chunk) => {
      writes.push(String(chunk));
      return options.fail === undefined ? Promise.resolve() : Promise.reject(options.fail);
    },
    commit: () => Promise.resolve(),
    abort: () => Promise.resolve(),
  };
  return { sink, writes };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('batched output', () => {
  it('keeps short lines and writes them together once the event loop is idle', async () => {
    const { sink, writes } = recordingSink();
    const out = batched(sink);
    assert.equal(out.add('a\n'), undefined);
    assert.equal(out.add('b\n'), undefined);
    assert.deepEqual(writes, []);
    await turn();
    assert.deepEqual(writes, ['a\nb\n']);
    await out.flush();
    assert.deepEqual(writes, ['a\nb\n'], 'nothing is left to write');
  });

  it(`writes at once, and returns the write to wait for, at ${BATCH_CHARS} characters`, async () => {
    const { sink, writes } = recordingSink();
    const out = batched(sink);
    const line = `${'x'.repeat(1023)}\n`;
    let waits = 0;
    for (let i = 0; i < 200; i += 1) {
      const wait = out.add(line);
      if (wait !== undefined) {
        waits += 1;
        await wait;
      }
    }
    await out.flush();
    assert.equal(waits, Math.floor((200 * 1024) / BATCH_CHARS));
    assert.equal(writes.join(''), line.repeat(200), 'every line once, in order');
    assert.ok(writes.slice(0, -1).every((w) => w.length === BATCH_CHARS));
  });

  it('keeps the order when lines come while an idle write is still in progress', async () => {
    const writes: string[] = [];
    let release: (() => void) | undefined;
    const sink: Sink = {
      write: (chunk) => {
        writes.push(String(chunk));
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      commit: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    };
    const out = batched(sink);
    assert.equal(out.add('1\n'), undefined);
    await turn();
    assert.deepEqual(writes, ['1\n']);
    // The first write has not finished: the next line waits for it, then goes out.
    const wait = out.add('2\n');
    assert.ok(wait !== undefined, 'a line behind an unfinished write waits for it');
    release?.();
    setImmediate(() => release?.());
    await wait;
    assert.deepEqual(writes, ['1\n', '2\n']);
  });

  it("reports an idle write's failure at the next flush", async () => {
    const failure = new Error('EPIPE: the reader went away');
    const { sink } = recordingSink({ fail: failure });
    const out = batched(sink);
    assert.equal(out.add('a\n'), undefined);
    await turn();
    await assert.rejects(out.flush(), failure);
  });
});
