/**
 * A local HTTP server standing in for the API, for answers the sandbox never gives (an object sent as
 * a one-item array, a 204), with a client pointed at it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ThreatConnect } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { clientFor } from './client.js';

export interface StubApi {
  readonly tc: ThreatConnect;
  close(): Promise<void>;
}

/** Starts a server that answers every request with `handle`, and a client of it. */
export async function startStubApi(handle: http.RequestListener): Promise<StubApi> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const tc = clientFor({
    baseUrl: `http://127.0.0.1:${port}/api`,
    accessId: 'ID',
    secretKey: 'SECRET',
    defaultOrg: 'Example Org',
  } as Sandbox);
  return {
    tc,
    close: async () => {
      await tc.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
