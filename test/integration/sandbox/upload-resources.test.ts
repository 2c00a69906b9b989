/**
 * Uploads hold bounded resources (issue 7 §3): staged chunks of a refused or cut-off upload go at
 * once, uploads in progress are capped (503 with `Retry-After` beyond `maxConcurrentUploads`), a
 * `--db` file gives freed pages back instead of growing, and the chunks a killed process staged are
 * removed at the next start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { RequestObject, ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { admin, call, withSandbox } from '../../helpers/sandbox.js';
import { startSandboxProcess } from '../../helpers/sandbox-process.js';
import { type Target, signHeaders } from '../../helpers/signer.js';

const MiB = 1024 * 1024;
const DOCUMENT_19 = Buffer.from('Example document #19 contents.\n');
const dir = mkdtempSync(path.join(tmpdir(), 'tc-sandbox-uploads-'));

/** Polls `check` until it holds; a bound on the number of tries, never an assertion on time. */
async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i += 1) {
    if (await check()) return;
    await delay(20);
  }
  assert.fail(`gave up waiting for ${what}`);
}

/** Reads the sandbox's database file from a second connection, as another process could. */
function inspect<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const stagedRows = (dbPath: string): number =>
  inspect(dbPath, (db) => (db.prepare('SELECT COUNT(*) AS n FROM upload_chunks').get() as { n: number }).n);
const stagedUploads = (dbPath: string): number =>
  inspect(
    dbPath,
    (db) => (db.prepare('SELECT COUNT(DISTINCT upload_id) AS n FROM upload_chunks').get() as { n: number }).n,
  );

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A signed upload sent chunked, piece by piece, so that a test controls when it ends. */
function openUpload(target: Target, method: string, pathAndQuery: string) {
  const base = new URL(target.baseUrl);
  const wirePath = `${base.pathname}${pathAndQuery}`;
  const req = http.request({
    host: base.hostname,
    port: base.port,
    method,
    path: wirePath,
    agent: false,
    headers: {
      ...signHeaders(target.accessId, target.secretKey, method, wirePath, Math.floor(Date.now() / 1000)),
      'Content-Type': 'application/octet-stream',
    },
  });
  const answer = new Promise<Answer | Error>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
      });
      res.on('error', resolve);
    });
    req.on('error', resolve);
  });
  return {
    answer,
    /** Writes `megabytes` MiB of `fill`, resolving once the socket has taken them. */
    write: async (megabytes: number, fill = 1): Promise<void> => {
      for (let i = 0; i < megabytes; i += 1) {
        if (!req.write(Buffer.alloc(MiB, fill))) {
          await Promise.race([
            new Promise((resolve) => req.once('drain', resolve)),
            answer, // the server answered early (and no longer reads)
          ]);
        }
      }
    },
    end: (): void => {
      req.end();
    },
    abort: (): void => {
      req.destroy();
    },
  };
}

async function settled(answer: Promise<Answer | Error>): Promise<Answer> {
  const value = await answer;
  if (value instanceof Error) throw value;
  return value;
}

async function download19(sandbox: Target): Promise<Buffer> {
  const r = await call(sandbox, 'GET', '/v2/groups/documents/19/download');
  assert.equal(r.status, 200, r.text);
  return r.body;
}

function fileSize(dbPath: string): number {
  let total = 0;
  for (const file of [dbPath, `${dbPath}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL file at this moment
    }
  }
  return total;
}

describe('upload resources', () => {
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('staged chunks and upload slots', () => {
    const dbPath = path.join(dir, 'slots.db');
    let sandbox: Sandbox;

    it('starts a file sandbox with 2 upload slots and a 4 MiB upload limit', async () => {
      sandbox = await withSandbox({ dbPath, maxConcurrentUploads: 2, maxUploadBytes: 4 * MiB });
    });

    it('deletes the staged chunks of a refused upload before answering', async () => {
      const upload = openUpload(sandbox, 'PUT', '/v2/groups/documents/19/upload');
      await upload.write(6);
      upload.end();
      const answer = await settled(upload.answer);
      assert.equal(answer.status, 413, answer.text);
      assert.equal(stagedRows(dbPath), 0);
      assert.deepEqual(await download19(sandbox), DOCUMENT_19);
    });

    it('deletes the staged chunks of an upload the client cuts off', async () => {
      const upload = openUpload(sandbox, 'PUT', '/v2/groups/documents/19/upload');
      await upload.write(3);
      await waitFor(() => stagedRows(dbPath) > 0, 'staged chunks');
      upload.abort();
      await waitFor(() => stagedRows(dbPath) === 0, 'the staged chunks to go');
      assert.deepEqual(await download19(sandbox), DOCUMENT_19);
    });

    it('answers 503 with Retry-After beyond maxConcurrentUploads, and frees the slots', async () => {
      const first = openUpload(sandbox, 'PUT', '/v2/groups/documents/19/upload');
      const second = openUpload(sandbox, 'PUT', '/v2/groups/documents/19/upload');
      await Promise.all([first.write(2, 0x41), second.write(2, 0x42)]);
      await waitFor(() => stagedUploads(dbPath) === 2, 'both uploads to stage');

      const third = await call(sandbox, 'PUT', '/v2/groups/documents/19/upload', {
        body: Buffer.alloc(1000, 0x43),
        contentType: 'application/octet-stream',
      });
      assert.equal(third.status, 503, third.text);
      assert.equal(third.headers['retry-after'], '1');
      assert.deepEqual(third.json(), {
        status: 'Failure',
        message: 'Too many uploads in progress, retry later',
      });

      // The SDK retries a 503 after its Retry-After (decisions.md 1.6) and gets through once a slot
      // is free: the two uploads end as soon as its first attempt has been refused.
      const tc = new ThreatConnect({
        accessId: sandbox.accessId,
        secretKey: sandbox.secretKey,
        defaultOrg: sandbox.defaultOrg,
        baseUrl: sandbox.baseUrl,
        apiRetries: 5,
      });
      try {
        await admin(sandbox, 'DELETE', 'requests');
        const ro = new RequestObject()
          .setHttpMethod('PUT')
          .setRequestUri('/v2/groups/documents/19/upload')
          .setContentType('application/octet-stream')
          .setBody(DOCUMENT_19);
        const pending = tc.apiRequest(ro);
        const statuses = async (): Promise<(number | null)[]> =>
          (
            (await admin(sandbox, 'GET', 'requests')).json() as { requests: { status: number | null }[] }
          ).requests.map((r) => r.status);
        await waitFor(async () => (await statuses()).includes(503), 'the SDK to be refused');
        first.end();
        second.end();
        assert.equal((await settled(first.answer)).status, 200);
        assert.equal((await settled(second.answer)).status, 200);
        const response = await pending;
        assert.equal(response.status, 200, response.text());
        assert.deepEqual(await statuses(), [503, 200, 200, 200]);
      } finally {
        await tc.close();
      }
      assert.deepEqual(await download19(sandbox), DOCUMENT_19);
      assert.equal(stagedRows(dbPath), 0);
    });

    it('closes with no internal error', async () => {
      await sandbox.close();
    });
  });

  it('keeps a --db file bounded over upload, replace and refusal cycles', async () => {
    const dbPath = path.join(dir, 'cycles.db');
    const sandbox = await withSandbox({ dbPath, maxUploadBytes: 4 * MiB });
    try {
      const created = await call(sandbox, 'POST', '/v2/groups/documents?owner=Example%20Community', {
        body: JSON.stringify({ name: 'Cycles', fileName: 'cycles.bin' }),
      });
      assert.equal(created.status, 201, created.text);
      const id = (created.json() as { data: { document: { id: number } } }).data.document.id;
      const sizes: number[] = [];
      for (let cycle = 0; cycle < 6; cycle += 1) {
        const uploaded = await call(sandbox, 'PUT', `/v2/groups/documents/${id}/upload`, {
          body: Buffer.alloc(3 * MiB, cycle),
          contentType: 'application/octet-stream',
        });
        assert.equal(uploaded.status, 200, uploaded.text);
        const replaced = openUpload(sandbox, 'PUT', `/v2/groups/documents/${id}/upload`);
        await replaced.write(3, cycle + 1);
        replaced.end();
        assert.equal((await settled(replaced.answer)).status, 200);
        const refused = openUpload(sandbox, 'PUT', `/v2/groups/documents/${id}/upload`);
        await refused.write(6);
        refused.end();
        assert.equal((await settled(refused.answer)).status, 413);
        sizes.push(fileSize(dbPath));
        // Every freed page was given back: none waits on the free list.
        assert.equal(
          inspect(dbPath, (db) => db.pragma('freelist_count', { simple: true })),
          0,
        );
      }
      const first = sizes[0] ?? 0;
      for (const size of sizes) assert.ok(size <= first + MiB, `sizes ${sizes.join(', ')}`);
    } finally {
      await sandbox.close();
    }
    // Closed, the file holds the sample data and one 3 MiB document, plus the pages of its indexes.
    assert.ok(statSync(dbPath).size < 8 * MiB, `closed size ${statSync(dbPath).size}`);
    assert.equal(
      inspect(dbPath, (db) => db.pragma('auto_vacuum', { simple: true })),
      2,
    );
  });

  it('removes the chunks staged by a killed process at the next start', async () => {
    const dbPath = path.join(dir, 'killed.db');
    const child = await startSandboxProcess(['--db', dbPath]);
    const upload = openUpload(child, 'PUT', '/v2/groups/documents/19/upload');
    try {
      await upload.write(3);
      await waitFor(() => stagedRows(dbPath) > 0, 'staged chunks');
    } finally {
      await child.stop('SIGKILL');
      upload.abort();
    }
    assert.ok(stagedRows(dbPath) > 0, 'the killed process left staged chunks');
    const sandbox = await withSandbox({ dbPath });
    try {
      assert.equal(stagedRows(dbPath), 0);
      assert.deepEqual(await download19(sandbox), DOCUMENT_19);
    } finally {
      await sandbox.close();
    }
  });
});
