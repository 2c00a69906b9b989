/**
 * Client settings (issue 3 "Public API", decisions.md 1.2): every seed setter's default and its
 * validation with the exact `ConfigError` messages, the constructor forms, `fromConfigFile` and
 * `fromEnv` against a sandbox, base URL normalisation, `close()`, and client isolation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ClientClosedError,
  type ClientOptions,
  ConfigError,
  RequestObject,
  ThreatConnect,
  TimeoutError,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { admin, waitForLog, withSandbox } from '../../helpers/sandbox.js';

/** The Python docs' example secret key: `#` and `;` inside a value must survive the INI reader. */
const INI_SECRET = 'aabbccddeeffgghhiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz!@#$%^&*()-=;x';
const INI_ACCESS_ID = '12345678901234567890';

function mine(): RequestObject {
  return new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners/mine');
}

function configError(message: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'TC_CONFIG');
    assert.equal(error.message, message);
    return true;
  };
}

async function targets(sandbox: Sandbox, log: 'requests' | 'activity' = 'requests'): Promise<string[]> {
  const r = await admin(sandbox, 'GET', log);
  return (r.json() as { requests: { method: string; target: string; status: number | null }[] }).requests.map(
    (e) => `${e.method} ${e.target} ${String(e.status)}`,
  );
}

/** The client as a JavaScript caller sees it: any argument types, to feed wrong ones. */
type LooseSetters = {
  [K in keyof ThreatConnect as K extends `set${string}` ? K : never]: (...args: unknown[]) => void;
};
function loose(tc: ThreatConnect): LooseSetters {
  return tc as unknown as LooseSetters;
}

/** A client with the seed's defaults (no fast-retry overrides). */
function plain(): ThreatConnect {
  return new ThreatConnect('id', 'secret', 'Example Org', 'https://tc.example.invalid/api');
}

describe('setters: defaults and validation', () => {
  it('has the seed defaults, in internal units', () => {
    const tc = plain();
    const { config } = tc;
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
    assert.equal(config.baseUrl, 'https://tc.example.invalid/api');
    assert.equal(config.defaultOrg, 'Example Org');
    assert.deepEqual({ ...config.auth }, { kind: 'hmac', accessId: 'id' });
    assert.ok(Object.isFrozen(config));
  });

  interface SetterCase {
    readonly setter: string;
    readonly call: (tc: ThreatConnect) => void;
    readonly check: (tc: ThreatConnect) => void;
    readonly bad: readonly (readonly [(tc: ThreatConnect) => void, string])[];
  }
  const cases: SetterCase[] = [
    {
      setter: 'setApiRequestTimeout',
      call: (tc) => {
        tc.setApiRequestTimeout(15);
      },
      check: (tc) => {
        assert.equal(tc.config.apiRequestTimeoutMs, 15_000);
      },
      bad: [
        [
          (tc) => {
            tc.setApiRequestTimeout(0);
          },
          '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got 0',
        ],
        [
          (tc) => {
            tc.setApiRequestTimeout(-1);
          },
          '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got -1',
        ],
        [
          (tc) => {
            tc.setApiRequestTimeout(3_000_000);
          },
          '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got 3000000',
        ],
        [
          (tc) => {
            loose(tc).setApiRequestTimeout('15');
          },
          '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got "15"',
        ],
        [
          (tc) => {
            tc.setApiRequestTimeout(Number.NaN);
          },
          '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got NaN',
        ],
        [
          (tc) => {
            loose(tc).setApiRequestTimeout();
          },
          '`apiRequestTimeout` must be a number of seconds greater than 0 and at most 2147483, got undefined',
        ],
      ],
    },
    {
      setter: 'setApiRetries',
      call: (tc) => {
        tc.setApiRetries(3);
      },
      check: (tc) => {
        assert.equal(tc.config.apiRetries, 3);
      },
      bad: [
        [
          (tc) => {
            tc.setApiRetries(-1);
          },
          '`apiRetries` must be an integer >= 0, got -1',
        ],
        [
          (tc) => {
            tc.setApiRetries(1.5);
          },
          '`apiRetries` must be an integer >= 0, got 1.5',
        ],
        [
          (tc) => {
            loose(tc).setApiRetries('3');
          },
          '`apiRetries` must be an integer >= 0, got "3"',
        ],
        [
          (tc) => {
            loose(tc).setApiRetries(null);
          },
          '`apiRetries` must be an integer >= 0, got null',
        ],
        [
          (tc) => {
            loose(tc).setApiRetries();
          },
          '`apiRetries` must be an integer >= 0, got undefined',
        ],
      ],
    },
    {
      setter: 'setApiSleep',
      call: (tc) => {
        tc.setApiSleep(30);
      },
      check: (tc) => {
        assert.equal(tc.config.apiSleepMs, 30_000);
      },
      bad: [
        [
          (tc) => {
            tc.setApiSleep(-0.5);
          },
          '`apiSleep` must be a number of seconds >= 0, got -0.5',
        ],
        [
          (tc) => {
            tc.setApiSleep(Number.POSITIVE_INFINITY);
          },
          '`apiSleep` must be a number of seconds >= 0, got Infinity',
        ],
        [
          (tc) => {
            loose(tc).setApiSleep(null);
          },
          '`apiSleep` must be a number of seconds >= 0, got null',
        ],
        [
          (tc) => {
            loose(tc).setApiSleep();
          },
          '`apiSleep` must be a number of seconds >= 0, got undefined',
        ],
      ],
    },
    {
      setter: 'setApiResultLimit',
      call: (tc) => {
        tc.setApiResultLimit(500);
      },
      check: (tc) => {
        assert.equal(tc.config.apiResultLimit, 500);
      },
      bad: [
        [
          (tc) => {
            tc.setApiResultLimit(501);
          },
          '`apiResultLimit` must be an integer from 1 to 500, got 501',
        ],
        [
          (tc) => {
            tc.setApiResultLimit(0);
          },
          '`apiResultLimit` must be an integer from 1 to 500, got 0',
        ],
        [
          (tc) => {
            tc.setApiResultLimit(100.5);
          },
          '`apiResultLimit` must be an integer from 1 to 500, got 100.5',
        ],
        [
          (tc) => {
            loose(tc).setApiResultLimit('500');
          },
          '`apiResultLimit` must be an integer from 1 to 500, got "500"',
        ],
        [
          (tc) => {
            loose(tc).setApiResultLimit();
          },
          '`apiResultLimit` must be an integer from 1 to 500, got undefined',
        ],
      ],
    },
    {
      setter: 'setActivityLog',
      call: (tc) => {
        tc.setActivityLog(true);
      },
      check: (tc) => {
        assert.equal(tc.config.activityLog, true);
      },
      bad: [
        [
          (tc) => {
            loose(tc).setActivityLog('yes');
          },
          '`activityLog` must be a boolean, got "yes"',
        ],
        [
          (tc) => {
            loose(tc).setActivityLog(1);
          },
          '`activityLog` must be a boolean, got 1',
        ],
        [
          (tc) => {
            loose(tc).setActivityLog();
          },
          '`activityLog` must be a boolean, got undefined',
        ],
      ],
    },
    {
      setter: 'setProxies',
      call: (tc) => {
        tc.setProxies('10.10.10.10', 8443, 'proxy_user', 'password123');
      },
      check: (tc) => {
        const proxy = tc.config.proxy;
        assert.deepEqual(
          { ...proxy },
          {
            scheme: 'http',
            host: '10.10.10.10',
            port: 8443,
            url: 'http://10.10.10.10:8443',
            user: 'proxy_user',
          },
        );
        // The password is kept, but is not enumerable.
        assert.equal(proxy?.password, 'password123');
      },
      bad: [
        [
          (tc) => {
            tc.setProxies('', 8443);
          },
          '`proxy.host` must be a host name or address, optionally with an http:// or https:// prefix, got ""',
        ],
        [
          (tc) => {
            tc.setProxies('socks5://10.10.10.10', 8443);
          },
          '`proxy.host` must be a host name or address, optionally with an http:// or https:// prefix, got "socks5://10.10.10.10"',
        ],
        [
          (tc) => {
            tc.setProxies('10.10.10.10', 0);
          },
          '`proxy.port` must be an integer from 1 to 65535, got 0',
        ],
        [
          (tc) => {
            loose(tc).setProxies('10.10.10.10', '8443');
          },
          '`proxy.port` must be an integer from 1 to 65535, got "8443"',
        ],
        [
          (tc) => {
            tc.setProxies('10.10.10.10', 8443, 'proxy_user');
          },
          '`proxy.user` and `proxy.password` must be given together',
        ],
        [
          (tc) => {
            tc.setProxies('10.10.10.10', 8443, '', 'password123');
          },
          '`proxy.user` must be a non-empty string, got ""',
        ],
        [
          (tc) => {
            loose(tc).setProxies('10.10.10.10', 8443, 'proxy_user', 123);
          },
          // The password is never echoed, only its type.
          '`proxy.password` must be a string, got a number',
        ],
      ],
    },
    {
      setter: 'setVerifySsl',
      call: (tc) => {
        tc.setVerifySsl(false);
      },
      check: (tc) => {
        assert.equal(tc.config.verifySsl, false);
      },
      bad: [
        [
          (tc) => {
            loose(tc).setVerifySsl('false');
          },
          '`verifySsl` must be a boolean, got "false"',
        ],
        [
          (tc) => {
            loose(tc).setVerifySsl();
          },
          '`verifySsl` must be a boolean, got undefined',
        ],
      ],
    },
    {
      setter: 'setCaCertificate',
      call: (tc) => {
        tc.setCaCertificate(PEM);
      },
      check: (tc) => {
        assert.equal(tc.config.caCertificate, PEM);
      },
      bad: [
        [
          (tc) => {
            tc.setCaCertificate('not a certificate');
          },
          '`caCertificate` must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got a string without a certificate',
        ],
        [
          (tc) => {
            loose(tc).setCaCertificate(42);
          },
          '`caCertificate` must be PEM text (a string or Buffer with a "-----BEGIN CERTIFICATE-----" block), got 42',
        ],
      ],
    },
    {
      setter: 'setConcurrency',
      call: (tc) => {
        tc.setConcurrency(8);
      },
      check: (tc) => {
        assert.equal(tc.config.concurrency, 8);
      },
      bad: [
        [
          (tc) => {
            tc.setConcurrency(33);
          },
          '`concurrency` must be an integer from 1 to 32, got 33',
        ],
        [
          (tc) => {
            tc.setConcurrency(0);
          },
          '`concurrency` must be an integer from 1 to 32, got 0',
        ],
        [
          (tc) => {
            loose(tc).setConcurrency();
          },
          '`concurrency` must be an integer from 1 to 32, got undefined',
        ],
      ],
    },
    {
      setter: 'setOutputCompat',
      call: (tc) => {
        tc.setOutputCompat('python-sdk');
      },
      check: (tc) => {
        assert.equal(tc.config.compat, 'python-sdk');
        tc.setOutputCompat(undefined);
        assert.equal(tc.config.compat, undefined);
      },
      bad: [
        [
          (tc) => {
            loose(tc).setOutputCompat('python');
          },
          '`compat` must be "python-sdk" or undefined, got "python"',
        ],
      ],
    },
    {
      setter: 'setTclConsoleLevel',
      call: (tc) => {
        tc.setTclConsoleLevel('off');
      },
      check: (tc) => {
        assert.equal(tc.config.consoleLevel, 'off');
        loose(tc).setTclConsoleLevel('WARNING');
        assert.equal(tc.config.consoleLevel, 'warning');
        tc.setTclConsoleLevel('critical');
      },
      bad: [
        [
          (tc) => {
            loose(tc).setTclConsoleLevel('loud');
          },
          '`consoleLevel` must be one of debug, info, warning, error, critical, off, got "loud"',
        ],
        [
          (tc) => {
            loose(tc).setTclConsoleLevel();
          },
          '`consoleLevel` must be one of debug, info, warning, error, critical, off, got undefined',
        ],
      ],
    },
  ];

  for (const c of cases) {
    it(`${c.setter}: accepts a valid value and rejects bad ones with ConfigError`, () => {
      const tc = plain();
      c.call(tc);
      c.check(tc);
      const before = tc.config;
      for (const [bad, message] of c.bad) {
        assert.throws(() => {
          bad(tc);
        }, configError(message));
        // A rejected value leaves the settings unchanged.
        assert.equal(tc.config, before, `${c.setter}: the config changed after "${message}"`);
      }
    });
  }

  it('setApiRetries(0) and setApiSleep(0) / setApiSleep(0.5) are allowed', () => {
    const tc = plain();
    tc.setApiRetries(0);
    assert.equal(tc.config.apiRetries, 0);
    tc.setApiSleep(0.5);
    assert.equal(tc.config.apiSleepMs, 500);
    tc.setApiSleep(0);
    assert.equal(tc.config.apiSleepMs, 0);
    tc.setApiRequestTimeout(0.25);
    assert.equal(tc.config.apiRequestTimeoutMs, 250);
    tc.setApiResultLimit(1);
    assert.equal(tc.config.apiResultLimit, 1);
  });

  it('setTclFile: default level info, creates missing folders, validates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-settings-'));
    try {
      const tc = plain();
      const file = path.join(dir, 'log', 'deeper', 'tc.log');
      tc.setTclFile(file);
      assert.equal(tc.config.logFile, file);
      assert.equal(tc.config.logFileLevel, 'info');
      assert.equal(readFileSync(file, 'utf8'), '');
      tc.setTclFile(file, 'debug');
      assert.equal(tc.config.logFileLevel, 'debug');
      assert.throws(() => {
        tc.setTclFile('');
      }, configError('`logFile` must be a non-empty string, got ""'));
      assert.throws(() => {
        loose(tc).setTclFile(file, 'verbose');
      }, configError('`logFileLevel` must be one of debug, info, warning, error, critical, got "verbose"'));
      // A folder that cannot be made (a regular file is in the way); CI runs as root, so no chmod.
      writeFileSync(path.join(dir, 'plain-file'), 'x');
      const blocked = path.join(dir, 'plain-file', 'sub', 'tc.log');
      assert.throws(
        () => {
          tc.setTclFile(blocked);
        },
        configError(`\`logFile\` cannot be written: ${blocked} (ENOTDIR)`),
      );
      assert.equal(tc.config.logFile, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('constructors', () => {
  const options = {
    accessId: 'id',
    secretKey: 'secret',
    defaultOrg: 'Example Org',
    baseUrl: 'https://tc.example.invalid/api/',
  };

  it('positional and options forms give the same settings', () => {
    const a = new ThreatConnect('id', 'secret', 'Example Org', 'https://tc.example.invalid/api/');
    const b = new ThreatConnect(options);
    const { clock: clockA, auth: authA, ...restA } = a.config;
    const { clock: clockB, auth: authB, ...restB } = b.config;
    assert.deepEqual(restA, restB);
    assert.deepEqual({ ...authA }, { ...authB });
    assert.equal(authA.kind === 'hmac' ? authA.secretKey : '', 'secret');
    assert.equal(authB.kind === 'hmac' ? authB.secretKey : '', 'secret');
    assert.equal(typeof clockA.now, typeof clockB.now);
    assert.equal(restA.baseUrl, 'https://tc.example.invalid/api');
  });

  it('rejects unknown option keys', () => {
    assert.throws(
      () => new ThreatConnect({ ...options, apiRetry: 3 } as unknown as ClientOptions),
      configError(
        '`apiRetry` is not a known option (known: accessId, secretKey, apiToken, apiTokenExpires, defaultOrg, ' +
          'baseUrl, apiRequestTimeout, apiRetries, apiSleep, apiResultLimit, activityLog, proxy, verifySsl, ' +
          'caCertificate, logFile, logFileLevel, consoleLevel, concurrency, compat, clock)',
      ),
    );
    assert.throws(
      () =>
        new ThreatConnect({
          ...options,
          proxy: { host: 'h', port: 1, pass: 'x' },
        } as unknown as ClientOptions),
      configError('`proxy.pass` is not a known option (known: host, port, user, password)'),
    );
  });

  it('rejects a wrong number of arguments', () => {
    const Ctor = ThreatConnect as unknown as new (...args: unknown[]) => ThreatConnect;
    const takes = 'ThreatConnect takes (accessId, secretKey, defaultOrg, baseUrl) or one options object, got';
    assert.throws(() => new Ctor(), configError(`${takes} 0 arguments`));
    assert.throws(() => new Ctor('id'), configError(`${takes} 1 argument`));
    assert.throws(() => new Ctor('id', 'secret'), configError(`${takes} 2 arguments`));
    assert.throws(() => new Ctor('id', 'secret', 'Example Org'), configError(`${takes} 3 arguments`));
    assert.throws(
      () => new Ctor('id', 'secret', 'Example Org', 'https://h/api', 'extra'),
      configError(`${takes} 5 arguments`),
    );
    assert.throws(() => new Ctor(null), configError(`${takes} 1 argument`));
  });

  it('names the field that is missing or invalid', () => {
    const cases: [ClientOptions | [string, string, string, string], string][] = [
      [['', 'secret', 'Example Org', 'https://h/api'], '`accessId` must be a non-empty string, got ""'],
      // The secret is never echoed.
      [
        ['id', '', 'Example Org', 'https://h/api'],
        '`secretKey` must be a non-empty string, got an empty string',
      ],
      [['id', 'secret', '', 'https://h/api'], '`defaultOrg` must be a non-empty string, got ""'],
      [
        ['id', 'secret', 'Example Org', 'tc.example.com/api'],
        '`baseUrl` must be an http or https URL such as "https://api.threatconnect.com/api", got "tc.example.com/api"',
      ],
      [
        ['id', 'secret', 'Example Org', 'https://h/api?x=1'],
        '`baseUrl` must be a URL without a query or fragment, got "https://h/api?x=1"',
      ],
      [
        { accessId: 'id', secretKey: 'secret', defaultOrg: 'Example Org' } as ClientOptions,
        '`baseUrl` is required',
      ],
      [
        { accessId: 'id', secretKey: 'secret', baseUrl: 'https://h/api' } as ClientOptions,
        '`defaultOrg` is required',
      ],
      [
        { accessId: 'id', defaultOrg: 'Example Org', baseUrl: 'https://h/api' },
        '`secretKey` is required with `accessId`',
      ],
      [
        { secretKey: 'secret', defaultOrg: 'Example Org', baseUrl: 'https://h/api' },
        '`accessId` is required with `secretKey`',
      ],
      [
        { defaultOrg: 'Example Org', baseUrl: 'https://h/api' },
        'credentials are required: either `accessId` and `secretKey`, or `apiToken`',
      ],
      [{ ...options, apiResultLimit: 501 }, '`apiResultLimit` must be an integer from 1 to 500, got 501'],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => (Array.isArray(input) ? new ThreatConnect(...input) : new ThreatConnect(input)),
        configError(message),
      );
    }
  });

  it('takes every option of decisions.md 1.2', () => {
    const tc = new ThreatConnect({
      ...options,
      apiRequestTimeout: 15,
      apiRetries: 3,
      apiSleep: 30,
      apiResultLimit: 500,
      activityLog: true,
      proxy: { host: 'https://proxy.example', port: 3128 },
      verifySsl: false,
      caCertificate: Buffer.from(PEM),
      consoleLevel: 'off',
      concurrency: 2,
      compat: 'python-sdk',
    });
    const { config } = tc;
    assert.equal(config.apiRequestTimeoutMs, 15_000);
    assert.equal(config.apiRetries, 3);
    assert.equal(config.apiSleepMs, 30_000);
    assert.equal(config.apiResultLimit, 500);
    assert.equal(config.activityLog, true);
    assert.equal(config.proxy?.url, 'https://proxy.example:3128');
    assert.equal(config.verifySsl, false);
    assert.equal(config.caCertificate, PEM);
    assert.equal(config.consoleLevel, 'off');
    assert.equal(config.concurrency, 2);
    assert.equal(config.compat, 'python-sdk');
  });
});

describe('settings against the sandbox', () => {
  let sandbox: Sandbox;
  let https: Sandbox;
  let dir: string;
  before(async () => {
    [sandbox, https] = await Promise.all([
      withSandbox({ accessId: INI_ACCESS_ID, secretKey: INI_SECRET, seedIndicators: 0 }),
      withSandbox({ https: true }),
    ]);
    dir = mkdtempSync(path.join(tmpdir(), 'tc-settings-'));
  });
  after(async () => {
    await Promise.all([sandbox.close(), https.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a trailing "/" on the base URL is removed and the request signs correctly', async () => {
    await admin(sandbox, 'DELETE', 'requests');
    const tc = new ThreatConnect(
      sandbox.accessId,
      sandbox.secretKey,
      sandbox.defaultOrg,
      `${sandbox.baseUrl}/`,
    );
    try {
      assert.equal(tc.config.baseUrl, sandbox.baseUrl);
      const results = await tc.apiRequest(mine());
      assert.equal(results.status, 200, results.text());
    } finally {
      await tc.close();
    }
    assert.deepEqual(await targets(sandbox), ['GET /api/v2/owners/mine?createActivityLog=false 200']);
  });

  it('fromConfigFile reads tc.conf (a secret key with # and ;) and works against the sandbox', async () => {
    const file = path.join(dir, 'tc.conf');
    writeFileSync(
      file,
      [
        '# ThreatConnect settings',
        '; a comment line',
        '[threatconnect]',
        `api_access_id = ${INI_ACCESS_ID}`,
        `api_secret_key = ${INI_SECRET}`,
        `api_default_org: ${sandbox.defaultOrg}`,
        `api_base_url = ${sandbox.baseUrl}/`,
        'api_result_limit = 500',
        '',
        '[other]',
        'ignored = yes',
        '',
      ].join('\n'),
    );
    const tc = ThreatConnect.fromConfigFile(file);
    try {
      assert.equal(tc.config.auth.kind === 'hmac' ? tc.config.auth.secretKey : '', INI_SECRET);
      assert.equal(tc.config.auth.kind === 'hmac' ? tc.config.auth.accessId : '', INI_ACCESS_ID);
      assert.equal(tc.config.baseUrl, sandbox.baseUrl);
      assert.equal(tc.config.apiResultLimit, 500);
      const results = await tc.apiRequest(mine());
      assert.equal(results.status, 200, results.text());
    } finally {
      await tc.close();
    }
  });

  it('fromConfigFile names the missing or invalid key', () => {
    const write = (name: string, lines: string[]): string => {
      const file = path.join(dir, name);
      writeFileSync(file, lines.join('\n'));
      return file;
    };
    const base = [
      '[threatconnect]',
      'api_access_id = id',
      'api_secret_key = secret',
      'api_default_org = Example Org',
      'api_base_url = https://h/api',
    ];
    const noUrl = write('no-url.conf', base.slice(0, 4));
    assert.throws(
      () => ThreatConnect.fromConfigFile(noUrl),
      configError(`\`api_base_url\` in ${noUrl} is missing`),
    );
    const noSecret = write('no-secret.conf', [base[0] ?? '', base[1] ?? '', base[3] ?? '', base[4] ?? '']);
    assert.throws(
      () => ThreatConnect.fromConfigFile(noSecret),
      configError(`\`api_secret_key\` in ${noSecret} is missing`),
    );
    const badLimit = write('bad-limit.conf', [...base, 'api_result_limit = 501']);
    assert.throws(
      () => ThreatConnect.fromConfigFile(badLimit),
      configError(`\`api_result_limit\` in ${badLimit} must be an integer from 1 to 500, got 501`),
    );
    const noSection = write('no-section.conf', ['[tc]', 'api_access_id = id']);
    assert.throws(
      () => ThreatConnect.fromConfigFile(noSection),
      configError(`${noSection} has no [threatconnect] section`),
    );
    const missing = path.join(dir, 'missing.conf');
    assert.throws(
      () => ThreatConnect.fromConfigFile(missing),
      configError(`config file cannot be read: ${missing} (ENOENT)`),
    );
  });

  it('fromEnv reads TC_API_* and works against the sandbox (HMAC and token)', async () => {
    const hmac = ThreatConnect.fromEnv({
      TC_API_ACCESS_ID: sandbox.accessId,
      TC_API_SECRET_KEY: sandbox.secretKey,
      TC_API_DEFAULT_ORG: sandbox.defaultOrg,
      TC_API_BASE_URL: sandbox.baseUrl,
      UNRELATED: 'x',
    });
    const token = ThreatConnect.fromEnv({
      TC_API_TOKEN: sandbox.apiToken,
      TC_API_TOKEN_EXPIRES: String(sandbox.apiTokenExpires),
      TC_API_DEFAULT_ORG: sandbox.defaultOrg,
      TC_API_BASE_URL: sandbox.baseUrl,
    });
    try {
      assert.equal(hmac.config.auth.kind, 'hmac');
      assert.equal(token.config.auth.kind, 'token');
      assert.equal((await hmac.apiRequest(mine())).status, 200);
      assert.equal((await token.apiRequest(mine())).status, 200);
    } finally {
      await Promise.all([hmac.close(), token.close()]);
    }
  });

  it('fromEnv with TC_CA_CERT_FILE trusts the HTTPS sandbox', async () => {
    const caFile = path.join(dir, 'sandbox-ca.pem');
    writeFileSync(caFile, https.caCertificate ?? '');
    const env = {
      TC_API_ACCESS_ID: https.accessId,
      TC_API_SECRET_KEY: https.secretKey,
      TC_API_DEFAULT_ORG: https.defaultOrg,
      TC_API_BASE_URL: https.baseUrl,
    };
    const trusted = ThreatConnect.fromEnv({ ...env, TC_CA_CERT_FILE: caFile });
    const untrusted = ThreatConnect.fromEnv(env);
    untrusted.setApiRetries(0);
    try {
      assert.equal(trusted.config.caCertificate, https.caCertificate);
      assert.equal((await trusted.apiRequest(mine())).status, 200);
      await assert.rejects(untrusted.apiRequest(mine()), /certificate/);
    } finally {
      await Promise.all([trusted.close(), untrusted.close()]);
    }
  });

  it('fromEnv names the missing or invalid variable', () => {
    const full = {
      TC_API_ACCESS_ID: 'id',
      TC_API_SECRET_KEY: 'secret',
      TC_API_DEFAULT_ORG: 'Example Org',
      TC_API_BASE_URL: 'https://h/api',
    };
    const without = (name: keyof typeof full): Record<string, string> =>
      Object.fromEntries(Object.entries(full).filter(([key]) => key !== name));
    assert.throws(
      () => ThreatConnect.fromEnv(without('TC_API_BASE_URL')),
      configError('`TC_API_BASE_URL` is not set'),
    );
    assert.throws(
      () => ThreatConnect.fromEnv(without('TC_API_DEFAULT_ORG')),
      configError('`TC_API_DEFAULT_ORG` is not set'),
    );
    assert.throws(
      () => ThreatConnect.fromEnv(without('TC_API_SECRET_KEY')),
      configError('`TC_API_SECRET_KEY` is not set (it goes with `TC_API_ACCESS_ID`)'),
    );
    assert.throws(
      () => ThreatConnect.fromEnv(without('TC_API_ACCESS_ID')),
      configError('`TC_API_ACCESS_ID` is not set (it goes with `TC_API_SECRET_KEY`)'),
    );
    assert.throws(
      () => ThreatConnect.fromEnv({ TC_API_DEFAULT_ORG: 'Example Org', TC_API_BASE_URL: 'https://h/api' }),
      configError('credentials are not set: `TC_API_ACCESS_ID` and `TC_API_SECRET_KEY`, or `TC_API_TOKEN`'),
    );
    // An empty variable counts as unset.
    assert.throws(
      () => ThreatConnect.fromEnv({ ...full, TC_API_BASE_URL: '' }),
      configError('`TC_API_BASE_URL` is not set'),
    );
    assert.throws(
      () => ThreatConnect.fromEnv({ ...full, TC_API_BASE_URL: 'tc.example.com' }),
      configError(
        '`TC_API_BASE_URL` must be an http or https URL such as "https://api.threatconnect.com/api", got "tc.example.com"',
      ),
    );
    assert.throws(
      () => ThreatConnect.fromEnv({ ...full, TC_API_TOKEN: 't', TC_API_TOKEN_EXPIRES: 'soon' }),
      configError('`TC_API_TOKEN_EXPIRES` must be epoch seconds (a number or a numeric string), got "soon"'),
    );
    const missingCa = path.join(dir, 'missing.pem');
    assert.throws(
      () => ThreatConnect.fromEnv({ ...full, TC_CA_CERT_FILE: missingCa }),
      configError(`\`TC_CA_CERT_FILE\` cannot be read: ${missingCa} (ENOENT)`),
    );
  });

  it('setActivityLog switches createActivityLog on every request', async () => {
    await admin(sandbox, 'DELETE', 'requests');
    await admin(sandbox, 'DELETE', 'activity');
    const tc = clientFor(sandbox);
    try {
      await tc.apiRequest(mine());
      tc.setActivityLog(true);
      await tc.apiRequest(mine());
      await tc.apiRequest(
        new RequestObject()
          .setHttpMethod('GET')
          .setOwner('Example Community')
          .setRequestUri('/v2/indicators'),
      );
      tc.setActivityLog(false);
      await tc.apiRequest(mine());
    } finally {
      await tc.close();
    }
    assert.deepEqual(await targets(sandbox), [
      'GET /api/v2/owners/mine?createActivityLog=false 200',
      'GET /api/v2/owners/mine?createActivityLog=true 200',
      'GET /api/v2/indicators?createActivityLog=true&owner=Example+Community 200',
      'GET /api/v2/owners/mine?createActivityLog=false 200',
    ]);
    assert.equal((await targets(sandbox, 'activity')).length, 2);
  });

  it('setApiRetries(0) makes one attempt; setApiRetries(2) three', async () => {
    await admin(sandbox, 'POST', 'faults', {
      rules: [{ kind: 'status', status: 503, pathPrefix: '/v2/owners' }],
    });
    const tc = clientFor(sandbox);
    try {
      tc.setApiSleep(0);
      tc.setApiRetries(0);
      await admin(sandbox, 'DELETE', 'requests');
      const once = await tc.apiRequest(mine());
      assert.equal(once.status, 503);
      assert.equal(once.attempts, 1);
      assert.equal((await targets(sandbox)).length, 1);

      tc.setApiRetries(2);
      await admin(sandbox, 'DELETE', 'requests');
      const thrice = await tc.apiRequest(mine());
      assert.equal(thrice.status, 503);
      assert.equal(thrice.attempts, 3);
      assert.deepEqual(await targets(sandbox), [
        'GET /api/v2/owners/mine?createActivityLog=false 503',
        'GET /api/v2/owners/mine?createActivityLog=false 503',
        'GET /api/v2/owners/mine?createActivityLog=false 503',
      ]);
    } finally {
      await tc.close();
      await admin(sandbox, 'DELETE', 'faults');
    }
  });

  it('setApiRequestTimeout bounds a silent server (TimeoutError)', async () => {
    const tc = clientFor(sandbox, { apiRetries: 0 });
    try {
      // A first call leaves an open socket, so the timed call below is on the wire at once: its
      // timeout cannot turn into a connect timeout on a slow machine.
      assert.equal((await tc.apiRequest(mine())).status, 200);
      await admin(sandbox, 'POST', 'faults', {
        rules: [{ kind: 'stall', ms: 1000, pathPrefix: '/v2/owners' }],
      });
      await admin(sandbox, 'DELETE', 'requests');
      tc.setApiRequestTimeout(0.1);
      await assert.rejects(tc.apiRequest(mine()), (error: unknown) => {
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.code, 'TC_TIMEOUT');
        assert.equal(error.phase, 'idle');
        assert.equal(error.message, 'No data from the server for 100 ms');
        return true;
      });
      // The sandbox logs the stalled request once it has answered it: not yet.
      assert.deepEqual(await targets(sandbox), [], 'the timeout fired before the stall ended');
      // Wait for that entry, so that it does not land in the next test's log.
      await waitForLog(sandbox, 1);
    } finally {
      await tc.close();
      await admin(sandbox, 'DELETE', 'faults');
    }
  });

  it('setApiResultLimit sets the page size of apiRequestPages', async () => {
    await admin(sandbox, 'DELETE', 'requests');
    // One window at a time, every window once (a walk left early would still have the next window on
    // the wire: the whole listing is read, so that the log is complete when the loop ends).
    const tc = clientFor(sandbox, { concurrency: 1 });
    const starts: number[] = [];
    let total = 0;
    let count = 0;
    try {
      tc.setApiResultLimit(7);
      const ro = new RequestObject()
        .setHttpMethod('GET')
        .setOwner('Example Community')
        .setRequestUri('/v2/indicators');
      for await (const page of tc.apiRequestPages(ro)) {
        starts.push(page.resultStart);
        assert.equal(page.resultLimit, 7);
        total += page.items.length;
        count = page.resultCount;
      }
    } finally {
      await tc.close();
    }
    assert.ok(count > 14, `${count} indicators: enough for three windows`);
    assert.equal(total, count);
    const windows = Array.from({ length: Math.ceil(count / 7) }, (_, i) => i * 7);
    assert.deepEqual(starts, windows);
    assert.deepEqual(
      await targets(sandbox),
      windows.map(
        (start) =>
          `GET /api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=7&resultStart=${start} 200`,
      ),
    );
  });

  it('close() ends the client: apiRequest and apiRequestPages then throw', async () => {
    const tc = clientFor(sandbox);
    assert.equal((await tc.apiRequest(mine())).status, 200);
    await tc.close();
    await tc.close(); // a second close is harmless
    await assert.rejects(tc.apiRequest(mine()), (error: unknown) => {
      assert.ok(error instanceof ClientClosedError, String(error));
      assert.equal(error.code, 'TC_CLOSED');
      assert.equal(error.message, 'This client has been closed');
      return true;
    });
    await assert.rejects(tc.apiRequestPages(mine())[Symbol.asyncIterator]().next(), ClientClosedError);
  });

  it('two clients share nothing: settings, reports and connections are their own', async () => {
    const a = clientFor(sandbox);
    const b = clientFor(sandbox);
    try {
      a.setApiResultLimit(10);
      a.setActivityLog(true);
      a.reportEnable();
      assert.equal(b.config.apiResultLimit, 200);
      assert.equal(b.config.activityLog, false);
      await Promise.all([a.apiRequest(mine()), b.apiRequest(mine())]);
      assert.equal(a.report.apiCalls, 1);
      assert.equal(b.report.apiCalls, 1);
      assert.equal(a.report.entries.length, 1);
      assert.equal(b.report.entries.length, 0);
      await a.close();
      await assert.rejects(a.apiRequest(mine()), ClientClosedError);
      // b keeps its own dispatcher and still works.
      const results = await b.apiRequest(mine());
      assert.equal(results.status, 200);
      assert.equal(b.report.apiCalls, 2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** A syntactically valid certificate block (settings are only checked, never used, in these tests). */
const PEM = `-----BEGIN CERTIFICATE-----
MIIBdDCCARugAwIBAgIUExampleExampleExampleExampleExamAwCgYIKoZIzj0EAwIw
-----END CERTIFICATE-----
`;
