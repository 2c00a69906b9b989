/**
 * Logging of real calls to the sandbox (decisions.md 1.2, sdk-behaviour.md 10): the NDJSON log file
 * and its level, nothing below critical until a setter is called, the console's human lines on
 * stderr (seen from a child process), and a log file that cannot be created.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ClientClosedError, ConfigError } from '../../../src/index.js';
import { rejection, request, setRules, useSandboxClient } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MISSING = '/v2/groups/incidents/708996/groups/adversaries';

interface Record {
  level: number;
  time: number;
  name: string;
  msg: string;
}

function readRecords(file: string): Record[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record);
}

/** The child: three calls through a client from TC_API_* variables, at an optional console level. */
const CHILD_SCRIPT = `
const { ThreatConnect, RequestObject } = await import(process.env.SDK_URL);
const tc = ThreatConnect.fromEnv();
tc.setApiSleep(0.001);
if (process.env.CONSOLE_LEVEL) tc.setTclConsoleLevel(process.env.CONSOLE_LEVEL);
for (const uri of ['/v2/owners', '/v2/owners/mine', '${MISSING}']) {
  const response = await tc.apiRequest(new RequestObject().setRequestUri(uri));
  process.stdout.write(response.status + '\\n');
}
await tc.close();
`;

describe('logging of calls to the sandbox', () => {
  const fx = useSandboxClient({ client: { apiRetries: 1 }, resetEach: true });
  let dir: string;
  const make = () => fx.client();

  /** Runs the child script with the sandbox's credentials; resolves with its exit code and output. */
  const runChild = (consoleLevel?: string) => {
    const script = path.join(dir, 'child.mts');
    writeFileSync(script, CHILD_SCRIPT);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      SDK_URL: pathToFileURL(path.join(ROOT, 'src/index.ts')).href,
      TC_API_ACCESS_ID: fx.sandbox.accessId,
      TC_API_SECRET_KEY: fx.sandbox.secretKey,
      TC_API_DEFAULT_ORG: fx.sandbox.defaultOrg,
      TC_API_BASE_URL: fx.sandbox.baseUrl,
      ...(consoleLevel === undefined ? {} : { CONSOLE_LEVEL: consoleLevel }),
    };
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code, stdout, stderr });
      });
    });
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-client-logging-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('setTclFile(path, "debug") creates the folder and writes NDJSON debug records of a request', async () => {
    // The client's clock, a second ahead of the machine's (well inside the API's 300 s), gives the
    // records their time: each is a value it returned, whole milliseconds.
    const given: number[] = [];
    const tc = fx.client({
      clock: {
        now: () => {
          const t = Date.now() + 1000.5;
          given.push(Math.floor(t));
          return t;
        },
      },
    });
    const file = path.join(dir, 'debug', 'log', 'tc.log');
    assert.equal(existsSync(path.dirname(file)), false);
    tc.setTclFile(file, 'debug');
    assert.equal(existsSync(file), true);
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners'))).status, 200);
    const url = `${fx.sandbox.baseUrl}/v2/owners?createActivityLog=false`;
    const records = readRecords(file);
    assert.deepEqual(
      records.map((r) => [r.level, r.name, r.msg]),
      [
        [20, 'threatconnect', `GET ${url}`],
        [20, 'threatconnect', `GET ${url} -> 200 (1 attempt(s))`],
      ],
    );
    for (const r of records) assert.ok(given.includes(r.time), `time ${r.time} is not one the clock gave`);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(fx.sandbox.secretKey), 'the secret key is never written');
  });

  it('the file level filters: at "error" only the failures are written', async () => {
    // The second request gets a 503, is retried, then answers 404: only the call's final failure is an
    // ERROR line; the WARNING of the retried attempt, the INFO line of the wait and DEBUG lines are not.
    await setRules(fx.sandbox, { kind: 'status', status: 503, every: 2 });
    const tc = make();
    const file = path.join(dir, 'error', 'tc.log');
    tc.setTclFile(file, 'error');
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners'))).status, 200);
    assert.equal((await tc.apiRequest(request('GET', MISSING))).status, 404);
    const base = fx.sandbox.baseUrl;
    assert.deepEqual(
      readRecords(file).map((r) => [r.level, r.msg]),
      [[50, `GET ${base}${MISSING}?createActivityLog=false failed: HTTP 404 (2 attempts)`]],
    );
  });

  it('until setTclFile is called, no file is written', async () => {
    const tc = make();
    const file = path.join(dir, 'later', 'tc.log');
    assert.equal((await tc.apiRequest(request('GET', MISSING))).status, 404);
    assert.equal(existsSync(path.dirname(file)), false);
    tc.setTclFile(file);
    assert.equal(existsSync(file), true);
    assert.equal(readFileSync(file, 'utf8'), '', 'nothing from before the setter');
  });

  it('setTclFile after close(): ClientClosedError, and no file is opened', async () => {
    const tc = make();
    await tc.close();
    const file = path.join(dir, 'after-close', 'tc.log');
    assert.throws(
      () => {
        tc.setTclFile(file);
      },
      (error: unknown) => error instanceof ClientClosedError && error.code === 'TC_CLOSED',
    );
    assert.equal(existsSync(path.dirname(file)), false);
  });

  it('by default the console shows nothing below critical', async () => {
    await setRules(fx.sandbox, { kind: 'status', status: 503, every: 2, pathPrefix: '/v2/owners' });
    const { code, stdout, stderr } = await runChild();
    assert.equal(stdout, '200\n200\n404\n');
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('setTclConsoleLevel("info") writes human lines to stderr: time - threatconnect - LEVEL - message', async () => {
    // The second request (/v2/owners/mine) gets a 503 and is retried: a WARNING and an INFO line.
    await setRules(fx.sandbox, { kind: 'status', status: 503, every: 2, pathPrefix: '/v2/owners' });
    const { code, stdout, stderr } = await runChild('info');
    assert.equal(stdout, '200\n200\n404\n');
    assert.equal(code, 0);
    const lines = stderr.trimEnd().split('\n');
    const time = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}`;
    const base = fx.sandbox.baseUrl.replace(/[.]/g, '\\.');
    const expected = [
      `WARNING - Attempt 1 of GET ${base}/v2/owners/mine\\?createActivityLog=false failed: HTTP 503`,
      String.raw`INFO - Pausing for \d+\.\d{3} seconds before retry 1\.`,
      `ERROR - GET ${base}${MISSING}\\?createActivityLog=false failed: HTTP 404 \\(1 attempt\\)`,
    ];
    assert.equal(lines.length, expected.length, stderr);
    lines.forEach((line, i) => {
      assert.match(line, new RegExp(`^${time} - threatconnect - ${expected[i] ?? ''}$`));
    });
    assert.ok(!stderr.includes(fx.sandbox.secretKey));
  });

  describe('bad log settings', () => {
    it('setTclFile under a regular file: ConfigError naming the file', async () => {
      const plain = path.join(dir, 'plain.txt');
      writeFileSync(plain, 'not a folder');
      const file = path.join(plain, 'log', 'tc.log');
      const tc = make();
      const error = await rejection(async () => {
        tc.setTclFile(file);
        return Promise.resolve();
      });
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.message, `\`logFile\` cannot be written: ${file} (ENOTDIR)`);
      // The client keeps working, without a file.
      assert.equal((await tc.apiRequest(request('GET', '/v2/owners'))).status, 200);
      assert.equal(tc.config.logFile, undefined);
    });

    it('an unknown level: ConfigError', () => {
      const tc = make();
      assert.throws(
        () => {
          tc.setTclFile(path.join(dir, 'never', 'tc.log'), 'verbose' as 'info');
        },
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(
            error.message,
            '`logFileLevel` must be one of debug, info, warning, error, critical, got "verbose"',
          );
          return true;
        },
      );
      assert.throws(
        () => {
          tc.setTclConsoleLevel('loud' as 'info');
        },
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(
            error.message,
            '`consoleLevel` must be one of debug, info, warning, error, critical, off, got "loud"',
          );
          return true;
        },
      );
      assert.equal(existsSync(path.join(dir, 'never')), false);
    });
  });
});
