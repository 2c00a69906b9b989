/**
 * The logger's field redaction, as found in the secrets review: pino's path redaction is
 * case-sensitive and stops two levels down, and the known-secret scrub ran only when the logger had
 * secrets. Fields named like a secret are now redacted in any case, at any depth, on every logger; and
 * secrets that a text shows by its form (`?access_token=…`, `TC-Token …`) are masked in messages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../../src/logging/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'tc-secrets-review-log-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SIG = 'QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=';

describe('secret fields and texts never reach the log', () => {
  it('redacts secret field names in any case and at any depth, with no secrets option', () => {
    const file = join(dir, 'fields.log');
    const log = createLogger({ consoleLevel: 'off', file: { path: file, level: 'debug' } });
    log.info('request', {
      headers: { AUTHORIZATION: `TC 1:${SIG}`, 'X-Api-Key': 'key-1', Timestamp: '1' },
      a: { b: { c: { authorization: `TC 1:${SIG}` } } },
      err: { request: { headers: { 'Proxy-Authorization': 'Basic cHJveHk6cHc=' } } },
      api_secret_key: 'key-2',
      accessToken: 'tok-1',
      list: [{ Password: 'pw-1' }],
      n: 1,
    });
    log.close();
    const text = readFileSync(file, 'utf8');
    for (const secret of [SIG, 'key-1', 'key-2', 'tok-1', 'pw-1', 'cHJveHk6cHc=']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    const record = JSON.parse(text.trim()) as Record<string, unknown>;
    assert.deepEqual(record.headers, {
      AUTHORIZATION: '[REDACTED]',
      'X-Api-Key': '[REDACTED]',
      Timestamp: '1',
    });
    assert.equal(record.n, 1);
  });

  it('masks secrets a message shows by its form, on the console and in the file', () => {
    const file = join(dir, 'text.log');
    const lines: string[] = [];
    const log = createLogger({
      consoleLevel: 'debug',
      consoleStream: { write: (t: string) => lines.push(t) },
      file: { path: file, level: 'debug' },
      secrets: () => ['s3cr3t:key'],
    });
    log.debug('GET http://h/api/v2/x?access_token=tok-2&owner=o -> 200');
    log.info('sent TC-Token tok-3, and the key as a URL has it: s3cr3t%3Akey');
    log.close();
    const all = readFileSync(file, 'utf8') + lines.join('');
    for (const secret of ['tok-2', 'tok-3', 's3cr3t%3Akey', 's3cr3t:key']) {
      assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
    }
    assert.match(lines[0] ?? '', /access_token=\[REDACTED\]&owner=o -> 200$/m);
  });
});
