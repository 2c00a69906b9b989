/**
 * The sandbox's batch API over raw HTTP (rest-api-v2.md 11.2): job settings checked field by field,
 * the upload's limits and answers, status counts, errors and results, and what a job writes with
 * each write type, action and collision mode.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { call, withSandbox } from '../../helpers/sandbox.js';

const OWNER = 'Example Community';
const q = encodeURIComponent(OWNER);

describe('sandbox batch API', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  const job = async (settings: Record<string, unknown> = {}): Promise<number> => {
    const body = {
      owner: OWNER,
      haltOnError: false,
      action: 'Create',
      attributeWriteType: 'Replace',
      ...settings,
    };
    const r = await call(sandbox, 'POST', '/v2/batch', { body: JSON.stringify(body) });
    assert.equal(r.status, 201, r.text);
    const { batchId } = (r.json() as { data: { batchId: number } }).data;
    assert.deepEqual(r.json(), { status: 'Success', data: { batchId } });
    return batchId;
  };
  const upload = (id: number, content: unknown) =>
    call(sandbox, 'POST', `/v2/batch/${id}`, {
      body: Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content)),
      contentType: 'application/octet-stream',
    });
  /**
   * A poll's job status: `data.batchStatus`, or the bare `{"status":"Running"}` of a running job
   * (rest-api-v2.md 11.2 step 3; batch-running.test.ts), which has no counts.
   */
  const polled = (s: { json: () => unknown }): Record<string, unknown> => {
    const body = s.json() as { status: string; data?: { batchStatus: Record<string, unknown> } };
    if (body.data !== undefined) return body.data.batchStatus;
    assert.deepEqual(body, { status: 'Running' });
    return body;
  };
  /** Uploads, then polls (bounded) until Completed; returns the status with the additional counts. */
  const run = async (
    content: unknown,
    settings: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> => {
    const id = await job(settings);
    const r = await upload(id, content);
    assert.equal(r.status, 202, r.text);
    for (let i = 0; i < 2000; i += 1) {
      const status = polled(await call(sandbox, 'GET', `/v2/batch/${id}?includeAdditional=true`));
      if (status.status === 'Completed') return status;
      await delay(5);
    }
    throw new Error(`job ${id} did not complete`);
  };
  const host = async (value: string) => {
    const r = await call(sandbox, 'GET', `/v2/indicators/hosts/${value}?owner=${q}`);
    return r.status === 200 ? (r.json() as { data: { host: Record<string, unknown> } }).data.host : undefined;
  };
  const names = async (path: string, key: string): Promise<string[]> => {
    const r = await call(sandbox, 'GET', `${path}?owner=${q}`);
    return (
      (r.json() as { data: Record<string, { name?: string; type?: string; value?: string }[]> }).data[key] ??
      []
    )
      .map((t) => t.name ?? `${t.type}=${t.value}`)
      .sort();
  };

  it('checks the job settings field by field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { owner: OWNER, action: 'Create', attributeWriteType: 'Replace' },
        'The haltOnError field of a batch job is required',
      ],
      [
        { owner: OWNER, haltOnError: false, action: 'Upsert', attributeWriteType: 'Replace' },
        'The action of this batch job is invalid, please enter one of the following values: Create, Delete: "Upsert"',
      ],
      [
        { owner: OWNER, haltOnError: false, action: 'Create' },
        'The attributeWriteType field of a batch job is required',
      ],
      [
        { owner: OWNER, haltOnError: 'maybe', action: 'Create', attributeWriteType: 'Replace' },
        'The haltOnError of this batch job is invalid, please enter one of the following values: true, false: "maybe"',
      ],
      [
        { owner: OWNER, haltOnError: false, action: 'Create', attributeWriteType: 'Replace', size: 1 },
        'Unknown field of a batch job: size',
      ],
      [
        { haltOnError: false, action: 'Create', attributeWriteType: 'Replace' },
        'The owner field of a batch job is required',
      ],
    ];
    for (const [body, message] of cases) {
      const r = await call(sandbox, 'POST', '/v2/batch', { body: JSON.stringify(body) });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.json(), { status: 'Failure', message });
    }
  });

  it('refuses an upload over 2,000,000 bytes with the spec 400; the job stays Created', async () => {
    const id = await job();
    const r = await upload(id, Buffer.alloc(2_000_001, 0x20));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), {
      status: 'Invalid',
      description: 'File size greater than allowable limit of 2000000',
    });
    const s = await call(sandbox, 'GET', `/v2/batch/${id}`);
    assert.deepEqual(s.json(), {
      status: 'Success',
      data: { batchStatus: { id, status: 'Created', errorCount: 0, successCount: 0, unprocessCount: 0 } },
    });
    const e = await call(sandbox, 'GET', `/v2/batch/${id}/errors`);
    assert.equal(e.status, 400);
    assert.deepEqual(e.json(), { status: 'Invalid', description: 'Batch still in Created state' });
    // Exactly at the limit is taken (and here refused only as a file that is not JSON).
    const atLimit = await upload(id, Buffer.alloc(2_000_000, 0x20));
    assert.deepEqual(atLimit.json(), { status: 'Failure', message: 'The batch file is not valid JSON' });
  });

  it('answers the upload with the recorded 202 body, once; counts, errors and results after', async () => {
    const id = await job();
    const file = {
      indicator: [
        { type: 'Host', summary: 'ok1.batch.example.com' },
        { type: 'Address', summary: '300.1.1.1' },
      ],
    };
    const r = await upload(id, file);
    assert.equal(r.status, 202);
    assert.deepEqual(r.json(), {
      status: 'Success',
      data: { batchStatus: { status: 'Queued', errorCount: 0, successCount: 0, unprocessCount: 0, id } },
    });
    const again = await upload(id, file);
    assert.equal(again.status, 400);
    assert.match(
      (again.json() as { message: string }).message,
      new RegExp(`Batch job ${id} already has its file`),
    );
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 2000 && status.status !== 'Completed'; i += 1) {
      if (i > 0) await delay(5);
      status = polled(await call(sandbox, 'GET', `/v2/batch/${id}?includeAdditional=true`));
    }
    assert.deepEqual(status, {
      id,
      status: 'Completed',
      errorCount: 1,
      successCount: 1,
      unprocessCount: 0,
      successIndicatorCount: 1,
      errorIndicatorCount: 1,
      successGroupCount: 0,
      errorGroupCount: 0,
    });
    // `includes=additional` asks for the same (rest-api-v2.md 4.1), alone or among other includes.
    for (const query of [
      'includes=additional',
      'includes=tags&includes=additional',
      'includes=tags,additional',
    ])
      assert.deepEqual(polled(await call(sandbox, 'GET', `/v2/batch/${id}?${query}`)), status, query);
    assert.equal('successIndicatorCount' in polled(await call(sandbox, 'GET', `/v2/batch/${id}`)), false);
    const e = await call(sandbox, 'GET', `/v2/batch/${id}/errors`);
    assert.equal(e.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(JSON.parse(gunzipSync(e.body).toString('utf8')), [
      {
        errorCode: '0x1001',
        errorReason: 'Invalid indicator',
        itemType: 'indicator',
        errorMessage:
          'Encountered an error processing Address "300.1.1.1": Please enter a valid Address: 300.1.1.1',
        type: 'Address',
        summary: '300.1.1.1',
      },
    ]);
    const results = await call(sandbox, 'GET', `/v2/batch/${id}/results?severity=error&code=0x1001`);
    assert.deepEqual(results.json(), [
      {
        code: '0x1001',
        severity: 'error',
        errorReason: 'Invalid indicator',
        errorMessage:
          'Encountered an error processing Address "300.1.1.1": Please enter a valid Address: 300.1.1.1',
      },
    ]);
    const none = await call(sandbox, 'GET', `/v2/batch/${id}/results?contains=nothing-like-this`);
    assert.deepEqual(none.json(), []);
    const clean = await run({ indicator: [{ type: 'Host', summary: 'ok2.batch.example.com' }] });
    const noErrors = await call(sandbox, 'GET', `/v2/batch/${String(clean.id)}/errors`);
    assert.equal(noErrors.status, 404);
  });

  it('writes what the single-item endpoints would, and drops cached listings', async () => {
    const listed = await call(sandbox, 'GET', `/v2/indicators/hosts?owner=${q}&resultLimit=1`);
    const before = (listed.json() as { data: { resultCount: number } }).data.resultCount;
    await run({
      group: [{ type: 'Threat', name: 'Batch Threat', xid: 'bt-1', tag: [{ name: 'BT' }] }],
      indicator: [
        {
          type: 'Host',
          summary: 'meta.batch.example.com',
          rating: 4,
          confidence: 70,
          description: 'seen',
          tag: [{ name: 'One' }, { name: 'Two' }],
          attribute: [{ type: 'Source', value: 'feed A', displayed: true }],
          securityLabel: [
            { name: 'TLP:GREEN' },
            { name: 'Batch Label', description: 'made by a batch file', color: 'ABCDEF' },
          ],
          associatedGroups: [{ groupXid: 'bt-1' }],
        },
      ],
    });
    const row = await host('meta.batch.example.com');
    assert.ok(row);
    assert.equal(row.rating, 4);
    assert.equal(row.confidence, 70);
    assert.equal(row.description, 'seen');
    assert.deepEqual(await names('/v2/indicators/hosts/meta.batch.example.com/tags', 'tag'), ['One', 'Two']);
    assert.deepEqual(
      await names('/v2/indicators/hosts/meta.batch.example.com/securityLabels', 'securityLabel'),
      ['Batch Label', 'TLP:GREEN'],
    );
    // The new label is created with its description; its color is kept out of the answers, as
    // rest-api-v2.md 9 documents a label as name, description and dateAdded only.
    const made = await call(sandbox, 'GET', `/v2/securityLabels/Batch%20Label?owner=${q}`);
    const label = (made.json() as { data: { securityLabel: Record<string, unknown> } }).data.securityLabel;
    assert.deepEqual(Object.keys(label).sort(), ['dateAdded', 'description', 'name']);
    // The group's xid shows with includeAdditional (rest-api-v2.md 7.2), and only then.
    const batchThreat = async (extra: string) =>
      (
        (await call(sandbox, 'GET', `/v2/groups/threats?owner=${q}${extra}`)).json() as {
          data: { threat: Record<string, unknown>[] };
        }
      ).data.threat.find((t) => t.name === 'Batch Threat');
    assert.equal((await batchThreat('&includeAdditional=true'))?.xid, 'bt-1');
    assert.equal((await batchThreat(''))?.xid, undefined);
    assert.equal(label.description, 'made by a batch file');
    assert.deepEqual(await names('/v2/indicators/hosts/meta.batch.example.com/groups', 'group'), [
      'Batch Threat',
    ]);
    const after = await call(sandbox, 'GET', `/v2/indicators/hosts?owner=${q}&resultLimit=1`);
    assert.equal((after.json() as { data: { resultCount: number } }).data.resultCount, before + 1);

    // tagWriteType Append keeps the tags; Replace (the default) swaps them.
    await run(
      { indicator: [{ type: 'Host', summary: 'meta.batch.example.com', tag: [{ name: 'Three' }] }] },
      { tagWriteType: 'Append' },
    );
    assert.deepEqual(await names('/v2/indicators/hosts/meta.batch.example.com/tags', 'tag'), [
      'One',
      'Three',
      'Two',
    ]);
    await run({ indicator: [{ type: 'Host', summary: 'meta.batch.example.com', tag: [{ name: 'Four' }] }] });
    assert.deepEqual(await names('/v2/indicators/hosts/meta.batch.example.com/tags', 'tag'), ['Four']);

    // attributeWriteType: Static adds only new types; Singleton keeps one per type; Append adds.
    const attrs = () => names('/v2/indicators/hosts/meta.batch.example.com/attributes', 'attribute');
    await run(
      {
        indicator: [
          {
            type: 'Host',
            summary: 'meta.batch.example.com',
            attribute: [
              { type: 'Source', value: 'feed B' },
              { type: 'Comment', value: 'c1' },
            ],
          },
        ],
      },
      { attributeWriteType: 'Static' },
    );
    assert.deepEqual(await attrs(), ['Comment=c1', 'Description=seen', 'Source=feed A']);
    await run(
      {
        indicator: [
          {
            type: 'Host',
            summary: 'meta.batch.example.com',
            attribute: [{ type: 'Source', value: 'feed C' }],
          },
        ],
      },
      { attributeWriteType: 'Singleton' },
    );
    assert.deepEqual(await attrs(), ['Comment=c1', 'Description=seen', 'Source=feed C']);
    await run(
      {
        indicator: [
          { type: 'Host', summary: 'meta.batch.example.com', attribute: [{ type: 'Comment', value: 'c2' }] },
        ],
      },
      { attributeWriteType: 'Append' },
    );
    assert.deepEqual(await attrs(), ['Comment=c1', 'Comment=c2', 'Description=seen', 'Source=feed C']);

    // A group is updated by its xid, not created again.
    await run({ group: [{ type: 'Threat', name: 'Renamed Threat', xid: 'bt-1' }] });
    const threats = await names('/v2/groups/threats', 'threat');
    assert.ok(threats.includes('Renamed Threat') && !threats.includes('Batch Threat'));

    // Delete removes indicators by value and groups by xid; an unknown one is an error.
    const deleted = await run(
      {
        indicator: [
          { type: 'Host', summary: 'meta.batch.example.com' },
          { type: 'Host', summary: 'never.batch.example.com' },
        ],
        group: [{ type: 'Threat', name: 'x', xid: 'bt-1' }],
      },
      { action: 'Delete' },
    );
    assert.deepEqual([deleted.successCount, deleted.errorCount], [2, 1]);
    assert.equal(await host('meta.batch.example.com'), undefined);
    assert.ok(!(await names('/v2/groups/threats', 'threat')).includes('Renamed Threat'));
  });

  it('files: hashes merge; a collision follows hashCollisionMode', async () => {
    const md5 = 'A'.repeat(32);
    const sha1 = 'B'.repeat(40);
    const otherSha1 = 'C'.repeat(40);
    await run({ indicator: [{ type: 'File', summary: md5 }] });
    await run({ indicator: [{ type: 'File', summary: `${md5} : ${sha1}` }] });
    const merged = await call(sandbox, 'GET', `/v2/indicators/files/${md5}?owner=${q}`);
    assert.equal((merged.json() as { data: { file: { sha1: string } } }).data.file.sha1, sha1);
    const split = await run(
      { indicator: [{ type: 'File', summary: `${md5} : ${otherSha1}` }] },
      { hashCollisionMode: 'Split' },
    );
    assert.equal(split.errorCount, 1);
    const favourExisting = await run(
      { indicator: [{ type: 'File', summary: `${md5} : ${otherSha1}` }] },
      { hashCollisionMode: 'FavorExisting' },
    );
    assert.equal(favourExisting.successCount, 1);
    const kept = await call(sandbox, 'GET', `/v2/indicators/files/${md5}?owner=${q}`);
    assert.equal((kept.json() as { data: { file: { sha1: string } } }).data.file.sha1, sha1);
    await run({ indicator: [{ type: 'File', summary: `${md5} : ${otherSha1}` }] });
    const incoming = await call(sandbox, 'GET', `/v2/indicators/files/${md5}?owner=${q}`);
    assert.equal((incoming.json() as { data: { file: { sha1: string } } }).data.file.sha1, otherSha1);
  });

  it('haltOnError leaves the rest unprocessed', async () => {
    const status = await run(
      {
        indicator: [
          { type: 'Host', summary: 'h1.halt.example.com' },
          { type: 'Host', summary: 'bad host' },
          { type: 'Host', summary: 'h3.halt.example.com' },
        ],
      },
      { haltOnError: true },
    );
    assert.deepEqual([status.successCount, status.errorCount, status.unprocessCount], [1, 1, 1]);
    assert.equal(await host('h3.halt.example.com'), undefined);
  });

  it('a job of an owner the user may not access is a 403; an unknown job a 404', async () => {
    const r = await call(sandbox, 'GET', '/v2/batch/99999');
    assert.equal(r.status, 404);
    const id = await job();
    const other = await call(sandbox, 'GET', `/v2/batch/${id}`, {
      accessId: sandbox.restrictedUser.accessId,
      secretKey: sandbox.restrictedUser.secretKey,
    });
    assert.equal(other.status, 403);
  });
});
