/**
 * Every RequestObject setter takes effect or is refused (issue 6 section 4): `setStream(true)`
 * streams, the callbacks are called, `setResourcePagination(false)` keeps a request out of
 * `apiRequestPages`, `setOwnerAllowed(false)` refuses an owner, and `apiRequest` leaves the
 * request object as it was. Also: a body that is not JSON is an InvalidResponseError, and a failed
 * call is logged once at `error`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  type ApiResponse,
  InvalidResponseError,
  RequestObject,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { rejection, request, requestLog, resetSandbox, setRules } from './support.js';

describe('RequestObject settings take effect', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  let dir: string;

  before(async () => {
    sandbox = await withSandbox();
    tc = clientFor(sandbox, { apiRetries: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'tc-ro-effects-'));
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  const download = () =>
    new RequestObject()
      .setHttpMethod('GET')
      .setOwner('Example Community')
      .setRequestUri('/v2/groups/documents/19/download');

  it('setStream(true) makes apiRequest hand the body over as a stream', async () => {
    const response = await tc.apiRequest(download().setStream(true));
    assert.ok(response.body instanceof Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString('utf8'), 'Example document #19 contents.\n');
    // The per-call option wins over the request object.
    const buffered = await tc.apiRequest(download().setStream(true), { stream: false });
    assert.equal(buffered.text(), 'Example document #19 contents.\n');
  });

  it('the success callback gets the request object and the response; the failure callback the status', async () => {
    const calls: string[] = [];
    const ok = download().setSuccessCallback((ro, response) => {
      calls.push(`success ${ro.requestUri ?? ''} ${(response as ApiResponse).status}`);
    });
    ok.setFailureCallback((status) => calls.push(`failure ${status}`));
    await tc.apiRequest(ok);
    const missing = request('GET', '/v2/groups/incidents/708996')
      .setFailureCallback((status) => calls.push(`failure ${status}`))
      .setSuccessCallback(() => calls.push('success?'));
    assert.equal((await tc.apiRequest(missing)).status, 404);
    assert.deepEqual(calls, ['success /v2/groups/documents/19/download 200', 'failure 404']);
  });

  it('apiRequestPages refuses a request object with resourcePagination off, before any request', async () => {
    const ro = request('GET', '/v2/indicators').setResourcePagination(false);
    const error = await rejection(async () => {
      for await (const page of tc.apiRequestPages(ro)) assert.fail(`no page expected: ${page.resultStart}`);
    });
    assert.ok(error instanceof ValidationError, String(error));
    assert.equal(
      error.message,
      'This request object has `resourcePagination` off: call setResourcePagination(true) to page it, or use apiRequest()',
    );
    // apiRequest sends it as one request, as the original did.
    assert.equal((await tc.apiRequest(ro)).status, 200);
    assert.equal((await requestLog(sandbox)).length, 1);
  });

  it('setOwnerAllowed(false) refuses a request that carries an owner, before any request', async () => {
    const ro = request('GET', '/v2/indicators', { owner: 'Example Org' }).setOwnerAllowed(false);
    for (const attempt of [
      () => tc.apiRequest(ro),
      async () => {
        for await (const page of tc.apiRequestPages(ro)) assert.fail(`no page expected: ${page.resultStart}`);
      },
    ]) {
      const error = await rejection(attempt);
      assert.ok(error instanceof ValidationError, String(error));
      assert.equal(
        error.message,
        'This request object has an `owner` parameter but `ownerAllowed` is false: remove the owner or call setOwnerAllowed(true)',
      );
    }
    assert.equal((await requestLog(sandbox)).length, 0);
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine').setOwnerAllowed(false))).status, 200);
  });

  it("a Timestamp or Authorization header of the request object gives way to the client's own", async () => {
    // Names in another case than the client's: both would be on the wire, and the server (Node's
    // parser, as many) reads the first Authorization it meets.
    const ro = request('GET', '/v2/owners')
      .addHeader('authorization', 'TC 00000000000000000000:bm90IGEgc2lnbmF0dXJl')
      .addHeader('timestamp', '1');
    const response = await tc.apiRequest(ro);
    assert.equal(response.status, 200, response.text());
    // The request object still shows what was set on it.
    assert.equal(ro.headers.authorization, 'TC 00000000000000000000:bm90IGEgc2lnbmF0dXJl');
  });

  it('apiRequest leaves the request object exactly as it was', async () => {
    const ro = download().addHeader('X-Trace', 'abc').setDescription('doc 19');
    const before = String(ro);
    const headers = ro.headers;
    const payload = ro.payload;
    await tc.apiRequest(ro);
    assert.equal(String(ro), before);
    assert.deepEqual(ro.headers, headers);
    assert.deepEqual(ro.payload, payload);
    assert.equal(ro.pathUrl, undefined);
  });

  it('a body that is not JSON: InvalidResponseError with the status and content type', async () => {
    const response = await tc.apiRequest(download());
    const error = (() => {
      try {
        response.json();
      } catch (caught) {
        return caught;
      }
      return assert.fail('json() should throw');
    })();
    assert.ok(error instanceof InvalidResponseError, String(error));
    assert.equal(error.code, 'TC_INVALID_RESPONSE');
    assert.equal(error.status, 200);
    assert.equal(error.contentType, 'application/octet-stream');
    assert.equal(
      error.message,
      'The response body is not JSON (status 200): "Example document #19 contents.\\n"',
    );
  });

  it('the final failure of a call is logged once at error: a POST that gets a reset', async () => {
    const file = path.join(dir, 'reset.log');
    const logged = clientFor(sandbox, { apiRetries: 3, consoleLevel: 'off' });
    try {
      logged.setTclFile(file, 'warning');
      await setRules(sandbox, { kind: 'reset', method: 'POST' });
      const error = await rejection(() =>
        logged.apiRequest(
          request('POST', '/v2/groups/adversaries', { owner: 'Example Org', body: { name: 'x' } }),
        ),
      );
      assert.ok(error instanceof Error);
      const records = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      assert.deepEqual(
        records.map((r) => [r.level, r.msg.replace(/\(.*connection.*\)|: .*\(1 attempt\)$/, '')]),
        [
          [
            50,
            `POST ${sandbox.baseUrl}/v2/groups/adversaries?createActivityLog=false&owner=Example+Org failed`,
          ],
        ],
      );
      assert.match(records[0]?.msg ?? '', /failed: TC_CONNECTION: .* \(1 attempt\)$/);
    } finally {
      await logged.close();
    }
  });
});
