/**
 * sandbox writes that follow an asynchronous body read. A handler that looks its item up
 * before reading the body must look again afterwards (docs/decisions.md, sandbox 21): the item may
 * have been deleted or changed by another request while the body arrived.
 *
 * The slow request sends `Expect: 100-continue`; Node answers `100 Continue` just before it runs the
 * handler, which then waits for the body. The interfering request runs before the body is sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call, callWithBodyAfter, type RawResponse } from '../../helpers/signer.js';

function dataOf(response: RawResponse): Record<string, Record<string, unknown>> {
  return (response.json() as { data: Record<string, Record<string, unknown>> }).data;
}

describe('review: sandbox writes after a body read re-check their item', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  async function newVictim(name: string): Promise<number> {
    const created = await call(sandbox, 'POST', '/v2/victims', { body: JSON.stringify({ name }) });
    assert.equal(created.status, 201);
    return dataOf(created).victim?.id as number;
  }

  it('a victim asset POST whose victim was deleted meanwhile answers 404 and writes nothing', async () => {
    const victimId = await newVictim('review race victim');
    const answer = await callWithBodyAfter(
      sandbox,
      'POST',
      `/v2/victims/${victimId}/victimAssets/emailAddresses`,
      { address: 'race@example.com' },
      async () => {
        const deleted = await call(sandbox, 'DELETE', `/v2/victims/${victimId}`);
        assert.equal(deleted.status, 200);
      },
    );
    assert.equal(answer.status, 404, answer.text);
    assert.deepEqual(answer.json(), { status: 'Failure', message: 'The requested resource was not found' });
  });

  it('a tag PUT whose tag was deleted meanwhile answers 404, not 500, and does not bring it back', async () => {
    const created = await call(sandbox, 'POST', '/v2/tags', {
      body: JSON.stringify({ name: 'review-race' }),
    });
    assert.equal(created.status, 201);
    const answer = await callWithBodyAfter(
      sandbox,
      'PUT',
      '/v2/tags/review-race',
      { description: 'late' },
      async () => {
        const deleted = await call(sandbox, 'DELETE', '/v2/tags/review-race');
        assert.equal(deleted.status, 200);
      },
    );
    assert.equal(answer.status, 404, answer.text);
    assert.deepEqual(answer.json(), { status: 'Failure', message: 'The requested resource was not found' });
    assert.equal((await call(sandbox, 'GET', '/v2/tags/review-race')).status, 404);
  });

  it('a task PUT keeps an assignee added while its body arrived', async () => {
    const me = dataOf(await call(sandbox, 'GET', '/v2/whoami')).user?.userName as string;
    const created = await call(sandbox, 'POST', '/v2/tasks', { body: JSON.stringify({ name: 'race task' }) });
    assert.equal(created.status, 201);
    const taskId = dataOf(created).task?.id as number;
    const answer = await callWithBodyAfter(
      sandbox,
      'PUT',
      `/v2/tasks/${taskId}`,
      { status: 'In Progress' },
      async () => {
        const added = await call(sandbox, 'POST', `/v2/tasks/${taskId}/assignees/${encodeURIComponent(me)}`);
        assert.equal(added.status, 201);
      },
    );
    assert.equal(answer.status, 200, answer.text);
    const assignees = dataOf(await call(sandbox, 'GET', `/v2/tasks/${taskId}/assignees`)).user as unknown as {
      userName: string;
    }[];
    assert.deepEqual(
      assignees.map((u) => u.userName),
      [me],
    );
    const task = dataOf(await call(sandbox, 'GET', `/v2/tasks/${taskId}`)).task;
    assert.equal(task?.status, 'In Progress');
  });

  it('a victim asset PUT keeps a field another PUT set while its body arrived', async () => {
    const victimId = await newVictim('review race assets');
    const assets = `/v2/victims/${victimId}/victimAssets/networkAccounts`;
    const created = await call(sandbox, 'POST', assets, { body: JSON.stringify({ account: 'jdoe' }) });
    assert.equal(created.status, 201);
    const assetId = dataOf(created).victimNetworkAccount?.id as number;
    const answer = await callWithBodyAfter(
      sandbox,
      'PUT',
      `${assets}/${assetId}`,
      { account: 'jdoe2' },
      async () => {
        const other = await call(sandbox, 'PUT', `${assets}/${assetId}`, {
          body: JSON.stringify({ network: 'Corp' }),
        });
        assert.equal(other.status, 200);
      },
    );
    assert.equal(answer.status, 200, answer.text);
    const asset = dataOf(await call(sandbox, 'GET', `${assets}/${assetId}`)).victimNetworkAccount ?? {};
    assert.equal(asset.account, 'jdoe2');
    assert.equal(asset.network, 'Corp');
  });
});
