/**
 * What real clients send and expect (issue 7 section 2, decisions.md 2.4): errors that keep the
 * connection, lenient string booleans, text values, and the smaller wire points.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { NOT_FOUND, failureBody } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, signHeaders } from '../../helpers/signer.js';

interface KeptResponse extends RawResponse {
  socket: Socket;
}

/** A signed request through `agent`, remembering the socket it went over. */
function viaAgent(
  sandbox: Sandbox,
  agent: http.Agent,
  method: string,
  pathAndQuery: string,
  options: { body?: string; accessId?: string; secretKey?: string } = {},
): Promise<KeptResponse> {
  const base = new URL(sandbox.baseUrl);
  const path = `${base.pathname}${pathAndQuery}`;
  const headers: Record<string, string> = signHeaders(
    options.accessId ?? sandbox.accessId,
    options.secretKey ?? sandbox.secretKey,
    method,
    path,
    Math.floor(Date.now() / 1000),
  );
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
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
            socket: req.socket as Socket,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('errors keep the connection (decisions.md 2.4)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('answers 404, 403, 400 and 401 without Connection: close, and the next request reuses the socket', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const restricted = sandbox.restrictedUser;
    try {
      const steps: [
        string,
        string,
        { body?: string; accessId?: string; secretKey?: string },
        number,
        string,
      ][] = [
        ['GET', '/v2/indicators/hosts/nowhere.example.net', {}, 404, NOT_FOUND],
        ['GET', '/v2/no/such/route', {}, 404, NOT_FOUND],
        ['GET', '/v2/indicators?owner=Example%20Community', restricted, 403, 'Access Denied'],
        [
          // Refused before the handler read the body: the small body is read and dropped.
          'POST',
          '/v2/indicators/hosts?owner=Example%20Community',
          { ...restricted, body: JSON.stringify({ hostName: 'kept.example.net' }) },
          403,
          'Access Denied',
        ],
        [
          'POST',
          '/v2/indicators/hosts',
          { body: '{"hostName":' },
          400,
          'The request was not properly formed',
        ],
        ['GET', '/v2/owners', { secretKey: 'wrong' }, 401, 'Signature data did not match expected result'],
        ['GET', '/_sandbox/clock', restricted, 403, 'Access Denied'],
      ];
      const sockets = new Set<Socket>();
      for (const [method, path, options, status, message] of steps) {
        const r = await viaAgent(sandbox, agent, method, path, options);
        assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
        assert.deepEqual(r.json(), failureBody(message));
        assert.notEqual(r.headers.connection, 'close', `${method} ${path}`);
        sockets.add(r.socket);
      }
      const ok = await viaAgent(sandbox, agent, 'GET', '/v2/owners/mine');
      assert.equal(ok.status, 200);
      sockets.add(ok.socket);
      assert.equal(sockets.size, 1, 'every request went over one connection');
      // The refused POST wrote nothing.
      const missing = await viaAgent(
        sandbox,
        agent,
        'GET',
        '/v2/indicators/hosts/kept.example.net?owner=Example%20Community',
      );
      assert.equal(missing.status, 404);
    } finally {
      agent.destroy();
    }
  });
});
