/**
 * The request log is bounded in bytes (decisions.md 2.2, issue 7 §3): a target is cut to its first
 * 2,048 characters with `…` appended, so junk requests cannot fill memory (10,000 requests with 15 KB
 * targets used to keep 150 MB).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { LOG_CAPACITY, RequestLog, TARGET_LIMIT } from '../../../src/sandbox/request-log.js';
import { admin, call, withSandbox } from '../../helpers/sandbox.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A flat one-byte string of `length` characters, as Node makes a request target from bytes. */
function wireTarget(seq: number, length: number): string {
  const prefix = `/api/v2/owners?junk=${seq}&x=`;
  return Buffer.alloc(length, 0x61).fill(prefix, 0, prefix.length).toString('latin1');
}

const entry = (target: string) => ({
  method: 'GET',
  target,
  status: 401,
  accessId: null,
  time: new Date(0).toISOString(),
  fault: null,
});

describe('request log bounds', () => {
  it('cuts a target longer than 2,048 characters and appends …', () => {
    const log = new RequestLog();
    const long = wireTarget(1, 3000);
    const exact = wireTarget(2, TARGET_LIMIT);
    log.add(entry(long));
    log.add(entry(exact));
    const [first, second] = log.list();
    assert.ok(first && second);
    assert.equal(first.target, `${long.slice(0, TARGET_LIMIT)}…`);
    assert.equal(first.target.length, TARGET_LIMIT + 1);
    assert.equal(second.target, exact);
    // Text that does not fit in one byte a character is cut the same way.
    log.add(entry(`/api/v2/owners?q=${'é€'.repeat(1500)}`));
    assert.equal(log.list()[2]?.target, `${`/api/v2/owners?q=${'é€'.repeat(1500)}`.slice(0, TARGET_LIMIT)}…`);
    assert.deepEqual(
      log.list().map((e) => e.seq),
      [1, 2, 3],
    );
  });

  it('keeps the last 10,000 entries', () => {
    const log = new RequestLog();
    for (let i = 0; i < LOG_CAPACITY + 5; i += 1) log.add(entry(`/api/v2/owners?n=${i}`));
    const entries = log.list();
    assert.equal(entries.length, LOG_CAPACITY);
    assert.equal(entries[0]?.seq, 6);
    assert.equal(entries.at(-1)?.target, `/api/v2/owners?n=${LOG_CAPACITY + 4}`);
  });

  it('retains a bounded size for a full log of 15 KB targets', () => {
    const log = new RequestLog();
    const before = heapUsed();
    for (let i = 0; i < LOG_CAPACITY; i += 1) log.add(entry(wireTarget(i, 15_000)));
    const grown = heapUsed() - before;
    assert.equal(log.size, LOG_CAPACITY);
    // 2 KB of target plus the entry itself, per entry: about 22 MB. Whole 15 KB targets were 150 MB.
    assert.ok(grown < 40 * 1024 * 1024, `the full log retains ${(grown / 1024 / 1024).toFixed(1)} MB`);
    // Reading the log does not change what it keeps.
    assert.equal(log.list()[0]?.target.length, TARGET_LIMIT + 1);
  });

  describe('over HTTP', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await withSandbox();
    });
    after(async () => {
      await sandbox.close();
    });

    it('logs an unauthenticated request with a long target cut to 2,048 characters', async () => {
      const pathAndQuery = `/v2/owners?junk=${'j'.repeat(5000)}`;
      const r = await call(sandbox, 'GET', pathAndQuery, { unsigned: true });
      assert.equal(r.status, 401);
      const log = (await admin(sandbox, 'GET', 'requests')).json() as {
        requests: { target: string; status: number; accessId: string | null }[];
      };
      const last = log.requests.at(-1);
      assert.ok(last);
      assert.equal(last.target, `${`/api${pathAndQuery}`.slice(0, TARGET_LIMIT)}…`);
      assert.equal(last.status, 401);
      assert.equal(last.accessId, null);
    });
  });
});
