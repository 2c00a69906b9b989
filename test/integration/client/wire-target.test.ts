/**
 * the signed target must be the one undici sends. The WHATWG parser percent-encodes `'` in a
 * query (special-query percent-encode set) but not in a path, so a request URI whose query holds `'`
 * must be signed in its encoded form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RequestObject, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { requestLog, resetSandbox } from '../client/support.js';

describe('review: signed target equals the wire target', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(async () => {
    sandbox = await withSandbox();
    tc = clientFor(sandbox);
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  it("a request URI with ' in its query is signed as sent (no 401)", async () => {
    await resetSandbox(sandbox);
    const ro = new RequestObject().setHttpMethod('GET').setRequestUri("/v2/owners?note='x'");
    const response = await tc.apiRequest(ro);
    assert.equal(response.status, 200, response.text());
    const [entry] = await requestLog(sandbox);
    assert.equal(entry?.target, '/api/v2/owners?note=%27x%27&createActivityLog=false');
  });

  it("a ' in the path is left as it is, and signed that way", async () => {
    const ro = new RequestObject()
      .setHttpMethod('GET')
      .setOwner('Example Community')
      .setRequestUri("/v2/indicators/hosts/o'brien.example.com");
    const response = await tc.apiRequest(ro);
    // Signed correctly: the server looked the host up (404), it did not refuse the signature (401).
    assert.equal(response.status, 404, response.text());
  });
});
