/**
 * A conformance review of the sandbox's groups, documents, victims, tasks and attributes against
 * rest-api-v2.md (beyond the indicator listings). Each test here failed before its fix:
 *
 * - dates a client writes (campaign `firstSeen`, incident `eventDate`, task dates) are ISO 8601
 *   (3.4: "Dates: ISO-8601 … the sandbox emits `...Z`"): `June 17, 2015` used to be stored and sent back;
 * - a task's `overdue` (8) is the server's: a task created or updated past its due date says so;
 * - a `malware: true` document "must be a password-protected zip, else **400**" (7.4);
 * - a victim update needs `name` (8: "`name` is required on create and (per the docs) on update"), and
 *   an update may not empty a field a create requires (a document's `fileName`, an e-mail's `subject`,
 *   a victim asset's required field);
 * - deleting an item takes its attributes' security labels with it, so a later attribute that gets the
 *   same id does not show them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { failure, item, list } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const NOW = '2024-07-08T09:10:11Z';
const NOW_MS = Date.parse(NOW);

describe('sandbox fidelity review: groups, tasks, victims, attributes', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox({ clock: () => NOW_MS });
  });
  after(async () => {
    await sandbox.close();
  });
  // Signed with the sandbox's clock, a fixed instant.
  const timestamp = NOW_MS / 1000;
  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, { timestamp, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const upload = (path: string, content: Buffer, method = 'POST') =>
    call(sandbox, method, path, { timestamp, body: content, contentType: 'application/octet-stream' });

  describe('dates a client writes', () => {
    const notIso = ['June 17, 2015', '1', '2015-02-30', '2024-01-02T24:00:00Z', '2024-01-02 03:04:05', ''];

    it('refuses a group date that is not ISO 8601 or names no real day', async () => {
      for (const value of notIso) {
        failure(
          await send('POST', '/v2/groups/incidents', { name: 'I', eventDate: value }),
          400,
          'The eventDate for this Incident is invalid',
        );
        failure(
          await send('POST', '/v2/groups/campaigns', { name: 'C', firstSeen: value }),
          400,
          'The firstSeen for this Campaign is invalid',
        );
      }
      const created = item(
        await send('POST', '/v2/groups/incidents', { name: 'I', eventDate: '2024-01-02T00:00:00Z' }),
        'incident',
        201,
      );
      failure(
        await send('PUT', `/v2/groups/incidents/${created.id}`, { eventDate: 'tomorrow' }),
        400,
        'The eventDate for this Incident is invalid',
      );
    });

    it('refuses a task date that is not ISO 8601', async () => {
      for (const value of notIso) {
        for (const field of ['dueDate', 'reminderDate', 'escalationDate']) {
          failure(
            await send('POST', '/v2/tasks', { name: 'T', [field]: value }),
            400,
            `The ${field} for this Task is invalid`,
          );
        }
      }
    });

    it('sends dates back in the API forms: an offset date as given, any other as its UTC instant', async () => {
      const cases: [string, string][] = [
        ['2024-01-02T00:00:00-04:00', '2024-01-02T00:00:00-04:00'],
        ['2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z'],
        ['2024-01-02', '2024-01-02T00:00:00Z'],
        ['2024-01-02T03:04', '2024-01-02T03:04:00Z'],
        ['2024-01-02T03:04:05', '2024-01-02T03:04:05Z'],
        ['2024-01-02T03:04:05.678+0130', '2024-01-02T01:34:05Z'],
      ];
      for (const [given, sent] of cases) {
        const incident = item(
          await send('POST', '/v2/groups/incidents', { name: 'I', eventDate: given }),
          'incident',
          201,
        );
        assert.equal(incident.eventDate, sent, given);
        const campaign = item(
          await send('POST', '/v2/groups/campaigns', { name: 'C', firstSeen: given }),
          'campaign',
          201,
        );
        assert.equal(campaign.firstSeen, sent, given);
        const task = item(await send('POST', '/v2/tasks', { name: 'T', dueDate: given }), 'task', 201);
        assert.equal(task.dueDate, sent, given);
      }
    });
  });

  describe("a task's overdue flag", () => {
    it('is true for a task created past its due date, false once Completed or due later', async () => {
      const late = item(
        await send('POST', '/v2/tasks', { name: 'Late', dueDate: '2024-07-01T00:00:00Z' }),
        'task',
        201,
      );
      assert.equal(late.overdue, true);
      assert.equal(item(await send('GET', `/v2/tasks/${late.id}`), 'task').overdue, true);
      const done = item(await send('PUT', `/v2/tasks/${late.id}`, { status: 'Completed' }), 'task');
      assert.equal(done.overdue, false);
      const reopened = item(await send('PUT', `/v2/tasks/${late.id}`, { status: 'In Progress' }), 'task');
      assert.equal(reopened.overdue, true);
      const moved = item(
        await send('PUT', `/v2/tasks/${late.id}`, { dueDate: '2024-08-01T00:00:00Z' }),
        'task',
      );
      assert.equal(moved.overdue, false);
      const undated = item(await send('POST', '/v2/tasks', { name: 'Undated' }), 'task', 201);
      assert.equal(undated.overdue, false);
    });

    it('is what the overdue filter finds', async () => {
      const late = item(
        await send('POST', '/v2/tasks', { name: 'Filtered late', dueDate: '2024-01-01T00:00:00Z' }),
        'task',
        201,
      );
      const overdue = list(
        await send('GET', '/v2/tasks?filters=overdue%3Dtrue&resultLimit=500'),
        'task',
      ).items.map((t) => t.id);
      assert.ok(overdue.includes(late.id));
    });
  });

  describe('malware documents', () => {
    // A zip local file header with the "encrypted" flag (bit 0 of the general purpose flags) set.
    const encryptedZip = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]);
    const plainZip = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]);
    const emptyZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
    const message =
      'The file for this Document is invalid, a malware document must be a password-protected zip archive';

    it('refuses content that is not a password-protected zip with 400, keeping the old content', async () => {
      const doc = item(
        await send('POST', '/v2/groups/documents', {
          name: 'Sample',
          fileName: 'sample.zip',
          malware: true,
          password: 'infected',
        }),
        'document',
        201,
      );
      const path = `/v2/groups/documents/${doc.id}/upload`;
      for (const content of [Buffer.from('MZ not an archive'), plainZip, emptyZip, Buffer.alloc(0)])
        failure(await upload(path, content), 400, message);
      const after = item(await send('GET', `/v2/groups/documents/${doc.id}`), 'document');
      assert.equal(after.status, 'Awaiting Upload');
      assert.equal(after.fileSize, 0);
      assert.equal((await upload(path, encryptedZip)).status, 201);
      const stored = await send('GET', `/v2/groups/documents/${doc.id}/download`);
      assert.equal(stored.status, 200);
      assert.deepEqual(stored.body, encryptedZip);
      failure(await upload(path, plainZip, 'PUT'), 400, message);
      assert.deepEqual((await send('GET', `/v2/groups/documents/${doc.id}/download`)).body, encryptedZip);
    });

    it('takes any content for a document that is not malware', async () => {
      const doc = item(
        await send('POST', '/v2/groups/documents', { name: 'Report', fileName: 'report.txt' }),
        'document',
        201,
      );
      assert.equal((await upload(`/v2/groups/documents/${doc.id}/upload`, Buffer.from('text'))).status, 201);
    });
  });

  it('refuses a victim update without name, as a create', async () => {
    const victim = item(await send('POST', '/v2/victims', { name: 'Jo Roe' }), 'victim', 201);
    failure(
      await send('PUT', `/v2/victims/${victim.id}`, { description: 'No name' }),
      400,
      'The name for this Victim is invalid',
    );
    assert.equal(item(await send('GET', `/v2/victims/${victim.id}`), 'victim').description, undefined);
    const updated = item(
      await send('PUT', `/v2/victims/${victim.id}`, { name: 'Jo Roe', description: 'Named' }),
      'victim',
    );
    assert.equal(updated.description, 'Named');
  });

  it('refuses an update that empties a field a create requires, of a group or a victim asset', async () => {
    const cases: [string, Record<string, unknown>, string, Record<string, unknown>][] = [
      ['documents', { name: 'D', fileName: 'd.txt' }, 'document', { fileName: '' }],
      ['emails', { name: 'E', subject: 's', header: 'h', body: 'b' }, 'email', { subject: '' }],
      ['emails', { name: 'E', subject: 's', header: 'h', body: 'b' }, 'email', { body: '' }],
    ];
    for (const [branch, body, key, patch] of cases) {
      const created = item(await send('POST', `/v2/groups/${branch}`, body), key, 201);
      const [field] = Object.keys(patch) as [string];
      failure(
        await send('PUT', `/v2/groups/${branch}/${created.id}`, patch),
        400,
        `The ${field} for this ${key === 'document' ? 'Document' : 'Email'} is invalid`,
      );
      assert.equal(item(await send('GET', `/v2/groups/${branch}/${created.id}`), key)[field], body[field]);
      // Leaving it out is fine.
      assert.equal(
        (await send('PUT', `/v2/groups/${branch}/${created.id}`, { name: 'Renamed' })).status,
        200,
      );
    }
    const victim = item(await send('POST', '/v2/victims', { name: 'Asset owner' }), 'victim', 201);
    const assets = `/v2/victims/${victim.id}/victimAssets/networkAccounts`;
    const asset = item(
      await send('POST', assets, { account: 'jroe', network: 'AD' }),
      'victimNetworkAccount',
      201,
    );
    failure(
      await send('PUT', `${assets}/${asset.id}`, { account: '' }),
      400,
      'The account for this NetworkAccount is invalid',
    );
    assert.equal(item(await send('GET', `${assets}/${asset.id}`), 'victimNetworkAccount').account, 'jroe');
    const listed = list(await send('GET', `/v2/victims/${victim.id}/victimAssets`), 'victimAsset').items;
    assert.deepEqual(
      listed.map((a) => a.name),
      ['jroe'],
    );
    const changed = item(
      await send('PUT', `${assets}/${asset.id}`, { network: 'LDAP' }),
      'victimNetworkAccount',
    );
    assert.equal(changed.network, 'LDAP');
  });

  describe("an item's deletion and its attributes' security labels", () => {
    const labels = async (path: string): Promise<unknown[]> =>
      list(await send('GET', `${path}/securityLabels`), 'securityLabel').items.map((l) => l.name);

    it('a group: the next attribute carries no label (and has an id never given before)', async () => {
      const first = item(await send('POST', '/v2/groups/threats', { name: 'First' }), 'threat', 201);
      const attr = item(
        await send('POST', `/v2/groups/threats/${first.id}/attributes`, { type: 'Description', value: 'a' }),
        'attribute',
        201,
      );
      const labelled = `/v2/groups/threats/${first.id}/attributes/${attr.id}`;
      assert.equal((await send('POST', `${labelled}/securityLabels/TLP%3AAMBER`)).status, 201);
      assert.deepEqual(await labels(labelled), ['TLP:AMBER']);
      assert.equal((await send('DELETE', `/v2/groups/threats/${first.id}`)).status, 200);
      const second = item(await send('POST', '/v2/groups/threats', { name: 'Second' }), 'threat', 201);
      const fresh = item(
        await send('POST', `/v2/groups/threats/${second.id}/attributes`, { type: 'Description', value: 'b' }),
        'attribute',
        201,
      );
      assert.equal(fresh.id, attr.id + 1, 'ids come from a sequence: the deleted one is not given again');
      assert.deepEqual(await labels(`/v2/groups/threats/${second.id}/attributes/${fresh.id}`), []);
    });

    it('an indicator: the same, through a delete and a new indicator', async () => {
      const host = '/v2/indicators/hosts/labels-review.example.com';
      assert.equal(
        (await send('POST', '/v2/indicators/hosts', { hostName: 'labels-review.example.com' })).status,
        201,
      );
      const attr = item(
        await send('POST', `${host}/attributes`, { type: 'Description', value: 'a' }),
        'attribute',
        201,
      );
      assert.equal(
        (await send('POST', `${host}/attributes/${attr.id}/securityLabels/TLP%3ARED`)).status,
        201,
      );
      assert.equal((await send('DELETE', host)).status, 200);
      assert.equal(
        (await send('POST', '/v2/indicators/hosts', { hostName: 'labels-review.example.com' })).status,
        201,
      );
      const fresh = item(
        await send('POST', `${host}/attributes`, { type: 'Description', value: 'b' }),
        'attribute',
        201,
      );
      assert.equal(fresh.id, attr.id + 1);
      assert.deepEqual(await labels(`${host}/attributes/${fresh.id}`), []);
    });
  });
});
