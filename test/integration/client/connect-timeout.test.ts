/**
 * A connection that hangs before the request is written (here: a TLS handshake that never completes)
 * is a connect timeout: nothing was sent, so it is retried for every method, POST included
 * (decisions.md 1.6). A server that stalls after receiving the request gives an idle timeout instead.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RequestObject, RetryExhaustedError, ThreatConnect, TimeoutError } from '../../../src/index.js';

describe('connect timeout vs idle timeout', () => {
  let server: net.Server;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  let port = 0;
  before(async () => {
    // Accepts TCP and never says anything: a TLS client waits for the handshake forever.
    server = net.createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  it('a hung TLS handshake is a connect TimeoutError and a POST is retried', async () => {
    connections = 0;
    const tc = new ThreatConnect({
      accessId: 'id',
      secretKey: 'secret',
      defaultOrg: 'Example Org',
      baseUrl: `https://127.0.0.1:${port}/api`,
      apiRequestTimeout: 0.2,
      apiRetries: 1,
      apiSleep: 0,
    });
    try {
      const ro = new RequestObject()
        .setHttpMethod('POST')
        .setRequestUri('/v2/groups/incidents')
        .setBody('{}');
      await assert.rejects(tc.apiRequest(ro), (error: unknown) => {
        assert.ok(error instanceof RetryExhaustedError, `got ${String(error)}`);
        assert.equal(error.attempts.length, 2);
        const cause = error.cause;
        assert.ok(cause instanceof TimeoutError);
        assert.equal(cause.phase, 'connect');
        assert.equal(cause.message, 'Connect timeout after 200 ms');
        return true;
      });
      assert.equal(connections, 2, 'the POST was attempted twice: nothing had been sent');
    } finally {
      await tc.close();
    }
  });
});
