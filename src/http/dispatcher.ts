/**
 * The undici dispatcher of one transport: a keep-alive agent, or a proxy agent, with the client's TLS
 * settings and its connect timeout on every step of connecting.
 *
 * Behind a proxy, connecting is three steps: the TCP (or TLS) connection to the proxy, the proxy's
 * answer to `CONNECT`, and the TLS handshake with the API through the tunnel. Each is bounded by the
 * client's timeout. undici would bound the second by its 300 s headers timeout and the third by its
 * 10 s default, and an abort does not reach a request that is still waiting for its connection, so a
 * silent proxy held every attempt for five minutes whatever `apiRequestTimeout` said.
 */
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, errors, Pool, ProxyAgent } from 'undici';

/** How to reach the proxy. */
export interface ProxySettings {
  /** How to talk to the proxy itself. @default 'http' */
  scheme?: 'http' | 'https' | undefined;
  host: string;
  port: number;
  user?: string | undefined;
  password?: string | undefined;
}

/** What the dispatcher is built from. */
export interface DispatcherSettings {
  /** Connect timeout, in ms. */
  readonly timeoutMs: number;
  readonly proxy?: ProxySettings | undefined;
  readonly verifySsl: boolean;
  /** Extra trusted CA, PEM. */
  readonly caCertificate?: string | Buffer | undefined;
  /** Sockets per origin. */
  readonly connections?: number | undefined;
}

/**
 * The pool that sends `CONNECT` to the proxy. The proxy's answer is part of connecting: it is waited
 * for as long as the connect timeout, and a proxy that stays silent is a connect timeout (nothing
 * reached the API, so every method is retried).
 */
function tunnelPool(timeoutMs: number): (origin: URL, options: object) => Dispatcher {
  return (origin, options) => {
    const pool = new Pool(origin, { ...(options as Pool.Options), headersTimeout: timeoutMs });
    const original = pool.connect.bind(pool);
    const tunnel = async (request: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
      try {
        return await original(request);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'UND_ERR_HEADERS_TIMEOUT') throw error;
        const timeout = new errors.ConnectTimeoutError(
          `The proxy did not answer CONNECT within ${timeoutMs} ms`,
        );
        timeout.cause = error;
        throw timeout;
      }
    };
    // The proxy agent only ever awaits connect(request); the callback form is left as it was.
    pool.connect = ((request: Dispatcher.ConnectOptions, callback?: unknown) => {
      if (callback === undefined) return tunnel(request);
      original(request, callback as Parameters<typeof original>[1]);
      return undefined;
    }) as Dispatcher['connect'];
    return pool;
  };
}

/** The dispatcher for these settings. Two transports share nothing. */
export function createDispatcher(settings: DispatcherSettings): Dispatcher {
  const { timeoutMs } = settings;
  // Node's `ca` replaces the bundled CAs; a given CA is trusted besides them, not instead.
  const tls = {
    timeout: timeoutMs,
    rejectUnauthorized: settings.verifySsl,
    ...(settings.caCertificate === undefined ? {} : { ca: [...rootCertificates, settings.caCertificate] }),
  };
  const common = {
    connections: settings.connections ?? 32,
    keepAliveTimeout: 10_000,
    // A backstop only: the transport's own idle timer is the one that fires.
    headersTimeout: timeoutMs + 2000,
    bodyTimeout: timeoutMs + 2000,
  };
  if (settings.proxy === undefined) return new Agent({ ...common, connect: tls });
  const { scheme = 'http', host, port, user, password } = settings.proxy;
  const token =
    user === undefined
      ? undefined
      : `Basic ${Buffer.from(`${user}:${password ?? ''}`, 'utf8').toString('base64')}`;
  return new ProxyAgent({
    uri: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ...(token === undefined ? {} : { token }),
    ...common,
    clientFactory: tunnelPool(timeoutMs),
    // The TLS handshake with the API, through the tunnel.
    requestTls: tls,
    // The connection to the proxy itself.
    proxyTls: tls,
  });
}
