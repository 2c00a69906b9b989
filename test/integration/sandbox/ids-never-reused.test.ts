/**
 * Ids of deleted objects are not handed out again, also by a sandbox reopened on the same database.
 *
 * The sandbox gave a new object "one past the highest id in use" (store.ts `nextId`), so deleting the
 * newest one and creating another handed out the deleted id again. Ids are global
 * (decisions.md 2.4: "Ids of groups, victims and tasks are unique across owners") and a real server's
 * come from a sequence: a deleted id stays 404. Here an object deleted on the server by one client is
 * silently replaced by another's new one, and the first client's `commit()` or `delete()` of its stale
 * object then changes or removes the new victim or task instead of failing with `NotFoundError`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { NotFoundError, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { useSandboxClient, withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

describe('a deleted id is not handed out again', () => {
  const fx = useSandboxClient();
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(() => {
    sandbox = fx.sandbox;
    tc = fx.client();
  });

  /** Creates one object at `base` and returns its id. */
  const create = async (target: Sandbox, base: string, key: string, name: string): Promise<number> => {
    const r = await call(target, 'POST', `${base}?owner=Example%20Org`, { body: JSON.stringify({ name }) });
    assert.equal(r.status, 201, r.text);
    return (r.json() as { data: Record<string, { id: number } | undefined> }).data[key]?.id ?? -1;
  };

  for (const [base, key] of [
    ['/v2/victims', 'victim'],
    ['/v2/tasks', 'task'],
    ['/v2/groups/threats', 'threat'],
  ] as const) {
    it(`${base}: a create after a delete gets a new id`, async () => {
      const first = await create(sandbox, base, key, 'First');
      const deleted = await call(sandbox, 'DELETE', `${base}/${first}`);
      assert.equal(deleted.status, 200, deleted.text);
      const second = await create(sandbox, base, key, 'Second');
      assert.equal(second, first + 1, `the deleted ${key} ${first} came back as a new ${key}`);
    });
  }

  it('a sandbox reopened on the same database keeps the ids it gave', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-ids-'));
    try {
      const dbPath = path.join(dir, 'ids.sqlite');
      const before = await withSandbox({ dbPath });
      const first = await create(before, '/v2/victims', 'victim', 'Before restart');
      assert.equal((await call(before, 'DELETE', `/v2/victims/${first}`)).status, 200);
      await before.close();
      const reopened = await withSandbox({ dbPath });
      try {
        assert.equal(await create(reopened, '/v2/victims', 'victim', 'After restart'), first + 1);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a stale victim's commit() fails with NotFoundError instead of renaming another client's new victim", async () => {
    const mine = tc.victims().add('Mine', 'Example Org');
    await mine.commit();
    // Another client deletes it and creates its own.
    assert.equal((await call(sandbox, 'DELETE', `/v2/victims/${mine.id}`)).status, 200);
    const other = await call(sandbox, 'POST', '/v2/victims?owner=Example%20Org', {
      body: JSON.stringify({ name: 'Theirs' }),
    });
    const theirs = (other.json() as { data: { victim: { id: number } } }).data.victim.id;
    mine.setDescription('changed by a stale object');
    await assert.rejects(mine.commit(), NotFoundError);
    const read = await call(sandbox, 'GET', `/v2/victims/${theirs}`);
    assert.equal((read.json() as { data: { victim: { name: string } } }).data.victim.name, 'Theirs');
  });
});
