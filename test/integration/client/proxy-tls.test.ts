/**
 * Proxies and TLS (issue 3 "Proxies", "TLS"; decisions.md 1.2, 1.3, 1.6): requests through a real local
 * proxy (the `proxy` package) with and without Basic auth, a 407 as a `ProxyAuthError` that is never
 * retried, the HTTPS sandbox through the proxy, and certificate checks on by default.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConnectionError,
  ProxyAuthError,
  RequestObject,
  type ThreatConnect,
  ThreatConnectError,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { createSelfSignedCertificate } from '../../../src/sandbox/tls.js';
import { clientFor } from '../../helpers/client.js';
import { type TestProxy, startProxy } from '../../helpers/proxy.js';
import { admin, withSandbox } from '../../helpers/sandbox.js';

const USER = 'proxy_user';
const PASSWORD = 'p@ss:word#123';

function mine(): RequestObject {
  return new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners/mine');
}

function ownerName(body: unknown): unknown {
  return (body as { data?: { owner?: { name?: unknown } } }).data?.owner?.name;
}

/** host:port of a sandbox, as a CONNECT request names it. */
function authority(sandbox: Sandbox): string {
  return new URL(sandbox.baseUrl).host;
}

async function requestLog(sandbox: Sandbox): Promise<{ method: string; target: string; status: number }[]> {
  const r = await admin(sandbox, 'GET', 'requests');
  return (r.json() as { requests: { method: string; target: string; status: number }[] }).requests;
}

async function withClient<T>(client: ThreatConnect, run: (tc: ThreatConnect) => Promise<T>): Promise<T> {
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

describe('client through an HTTP proxy', () => {
  let sandbox: Sandbox;
  let https: Sandbox;
  let open: TestProxy;
  let guarded: TestProxy;
  /** A CA that did not sign the sandbox's certificate. */
  let otherCa: string;
  before(async () => {
    [sandbox, https, open, guarded, otherCa] = await Promise.all([
      withSandbox(),
      withSandbox({ https: true }),
      startProxy(),
      startProxy({ user: USER, password: PASSWORD }),
      createSelfSignedCertificate('127.0.0.1').then((c) => c.cert),
    ]);
  });
  after(async () => {
    await Promise.all([sandbox.close(), https.close(), open.close(), guarded.close()]);
  });

  it('setProxies(host, port) sends every request through the proxy', async () => {
    open.reset();
    await admin(sandbox, 'DELETE', 'requests');
    await withClient(clientFor(sandbox), async (tc) => {
      tc.setProxies(open.host, open.port);
      const first = await tc.apiRequest(mine());
      const second = await tc.apiRequest(mine());
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assert.equal(ownerName(first.json()), 'Example Org');
    });
    // undici tunnels through CONNECT even to an http:// target, and keeps tunnels alive (its pool may
    // open a second one for the request that follows the first).
    assert.ok(open.connects >= 1 && open.connects <= 2, JSON.stringify(open.log));
    for (const entry of open.log) {
      assert.deepEqual(entry, {
        method: 'CONNECT',
        target: authority(sandbox),
        authorization: undefined,
        allowed: true,
      });
    }
    const log = await requestLog(sandbox);
    assert.deepEqual(
      log.map((e) => `${e.method} ${e.target} ${e.status}`),
      [
        'GET /api/v2/owners/mine?createActivityLog=false 200',
        'GET /api/v2/owners/mine?createActivityLog=false 200',
      ],
    );
  });

  it('without setProxies the proxy sees nothing', async () => {
    open.reset();
    await withClient(clientFor(sandbox), async (tc) => {
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
    assert.equal(open.log.length, 0);
  });

  it('the proxy option of the constructor works like setProxies', async () => {
    open.reset();
    await withClient(clientFor(sandbox, { proxy: { host: open.host, port: open.port } }), async (tc) => {
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
    assert.equal(open.connects, 1);
  });

  it('setProxies(host, port, user, password) authenticates with Basic auth', async () => {
    guarded.reset();
    await withClient(clientFor(sandbox), async (tc) => {
      tc.setProxies(guarded.host, guarded.port, USER, PASSWORD);
      const response = await tc.apiRequest(mine());
      assert.equal(response.status, 200);
      assert.equal(ownerName(response.json()), 'Example Org');
    });
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    assert.deepEqual(guarded.log, [
      { method: 'CONNECT', target: authority(sandbox), authorization: basic, allowed: true },
    ]);
  });

  it('wrong proxy credentials give ProxyAuthError (TC_PROXY_AUTH), not retried', async () => {
    guarded.reset();
    await admin(sandbox, 'DELETE', 'requests');
    await withClient(clientFor(sandbox, { apiRetries: 3 }), async (tc) => {
      tc.setProxies(guarded.host, guarded.port, USER, 'wrong-password');
      tc.reportEnable();
      await assert.rejects(tc.apiRequest(mine()), (error: unknown) => {
        assert.ok(error instanceof ProxyAuthError, String(error));
        assert.ok(error instanceof ConnectionError);
        assert.ok(error instanceof ThreatConnectError);
        assert.equal(error.name, 'ProxyAuthError');
        assert.equal(error.code, 'TC_PROXY_AUTH');
        assert.equal(error.kind, 'proxy-auth');
        assert.equal(error.message, 'The proxy refused the credentials (407 Proxy Authentication Required)');
        assert.equal(error.request?.url, `${sandbox.baseUrl}/v2/owners/mine?createActivityLog=false`);
        return true;
      });
      // One logical call with one attempt in the report.
      const entries = tc.report.entries;
      assert.equal(entries.length, 1);
      const entry = entries[0];
      assert.ok(entry?.kind === 'request');
      assert.equal(entry.attempts.length, 1);
      assert.equal(tc.report.toJSON().retries, 0);
    });
    assert.equal(guarded.log.length, 1, JSON.stringify(guarded.log));
    assert.equal(guarded.log[0]?.allowed, false);
    assert.deepEqual(await requestLog(sandbox), [], 'nothing reached the sandbox');
  });

  it('no credentials for a proxy that needs them give ProxyAuthError', async () => {
    guarded.reset();
    await withClient(clientFor(sandbox, { apiRetries: 2 }), async (tc) => {
      tc.setProxies(guarded.host, guarded.port);
      await assert.rejects(tc.apiRequest(mine()), ProxyAuthError);
    });
    assert.equal(guarded.log.length, 1);
    assert.equal(guarded.log[0]?.authorization, undefined);
  });

  it('throwOnError does not change a proxy failure', async () => {
    await withClient(clientFor(sandbox, { apiRetries: 1 }), async (tc) => {
      tc.setProxies(guarded.host, guarded.port, USER, 'nope');
      await assert.rejects(tc.apiRequest(mine(), { throwOnError: true }), ProxyAuthError);
    });
  });

  it('reaches the HTTPS sandbox through the proxy with its CA', async () => {
    open.reset();
    assert.ok(https.caCertificate !== undefined);
    await withClient(clientFor(https, { caCertificate: https.caCertificate }), async (tc) => {
      tc.setProxies(open.host, open.port);
      const response = await tc.apiRequest(mine());
      assert.equal(response.status, 200);
      assert.equal(ownerName(response.json()), 'Example Org');
    });
    assert.deepEqual(
      open.log.map((s) => `${s.method} ${s.target}`),
      [`CONNECT ${authority(https)}`],
    );
  });

  it('reaches the HTTPS sandbox through an authenticating proxy', async () => {
    guarded.reset();
    await withClient(clientFor(https, { caCertificate: https.caCertificate }), async (tc) => {
      tc.setProxies(guarded.host, guarded.port, USER, PASSWORD);
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
    assert.equal(guarded.log.length, 1);
    assert.equal(guarded.log[0]?.allowed, true);
  });

  it('refuses the self-signed HTTPS sandbox through the proxy without its CA', async () => {
    open.reset();
    const client = clientFor(https, { apiRetries: 2 });
    // clientFor passes the sandbox's CA; a client built without it must fail.
    await withClient(client, async (tc) => {
      tc.setCaCertificate(otherCa);
      tc.setProxies(open.host, open.port);
      await assert.rejects(tc.apiRequest(mine()), (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.equal(error.kind, 'tls');
        assert.match(error.message, /^The TLS handshake failed: .*certificate/);
        return true;
      });
    });
    // TLS failures are not retried: one tunnel only.
    assert.equal(open.connects, 1);
  });

  it('changing the proxy takes effect on the next request', async () => {
    open.reset();
    guarded.reset();
    await withClient(clientFor(sandbox), async (tc) => {
      tc.setProxies(open.host, open.port);
      assert.equal((await tc.apiRequest(mine())).status, 200);
      tc.setProxies(guarded.host, guarded.port, USER, PASSWORD);
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
    assert.equal(open.connects, 1);
    assert.equal(guarded.connects, 1);
  });
});

describe('TLS verification', () => {
  let https: Sandbox;
  let otherCa: string;
  before(async () => {
    [https, otherCa] = await Promise.all([
      withSandbox({ https: true }),
      createSelfSignedCertificate('127.0.0.1').then((c) => c.cert),
    ]);
  });
  after(async () => {
    await https.close();
  });

  const bare = (options: Record<string, unknown> = {}) =>
    clientFor({ ...https, caCertificate: undefined } as unknown as Sandbox, { apiRetries: 2, ...options });

  it('refuses the self-signed sandbox by default (ConnectionError kind tls), without retrying', async () => {
    await admin(https, 'DELETE', 'requests');
    await withClient(bare(), async (tc) => {
      assert.equal(tc.config.verifySsl, true);
      assert.equal(tc.config.caCertificate, undefined);
      tc.reportEnable();
      await assert.rejects(tc.apiRequest(mine()), (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.equal(error.constructor, ConnectionError);
        assert.equal(error.code, 'TC_CONNECTION');
        assert.equal(error.kind, 'tls');
        assert.equal(error.message, 'The TLS handshake failed: self-signed certificate');
        return true;
      });
      const entries = tc.report.entries;
      assert.equal(entries.length, 1);
      const entry = entries[0];
      assert.ok(entry?.kind === 'request');
      assert.equal(entry.attempts.length, 1);
    });
    assert.deepEqual(await requestLog(https), []);
  });

  it('accepts it with setCaCertificate(pem)', async () => {
    await withClient(bare(), async (tc) => {
      tc.setCaCertificate(https.caCertificate ?? '');
      assert.equal(tc.config.caCertificate, https.caCertificate);
      const response = await tc.apiRequest(mine());
      assert.equal(response.status, 200);
      assert.equal(ownerName(response.json()), 'Example Org');
    });
  });

  it('accepts it with setCaCertificate(Buffer)', async () => {
    await withClient(bare(), async (tc) => {
      tc.setCaCertificate(Buffer.from(https.caCertificate ?? '', 'utf8'));
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
  });

  it('accepts it with the caCertificate option', async () => {
    await withClient(bare({ caCertificate: https.caCertificate }), async (tc) => {
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
  });

  it('accepts it with setVerifySsl(false)', async () => {
    await withClient(bare(), async (tc) => {
      tc.setVerifySsl(false);
      assert.equal(tc.config.verifySsl, false);
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
  });

  it('verifySsl: false in the options accepts it too', async () => {
    await withClient(bare({ verifySsl: false }), async (tc) => {
      assert.equal((await tc.apiRequest(mine())).status, 200);
    });
  });

  it('a setter after a failure applies to the next request', async () => {
    await withClient(bare(), async (tc) => {
      await assert.rejects(tc.apiRequest(mine()), ConnectionError);
      tc.setCaCertificate(https.caCertificate ?? '');
      assert.equal((await tc.apiRequest(mine())).status, 200);
      tc.setVerifySsl(true);
      tc.setCaCertificate(otherCa);
      await assert.rejects(tc.apiRequest(mine()), (error: unknown) => {
        assert.ok(error instanceof ConnectionError);
        assert.equal(error.kind, 'tls');
        return true;
      });
    });
  });
});

describe('client through an HTTPS proxy', () => {
  it('setProxies("https://host", port) reaches the proxy over verified TLS', async () => {
    const tls = await createSelfSignedCertificate('127.0.0.1');
    const sandbox = await withSandbox();
    const proxy = await startProxy({ tls });
    const refused = clientFor(sandbox, { apiRetries: 0 });
    const tc = clientFor(sandbox, { caCertificate: tls.cert });
    try {
      refused.setProxies(`https://${proxy.host}`, proxy.port);
      await assert.rejects(
        refused.apiRequest(new RequestObject().setRequestUri('/v2/owners/mine')),
        (error: unknown) => {
          assert.ok(error instanceof ConnectionError);
          assert.equal(error.kind, 'tls');
          return true;
        },
      );
      tc.setProxies(`https://${proxy.host}`, proxy.port);
      const response = await tc.apiRequest(new RequestObject().setRequestUri('/v2/owners/mine'));
      assert.equal(response.status, 200);
      assert.ok(proxy.connects >= 1, 'the request was tunnelled through the HTTPS proxy');
    } finally {
      await refused.close();
      await tc.close();
      await proxy.close();
      await sandbox.close();
    }
  });
});
