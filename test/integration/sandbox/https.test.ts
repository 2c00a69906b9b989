/** HTTPS mode (issue 2 item 15, decisions.md 2.1): a self-signed certificate made at start. */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

describe('sandbox HTTPS mode', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ https: true });
  });
  after(async () => {
    await sandbox.close();
  });

  it('gives an https baseUrl and the certificate as PEM', () => {
    assert.match(sandbox.baseUrl, /^https:\/\/127\.0\.0\.1:\d+\/api$/);
    const pem = sandbox.caCertificate;
    assert.ok(pem !== undefined, 'caCertificate is set');
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+-----END CERTIFICATE-----\r?\n?$/);
    const certificate = new X509Certificate(pem);
    assert.equal(certificate.checkIP('127.0.0.1'), '127.0.0.1');
  });

  it('serves a signed request to a client that trusts the CA', async () => {
    const r = await call(sandbox, 'GET', '/v2/owners/mine');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal((r.json() as { data: { owner: { name: string } } }).data.owner.name, 'Example Org');
  });

  it('is refused by a client without the CA as self-signed', async () => {
    const { baseUrl, accessId, secretKey } = sandbox;
    await assert.rejects(
      call({ baseUrl, accessId, secretKey }, 'GET', '/v2/owners/mine'),
      (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        assert.ok(
          code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN',
          `unexpected ${String(code)}`,
        );
        return true;
      },
    );
  });

  it('does not answer plain HTTP on its port', async () => {
    const { accessId, secretKey } = sandbox;
    const baseUrl = sandbox.baseUrl.replace(/^https:/, 'http:');
    await assert.rejects(call({ baseUrl, accessId, secretKey }, 'GET', '/v2/owners/mine'));
  });
});

describe('sandbox HTTP mode', () => {
  it('has an http baseUrl and no caCertificate', async () => {
    const sandbox = await withSandbox();
    try {
      assert.match(sandbox.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
      assert.equal(sandbox.caCertificate, undefined);
    } finally {
      await sandbox.close();
    }
  });
});
