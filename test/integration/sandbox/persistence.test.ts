/** Persistence across restarts with `dbPath` (issue 2 item 1, decisions.md 2.1). */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { call } from '../../helpers/signer.js';

interface Created {
  id: number;
  dateAdded: string;
}

async function indicatorTotal(sandbox: Sandbox): Promise<number> {
  const r = await call(sandbox, 'GET', '/v2/indicators?owner=Example%20Community&resultLimit=1');
  assert.equal(r.status, 200);
  return (r.json() as { data: { resultCount: number } }).data.resultCount;
}

/** Starts a sandbox and collects the warnings emitted while it starts. */
async function startCollecting(
  options: Parameters<typeof startSandbox>[0],
): Promise<{ sandbox: Sandbox; warnings: Error[] }> {
  const warnings: Error[] = [];
  const listener = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on('warning', listener);
  try {
    const sandbox = await startSandbox(options);
    // 'warning' is emitted on a later tick than emitWarning.
    await new Promise((resolve) => setImmediate(resolve));
    return { sandbox, warnings };
  } finally {
    process.off('warning', listener);
  }
}

describe('sandbox persistence with dbPath', () => {
  let dir: string;
  let dbPath: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-sandbox-persist-'));
    dbPath = path.join(dir, 'sandbox.sqlite');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps data, credentials and tokens across a restart, and never reseeds', async () => {
    const first = await startCollecting({ dbPath, seedIndicators: 30 });
    const one = first.sandbox;
    let created: Created;
    let total: number;
    try {
      assert.equal(one.seeded, true);
      assert.deepEqual(first.warnings, []);
      assert.ok(existsSync(dbPath));
      const r = await call(one, 'POST', '/v2/indicators/hosts?owner=Example%20Community', {
        body: JSON.stringify({ hostName: 'persisted.example.com', rating: 4, confidence: 77 }),
      });
      assert.equal(r.status, 201, r.text);
      created = (r.json() as { data: { host: Created } }).data.host;
      total = await indicatorTotal(one);
    } finally {
      await one.close();
    }

    const second = await startCollecting({ dbPath, seedIndicators: 500 });
    const two = second.sandbox;
    try {
      assert.equal(two.seeded, false);
      assert.equal(two.accessId, one.accessId);
      assert.equal(two.secretKey, one.secretKey);
      assert.deepEqual(two.restrictedUser, one.restrictedUser);
      assert.equal(two.defaultOrg, 'Example Org');
      assert.notEqual(new URL(two.baseUrl).port, '');

      const [warning] = second.warnings;
      assert.equal(second.warnings.length, 1);
      assert.equal((warning as Error & { code?: string }).code, 'TC_SANDBOX_REUSED');
      assert.equal(warning?.message, `Existing sandbox database ${dbPath} reused; seedIndicators ignored`);

      const r = await call(
        two,
        'GET',
        '/v2/indicators/hosts/persisted.example.com?owner=Example%20Community',
      );
      assert.equal(r.status, 200);
      const host = (r.json() as { data: { host: Created & { rating: number; confidence: number } } }).data
        .host;
      assert.equal(host.id, created.id);
      assert.equal(host.dateAdded, created.dateAdded);
      assert.equal(host.rating, 4);
      assert.equal(host.confidence, 77);
      assert.equal(await indicatorTotal(two), total);

      // A token issued by the first run is stored in the database and still valid.
      const byToken = await call(two, 'GET', '/v2/owners/mine', {
        unsigned: true,
        headers: { Authorization: `TC-Token ${one.apiToken}` },
      });
      assert.equal(byToken.status, 200);
    } finally {
      await two.close();
    }
  });

  it('uses given credentials on a restart, and emits no warning without seedIndicators', async () => {
    const third = await startCollecting({ dbPath, accessId: 'RESTARTED-ID', secretKey: 'restarted-secret' });
    const sandbox = third.sandbox;
    try {
      assert.equal(sandbox.seeded, false);
      assert.deepEqual(third.warnings, []);
      assert.equal(sandbox.accessId, 'RESTARTED-ID');
      assert.equal(sandbox.secretKey, 'restarted-secret');
      const r = await call(
        sandbox,
        'GET',
        '/v2/indicators/hosts/persisted.example.com?owner=Example%20Community',
      );
      assert.equal(r.status, 200);
    } finally {
      await sandbox.close();
    }
    const fourth = await startSandbox({ dbPath });
    try {
      assert.equal(fourth.accessId, 'RESTARTED-ID');
      assert.equal(fourth.secretKey, 'restarted-secret');
    } finally {
      await fourth.close();
    }
  });

  it('refuses a database of an older schema with a message that says what to do', async () => {
    const { default: Database } = await import('better-sqlite3');
    const oldPath = path.join(dir, 'schema1.sqlite');
    const db = new Database(oldPath);
    db.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schemaVersion', '1');" +
        'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, description TEXT);',
    );
    db.close();
    await assert.rejects(startSandbox({ dbPath: oldPath }), {
      name: 'SchemaVersionError',
      message:
        'The sandbox database has schema 1; this sandbox needs schema 2 (tags and security labels belong to an owner). Delete the file to have it seeded anew.',
    });
  });

  it('without dbPath, each start has fresh in-memory data and random credentials', async () => {
    const a = await startSandbox();
    const b = await startSandbox();
    try {
      assert.equal(a.seeded, true);
      assert.notEqual(a.accessId, b.accessId);
      assert.notEqual(a.secretKey, b.secretKey);
      const created = await call(a, 'POST', '/v2/indicators/hosts', {
        body: JSON.stringify({ hostName: 'memory-only.example.com' }),
      });
      assert.equal(created.status, 201);
      assert.equal((await call(b, 'GET', '/v2/indicators/hosts/memory-only.example.com')).status, 404);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
