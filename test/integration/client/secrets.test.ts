/**
 * Secrets never leave (issue 3 "Logging", conventions.md 2.4 rule 4, decisions.md 1.3): an HMAC client,
 * token clients and an authenticating proxy run through successes and failures (404, 401 with a wrong
 * secret and a wrong token, proxy 407, retries on 503, a reset until retries run out) with the log file
 * and the console at debug. The run happens in a child process so its stderr can be captured. Then every
 * output is searched: the log file, stderr, every error's message, stack, inspect and JSON, the report
 * (stats, failures, toJSON, entries), `inspect(tc)`, `JSON.stringify(tc)`, the config, responses and
 * `String(ro)`. None may contain a secret key, a token, a proxy password, its Basic credentials, or any
 * HMAC signature the run could have sent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type TestProxy, startProxy } from '../../helpers/proxy.js';
import { admin, withSandbox } from '../../helpers/sandbox.js';
import { signature } from '../../helpers/signer.js';

const root = path.resolve(import.meta.dirname, '../../..');
const sdkEntry = pathToFileURL(path.join(root, 'src/index.ts')).href;

const PROXY_USER = 'proxy_user';
const PROXY_PASSWORD = 'Pr0xy-Pa55w0rd-7f3a91';
const WRONG_PROXY_PASSWORD = 'Wr0ng-Pr0xy-Pa55-44c2e0';
const WRONG_SECRET = 'Wr0ng-Secret-Key-d81f5b2c9e';
const WRONG_TOKEN = 'WRONG-TOKEN-5c0ffee5c0ffee';

/** The child: every client call of the scenario, then every dump as JSON on stdout. */
const CHILD = `
import { inspect } from 'node:util';
import { RequestObject, ThreatConnect } from ${JSON.stringify(sdkEntry)};

const cfg = JSON.parse(process.env.TC_SECRETS_TEST ?? '{}');
const dumps = [];
const dump = (label, text) => dumps.push({ label, text: String(text) });
const errors = [];
const requestObjects = [];
const responses = [];

function ro(uri, method = 'GET') {
  const r = new RequestObject().setHttpMethod(method).setRequestUri(uri);
  requestObjects.push(r);
  return r;
}
async function call(tc, r, options) {
  try {
    const response = await tc.apiRequest(r, options);
    responses.push(response);
    return response;
  } catch (error) {
    errors.push(error);
    return undefined;
  }
}
function settings(tc) {
  tc.setTclFile(cfg.logFile, 'debug');
  tc.setTclConsoleLevel('debug');
  tc.setApiSleep(0.001);
  tc.setApiRetries(2);
  tc.setApiRequestTimeout(5);
  tc.reportEnable();
}

const clients = [];

// 1. HMAC: successes, a create, a 404 (resolved and thrown), 503 retries, a reset until retries run out.
const hmac = new ThreatConnect(cfg.accessId, cfg.secretKey, cfg.defaultOrg, cfg.baseUrl);
clients.push(hmac);
settings(hmac);
await call(hmac, ro('/v2/owners/mine'));
const create = ro('/v2/groups/incidents', 'POST').setOwner('Example Community');
create.setBody(JSON.stringify({ name: 'secrets test', eventDate: '2024-01-01T00:00:00Z' }));
await call(hmac, create);
await call(hmac, ro('/v2/groups/incidents/708996'));
await call(hmac, ro('/v2/groups/incidents/708996'), { throwOnError: true });
await call(hmac, ro('/v2/tasks'));
await call(hmac, ro('/v2/tasks'), { throwOnError: true });
await call(hmac, ro('/v2/victims'));
const pages = hmac.apiRequestPages(ro('/v2/groups/incidents/708996/groups/adversaries'));
try { for await (const page of pages) dump('page', inspect(page)); } catch (error) { errors.push(error); }

// 2. Through the authenticating proxy, then with a wrong proxy password (407).
hmac.setProxies(cfg.proxyHost, cfg.proxyPort, cfg.proxyUser, cfg.proxyPassword);
await call(hmac, ro('/v2/owners/mine'));
dump('inspect(config) with proxy', inspect(hmac.config, { depth: 5 }));
dump('JSON(config) with proxy', JSON.stringify(hmac.config));
hmac.setProxies(cfg.proxyHost, cfg.proxyPort, cfg.proxyUser, cfg.wrongProxyPassword);
await call(hmac, ro('/v2/owners/mine'));

// 3. A wrong secret key: 401, resolved and thrown.
const wrong = new ThreatConnect(cfg.accessId, cfg.wrongSecret, cfg.defaultOrg, cfg.baseUrl);
clients.push(wrong);
settings(wrong);
await call(wrong, ro('/v2/owners/mine'));
await call(wrong, ro('/v2/owners/mine'), { throwOnError: true });

// 4. Tokens: one about to expire (renewed through /appAuth?expiredToken=...), one wrong (401, failed renewal).
const token = new ThreatConnect({
  apiToken: cfg.apiToken,
  apiTokenExpires: Math.floor(Date.now() / 1000) + 5,
  defaultOrg: cfg.defaultOrg,
  baseUrl: cfg.baseUrl,
});
clients.push(token);
settings(token);
await call(token, ro('/v2/owners/mine'));
await call(token, ro('/v2/groups/incidents/708996'), { throwOnError: true });
const badToken = new ThreatConnect({ apiToken: cfg.wrongToken, defaultOrg: cfg.defaultOrg, baseUrl: cfg.baseUrl });
clients.push(badToken);
settings(badToken);
await call(badToken, ro('/v2/owners/mine'));
await call(badToken, ro('/v2/owners/mine'), { throwOnError: true });

// 5. Dump everything.
for (const [i, tc] of clients.entries()) {
  const report = tc.report;
  dump(\`inspect(tc) \${i}\`, inspect(tc, { depth: 10, showHidden: true }));
  dump(\`JSON(tc) \${i}\`, JSON.stringify(tc));
  dump(\`String(tc) \${i}\`, String(tc));
  dump(\`inspect(config) \${i}\`, inspect(tc.config, { depth: 10 }));
  dump(\`JSON(config) \${i}\`, JSON.stringify(tc.config));
  dump(\`stats \${i}\`, report.stats);
  dump(\`failures \${i}\`, report.failures.map(String).join('\\n'));
  dump(\`failures inspect \${i}\`, inspect(report.failures, { depth: 10 }));
  dump(\`toJSON \${i}\`, JSON.stringify(report.toJSON()));
  dump(\`report inspect \${i}\`, inspect(report, { depth: 10 }));
  for (const entry of report) {
    dump(\`entry \${i}\`, String(entry));
    dump(\`entry inspect \${i}\`, inspect(entry, { depth: 10 }));
    dump(\`entry JSON \${i}\`, JSON.stringify(entry));
  }
  dump(\`counts \${i}\`, JSON.stringify({ apiCalls: report.apiCalls, failures: report.failures.length, entries: report.entries.length }));
}
for (const error of errors) {
  dump('error.message', error.message);
  dump('String(error)', String(error));
  dump('error.stack', error.stack);
  dump('inspect(error)', inspect(error, { depth: 10, showHidden: true }));
  dump('JSON(error)', JSON.stringify(error));
  dump('JSON(error.request)', JSON.stringify(error.request));
  dump('error.name', error.name);
}
for (const r of requestObjects) {
  dump('String(ro)', String(r));
  dump('inspect(ro)', inspect(r, { depth: 10 }));
  dump('ro.headers', JSON.stringify(r.headers));
  dump('ro.pathUrl', String(r.pathUrl));
}
for (const response of responses) {
  dump('inspect(response)', inspect(response, { depth: 10 }));
  dump('JSON(response)', JSON.stringify(response));
  dump('response.url', response.url);
}
for (const tc of clients) await tc.close();
process.stdout.write(JSON.stringify(dumps));
`;

interface Dump {
  label: string;
  text: string;
}

function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the sandbox and the proxy answer from this process meanwhile.
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every signature a key could have made for a request of the sandbox log, at any second of the run. */
function possibleSignatures(
  keys: readonly string[],
  requests: readonly { method: string; target: string }[],
  fromSec: number,
  toSec: number,
): Set<string> {
  const out = new Set<string>();
  for (const key of keys) {
    for (const { method, target } of requests) {
      for (let ts = fromSec; ts <= toSec; ts += 1) {
        out.add(signature(key, method, target, ts));
      }
    }
  }
  return out;
}

describe('secrets appear nowhere', () => {
  let sandbox: Sandbox;
  let proxy: TestProxy;
  let dir: string;
  before(async () => {
    [sandbox, proxy] = await Promise.all([
      withSandbox(),
      startProxy({ user: PROXY_USER, password: PROXY_PASSWORD }),
    ]);
    dir = mkdtempSync(path.join(tmpdir(), 'tc-secrets-'));
  });
  after(async () => {
    await Promise.all([sandbox.close(), proxy.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('in logs, stderr, errors, the report, inspect and JSON of every object', async () => {
    await admin(sandbox, 'POST', 'faults', {
      rules: [
        { kind: 'status', status: 503, pathPrefix: '/v2/tasks' },
        { kind: 'reset', pathPrefix: '/v2/victims' },
      ],
    });
    await admin(sandbox, 'DELETE', 'requests');
    const logFile = path.join(dir, 'log', 'tc.log');
    const script = path.join(dir, 'secrets-child.mts');
    writeFileSync(script, CHILD);
    const fromSec = Math.floor(Date.now() / 1000) - 1;
    const result = await run(script, {
      TC_SECRETS_TEST: JSON.stringify({
        accessId: sandbox.accessId,
        secretKey: sandbox.secretKey,
        defaultOrg: sandbox.defaultOrg,
        baseUrl: sandbox.baseUrl,
        apiToken: sandbox.apiToken,
        wrongSecret: WRONG_SECRET,
        wrongToken: WRONG_TOKEN,
        proxyHost: proxy.host,
        proxyPort: proxy.port,
        proxyUser: PROXY_USER,
        proxyPassword: PROXY_PASSWORD,
        wrongProxyPassword: WRONG_PROXY_PASSWORD,
        logFile,
      }),
    });
    const toSec = Math.floor(Date.now() / 1000) + 1;
    await admin(sandbox, 'DELETE', 'faults');
    assert.equal(result.code, 0, `the child failed:\n${result.stderr}`);
    const dumps = JSON.parse(result.stdout) as Dump[];
    const log = readFileSync(logFile, 'utf8');
    const requests = (
      (await admin(sandbox, 'GET', 'requests')).json() as {
        requests: { method: string; target: string; status: number | null }[];
      }
    ).requests;

    // The run did what it should, so the search below means something.
    const text = (label: string): string =>
      dumps
        .filter((d) => d.label === label)
        .map((d) => d.text)
        .join('\n');
    assert.match(
      result.stderr,
      / - threatconnect - DEBUG - GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/owners\/mine/,
    );
    assert.match(
      result.stderr,
      / - threatconnect - WARNING - Attempt 1 of GET .*\/v2\/tasks.* failed: HTTP 503/,
    );
    assert.match(log, /"level":20,/);
    assert.match(log, /Renewed the API token\./);
    assert.match(log, /Could not refresh ThreatConnect Token/);
    const names = text('error.name').split('\n');
    for (const name of [
      'NotFoundError',
      'ServerError',
      'RetryExhaustedError',
      'ProxyAuthError',
      'AuthenticationError',
    ]) {
      assert.ok(names.includes(name), `no ${name} among ${names.join(', ')}`);
    }
    assert.match(
      text('JSON(error.request)'),
      new RegExp(`"Authorization":"TC ${sandbox.accessId}:\\[REDACTED\\]"`),
    );
    assert.match(text('JSON(error.request)'), /"Authorization":"TC-Token \[REDACTED\]"/);
    assert.match(text('failures 0'), /Status Code\s+: 404/);
    assert.match(text('failures 1'), /Status Code\s+: 401/);
    assert.ok(proxy.log.some((s) => s.allowed) && proxy.log.some((s) => !s.allowed), 'the proxy saw both');
    assert.ok(
      requests.some((r) => r.target.startsWith('/api/appAuth?expiredToken=')),
      'a token was renewed',
    );
    assert.ok(requests.some((r) => r.status === 401));
    assert.ok(requests.filter((r) => r.target.includes('/v2/tasks')).length >= 6, 'retries were made');

    // The search.
    const basic = (password: string): string => Buffer.from(`${PROXY_USER}:${password}`).toString('base64');
    const secrets = new Map<string, string>([
      ['secret key', sandbox.secretKey],
      ['wrong secret key', WRONG_SECRET],
      ['token', sandbox.apiToken],
      ['wrong token', WRONG_TOKEN],
      ['proxy password', PROXY_PASSWORD],
      ['wrong proxy password', WRONG_PROXY_PASSWORD],
      ['proxy Basic credentials', basic(PROXY_PASSWORD)],
      ['wrong proxy Basic credentials', basic(WRONG_PROXY_PASSWORD)],
    ]);
    for (const [what, value] of [...secrets]) {
      const encoded = encodeURIComponent(value);
      if (encoded !== value) secrets.set(`${what} (percent-encoded)`, encoded);
    }
    const signatures = possibleSignatures([sandbox.secretKey, WRONG_SECRET], requests, fromSec, toSec);
    assert.ok(signatures.size >= requests.length, 'signatures were computed');
    const outputs: [string, string][] = [
      ['log file', log],
      ['stderr', result.stderr],
      ...dumps.map((d): [string, string] => [d.label, d.text]),
    ];
    const leaks: string[] = [];
    for (const [where, output] of outputs) {
      for (const [what, value] of secrets) {
        if (output.includes(value)) leaks.push(`${what} in ${where}`);
      }
      for (const candidate of signatures) {
        if (output.includes(candidate)) leaks.push(`an HMAC signature (${candidate}) in ${where}`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});
