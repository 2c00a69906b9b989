/**
 * How a client builds its connection pool and its authenticator from its settings: kept apart from
 * `client.ts`, which holds the public API.
 */
import { type Authenticator, createAuthenticator, createTokenRenewer } from './auth/index.js';
import type { ClientOptions, ResolvedConfig } from './core/config-types.js';
import { ConfigError } from './core/errors.js';
import { HttpTransport } from './http/transport.js';

/** A connection pool with the client's timeout, proxy and TLS settings. */
export function createClientTransport(config: ResolvedConfig): HttpTransport {
  return new HttpTransport({
    timeoutMs: config.apiRequestTimeoutMs,
    proxy: config.proxy && {
      scheme: config.proxy.scheme,
      host: config.proxy.host,
      port: config.proxy.port,
      user: config.proxy.user,
      password: config.proxy.password,
    },
    verifySsl: config.verifySsl,
    caCertificate: config.caCertificate,
  });
}

/** What the authenticator needs from its client. */
export interface ClientAuthDeps {
  readonly origin: string;
  readonly basePath: string;
  readonly config: () => ResolvedConfig;
  /** The client's current pool: `/appAuth` goes through it like every request. */
  readonly transport: () => HttpTransport;
  /** Fires when the client closes. */
  readonly closing: AbortSignal;
  readonly onRenewed: (apiToken: string) => void;
  readonly onFailed: (message: string) => void;
}

/** HMAC, or a token with its renewal through `/appAuth`. */
export function createClientAuthenticator(deps: ClientAuthDeps): Authenticator {
  const config = deps.config();
  return createAuthenticator(config.auth, {
    renewToken: createTokenRenewer({
      origin: deps.origin,
      basePath: deps.basePath,
      send: (request) => deps.transport().send(request),
      settings: deps.config,
      clock: config.clock,
      signal: () => deps.closing,
      onRenewed: deps.onRenewed,
      onFailed: deps.onFailed,
    }),
  });
}

/** The options of `new ThreatConnect(accessId, secretKey, defaultOrg, baseUrl)` or `new ThreatConnect({...})`. */
export function optionsFromArguments(args: readonly unknown[]): ClientOptions {
  if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) return args[0] as ClientOptions;
  if (args.length === 4) {
    const [accessId, secretKey, defaultOrg, baseUrl] = args;
    return { accessId, secretKey, defaultOrg, baseUrl } as ClientOptions;
  }
  throw new ConfigError(
    'ThreatConnect takes (accessId, secretKey, defaultOrg, baseUrl) or one options object, got ' +
      `${args.length} argument${args.length === 1 ? '' : 's'}`,
  );
}
