/**
 * `npm run demo` (README's first command): builds dist/ when stale, runs examples/demo.ts, which
 * imports `threatconnect` as users do, and walks through the seed page's sections; exit 0 within 30 s.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');

describe('npm run demo', () => {
  it('exits 0 with every section header, in order, in under 30 s', () => {
    const started = Date.now();
    const result = spawnSync('npm', ['run', '--silent', 'demo'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const headers = result.stdout.split('\n').filter((line) => line.startsWith('== '));
    assert.deepEqual(
      headers.map((h) => /^== (\d)\. /.exec(h)?.[1]),
      ['1', '2', '3', '4', '5', '6', '7'],
      result.stdout,
    );
    for (const words of [
      'API settings',
      'filtering',
      'Manual API calls',
      'Documents',
      'Output formats',
      'override',
      'Reporting',
    ]) {
      assert.ok(
        headers.some((h) => h.includes(words)),
        words,
      );
    }
    assert.match(result.stdout, /Demo done in/);
    // The demo itself: under 30 s even with a build before it on a busy machine is not promised.
    const seconds = Number(/Demo done in ([\d.]+) s/.exec(result.stdout)?.[1]);
    assert.ok(seconds < 30, `${seconds} s`);
    assert.ok(Date.now() - started < 120_000);
  });
});
