/**
 * A secret given in the wrong place is not echoed by the error that refuses it: constructor options
 * with two values swapped, a setter given the secret, a secret in the wrong environment variable or
 * config-file key, a proxy written as a URL; and a request object's printed Request URI masks a
 * secret parameter, as its payload rows do.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ConfigError, RequestObject, ThreatConnect } from '../../../src/index.js';

const SECRET = 'k3y+Secret/Value==9f8e7d6c5b4a';
const TOKEN = 'APIV2:7:qwertyuiop1234567890:1767225600:abcdef';
const HMAC = { accessId: '12345678901234567890', secretKey: SECRET, defaultOrg: 'Example Org' };

/** The error `run` throws, checked to be a ConfigError whose message and stack hold none of `secrets`. */
function refusal(run: () => unknown, secrets: readonly string[] = [SECRET, TOKEN]): ConfigError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  for (const secret of secrets) {
    for (const text of [caught.message, String(caught.stack), inspect(caught, { depth: 5 })]) {
      assert.ok(!text.includes(secret), `the secret is shown: ${text}`);
    }
  }
  return caught;
}

describe('a secret given in the wrong place is not echoed', () => {
  it('constructor: the secret key passed as the base URL', () => {
    const error = refusal(
      () =>
        new ThreatConnect({
          ...HMAC,
          baseUrl: SECRET,
        }),
    );
    assert.equal(
      error.message,
      '`baseUrl` must be an http or https URL such as "https://api.threatconnect.com/api", got "[REDACTED]"',
    );
  });

  it('constructor: the token passed as its expiry', () => {
    const error = refusal(
      () =>
        new ThreatConnect({
          apiToken: TOKEN,
          apiTokenExpires: TOKEN,
          defaultOrg: 'Example Org',
          baseUrl: 'https://api.example.test/api',
        }),
    );
    assert.match(error.message, /^`apiTokenExpires` must be epoch seconds .*got "\[REDACTED\]"$/);
  });

  it('a setter given the secret key of the client', () => {
    const tc = new ThreatConnect({
      ...HMAC,
      baseUrl: 'https://api.example.test/api',
    });
    const error = refusal(() => {
      tc.setApiResultLimit(SECRET as unknown as number);
    });
    assert.match(error.message, /^`apiResultLimit` must be .*got "\[REDACTED\]"$/);
  });

  it('a proxy written as a URL with its password', () => {
    const password = 'pr0xy-Pa55word';
    const error = refusal(
      () =>
        new ThreatConnect({
          ...HMAC,
          baseUrl: 'https://api.example.test/api',
          proxy: `http://user:${password}@proxy.example.test:3128` as never,
        }),
      [password, SECRET],
    );
    assert.match(error.message, /^`proxy` must be an object/);
  });

  it('the environment: the secret key in TC_API_BASE_URL, the token in TC_API_TOKEN_EXPIRES', () => {
    const base = { TC_API_ACCESS_ID: '12345678901234567890', TC_API_DEFAULT_ORG: 'Example Org' };
    const url = refusal(() =>
      ThreatConnect.fromEnv({ ...base, TC_API_SECRET_KEY: SECRET, TC_API_BASE_URL: SECRET }),
    );
    assert.match(url.message, /^`TC_API_BASE_URL` must be .*got "\[REDACTED\]"$/);
    const expires = refusal(() =>
      ThreatConnect.fromEnv({
        TC_API_DEFAULT_ORG: 'Example Org',
        TC_API_BASE_URL: 'https://api.example.test/api',
        TC_API_TOKEN: TOKEN,
        TC_API_TOKEN_EXPIRES: TOKEN,
      }),
    );
    assert.match(expires.message, /^`TC_API_TOKEN_EXPIRES` must be .*got "\[REDACTED\]"$/);
  });

  it('a config file: the secret key as api_base_url', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-secret-echo-'));
    try {
      const file = path.join(dir, 'tc.conf');
      writeFileSync(
        file,
        `[threatconnect]\napi_access_id = 12345678901234567890\napi_secret_key = ${SECRET}\napi_default_org = Example Org\napi_base_url = ${SECRET}\n`,
      );
      const error = refusal(() => ThreatConnect.fromConfigFile(file));
      assert.match(error.message, /^`api_base_url` in .*tc\.conf must be .*got "\[REDACTED\]"$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a value that is not a secret is still shown', () => {
    const error = refusal(
      () =>
        new ThreatConnect({
          ...HMAC,
          baseUrl: 'ftp://api.example.test/api',
        }),
    );
    assert.match(error.message, /got "ftp:\/\/api\.example\.test\/api"$/);
  });
});

describe("a request object's printed Request URI", () => {
  it('masks a secret parameter of a URI written with its own query', () => {
    const ro = new RequestObject().setRequestUri(`/v2/indicators?owner=Example+Org&access_token=${TOKEN}`);
    for (const text of [String(ro), inspect(ro)]) {
      assert.ok(!text.includes(TOKEN), text);
      assert.match(text, /Request URI +\/v2\/indicators\?owner=Example\+Org&access_token=\[REDACTED\]/);
    }
  });
});
