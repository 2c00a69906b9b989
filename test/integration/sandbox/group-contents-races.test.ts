/**
 * The group write side of the sandbox: document contents that are empty, and a group PUT whose body
 * arrives while another request changes or deletes the group.
 *
 * - rest-api-v2.md 7.4: "`POST /v2/groups/documents/{id}/upload` … for the first upload; `PUT` to the
 *   same URL replaces the contents", "`GET /v2/groups/documents/{id}/download` → raw bytes". An upload
 *   of zero bytes is accepted (status `Success`, `fileSize` 0), so its download is those zero bytes,
 *   not 404 as for a document never uploaded.
 * - docs/decisions.md, "Sandbox, after review" 21: "Writes after an asynchronous body read re-check
 *   their item … task, tag and victim-asset PUTs merge into the item as it is after the body arrived".
 *   `PUT /v2/groups/{branch}/{id}` read the group before its body and wrote the stale row back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call, callWithBodyAfter, type RawResponse } from '../../helpers/signer.js';

function octets(body: Buffer | string) {
  return { body, contentType: 'application/octet-stream' };
}

function dataOf(r: RawResponse): Record<string, Record<string, unknown> | undefined> {
  return (r.json() as { data: Record<string, Record<string, unknown> | undefined> }).data;
}

describe('sandbox: empty document contents and group PUT races', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  async function newGroup(branch: string, body: Record<string, unknown>): Promise<number> {
    const r = await call(sandbox, 'POST', `/v2/groups/${branch}`, { body: JSON.stringify(body) });
    assert.equal(r.status, 201, r.text);
    const entity = Object.keys(dataOf(r))[0] ?? '';
    return dataOf(r)[entity]?.id as number;
  }

  it('an empty first upload (POST) downloads as zero bytes, not 404', async () => {
    const id = await newGroup('documents', { name: 'empty review', fileName: 'empty.txt' });
    const up = await call(sandbox, 'POST', `/v2/groups/documents/${id}/upload`, octets(Buffer.alloc(0)));
    assert.equal(up.status, 201, up.text);
    const doc = dataOf(await call(sandbox, 'GET', `/v2/groups/documents/${id}`)).document;
    assert.equal(doc?.status, 'Success');
    assert.equal(doc.fileSize, 0);
    const down = await call(sandbox, 'GET', `/v2/groups/documents/${id}/download`);
    assert.equal(down.status, 200, down.text);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.equal(down.body.length, 0);
  });

  it('replacing content with nothing (PUT) downloads as zero bytes, not 404', async () => {
    const id = await newGroup('documents', { name: 'emptied review', fileName: 'emptied.txt' });
    assert.equal(
      (await call(sandbox, 'POST', `/v2/groups/documents/${id}/upload`, octets('some bytes'))).status,
      201,
    );
    assert.equal(
      (await call(sandbox, 'PUT', `/v2/groups/documents/${id}/upload`, octets(Buffer.alloc(0)))).status,
      200,
    );
    const down = await call(sandbox, 'GET', `/v2/groups/documents/${id}/download`);
    assert.equal(down.status, 200, down.text);
    assert.equal(down.body.length, 0);
  });

  it('a group PUT whose group was deleted while its body arrived answers 404, not 500', async () => {
    const id = await newGroup('threats', { name: 'race threat' });
    const answer = await callWithBodyAfter(
      sandbox,
      'PUT',
      `/v2/groups/threats/${id}`,
      { name: 'renamed' },
      async () => {
        assert.equal((await call(sandbox, 'DELETE', `/v2/groups/threats/${id}`)).status, 200);
      },
    );
    assert.equal(answer.status, 404, answer.text);
    assert.equal(sandbox.internalErrors, 0);
  });

  it('a signature PUT does not undo an upload made while its body arrived', async () => {
    const id = await newGroup('signatures', {
      name: 'race rule',
      fileName: 'race.yar',
      fileType: 'YARA',
      fileText: 'rule old { condition: true }',
    });
    const answer = await callWithBodyAfter(
      sandbox,
      'PUT',
      `/v2/groups/signatures/${id}`,
      { name: 'race rule renamed', fileName: 'race.yar', fileType: 'YARA' },
      async () => {
        const up = await call(
          sandbox,
          'PUT',
          `/v2/groups/signatures/${id}/upload`,
          octets('rule new { condition: true }'),
        );
        assert.equal(up.status, 200);
      },
    );
    assert.equal(answer.status, 200, answer.text);
    const down = await call(sandbox, 'GET', `/v2/groups/signatures/${id}/download`);
    assert.equal(down.text, 'rule new { condition: true }');
  });

  it('a document PUT keeps the fileSize and status of an upload made while its body arrived', async () => {
    const id = await newGroup('documents', { name: 'race doc', fileName: 'race.txt' });
    const answer = await callWithBodyAfter(
      sandbox,
      'PUT',
      `/v2/groups/documents/${id}`,
      { name: 'race doc 2' },
      async () => {
        const up = await call(sandbox, 'POST', `/v2/groups/documents/${id}/upload`, octets('hello'));
        assert.equal(up.status, 201);
      },
    );
    assert.equal(answer.status, 200, answer.text);
    const doc = dataOf(await call(sandbox, 'GET', `/v2/groups/documents/${id}`)).document;
    assert.equal(doc?.name, 'race doc 2');
    assert.equal(doc.fileSize, 5);
    assert.equal(doc.status, 'Success');
  });
});
