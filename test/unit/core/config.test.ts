import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  type ClientOptions,
  type ResolvedHmacAuth,
  type ResolvedTokenAuth,
} from '../../../src/core/config-types.js';
import { configOptionsFromIni, readConfigFile, readEnvOptions } from '../../../src/core/config-sources.js';
import {
  describeType,
  describeValue,
  validateApiRequestTimeout,
  validateApiSleep,
  validateCaCertificate,
  validateLogLevel,
} from '../../../src/core/validators.js';
import { resolveConfig, updateConfig } from '../../../src/core/config.js';
import { ConfigError } from '../../../src/core/errors.js';

const SECRET = 'aabbccddeeffgghhiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz!@#$%^&*()-=';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const BASE: ClientOptions = {
  accessId: '12345678901234567890',
  secretKey: SECRET,
  defaultOrg: 'Example Org',
  baseUrl: 'https://tc.example.com/api',
};

function throwsConfig(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'tc-config-'));
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('describeValue / describeType', () => {
  it('shows values as they were received', () => {
    assert.equal(describeValue(501), '501');
    assert.equal(describeValue(-0), '-0');
    assert.equal(describeValue(Number.NaN), 'NaN');
    assert.equal(describeValue('500'), '"500"');
    assert.equal(describeValue(true), 'true');
    assert.equal(describeValue(5n), '5n');
    assert.equal(describeValue(undefined), 'undefined');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue([1]), 'an array');
    assert.equal(describeValue({}), 'an object');
    assert.equal(
      describeValue(() => 1),
      'a function',
    );
    assert.equal(describeValue(Symbol('s')), 'a symbol');
    assert.equal(describeValue(Buffer.from('x')), 'a Buffer');
    assert.equal(describeValue(new Uint8Array(1)), 'a Uint8Array');
    assert.equal(describeValue(new Date(0)), 'a Date');
    assert.equal(describeValue('x'.repeat(100)), `"${'x'.repeat(80)}…"`);
    assert.equal(describeType(''), 'an empty string');
    assert.equal(describeType('s'), 'a string');
    assert.equal(describeType(1), 'a number');
    assert.equal(describeType(true), 'a boolean');
    assert.equal(describeType(1n), 'a bigint');
  });
});

describe('resolveConfig defaults', () => {
  const config = resolveConfig(BASE);

  it('has the seed defaults, in ms', () => {
    assert.equal(config.apiRequestTimeoutMs, 30_000);
    assert.equal(config.apiRetries, 5);
    assert.equal(config.apiSleepMs, 59_000);
    assert.equal(config.apiResultLimit, 200);
    assert.equal(config.activityLog, false);
    assert.equal(config.proxy, undefined);
    assert.equal(config.verifySsl, true);
    assert.equal(config.caCertificate, undefined);
    assert.equal(config.logFile, undefined);
    assert.equal(config.logFileLevel, 'info');
    assert.equal(config.consoleLevel, 'critical');
    assert.equal(config.concurrency, 4);
    assert.equal(config.compat, undefined);
    assert.equal(config.defaultOrg, 'Example Org');
    assert.equal(config.baseUrl, 'https://tc.example.com/api');
    const before = Date.now();
    const now = config.clock.now();
    assert.ok(now >= before && now <= Date.now(), 'real time');
    const r = config.clock.random();
    assert.ok(r >= 0 && r < 1);
  });

  it('is frozen, and hides the secret key from inspect, JSON and spreads', () => {
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.auth));
    const auth = config.auth as ResolvedHmacAuth;
    assert.equal(auth.kind, 'hmac');
    assert.equal(auth.accessId, '12345678901234567890');
    assert.equal(auth.secretKey, SECRET);
    assert.ok(!inspect(config, { depth: 5 }).includes('aabbcc'));
    assert.ok(!JSON.stringify(config).includes('aabbcc'));
    assert.equal('secretKey' in { ...auth }, false);
  });

  it('removes trailing slashes from baseUrl', () => {
    assert.equal(resolveConfig({ ...BASE, baseUrl: 'https://h/api/' }).baseUrl, 'https://h/api');
    assert.equal(resolveConfig({ ...BASE, baseUrl: 'https://h//' }).baseUrl, 'https://h');
    assert.equal(
      resolveConfig({ ...BASE, baseUrl: ' http://127.0.0.1:8080/api ' }).baseUrl,
      'http://127.0.0.1:8080/api',
    );
  });

  it('converts units and accepts every valid value', () => {
    const c = resolveConfig({
      ...BASE,
      apiRequestTimeout: 1.5,
      apiRetries: 0,
      apiSleep: 0.01,
      apiResultLimit: 500,
      activityLog: true,
      proxy: { host: 'https://proxy.local', port: 8443, user: 'proxy_user', password: 'password123' },
      verifySsl: false,
      caCertificate: Buffer.from(PEM),
      logFile: 'log/tc.log',
      logFileLevel: 'debug',
      consoleLevel: 'off',
      concurrency: 32,
      compat: 'python-sdk',
    });
    assert.equal(c.apiRequestTimeoutMs, 1500);
    assert.equal(c.apiRetries, 0);
    assert.equal(c.apiSleepMs, 10);
    assert.equal(c.apiResultLimit, 500);
    assert.equal(c.activityLog, true);
    assert.equal(c.proxy?.scheme, 'https');
    assert.equal(c.proxy.host, 'proxy.local');
    assert.equal(c.proxy.port, 8443);
    assert.equal(c.proxy.url, 'https://proxy.local:8443');
    assert.equal(c.proxy.user, 'proxy_user');
    assert.equal(c.proxy.password, 'password123');
    assert.ok(!inspect(c, { depth: 5 }).includes('password123'));
    assert.equal(c.verifySsl, false);
    assert.equal(c.caCertificate, PEM);
    assert.equal(c.logFile, 'log/tc.log');
    assert.equal(c.logFileLevel, 'debug');
    assert.equal(c.consoleLevel, 'off');
    assert.equal(c.concurrency, 32);
    assert.equal(c.compat, 'python-sdk');
    assert.equal(resolveConfig({ ...BASE, apiSleep: 0 }).apiSleepMs, 0);
    assert.equal(resolveConfig({ ...BASE, apiRetries: 1000 }).apiRetries, 1000);
    assert.equal(resolveConfig({ ...BASE, apiResultLimit: 1 }).apiResultLimit, 1);
    assert.equal(resolveConfig({ ...BASE, concurrency: 1 }).concurrency, 1);
    assert.equal(resolveConfig({ ...BASE, apiRequestTimeout: 0.0001 }).apiRequestTimeoutMs, 1);
    assert.equal(
      resolveConfig({ ...BASE, proxy: { host: '10.10.10.10', port: 1 } }).proxy?.url,
      'http://10.10.10.10:1',
    );
    assert.equal(resolveConfig({ ...BASE, consoleLevel: 'WARNING' as 'warning' }).consoleLevel, 'warning');
    assert.equal(resolveConfig({ ...BASE, proxy: undefined, compat: undefined }).proxy, undefined);
  });

  it('uses an injected clock, filling sleep and random', async () => {
    let t = 5;
    const c = resolveConfig({ ...BASE, clock: { now: () => t } });
    assert.equal(c.clock.now(), 5);
    t = 6;
    assert.equal(c.clock.now(), 6);
    await c.clock.sleep(0);
    const full = resolveConfig({
      ...BASE,
      clock: { now: () => 1, sleep: () => Promise.resolve(), random: () => 0.25 },
    });
    assert.equal(full.clock.random(), 0.25);
  });
});

describe('credentials', () => {
  it('token credentials: apiToken hidden, expiry in ms (number or numeric string)', () => {
    const c = resolveConfig({
      defaultOrg: 'o',
      baseUrl: 'https://h',
      apiToken: 'tok-secret',
      apiTokenExpires: '1800000000',
    });
    const auth = c.auth as ResolvedTokenAuth;
    assert.equal(auth.kind, 'token');
    assert.equal(auth.apiToken, 'tok-secret');
    assert.equal(auth.apiTokenExpiresMs, 1_800_000_000_000);
    assert.ok(!inspect(c, { depth: 5 }).includes('tok-secret'));
    const n = resolveConfig({
      defaultOrg: 'o',
      baseUrl: 'https://h',
      apiToken: 't',
      apiTokenExpires: 1_800_000_000,
    });
    assert.equal((n.auth as ResolvedTokenAuth).apiTokenExpiresMs, 1_800_000_000_000);
    const unknown = resolveConfig({ defaultOrg: 'o', baseUrl: 'https://h', apiToken: 't' });
    assert.equal((unknown.auth as ResolvedTokenAuth).apiTokenExpiresMs, undefined);
  });

  it('a token wins over an access id and secret key, as in the original', () => {
    assert.equal(resolveConfig({ ...BASE, apiToken: 't' }).auth.kind, 'token');
  });

  it('needs either accessId+secretKey or apiToken', () => {
    throwsConfig(
      () => resolveConfig({ defaultOrg: 'o', baseUrl: 'https://h' }),
      'credentials are required: either `accessId` and `secretKey`, or `apiToken`',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, secretKey: undefined }),
      '`secretKey` is required with `accessId`',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, accessId: undefined }),
      '`accessId` is required with `secretKey`',
    );
    throwsConfig(() => resolveConfig({ ...BASE, apiTokenExpires: 1 }), '`apiTokenExpires` needs `apiToken`');
    // A level without a file would be ignored without a word.
    throwsConfig(
      () => resolveConfig({ ...BASE, logFileLevel: 'debug' }),
      '`logFileLevel` needs `logFile` (or call setTclFile(path, level) later)',
    );
    assert.equal(resolveConfig({ ...BASE, logFile: 'tc.log', logFileLevel: 'debug' }).logFileLevel, 'debug');
  });

  it('validates each credential; secrets are never echoed', () => {
    throwsConfig(
      () => resolveConfig({ ...BASE, accessId: '' }),
      '`accessId` must be a non-empty string, got ""',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, accessId: 42 as unknown as string }),
      '`accessId` must be a non-empty string, got 42',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, secretKey: '' }),
      '`secretKey` must be a non-empty string, got an empty string',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, secretKey: 12345 as unknown as string }),
      '`secretKey` must be a non-empty string, got a number',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, apiToken: '' }),
      '`apiToken` must be a non-empty string, got an empty string',
    );
    // Both go in the Authorization header, where a line break is no header at all (every request then
    // failed as unreachable, retried for minutes).
    throwsConfig(
      () => resolveConfig({ ...BASE, accessId: 'ID\nX' }),
      '`accessId` must be a string without control characters (it goes in the Authorization header), got "ID\\nX"',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, apiToken: 'tok\ten' }),
      '`apiToken` must be a string without control characters (it goes in the Authorization header), got a string',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, apiToken: 't', apiTokenExpires: 'soon' }),
      '`apiTokenExpires` must be epoch seconds (a number or a numeric string), got "soon"',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, apiToken: 't', apiTokenExpires: -1 }),
      '`apiTokenExpires` must be epoch seconds (a number or a numeric string), got -1',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, apiToken: 't', apiTokenExpires: Number.POSITIVE_INFINITY }),
      '`apiTokenExpires` must be epoch seconds (a number or a numeric string), got Infinity',
    );
  });
});

describe('required options and unknown keys', () => {
  it('rejects non-objects', () => {
    throwsConfig(
      () => resolveConfig(null as unknown as ClientOptions),
      'options must be an object, got null',
    );
    throwsConfig(() => resolveConfig('x' as unknown as ClientOptions), 'options must be an object, got "x"');
    throwsConfig(
      () => resolveConfig([] as unknown as ClientOptions),
      'options must be an object, got an array',
    );
  });

  it('rejects unknown keys, listing the known ones', () => {
    throwsConfig(
      () => resolveConfig({ ...BASE, resultLimit: 5 } as unknown as ClientOptions),
      '`resultLimit` is not a known option (known: accessId, secretKey, apiToken, apiTokenExpires, defaultOrg, baseUrl, apiRequestTimeout, apiRetries, apiSleep, apiResultLimit, activityLog, proxy, verifySsl, caCertificate, logFile, logFileLevel, consoleLevel, concurrency, compat, clock)',
    );
  });

  it('requires defaultOrg and baseUrl', () => {
    throwsConfig(
      () => resolveConfig({ ...BASE, defaultOrg: undefined as unknown as string }),
      '`defaultOrg` is required',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: undefined as unknown as string }),
      '`baseUrl` is required',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, defaultOrg: '' }),
      '`defaultOrg` must be a non-empty string, got ""',
    );
  });

  it('rejects bad base URLs', () => {
    const expected = 'an http or https URL such as "https://api.threatconnect.com/api"';
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: 'not a url' }),
      `\`baseUrl\` must be ${expected}, got "not a url"`,
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: 'ftp://h/api' }),
      `\`baseUrl\` must be ${expected}, got "ftp://h/api"`,
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: 7 as unknown as string }),
      `\`baseUrl\` must be ${expected}, got 7`,
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: 'https://h/api?x=1' }),
      '`baseUrl` must be a URL without a query or fragment, got "https://h/api?x=1"',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: 'https://h/api#top' }),
      '`baseUrl` must be a URL without a query or fragment, got "https://h/api#top"',
    );
    throwsConfig(
      () => resolveConfig({ ...BASE, baseUrl: 'https://u:pw@h/api' }),
      '`baseUrl` must not contain credentials',
    );
  });
});

describe('setting validators (every bad value)', () => {
  const bad: [Partial<ClientOptions>, string][] = [
    [
      { apiRequestTimeout: 0 },
      '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got 0',
    ],
    [
      { apiRequestTimeout: -1 },
      '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got -1',
    ],
    [
      { apiRequestTimeout: 2_147_484 },
      '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got 2147484',
    ],
    [
      { apiRequestTimeout: Number.NaN },
      '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got NaN',
    ],
    [
      { apiRequestTimeout: '30' as unknown as number },
      '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got "30"',
    ],
    [{ apiRetries: -1 }, '`apiRetries` must be an integer >= 0, got -1'],
    [{ apiRetries: 1.5 }, '`apiRetries` must be an integer >= 0, got 1.5'],
    [{ apiRetries: '3' as unknown as number }, '`apiRetries` must be an integer >= 0, got "3"'],
    [{ apiRetries: Number.POSITIVE_INFINITY }, '`apiRetries` must be an integer >= 0, got Infinity'],
    [{ apiSleep: -0.5 }, '`apiSleep` must be a number of seconds >= 0, got -0.5'],
    [{ apiSleep: Number.POSITIVE_INFINITY }, '`apiSleep` must be a number of seconds >= 0, got Infinity'],
    [{ apiSleep: null as unknown as number }, '`apiSleep` must be a number of seconds >= 0, got null'],
    [{ apiResultLimit: 501 }, '`apiResultLimit` must be an integer from 1 to 500, got 501'],
    [{ apiResultLimit: 0 }, '`apiResultLimit` must be an integer from 1 to 500, got 0'],
    [{ apiResultLimit: 10.5 }, '`apiResultLimit` must be an integer from 1 to 500, got 10.5'],
    [
      { apiResultLimit: '500' as unknown as number },
      '`apiResultLimit` must be an integer from 1 to 500, got "500"',
    ],
    [{ activityLog: 'true' as unknown as boolean }, '`activityLog` must be a boolean, got "true"'],
    [{ activityLog: 1 as unknown as boolean }, '`activityLog` must be a boolean, got 1'],
    [{ verifySsl: 'no' as unknown as boolean }, '`verifySsl` must be a boolean, got "no"'],
    [{ concurrency: 0 }, '`concurrency` must be an integer from 1 to 32, got 0'],
    [{ concurrency: 33 }, '`concurrency` must be an integer from 1 to 32, got 33'],
    [{ concurrency: 2.5 }, '`concurrency` must be an integer from 1 to 32, got 2.5'],
    [
      { compat: 'python' as unknown as 'python-sdk' },
      '`compat` must be "python-sdk" or undefined, got "python"',
    ],
    [
      { logFileLevel: 'verbose' as unknown as 'debug' },
      '`logFileLevel` must be one of debug, info, warning, error, critical, got "verbose"',
    ],
    [
      { logFileLevel: 'off' as unknown as 'debug' },
      '`logFileLevel` must be one of debug, info, warning, error, critical, got "off"',
    ],
    [
      { consoleLevel: 'warn' as unknown as 'debug' },
      '`consoleLevel` must be one of debug, info, warning, error, critical, off, got "warn"',
    ],
    [
      { consoleLevel: 3 as unknown as 'debug' },
      '`consoleLevel` must be one of debug, info, warning, error, critical, off, got 3',
    ],
    [{ logFile: '' }, '`logFile` must be a non-empty string, got ""'],
    [
      { caCertificate: 'hello' },
      '`caCertificate` must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got a string without a certificate',
    ],
    [
      { caCertificate: 5 as unknown as string },
      '`caCertificate` must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got 5',
    ],
    [
      { caCertificate: Buffer.from('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----') },
      '`caCertificate` must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got a Buffer without a certificate',
    ],
    [
      { proxy: 'http://p:1' as unknown as { host: string; port: number } },
      '`proxy` must be an object { host, port, user?, password? }, got "http://p:1"',
    ],
    [
      { proxy: null as unknown as { host: string; port: number } },
      '`proxy` must be an object { host, port, user?, password? }, got null',
    ],
    [
      { proxy: { host: '', port: 1 } },
      '`proxy.host` must be a host name or address, optionally with an http:// or https:// prefix, got ""',
    ],
    [
      { proxy: { host: 'socks5://p', port: 1 } },
      '`proxy.host` must be a host name or address, optionally with an http:// or https:// prefix, got "socks5://p"',
    ],
    [
      { proxy: { host: 'user@p', port: 1 } },
      '`proxy.host` must be a host name or address, optionally with an http:// or https:// prefix, got "[REDACTED]@p"',
    ],
    [
      { proxy: { host: 'http://', port: 1 } },
      '`proxy.host` must be a host name or address, optionally with an http:// or https:// prefix, got "http://"',
    ],
    [{ proxy: { host: 'p', port: 0 } }, '`proxy.port` must be an integer from 1 to 65535, got 0'],
    [{ proxy: { host: 'p', port: 65536 } }, '`proxy.port` must be an integer from 1 to 65535, got 65536'],
    [
      { proxy: { host: 'p', port: '8443' as unknown as number } },
      '`proxy.port` must be an integer from 1 to 65535, got "8443"',
    ],
    [
      { proxy: { host: 'p', port: 1, user: '', password: 'x' } },
      '`proxy.user` must be a non-empty string, got ""',
    ],
    [
      { proxy: { host: 'p', port: 1, user: 'u', password: 5 as unknown as string } },
      '`proxy.password` must be a string, got a number',
    ],
    [
      { proxy: { host: 'p', port: 1, user: 'u' } },
      '`proxy.user` and `proxy.password` must be given together',
    ],
    [
      { proxy: { host: 'p', port: 1, password: 'secret-pw' } },
      '`proxy.user` and `proxy.password` must be given together',
    ],
    [
      { proxy: { host: 'p', port: 1, pass: 'x' } as unknown as { host: string; port: number } },
      '`proxy.pass` is not a known option (known: host, port, user, password)',
    ],
    [
      { clock: {} as unknown as { now(): number } },
      '`clock` must be an object with a now() function, got an object',
    ],
    [
      { clock: Date.now as unknown as { now(): number } },
      '`clock` must be an object with a now() function, got a function',
    ],
    [
      { clock: { now: () => 1, sleep: 5 } as unknown as { now(): number } },
      '`clock.sleep` must be a function, got 5',
    ],
    [
      { clock: { now: () => 1, random: 'x' } as unknown as { now(): number } },
      '`clock.random` must be a function, got "x"',
    ],
  ];
  for (const [patch, message] of bad) {
    it(message, () => {
      throwsConfig(() => resolveConfig({ ...BASE, ...patch }), message);
    });
  }

  it('never echoes a proxy password', () => {
    assert.throws(
      () => resolveConfig({ ...BASE, proxy: { host: 'p', port: 1, password: 'secret-pw' } }),
      (error: Error) => !error.message.includes('secret-pw'),
    );
  });

  it('validators take a custom label', () => {
    throwsConfig(
      () => validateApiSleep(-1, '`setApiSleep(seconds)`'),
      '`setApiSleep(seconds)` must be a number of seconds >= 0, got -1',
    );
    assert.equal(validateApiRequestTimeout(30), 30_000);
    assert.equal(validateLogLevel('Critical'), 'critical');
    assert.equal(validateCaCertificate(PEM), PEM);
  });
});

describe('updateConfig (the setters)', () => {
  const config = resolveConfig(BASE);

  it('changes only what is given, in internal units, and returns a new frozen object', () => {
    const next = updateConfig(config, {
      apiResultLimit: 500,
      apiSleep: 0.5,
      apiRequestTimeout: 15,
      apiRetries: 3,
    });
    assert.notEqual(next, config);
    assert.ok(Object.isFrozen(next));
    assert.equal(next.apiResultLimit, 500);
    assert.equal(next.apiSleepMs, 500);
    assert.equal(next.apiRequestTimeoutMs, 15_000);
    assert.equal(next.apiRetries, 3);
    assert.equal(next.auth, config.auth);
    assert.equal(next.clock, config.clock);
    assert.equal(config.apiResultLimit, 200);
    assert.equal((next.auth as ResolvedHmacAuth).secretKey, SECRET);
  });

  it('sets and clears the proxy, CA and log file', () => {
    const withProxy = updateConfig(config, {
      proxy: { host: '10.10.10.10', port: 8443 },
      caCertificate: PEM,
      logFile: 'x.log',
      compat: 'python-sdk',
    });
    assert.equal(withProxy.proxy?.url, 'http://10.10.10.10:8443');
    assert.equal(withProxy.caCertificate, PEM);
    assert.equal(withProxy.logFile, 'x.log');
    assert.equal(withProxy.compat, 'python-sdk');
    const cleared = updateConfig(withProxy, {
      proxy: undefined,
      caCertificate: undefined,
      logFile: undefined,
      compat: undefined,
    });
    assert.equal(cleared.proxy, undefined);
    assert.equal(cleared.caCertificate, undefined);
    assert.equal(cleared.logFile, undefined);
    assert.equal(cleared.compat, undefined);
    assert.equal(updateConfig(config, { apiRetries: undefined }).apiRetries, 5);
  });

  it('uses the same validators as the constructor', () => {
    throwsConfig(
      () => updateConfig(config, { apiResultLimit: 501 }),
      '`apiResultLimit` must be an integer from 1 to 500, got 501',
    );
    throwsConfig(
      () => updateConfig(config, { activityLog: 'yes' as unknown as boolean }),
      '`activityLog` must be a boolean, got "yes"',
    );
  });

  it('rejects keys that cannot be set after construction', () => {
    throwsConfig(
      () => updateConfig(config, { baseUrl: 'https://x' } as unknown as { apiRetries: number }),
      '`baseUrl` is not a known setting (known: apiRequestTimeout, apiRetries, apiSleep, apiResultLimit, activityLog, proxy, verifySsl, caCertificate, logFile, logFileLevel, consoleLevel, concurrency, compat)',
    );
    throwsConfig(
      () => updateConfig(config, null as unknown as { apiRetries: number }),
      'settings must be an object, got null',
    );
  });
});

describe('readEnvOptions', () => {
  it('reads every TC_API_* variable; empty ones are unset', () => {
    const caFile = join(tmp, 'ca.pem');
    writeFileSync(caFile, PEM);
    const options = readEnvOptions({
      TC_API_ACCESS_ID: 'id',
      TC_API_SECRET_KEY: SECRET,
      TC_API_DEFAULT_ORG: 'Example Org',
      TC_API_BASE_URL: 'https://h/api/',
      TC_API_TOKEN: 'tok',
      TC_API_TOKEN_EXPIRES: ' 1800000000 ',
      TC_CA_CERT_FILE: caFile,
      UNRELATED: 'x',
    });
    assert.deepEqual(options, {
      accessId: 'id',
      secretKey: SECRET,
      defaultOrg: 'Example Org',
      baseUrl: 'https://h/api',
      apiToken: 'tok',
      apiTokenExpires: '1800000000',
      caCertificate: PEM,
    });
    assert.deepEqual(readEnvOptions({ TC_API_ACCESS_ID: '', TC_API_TOKEN: '' }), {});
    const config = resolveConfig(options);
    assert.equal(config.auth.kind, 'token');
  });

  it('names the variable in errors', () => {
    throwsConfig(
      () => readEnvOptions({ TC_API_TOKEN_EXPIRES: 'tomorrow' }),
      '`TC_API_TOKEN_EXPIRES` must be epoch seconds (a number or a numeric string), got "tomorrow"',
    );
    throwsConfig(
      () => readEnvOptions({ TC_API_BASE_URL: 'localhost:8080' }),
      '`TC_API_BASE_URL` must be an http or https URL such as "https://api.threatconnect.com/api", got "localhost:8080"',
    );
    const missing = join(tmp, 'missing.pem');
    throwsConfig(
      () => readEnvOptions({ TC_CA_CERT_FILE: missing }),
      `\`TC_CA_CERT_FILE\` cannot be read: ${missing} (ENOENT)`,
    );
    const notPem = join(tmp, 'not.pem');
    writeFileSync(notPem, 'hello');
    throwsConfig(
      () => readEnvOptions({ TC_CA_CERT_FILE: notPem }),
      `\`TC_CA_CERT_FILE\` (${notPem}) must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got a string without a certificate`,
    );
  });
});

describe('config file (tc.conf)', () => {
  const seed = [
    '# standard script heading config',
    '[threatconnect]',
    'api_access_id = 12345678901234567890',
    `api_secret_key = ${SECRET}`,
    'api_default_org = Example Org',
    'api_base_url = https://sandbox.threatconnect.com/api/',
    'api_result_limit = 500',
    'other_app_setting = ignored',
  ].join('\n');

  it('reads the seed keys; the secret comes back whole; trailing / removed', () => {
    const options = configOptionsFromIni(seed);
    assert.deepEqual(options, {
      defaultOrg: 'Example Org',
      baseUrl: 'https://sandbox.threatconnect.com/api',
      accessId: '12345678901234567890',
      secretKey: SECRET,
      apiResultLimit: 500,
    });
    const config = resolveConfig(options);
    assert.equal((config.auth as ResolvedHmacAuth).secretKey, SECRET);
  });

  it('reads token keys', () => {
    const options = configOptionsFromIni(
      '[threatconnect]\napi_default_org = o\napi_base_url = https://h\napi_token = tok\napi_token_expires = 1800000000\n',
    );
    assert.deepEqual(options, {
      defaultOrg: 'o',
      baseUrl: 'https://h',
      apiToken: 'tok',
      apiTokenExpires: '1800000000',
    });
  });

  it('reads a file from disk', () => {
    const file = join(tmp, 'tc.conf');
    writeFileSync(file, seed);
    assert.equal(readConfigFile(file).secretKey, SECRET);
  });

  it('names the file and the key in errors', () => {
    throwsConfig(
      () => configOptionsFromIni('[other]\na = 1\n', 'tc.conf'),
      'tc.conf has no [threatconnect] section',
    );
    throwsConfig(
      () => configOptionsFromIni('[threatconnect]\napi_base_url = https://h\n', 'tc.conf'),
      '`api_default_org` in tc.conf is missing',
    );
    throwsConfig(
      () => configOptionsFromIni('[threatconnect]\napi_default_org = o\n', 'tc.conf'),
      '`api_base_url` in tc.conf is missing',
    );
    throwsConfig(
      () =>
        configOptionsFromIni(
          '[threatconnect]\napi_default_org = o\napi_base_url = https://h\napi_access_id = x\n',
          'tc.conf',
        ),
      '`api_secret_key` in tc.conf is missing',
    );
    throwsConfig(
      () =>
        configOptionsFromIni('[threatconnect]\napi_default_org = o\napi_base_url = https://h\n', 'tc.conf'),
      '`api_access_id` in tc.conf is missing',
    );
    throwsConfig(
      () =>
        configOptionsFromIni(
          '[threatconnect]\napi_default_org = o\napi_base_url = https://h\napi_token = t\napi_token_expires = x\n',
          'tc.conf',
        ),
      '`api_token_expires` in tc.conf must be epoch seconds (a number or a numeric string), got "x"',
    );
    throwsConfig(
      () =>
        configOptionsFromIni(
          `${seed}\napi_result_limit_x = 1\n`.replace('api_result_limit = 500', 'api_result_limit = 501'),
          'tc.conf',
        ),
      '`api_result_limit` in tc.conf must be an integer from 1 to 500, got 501',
    );
    throwsConfig(
      () =>
        configOptionsFromIni(seed.replace('api_result_limit = 500', 'api_result_limit = lots'), 'tc.conf'),
      '`api_result_limit` in tc.conf must be an integer from 1 to 500, got "lots"',
    );
    throwsConfig(
      () =>
        configOptionsFromIni(seed.replace('https://sandbox.threatconnect.com/api/', 'sandbox'), 'tc.conf'),
      '`api_base_url` in tc.conf must be an http or https URL such as "https://api.threatconnect.com/api", got "sandbox"',
    );
    const missing = join(tmp, 'nope.conf');
    throwsConfig(() => readConfigFile(missing), `config file cannot be read: ${missing} (ENOENT)`);
  });
});
