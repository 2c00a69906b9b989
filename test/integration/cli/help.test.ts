/**
 * `--help` on every command (exit 0, usage on stdout), the program's command list, and a command
 * name that does not exist (exit 2). In-process: no server is needed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInProcess } from './in-process.js';

const COMMANDS = [
  ['indicators'],
  ['groups'],
  ['owners'],
  ['request'],
  ['document'],
  ['document', 'download'],
  ['document', 'upload'],
  ['add'],
  ['add', 'indicator'],
  ['add', 'group'],
  ['bulk'],
  ['batch'],
  ['sync'],
  ['sandbox'],
];

describe('threatconnect --help', () => {
  it('lists every command', async () => {
    const result = await runInProcess(['--help']);
    assert.equal(result.code, 0);
    for (const [name] of COMMANDS) assert.match(result.stdout, new RegExp(`\\n  ${name ?? ''} `), name);
  });

  it('every command has --help, exit 0, on stdout', async () => {
    for (const path of COMMANDS) {
      const result = await runInProcess([...path, '--help']);
      assert.equal(result.code, 0, path.join(' '));
      assert.equal(result.stderr, '', path.join(' '));
      assert.ok(result.stdout.startsWith(`Usage: threatconnect ${path.join(' ')} `), result.stdout);
    }
    const indicators = await runInProcess(['indicators', '--help']);
    for (const flag of [
      '--pf-threat-assess-confidence',
      '--task-id',
      '--secret-key-file',
      '--sandbox',
      '--report-json',
    ]) {
      assert.ok(indicators.stdout.includes(`  ${flag} `), flag);
    }
    assert.ok(!indicators.stdout.includes('--secret-key '), 'no flag takes the secret itself');
  });

  it('states each default once', async () => {
    for (const path of COMMANDS) {
      const result = await runInProcess([...path, '--help']);
      // Help lines wrap at 80 columns when stdout is not a terminal: join an option's lines first.
      const text = result.stdout.replace(/\n {3,}/g, ' ');
      for (const line of text.split('\n')) {
        assert.ok((line.match(/\(default\b/g) ?? []).length <= 1, `${path.join(' ')}: ${line}`);
      }
    }
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const result = await runInProcess(['indicator']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: unknown command 'indicator'\n\(Did you mean indicators\?\)/);
  });
});
