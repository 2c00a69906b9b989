/**
 * Messages a new user meets on the first mistakes (a user walk through README.md and docs/cli.md):
 * each names the problem and the way out, with the exit code of decisions.md 4.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInProcess } from './in-process.js';

describe('user walk: first mistakes', () => {
  it('an unknown sub-command of add or document lists the sub-commands (exit 2)', async () => {
    for (const [parent, known] of [
      ['add', ['indicator', 'group']],
      ['document', ['download', 'upload']],
    ] as const) {
      const result = await runInProcess([parent, 'frob']);
      assert.equal(result.code, 2, parent);
      assert.match(result.stderr, /^error: unknown command 'frob'\n/, parent);
      assert.ok(result.stderr.includes(`Usage: threatconnect ${parent} `), result.stderr);
      for (const name of known) assert.match(result.stderr, new RegExp(`\\n  ${name} `), `${parent} ${name}`);
      assert.equal(result.stdout, '');
    }
  });
});

describe('user walk: a secret given as a flag', () => {
  for (const [args, way] of [
    [['owners', '--secret-key', 'KEY-123'], 'the key in a file and give --secret-key-file FILE'],
    [['indicators', '--secret-key=KEY-123'], 'the key in a file and give --secret-key-file FILE'],
    [
      ['add', 'indicator', '1.2.3.4', '--api-token', 'KEY-123'],
      'the token in a file and give --api-token-file',
    ],
  ] as const) {
    it(`${args.join(' ')} names the flag that takes it (exit 2)`, async () => {
      const result = await runInProcess([...args]);
      assert.equal(result.code, 2);
      const first = result.stderr.split('\n')[0] ?? '';
      assert.match(first, /^error: unknown option '--/);
      assert.ok(first.includes(`(a secret is never a flag value: put ${way}`), first);
      assert.ok(!result.stderr.includes('KEY-123'), result.stderr);
      assert.match(result.stderr, /--help lists the options\)\n$/);
    });
  }
});

describe('user walk: a proxy that cannot be reached', () => {
  // Nothing listens on port 9: the proxy refuses the connection before any request reaches the API.
  const env = {
    TC_API_BASE_URL: 'http://tc.invalid/api',
    TC_API_ACCESS_ID: 'ID',
    TC_API_SECRET_KEY: 'SECRET',
    TC_API_DEFAULT_ORG: 'Example Org',
  };

  it('--proxy: the message names the proxy, without its password (exit 1)', async () => {
    const result = await runInProcess(
      ['owners', '--retries', '0', '--proxy', 'http://user:pw-123@127.0.0.1:9'],
      {
        env,
      },
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^threatconnect owners: cannot reach http:\/\/tc\.invalid\/api through the proxy 127\.0\.0\.1:9 \(--proxy\): /,
    );
    assert.ok(!result.stderr.includes('pw-123'), result.stderr);
    assert.equal(result.stderr.split('\n').length, 2, result.stderr);
  });

  it('http_proxy from the environment: the message says where the proxy came from', async () => {
    const result = await runInProcess(['indicators', '--retries', '0'], {
      env: { ...env, http_proxy: 'http://127.0.0.1:9' },
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^threatconnect indicators: cannot reach http:\/\/tc\.invalid\/api through the proxy 127\.0\.0\.1:9 \(from http_proxy\): /,
    );
  });
});
