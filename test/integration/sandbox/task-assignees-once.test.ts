/**
 * A user named twice in a task's `assignee` (or `escalatee`) body is assigned once.
 *
 * The sandbox's own `POST /v2/tasks/{id}/assignees/{user}` is idempotent (posting the same user twice
 * lists them once, victims-tasks.test.ts), and `DELETE .../assignees/{user}` then unassigns the user.
 * A task body naming the same user twice (`POST`/`PUT /v2/tasks` with `assignee: [{userName: a},
 * {userName: a}]`, which `task.setAssignees(['a', 'a'])` sent) was stored twice, so the same DELETE
 * answered Success while the user stayed assigned. The sandbox now keeps the first, and the SDK sends
 * each name once.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { useSandboxClient } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const ANALYST = 'sandbox.analyst';

describe('task assignees and escalatees are each assigned once', () => {
  const fx = useSandboxClient();
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(() => {
    sandbox = fx.sandbox;
    tc = fx.client();
  });

  const userNames = async (path: string): Promise<string[]> => {
    const r = await call(sandbox, 'GET', path);
    assert.equal(r.status, 200, r.text);
    const data = (r.json() as { data: { user?: { userName: string }[] } }).data;
    return (data.user ?? []).map((u) => u.userName);
  };

  for (const which of ['assignee', 'escalatee'] as const) {
    it(`a ${which} named twice in the body is one ${which}; DELETE then unassigns them`, async () => {
      const body = JSON.stringify({
        name: `Twice (${which})`,
        [which]: [{ userName: ANALYST }, { userName: ANALYST }],
      });
      const created = await call(sandbox, 'POST', '/v2/tasks?owner=Example%20Org', { body });
      assert.equal(created.status, 201, created.text);
      const id = (created.json() as { data: { task: { id: number } } }).data.task.id;
      const base = `/v2/tasks/${id}/${which}s`;
      assert.deepEqual(await userNames(base), [ANALYST]);
      const removed = await call(sandbox, 'DELETE', `${base}/${ANALYST}`);
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual(
        await userNames(base),
        [],
        `DELETE answered Success, but ${ANALYST} is still a ${which}`,
      );
    });
  }

  it('task.setAssignees() with a repeated user name leaves one assignee after commit()', async () => {
    const task = tc.tasks().add('SDK twice', 'Example Org');
    task.setAssignees(['a.user', ANALYST, 'a.user']);
    assert.deepEqual(task.fields.assignee, [{ userName: 'a.user' }, { userName: ANALYST }], 'sent once each');
    task.setAssignees([ANALYST, ANALYST]).setEscalatees([ANALYST, ANALYST]);
    assert.deepEqual(task.fields.escalatee, [{ userName: ANALYST }]);
    await task.commit();
    const assignees = (task.fields.assignee as { userName: string }[]).map((u) => u.userName);
    assert.deepEqual(assignees, [ANALYST]);
  });
});
