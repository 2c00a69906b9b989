/**
 * a client that goes away in the middle of a document download. The sandbox waited for
 * 'drain' on a socket that was gone, so the handler never finished: the request was never logged and
 * its chunk reader stayed alive for good.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { call, signHeaders } from '../../helpers/signer.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { resetSandbox, setRules, waitForLog } from '../client/support.js';

describe('review: sandbox download cut by the client', () => {
  let sandbox: Sandbox;
  let documentId: number;
  before(async () => {
    sandbox = await withSandbox();
    const created = await call(sandbox, 'POST', '/v2/groups/documents', {
      body: JSON.stringify({ name: 'big', fileName: 'big.bin' }),
    });
    assert.equal(created.status, 201, created.text);
    documentId = (created.json() as { data: { document: { id: number } } }).data.document.id;
    const uploaded = await call(sandbox, 'POST', `/v2/groups/documents/${documentId}/upload`, {
      body: Buffer.alloc(16 * 1024 * 1024, 7),
      contentType: 'application/octet-stream',
    });
    assert.equal(uploaded.status, 201, uploaded.text);
  });
  after(async () => {
    await sandbox.close();
  });

  /** Starts a download and destroys the connection after its first body bytes. */
  function cutDownload(): Promise<void> {
    const base = new URL(sandbox.baseUrl);
    const path = `${base.pathname}/v2/groups/documents/${documentId}/download`;
    const headers = signHeaders(
      sandbox.accessId,
      sandbox.secretKey,
      'GET',
      path,
      Math.floor(Date.now() / 1000),
    );
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: base.hostname, port: base.port, path, method: 'GET', headers, agent: false },
        (res) => {
          assert.equal(res.statusCode, 200);
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      req.end();
    });
  }

  for (const rule of [undefined, 'truncate'] as const) {
    it(`the request is finished and logged${rule === undefined ? '' : ` (with a ${rule} rule)`}`, async () => {
      await resetSandbox(sandbox);
      if (rule !== undefined) await setRules(sandbox, { kind: rule, pathPrefix: '/v2/groups/documents' });
      await cutDownload();
      const log = await waitForLog(sandbox, 1, 2000);
      assert.equal(log.length, 1, 'the cut download was never logged');
      assert.equal(log[0]?.method, 'GET');
      // The sandbox still answers afterwards.
      const owners = await call(sandbox, 'GET', '/v2/owners');
      assert.equal(owners.status, 200);
      await resetSandbox(sandbox);
    });
  }
});
