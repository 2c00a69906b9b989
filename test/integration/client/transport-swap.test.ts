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
  /** While set, the server holds each answer until the test calls `release()`. */
  let held: { arrived: () => void; released: Promise<void> } | undefined;
  before(async () => {
    server = http.createServer((_req, res) => {
      const answer = () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"status":"Success","data":{"owner":[]}}');
      };
      if (held === undefined) {
        answer();
        return;
      }
      held.arrived();
      void held.released.then(answer);
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

  const client = (apiRequestTimeout?: number) =>
    new ThreatConnect({
      accessId: 'id',
      secretKey: 'key',
      defaultOrg: 'Example Org',
      baseUrl,
      apiSleep: 0,
      ...(apiRequestTimeout === undefined ? {} : { apiRequestTimeout }),
    });

  /**
   * Waits until at most `atMost` sockets are open (their close events come on later ticks), and
   * returns how many are. The limit only ends a hung test; nothing asserts how long this took.
   */
  async function openSockets(atMost: number): Promise<number> {
    const deadline = performance.now() + 30_000;
    while (open.size > atMost && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return open.size;
  }

  /** Holds the server's answers: resolves when the first held request has arrived. */
  function hold(): { arrived: Promise<void>; release: () => void } {
    let arrived: () => void = () => undefined;
    let release: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    held = { arrived, released };
    return {
      arrived: arrival,
      release: () => {
        held = undefined;
        release();
      },
    };
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
    const server = hold();
    try {
      const pending = tc.apiRequest(owners());
      // The server has the request: it is in flight on the first dispatcher when the setter swaps it.
      await server.arrived;
      tc.setApiRequestTimeout(7);
      const second = tc.apiRequest(owners());
      server.release();
      const [first, after] = await Promise.all([pending, second]);
      assert.equal(first.status, 200);
      assert.equal(after.status, 200);
    } finally {
      server.release();
      await tc.close();
    }
  });

  it('a streamed body keeps its retired dispatcher until it is read to the end, which then releases its socket', async () => {
    const tc = client();
    try {
      const response = await tc.apiRequest(owners(), { stream: true });
      tc.setApiRequestTimeout(7);
      // Another request, on the new dispatcher: two sockets now, the retired one held by the body.
      assert.equal((await tc.apiRequest(owners())).status, 200);
      assert.equal(open.size, 2);
      let text = '';
      for await (const chunk of response.body) text += String(chunk);
      assert.equal((JSON.parse(text) as { status: string }).status, 'Success');
      // The body closed: the retired dispatcher is destroyed, the current one keeps its socket.
      assert.equal(await openSockets(1), 1);
    } finally {
      await tc.close();
    }
  });

  // The request's own timeout is an hour and the server answers only in `finally`: close() returns
  // only if it ended the request itself. (It used to wait for the timeout: undici's close() of the
  // retired agent had made it forget its pools, so its destroy() reached none.) The test's timeout
  // only turns such a hang into a failure.
  it('close() aborts the request in flight on a retired dispatcher and releases its sockets', {
    timeout: 20_000,
  }, async () => {
    const tc = client(3600);
    const server = hold();
    try {
      const pending = tc.apiRequest(owners());
      pending.catch(() => undefined); // asserted below
      await server.arrived;
      tc.setApiRequestTimeout(7);
      await tc.close();
      await assert.rejects(pending, ClientClosedError);
      assert.equal(await openSockets(0), 0);
    } finally {
      server.release();
    }
  });
});
