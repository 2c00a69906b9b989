/**
 * Victims, victim assets, tasks, assignees and escalatees over HTTP (rest-api-v2.md section 8,
 * decisions.md 2.4), checked against `sampleData(n)`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import type { SampleTask, SampleVictim } from '../../../src/sandbox/sample-types.js';
import { NOT_FOUND, OWNERS, done, exactList, failure, item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, call } from '../../helpers/signer.js';

const N = 1000;
const sample = sampleData(N);
const NOW = '2024-07-08T09:10:11Z';
const NOW_MS = Date.parse(NOW);
const ANALYST = { userName: 'sandbox.analyst', firstName: 'Sam', lastName: 'Analyst' };
const RESTRICTED = { userName: 'sandbox.restricted', firstName: 'Riley', lastName: 'Restricted' };
const TASK_STATUSES = 'Not Started, In Progress, Completed, Waiting on Someone, Deferred';

const absolute = (origin: string, link: string) => (link.startsWith('/') ? origin + link : link);

function expectedVictim(v: SampleVictim, origin: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: v.id, name: v.name };
  for (const key of ['description', 'org', 'suborg', 'workLocation', 'nationality'] as const) {
    if (v[key] !== undefined) out[key] = v[key];
  }
  out.webLink = absolute(origin, v.webLink);
  return out;
}

function expectedTask(t: SampleTask, single: boolean, origin: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, name: t.name };
  if (single) out.owner = OWNERS[t.ownerName];
  else out.ownerName = t.ownerName;
  out.dateAdded = t.dateAdded;
  out.lastModified = t.lastModified;
  out.webLink = absolute(origin, t.webLink);
  out.status = t.status;
  out.escalated = t.escalated;
  out.reminded = t.reminded;
  out.overdue = t.overdue;
  for (const key of ['dueDate', 'reminderDate', 'escalationDate', 'description'] as const) {
    if (t[key] !== undefined) out[key] = t[key];
  }
  if (t.assignee.length > 0) out.assignee = t.assignee;
  if (t.escalatee.length > 0) out.escalatee = t.escalatee;
  return out;
}

const ASSET_TYPES = [
  {
    branch: 'emailAddresses',
    type: 'EmailAddress',
    key: 'victimEmailAddress',
    create: { address: 'jd@example.org', addressType: 'Personal' },
    update: { addressType: 'Work' },
    name: 'jd@example.org',
    required: 'address',
  },
  {
    branch: 'networkAccounts',
    type: 'NetworkAccount',
    key: 'victimNetworkAccount',
    create: { account: 'jd', network: 'LDAP' },
    update: { account: 'jdoe2' },
    name: 'jd',
    required: 'account',
  },
  {
    branch: 'phoneNumbers',
    type: 'Phone',
    key: 'victimPhone',
    create: { phoneType: '+1-555-0199' },
    update: { phoneType: '+1-555-0100' },
    name: '+1-555-0199',
    required: 'phoneType',
  },
  {
    branch: 'socialNetworks',
    type: 'SocialNetwork',
    key: 'victimSocialNetwork',
    create: { account: '@jd', network: 'Mastodon' },
    update: { network: 'Bluesky' },
    name: '@jd',
    required: 'account',
  },
  {
    branch: 'webSites',
    type: 'WebSite',
    key: 'victimWebSite',
    create: { webSite: 'www.jd.example.org' },
    update: { webSite: 'jd.example.org' },
    name: 'www.jd.example.org',
    required: 'webSite',
  },
] as const;

describe('victims and tasks', () => {
  let sandbox: Sandbox;
  let origin: string;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: N, clock: () => NOW_MS });
    origin = new URL(sandbox.baseUrl).origin;
  });
  after(async () => {
    await sandbox.close();
  });
  const send = (method: string, path: string, body?: unknown, options: CallOptions = {}) =>
    call(sandbox, method, path, {
      ...options,
      timestamp: NOW_MS / 1000,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const get = (path: string, options: CallOptions = {}) => send('GET', path, undefined, options);
  const restricted = (): CallOptions => ({
    accessId: sandbox.restrictedUser.accessId,
    secretKey: sandbox.restrictedUser.secretKey,
  });

  describe('victims', () => {
    for (const owner of Object.keys(OWNERS)) {
      it(`lists ${owner}'s victims (no owner field on the wire)`, async () => {
        const want = sample.victims.filter((v) => v.ownerName === owner).sort((a, b) => a.id - b.id);
        assert.ok(want.length > 0);
        const { total, items } = exactList(
          await get(`/v2/victims?owner=${encodeURIComponent(owner)}&resultLimit=500`),
          'victim',
        );
        assert.equal(total, want.length);
        assert.deepEqual(
          items,
          want.map((v) => expectedVictim(v, origin)),
        );
      });
    }

    it('gets a victim by id whatever the owner parameter says', async () => {
      const victim10 = sample.victims.find((v) => v.id === 10);
      assert.ok(victim10);
      const want = expectedVictim(victim10, origin);
      assert.deepEqual(want, {
        id: 10,
        name: 'Jane Doe',
        description: 'Finance employee targeted by the Bad Guy adversaries.',
        org: 'Example Corp',
        suborg: 'Finance',
        workLocation: 'Headquarters',
        nationality: 'American',
        webLink: `${origin}/auth/victim/victim.xhtml?victim=10`,
      });
      for (const query of ['', '?owner=Example%20Org', '?owner=Common+Community']) {
        assert.deepEqual(item(await get(`/v2/victims/10${query}`), 'victim'), want);
      }
      failure(await get('/v2/victims/999999'), 404, NOT_FOUND);
      failure(await get('/v2/victims/ten'), 404, NOT_FOUND);
      failure(await get('/v2/victims/10', restricted()), 403, 'Access Denied');
    });

    it('creates, updates and deletes a victim', async () => {
      const body = {
        name: 'John Roe',
        org: 'Roe Inc',
        suborg: 'IT',
        workLocation: 'Remote',
        nationality: 'Irish',
      };
      const created = item(await send('POST', '/v2/victims?owner=Common%20Community', body), 'victim', 201);
      assert.equal(typeof created.id, 'number');
      assert.deepEqual(created, {
        id: created.id,
        ...body,
        webLink: `${origin}/auth/victim/victim.xhtml?victim=${created.id}`,
      });
      const listed = exactList(
        await get('/v2/victims?owner=Common%20Community&resultLimit=500'),
        'victim',
      ).items;
      assert.deepEqual(listed.at(-1), created);
      const updated = item(
        await send('PUT', `/v2/victims/${created.id}`, { name: 'John Q. Roe', description: 'Renamed.' }),
        'victim',
      );
      assert.deepEqual(updated, { ...created, name: 'John Q. Roe', description: 'Renamed.' });
      assert.deepEqual(item(await get(`/v2/victims/${created.id}`), 'victim'), updated);
      done(await send('DELETE', `/v2/victims/${created.id}`));
      failure(await get(`/v2/victims/${created.id}`), 404, NOT_FOUND);
      failure(await send('DELETE', `/v2/victims/${created.id}`), 404, NOT_FOUND);
      failure(await send('PUT', `/v2/victims/${created.id}`, { name: 'x' }), 404, NOT_FOUND);
    });

    it('creates a victim in the default org when no owner is given', async () => {
      const created = item(await send('POST', '/v2/victims', { name: 'Default Victim' }), 'victim', 201);
      const listed = exactList(await get('/v2/victims?resultLimit=500'), 'victim').items;
      assert.ok(listed.some((v) => v.id === created.id));
      const community = exactList(
        await get('/v2/victims?owner=Example+Community&resultLimit=500'),
        'victim',
      ).items;
      assert.ok(!community.some((v) => v.id === created.id));
    });

    it('rejects bad victim bodies with 400', async () => {
      failure(await send('POST', '/v2/victims', {}), 400, 'The name for this Victim is invalid');
      failure(await send('POST', '/v2/victims', { name: ' ' }), 400, 'The name for this Victim is invalid');
      failure(
        await send('POST', '/v2/victims', { name: 'A', org: 5 }),
        400,
        'The org for this Victim is invalid',
      );
      failure(await send('PUT', '/v2/victims/10', { name: '' }), 400, 'The name for this Victim is invalid');
      failure(await send('POST', '/v2/victims', '{'), 400, 'The request was not properly formed');
      failure(
        await send('POST', '/v2/victims?owner=Nobody', { name: 'A' }),
        403,
        'The requested owner was not found',
      );
    });

    it('lists victim assets, all of them and by type', async () => {
      for (const v of sample.victims.filter((x) => x.assets.length > 0).slice(0, 8)) {
        const { total, items } = exactList(await get(`/v2/victims/${v.id}/victimAssets`), 'victimAsset');
        assert.equal(total, v.assets.length);
        const link = `${origin}/auth/victim/victim.xhtml?victim=${v.id}`;
        assert.deepEqual(
          items,
          [...v.assets]
            .sort((a, b) => a.id - b.id)
            .map((a) => ({ id: a.id, name: a.name, type: a.type, webLink: link })),
        );
        for (const t of ASSET_TYPES) {
          const typed = exactList(await get(`/v2/victims/${v.id}/victimAssets/${t.branch}`), t.key).items;
          assert.deepEqual(
            typed,
            v.assets
              .filter((a) => a.type === t.type)
              .sort((a, b) => a.id - b.id)
              .map((a) => ({ id: a.id, type: a.type, webLink: link, ...a.fields })),
          );
        }
      }
      const account = item(
        await get('/v2/victims/10/victimAssets/networkAccounts/1'),
        'victimNetworkAccount',
      );
      assert.deepEqual(account, {
        id: 1,
        type: 'NetworkAccount',
        webLink: `${origin}/auth/victim/victim.xhtml?victim=10`,
        account: 'jdoe',
        network: 'Active Directory',
      });
    });

    for (const t of ASSET_TYPES) {
      it(`creates, reads, updates and deletes a ${t.type} asset`, async () => {
        const victim = item(
          await send('POST', '/v2/victims', { name: `Owner of a ${t.type}` }),
          'victim',
          201,
        );
        const base = `/v2/victims/${victim.id}/victimAssets/${t.branch}`;
        const created = item(await send('POST', base, t.create), t.key, 201);
        const link = `${origin}/auth/victim/victim.xhtml?victim=${victim.id}`;
        assert.deepEqual(created, { id: created.id, type: t.type, webLink: link, ...t.create });
        assert.deepEqual(item(await get(`${base}/${created.id}`), t.key), created);
        assert.deepEqual(exactList(await get(`/v2/victims/${victim.id}/victimAssets`), 'victimAsset').items, [
          { id: created.id, name: t.name, type: t.type, webLink: link },
        ]);
        const updated = item(await send('PUT', `${base}/${created.id}`, t.update), t.key);
        assert.deepEqual(updated, { ...created, ...t.update });
        done(await send('DELETE', `${base}/${created.id}`));
        failure(await get(`${base}/${created.id}`), 404, NOT_FOUND);
        failure(await send('DELETE', `${base}/${created.id}`), 404, NOT_FOUND);
        assert.deepEqual(
          exactList(await get(`/v2/victims/${victim.id}/victimAssets`), 'victimAsset').items,
          [],
        );
        failure(await send('POST', base, {}), 400, `The ${t.required} for this ${t.type} is invalid`);
        failure(
          await send('POST', base, { [t.required]: 12 }),
          400,
          `The ${t.required} for this ${t.type} is invalid`,
        );
      });
    }

    it('answers unknown asset types, assets of another victim and unknown victims with 404', async () => {
      failure(await get('/v2/victims/10/victimAssets/faxNumbers'), 404, NOT_FOUND);
      failure(await get('/v2/victims/11/victimAssets/networkAccounts/1'), 404, NOT_FOUND);
      failure(await get('/v2/victims/10/victimAssets/emailAddresses/1'), 404, NOT_FOUND);
      failure(await get('/v2/victims/999999/victimAssets'), 404, NOT_FOUND);
      failure(
        await send('POST', '/v2/victims/999999/victimAssets/webSites', { webSite: 'x' }),
        404,
        NOT_FOUND,
      );
    });
  });

  describe('tasks', () => {
    for (const owner of Object.keys(OWNERS)) {
      it(`lists ${owner}'s tasks`, async () => {
        const want = sample.tasks.filter((t) => t.ownerName === owner).sort((a, b) => a.id - b.id);
        assert.ok(want.length >= 3, 'a few tasks in every owner');
        const { total, items } = exactList(
          await get(`/v2/tasks?owner=${encodeURIComponent(owner)}&resultLimit=500`),
          'task',
        );
        assert.equal(total, want.length);
        assert.deepEqual(
          items,
          want.map((t) => expectedTask(t, false, origin)),
        );
      });
    }

    it('gets a task by id with owner{}, whatever the owner parameter says', async () => {
      for (const t of sample.tasks.slice(0, 12)) {
        const want = expectedTask(t, true, origin);
        assert.deepEqual(item(await get(`/v2/tasks/${t.id}`), 'task'), want);
        assert.deepEqual(item(await get(`/v2/tasks/${t.id}?owner=Common%20Community`), 'task'), want);
      }
      const task1 = item(await get('/v2/tasks/1'), 'task');
      assert.deepEqual(task1.assignee, [ANALYST]);
      assert.deepEqual(task1.escalatee, [ANALYST]);
      assert.equal(task1.escalated, true);
      failure(await get('/v2/tasks/999999'), 404, NOT_FOUND);
      failure(await get('/v2/tasks/4', restricted()), 403, 'Access Denied');
      assert.equal(item(await get('/v2/tasks/1', restricted()), 'task').id, 1);
    });

    it('creates a task with defaults, assignees and escalatees', async () => {
      const created = item(
        await send('POST', '/v2/tasks?owner=Example%20Community', {
          name: 'Review the feed',
          assignee: [{ userName: 'sandbox.restricted' }],
          escalatee: [{ userName: 'sandbox.analyst' }],
          dueDate: '2024-08-01T00:00:00Z',
          escalationDate: '2024-08-02T00:00:00Z',
          description: 'Weekly review.',
        }),
        'task',
        201,
      );
      assert.deepEqual(created, {
        id: created.id,
        name: 'Review the feed',
        owner: OWNERS['Example Community'],
        dateAdded: NOW,
        lastModified: NOW,
        webLink: `${origin}/auth/workflow/task.xhtml?task=${created.id}`,
        status: 'Not Started',
        escalated: false,
        reminded: false,
        overdue: false,
        dueDate: '2024-08-01T00:00:00Z',
        escalationDate: '2024-08-02T00:00:00Z',
        description: 'Weekly review.',
        assignee: [RESTRICTED],
        escalatee: [ANALYST],
      });
      const listed = exactList(
        await get('/v2/tasks?owner=Example%20Community&resultLimit=500'),
        'task',
      ).items;
      assert.deepEqual(listed.at(-1), {
        ...Object.fromEntries(Object.entries(created).filter(([k]) => k !== 'owner')),
        ownerName: 'Example Community',
      });
      const plain = item(await send('POST', '/v2/tasks', { name: 'Plain' }), 'task', 201);
      assert.deepEqual(plain.owner, OWNERS['Example Org']);
      assert.equal(plain.assignee, undefined);
      assert.equal(plain.escalatee, undefined);
    });

    it('rejects bad task bodies with 400', async () => {
      const cases: [string, unknown, string][] = [
        ['POST', {}, 'The name for this Task is invalid'],
        ['POST', { name: '' }, 'The name for this Task is invalid'],
        ['POST', { name: 'T', dueDate: 'tomorrow' }, 'The dueDate for this Task is invalid'],
        [
          'POST',
          { name: 'T', status: 'Done' },
          `The status for this Task is invalid, please enter one of the following values: ${TASK_STATUSES}`,
        ],
        ['POST', { name: 'T', assignee: 'sandbox.analyst' }, 'The assignee for this Task is invalid'],
        ['POST', { name: 'T', assignee: [{ user: 'x' }] }, 'The assignee for this Task is invalid'],
        [
          'POST',
          { name: 'T', assignee: [{ userName: 'nobody' }] },
          'The assignee for this Task is invalid: unknown user nobody',
        ],
        [
          'POST',
          { name: 'T', escalatee: [{ userName: 'nobody' }] },
          'The escalatee for this Task is invalid: unknown user nobody',
        ],
        [
          'POST',
          { name: 'T', escalated: 'yes' },
          'The escalated for this Task is invalid, please enter one of the following values: true, false',
        ],
        [
          'POST',
          { name: 'T', reminded: 0 },
          'The reminded for this Task is invalid, please enter one of the following values: true, false',
        ],
        [
          'POST',
          { name: 'T\u0007' },
          'The name for this Task is invalid, it may not contain control characters',
        ],
      ];
      for (const [method, body, message] of cases)
        failure(await send(method, '/v2/tasks', body), 400, message);
      failure(
        await send('PUT', '/v2/tasks/1', { status: 'Finished' }),
        400,
        `The status for this Task is invalid, please enter one of the following values: ${TASK_STATUSES}`,
      );
      failure(await send('PUT', '/v2/tasks/1', { name: '' }), 400, 'The name for this Task is invalid');
    });

    it('updates a task: every status, name, dates and people', async () => {
      const created = item(await send('POST', '/v2/tasks', { name: 'Cycle' }), 'task', 201);
      for (const status of TASK_STATUSES.split(', ')) {
        const updated = item(await send('PUT', `/v2/tasks/${created.id}`, { status }), 'task');
        assert.equal(updated.status, status);
      }
      const updated = item(
        await send('PUT', `/v2/tasks/${created.id}`, {
          name: 'Cycle 2',
          dueDate: '2024-09-01T00:00:00Z',
          assignee: [{ userName: 'sandbox.analyst' }],
        }),
        'task',
      );
      assert.equal(updated.name, 'Cycle 2');
      assert.equal(updated.dueDate, '2024-09-01T00:00:00Z');
      assert.deepEqual(updated.assignee, [ANALYST]);
      assert.equal(updated.status, 'Deferred');
      assert.deepEqual(item(await get(`/v2/tasks/${created.id}`), 'task'), updated);
      failure(await send('PUT', '/v2/tasks/999999', { name: 'x' }), 404, NOT_FOUND);
    });

    for (const which of ['assignee', 'escalatee'] as const) {
      it(`adds and removes ${which}s`, async () => {
        const created = item(await send('POST', '/v2/tasks', { name: `People (${which})` }), 'task', 201);
        const base = `/v2/tasks/${created.id}/${which}s`;
        assert.deepEqual(exactList(await get(base), 'user').items, []);
        done(await send('POST', `${base}/sandbox.analyst`), 201);
        done(await send('POST', `${base}/sandbox.restricted`), 201);
        done(await send('POST', `${base}/sandbox.analyst`), 201);
        assert.deepEqual(exactList(await get(base), 'user').items, [ANALYST, RESTRICTED]);
        assert.deepEqual(item(await get(`${base}/sandbox.restricted`), 'user'), RESTRICTED);
        assert.deepEqual(item(await get(`/v2/tasks/${created.id}`), 'task')[which], [ANALYST, RESTRICTED]);
        done(await send('DELETE', `${base}/sandbox.analyst`));
        assert.deepEqual(exactList(await get(base), 'user').items, [RESTRICTED]);
        failure(await send('DELETE', `${base}/sandbox.analyst`), 404, NOT_FOUND);
        failure(await get(`${base}/sandbox.analyst`), 404, NOT_FOUND);
        failure(
          await send('POST', `${base}/nobody`),
          400,
          `The ${which} for this Task is invalid: unknown user nobody`,
        );
        failure(await get(`/v2/tasks/999999/${which}s`), 404, NOT_FOUND);
      });
    }

    it('serves task pivots and the tag and label listings of tasks', async () => {
      const created = item(await send('POST', '/v2/tasks', { name: 'Pivoted' }), 'task', 201);
      done(await send('POST', `/v2/tasks/${created.id}/tags/Task%20Tag`), 201);
      done(await send('POST', `/v2/tasks/${created.id}/securityLabels/TLP%20White`), 201);
      done(await send('POST', `/v2/tasks/${created.id}/groups/adversaries/710`), 201);
      done(await send('POST', `/v2/tasks/${created.id}/indicators/addresses/10.20.30.40`), 201);
      done(await send('POST', `/v2/tasks/${created.id}/victims/10`), 201);
      assert.deepEqual(
        exactList(await get('/v2/tags/Task%20Tag/tasks'), 'task').items.map((t) => t.id),
        [created.id],
      );
      assert.equal(item(await get(`/v2/tags/Task%20Tag/tasks/${created.id}`), 'task').id, created.id);
      assert.ok(
        exactList(await get('/v2/securityLabels/TLP%20White/tasks'), 'task').items.some(
          (t) => t.id === created.id,
        ),
      );
      assert.deepEqual(
        exactList(await get(`/v2/tasks/${created.id}/groups/adversaries`), 'adversary').items.map(
          (g) => g.id,
        ),
        [710],
      );
      assert.deepEqual(
        exactList(await get(`/v2/tasks/${created.id}/indicators/addresses`), 'address').items.map(
          (i) => i.ip,
        ),
        ['10.20.30.40'],
      );
      assert.deepEqual(
        exactList(await get(`/v2/tasks/${created.id}/victims`), 'victim').items.map((v) => v.id),
        [10],
      );
      // Tags belong to an owner: Example Community has no tag Task Tag.
      failure(await get('/v2/tags/Task%20Tag/tasks?owner=Example%20Community'), 404, NOT_FOUND);
      const attribute = item(
        await send('POST', `/v2/tasks/${created.id}/attributes`, { type: 'Description', value: 'Why' }),
        'attribute',
        201,
      );
      assert.equal(attribute.value, 'Why');
    });

    it('deletes a task; a later GET or DELETE is 404 and its links are gone', async () => {
      const created = item(await send('POST', '/v2/tasks', { name: 'Short-lived' }), 'task', 201);
      done(await send('POST', `/v2/tasks/${created.id}/groups/adversaries/711`), 201);
      done(await send('DELETE', `/v2/tasks/${created.id}`));
      failure(await get(`/v2/tasks/${created.id}`), 404, NOT_FOUND);
      failure(await send('DELETE', `/v2/tasks/${created.id}`), 404, NOT_FOUND);
      assert.ok(
        !exactList(await get('/v2/groups/adversaries/711/tasks'), 'task').items.some(
          (t) => t.id === created.id,
        ),
      );
    });
  });
});
