/**
 * a setter that changes the transport (timeout, proxy, TLS) retires the old dispatcher. Its
 * in-flight requests must finish, but it must not be kept, with its keep-alive sockets, until
 * `tc.close()`: a long-running client that changes settings would hold every old pool.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClientClosedError, RequestObject, ThreatConnect } from '../../../src/index.js';

const owners = () => new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners');

describe('review: transport swap on a setter', () => {
  let server: http.Server;
  let baseUrl: string;
  const open = new Set<Socket>();
  let delayMs = 0;
  before(async () => {
    server = http.createServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"status":"Success","data":{"owner":[]}}');
      }, delayMs);
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () =>
    new ThreatConnect({ accessId: 'id', secretKey: 'key', defaultOrg: 'Example Org', baseUrl, apiSleep: 0 });

  async function openSockets(atMost: number): Promise<number> {
    for (let i = 0; i < 100 && open.size > atMost; i += 1) await new Promise((r) => setTimeout(r, 10));
    return open.size;
  }

  it('old dispatchers release their sockets once their requests are done', async () => {
    const tc = client();
    try {
      for (let i = 0; i < 6; i += 1) {
        tc.setApiRequestTimeout(5 + i);
        assert.equal((await tc.apiRequest(owners())).status, 200);
      }
      // Only the current dispatcher may keep a keep-alive socket.
      assert.equal(await openSockets(1), 1);
    } finally {
      await tc.close();
    }
  });

  it('a request in flight on the old dispatcher still completes after the swap', async () => {
    const tc = client();
    delayMs = 100;
    try {
      const pending = tc.apiRequest(owners());
      await new Promise((r) => setTimeout(r, 20));
      tc.setApiRequestTimeout(7);
      const [first, second] = await Promise.all([pending, tc.apiRequest(owners())]);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
    } finally {
      delayMs = 0;
      await tc.close();
    }
  });

  it('close() aborts the request in flight on a retired dispatcher and releases its sockets', async () => {
    const tc = client();
    delayMs = 100;
    try {
      const pending = tc.apiRequest(owners());
      pending.catch(() => undefined); // asserted below
      await new Promise((r) => setTimeout(r, 20));
      tc.setApiRequestTimeout(7);
      await tc.close();
      await assert.rejects(pending, ClientClosedError);
      assert.equal(await openSockets(0), 0);
    } finally {
      delayMs = 0;
    }
  });
});
