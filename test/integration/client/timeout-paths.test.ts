/**
 * Review of the connect and idle timeouts on the paths the other timeout tests do not take:
 * - a timeout of 10 s or more, where undici times the wait for the headers and the transport's own
 *   timer only the body: a body that stalls after the headers is an idle timeout, and a POST is not
 *   sent again (decisions.md 1.6);
 * - behind a proxy, every step of connecting (the proxy's answer to CONNECT, the TLS handshake through
 *   the tunnel) is bounded by `apiRequestTimeout`, not by undici's 300 s and 10 s defaults.
 *
 * The proxy tests assert the order of events at the silent peer, never a duration: the client must
 * give up (close its socket) before the peer does, which it does a few seconds after the timeout.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RequestObject, RetryExhaustedError, ThreatConnect, TimeoutError } from '../../../src/index.js';
import { type TestProxy, startProxy } from '../../helpers/proxy.js';
import { rejection } from './support.js';

/** How long a silent peer waits before it gives up on the client: far above the client's timeout. */
const PEER_PATIENCE_MS = 5000;

const post = (): RequestObject =>
  new RequestObject().setHttpMethod('POST').setRequestUri('/v2/groups/incidents').setBody('{}');

/** A TCP server that accepts and says nothing; it records who closed each connection first. */
interface SilentPeer {
  readonly port: number;
  readonly events: string[];
  /** The events once `count` connections have closed (each is closed by one side or the other). */
  closed(count: number): Promise<string[]>;
  close(): Promise<void>;
}

async function silentPeer(): Promise<SilentPeer> {
  const events: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Read (and drop) what comes, so that the client's end of the connection is seen.
    socket.resume();
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      events.push('peer gave up');
      socket.destroy();
    }, PEER_PATIENCE_MS);
    socket.on('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
      if (!gaveUp) events.push('client closed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    events,
    closed: async (count) => {
      // Bounded by the peer's own patience: by then every connection has closed, one way or the other.
      while (events.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
      return events;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

const client = (baseUrl: string, options: { timeout: number; proxy?: { host: string; port: number } }) =>
  new ThreatConnect({
    accessId: 'id',
    secretKey: 'not-a-real-secret',
    defaultOrg: 'Example Org',
    baseUrl,
    apiRequestTimeout: options.timeout,
    apiRetries: 1,
    apiSleep: 0,
    consoleLevel: 'off',
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
  });

describe('review: timeouts on the long-timeout and proxy paths', () => {
  let peer: SilentPeer;
  let proxy: TestProxy;
  before(async () => {
    peer = await silentPeer();
    proxy = await startProxy();
  });
  after(async () => {
    await peer.close();
    await proxy.close();
  });

  it('a timeout of 10 s: a POST whose body stalls after the headers is an idle TimeoutError, sent once', async () => {
    let received = 0;
    const server = http.createServer((req, res) => {
      received += 1;
      req.resume();
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '64' });
      res.write('{"status":');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const tc = client(`http://127.0.0.1:${port}/api`, { timeout: 10 });
    try {
      const error = await rejection(() => tc.apiRequest(post()));
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.phase, 'idle');
      assert.equal(error.message, 'No data from the server for 10000 ms');
      assert.equal(received, 1, 'the POST may have been processed: it is not sent again');
    } finally {
      await tc.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  });

  it('a proxy that never answers CONNECT: a connect TimeoutError, and the POST is tried again', async () => {
    peer.events.length = 0;
    const tc = client('http://127.0.0.1:9/api', {
      timeout: 0.3,
      proxy: { host: '127.0.0.1', port: peer.port },
    });
    // An abort does not reach an attempt that waits for its connection: if the peer loses patience
    // first, the attempt would wait on (undici's 300 s), so the test ends it by closing the client.
    void peer.closed(1).then(async ([first]) => {
      if (first === 'peer gave up') await tc.close();
    });
    try {
      const error = await rejection(() => tc.apiRequest(post()));
      assert.ok(error instanceof RetryExhaustedError, String(error));
      assert.ok(error.cause instanceof TimeoutError, String(error.cause));
      assert.equal(error.cause.phase, 'connect');
      assert.deepEqual(await peer.closed(2), ['client closed', 'client closed']);
    } finally {
      await tc.close();
    }
  });

  it('a TLS handshake through the proxy that hangs: the client gives up at its own timeout', async () => {
    peer.events.length = 0;
    proxy.reset();
    const tc = client(`https://127.0.0.1:${peer.port}/api`, {
      timeout: 0.3,
      proxy: { host: proxy.host, port: proxy.port },
    });
    try {
      const error = await rejection(() => tc.apiRequest(post()));
      assert.ok(error instanceof RetryExhaustedError, String(error));
      assert.ok(error.cause instanceof TimeoutError, String(error.cause));
      assert.equal(error.cause.phase, 'connect');
      assert.equal(proxy.connects, 2);
      // The proxy closes the tunnel's far end when the client closes its end.
      assert.deepEqual(await peer.closed(2), ['client closed', 'client closed']);
    } finally {
      await tc.close();
    }
  });
});
