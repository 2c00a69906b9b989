/**
 * A body refused before it was read gets its answer to the client (decisions.md 2.4, issue 7 §3):
 * the sandbox sends the 413, reads and discards the rest of the body, and only then closes. Closing
 * at once made the client's kernel drop the 413 on a reset, so the client saw a broken pipe (up to
 * 3 tries in 5 with a 20 MB body). The server runs in its own process, as for a user, because the
 * race needs two processes to show.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { RequestObject, ThreatConnect } from '../../../src/index.js';
import { type SandboxProcess, startSandboxProcess } from '../../helpers/sandbox-process.js';
import { signHeaders } from '../../helpers/signer.js';

const MiB = 1024 * 1024;
const TRIES = 3;
const TOO_LARGE = 'The request body is larger than the limit of 1048576 bytes';

describe('an oversized body gets its 413, never a broken pipe', () => {
  let sandbox: SandboxProcess;
  let tc: ThreatConnect;
  before(async () => {
    sandbox = await startSandboxProcess();
    tc = new ThreatConnect({
      accessId: sandbox.accessId,
      secretKey: sandbox.secretKey,
      defaultOrg: sandbox.defaultOrg,
      baseUrl: sandbox.baseUrl,
      // One attempt each: a POST that meets a broken pipe is not retried anyway (decisions.md 1.6).
      apiRetries: 0,
      apiRequestTimeout: 60,
    });
  });
  after(async () => {
    await tc.close();
    await sandbox.stop();
  });

  for (const megabytes of [4, 20, 100]) {
    it(`answers a ${megabytes} MB JSON body through the SDK with 413, ${TRIES} times in ${TRIES}`, async () => {
      const body = Buffer.alloc(megabytes * MiB, 0x20);
      for (let attempt = 1; attempt <= TRIES; attempt += 1) {
        const ro = new RequestObject()
          .setHttpMethod('POST')
          .setRequestUri('/v2/indicators/hosts')
          .setContentType('application/json')
          .setBody(body);
        const response = await tc.apiRequest(ro);
        assert.equal(response.status, 413, `attempt ${attempt}: ${response.text()}`);
        assert.deepEqual(response.json(), { status: 'Failure', message: TOO_LARGE });
        assert.equal(response.headers.connection, 'close');
      }
    });
  }

  it('answers a chunked body that grows over the limit with 413, after reading it to its end', async () => {
    const base = new URL(sandbox.baseUrl);
    const wirePath = `${base.pathname}/v2/indicators/hosts`;
    for (let attempt = 1; attempt <= TRIES; attempt += 1) {
      const outcome = await new Promise<{ status: number; text: string; sent: number }>((resolve, reject) => {
        let sent = 0;
        const req = http.request(
          {
            host: base.hostname,
            port: base.port,
            method: 'POST',
            path: wirePath,
            agent: false,
            headers: {
              ...signHeaders(
                sandbox.accessId,
                sandbox.secretKey,
                'POST',
                wirePath,
                Math.floor(Date.now() / 1000),
              ),
              'Content-Type': 'application/json',
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, text, sent });
            });
          },
        );
        req.on('error', reject);
        // 20 MiB without a Content-Length, written as fast as the socket takes it.
        const chunk = Buffer.alloc(MiB, 0x20);
        const write = (): void => {
          while (sent < 20) {
            sent += 1;
            if (!req.write(chunk)) {
              req.once('drain', write);
              return;
            }
          }
          req.end();
        };
        write();
      });
      assert.equal(outcome.status, 413, `attempt ${attempt}: ${outcome.text}`);
      assert.deepEqual(JSON.parse(outcome.text) as unknown, { status: 'Failure', message: TOO_LARGE });
    }
  });

  it('still serves requests afterwards', async () => {
    const response = await tc.apiRequest(new RequestObject().setRequestUri('/v2/owners'));
    assert.equal(response.status, 200);
  });
});
