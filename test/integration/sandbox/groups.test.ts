/**
 * Groups over HTTP (rest-api-v2.md section 7, decisions.md 2.4): listings of all seven types in their
 * exact wire shapes (against `sampleData(n)`), lookups by id whatever `owner` says, create with the
 * required fields of each type, update and delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import type { SampleGroup } from '../../../src/sandbox/sample-types.js';
import { NOT_FOUND, OWNERS, failure, item, list, type Item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type CallOptions, call } from '../../helpers/signer.js';

const N = 300;
const sample = sampleData(N);
const TYPES = [
  { type: 'Adversary', branch: 'adversaries', key: 'adversary', listed: [] },
  { type: 'Campaign', branch: 'campaigns', key: 'campaign', listed: ['firstSeen'] },
  { type: 'Document', branch: 'documents', key: 'document', listed: [] },
  { type: 'Email', branch: 'emails', key: 'email', listed: ['score'] },
  { type: 'Incident', branch: 'incidents', key: 'incident', listed: ['eventDate'] },
  { type: 'Signature', branch: 'signatures', key: 'signature', listed: ['fileType'] },
  { type: 'Threat', branch: 'threats', key: 'threat', listed: [] },
] as const;
const TYPE_FIELDS = [
  'firstSeen',
  'fileName',
  'fileSize',
  'status',
  'subject',
  'header',
  'body',
  'from',
  'to',
  'score',
  'eventDate',
  'fileType',
  'fileText',
] as const;

function expected(
  g: SampleGroup,
  shape: 'generic' | 'typed' | 'single',
  origin: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.id, name: g.name };
  if (shape === 'generic') out.type = g.type;
  if (shape === 'single') out.owner = OWNERS[g.ownerName];
  else out.ownerName = g.ownerName;
  out.dateAdded = g.dateAdded;
  out.lastModified = g.lastModified;
  out.webLink = g.webLink.startsWith('/') ? origin + g.webLink : g.webLink;
  if (shape === 'typed') {
    const listed = TYPES.find((t) => t.type === g.type)?.listed ?? [];
    for (const key of listed) if (g[key] !== undefined) out[key] = g[key];
  } else if (shape === 'single') {
    for (const key of TYPE_FIELDS) if (g[key] !== undefined) out[key] = g[key];
  }
  return out;
}

const inOwner = (owner: string, type?: string): SampleGroup[] =>
  sample.groups
    .filter((g) => g.ownerName === owner && (type === undefined || g.type === type))
    .sort((a, b) => a.id - b.id);

describe('group listings and lookups', () => {
  let sandbox: Sandbox;
  let origin: string;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: N });
    origin = new URL(sandbox.baseUrl).origin;
  });
  after(async () => {
    await sandbox.close();
  });
  const get = (path: string, options?: CallOptions) => call(sandbox, 'GET', path, options);

  for (const owner of Object.keys(OWNERS)) {
    it(`lists ${owner}'s groups under data.group with type and ownerName`, async () => {
      const want = inOwner(owner);
      const { total, items } = list(
        await get(`/v2/groups?owner=${encodeURIComponent(owner)}&resultLimit=500`),
        'group',
      );
      assert.equal(total, want.length);
      assert.deepEqual(
        items,
        want.map((g) => expected(g, 'generic', origin)),
      );
    });

    it(`lists ${owner}'s groups of each of the seven types under the typed key`, async () => {
      for (const t of TYPES) {
        const want = inOwner(owner, t.type);
        assert.ok(want.length > 0, `${owner} has ${t.branch}`);
        const { total, items } = list(
          await get(`/v2/groups/${t.branch}?owner=${encodeURIComponent(owner)}&resultLimit=500`),
          t.key,
        );
        assert.equal(total, want.length);
        assert.deepEqual(
          items,
          want.map((g) => expected(g, 'typed', origin)),
        );
      }
    });
  }

  it('lists the default org when no owner is given', async () => {
    const { total, items } = list(await get('/v2/groups?resultLimit=500'), 'group');
    assert.equal(total, inOwner('Example Org').length);
    assert.ok(items.every((g) => g.ownerName === 'Example Org'));
  });

  it('gets every group by id in the single shape, whatever the owner parameter says', async () => {
    for (const t of TYPES) {
      for (const owner of Object.keys(OWNERS)) {
        const g = inOwner(owner, t.type)[0];
        assert.ok(g);
        const want = expected(g, 'single', origin);
        assert.deepEqual(item(await get(`/v2/groups/${t.branch}/${g.id}`), t.key), want);
        for (const other of Object.keys(OWNERS)) {
          const got = item(
            await get(`/v2/groups/${t.branch}/${g.id}?owner=${encodeURIComponent(other)}`),
            t.key,
          );
          assert.deepEqual(got, want);
        }
      }
    }
  });

  it('answers a group id under another type, an unknown id or a bad id with 404', async () => {
    failure(await get('/v2/groups/adversaries/19'), 404, NOT_FOUND);
    failure(await get('/v2/groups/threats/999999'), 404, NOT_FOUND);
    failure(await get('/v2/groups/threats/abc'), 404, NOT_FOUND);
    failure(await get('/v2/groups/reports'), 404, NOT_FOUND);
  });

  it('refuses a group of an owner the restricted user may not access', async () => {
    const restricted = {
      accessId: sandbox.restrictedUser.accessId,
      secretKey: sandbox.restrictedUser.secretKey,
    };
    failure(await get('/v2/groups/adversaries/5', restricted), 403, 'Access Denied');
    const own = inOwner('Example Org', 'Adversary')[0];
    assert.ok(own);
    assert.equal(item(await get(`/v2/groups/adversaries/${own.id}`, restricted), 'adversary').id, own.id);
  });

  it('adds tag[] and attribute[] to groups with includeTags and includeAttributes', async () => {
    const { items } = list(
      await get('/v2/groups/adversaries?owner=Example+Community&includeTags=true&includeAttributes=true'),
      'adversary',
    );
    const want = inOwner('Example Community', 'Adversary');
    assert.equal(items.length, Math.min(100, want.length));
    items.forEach((served, k) => {
      const g = want[k];
      assert.ok(g);
      assert.deepEqual((served.tag as { name: string }[]).map((t) => t.name).sort(), [...g.tags].sort());
      assert.deepEqual(
        (served.attribute as Item[]).map((a) => a.id).sort((a, b) => a - b),
        g.attributes.map((a) => a.id).sort((a, b) => a - b),
      );
    });
  });
});

describe('group create, update and delete', () => {
  let sandbox: Sandbox;
  const now = '2024-05-06T07:08:09Z';
  const nowMs = Date.parse(now);
  before(async () => {
    sandbox = await withSandbox({ clock: () => nowMs });
  });
  after(async () => {
    await sandbox.close();
  });
  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, {
      timestamp: nowMs / 1000,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = (path: string) => send('GET', path);

  const creations: {
    branch: string;
    key: string;
    body: Record<string, unknown>;
    extra: Record<string, unknown>;
  }[] = [
    { branch: 'adversaries', key: 'adversary', body: { name: 'New Adversary' }, extra: {} },
    {
      branch: 'campaigns',
      key: 'campaign',
      body: { name: 'New Campaign', firstSeen: '2024-01-02T00:00:00Z' },
      extra: {},
    },
    {
      branch: 'documents',
      key: 'document',
      body: { name: 'New Document', fileName: 'new.txt', malware: true, password: 'infected' },
      extra: { fileSize: 0, status: 'Awaiting Upload' },
    },
    {
      branch: 'emails',
      key: 'email',
      body: {
        name: 'New Email',
        subject: 'Hello',
        header: 'From: a@example.com',
        body: 'Click here',
        from: 'a@example.com',
        to: 'b@example.com',
      },
      extra: { score: 0 },
    },
    {
      branch: 'incidents',
      key: 'incident',
      body: { name: 'New Incident', eventDate: '2024-01-02T00:00:00-04:00' },
      extra: { status: 'New' },
    },
    {
      branch: 'incidents',
      key: 'incident',
      body: { name: 'Closed Incident', eventDate: '2024-01-03T00:00:00Z', status: 'Closed' },
      extra: {},
    },
    {
      branch: 'signatures',
      key: 'signature',
      body: {
        name: 'New Signature',
        fileName: 'rule.yar',
        fileType: 'YARA',
        fileText: 'rule x { condition: true }',
      },
      extra: {},
    },
    { branch: 'threats', key: 'threat', body: { name: 'New Threat' }, extra: {} },
  ];

  for (const c of creations) {
    it(`creates ${c.branch} with 201 and owner{}, in the default org when no owner is given`, async () => {
      const created = item(await send('POST', `/v2/groups/${c.branch}`, c.body), c.key, 201);
      assert.equal(typeof created.id, 'number');
      assert.deepEqual(created.owner, OWNERS['Example Org']);
      assert.equal(created.dateAdded, now);
      assert.equal(created.type, undefined);
      assert.equal(created.password, undefined, 'write-only');
      assert.equal(created.malware, undefined, 'write-only');
      for (const [key, value] of Object.entries({ ...c.body, ...c.extra })) {
        if (key === 'password' || key === 'malware') continue;
        assert.deepEqual(created[key], value, key);
      }
      assert.deepEqual(item(await get(`/v2/groups/${c.branch}/${created.id}`), c.key), created);
      const listed = list(await get(`/v2/groups/${c.branch}?resultLimit=500`), c.key).items;
      assert.ok(listed.some((g) => g.id === created.id && g.ownerName === 'Example Org'));
    });
  }

  it('creates in the owner given, and finds it by id with any owner parameter', async () => {
    const created = item(
      await send('POST', '/v2/groups/threats?owner=Common%20Community', { name: 'Common Threat' }),
      'threat',
      201,
    );
    assert.deepEqual(created.owner, OWNERS['Common Community']);
    assert.equal(
      item(await get(`/v2/groups/threats/${created.id}?owner=Example%20Org`), 'threat').id,
      created.id,
    );
  });

  it('creates a new group on every POST, even with identical bodies', async () => {
    const body = { name: 'Twin' };
    const first = item(await send('POST', '/v2/groups/adversaries', body), 'adversary', 201);
    const second = item(await send('POST', '/v2/groups/adversaries', body), 'adversary', 201);
    assert.notEqual(first.id, second.id);
    const twins = list(await get('/v2/groups/adversaries?resultLimit=500'), 'adversary').items.filter(
      (g) => g.name === 'Twin',
    );
    assert.equal(twins.length, 2);
  });

  it('enforces the required fields of each type with 400 and a message', async () => {
    const fileTypes =
      'Bro, ClamAV, CybOX, Iris Search Hash, KQL, OpenIOC, Regex, SPL, Sigma, Snort, Suricata, TQL Query, YARA';
    const statuses =
      'New, Open, Stalled, Containment Achieved, Restoration Achieved, Incident Reported, Closed, Rejected, Deleted';
    const cases: [string, unknown, string][] = [
      ['adversaries', {}, 'The name for this Adversary is invalid'],
      ['threats', { name: '   ' }, 'The name for this Threat is invalid'],
      ['threats', { name: 7 }, 'The name for this Threat is invalid'],
      ['incidents', { name: 'No date' }, 'The eventDate for this Incident is invalid'],
      ['incidents', { name: 'Bad date', eventDate: 'soon' }, 'The eventDate for this Incident is invalid'],
      [
        'incidents',
        { name: 'Bad status', eventDate: '2024-01-01T00:00:00Z', status: 'Done' },
        `The status for this Incident is invalid, please enter one of the following values: ${statuses}`,
      ],
      ['emails', { name: 'E', header: 'h', body: 'b' }, 'The subject for this Email is invalid'],
      ['emails', { name: 'E', subject: 's', body: 'b' }, 'The header for this Email is invalid'],
      ['emails', { name: 'E', subject: 's', header: 'h' }, 'The body for this Email is invalid'],
      [
        'signatures',
        { name: 'S', fileName: 'a.rule', fileType: 'Lua', fileText: 'x' },
        `The fileType for this Signature is invalid, please enter one of the following values: ${fileTypes}`,
      ],
      [
        'signatures',
        { name: 'S', fileName: 'a.rule', fileType: 'Snort' },
        'The fileText for this Signature is invalid',
      ],
      [
        'signatures',
        { name: 'S', fileType: 'Snort', fileText: 'x' },
        'The fileName for this Signature is invalid',
      ],
      ['documents', { name: 'D' }, 'The fileName for this Document is invalid'],
      [
        'documents',
        { name: 'D', fileName: 'd.zip', malware: true },
        'The password for this Document is invalid, a malware document requires a password',
      ],
      [
        'documents',
        { name: 'D', fileName: 'd.zip', malware: 'yes' },
        'The malware for this Document is invalid, please enter one of the following values: true, false',
      ],
      [
        'documents',
        { name: 'D', fileName: 'd.zip', malware: 'TRUE' },
        'The malware for this Document is invalid, please enter one of the following values: true, false',
      ],
      [
        'documents',
        { name: 'D', fileName: 'd.zip', malware: 1 },
        'The malware for this Document is invalid, please enter one of the following values: true, false',
      ],
      [
        'documents',
        { name: 'D', fileName: 'd.zip', malware: 'true' },
        'The password for this Document is invalid, a malware document requires a password',
      ],
      [
        'adversaries',
        { name: 'Bad\u0000Guy' },
        'The name for this Adversary is invalid, it may not contain control characters',
      ],
      [
        'threats',
        { name: 'Line\nbreak' },
        'The name for this Threat is invalid, it may not contain control characters',
      ],
      ['campaigns', { name: 'C', firstSeen: 'last week' }, 'The firstSeen for this Campaign is invalid'],
    ];
    const before = list(await get('/v2/groups?resultLimit=500'), 'group').total;
    for (const [branch, body, message] of cases) {
      failure(await send('POST', `/v2/groups/${branch}`, body), 400, message);
    }
    assert.equal(list(await get('/v2/groups?resultLimit=500'), 'group').total, before, 'nothing was written');
    failure(
      await call(sandbox, 'POST', '/v2/groups/threats', { body: '{"name":', timestamp: nowMs / 1000 }),
      400,
      'The request was not properly formed',
    );
    failure(await send('POST', '/v2/groups/reports', { name: 'R' }), 404, NOT_FOUND);
  });

  it('updates a group with PUT and answers the whole object', async () => {
    const created = item(
      await send('POST', '/v2/groups/incidents', { name: 'To update', eventDate: '2024-01-02T00:00:00Z' }),
      'incident',
      201,
    );
    const updated = item(
      await send('PUT', `/v2/groups/incidents/${created.id}`, { name: 'Updated', status: 'Stalled' }),
      'incident',
    );
    assert.deepEqual(updated, { ...created, name: 'Updated', status: 'Stalled' });
    assert.deepEqual(item(await get(`/v2/groups/incidents/${created.id}`), 'incident'), updated);
    failure(
      await send('PUT', `/v2/groups/incidents/${created.id}`, { status: 'Finished' }),
      400,
      'The status for this Incident is invalid, please enter one of the following values: New, Open, Stalled, Containment Achieved, Restoration Achieved, Incident Reported, Closed, Rejected, Deleted',
    );
    failure(
      await send('PUT', `/v2/groups/incidents/${created.id}`, { name: '' }),
      400,
      'The name for this Incident is invalid',
    );
    failure(await send('PUT', '/v2/groups/incidents/999999', { name: 'x' }), 404, NOT_FOUND);
    // An update that makes a document malware needs its password, as a create does.
    const doc = item(
      await send('POST', '/v2/groups/documents', { name: 'D', fileName: 'd.zip' }),
      'document',
      201,
    );
    failure(
      await send('PUT', `/v2/groups/documents/${doc.id}`, { malware: true }),
      400,
      'The password for this Document is invalid, a malware document requires a password',
    );
    item(
      await send('PUT', `/v2/groups/documents/${doc.id}`, { malware: true, password: 'infected' }),
      'document',
    );
    // A signature update must carry its name, fileName and fileType again (rest-api-v2.md 7.1).
    const full = { name: 'Otter rule', fileName: 'otter-loader.yar', fileType: 'Snort' };
    failure(
      await send('PUT', '/v2/groups/signatures/805', { fileType: 'Snort', fileText: 'alert any' }),
      400,
      'The name for this Signature is invalid',
    );
    for (const field of ['fileName', 'fileType'] as const) {
      const rest = Object.fromEntries(Object.entries(full).filter(([key]) => key !== field));
      failure(
        await send('PUT', '/v2/groups/signatures/805', { ...rest, fileText: 'alert any' }),
        400,
        `The ${field} for this Signature is invalid`,
      );
      failure(
        await send('PUT', '/v2/groups/signatures/805', { ...rest, [field]: ' ', fileText: 'alert any' }),
        400,
        `The ${field} for this Signature is invalid`,
      );
    }
    const signature = item(
      await send('PUT', '/v2/groups/signatures/805', { ...full, fileText: 'alert any' }),
      'signature',
    );
    assert.equal(signature.name, 'Otter rule');
    assert.equal(signature.fileType, 'Snort');
    assert.equal(signature.fileText, 'alert any');
    assert.equal(signature.fileName, 'otter-loader.yar');
  });

  it('deletes a group; a later GET or DELETE is 404, and its links are gone', async () => {
    const created = item(await send('POST', '/v2/groups/threats', { name: 'Doomed' }), 'threat', 201);
    const linked = await send('POST', `/v2/groups/threats/${created.id}/groups/adversaries/710`);
    assert.equal(linked.status, 201);
    const r = await send('DELETE', `/v2/groups/threats/${created.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json(), { status: 'Success' });
    failure(await get(`/v2/groups/threats/${created.id}`), 404, NOT_FOUND);
    failure(await send('DELETE', `/v2/groups/threats/${created.id}`), 404, NOT_FOUND);
    const threats = list(await get('/v2/groups/adversaries/710/groups/threats'), 'threat').items;
    assert.ok(!threats.some((t) => t.id === created.id));
  });
});
