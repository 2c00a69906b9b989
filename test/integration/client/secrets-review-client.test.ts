/**
 * SDK leaks found in the secrets review, end to end against the sandbox: a caller's token in a query
 * parameter the SDK did not know (`access_token`, `api_key`) and in a header (`X-Auth-Token`)
 * reached the thrown error's request, the report entries (the request URI was kept raw), the console
 * and the log file at debug.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { RequestObject, ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';

const TOKEN = 'Client-Query-Token-9c8b7a6d5e';
const HEADER_TOKEN = 'Client-Header-Token-1a2b3c4d5e';

describe('caller secrets in a request object', () => {
  let sandbox: Sandbox;
  let dir: string;
  before(async () => {
    sandbox = await withSandbox();
    dir = mkdtempSync(path.join(tmpdir(), 'tc-secrets-review-client-'));
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stay out of errors, the report, the console and the log file', async () => {
    const console: string[] = [];
    const logFile = path.join(dir, 'tc.log');
    const tc = new ThreatConnect({
      accessId: sandbox.accessId,
      secretKey: sandbox.secretKey,
      defaultOrg: sandbox.defaultOrg,
      baseUrl: sandbox.baseUrl,
      logFile,
      logFileLevel: 'debug',
    });
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string | Uint8Array): boolean => {
      console.push(String(chunk));
      return true;
    };
    const outputs: [string, string][] = [];
    try {
      tc.setTclConsoleLevel('debug');
      tc.reportEnable();
      const ro = new RequestObject()
        .setHttpMethod('GET')
        .setRequestUri(`/v2/groups/incidents/708996?access_token=${TOKEN}`);
      ro.addPayload('api_key', TOKEN);
      ro.addHeader('X-Auth-Token', HEADER_TOKEN);
      const error: unknown = await tc.apiRequest(ro, { throwOnError: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof Error, 'the 404 was thrown');
      outputs.push(
        ['error', inspect(error, { depth: 10, showHidden: true })],
        ['error JSON', JSON.stringify(error)],
        ['error stack', error.stack ?? ''],
      );
      const report = tc.report;
      outputs.push(
        ['failures', report.failures.map(String).join('\n')],
        ['toJSON', JSON.stringify(report.toJSON())],
        ['report', inspect(report, { depth: 10 })],
      );
      for (const entry of report) outputs.push(['entry', `${String(entry)}${JSON.stringify(entry)}`]);
      assert.equal(report.failures.length, 1);
    } finally {
      process.stderr.write = stderrWrite;
      await tc.close();
    }
    outputs.push(['console', console.join('')], ['log file', readFileSync(logFile, 'utf8')]);
    assert.match(outputs.find(([w]) => w === 'log file')?.[1] ?? '', /access_token=\[REDACTED\]/);
    const leaks = outputs
      .filter(([, text]) => text.includes(TOKEN) || text.includes(HEADER_TOKEN))
      .map(([where]) => where);
    assert.deepEqual(leaks, []);
  });
});
