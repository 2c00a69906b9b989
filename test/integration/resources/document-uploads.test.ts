/**
 * Uploads through the SDK, against the sandbox: an empty document, the bytes a queued upload sends,
 * the fields an upload changes, a signal given to an upload that `commit()` sends, and uploads that
 * wait for the object's commit or delete running before them.
 *
 * decisions.md 1.7: "`doc.upload(content)` on a new document is queued and sent after the create at
 * `commit()`"; docs/indicators.md: "`await doc.download()` gives the content as a `Buffer`, byte for
 * byte". An upload of zero bytes is accepted (the document's status becomes `Success`, `fileSize` 0),
 * so its download is an empty Buffer (it was a `NotFoundError`, as for a document never uploaded:
 * the sandbox looked for stored chunks, and zero bytes store none).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type ThreatConnect, ValidationError } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { requestLog, useSandboxClient } from '../../helpers/sandbox.js';

describe('document and signature uploads', () => {
  const fx = useSandboxClient();
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(() => {
    sandbox = fx.sandbox;
    tc = fx.client();
  });

  it('upload(empty) before commit, then download() gives an empty Buffer', async () => {
    const doc = tc.documents().add('Empty review doc', 'Example Org').setFileName('empty.txt');
    await doc.upload(Buffer.alloc(0));
    await doc.commit();
    assert.deepEqual(doc.pendingChanges, []);
    const bytes = await doc.download();
    assert.ok(Buffer.isBuffer(bytes));
    assert.equal(bytes.length, 0);
  });

  it("upload('') on a committed document empties it: download() gives an empty Buffer", async () => {
    const doc = tc.documents().add('Emptied review doc', 'Example Org').setFileName('emptied.txt');
    await doc.upload('first content');
    await doc.commit();
    assert.equal((await doc.download()).toString('utf8'), 'first content');
    await doc.upload('');
    assert.equal((await doc.download()).length, 0);
  });

  it('a queued upload sends the bytes given, not what the buffer holds at commit()', async () => {
    const content = Buffer.from('original bytes');
    const doc = tc.documents().add('Copied upload', 'Example Org').setFileName('copied.txt');
    await doc.upload(content);
    content.fill(0x41);
    await doc.commit();
    assert.equal((await doc.download()).toString('utf8'), 'original bytes');
  });

  it("a signal given to a new document's upload is a ValidationError, and nothing is queued", async () => {
    const doc = tc.documents().add('Signal upload', 'Example Org').setFileName('signal.txt');
    await assert.rejects(doc.upload('text', { signal: new AbortController().signal }), {
      name: 'ValidationError',
      message:
        'Document (new) "Signal upload": upload() on a new document is sent by commit(), after the create; give the signal to commit() instead',
    });
    assert.deepEqual(doc.pendingChanges, ['create']);
  });

  it("after an upload, a document's fileSize is the bytes sent and its status unknown; a signature's fileText the text", async () => {
    const doc = tc.documents().add('Sized upload', 'Example Org').setFileName('sized.txt');
    await doc.upload('12345');
    await doc.commit();
    assert.equal(doc.fileSize, 5);
    assert.equal(doc.status, undefined);
    await doc.upload('1234567');
    assert.equal(doc.fileSize, 7);
    const signature = tc
      .signatures()
      .add('Uploaded rule', 'Example Org')
      .setFileName('r.snort')
      .setFileType('Snort')
      .setFileText('alert tcp any any -> any any (msg:"old";)');
    await signature.commit();
    await signature.upload(Buffer.from('alert tcp any any -> any any (msg:"new";)'));
    assert.equal(signature.fileText, 'alert tcp any any -> any any (msg:"new";)');
  });

  it("an upload waits for the object's delete started before it, and is then refused without a request", async () => {
    const doc = tc.documents().add('Deleted before upload', 'Example Org').setFileName('gone.txt');
    await doc.upload('content');
    await doc.commit();
    const deleting = doc.delete();
    const uploading = doc.upload('late content');
    await deleting;
    await assert.rejects(uploading, (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, `Document ${doc.id} "Deleted before upload" was deleted`);
      return true;
    });
    const puts = (await requestLog(sandbox)).filter(
      (r) => r.method === 'PUT' && r.target.includes(`/documents/${doc.id}/upload`),
    );
    assert.deepEqual(puts, []);
  });

  it("an upload waits for the object's commit started before it", async () => {
    const doc = tc.documents().add('Renamed then uploaded', 'Example Org').setFileName('order.txt');
    await doc.upload('v1');
    await doc.commit();
    const committing = doc.setName('Renamed document').commit();
    const uploading = doc.upload('v2');
    await Promise.all([committing, uploading]);
    const log = (await requestLog(sandbox)).filter((r) => r.target.includes(`/documents/${doc.id}`));
    const order = log.map(
      (r) => `${r.method} ${r.target.split('?')[0]?.replace(/.*\/documents\/\d+/, '') ?? ''}`,
    );
    assert.deepEqual(order.slice(-2), ['PUT ', 'PUT /upload']);
    assert.equal((await doc.download()).toString('utf8'), 'v2');
  });
});
