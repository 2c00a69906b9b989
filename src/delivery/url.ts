/**
 * The collector address of a syslog sink: `udp://host:port`, `tcp://host:port` or `tls://host:port`
 * (decisions.md 4). Without a port, the IANA ports apply: 514 (udp), 601 (tcp, RFC 3195/6587) and
 * 6514 (tls, RFC 5425). Anything else is a ConfigError naming the value.
 */
import { ConfigError } from '../core/errors.js';

/** The transports of a syslog URL's scheme. */
export type SyslogTransportName = 'udp' | 'tcp' | 'tls';

/** A parsed collector URL. */
export interface SyslogUrl {
  readonly transport: SyslogTransportName;
  /** Host name or IP address (an IPv6 address without its brackets). */
  readonly host: string;
  readonly port: number;
  /** `transport://host:port`, as messages show it. */
  readonly href: string;
}

/** The IANA port of each transport, used when the URL gives none. */
export const DEFAULT_PORTS: Readonly<Record<SyslogTransportName, number>> = {
  udp: 514,
  tcp: 601,
  tls: 6514,
};

const EXPECTED = 'must be udp://host:port, tcp://host:port or tls://host:port';

/** Parses a collector URL; throws ConfigError on a bad scheme, host or port, or extra parts. */
export function parseSyslogUrl(value: unknown, label = 'syslog URL'): SyslogUrl {
  if (typeof value !== 'string') {
    throw new ConfigError(`${label} ${EXPECTED}, got ${typeof value}`);
  }
  const shown = JSON.stringify(value);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) throw new ConfigError(`${label} ${EXPECTED}, got ${shown}`);
  if (scheme !== 'udp' && scheme !== 'tcp' && scheme !== 'tls') {
    throw new ConfigError(`${label} ${EXPECTED}: the scheme ${scheme}:// is not supported, got ${shown}`);
  }
  const rest = value.slice(scheme.length + 3).replace(/\/$/, '');
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^[\]/:@?#\s]+)(?::([^/]*))?$/.exec(rest);
  if (match === null) {
    throw new ConfigError(`${label} ${EXPECTED} (no user, path, query or fragment), got ${shown}`);
  }
  const rawHost = match[1] ?? '';
  const rawPort = match[2];
  let port = DEFAULT_PORTS[scheme];
  if (rawPort !== undefined) {
    port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigError(`${label} port must be an integer from 1 to 65535, got ${shown}`);
    }
  }
  const host = rawHost.replace(/^\[(.*)\]$/, '$1');
  return { transport: scheme, host, port, href: `${scheme}://${rawHost}:${port}` };
}
