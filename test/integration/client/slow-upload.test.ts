/**
 * A large upload that the server reads slowly is not cut off by the idle timeout while its bytes keep
 * flowing (the timeout is an idle timeout, decisions.md 1.2, for uploads too). The server here reads
 * 1 MiB, pauses, reads the next; the whole upload takes longer than the timeout several times over,
 * which the server proves by counting its pauses, not by a clock.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RequestObject, ThreatConnect } from '../../../src/index.js';

const TIMEOUT_S = 3;
const PAUSE_MS = 250;
const BODY_BYTES = 24 * 1024 * 1024;

describe('slow uploads', () => {
  let server: http.Server;
  let baseUrl: string;
  let pauses = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      let received = 0;
      let sinceLastPause = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        sinceLastPause += chunk.length;
        if (sinceLastPause >= 1024 * 1024) {
          sinceLastPause = 0;
          pauses += 1;
          req.pause();
          setTimeout(() => req.resume(), PAUSE_MS);
        }
      });
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'Success', data: { received } }));
      });
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a 24 MiB body read at a paced rate arrives whole although it takes longer than the timeout', async () => {
    const tc = new ThreatConnect({
      accessId: 'ID',
      secretKey: 'SECRET',
      defaultOrg: 'Example Org',
      baseUrl,
      apiRequestTimeout: TIMEOUT_S,
      apiRetries: 0,
    });
    try {
      const ro = new RequestObject()
        .setHttpMethod('POST')
        .setRequestUri('/v2/groups/documents/1/upload')
        .setContentType('application/octet-stream')
        .setBody(Buffer.alloc(BODY_BYTES, 7));
      const response = await tc.apiRequest(ro);
      assert.equal(response.status, 201);
      assert.deepEqual(response.json(), { status: 'Success', data: { received: BODY_BYTES } });
      // The server paused at least this long in all: well beyond the idle timeout.
      assert.ok(pauses * PAUSE_MS > 1.5 * TIMEOUT_S * 1000, `${pauses} pauses of ${PAUSE_MS} ms`);
    } finally {
      await tc.close();
    }
  });
});
