/**
 * Task assignees and escalatees addressed by user id (rest-api-v2.md 8: "`POST`/`DELETE
 * .../assignees/{userName|id}` (same for `escalatees`)"): a segment is a user name first; one of digits
 * that is no user's name is a user id.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { NOT_FOUND, done, exactList, failure, item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

/** The sample users (decisions.md 2.6): the main API user is user 1, the restricted user 2. */
const ANALYST = { userName: 'sandbox.analyst', firstName: 'Sam', lastName: 'Analyst' };
const RESTRICTED = { userName: 'sandbox.restricted', firstName: 'Riley', lastName: 'Restricted' };
/** A user added to the database whose name is the other sample user's id. */
const NAMED_TWO = { userName: '2', firstName: 'Named', lastName: 'Two' };

describe('sandbox: task assignees and escalatees by user id', () => {
  let sandbox: Sandbox;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-task-people-'));
    const dbPath = path.join(dir, 'sandbox.sqlite');
    // Seed the file, then add a user named "2" (user id 3) beside the two sample users.
    await (await withSandbox({ dbPath })).close();
    const db = new Database(dbPath);
    db.prepare(
      'INSERT INTO users (id, role, access_id, secret_key, user_name, first_name, last_name, org_owner_id) VALUES (3, ?, ?, ?, ?, ?, ?, 1)',
    ).run(
      'extra',
      'EXTRA-ACCESS-ID',
      'extra-secret',
      NAMED_TWO.userName,
      NAMED_TWO.firstName,
      NAMED_TWO.lastName,
    );
    db.close();
    sandbox = await withSandbox({ dbPath });
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (method: string, p: string, body?: unknown) =>
    call(sandbox, method, p, body === undefined ? {} : { body: JSON.stringify(body) });

  for (const which of ['assignee', 'escalatee'] as const) {
    it(`adds, reads and removes ${which}s by user id`, async () => {
      const task = item(await send('POST', '/v2/tasks', { name: `By id (${which})` }), 'task', 201);
      const base = `/v2/tasks/${task.id}/${which}s`;
      done(await send('POST', `${base}/1`), 201);
      assert.deepEqual(exactList(await send('GET', base), 'user').items, [ANALYST]);
      // The same user by name and by id is one entry.
      done(await send('POST', `${base}/sandbox.analyst`), 201);
      done(await send('POST', `${base}/1`), 201);
      assert.deepEqual(exactList(await send('GET', base), 'user').items, [ANALYST]);
      assert.deepEqual(item(await send('GET', `${base}/1`), 'user'), ANALYST);
      assert.deepEqual(item(await send('GET', `${base}/sandbox.analyst`), 'user'), ANALYST);
      // Digits are read as other ids in paths are: leading zeros do not matter.
      assert.deepEqual(item(await send('GET', `${base}/0001`), 'user'), ANALYST);
      assert.deepEqual(item(await send('GET', `/v2/tasks/${task.id}`), 'task')[which], [ANALYST]);
      done(await send('DELETE', `${base}/1`));
      assert.deepEqual(exactList(await send('GET', base), 'user').items, []);
      failure(await send('DELETE', `${base}/1`), 404, NOT_FOUND);
      failure(await send('GET', `${base}/1`), 404, NOT_FOUND);
    });

    it(`takes a ${which} segment of digits as a user name first`, async () => {
      const task = item(await send('POST', '/v2/tasks', { name: `Digits (${which})` }), 'task', 201);
      const base = `/v2/tasks/${task.id}/${which}s`;
      // "2" is user 3's name, not user 2 (the restricted user), who is reached by name only.
      done(await send('POST', `${base}/2`), 201);
      done(await send('POST', `${base}/sandbox.restricted`), 201);
      assert.deepEqual(exactList(await send('GET', base), 'user').items, [NAMED_TWO, RESTRICTED]);
      assert.deepEqual(item(await send('GET', `${base}/2`), 'user'), NAMED_TWO);
      // User 3 by id.
      assert.deepEqual(item(await send('GET', `${base}/3`), 'user'), NAMED_TWO);
      done(await send('DELETE', `${base}/3`));
      assert.deepEqual(exactList(await send('GET', base), 'user').items, [RESTRICTED]);
    });

    it(`refuses an id or name that is no user's as a ${which}`, async () => {
      const task = item(await send('POST', '/v2/tasks', { name: `Unknown (${which})` }), 'task', 201);
      const base = `/v2/tasks/${task.id}/${which}s`;
      for (const segment of ['99', '0', '1234567890123456', 'nobody']) {
        failure(
          await send('POST', `${base}/${segment}`),
          400,
          `The ${which} for this Task is invalid: unknown user ${segment}`,
        );
        failure(await send('DELETE', `${base}/${segment}`), 404, NOT_FOUND);
        failure(await send('GET', `${base}/${segment}`), 404, NOT_FOUND);
      }
      assert.deepEqual(exactList(await send('GET', base), 'user').items, []);
      failure(await send('POST', `/v2/tasks/999999/${which}s/1`), 404, NOT_FOUND);
    });
  }
});
