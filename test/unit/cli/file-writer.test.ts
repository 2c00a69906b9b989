/** `--output`'s writer (src/cli/file-writer.ts): positional writes in flight, bounded, errors kept. */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { IN_FLIGHT_BYTES, PositionalWriter } from '../../../src/cli/file-writer.js';

describe('PositionalWriter', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-writer-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the chunks in order although several are in flight at once', async () => {
    const file = path.join(dir, 'ordered.txt');
    const fd = openSync(file, 'wx');
    const writer = new PositionalWriter(fd);
    const expected: string[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const line = `line ${i} ${'é'.repeat(i % 7)}\n`;
      expected.push(line);
      const wait = writer.write(Buffer.from(line));
      assert.equal(wait, undefined, 'small writes never wait');
    }
    await writer.drain();
    closeSync(fd);
    assert.equal(readFileSync(file, 'utf8'), expected.join(''));
  });

  it(`asks the caller to wait past ${IN_FLIGHT_BYTES} bytes in flight`, async () => {
    const fd = openSync(path.join(dir, 'bounded.bin'), 'wx');
    const writer = new PositionalWriter(fd);
    const chunk = Buffer.alloc(IN_FLIGHT_BYTES / 4, 0x61);
    const waits: (Promise<void> | undefined)[] = [];
    for (let i = 0; i < 6; i += 1) waits.push(writer.write(chunk));
    assert.deepEqual(
      waits.map((w) => w !== undefined),
      [false, false, false, false, true, true],
    );
    for (const wait of waits) if (wait !== undefined) await wait;
    await writer.drain();
    closeSync(fd);
    assert.equal(readFileSync(path.join(dir, 'bounded.bin')).length, 6 * chunk.length);
  });

  it('rejects the waits and every later write with the first error', async () => {
    // A file open for reading only: every write fails with EBADF.
    const fd = openSync(path.join(dir, 'ordered.txt'), 'r');
    const writer = new PositionalWriter(fd);
    assert.equal(writer.write(Buffer.from('lost\n')), undefined);
    await assert.rejects(writer.drain(), { code: 'EBADF' });
    await assert.rejects(writer.write(Buffer.from('more\n')) ?? Promise.resolve(), { code: 'EBADF' });
    closeSync(fd);
  });
});
