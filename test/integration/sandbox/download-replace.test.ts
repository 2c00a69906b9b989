/**
 * a document replaced (PUT upload) while a download of it is in flight. Chunks are read one at
 * a time, so the download could splice old and new bytes under the old Content-Length. It must fail
 * instead (the client sees the body end early), never deliver mixed content.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call, signHeaders } from '../../helpers/signer.js';

const SIZE = 8 * 1024 * 1024;

describe('review: document replaced during a download', () => {
  let sandbox: Sandbox;
  let documentId: number;
  before(async () => {
    sandbox = await withSandbox();
    const created = await call(sandbox, 'POST', '/v2/groups/documents', {
      body: JSON.stringify({ name: 'swap', fileName: 'swap.bin' }),
    });
    documentId = (created.json() as { data: { document: { id: number } } }).data.document.id;
    const uploaded = await call(sandbox, 'POST', `/v2/groups/documents/${documentId}/upload`, {
      body: Buffer.alloc(SIZE, 1),
      contentType: 'application/octet-stream',
    });
    assert.equal(uploaded.status, 201);
  });
  after(async () => {
    await sandbox.close();
  });

  it('ends the old download early rather than mixing old and new bytes', async () => {
    const base = new URL(sandbox.baseUrl);
    const path = `${base.pathname}/v2/groups/documents/${documentId}/download`;
    const headers = signHeaders(
      sandbox.accessId,
      sandbox.secretKey,
      'GET',
      path,
      Math.floor(Date.now() / 1000),
    );
    const outcome = await new Promise<{ received: Buffer; error: boolean }>((resolve) => {
      const chunks: Buffer[] = [];
      let replaced = false;
      const req = http.get({ host: base.hostname, port: base.port, path, headers, agent: false }, (res) => {
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (!replaced) {
            replaced = true;
            // Stop reading, replace the content with other bytes, then read on.
            res.pause();
            void call(sandbox, 'PUT', `/v2/groups/documents/${documentId}/upload`, {
              body: Buffer.alloc(SIZE, 2),
              contentType: 'application/octet-stream',
            }).then((put) => {
              assert.equal(put.status, 200);
              res.resume();
            });
          }
        });
        res.on('end', () => {
          resolve({ received: Buffer.concat(chunks), error: false });
        });
        res.on('error', () => {
          resolve({ received: Buffer.concat(chunks), error: true });
        });
        res.on('aborted', () => {
          resolve({ received: Buffer.concat(chunks), error: true });
        });
      });
      req.on('error', () => {
        resolve({ received: Buffer.concat(chunks), error: true });
      });
    });
    assert.equal(outcome.received.includes(2), false, 'no byte of the new content reached the old download');
    assert.equal(outcome.error || outcome.received.length < SIZE, true, 'the download was cut short');
    const fresh = await call(sandbox, 'GET', `/v2/groups/documents/${documentId}/download`);
    assert.equal(fresh.body.length, SIZE);
    assert.equal(
      fresh.body.every((b) => b === 2),
      true,
    );
  });
});
