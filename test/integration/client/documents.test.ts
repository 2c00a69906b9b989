/**
 * The seed's document flow through `tc.apiRequest` (seed "Creating and Uploading Documents",
 * "Downloading Document Contents"; sdk-behaviour.md 5; python-sdk-observed.md 4.3): create with a
 * JSON POST, upload as application/octet-stream, download byte-exact, buffered and streamed, with a
 * 20 MB binary file.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { RequestObject, type ThreatConnect, ThreatConnectError } from '../../../src/index.js';
import { admin, useSandboxClient } from '../../helpers/sandbox.js';

const OWNER = 'Example Community';

interface DocumentEnvelope {
  status: string;
  data: { document: { id: number; name: string; fileName: string; owner: { name: string } } };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The seed's create request, line by line. */
function createRequest(name: string, fileName: string): RequestObject {
  const ro = new RequestObject();
  ro.setHttpMethod('POST');
  const body = { name, fileName };
  ro.setBody(JSON.stringify(body));
  ro.setContentType('application/json');
  ro.setOwner(OWNER);
  ro.setOwnerAllowed(true);
  ro.setResourcePagination(false);
  ro.setRequestUri('/v2/groups/documents');
  return ro;
}

/** The seed's upload request. */
function uploadRequest(documentId: number, body: string | Uint8Array, method = 'POST'): RequestObject {
  const ro = new RequestObject();
  ro.setHttpMethod(method);
  ro.setBody(body);
  ro.setContentType('application/octet-stream');
  ro.setOwner(OWNER);
  ro.setOwnerAllowed(true);
  ro.setResourcePagination(false);
  ro.setRequestUri('/v2/groups/documents/{0}/upload', [documentId]);
  return ro;
}

/** The seed's download request. */
function downloadRequest(documentId: number): RequestObject {
  const ro = new RequestObject();
  ro.setHttpMethod('GET');
  ro.setOwner(OWNER);
  ro.setOwnerAllowed(true);
  ro.setResourcePagination(false);
  ro.setRequestUri(`/v2/groups/documents/${documentId}/download`);
  return ro;
}

async function createDocument(tc: ThreatConnect, name: string, fileName: string): Promise<number> {
  const results = await tc.apiRequest(createRequest(name, fileName));
  assert.equal(results.status, 201, results.text());
  assert.equal(results.headers['content-type'], 'application/json');
  const data = results.json<DocumentEnvelope>();
  assert.equal(data.status, 'Success');
  assert.equal(data.data.document.name, name);
  assert.equal(data.data.document.fileName, fileName);
  assert.equal(data.data.document.owner.name, OWNER);
  return data.data.document.id;
}

async function streamDigest(body: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { size, sha256: hash.digest('hex') };
}

describe('documents through apiRequest', () => {
  const fx = useSandboxClient();
  let tc: ThreatConnect;
  before(() => {
    tc = fx.client();
  });

  it('downloads document 19 as the seed shows', async () => {
    const ro = downloadRequest(19);
    const results = await tc.apiRequest(ro);
    assert.equal(results.status, 200);
    assert.equal(results.headers['content-type'], 'application/octet-stream');
    const fileContents = results.content;
    assert.ok(Buffer.isBuffer(fileContents));
    assert.equal(fileContents.toString('utf8'), 'Example document #19 contents.\n');
    assert.equal(fileContents.length, 31);
    assert.equal(results.text(), 'Example document #19 contents.\n');
    // The path and query that went on the wire; the request object itself is not changed.
    assert.equal(ro.pathUrl, undefined);
    const { pathname, search } = new URL(results.url);
    assert.equal(
      pathname + search,
      '/api/v2/groups/documents/19/download?createActivityLog=false&owner=Example+Community',
    );
  });

  it('creates and uploads as the seed does, with the recorded wire requests', async () => {
    await admin(fx.sandbox, 'DELETE', 'requests');
    const ro = createRequest('Raw Upload Example', 'raw_example.txt');
    // The create body as Python's json.dumps wrote it is 61 bytes; JSON.stringify writes no spaces.
    assert.equal(
      ro.headers['Content-Length'],
      String(
        Buffer.byteLength(
          JSON.stringify({
            name: 'Raw Upload Example',
            fileName: 'raw_example.txt',
          }),
        ),
      ),
    );
    const results = await tc.apiRequest(ro);
    assert.equal(results.headers['content-type'], 'application/json');
    const data = results.json<DocumentEnvelope>();
    const documentId = data.data.document.id;

    const upload = uploadRequest(documentId, 'Raw upload example file Contents.');
    assert.deepEqual(upload.headers, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': '33',
    });
    const uploaded = await tc.apiRequest(upload);
    assert.equal(uploaded.status, 201);
    assert.equal(uploaded.statusCode, 201);

    const download = await tc.apiRequest(downloadRequest(documentId));
    assert.equal(download.status, 200);
    assert.equal(download.content.toString('utf8'), 'Raw upload example file Contents.');

    const log = (await admin(fx.sandbox, 'GET', 'requests')).json() as {
      requests: { method: string; target: string; status: number }[];
    };
    assert.deepEqual(
      log.requests.map((r) => `${r.method} ${r.target} ${r.status}`),
      [
        'POST /api/v2/groups/documents?createActivityLog=false&owner=Example+Community 201',
        `POST /api/v2/groups/documents/${documentId}/upload?createActivityLog=false&owner=Example+Community 201`,
        `GET /api/v2/groups/documents/${documentId}/download?createActivityLog=false&owner=Example+Community 200`,
      ],
    );
  });

  it('round-trips binary content with every byte value, and replaces it with PUT', async () => {
    const documentId = await createDocument(tc, 'Binary', 'binary.bin');
    const bytes = Buffer.alloc(256 * 3);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7) % 256;
    assert.equal((await tc.apiRequest(uploadRequest(documentId, bytes))).status, 201);
    assert.deepEqual((await tc.apiRequest(downloadRequest(documentId))).content, bytes);

    // A Uint8Array body (not a Buffer) and the original's replace-by-PUT.
    const replacement = new Uint8Array([0, 255, 13, 10, 0, 1, 0xc3, 0x28]);
    const put = await tc.apiRequest(uploadRequest(documentId, replacement, 'PUT'));
    assert.ok(put.ok, `PUT answered ${put.status}`);
    const again = await tc.apiRequest(downloadRequest(documentId));
    assert.deepEqual(new Uint8Array(again.content), replacement);
  });

  it('uploads a UTF-8 text body with its byte length', async () => {
    const documentId = await createDocument(tc, 'Unicode', 'unicode.txt');
    const text = 'Grüße, 東京 ✓ 🚀\n';
    const ro = uploadRequest(documentId, text);
    assert.equal(ro.headers['Content-Length'], String(Buffer.byteLength(text, 'utf8')));
    assert.equal((await tc.apiRequest(ro)).status, 201);
    const results = await tc.apiRequest(downloadRequest(documentId));
    assert.equal(results.text(), text);
  });

  it('round-trips a 20 MB binary file byte-exact, buffered and streamed', async () => {
    const size = 20 * 1024 * 1024;
    const file = randomBytes(size);
    const digest = sha256(file);
    const documentId = await createDocument(tc, '20 MB', 'big.bin');

    tc.reportEnable();
    const uploaded = await tc.apiRequest(uploadRequest(documentId, file));
    assert.equal(uploaded.status, 201, uploaded.text());

    // Buffered: results.content holds every byte.
    const results = await tc.apiRequest(downloadRequest(documentId));
    assert.equal(results.status, 200);
    assert.equal(results.headers['content-type'], 'application/octet-stream');
    assert.equal(results.headers['content-length'], String(size));
    assert.equal(results.content.length, size);
    assert.ok(results.content.equals(file), 'buffered download differs from the upload');

    // Streamed: response.body is a Readable; content is not available.
    const streamed = await tc.apiRequest(downloadRequest(documentId), { stream: true });
    assert.equal(streamed.status, 200);
    assert.ok(streamed.body instanceof Readable);
    assert.throws(
      () => streamed.content,
      (error: unknown) =>
        error instanceof ThreatConnectError &&
        error.code === 'TC_ERROR' &&
        error.message === 'This response is streamed: read `body` instead of `content`, `text()` or `json()`',
    );
    assert.deepEqual(await streamDigest(streamed.body), { size, sha256: digest });

    // The report counts the bytes both ways.
    const json = tc.report.toJSON() as { bytes: { sent: number; received: number } };
    assert.ok(json.bytes.sent >= size, `sent ${json.bytes.sent}`);
    assert.ok(json.bytes.received >= size, `received ${json.bytes.received}`);
    tc.reportDisable();
  });

  it('a streamed download of a missing document resolves with the buffered 404', async () => {
    const results = await tc.apiRequest(downloadRequest(708996), { stream: true });
    assert.equal(results.status, 404);
    assert.deepEqual(results.json(), { status: 'Failure', message: 'The requested resource was not found' });
    assert.throws(() => results.body, ThreatConnectError);
  });

  it('a buffered response has no stream', async () => {
    const results = await tc.apiRequest(downloadRequest(19));
    assert.throws(
      () => results.body,
      (error: unknown) =>
        error instanceof ThreatConnectError &&
        error.code === 'TC_ERROR' &&
        error.message === 'This response is buffered: read `content`, `text()` or `json()` instead of `body`',
    );
  });
});
