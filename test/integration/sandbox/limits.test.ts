/**
 * Body limits and error shapes over real HTTP (decisions.md 2.4, issue 2 item 10): 413 for oversized
 * bodies, 400 for malformed JSON, 404 for unknown routes, and never HTML or a stack trace.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { NOT_FOUND, failure, failureBody } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call, signHeaders } from '../../helpers/signer.js';

const NOT_FORMED = 'The request was not properly formed';
const DOCUMENT_19 = Buffer.from('Example document #19 contents.\n');

/**
 * A signed request whose body goes out with `Transfer-Encoding: chunked` (no Content-Length), so the
 * server can only find the size by reading. `path` is the full wire path.
 */
function chunked(
  sandbox: Sandbox,
  method: string,
  pathAndQuery: string,
  parts: Buffer[],
  contentType: string,
): Promise<RawResponse> {
  const base = new URL(sandbox.baseUrl);
  const wirePath = `${base.pathname}${pathAndQuery}`;
  const headers = {
    ...signHeaders(sandbox.accessId, sandbox.secretKey, method, wirePath, Math.floor(Date.now() / 1000)),
    'Content-Type': contentType,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path: wirePath, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    // The server may answer and close before it has read everything: that is the point.
    req.on('error', () => {});
    for (const part of parts) req.write(part);
    req.end();
  });
}

/** A non-API request straight to the server's origin. */
function rawOrigin(sandbox: Sandbox, method: string, path: string): Promise<RawResponse> {
  const base = new URL(sandbox.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
          json: () => JSON.parse(text) as unknown,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes raw bytes to the server and resolves with everything it answers before closing. */
function rawSocket(sandbox: Sandbox, bytes: string): Promise<string> {
  const base = new URL(sandbox.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), base.hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

describe('sandbox body limits and error shapes', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ maxBodyBytes: 1024, maxUploadBytes: 2048 });
  });
  after(async () => {
    await sandbox.close();
  });

  const hostBody = (hostName: string, size: number): string => {
    const bare = JSON.stringify({ hostName, description: '' });
    return JSON.stringify({ hostName, description: 'x'.repeat(size - bare.length) });
  };
  const download19 = async (): Promise<Buffer> => {
    const r = await call(sandbox, 'GET', '/v2/groups/documents/19/download');
    assert.equal(r.status, 200);
    return r.body;
  };

  describe('JSON bodies over maxBodyBytes', () => {
    it('accepts a body of exactly the limit', async () => {
      const body = hostBody('at-limit.example.com', 1024);
      assert.equal(Buffer.byteLength(body), 1024);
      const r = await call(sandbox, 'POST', '/v2/indicators/hosts', { body });
      assert.equal(r.status, 201, r.text);
    });

    it('refuses a declared body one byte over with 413, writing nothing', async () => {
      const body = hostBody('over-limit.example.com', 1025);
      const r = await call(sandbox, 'POST', '/v2/indicators/hosts', { body });
      failure(r, 413, 'The request body is larger than the limit of 1024 bytes');
      assert.equal(r.headers.connection, 'close');
      failure(await call(sandbox, 'GET', '/v2/indicators/hosts/over-limit.example.com'), 404, NOT_FOUND);
    });

    it('refuses a chunked body that grows over the limit with 413', async () => {
      const body = Buffer.from(hostBody('chunked-over.example.com', 3000));
      const parts = [body.subarray(0, 700), body.subarray(700, 1400), body.subarray(1400)];
      const r = await chunked(sandbox, 'POST', '/v2/indicators/hosts', parts, 'application/json');
      failure(r, 413, 'The request body is larger than the limit of 1024 bytes');
      failure(await call(sandbox, 'GET', '/v2/indicators/hosts/chunked-over.example.com'), 404, NOT_FOUND);
    });

    it('applies the JSON limit to admin bodies too', async () => {
      const clock = (await call(sandbox, 'GET', '/_sandbox/clock')).json() as { now: number };
      const rules = Array.from({ length: 40 }, () => ({
        kind: 'status',
        status: 503,
        pathPrefix: '/v2/none',
      }));
      const r = await call(sandbox, 'POST', '/_sandbox/faults', {
        body: JSON.stringify({ rules }),
        timestamp: clock.now,
      });
      failure(r, 413, 'The request body is larger than the limit of 1024 bytes');
    });
  });

  describe('uploads over maxUploadBytes', () => {
    it('refuses a declared upload over the limit with 413 and keeps the old content', async () => {
      assert.deepEqual(await download19(), DOCUMENT_19);
      for (const method of ['POST', 'PUT']) {
        const r = await call(sandbox, method, '/v2/groups/documents/19/upload', {
          body: Buffer.alloc(2049, 7),
          contentType: 'application/octet-stream',
        });
        failure(r, 413, 'The request body is larger than the limit of 2048 bytes');
      }
      assert.deepEqual(await download19(), DOCUMENT_19);
    });

    it('refuses a chunked upload that grows over the limit and keeps the old content', async () => {
      const parts = [Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(1000, 3)];
      const r = await chunked(
        sandbox,
        'PUT',
        '/v2/groups/documents/19/upload',
        parts,
        'application/octet-stream',
      );
      failure(r, 413, 'The request body is larger than the limit of 2048 bytes');
      assert.deepEqual(await download19(), DOCUMENT_19);
    });

    it('accepts an upload of exactly the limit, larger than maxBodyBytes', async () => {
      const created = await call(sandbox, 'POST', '/v2/groups/documents?owner=Example%20Community', {
        body: JSON.stringify({ name: 'At the limit', fileName: 'limit.bin' }),
      });
      assert.equal(created.status, 201, created.text);
      const id = (created.json() as { data: { document: { id: number } } }).data.document.id;
      const content = Buffer.alloc(2048);
      for (let i = 0; i < content.length; i += 1) content[i] = i % 256;
      const upload = await call(sandbox, 'POST', `/v2/groups/documents/${id}/upload`, {
        body: content,
        contentType: 'application/octet-stream',
      });
      assert.equal(upload.status, 201, upload.text);
      const back = await call(sandbox, 'GET', `/v2/groups/documents/${id}/download`);
      assert.deepEqual(back.body, content);
    });
  });

  describe('malformed JSON', () => {
    for (const [what, body] of [
      ['a cut-off object', '{"hostName":'],
      ['an empty body', ''],
      ['a bare word', 'hostName'],
      ['a JSON array', '["bad.example.com"]'],
      ['JSON null', 'null'],
    ] as const) {
      it(`answers ${what} with 400 ${NOT_FORMED}`, async () => {
        const r = await call(sandbox, 'POST', '/v2/indicators/hosts', { body });
        failure(r, 400, NOT_FORMED);
      });
    }

    it('answers malformed JSON on a PUT with the same 400', async () => {
      const r = await call(sandbox, 'PUT', '/v2/groups/adversaries/5', { body: '{"name": "x",}' });
      failure(r, 400, NOT_FORMED);
    });
  });

  describe('unknown routes', () => {
    for (const [method, path] of [
      ['GET', '/v2/nothing'],
      ['GET', '/v2/indicators/hosts/www.badguy_014.com/nothing'],
      ['GET', '/v2/groups/nothing/5'],
      ['PATCH', '/v2/indicators'],
      ['GET', '/v3/indicators'],
      ['GET', '/nothing'],
    ] as const) {
      it(`${method} /api${path} answers 404 with the failure envelope and exactly application/json`, async () => {
        failure(await call(sandbox, method, path), 404, NOT_FOUND);
      });
    }

    it('a path outside /api answers 404 JSON without auth', async () => {
      for (const path of ['/', '/index.html', '/v2/indicators', '/apiv2']) {
        failure(await rawOrigin(sandbox, 'GET', path), 404, NOT_FOUND);
      }
    });
  });

  describe('no HTML and no stack traces', () => {
    const envelopeResponse = (statusLine: string, message: string): string => {
      const body = JSON.stringify(failureBody(message));
      return `HTTP/1.1 ${statusLine}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
    };

    it('answers a request Node cannot parse with a 400 failure envelope', async () => {
      const badHeader = 'GET /api/v2/owners HTTP/1.1\r\nHost: sandbox\r\nNot a header\r\n\r\n';
      assert.equal(await rawSocket(sandbox, badHeader), envelopeResponse('400 Bad Request', NOT_FORMED));
      assert.equal(
        await rawSocket(sandbox, 'NONSENSE\r\n\r\n'),
        envelopeResponse('400 Bad Request', NOT_FORMED),
      );
    });

    it('answers oversized headers with a 431 failure envelope', async () => {
      const big = `GET /api/v2/owners HTTP/1.1\r\nHost: sandbox\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
      assert.equal(
        await rawSocket(sandbox, big),
        envelopeResponse('431 Request Header Fields Too Large', 'The request headers are too large'),
      );
    });

    const limitMessage =
      'The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is 500';
    const cases: [string, string, string | undefined, number, string][] = [
      ['GET', '/v2/indicators/hosts/%E0%A4%A', undefined, 400, NOT_FORMED],
      ['GET', '/v2/indicators/hosts/%ZZ', undefined, 400, NOT_FORMED],
      ['GET', '/v2/indicators?resultLimit=%FF', undefined, 400, limitMessage],
      ['GET', '/v2/groups/adversaries/99999999999999999999', undefined, 404, NOT_FOUND],
      ['GET', '/v2/groups/adversaries/-1', undefined, 404, NOT_FOUND],
      ['POST', '/v2/indicators/nothing', '{}', 404, NOT_FOUND],
      ['POST', '/v2/indicators/hosts', '{"hostName": 42}', 400, 'The hostName for this Host is invalid'],
      [
        'POST',
        '/v2/indicators/addresses',
        '{"ip": "999.1.1.1"}',
        400,
        'Please enter a valid Address: 999.1.1.1',
      ],
      [
        'POST',
        '/v2/groups/adversaries',
        '{"name": {"nested": true}}',
        400,
        'The name for this Adversary is invalid',
      ],
      [
        'PUT',
        '/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community',
        '{"rating": "high"}',
        400,
        'The rating for this Indicator is invalid, please enter a number from 0 to 5: "high"',
      ],
      ['DELETE', '/v2/tags/%00', undefined, 404, NOT_FOUND],
      ['GET', '/v2/indicators?owner=%00', undefined, 403, 'The requested owner was not found'],
      ['GET', '/_sandbox/clock/extra', undefined, 404, NOT_FOUND],
    ];
    for (const [method, path, body, status, message] of cases) {
      it(`${method} ${path} answers ${status} with a JSON failure envelope`, async () => {
        const r = await call(sandbox, method, path, body === undefined ? {} : { body });
        failure(r, status, message);
        assert.doesNotMatch(r.text, /<html|<!DOCTYPE|\n\s+at |node:internal|\.ts:\d+/i);
      });
    }
  });
});
