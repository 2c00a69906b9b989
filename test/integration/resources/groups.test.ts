/**
 * Group, victim and task objects against the sandbox (sdk-behaviour.md 5, 8.3; decisions.md 1.7):
 * create, update and delete of every group type with its fields, read back through the API;
 * associations; metadata; document and signature contents, binary and streamed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  BadRequestError,
  IndicatorType,
  NotFoundError,
  ResourceType,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import type { ResourceContext } from '../../../src/resources/context.js';
import { createGroup, createIndicator, createTask, createVictim } from '../../../src/resources/create.js';
import { type Group, parseGroup } from '../../../src/resources/group.js';
import { GROUP_KIND_BY_TYPE, type GroupKind } from '../../../src/resources/kinds.js';
import { parseTask } from '../../../src/resources/task.js';
import { parseVictim } from '../../../src/resources/victim.js';
import { clientFor } from '../../helpers/client.js';
import { contextFor, getJson, statusOf } from '../../helpers/resources.js';
import { requestLog, resetSandbox, withSandbox } from '../../helpers/sandbox.js';

const ORG = 'Example Org';
const COMMUNITY = 'Example Community';

function kind(type: string): GroupKind {
  const k = GROUP_KIND_BY_TYPE.get(type);
  assert.ok(k);
  return k;
}

interface GroupCase {
  readonly type: string;
  /** Sets the fields a create needs (and a few more). */
  readonly fill: (group: Group) => void;
  /** What the server answers for them. */
  readonly expect: Record<string, unknown>;
  /** One field changed by an update, and its value read back. */
  readonly update?: (group: Group) => void;
  readonly updated?: Record<string, unknown>;
}

const GROUP_CASES: GroupCase[] = [
  { type: 'Adversary', fill: () => undefined, expect: {} },
  {
    type: 'Campaign',
    fill: (g) => g.setFirstSeen('2024-01-02T00:00:00Z'),
    expect: { firstSeen: '2024-01-02T00:00:00Z' },
    update: (g) => g.setFirstSeen(new Date(Date.UTC(2024, 5, 1))),
    updated: { firstSeen: '2024-06-01T00:00:00Z' },
  },
  {
    type: 'Document',
    fill: (g) => g.setFileName('objects.txt'),
    expect: { fileName: 'objects.txt', status: 'Awaiting Upload' },
    update: (g) => g.setFileName('renamed.txt'),
    updated: { fileName: 'renamed.txt' },
  },
  {
    type: 'Email',
    fill: (g) =>
      g
        .setSubject('Invoice')
        .setHeader('From: a@example.com')
        .setBody('Please pay.')
        .setFrom('a@example.com')
        .setTo('b@example.com'),
    expect: {
      subject: 'Invoice',
      header: 'From: a@example.com',
      body: 'Please pay.',
      from: 'a@example.com',
      to: 'b@example.com',
      score: 0,
    },
    update: (g) => g.setSubject('Invoice 2'),
    updated: { subject: 'Invoice 2', body: 'Please pay.' },
  },
  {
    type: 'Incident',
    fill: (g) => g.setEventDate('2024-01-02T00:00:00-04:00').setStatus('Open'),
    expect: { eventDate: '2024-01-02T00:00:00-04:00', status: 'Open' },
    update: (g) => g.setStatus('Closed'),
    updated: { status: 'Closed' },
  },
  {
    type: 'Signature',
    fill: (g) => g.setFileName('rule.yar').setFileType('YARA').setFileText('rule x { condition: true }'),
    expect: { fileName: 'rule.yar', fileType: 'YARA', fileText: 'rule x { condition: true }' },
    update: (g) => g.setFileText('rule y { condition: false }'),
    updated: { fileName: 'rule.yar', fileType: 'YARA', fileText: 'rule y { condition: false }' },
  },
  { type: 'Threat', fill: () => undefined, expect: {} },
];

describe('group, victim and task objects against the sandbox', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  let ctx: ResourceContext;

  before(async () => {
    sandbox = await withSandbox();
    tc = clientFor(sandbox);
    ctx = contextFor(tc);
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  for (const c of GROUP_CASES) {
    it(`${c.type}: create with its fields, read back, update, metadata, delete`, async () => {
      const k = kind(c.type);
      const group = createGroup(k, `Objects ${c.type}`, ORG, ctx);
      c.fill(group);
      await group
        .addTag('objects-test')
        .addAttribute('Description', `a ${c.type}`)
        .addSecurityLabel('TLP:GREEN')
        .commit();
      assert.ok(group.id > 0);
      assert.equal(group.phase, 'clean');
      assert.equal(group.ownerName, ORG);
      const path = `/v2/groups/${k.branch}/${group.id}`;
      const item = (await getJson<Record<string, Record<string, unknown>>>(tc, path))[k.entity];
      assert.ok(item);
      assert.equal(item.name, `Objects ${c.type}`);
      for (const [field, value] of Object.entries(c.expect)) assert.equal(item[field], value, field);

      const read = parseGroup(item, ctx, k);
      assert.equal(read.label, `${c.type} ${group.id} "Objects ${c.type}"`);
      read.setName(`Renamed ${c.type}`);
      c.update?.(read);
      await read.commit();
      const after = (await getJson<Record<string, Record<string, unknown>>>(tc, path))[k.entity];
      assert.ok(after);
      assert.equal(after.name, `Renamed ${c.type}`);
      for (const [field, value] of Object.entries(c.updated ?? {})) assert.equal(after[field], value, field);

      assert.deepEqual(await read.loadTags(), ['objects-test']);
      assert.deepEqual(
        (await read.loadAttributes()).map((a) => [a.type, a.value]),
        [['Description', `a ${c.type}`]],
      );
      assert.deepEqual(await read.loadSecurityLabels(), ['TLP:GREEN']);
      await read.delete();
      assert.equal(await statusOf(tc, path), 404);
    });
  }

  it('a malware document is sent with the default archive password', async () => {
    const doc = createGroup(kind('Document'), 'Malware sample', ORG, ctx)
      .setFileName('sample.zip')
      .setMalware(true);
    await doc.commit();
    assert.ok(doc.id > 0);
    // An update that sets it needs the password too (it was sent on a create only).
    const later = createGroup(kind('Document'), 'Later malware', ORG, ctx).setFileName('later.zip');
    await later.commit();
    await later.setMalware(true).commit();
    assert.equal(later.phase, 'clean');
  });

  it('documents: an upload queued on a new document is sent after the create; later ones replace it', async () => {
    const content = randomBytes(300_000);
    content[0] = 0;
    content[1] = 0xff;
    const doc = createGroup(kind('Document'), 'Binary document', COMMUNITY, ctx).setFileName('blob.bin');
    await doc.upload(content);
    assert.deepEqual(doc.pendingChanges, ['create', 'upload(300000 bytes)']);
    await doc.commit();
    assert.deepEqual(doc.pendingChanges, []);
    assert.deepEqual(await doc.download(), content);
    const item = (await getJson<{ document: Record<string, unknown> }>(tc, `/v2/groups/documents/${doc.id}`))
      .document;
    assert.equal(item.fileSize, 300_000);
    assert.equal(item.status, 'Success');

    // On a committed document the upload goes at once (PUT) and replaces the content.
    await doc.upload('replaced text\n');
    assert.deepEqual(doc.pendingChanges, []);
    assert.equal((await doc.download()).toString('utf8'), 'replaced text\n');
    const stream: Readable = await doc.download({ stream: true });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString('utf8'), 'replaced text\n');
  });

  it('downloads the fixed document 19 read from the server; a document never uploaded is a NotFoundError', async () => {
    const item = (await getJson<{ document: Record<string, unknown> }>(tc, '/v2/groups/documents/19'))
      .document;
    const doc = parseGroup(item, ctx, kind('Document'));
    assert.equal((await doc.download()).toString('utf8'), 'Example document #19 contents.\n');
    const empty = createGroup(kind('Document'), 'Empty', ORG, ctx).setFileName('empty.txt');
    await empty.commit();
    await assert.rejects(empty.download(), (e: unknown) => {
      assert.ok(e instanceof NotFoundError);
      assert.equal(
        e.message,
        `Document ${empty.id} "Empty": download failed: The requested resource was not found`,
      );
      return true;
    });
  });

  it('signatures: download gives the text; upload replaces it', async () => {
    const signature = createGroup(kind('Signature'), 'Rule', ORG, ctx)
      .setFileName('r.snort')
      .setFileType('Snort')
      .setFileText('alert tcp any any -> any any (msg:"x";)');
    await signature.commit();
    assert.equal((await signature.download()).toString('utf8'), 'alert tcp any any -> any any (msg:"x";)');
    await signature.upload('alert udp any any -> any any (msg:"y";)');
    assert.equal((await signature.download()).toString('utf8'), 'alert udp any any -> any any (msg:"y";)');
  });

  it('a signature read from a listing reads its name, fileName and fileType before an update', async () => {
    // A typed listing gives fileType but no fileName; the generic one neither (rest-api-v2.md 7.2),
    // and an update must send all three (7.1). Values set on the object win over those read.
    const typed = tc.signatures();
    typed.addFilter().addPfName('Otter loader rule');
    await typed.retrieve();
    const [listed] = [...typed];
    assert.ok(listed);
    assert.equal(listed.id, 805);
    assert.equal(listed.fileName, undefined);
    assert.equal(listed.fileType, 'YARA');
    await resetSandbox(sandbox);
    await listed.setFileText('rule listed { condition: true }').commit();
    assert.deepEqual(
      (await requestLog(sandbox)).map((r) => `${r.method} ${r.target.split('?')[0]} ${r.status}`),
      ['GET /api/v2/groups/signatures/805 200', 'PUT /api/v2/groups/signatures/805 200'],
    );
    assert.equal(listed.fileName, 'otter-loader.yar');

    const generic = tc.groups();
    generic.addFilter().addPfName('Otter loader rule');
    await generic.retrieve();
    const [bare] = [...generic];
    assert.ok(bare);
    assert.equal(bare.id, 805);
    assert.equal(bare.fileName, undefined);
    assert.equal(bare.fields.fileType, undefined);
    await bare.setName('Renamed rule').commit();
    const item = (await getJson<{ signature: Record<string, unknown> }>(tc, '/v2/groups/signatures/805'))
      .signature;
    assert.equal(item.name, 'Renamed rule');
    assert.equal(item.fileName, 'otter-loader.yar');
    assert.equal(item.fileType, 'YARA');
    assert.equal(item.fileText, 'rule listed { condition: true }');

    // The read fails as the update would: the error names what was being read.
    const ghost = parseGroup({ id: 999999, name: 'Ghost rule', fileType: 'YARA' }, ctx, kind('Signature'));
    await assert.rejects(ghost.setFileText('rule g { condition: true }').commit(), (e: unknown) => {
      assert.ok(e instanceof NotFoundError);
      assert.equal(
        e.message,
        'Signature 999999 "Ghost rule": reading its fileName for the update failed: The requested resource was not found',
      );
      return true;
    });
    assert.equal(ghost.phase, 'modified');

    // One that knows all three sends the update alone.
    await resetSandbox(sandbox);
    await bare.setName('Renamed again').commit();
    assert.deepEqual(
      (await requestLog(sandbox)).map((r) => `${r.method} ${r.target.split('?')[0]}`),
      ['PUT /api/v2/groups/signatures/805'],
    );
  });

  it('associations: indicators, groups and victims, then their removal', async () => {
    const threat = createGroup(kind('Threat'), 'Linked threat', ORG, ctx);
    const incident = createGroup(kind('Incident'), 'Linked incident', ORG, ctx).setEventDate(
      '2024-01-02T00:00:00Z',
    );
    const victim = createVictim('Linked victim', ORG, ctx);
    const host = createIndicator('group-linked.example.com', ORG, undefined, ctx);
    await Promise.all([incident.commit(), victim.commit(), host.commit()]);
    // A victim is associated only once it has an asset (rest-api-v2.md 8).
    await victim.assets().add('webSite', { webSite: 'linked-victim.example.com' });
    threat
      .associateIndicator(host)
      .associateIndicator(IndicatorType.ADDRESSES, '10.20.30.40', COMMUNITY)
      .associateGroup(incident)
      .associateVictim(victim);
    await threat.commit();
    const base = `/v2/groups/threats/${threat.id}`;
    const indicators = (
      await getJson<{ indicator: { summary: string; ownerName: string }[] }>(tc, `${base}/indicators`)
    ).indicator;
    assert.deepEqual(indicators.map((i) => [i.summary, i.ownerName]).sort(), [
      ['10.20.30.40', COMMUNITY],
      ['group-linked.example.com', ORG],
    ]);
    const groups = (await getJson<{ group: { id: number }[] }>(tc, `${base}/groups`)).group;
    assert.deepEqual(
      groups.map((g) => g.id),
      [incident.id],
    );
    const victims = (await getJson<{ victim: { id: number }[] }>(tc, `${base}/victims`)).victim;
    assert.deepEqual(
      victims.map((v) => v.id),
      [victim.id],
    );
    await threat
      .disassociateIndicator(host)
      .disassociateIndicator(IndicatorType.ADDRESSES, '10.20.30.40', COMMUNITY)
      .disassociateGroup(ResourceType.INCIDENTS, incident.id)
      .disassociateVictim(victim)
      .commit();
    for (const collection of ['indicators', 'groups', 'victims']) {
      assert.equal(
        (await getJson<{ resultCount: number }>(tc, `${base}/${collection}`)).resultCount,
        0,
        collection,
      );
    }
  });

  it('victims: create with fields, update, associations, metadata, delete', async () => {
    const victim = createVictim('Objects victim', ORG, ctx)
      .setOrg('Acme')
      .setWorkLocation('Remote')
      .setDescription('vip');
    await victim.addTag('victim-tag').commit();
    const path = `/v2/victims/${victim.id}`;
    const item = (await getJson<{ victim: Record<string, unknown> }>(tc, path)).victim;
    assert.equal(item.org, 'Acme');
    assert.equal(item.workLocation, 'Remote');
    const read = parseVictim(item, ctx);
    await read.setNationality('Examplish').setSuborg('R&D').commit();
    const after = (await getJson<{ victim: Record<string, unknown> }>(tc, path)).victim;
    assert.equal(after.nationality, 'Examplish');
    assert.equal(after.suborg, 'R&D');
    assert.equal(after.name, 'Objects victim');
    assert.deepEqual(await read.loadTags(), ['victim-tag']);
    const adversary = createGroup(kind('Adversary'), 'Victim adversary', ORG, ctx);
    await adversary.commit();
    // Without an asset, the server refuses the association (rest-api-v2.md 8); the step stays queued.
    read.associateGroup(adversary).associateIndicator(IndicatorType.ADDRESSES, '10.20.30.40', ORG);
    await assert.rejects(read.commit(), (e: unknown) => {
      assert.ok(e instanceof BadRequestError);
      assert.equal(
        e.message,
        `Victim ${read.id} "Objects victim": associateGroup(Adversary ${adversary.id} "Victim adversary") failed: Invalid association, the Victim ${read.id} has no assets: add one before associating it`,
      );
      return true;
    });
    assert.equal(read.pendingChanges.length, 2);

    // Its assets, read and written at once.
    const assets = read.assets();
    const email = await assets.add('emailAddress', { address: 'vip@acme.example', addressType: 'Work' });
    assert.deepEqual(
      [email.type, email.value, email.fields],
      ['EmailAddress', 'vip@acme.example', { address: 'vip@acme.example', addressType: 'Work' }],
    );
    const account = await assets.add('networkAccount', { account: 'vip', network: 'Active Directory' });
    await assets.add('phone', { phoneType: '555-0142' });
    await assets.add('socialNetwork', { account: '@vip', network: 'Mastodon' });
    await assets.add('webSite', { webSite: 'vip.acme.example' });
    const changed = await assets.update('networkAccount', account.id, { network: 'LDAP' });
    assert.deepEqual(changed.fields, { account: 'vip', network: 'LDAP' });
    assert.deepEqual((await assets.get('emailAddress', email.id)).fields.addressType, 'Work');
    assert.deepEqual(
      (await assets.list()).map((a) => [a.type, a.value]),
      [
        ['EmailAddress', 'vip@acme.example'],
        ['NetworkAccount', 'vip'],
        ['Phone', '555-0142'],
        ['SocialNetwork', '@vip'],
        ['WebSite', 'vip.acme.example'],
      ],
    );
    assert.deepEqual(
      (await assets.list('socialNetwork')).map((a) => a.fields),
      [{ account: '@vip', network: 'Mastodon' }],
    );
    await assets.delete('phone', (await assets.list('phone'))[0]?.id ?? 0);
    assert.deepEqual(await assets.list('phone'), []);
    await assert.rejects(assets.get('phone', 999999), NotFoundError);
    for (const [call, message] of [
      [
        () => assets.add('fax' as never, { fax: '1' }),
        "victim asset type must be one of 'emailAddress', 'networkAccount', 'phone', 'socialNetwork', 'webSite', got \"fax\"",
      ],
      [() => assets.add('emailAddress', { addressType: 'Work' }), 'emailAddress asset: address is required'],
      [
        () => assets.add('webSite', { webSite: 'x', url: 'y' }),
        'webSite asset: unknown field "url" (it has webSite)',
      ],
      [
        () => assets.add('phone', '555' as never),
        'phone asset: fields must be an object (phoneType), got "555"',
      ],
      [() => assets.update('webSite', account.id, {}), 'webSite asset: give at least one of webSite'],
      [() => assets.get('webSite', -1), 'asset id must be an integer >= 0, got -1'],
    ] as const) {
      await assert.rejects(call(), (e: unknown) => e instanceof ValidationError && e.message === message);
    }
    await assert.rejects(createVictim('Never committed', ORG, ctx).assets().list(), ValidationError);

    await resetSandbox(sandbox);
    await read.commit();
    const groups = (await getJson<{ group: { id: number }[] }>(tc, `${path}/groups`)).group;
    assert.deepEqual(
      groups.map((g) => g.id),
      [adversary.id],
    );
    assert.equal((await getJson<{ resultCount: number }>(tc, `${path}/indicators`)).resultCount, 1);
    // An indicator link is made and removed from the indicator's side, the one form rest-api-v2.md 10 gives.
    await read.disassociateIndicator(IndicatorType.ADDRESSES, '10.20.30.40', ORG).commit();
    assert.equal((await getJson<{ resultCount: number }>(tc, `${path}/indicators`)).resultCount, 0);
    const writes = (await requestLog(sandbox))
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.target.split('?')[0] ?? ''}`);
    assert.deepEqual(writes, [
      `POST /api/v2/victims/${read.id}/groups/adversaries/${adversary.id}`,
      `POST /api/v2/indicators/addresses/10.20.30.40/victims/${read.id}`,
      `DELETE /api/v2/indicators/addresses/10.20.30.40/victims/${read.id}`,
    ]);
    await read.delete();
    assert.equal(await statusOf(tc, path), 404);
  });

  it('tasks: create with fields, update, association, delete', async () => {
    const task = createTask('Objects task', ORG, ctx)
      .setStatus('In Progress')
      .setDueDate(new Date(Date.UTC(2030, 0, 1)))
      .setDescription('follow up')
      .setAssignees(['sandbox.analyst']);
    await task.commit();
    const path = `/v2/tasks/${task.id}`;
    const item = (await getJson<{ task: Record<string, unknown> }>(tc, path)).task;
    assert.equal(item.status, 'In Progress');
    assert.equal(item.dueDate, '2030-01-01T00:00:00Z');
    assert.deepEqual(
      (item.assignee as { userName: string }[]).map((u) => u.userName),
      ['sandbox.analyst'],
    );
    const read = parseTask(item, ctx);
    assert.equal(read.status, 'In Progress');
    await read.setStatus('Completed').associateGroup(ResourceType.ADVERSARIES, 710).commit();
    assert.equal((await getJson<{ task: Record<string, unknown> }>(tc, path)).task.status, 'Completed');
    assert.equal((await getJson<{ resultCount: number }>(tc, `${path}/groups`)).resultCount, 1);
    await read.delete();
    assert.equal(await statusOf(tc, path), 404);
  });
});
