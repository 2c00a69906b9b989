/** A client for a test sandbox, with fast retry waits. */
import { type ClientOptions, ThreatConnect } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';

export function clientFor(sandbox: Sandbox, options: Partial<ClientOptions> = {}): ThreatConnect {
  return new ThreatConnect({
    accessId: sandbox.accessId,
    secretKey: sandbox.secretKey,
    defaultOrg: sandbox.defaultOrg,
    baseUrl: sandbox.baseUrl,
    apiSleep: 0.005,
    apiRequestTimeout: 5,
    ...(sandbox.caCertificate === undefined ? {} : { caCertificate: sandbox.caCertificate }),
    ...options,
  });
}
