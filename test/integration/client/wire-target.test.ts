/**
 * the signed target must be the one undici sends. The WHATWG parser percent-encodes `'` in a
 * query (special-query percent-encode set) but not in a path, so a request URI whose query holds `'`
 * must be signed in its encoded form.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RequestObject, type ThreatConnect } from '../../../src/index.js';
import { requestLog, useSandboxClient } from './support.js';

describe('review: signed target equals the wire target', () => {
  const fx = useSandboxClient({ resetEach: true });
  let tc: ThreatConnect;
  before(() => {
    tc = fx.client();
  });

  it("a request URI with ' in its query is signed as sent (no 401)", async () => {
    const ro = new RequestObject().setHttpMethod('GET').setRequestUri("/v2/owners?note='x'");
    const response = await tc.apiRequest(ro);
    assert.equal(response.status, 200, response.text());
    const [entry] = await requestLog(fx.sandbox);
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
