/** `--output`'s last step (src/cli/output.ts `replaceFile`): the new file in place, the old one kept on a failure. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { replaceFile } from '../../../src/cli/output.js';

describe('replaceFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-replace-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the new file in, over an existing one or not, and leaves nothing else', () => {
    const target = path.join(dir, 'a.cef');
    writeFileSync(path.join(dir, 'a.tmp'), 'first\n');
    replaceFile(path.join(dir, 'a.tmp'), target);
    assert.equal(readFileSync(target, 'utf8'), 'first\n');
    writeFileSync(path.join(dir, 'a.tmp'), 'second\n');
    replaceFile(path.join(dir, 'a.tmp'), target);
    assert.equal(readFileSync(target, 'utf8'), 'second\n');
    assert.deepEqual(readdirSync(dir), ['a.cef']);
  });

  it('puts the old file back when the new one cannot be moved in', () => {
    const target = path.join(dir, 'b.cef');
    writeFileSync(target, 'old\n');
    assert.throws(
      () => {
        replaceFile(path.join(dir, 'missing.tmp'), target);
      },
      { code: 'ENOENT' },
    );
    assert.equal(readFileSync(target, 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(dir).sort(), ['a.cef', 'b.cef']);
  });
});
