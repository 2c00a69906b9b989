/**
 * Redaction edge cases found in the secrets review: secret names in any spelling (`access_token`,
 * `api-key`, `X-Auth-Token`, `Proxy-Authorization` as a field), a URL password holding an `@`, and
 * secrets that free text shows by their form (`redactText`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isSecretHeader,
  isSecretName,
  isSecretParam,
  REDACTED,
  redactHeaderValue,
  redactRequest,
  redactText,
  redactUrl,
} from '../../../src/core/redact.js';

const SIGNATURE = 'QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=';

describe('secret names in any spelling', () => {
  it('query parameters: snake, kebab and camel case, and names ending in token, secret, key', () => {
    for (const name of [
      'access_token',
      'api_token',
      'api-token',
      'accessToken',
      'refresh_token',
      'client_secret',
      'api_key',
      'apiKey',
      'secret_key',
      'X-Amz-Signature',
      'proxyPassword',
      'auth',
    ]) {
      assert.ok(isSecretParam(name), name);
    }
  });

  it("leaves the API's own parameters alone", () => {
    for (const name of [
      'owner',
      'resultStart',
      'resultLimit',
      'createActivityLog',
      'modifiedSince',
      'includeAdditional',
      'includeAttributes',
      'includeTags',
      'filters',
      'orParams',
      'summary',
      'apiTokenExpires',
      'tokenType',
      'runNow',
    ]) {
      assert.ok(!isSecretParam(name), name);
    }
  });

  it('headers, whatever the case of their names', () => {
    for (const name of [
      'X-Auth-Token',
      'x-api-key',
      'X-API-KEY',
      'X-TC-Token',
      'PROXY-AUTHORIZATION',
      'COOKIE',
    ]) {
      assert.ok(isSecretHeader(name), name);
    }
    assert.equal(redactHeaderValue('X-Auth-Token', 'abc123'), REDACTED);
    assert.equal(redactHeaderValue('AUTHORIZATION', `TC id:${SIGNATURE}`), 'TC id:[REDACTED]');
    assert.equal(redactHeaderValue('Timestamp', '1700000000'), '1700000000');
    assert.ok(!isSecretHeader('Content-Type'));
    assert.ok(isSecretName('Proxy-Authorization'));
  });

  it('redactRequest masks a caller-given token header and a token in the query', () => {
    const request = redactRequest({
      method: 'GET',
      url: 'https://h/api/v2/x?access_token=tok-1&owner=Example+Org',
      headers: { 'X-Auth-Token': 'tok-2', Timestamp: '1' },
    });
    assert.equal(request.url, 'https://h/api/v2/x?access_token=[REDACTED]&owner=Example+Org');
    assert.deepEqual(request.headers, { 'X-Auth-Token': REDACTED, Timestamp: '1' });
  });
});

describe('redactUrl', () => {
  it('masks a password that holds an "@" up to the last "@" of the authority', () => {
    assert.equal(redactUrl('http://user:p@ss@proxy:3128'), 'http://user:[REDACTED]@proxy:3128');
    assert.equal(redactUrl('http://us@er:pw@proxy:3128/x'), 'http://us@er:[REDACTED]@proxy:3128/x');
  });

  it('leaves an "@" after the authority and a URL without a password as they are', () => {
    assert.equal(redactUrl('http://h:80/a@b?c=d@e'), 'http://h:80/a@b?c=d@e');
    assert.equal(redactUrl('http://user@h:80/'), 'http://user@h:80/');
  });

  it('masks secret parameters of a relative URI', () => {
    assert.equal(
      redactUrl('/v2/indicators?api_token=t1&owner=a&apiTokenExpires=5'),
      '/v2/indicators?api_token=[REDACTED]&owner=a&apiTokenExpires=5',
    );
  });
});

describe('redactText', () => {
  it('masks secret query parameters of URLs inside a text', () => {
    assert.equal(
      redactText('GET http://h/api/v2/x?createActivityLog=false&access_token=t1&TOKEN=t2 failed: HTTP 404'),
      'GET http://h/api/v2/x?createActivityLog=false&access_token=[REDACTED]&TOKEN=[REDACTED] failed: HTTP 404',
    );
  });

  it('masks tokens, signatures, Basic credentials and URL passwords', () => {
    assert.equal(
      redactText(`Authorization: TC 12345:${SIGNATURE} then TC-Token APIV2:1:abc:def`),
      'Authorization: TC 12345:[REDACTED] then TC-Token [REDACTED]',
    );
    assert.equal(
      redactText('{"Proxy-Authorization":"Basic dXNlcjpwYXNz"}'),
      '{"Proxy-Authorization":"Basic [REDACTED]"}',
    );
    assert.equal(redactText('via http://u:p@ss@proxy:1 now'), 'via http://u:[REDACTED]@proxy:1 now');
  });

  it('is idempotent and leaves ordinary text alone', () => {
    const once = redactText(`TC id:${SIGNATURE} TC-Token abc ?token=x`);
    assert.equal(redactText(once), once);
    for (const text of ['The TC 2 program: hello', 'a=b&c=d', 'mailto:x@y.com', 'ratio 1:2 at host@x']) {
      assert.equal(redactText(text), text);
    }
  });
});
