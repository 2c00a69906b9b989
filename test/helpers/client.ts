/**
 * A client for a test sandbox, with fast retry waits. The timeout is the SDK's default (30 s): a test
 * that wants one to fire sets its own, and a shorter one here could cut a 20 MB upload short on a
 * loaded machine (the idle timer is not re-armed while the request body goes out).
 */
import { type ClientOptions, ThreatConnect } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';

export function clientFor(sandbox: Sandbox, options: Partial<ClientOptions> = {}): ThreatConnect {
  return new ThreatConnect({
    accessId: sandbox.accessId,
    secretKey: sandbox.secretKey,
    defaultOrg: sandbox.defaultOrg,
    baseUrl: sandbox.baseUrl,
    apiSleep: 0.005,
    apiRequestTimeout: 30,
    ...(sandbox.caCertificate === undefined ? {} : { caCertificate: sandbox.caCertificate }),
    ...options,
  });
}

/** A client that is never asked to send anything: its base URL is a closed port (9, discard). */
export function unreachableClient(): ThreatConnect {
  return new ThreatConnect({
    accessId: 'a',
    secretKey: 'b',
    defaultOrg: 'Example Org',
    baseUrl: 'http://127.0.0.1:9/api',
  });
}
