/**
 * One TCP or TLS connection to a collector, and how its failures read. A collector never answers on
 * a syslog connection, so anything it does on its own (closing, resetting, a TLS alert) means the
 * connection is lost; what was written to it and not acknowledged must be sent again.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ConnectionErrorKind } from '../core/errors.js';
import type { ResolvedSyslogOptions } from './options.js';
import type { SyslogFailureReason } from './result.js';

/** A failure of a connection: what the messages say, and whether trying again can help. */
export class LinkError extends Error {
  readonly kind: ConnectionErrorKind;
  readonly reason: SyslogFailureReason;
  /** Trying again cannot help (a certificate problem). */
  readonly fatal: boolean;

  constructor(
    message: string,
    options: { kind: ConnectionErrorKind; reason?: SyslogFailureReason; fatal?: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'LinkError';
    this.kind = options.kind;
    this.reason = options.reason ?? 'connection';
    this.fatal = options.fatal ?? false;
  }
}

/** The OpenSSL/Node codes of a collector certificate that is not trusted. */
const UNTRUSTED = /CERT|ISSUER|SIGNATURE|ALTNAME|HOSTNAME/;

/** Reads a socket error as a LinkError. */
export function linkError(error: unknown): LinkError {
  if (error instanceof LinkError) return error;
  const err = error as NodeJS.ErrnoException;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = err.message.split('\n')[0] ?? '';
  if (
    /^ERR_SSL_.*ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|ACCESS_DENIED)/.test(
      code,
    )
  ) {
    const alert = /alert ([a-z ]+)/.exec(message)?.[1] ?? code;
    return new LinkError(`the collector refused the client certificate (TLS alert: ${alert})`, {
      kind: 'tls',
      reason: 'client-certificate-refused',
      fatal: true,
      cause: error,
    });
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_OSSL_')) {
    return new LinkError(`TLS failed: ${message} (${code})`, {
      kind: 'tls',
      reason: 'tls',
      fatal: true,
      cause: error,
    });
  }
  if (code !== '' && UNTRUSTED.test(code)) {
    return new LinkError(`the collector's certificate is not trusted: ${message} (${code})`, {
      kind: 'tls',
      reason: 'untrusted-certificate',
      fatal: true,
      cause: error,
    });
  }
  const kind: ConnectionErrorKind =
    code === 'ECONNREFUSED'
      ? 'refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'dns'
        : code === 'ECONNRESET' || code === 'EPIPE'
          ? 'reset'
          : 'other';
  return new LinkError(message === '' ? code : message, { kind, cause: error });
}

/** An open connection, and the first sign of its loss. */
export interface Link {
  readonly socket: net.Socket;
  /** Tail messages written to this connection. */
  written: number;
  /** Set once the connection is lost (the collector closed or reset it, or a TLS alert came). */
  readonly lost: () => LinkError | undefined;
  /** Resolves when there is room to write again; rejects when the connection is lost or stalls. */
  drained(): Promise<void>;
  /**
   * Ends the connection and waits for the collector's end of it: resolves on a clean close (the
   * collector read everything), rejects on a reset, an alert or a timeout.
   */
  closeCleanly(): Promise<void>;
}

/**
 * What the TLS connections of one sink share: the secure context, built once (loading the system CAs
 * on every connection cost more than the rest of a TLS delivery). Sessions are not resumed: rsyslog's
 * OpenSSL driver answers a resumed session with a client certificate by an `internal error` alert
 * (docs/decisions.md, "Syslog delivery throughput").
 */
export interface TlsReuse {
  readonly context: tls.SecureContext;
}

/** The secure context of a sink's TLS options: the system CAs plus `ca`, and the client certificate. */
export function tlsReuse(options: ResolvedSyslogOptions): TlsReuse {
  const t = options.tls;
  const context = tls.createSecureContext({
    ...(t.ca === undefined ? {} : { ca: [...tls.rootCertificates, ...t.ca] }),
    ...(t.cert === undefined ? {} : { cert: t.cert }),
    ...(t.key === undefined ? {} : { key: t.key }),
  });
  return { context };
}

/** Opens a connection, TLS handshake included, within the timeout. */
export function openLink(options: ResolvedSyslogOptions, reuse: TlsReuse | undefined): Promise<Link> {
  const { host, port } = options.url;
  const timeoutMs = options.timeoutMs;
  let socket: net.Socket;
  if (options.url.transport === 'tls') {
    const t = options.tls;
    const shared = reuse ?? tlsReuse(options);
    socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) === 0 || t.servername !== undefined ? { servername: t.servername ?? host } : {}),
      secureContext: shared.context,
      rejectUnauthorized: !t.insecure,
    });
  } else {
    socket = net.connect({ host, port });
  }
  let lostError: LinkError | undefined;
  let closing = false;
  const waiters = new Set<(error: LinkError) => void>();
  const lose = (error: LinkError): void => {
    lostError ??= error;
    for (const waiter of waiters) waiter(lostError);
    waiters.clear();
  };
  socket.on('error', (error) => {
    lose(linkError(error));
  });
  socket.on('end', () => {
    if (!closing) lose(new LinkError('the collector closed the connection', { kind: 'reset' }));
  });
  socket.on('close', () => {
    if (!closing) lose(new LinkError('the connection closed', { kind: 'reset' }));
  });

  /** Waits for `event`, or the loss of the connection, or `timeoutMs` without it. */
  const until = (event: string, what: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (lostError !== undefined) {
        reject(lostError);
        return;
      }
      const timer = setTimeout(() => {
        done(new LinkError(`${what} took more than ${timeoutMs} ms`, { kind: 'timeout' }));
      }, timeoutMs);
      const onEvent = (): void => {
        done();
      };
      const done = (error?: LinkError): void => {
        clearTimeout(timer);
        socket.off(event, onEvent);
        waiters.delete(done);
        if (error === undefined) resolve();
        else reject(error);
      };
      socket.once(event, onEvent);
      waiters.add(done);
    });

  const link: Link = {
    socket,
    written: 0,
    lost: () => lostError,
    drained: () => until('drain', 'writing to the collector'),
    closeCleanly: async () => {
      if (lostError !== undefined) throw lostError;
      closing = true;
      const peer = { ended: false };
      socket.once('end', () => {
        peer.ended = true;
      });
      const closed = new Promise<boolean>((resolve) => socket.once('close', resolve));
      socket.end();
      const hadError = await Promise.race([
        closed,
        new Promise<never>((_, reject) => {
          waiters.add(reject);
          const timer = setTimeout(() => {
            reject(
              new LinkError(`the collector did not close the connection within ${timeoutMs} ms`, {
                kind: 'timeout',
              }),
            );
          }, timeoutMs);
          void closed.then(() => {
            clearTimeout(timer);
          });
        }),
      ]).finally(() => {
        socket.destroy();
      });
      const lostMeanwhile = link.lost();
      if (lostMeanwhile !== undefined) throw lostMeanwhile;
      if (hadError || !peer.ended) {
        throw new LinkError('the connection did not close cleanly', { kind: 'reset' });
      }
    },
  };

  return new Promise<Link>((resolve, reject) => {
    const ready = options.url.transport === 'tls' ? 'secureConnect' : 'connect';
    until(ready, 'connecting').then(
      () => {
        // A collector sends nothing; reading keeps its end of the connection (or an alert) visible.
        socket.resume();
        resolve(link);
      },
      (error: unknown) => {
        socket.destroy();
        reject(linkError(error));
      },
    );
  });
}
