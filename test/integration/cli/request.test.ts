/**
 * `threatconnect request`, `owners` and `document` against a sandbox, in-process: raw calls and their
 * bodies byte for byte, `--paginate`, `--throw-on-error`, `--debug`'s status line, usage errors; the
 * owners in three formats; document downloads and uploads (an upload that fails leaves no document).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { requestLog, resetSandbox, setRules } from '../client/support.js';
import { jsonLines, runInProcess, sandboxEnv, tempFolder } from './in-process.js';

/** Every byte value, twice, and a few kilobytes more: a body that text decoding would damage. */
const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
  Buffer.alloc(8192, 0xfe),
]);

describe('threatconnect request, owners and document', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const folder = tempFolder('tc-cli-request-');
  const cli = (args: string[]) => runInProcess(args, { env });
  const targets = async (): Promise<string[]> =>
    (await requestLog(sandbox)).map(
      (e) => `${e.method} ${e.target.replace(/createActivityLog=false&?/, '').replace(/\?$/, '')}`,
    );

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 40 });
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('request prints the body as it came; --debug adds the status line on stderr', async () => {
    const result = await cli(['request', 'GET', '/v2/owners/mine']);
    assert.deepEqual(
      { code: result.code, stdout: result.stdout, stderr: result.stderr },
      {
        code: 0,
        stdout: '{"status":"Success","data":{"owner":{"id":1,"name":"Example Org","type":"Organization"}}}',
        stderr: '',
      },
    );
    const debug = await cli(['request', 'get', '/v2/owners/mine', '--debug']);
    assert.equal(debug.stdout, result.stdout);
    assert.equal(
      debug.stderr,
      `threatconnect request: HTTP 200, application/json, 1 attempt(s): GET ${sandbox.baseUrl}/v2/owners/mine?createActivityLog=false\n`,
    );
  });

  it('request --owner, --body TEXT and --body @FILE send what they say, byte for byte', async () => {
    const created = await cli([
      'request',
      'POST',
      '/v2/groups/documents',
      '--owner',
      'Example Community',
      '--body',
      '{"name":"Raw upload from the CLI","fileName":"raw.bin"}',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const { data } = JSON.parse(created.stdout) as { data: { document: { id: number; name: string } } };
    assert.equal(data.document.name, 'Raw upload from the CLI');
    const file = folder.file('raw.bin');
    writeFileSync(file, BINARY);
    const uri = `/v2/groups/documents/${data.document.id}/upload`;
    const upload = await cli([
      'request',
      'POST',
      uri,
      '--body',
      `@${file}`,
      '--content-type',
      'application/octet-stream',
    ]);
    assert.equal(upload.code, 0, upload.stderr);
    const download = await cli(['request', 'GET', `/v2/groups/documents/${data.document.id}/download`]);
    assert.equal(download.code, 0, download.stderr);
    assert.ok(download.bytes.equals(BINARY), 'the download is the uploaded bytes');
    assert.deepEqual(await targets(), [
      'POST /api/v2/groups/documents?owner=Example+Community',
      `POST /api${uri}`,
      `GET /api/v2/groups/documents/${data.document.id}/download`,
    ]);
  });

  it('request --paginate prints the items of every page as JSON lines', async () => {
    const one = await cli(['request', 'GET', '/v2/indicators', '--owner', 'Example Community']);
    const total = (JSON.parse(one.stdout) as { data: { resultCount: number } }).data.resultCount;
    await resetSandbox(sandbox);
    const paged = await cli([
      'request',
      'GET',
      '/v2/indicators',
      '--owner',
      'Example Community',
      '--paginate',
      '--result-limit',
      '7',
    ]);
    assert.equal(paged.code, 0, paged.stderr);
    const items = jsonLines(paged.stdout);
    assert.equal(items.length, total);
    assert.equal(new Set(items.map((i) => i.id)).size, total);
    assert.equal((await requestLog(sandbox)).length, Math.ceil(total / 7));
  });

  it('a failing status prints its body and exits 0; with --throw-on-error it is one line and exit 1', async () => {
    const plain = await cli(['request', 'GET', '/v2/groups/incidents/708996']);
    assert.deepEqual(
      { code: plain.code, stdout: plain.stdout, stderr: plain.stderr },
      {
        code: 0,
        stdout: '{"status":"Failure","message":"The requested resource was not found"}',
        stderr: '',
      },
    );
    const thrown = await cli(['request', 'GET', '/v2/groups/incidents/708996', '--throw-on-error']);
    assert.deepEqual(
      { code: thrown.code, stdout: thrown.stdout, stderr: thrown.stderr },
      {
        code: 1,
        stdout: '',
        stderr: `threatconnect request: HTTP 404: The requested resource was not found (GET ${sandbox.baseUrl}/v2/groups/incidents/708996?createActivityLog=false)\n`,
      },
    );
    const paged = await cli(['request', 'GET', '/v2/tags/NOPE/indicators', '--paginate']);
    assert.equal(paged.code, 1);
    assert.match(
      paged.stderr,
      /^threatconnect request: HTTP 404: The requested resource was not found \(GET /,
    );
  });

  it('request usage errors exit 2, naming the argument; an unreadable --body file exits 1', async () => {
    const cases: [string[], string][] = [
      [
        ['FETCH', '/v2/owners'],
        "error: command-argument value 'FETCH' is invalid for argument 'method'. METHOD must be one of GET, POST, PUT, DELETE",
      ],
      [
        ['GET', 'v2/owners'],
        "error: command-argument value 'v2/owners' is invalid for argument 'uri'. URI must be a path",
      ],
      [['GET', '/v2/a b'], 'error: URI must be a path without spaces'],
      [['GET'], "error: missing required argument 'uri'"],
    ];
    for (const [args, message] of cases) {
      const result = await cli(['request', ...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.startsWith(message), `${args.join(' ')}:\n${result.stderr}`);
    }
    const missing = folder.file('missing.json');
    const unreadable = await cli(['request', 'POST', '/v2/groups/threats', '--body', `@${missing}`]);
    assert.deepEqual(
      { code: unreadable.code, stderr: unreadable.stderr },
      { code: 1, stderr: `threatconnect request: cannot read --body @${missing}: no such file\n` },
    );
    assert.deepEqual(await requestLog(sandbox), []);
  });

  it('owners prints the owners as JSON lines, a JSON array or a table', async () => {
    const owners = [
      { id: 1, name: 'Example Org', type: 'Organization' },
      { id: 2, name: 'Example Community', type: 'Community' },
      { id: 3, name: 'Common Community', type: 'Community' },
    ];
    const jsonl = await cli(['owners']);
    assert.equal(jsonl.code, 0, jsonl.stderr);
    assert.deepEqual(jsonLines(jsonl.stdout), owners);
    const json = await cli(['owners', '--format', 'json']);
    assert.deepEqual(JSON.parse(json.stdout), owners);
    const table = await cli(['owners', '--format', 'table']);
    assert.equal(
      table.stdout,
      'ID  NAME               TYPE\n' +
        '1   Example Org        Organization\n' +
        '2   Example Community  Community\n' +
        '3   Common Community   Community\n',
    );
    const bad = await cli(['owners', '--format', 'csv']);
    assert.equal(bad.code, 2);
  });

  it('document download streams the contents to stdout or --output; a missing one is exit 1 and no file', async () => {
    const stdout = await cli(['document', 'download', '19']);
    assert.deepEqual(
      { code: stdout.code, stdout: stdout.stdout, stderr: stdout.stderr },
      { code: 0, stdout: 'Example document #19 contents.\n', stderr: '' },
    );
    const target = folder.file('doc19.txt');
    const file = await cli([
      'document',
      'download',
      '19',
      '--output',
      target,
      '--owner',
      'Example Community',
    ]);
    assert.equal(file.code, 0, file.stderr);
    assert.equal(readFileSync(target, 'utf8'), 'Example document #19 contents.\n');
    const missingTarget = folder.file('missing.txt');
    const missing = await cli(['document', 'download', '999999', '--output', missingTarget]);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^threatconnect document download: HTTP 404: The requested resource was not found \(GET .*\/v2\/groups\/documents\/999999\/download\?createActivityLog=false\)\n$/,
    );
    assert.ok(!folder.list().includes('missing.txt'));
    assert.ok(!folder.list().some((f) => f.endsWith('.tmp')));
    const bad = await cli(['document', 'download', 'x']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^error: command-argument value 'x' is invalid for argument 'id'\. ID must be an integer >= 0/,
    );
  });

  it('document upload creates the document with the file, prints it, and the download gives the bytes back', async () => {
    const file = folder.file('payload.bin');
    writeFileSync(file, BINARY);
    const result = await cli([
      'document',
      'upload',
      'Uploaded by the CLI',
      file,
      '--owner',
      'Example Community',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const [document] = jsonLines(result.stdout);
    assert.ok(document !== undefined && typeof document.id === 'number');
    assert.equal(document.name, 'Uploaded by the CLI');
    assert.equal(document.fileName, path.basename(file));
    assert.equal(document.fileSize, BINARY.byteLength);
    // Read back after the upload: the server's status, not the create answer's "Awaiting Upload", in
    // the shape `groups documents` and `add group` print.
    assert.equal(document.status, 'Success');
    assert.equal(document.type, 'Document');
    assert.equal(document.ownerName, 'Example Community');
    assert.equal('owner' in document, false);
    const back = await cli(['document', 'download', String(document.id)]);
    assert.ok(back.bytes.equals(BINARY));
    assert.deepEqual((await targets()).slice(0, 3), [
      'POST /api/v2/groups/documents?owner=Example+Community',
      `POST /api/v2/groups/documents/${document.id}/upload?owner=Example+Community`,
      `GET /api/v2/groups/documents/${document.id}?owner=Example+Community`,
    ]);
  });

  it('document upload whose read-back fails prints the document as created, without its stale status', async () => {
    const file = folder.file('readback.txt', 'read back\n');
    await setRules(sandbox, {
      kind: 'status',
      status: 404,
      method: 'GET',
      pathPrefix: '/v2/groups/documents/',
    });
    const result = await cli(['document', 'upload', 'Unread', file]);
    await resetSandbox(sandbox);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stderr,
      'threatconnect document upload: uploaded, but the document could not be read back; printed as created\n',
    );
    const [document] = jsonLines(result.stdout);
    assert.ok(document !== undefined && typeof document.id === 'number');
    assert.equal(document.name, 'Unread');
    assert.equal(document.fileSize, 'read back\n'.length);
    assert.equal('status' in document, false);
    const back = await cli(['document', 'download', String(document.id)]);
    assert.equal(back.bytes.toString(), 'read back\n');
  });

  it('document upload: a failed upload deletes the document it created; a missing file is exit 1', async () => {
    const file = folder.file('small.txt', 'small\n');
    await setRules(sandbox, {
      kind: 'status',
      status: 500,
      method: 'POST',
      pathPrefix: '/v2/groups/documents/',
    });
    const result = await cli(['document', 'upload', 'Doomed', file]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const match =
      /^threatconnect document upload: the upload failed: HTTP 500: Injected fault 500 \(POST .*\/v2\/groups\/documents\/(\d+)\/upload\?createActivityLog=false\); document \1 was created, and deleted again\n$/.exec(
        result.stderr,
      );
    assert.ok(match, result.stderr);
    const id = match[1] ?? '';
    const gone = await cli(['request', 'GET', `/v2/groups/documents/${id}`]);
    assert.match(gone.stdout, /The requested resource was not found/);

    await resetSandbox(sandbox);
    const missing = folder.file('no-such-file.bin');
    const noFile = await cli(['document', 'upload', 'Nothing', missing]);
    assert.deepEqual(
      { code: noFile.code, stderr: noFile.stderr },
      { code: 1, stderr: `threatconnect document upload: cannot read ${missing}: no such file\n` },
    );
    assert.deepEqual(await requestLog(sandbox), []);
  });
});
