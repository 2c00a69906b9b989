/**
 * A real HTTP proxy for tests (the `proxy` package), listening on 127.0.0.1 with a free port. It
 * records every CONNECT (tunnel) and every plain forwarded request, with the `Proxy-Authorization`
 * each one carried, so tests can tell which path a request took and how many attempts reached it.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';

export interface ProxiedRequest {
  /** `CONNECT` or the forwarded request's method. */
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL for a forwarded request. */
  readonly target: string;
  /** The `Proxy-Authorization` header as received, if any. */
  readonly authorization: string | undefined;
  /** Whether the proxy let it through (false: answered 407). */
  readonly allowed: boolean;
}

export interface TestProxy {
  readonly host: string;
  readonly port: number;
  /** Every request that reached the proxy, in order (tunnels and forwarded requests). */
  readonly log: readonly ProxiedRequest[];
  /** CONNECT requests seen. */
  readonly connects: number;
  /** Plain (forwarded) requests seen. */
  readonly requests: number;
  /** Forgets what was seen. */
  reset(): void;
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** Basic auth: when given, requests without these credentials get 407. */
  readonly user?: string;
  readonly password?: string;
  /** Serve the proxy itself over TLS with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** Starts a proxy on 127.0.0.1:0. */
export async function startProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const server = createProxy(options.tls ? https.createServer(options.tls) : http.createServer());
  const log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const expected =
    options.user === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`, 'utf8').toString('base64')}`;
  // Called once for every CONNECT and every forwarded request, before the proxy acts on it.
  server.authenticate = (req) => {
    const authorization = req.headers['proxy-authorization'];
    const allowed = expected === undefined || authorization === expected;
    log.push({
      method: req.method ?? '',
      target: req.url ?? '',
      authorization,
      allowed,
    });
    return allowed;
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get log() {
      return [...log];
    },
    get connects() {
      return log.filter((s) => s.method === 'CONNECT').length;
    },
    get requests() {
      return log.filter((s) => s.method !== 'CONNECT').length;
    },
    reset() {
      log.length = 0;
    },
    async close() {
      const closed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      // Tunnels are detached from the HTTP server: destroy every socket ourselves.
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
