/**
 * How an API command connects (decisions.md 4), in-process against sandboxes: flags, then `TC_API_*`
 * variables, then `--config`, merged field by field (the request log tells which user signed); the
 * messages for missing or refused settings, bad credentials and an unreachable server; proxies from
 * `--proxy` or `HTTPS_PROXY`/`http_proxy` with `NO_PROXY`; TLS with `--ca-cert`, `TC_CA_CERT_FILE`
 * or `--insecure`; the log file; `--timeout`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { startProxy, type TestProxy } from '../../helpers/proxy.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { closedPort, requestLog, resetSandbox, setRules } from '../client/support.js';
import { jsonLines, runInProcess, sandboxEnv, tempFolder } from './in-process.js';

const OWNERS = [
  { id: 1, name: 'Example Org', type: 'Organization' },
  { id: 2, name: 'Example Community', type: 'Community' },
  { id: 3, name: 'Common Community', type: 'Community' },
];

function conf(values: Record<string, string>): string {
  return `[threatconnect]\n${Object.entries(values)
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n')}\n`;
}

describe('threatconnect: credentials, transport and logging', () => {
  let sandbox: Sandbox;
  const folder = tempFolder('tc-cli-connection-');
  let mainKey: string;
  let wrongKey: string;

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 0 });
    mainKey = folder.file('main.key', `${sandbox.secretKey}\n`);
    wrongKey = folder.file('wrong.key', 'not-the-secret-key\n');
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  /** Runs `owners` and says which access id signed its request (null: no request, or a token). */
  async function whoSigned(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; stderr: string; signer: string | null | undefined }> {
    await resetSandbox(sandbox);
    const result = await runInProcess(['owners', ...args], { env });
    const log = await requestLog(sandbox);
    return { code: result.code, stderr: result.stderr, signer: log[0]?.accessId };
  }

  it('uses the environment, or the --config file, alone', async () => {
    const env = await runInProcess(['owners'], { env: sandboxEnv(sandbox) });
    assert.equal(env.code, 0, env.stderr);
    assert.deepEqual(jsonLines(env.stdout), OWNERS);
    const file = folder.file(
      'tc.conf',
      conf({
        api_access_id: sandbox.accessId,
        api_secret_key: sandbox.secretKey,
        api_default_org: sandbox.defaultOrg,
        api_base_url: sandbox.baseUrl,
      }),
    );
    const config = await runInProcess(['owners', '--config', file]);
    assert.equal(config.code, 0, config.stderr);
    assert.deepEqual(jsonLines(config.stdout), OWNERS);
  });

  it('flags win over the environment, and the environment over --config, field by field', async () => {
    const restricted = {
      TC_API_BASE_URL: sandbox.baseUrl,
      TC_API_DEFAULT_ORG: sandbox.defaultOrg,
      TC_API_ACCESS_ID: sandbox.restrictedUser.accessId,
      TC_API_SECRET_KEY: sandbox.restrictedUser.secretKey,
    };
    const restrictedConf = folder.file(
      'restricted.conf',
      conf({
        api_access_id: sandbox.restrictedUser.accessId,
        api_secret_key: sandbox.restrictedUser.secretKey,
        api_default_org: sandbox.defaultOrg,
        api_base_url: `http://127.0.0.1:${await closedPort()}/api`,
      }),
    );
    // The flags' credentials over the environment's.
    let run = await whoSigned(['--access-id', sandbox.accessId, '--secret-key-file', mainKey], restricted);
    assert.deepEqual(run, { code: 0, stderr: '', signer: sandbox.accessId });
    // The environment's over the file's; the file's base URL (a closed port) loses to the variable.
    run = await whoSigned(['--config', restrictedConf], sandboxEnv(sandbox));
    assert.deepEqual(run, { code: 0, stderr: '', signer: sandbox.accessId });
    // Field by field: the access id from the flag, its secret key from the environment, the URL from the file.
    const fileUrl = folder.file('url-only.conf', conf({ api_base_url: sandbox.baseUrl }));
    run = await whoSigned(['--config', fileUrl, '--access-id', sandbox.accessId], {
      TC_API_DEFAULT_ORG: sandbox.defaultOrg,
      TC_API_SECRET_KEY: sandbox.secretKey,
    });
    assert.deepEqual(run, { code: 0, stderr: '', signer: sandbox.accessId });
    // --base-url over TC_API_BASE_URL (a closed port).
    run = await whoSigned(['--base-url', sandbox.baseUrl], {
      ...sandboxEnv(sandbox),
      TC_API_BASE_URL: `http://127.0.0.1:${await closedPort()}/api`,
    });
    assert.deepEqual(run, { code: 0, stderr: '', signer: sandbox.accessId });
    // The file alone with the restricted user, to show the file is read at all.
    const restrictedOk = folder.file(
      'restricted-ok.conf',
      conf({
        api_access_id: sandbox.restrictedUser.accessId,
        api_secret_key: sandbox.restrictedUser.secretKey,
        api_default_org: sandbox.defaultOrg,
        api_base_url: sandbox.baseUrl,
      }),
    );
    run = await whoSigned(['--config', restrictedOk]);
    assert.deepEqual(run, { code: 0, stderr: '', signer: sandbox.restrictedUser.accessId });
  });

  it('the first source with credentials decides their kind: a token file beats HMAC variables', async () => {
    const token = folder.file('token', `${sandbox.apiToken}\n`);
    await resetSandbox(sandbox);
    const result = await runInProcess(['owners', '--api-token-file', token], {
      env: { ...sandboxEnv(sandbox), TC_API_ACCESS_ID: 'someone-else', TC_API_SECRET_KEY: 'wrong' },
    });
    assert.equal(result.code, 0, result.stderr);
    const viaEnvToken = await runInProcess(['owners', '--config', folder.file('restricted-ok.conf')], {
      env: { TC_API_TOKEN: sandbox.apiToken, TC_API_TOKEN_EXPIRES: String(sandbox.apiTokenExpires) },
    });
    assert.equal(viaEnvToken.code, 0, viaEnvToken.stderr);
    const log = await requestLog(sandbox);
    assert.deepEqual(
      log.map((e) => [e.status, e.accessId]),
      [
        [200, sandbox.accessId],
        [200, sandbox.accessId],
      ],
    );
  });

  it('a missing setting is one line naming where it may come from (exit 1)', async () => {
    const base = { TC_API_BASE_URL: sandbox.baseUrl };
    const org = { ...base, TC_API_DEFAULT_ORG: sandbox.defaultOrg };
    const partial = folder.file('partial.conf', conf({ api_secret_key: 'abc' }));
    const cases: [string[], Record<string, string>, string][] = [
      [[], {}, 'no API base URL: give --base-url, set TC_API_BASE_URL, or use --config FILE'],
      [[], base, 'no default organization: give --default-org, set TC_API_DEFAULT_ORG, or use --config FILE'],
      [
        [],
        org,
        'no credentials: give --access-id with --secret-key-file, or --api-token-file; or set TC_API_ACCESS_ID and TC_API_SECRET_KEY, or TC_API_TOKEN; or use --config FILE',
      ],
      [
        ['--access-id', 'ID'],
        org,
        'the access id (from --access-id) has no secret key: give --secret-key-file, set TC_API_SECRET_KEY, or use --config FILE',
      ],
      [
        ['--config', partial],
        org,
        `the secret key (from api_secret_key in ${partial}) has no access id: give --access-id, set TC_API_ACCESS_ID, or put api_access_id in ${partial}`,
      ],
      [
        ['--secret-key-file', folder.file('absent.key')],
        org,
        // The path is not repeated: it could be the secret itself, given by mistake.
        'cannot read the file given to --secret-key-file: no such file',
      ],
      [
        ['--secret-key-file', folder.file('empty.key', '\n')],
        org,
        `--secret-key-file ${folder.file('empty.key')} is empty`,
      ],
      [
        ['--config', folder.file('absent.conf')],
        org,
        `config file cannot be read: ${folder.file('absent.conf')} (ENOENT)`,
      ],
      [
        ['--config', folder.file('other.conf', '[other]\nkey = value\n')],
        org,
        `${folder.file('other.conf')} has no [threatconnect] section`,
      ],
      [[], { ...org, TC_API_BASE_URL: 'tc.example.com' }, '`TC_API_BASE_URL` must be an http or https URL'],
      [
        ['--proxy', 'http://127.0.0.1:1'],
        { ...sandboxEnv(sandbox), TC_CA_CERT_FILE: folder.file('absent.pem') },
        `\`TC_CA_CERT_FILE\` cannot be read: ${folder.file('absent.pem')} (ENOENT)`,
      ],
    ];
    for (const [args, env, message] of cases) {
      const result = await runInProcess(['owners', ...args], { env });
      assert.equal(result.code, 1, `${message}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.ok(result.stderr.startsWith(`threatconnect owners: ${message}`), `${result.stderr}\n${message}`);
      assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    }
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('refused credentials and an unreachable server are one clear line (exit 1)', async () => {
    const refused = await runInProcess(['owners', '--secret-key-file', wrongKey], {
      env: { ...sandboxEnv(sandbox), TC_API_SECRET_KEY: '' },
    });
    assert.deepEqual({ code: refused.code, stdout: refused.stdout }, { code: 1, stdout: '' });
    assert.match(
      refused.stderr,
      /^threatconnect owners: the server refused the credentials \(HTTP 401: [^)]+\): check the access id and secret key, or the API token \(GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/owners\?.*\)\n$/,
    );
    const port = await closedPort();
    const unreachable = await runInProcess(['owners', '--retries', '1', '--retry-sleep', '0.01'], {
      env: { ...sandboxEnv(sandbox), TC_API_BASE_URL: `http://127.0.0.1:${port}/api` },
    });
    assert.equal(unreachable.code, 1);
    assert.equal(
      unreachable.stderr,
      `threatconnect owners: cannot reach http://127.0.0.1:${port}/api: The request failed after 2 attempts: The connection was refused: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    const detail = await runInProcess(['owners', '--retries', '0', '--debug'], {
      env: { ...sandboxEnv(sandbox), TC_API_BASE_URL: `http://127.0.0.1:${port}/api` },
    });
    assert.equal(detail.code, 1);
    const [first, second] = detail.stderr.split('\n');
    assert.equal(
      first,
      `threatconnect owners: cannot reach http://127.0.0.1:${port}/api: The connection was refused: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    assert.equal(
      second,
      `ConnectionError [TC_CONNECTION]: The connection was refused: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    assert.match(detail.stderr, /\n {4}Authorization: TC [^:]+:\[REDACTED\]\n/);
    assert.ok(!detail.stderr.includes(sandbox.secretKey));
  });

  it('--timeout and --retries bound a stalled server', async () => {
    await setRules(sandbox, { kind: 'stall', ms: 3000, pathPrefix: '/v2/owners' });
    const result = await runInProcess(['owners', '--timeout', '0.2', '--retries', '0'], {
      env: sandboxEnv(sandbox),
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^threatconnect owners: cannot reach http:\/\/127\.0\.0\.1:\d+\/api: No data from the server for 200 ms\n$/,
    );
  });

  it('usage errors of the connection flags exit 2', async () => {
    const cases: [string[], string][] = [
      [
        ['--sandbox', '--base-url', 'http://x/api'],
        "error: option '--sandbox' cannot be used with option '--base-url <url>'",
      ],
      [['--log-level', 'debug'], 'error: --log-level needs --log-file'],
      [
        ['--log-file', 'x.log', '--log-level', 'verbose'],
        "error: option '--log-level <level>' argument 'verbose' is invalid.",
      ],
      [['--console-level', 'loud'], "error: option '--console-level <level>' argument 'loud' is invalid."],
      [['--compat', 'python'], "error: option '--compat <mode>' argument 'python' is invalid."],
      [['--proxy', 'ftp://proxy:21'], "error: option '--proxy <url>' is invalid. --proxy must be a URL"],
      [
        ['--base-url', 'tc.example.com'],
        "error: option '--base-url <url>' argument 'tc.example.com' is invalid.",
      ],
      [
        ['--timeout', '0'],
        "error: option '--timeout <s>' argument '0' is invalid. --timeout must be a number of seconds above 0",
      ],
      [['--retries', '-1'], "error: option '--retries <n>' argument '-1' is invalid."],
      [
        ['--concurrency', '33'],
        "error: option '--concurrency <n>' argument '33' is invalid. --concurrency must be an integer from 1 to 32",
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runInProcess(['owners', ...args], { env: sandboxEnv(sandbox) });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.startsWith(message), `${args.join(' ')}:\n${result.stderr}`);
    }
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('a refused --proxy never repeats its value, which can hold a password (exit 2)', async () => {
    const cases: [string, string][] = [
      ['http://bob:Pr0xyPassw0rd@proxy.example.com:99999', '--proxy must be a URL'],
      ['http://bob:Pr0xyPassw0rd@proxy example.com:3128', '--proxy must be a URL'],
      ['ftp://bob:Pr0xyPassw0rd@proxy.example.com:21', '--proxy must be a URL'],
      ['http://Pr0xyPassw0rd@proxy.example.com:3128', '--proxy must give both a user and a password'],
    ];
    for (const [value, reason] of cases) {
      const result = await runInProcess(['owners', '--proxy', value], { env: sandboxEnv(sandbox) });
      assert.equal(result.code, 2, `${value}: ${result.stderr}`);
      assert.ok(
        result.stderr.startsWith(`error: option '--proxy <url>' is invalid. ${reason}`),
        result.stderr,
      );
      assert.ok(!result.stderr.includes('Pr0xyPassw0rd'), result.stderr);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('--log-file writes the SDK log at --log-level', async () => {
    const log = folder.file('logs/cli.log');
    const result = await runInProcess(['owners', '--log-file', log, '--log-level', 'debug'], {
      env: sandboxEnv(sandbox),
    });
    assert.equal(result.code, 0, result.stderr);
    const records = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    assert.ok(
      records.some((r) => r.level === 20 && r.msg.startsWith('GET ')),
      JSON.stringify(records),
    );
    assert.ok(!readFileSync(log, 'utf8').includes(sandbox.secretKey));
  });

  describe('proxies', () => {
    let proxy: TestProxy;
    before(async () => {
      proxy = await startProxy({ user: 'u', password: 'p@ss' });
    });
    after(async () => {
      await proxy.close();
    });
    beforeEach(() => {
      proxy.reset();
    });

    it('--proxy with credentials carries every request; wrong ones are exit 1', async () => {
      const ok = await runInProcess(['owners', '--proxy', `http://u:p%40ss@127.0.0.1:${proxy.port}`], {
        env: sandboxEnv(sandbox),
      });
      assert.equal(ok.code, 0, ok.stderr);
      assert.ok(proxy.log.length > 0 && proxy.log.every((r) => r.allowed));
      const refused = await runInProcess(['owners', '--proxy', `http://u:wrong@127.0.0.1:${proxy.port}`], {
        env: sandboxEnv(sandbox),
      });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^threatconnect owners: the proxy refused its credentials \(HTTP 407\): /);
      assert.ok(!refused.stderr.includes('wrong'));
    });

    it('http_proxy is honoured for an http base URL unless NO_PROXY names the host; --proxy wins', async () => {
      const via = `http://u:p%40ss@127.0.0.1:${proxy.port}`;
      const used = await runInProcess(['owners'], { env: { ...sandboxEnv(sandbox), http_proxy: via } });
      assert.equal(used.code, 0, used.stderr);
      assert.ok(proxy.log.length > 0);
      proxy.reset();
      for (const noProxy of ['127.0.0.1', 'localhost,127.0.0.1', '*']) {
        const bypassed = await runInProcess(['owners'], {
          env: { ...sandboxEnv(sandbox), http_proxy: via, NO_PROXY: noProxy },
        });
        assert.equal(bypassed.code, 0, bypassed.stderr);
      }
      // HTTP_PROXY (upper case) is not read for http: URLs; HTTPS_PROXY is for https: only.
      await runInProcess(['owners'], { env: { ...sandboxEnv(sandbox), HTTP_PROXY: via, HTTPS_PROXY: via } });
      assert.equal(proxy.log.length, 0);
      const flag = await runInProcess(['owners', '--proxy', via], {
        env: { ...sandboxEnv(sandbox), http_proxy: 'http://127.0.0.1:1', NO_PROXY: '*' },
      });
      assert.equal(flag.code, 0, flag.stderr);
      assert.notEqual(proxy.log.length, 0);
    });

    it('HTTPS_PROXY tunnels to an https sandbox trusted with --ca-cert', async () => {
      const secure = await withSandbox({ https: true, seedIndicators: 0 });
      try {
        const ca = folder.file('sandbox-ca.pem', secure.caCertificate ?? '');
        const result = await runInProcess(['owners', '--ca-cert', ca], {
          env: { ...sandboxEnv(secure), HTTPS_PROXY: `http://u:p%40ss@127.0.0.1:${proxy.port}` },
        });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(jsonLines(result.stdout), OWNERS);
        assert.ok(proxy.connects > 0);
      } finally {
        await secure.close();
      }
    });
  });

  it('TLS: verified by default, trusted through --ca-cert or TC_CA_CERT_FILE, or not checked with --insecure', async () => {
    const secure = await withSandbox({ https: true, seedIndicators: 0 });
    try {
      const env = sandboxEnv(secure);
      const ca = folder.file('secure-ca.pem', secure.caCertificate ?? '');
      const refused = await runInProcess(['owners', '--retries', '0'], { env });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /^threatconnect owners: cannot reach https:\/\/127\.0\.0\.1:\d+\/api: The TLS handshake failed/,
      );
      for (const [args, extra] of [
        [['--ca-cert', ca], {}],
        [[], { TC_CA_CERT_FILE: ca }],
        [['--insecure'], {}],
      ] as [string[], Record<string, string>][]) {
        const result = await runInProcess(['owners', ...args], { env: { ...env, ...extra } });
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
        assert.deepEqual(jsonLines(result.stdout), OWNERS);
      }
    } finally {
      await secure.close();
    }
  });
});
