/**
 * Document contents over HTTP (rest-api-v2.md 7.4, decisions.md 2.4): create, upload (POST) and
 * replace (PUT) as octet-stream, byte-exact downloads of binary content and of a 50 MB file, and
 * signature downloads as text/plain.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { type Envelope, NOT_FOUND, failure, type Item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call, signHeaders } from '../../helpers/signer.js';

/** A single item; other keys of `data` are not checked (api.ts `item` checks them). */
function item(r: RawResponse, key: string, status = 200): Item {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/json');
  const body = r.json() as Envelope;
  assert.equal(body.status, 'Success');
  return body.data?.[key] as Item;
}

function octets(body: Buffer) {
  return { body, contentType: 'application/octet-stream' };
}

/** Downloads without holding the body: answers the status, headers, byte count and SHA-256. */
function streamedDownload(
  sandbox: Sandbox,
  path: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; size: number; sha256: string }> {
  const base = new URL(sandbox.baseUrl);
  const wirePath = `${base.pathname}${path}`;
  const headers = signHeaders(
    sandbox.accessId,
    sandbox.secretKey,
    'GET',
    wirePath,
    Math.floor(Date.now() / 1000),
  );
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path: wirePath, method: 'GET', headers, agent: false },
      (res) => {
        const hash = createHash('sha256');
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          hash.update(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, size, sha256: hash.digest('hex') });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('document contents', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  const createDocument = async (name: string, owner = 'Example%20Org'): Promise<Item> => {
    const r = await call(sandbox, 'POST', `/v2/groups/documents?owner=${owner}`, {
      body: JSON.stringify({ name, fileName: `${name}.bin` }),
    });
    const document = item(r, 'document', 201);
    assert.equal(document.fileSize, 0);
    assert.equal(document.status, 'Awaiting Upload');
    return document;
  };

  it('answers a download of a document without content with 404', async () => {
    const document = await createDocument('empty');
    failure(await call(sandbox, 'GET', `/v2/groups/documents/${document.id}/download`), 404, NOT_FOUND);
  });

  it('uploads all 256 byte values with POST and downloads them byte for byte', async () => {
    const document = await createDocument('bytes');
    const content = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7 + 3) % 256));
    assert.equal(new Set(content).size, 256);
    const up = await call(sandbox, 'POST', `/v2/groups/documents/${document.id}/upload`, octets(content));
    assert.equal(up.status, 201);
    assert.equal(up.headers['content-type'], 'application/json');
    assert.deepEqual(up.json(), { status: 'Success' });
    const down = await call(sandbox, 'GET', `/v2/groups/documents/${document.id}/download`);
    assert.equal(down.status, 200);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.equal(down.headers['content-length'], String(content.length));
    assert.deepEqual(down.body, content);
    const after = item(await call(sandbox, 'GET', `/v2/groups/documents/${document.id}`), 'document');
    assert.equal(after.fileSize, content.length);
    assert.equal(after.status, 'Success');
  });

  it('replaces the content with PUT (random bytes across chunk boundaries)', async () => {
    const document = await createDocument('replace');
    const first = randomBytes(3 * 1024 * 1024 + 17);
    assert.equal(
      (await call(sandbox, 'POST', `/v2/groups/documents/${document.id}/upload`, octets(first))).status,
      201,
    );
    assert.deepEqual(
      (await call(sandbox, 'GET', `/v2/groups/documents/${document.id}/download`)).body,
      first,
    );
    const second = randomBytes(1024 * 1024 - 1);
    const put = await call(sandbox, 'PUT', `/v2/groups/documents/${document.id}/upload`, octets(second));
    assert.equal(put.status, 200);
    assert.deepEqual(put.json(), { status: 'Success' });
    const down = await call(sandbox, 'GET', `/v2/groups/documents/${document.id}/download`);
    assert.equal(down.body.length, second.length);
    assert.ok(down.body.equals(second));
    assert.equal(
      item(await call(sandbox, 'GET', `/v2/groups/documents/${document.id}`), 'document').fileSize,
      second.length,
    );
  });

  it('takes an empty upload', async () => {
    const document = await createDocument('zero');
    const up = await call(
      sandbox,
      'PUT',
      `/v2/groups/documents/${document.id}/upload`,
      octets(Buffer.alloc(0)),
    );
    assert.equal(up.status, 200);
    const after = item(await call(sandbox, 'GET', `/v2/groups/documents/${document.id}`), 'document');
    assert.equal(after.fileSize, 0);
    assert.equal(after.status, 'Success');
  });

  it('round-trips a 50 MB file byte for byte, streamed', async () => {
    const document = await createDocument('large', 'Example%20Community');
    const size = 50 * 1024 * 1024 + 3;
    const content = randomBytes(size);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const up = await call(sandbox, 'POST', `/v2/groups/documents/${document.id}/upload`, octets(content));
    assert.equal(up.status, 201, up.text);
    const down = await streamedDownload(sandbox, `/v2/groups/documents/${document.id}/download`);
    assert.equal(down.status, 200);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.equal(down.headers['content-length'], String(size));
    assert.equal(down.size, size);
    assert.equal(down.sha256, sha256);
    const after = item(await call(sandbox, 'GET', `/v2/groups/documents/${document.id}`), 'document');
    assert.equal(after.fileSize, size);
  });

  it('refuses uploads to groups that have no content and to unknown ids', async () => {
    failure(
      await call(sandbox, 'POST', '/v2/groups/threats/38/upload', octets(Buffer.from('x'))),
      404,
      NOT_FOUND,
    );
    failure(
      await call(sandbox, 'POST', '/v2/groups/documents/999999/upload', octets(Buffer.from('x'))),
      404,
      NOT_FOUND,
    );
    failure(await call(sandbox, 'GET', '/v2/groups/threats/38/download'), 404, NOT_FOUND);
  });

  it('downloads signatures as text/plain', async () => {
    const sample = sampleData(0);
    for (const id of [805, 815, 825]) {
      const signature = sample.groups.find((g) => g.id === id);
      assert.equal(signature?.type, 'Signature');
      const r = await call(sandbox, 'GET', `/v2/groups/signatures/${id}/download`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'text/plain');
      assert.equal(r.text, signature.fileText);
    }
    const created = item(
      await call(sandbox, 'POST', '/v2/groups/signatures', {
        body: JSON.stringify({ name: 'Ü rule', fileName: 'u.yar', fileType: 'YARA', fileText: 'rule ü { }' }),
      }),
      'signature',
      201,
    );
    const r = await call(sandbox, 'GET', `/v2/groups/signatures/${created.id}/download`);
    assert.equal(r.headers['content-length'], String(Buffer.byteLength('rule ü { }')));
    assert.equal(r.text, 'rule ü { }');
  });
});

describe('document upload limit', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ maxUploadBytes: 1024 });
  });
  after(async () => {
    await sandbox.close();
  });

  it('refuses an upload over maxUploadBytes with 413 and keeps the old content', async () => {
    const old = Buffer.from('old content');
    const up = await call(sandbox, 'POST', '/v2/groups/documents/19/upload', octets(old));
    assert.equal(up.status, 201);
    const r = await call(sandbox, 'PUT', '/v2/groups/documents/19/upload', octets(Buffer.alloc(1025, 1)));
    failure(r, 413, 'The request body is larger than the limit of 1024 bytes');
    const down = await call(sandbox, 'GET', '/v2/groups/documents/19/download');
    assert.deepEqual(down.body, old);
    const exact = await call(sandbox, 'PUT', '/v2/groups/documents/19/upload', octets(Buffer.alloc(1024, 2)));
    assert.equal(exact.status, 200);
  });
});
