/**
 * review: what the config sources say about bad input.
 *
 * - A base URL or proxy host holding `user:password@` was echoed whole in the ConfigError when it was
 *   refused for another reason (a query, a scheme, a bad host), so the password reached the message.
 * - `fromEnv()` and `fromConfigFile()` reported checks across values (an expiry without a token, a
 *   token beside half an HMAC pair) with the constructor's option names, where docs/decisions.md
 *   (Client core 6) says errors name the variable or the file key.
 * - `fromEnv(null)` threw a bare TypeError, and `fromConfigFile(0)` read a file descriptor (stdin).
 * - `util.inspect(tc.config, { showHidden: true })` (what a debugger shows) listed the non-enumerable
 *   secret key, token and proxy password.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { configOptionsFromIni, readConfigFile, readEnvConfig } from '../../../src/core/config-sources.js';
import { resolveConfig } from '../../../src/core/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { validateBaseUrl, validateProxy } from '../../../src/core/validators.js';

const PASSWORD = 'Pr0xy-S3cret';

function throwsConfig(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

describe('review: credentials in a refused URL are not echoed', () => {
  const URL_EXPECTED = 'an http or https URL such as "https://api.threatconnect.com/api"';
  const HOST_EXPECTED = 'a host name or address, optionally with an http:// or https:// prefix';

  it('baseUrl with a query, another scheme or a bad host', () => {
    throwsConfig(
      () => validateBaseUrl(`https://user:${PASSWORD}@h/api?x=1`),
      '`baseUrl` must be a URL without a query or fragment, got "https://[REDACTED]@h/api?x=1"',
    );
    throwsConfig(
      () => validateBaseUrl(`ftp://user:${PASSWORD}@h/api`),
      `\`baseUrl\` must be ${URL_EXPECTED}, got "ftp://[REDACTED]@h/api"`,
    );
    throwsConfig(
      () => validateBaseUrl(`https://user:${PASSWORD}@h h/api`),
      `\`baseUrl\` must be ${URL_EXPECTED}, got "https://[REDACTED]@h h/api"`,
    );
    throwsConfig(
      () => readEnvConfig({ TC_API_BASE_URL: `https://u:${PASSWORD}@h/api#x` }),
      '`TC_API_BASE_URL` must be a URL without a query or fragment, got "https://[REDACTED]@h/api#x"',
    );
  });

  it('a proxy host written with user:password@', () => {
    for (const [host, shown] of [
      [`http://user:${PASSWORD}@10.0.0.1`, 'http://[REDACTED]@10.0.0.1'],
      [`user:${PASSWORD}@proxy.local`, '[REDACTED]@proxy.local'],
      [`user:p@ss:${PASSWORD}@proxy.local`, '[REDACTED]@proxy.local'],
    ] as const) {
      throwsConfig(
        () => validateProxy({ host, port: 8080 }),
        `\`proxy.host\` must be ${HOST_EXPECTED}, got ${JSON.stringify(shown)}`,
      );
      assert.throws(
        () =>
          resolveConfig({
            accessId: 'a',
            secretKey: 'b',
            defaultOrg: 'o',
            baseUrl: 'https://h',
            proxy: { host, port: 1 },
          }),
        (error: unknown) => error instanceof ConfigError && !error.message.includes(PASSWORD),
      );
    }
  });

  it('values without "@" are still shown whole', () => {
    throwsConfig(
      () => validateBaseUrl('https://h/api?x=1'),
      '`baseUrl` must be a URL without a query or fragment, got "https://h/api?x=1"',
    );
  });
});

describe('review: fromEnv and fromConfigFile name the variable or the file key', () => {
  const ENV = { TC_API_DEFAULT_ORG: 'o', TC_API_BASE_URL: 'https://h/api' };
  const dir = mkdtempSync(join(tmpdir(), 'tc-config-messages-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('an expiry without a token', () => {
    throwsConfig(
      () =>
        readEnvConfig({
          ...ENV,
          TC_API_ACCESS_ID: 'a',
          TC_API_SECRET_KEY: 's',
          TC_API_TOKEN_EXPIRES: '1900000000',
        }),
      '`TC_API_TOKEN_EXPIRES` is set without `TC_API_TOKEN`',
    );
    throwsConfig(
      () =>
        configOptionsFromIni(
          '[threatconnect]\napi_access_id = a\napi_secret_key = s\napi_token_expires = 1900000000\n' +
            'api_default_org = o\napi_base_url = https://h/api\n',
        ),
      '`api_token_expires` in tc.conf needs `api_token`',
    );
  });

  it('a token beside half an HMAC pair', () => {
    throwsConfig(
      () => readEnvConfig({ ...ENV, TC_API_TOKEN: 't', TC_API_ACCESS_ID: 'a' }),
      '`TC_API_SECRET_KEY` is not set (it goes with `TC_API_ACCESS_ID`)',
    );
    throwsConfig(
      () => readEnvConfig({ ...ENV, TC_API_TOKEN: 't', TC_API_SECRET_KEY: 's' }),
      '`TC_API_ACCESS_ID` is not set (it goes with `TC_API_SECRET_KEY`)',
    );
  });

  it('the complete forms still resolve', () => {
    const token = readEnvConfig({ ...ENV, TC_API_TOKEN: 't', TC_API_TOKEN_EXPIRES: '1900000000' });
    assert.equal(resolveConfig(token).auth.kind, 'token');
    const both = readEnvConfig({ ...ENV, TC_API_TOKEN: 't', TC_API_ACCESS_ID: 'a', TC_API_SECRET_KEY: 's' });
    assert.equal(resolveConfig(both).auth.kind, 'token');
    const path = join(dir, 'tc.conf');
    writeFileSync(
      path,
      '[threatconnect]\napi_token = t\napi_token_expires = 1900000000\napi_default_org = o\napi_base_url = https://h\n',
    );
    assert.equal(resolveConfig(readConfigFile(path)).auth.kind, 'token');
  });

  it('an environment that is not an object, a path that is not a string', () => {
    throwsConfig(
      () => readEnvConfig(null as unknown as Record<string, string>),
      'the environment must be an object such as process.env, got null',
    );
    throwsConfig(
      () => readEnvConfig('TC_API_TOKEN=t' as unknown as Record<string, string>),
      'the environment must be an object such as process.env, got "TC_API_TOKEN=t"',
    );
    // A number would be read as a file descriptor: 0 is stdin.
    throwsConfig(
      () => readConfigFile(0 as unknown as string),
      'the path of the config file must be a non-empty string, got 0',
    );
    throwsConfig(
      () => readConfigFile(undefined as unknown as string),
      'the path of the config file must be a non-empty string, got undefined',
    );
  });
});

describe('review: secrets stay out of inspect with showHidden', () => {
  it('the secret key, the token and the proxy password', () => {
    const proxy = { host: 'p', port: 1, user: 'u', password: PASSWORD };
    const hmac = resolveConfig({
      accessId: 'a',
      secretKey: 'S3CRET-KEY',
      defaultOrg: 'o',
      baseUrl: 'https://h',
      proxy,
    });
    const token = resolveConfig({ apiToken: 'T0KEN-VALUE', defaultOrg: 'o', baseUrl: 'https://h' });
    for (const config of [hmac, token]) {
      const text = inspect(config, { showHidden: true, depth: 10 });
      for (const secret of ['S3CRET-KEY', 'T0KEN-VALUE', PASSWORD]) assert.ok(!text.includes(secret), text);
    }
    // Still there for the SDK, and the ordinary views are unchanged.
    assert.equal(hmac.auth.kind === 'hmac' && hmac.auth.secretKey, 'S3CRET-KEY');
    assert.equal(hmac.proxy?.password, PASSWORD);
    assert.equal(inspect(hmac.auth), "{ kind: 'hmac', accessId: 'a' }");
    assert.equal(
      inspect(token.auth, { showHidden: true }),
      "{ kind: 'token', apiTokenExpiresMs: undefined }",
    );
    assert.deepEqual(JSON.parse(JSON.stringify(hmac.proxy)), {
      scheme: 'http',
      host: 'p',
      port: 1,
      url: 'http://p:1',
      user: 'u',
    });
  });
});
