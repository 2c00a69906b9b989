/**
 * An unexpected exception in a handler is never silent (issue 7 §3): the client gets 500 with the
 * failure envelope, stderr gets the error with its stack, and `sandbox.internalErrors` counts it, so
 * that the test helper can fail a test file whose sandbox met one. The exception is provoked the way
 * a user could meet one: a table of the `--db` file dropped behind the sandbox's back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startSandbox } from '../../../src/sandbox/index.js';
import { admin, call, withSandbox } from '../../helpers/sandbox.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tc-sandbox-internal-'));

/** Drops the victims table from a second connection, as a damaged database would lack it. */
function dropVictims(dbPath: string): void {
  const other = new Database(dbPath);
  try {
    other.exec('DROP TABLE victims');
  } finally {
    other.close();
  }
}

/** Runs `fn` while collecting (and holding back) what is written to stderr. */
async function captureStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  try {
    return { value: await fn(), stderr };
  } finally {
    process.stderr.write = original;
  }
}

describe('internal errors', () => {
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 500 with the failure envelope, writes the stack to stderr and counts it', async () => {
    const dbPath = path.join(dir, 'counted.db');
    const sandbox = await startSandbox({ dbPath });
    try {
      assert.equal(sandbox.internalErrors, 0);
      assert.equal((await call(sandbox, 'GET', '/v2/victims')).status, 200);
      dropVictims(dbPath);
      const { value: r, stderr } = await captureStderr(() => call(sandbox, 'GET', '/v2/victims'));
      assert.equal(r.status, 500);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json(), { status: 'Failure', message: 'An unknown error occurred' });
      assert.equal(sandbox.internalErrors, 1);
      assert.match(stderr, /internal error answering GET \/api\/v2\/victims\n/);
      assert.match(stderr, /no such table: victims/);
      // The stack, not only the message.
      assert.match(stderr, /\n\s+at /);
      // The request is logged with what the client saw, and the server goes on serving.
      const log = (await admin(sandbox, 'GET', 'requests')).json() as {
        requests: { target: string; status: number }[];
      };
      assert.equal(log.requests.at(-1)?.target, '/api/v2/victims');
      assert.equal(log.requests.at(-1)?.status, 500);
      assert.equal((await call(sandbox, 'GET', '/v2/owners')).status, 200);
      assert.equal(sandbox.internalErrors, 1);
    } finally {
      await sandbox.close();
    }
  });

  it('makes the test helper fail the sandbox that met one when it is closed', async () => {
    const dbPath = path.join(dir, 'helper.db');
    const sandbox = await withSandbox({ dbPath });
    dropVictims(dbPath);
    const { value: r } = await captureStderr(() => call(sandbox, 'GET', '/v2/victims'));
    assert.equal(r.status, 500);
    await assert.rejects(sandbox.close(), /the sandbox met 1 internal error\(s\)/);
  });
});
