/**
 * setTclFile's folder creation: missing parents are made one level at a time, and a path under
 * `/proc`, where Node 20's recursive mkdir retries for ever (100% CPU, never returning), is refused
 * with a ConfigError. The call runs in a child process with a generous time limit, so that a hang
 * fails this test instead of the whole run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ThreatConnect } from '../../../src/index.js';

const root = path.resolve(import.meta.dirname, '../../..');

const client = () =>
  new ThreatConnect({
    accessId: '12345678901234567890',
    secretKey: 'a-secret-key-for-tests',
    defaultOrg: 'Example Org',
    baseUrl: 'https://api.example.test/api',
  });

describe('setTclFile folders', () => {
  it('creates every missing parent folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-log-folders-'));
    const tc = client();
    try {
      const file = path.join(dir, 'a', 'b', 'c', 'tc.log');
      tc.setTclFile(file, 'debug');
      assert.ok(existsSync(file));
      await tc.close();
      assert.equal(readFileSync(file, 'utf8'), '');
    } finally {
      await tc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a folder under /proc is a ConfigError, not a hang', {
    skip: !existsSync('/proc/self') && 'no /proc here',
  }, () => {
    const script = `
        import { ThreatConnect } from './src/index.ts';
        const tc = new ThreatConnect({ accessId: '12345678901234567890', secretKey: 'a-secret-key-for-tests',
          defaultOrg: 'Example Org', baseUrl: 'https://api.example.test/api' });
        try { tc.setTclFile('/proc/tc-no-such-folder/deeper/tc.log'); console.log('no error'); }
        catch (error) { console.log(error.name + ': ' + error.message); }
        await tc.close();`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.signal, null, 'the call did not return (killed after 60 s)');
    assert.equal(
      run.stdout.trim(),
      'ConfigError: `logFile` cannot be written: /proc/tc-no-such-folder/deeper/tc.log (ENOENT)',
      run.stderr,
    );
  });
});
