/**
 * Associations and pivot ("filter-by") listings over HTTP (rest-api-v2.md section 10, decisions.md 2.4
 * and docs/decisions.md 4-6): every pivot checked against the link arrays of `sampleData(n)`, items in
 * the same shape as the base listings, pagination, trailing ids, and link create/delete from either end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import type { SampleData } from '../../../src/sandbox/sample-types.js';
import {
  INDICATOR_TYPES,
  NOT_FOUND,
  done,
  exactList,
  failure,
  item,
  success,
  type Item,
} from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const N = 200;
const OWNER_NAMES = ['Example Org', 'Example Community', 'Common Community'];
const GROUP_TYPES = [
  { type: 'Adversary', branch: 'adversaries', key: 'adversary' },
  { type: 'Campaign', branch: 'campaigns', key: 'campaign' },
  { type: 'Document', branch: 'documents', key: 'document' },
  { type: 'Email', branch: 'emails', key: 'email' },
  { type: 'Incident', branch: 'incidents', key: 'incident' },
  { type: 'Signature', branch: 'signatures', key: 'signature' },
  { type: 'Threat', branch: 'threats', key: 'threat' },
];

type Kind = 'indicator' | 'group' | 'victim' | 'task';

const sorted = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b);

/** Sample lookups: records by kind and id, and what each links to. */
function sampleIndex(sample: SampleData) {
  const indicators = new Map(sample.indicators.map((i) => [i.id, i]));
  const groups = new Map(sample.groups.map((g) => [g.id, g]));
  const victims = new Map(sample.victims.map((v) => [v.id, v]));
  const tasks = new Map(sample.tasks.map((t) => [t.id, t]));
  const links = (kind: Kind, id: number, target: Kind): number[] => {
    const record =
      kind === 'indicator'
        ? indicators.get(id)
        : kind === 'group'
          ? groups.get(id)
          : kind === 'victim'
            ? victims.get(id)
            : tasks.get(id);
    assert.ok(record, `sample ${kind} ${id}`);
    const r = record as unknown as Record<string, number[] | undefined>;
    const field = { indicator: 'indicatorIds', group: 'groupIds', victim: 'victimIds', task: 'taskIds' }[
      target
    ];
    let out = r[field] ?? [];
    if (target === 'indicator') out = out.filter((i) => indicators.get(i)?.active === true);
    return sorted(out);
  };
  const typeOf = (kind: Kind, id: number): string | undefined =>
    kind === 'indicator' ? indicators.get(id)?.type : kind === 'group' ? groups.get(id)?.type : undefined;
  /** Items of `target` kind carrying a tag (or label) in an owner. */
  const carrying = (
    target: Kind,
    owner: string,
    has: (r: { tags: string[]; securityLabels: string[] }) => boolean,
  ) => {
    const records: {
      id: number;
      ownerName: string;
      tags: string[];
      securityLabels: string[];
      active?: boolean;
    }[] =
      target === 'indicator'
        ? sample.indicators
        : target === 'group'
          ? sample.groups
          : target === 'victim'
            ? sample.victims
            : sample.tasks;
    return sorted(
      records.filter((r) => r.ownerName === owner && r.active !== false && has(r)).map((r) => r.id),
    );
  };
  return { links, typeOf, carrying };
}

describe('pivot listings against the sample data', () => {
  const sample = sampleData(N);
  const index = sampleIndex(sample);
  let sandbox: Sandbox;
  /** Every item of every owner, as the base listings show it, by kind and key. */
  const shapes = new Map<string, Map<number, Item>>();
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: N });
    const collect = async (path: string, key: string) => {
      let map = shapes.get(key);
      if (!map) {
        map = new Map();
        shapes.set(key, map);
      }
      for (const owner of OWNER_NAMES) {
        const r = await call(sandbox, 'GET', `${path}?owner=${encodeURIComponent(owner)}&resultLimit=500`);
        const { total, items } = exactList(r, key);
        assert.ok(total <= 500);
        for (const i of items) map.set(i.id, i);
      }
    };
    await collect('/v2/indicators', 'indicator');
    for (const t of INDICATOR_TYPES) await collect(`/v2/indicators/${t.branch}`, t.key);
    await collect('/v2/groups', 'group');
    for (const t of GROUP_TYPES) await collect(`/v2/groups/${t.branch}`, t.key);
    await collect('/v2/victims', 'victim');
    await collect('/v2/tasks', 'task');
  });
  after(async () => {
    await sandbox.close();
  });
  const get = (path: string) => call(sandbox, 'GET', path);

  /** Checks a pivot listing: exact ids (all of them), the data key, and items shaped as in the base listings. */
  const expectPivot = async (path: string, key: string, expectedIds: number[]) => {
    const sep = path.includes('?') ? '&' : '?';
    const { total, items } = exactList(await get(`${path}${sep}resultLimit=500`), key);
    assert.equal(total, expectedIds.length, path);
    assert.deepEqual(
      items.map((i) => i.id),
      expectedIds,
      path,
    );
    const shape = shapes.get(key);
    assert.ok(shape);
    for (const i of items) assert.deepEqual(i, shape.get(i.id), `${path}: item ${i.id}`);
  };

  /** Every collection under an item: generic and typed indicators and groups, victims, tasks. */
  const expectAllPivots = async (source: string, kind: Kind, id: number, query = '') => {
    const at = (suffix: string) => `${source}/${suffix}${query}`;
    const indicators = index.links(kind, id, 'indicator');
    await expectPivot(at('indicators'), 'indicator', indicators);
    for (const t of INDICATOR_TYPES) {
      await expectPivot(
        at(`indicators/${t.branch}`),
        t.key,
        indicators.filter((i) => index.typeOf('indicator', i) === t.type),
      );
    }
    const groups = index.links(kind, id, 'group');
    await expectPivot(at('groups'), 'group', groups);
    for (const t of GROUP_TYPES) {
      await expectPivot(
        at(`groups/${t.branch}`),
        t.key,
        groups.filter((g) => index.typeOf('group', g) === t.type),
      );
    }
    if (kind !== 'victim') await expectPivot(at('victims'), 'victim', index.links(kind, id, 'victim'));
    if (kind !== 'task') await expectPivot(at('tasks'), 'task', index.links(kind, id, 'task'));
    return { indicators, groups };
  };

  it('pivots under indicators: /v2/indicators/{b}/{v}/...', async () => {
    const cases: [string, number][] = [
      ['/v2/indicators/addresses/10.20.30.40?owner=Example%20Community', 356001],
      ['/v2/indicators/addresses/10.20.30.40?owner=Example+Org', 356000],
      ['/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community', 355999],
      ['/v2/indicators/files/422ad421127685e3ef4a44b546258107?owner=Example%20Community', 356002],
      [
        '/v2/indicators/urls/http%3A%2F%2Fbad.example.com%2Fa%3Fb%3Dc%26d%3De?owner=Example%20Community',
        356003,
      ],
      ['/v2/indicators/asns/ASN64500', 100100],
    ];
    const generated = sample.indicators.filter((i) => i.id > 1_000_000 && i.groupIds.length > 1 && i.active);
    for (const g of generated.slice(0, 3)) {
      const branch = INDICATOR_TYPES.find((t) => t.type === g.type)?.branch ?? '';
      const value = g.md5 ?? g.sha1 ?? g.sha256 ?? g.summary;
      cases.push([
        `/v2/indicators/${branch}/${encodeURIComponent(value)}?owner=${encodeURIComponent(g.ownerName)}`,
        g.id,
      ]);
    }
    for (const [source, id] of cases) {
      const [path = '', query = ''] = source.split('?');
      await expectAllPivots(path, 'indicator', id, query === '' ? '' : `?${query}`);
    }
  });

  it('pivots under groups: /v2/groups/{gb}/{gid}/... (the id fixes the owner)', async () => {
    const fixed: [string, number][] = [
      ['adversaries', 5],
      ['threats', 38],
      ['documents', 19],
      ['adversaries', 710],
      ['adversaries', 720],
      ['campaigns', 811],
      ['incidents', 824],
    ];
    const generated = sample.groups
      .filter((g) => g.id > 1_000_000 && g.indicatorIds.length > 0 && g.groupIds.length > 0)
      .slice(0, 4)
      .map((g): [string, number] => [GROUP_TYPES.find((t) => t.type === g.type)?.branch ?? '', g.id]);
    for (const [branch, id] of [...fixed, ...generated]) {
      const { indicators } = await expectAllPivots(`/v2/groups/${branch}/${id}`, 'group', id);
      // The owner parameter does not narrow an item's own links.
      const { total } = exactList(
        await get(`/v2/groups/${branch}/${id}/indicators?owner=Common%20Community&resultLimit=500`),
        'indicator',
      );
      assert.equal(total, indicators.length);
    }
    const adversary5 = exactList(await get('/v2/groups/adversaries/5/indicators'), 'indicator');
    assert.ok(adversary5.total >= 6);
  });

  it('pivots under victims: /v2/victims/{vid}/...', async () => {
    const ids = [
      10,
      11,
      12,
      13,
      ...sample.victims
        .filter((v) => v.id > 1_000_000)
        .slice(0, 3)
        .map((v) => v.id),
    ];
    for (const id of ids) {
      await expectAllPivots(`/v2/victims/${id}`, 'victim', id);
      // Victim to victim: the victims that share a group with it (read-only).
      const peers = new Set<number>();
      for (const g of index.links('victim', id, 'group'))
        for (const v of index.links('group', g, 'victim')) peers.add(v);
      peers.delete(id);
      await expectPivot(`/v2/victims/${id}/victims`, 'victim', sorted(peers));
    }
    await expectPivot('/v2/victims/10/indicators', 'indicator', index.links('victim', 10, 'indicator'));
    assert.ok(index.links('victim', 10, 'indicator').length >= 2);
  });

  it('pivots under tasks: /v2/tasks/{tid}/...', async () => {
    const ids = [
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      ...sample.tasks
        .filter((t) => t.id > 1_000_000)
        .slice(0, 3)
        .map((t) => t.id),
    ];
    for (const id of ids) await expectAllPivots(`/v2/tasks/${id}`, 'task', id);
  });

  it('pivots under tags and security labels, scoped to the owner given (else the default org)', async () => {
    const hasTag = (name: string) => (r: { tags: string[] }) => r.tags.includes(name);
    const hasLabel = (name: string) => (r: { securityLabels: string[] }) => r.securityLabels.includes(name);
    const pivots: [string, (r: { tags: string[]; securityLabels: string[] }) => boolean][] = [
      ['/v2/tags/APT', hasTag('APT')],
      ['/v2/tags/EXAMPLE', hasTag('EXAMPLE')],
      ['/v2/tags/Phishing', hasTag('Phishing')],
      ['/v2/tags/Watchlist', hasTag('Watchlist')],
      ['/v2/tags/Nation%20State', hasTag('Nation State')],
      ['/v2/securityLabels/TLP%20Red', hasLabel('TLP Red')],
      ['/v2/securityLabels/TLP%20Amber', hasLabel('TLP Amber')],
      ['/v2/securityLabels/TLP%20Green', hasLabel('TLP Green')],
    ];
    for (const [path, has] of pivots) {
      for (const owner of [undefined, ...OWNER_NAMES]) {
        const query = owner === undefined ? '' : `?owner=${encodeURIComponent(owner)}`;
        const name = owner ?? 'Example Org';
        // Tags belong to an owner: a tag no item of this owner carries does not exist there (404).
        const tag = decodeURIComponent(path.slice('/v2/tags/'.length));
        if (
          path.startsWith('/v2/tags/') &&
          !sample.tags.some((t) => t.ownerName === name && t.name === tag)
        ) {
          failure(await get(`${path}/indicators${query}`), 404, NOT_FOUND);
          failure(await get(`${path}/groups/adversaries${query}`), 404, NOT_FOUND);
          continue;
        }
        const indicators = index.carrying('indicator', name, has);
        await expectPivot(`${path}/indicators${query}`, 'indicator', indicators);
        for (const t of INDICATOR_TYPES) {
          await expectPivot(
            `${path}/indicators/${t.branch}${query}`,
            t.key,
            indicators.filter((i) => index.typeOf('indicator', i) === t.type),
          );
        }
        const groups = index.carrying('group', name, has);
        await expectPivot(`${path}/groups${query}`, 'group', groups);
        for (const t of GROUP_TYPES) {
          await expectPivot(
            `${path}/groups/${t.branch}${query}`,
            t.key,
            groups.filter((g) => index.typeOf('group', g) === t.type),
          );
        }
        await expectPivot(`${path}/victims${query}`, 'victim', index.carrying('victim', name, has));
        await expectPivot(`${path}/tasks${query}`, 'task', index.carrying('task', name, has));
      }
    }
    const red = exactList(
      await get('/v2/securityLabels/TLP%20Red/groups/adversaries?owner=Example%20Community'),
      'adversary',
    );
    assert.equal(
      red.total,
      index
        .carrying('group', 'Example Community', hasLabel('TLP Red'))
        .filter((g) => index.typeOf('group', g) === 'Adversary').length,
    );
    assert.ok(
      index.carrying('task', 'Example Org', hasTag('APT')).length +
        index.carrying('victim', 'Example Org', hasTag('Watchlist')).length >
        0,
    );
  });

  it('answers the trailing id or value of an associated item with that item, in the single shape', async () => {
    const host = item(await get('/v2/groups/adversaries/5/indicators/hosts/www.badguy_014.com'), 'host');
    assert.equal(host.id, 355999);
    assert.deepEqual(host.owner, { id: 2, name: 'Example Community', type: 'Community' });
    assert.equal(host.ownerName, undefined);
    const file = item(
      await get('/v2/groups/documents/19/indicators/files/422AD421127685E3EF4A44B546258107'),
      'file',
    );
    assert.equal(file.id, 356002);
    const threat = item(await get('/v2/groups/adversaries/5/groups/threats/38'), 'threat');
    assert.equal(threat.id, 38);
    assert.deepEqual(threat.owner, { id: 2, name: 'Example Community', type: 'Community' });
    const adversary = item(
      await get('/v2/indicators/addresses/10.20.30.40/groups/adversaries/700?owner=Example%20Community'),
      'adversary',
    );
    assert.equal(adversary.name, 'Bad Guy');
    assert.equal(item(await get('/v2/victims/10/groups/adversaries/720'), 'adversary').id, 720);
    assert.equal(item(await get('/v2/groups/adversaries/720/victims/10'), 'victim').id, 10);
    assert.equal(item(await get('/v2/victims/10/indicators/hosts/www.badguy_014.com'), 'host').id, 355999);
    assert.equal(
      item(
        await get('/v2/indicators/hosts/www.badguy_014.com/victims/10?owner=Example%20Community'),
        'victim',
      ).id,
      10,
    );
    assert.equal(item(await get('/v2/tasks/1/groups/incidents/804'), 'incident').id, 804);
    assert.equal(item(await get('/v2/groups/incidents/804/tasks/1'), 'task').id, 1);
    assert.equal(item(await get('/v2/tasks/1/victims/11'), 'victim').id, 11);
    assert.equal(item(await get('/v2/tasks/2/indicators/asns/ASN64500'), 'asn').id, 100100);
    assert.equal(
      item(await get('/v2/tags/APT/indicators/hosts/www.badguy_014.com?owner=Example%20Community'), 'host')
        .id,
      355999,
    );
    assert.equal(item(await get('/v2/tags/APT/groups/adversaries/710'), 'adversary').id, 710);
    assert.equal(item(await get('/v2/tags/Watchlist/victims/11'), 'victim').id, 11);
    assert.equal(
      item(
        await get('/v2/securityLabels/TLP%20Amber/groups/documents/19?owner=Example%20Community'),
        'document',
      ).id,
      19,
    );
  });

  it('answers a trailing id or value that is not associated with 404', async () => {
    for (const path of [
      '/v2/groups/adversaries/5/indicators/hosts/pool00.badguy.example.com',
      '/v2/groups/adversaries/5/groups/threats/807',
      '/v2/groups/adversaries/5/groups/threats/999999',
      '/v2/indicators/addresses/10.20.30.40/groups/adversaries/702?owner=Example%20Community',
      '/v2/victims/10/groups/adversaries/700',
      '/v2/victims/10/indicators/hosts/nowhere.example.net',
      '/v2/tasks/1/victims/10',
      '/v2/tags/APT/groups/adversaries/5?owner=Example%20Community',
      '/v2/securityLabels/TLP%20Red/indicators/hosts/www.badguy_014.com?owner=Example%20Community',
    ]) {
      failure(await get(path), 404, NOT_FOUND);
    }
  });

  it('answers pivots of unknown items, tags, labels and collections with 404', async () => {
    for (const path of [
      '/v2/groups/incidents/708996/groups/adversaries',
      '/v2/groups/threats/5/indicators',
      '/v2/victims/999999/groups',
      '/v2/tasks/999999/indicators',
      '/v2/indicators/hosts/nowhere.example.net/groups',
      '/v2/tags/No%20Such%20Tag/indicators',
      '/v2/securityLabels/TLP%3AMAGENTA/groups',
      // Tags belong to an owner: Example Org has no EXAMPLE tag.
      '/v2/tags/EXAMPLE/indicators',
      '/v2/groups/adversaries/5/indicators/cidrBlocks',
      '/v2/groups/adversaries/5/groups/reports',
      '/v2/groups/adversaries/5/owners',
    ]) {
      failure(await get(path), 404, NOT_FOUND);
    }
  });

  it('pages pivot listings: windows cover the set exactly once, resultCount only on the first', async () => {
    for (const path of [
      '/v2/tags/APT/indicators?owner=Example+Community',
      '/v2/groups/threats/38/indicators',
      '/v2/tags/EXAMPLE/indicators?owner=Example%20Community',
    ]) {
      const all = exactList(await get(`${path}&resultLimit=500`.replace(/^([^?]*)&/, '$1?')), 'indicator');
      const seen: number[] = [];
      for (let start = 0; start < all.total + 3; start += 3) {
        const sep = path.includes('?') ? '&' : '?';
        const data = success(await get(`${path}${sep}resultStart=${start}&resultLimit=3`));
        if (start === 0) assert.equal(data.resultCount, all.total);
        else assert.equal(data.resultCount, undefined);
        const items = data.indicator as Item[];
        assert.ok(items.length <= 3);
        seen.push(...items.map((i) => i.id));
      }
      assert.deepEqual(
        seen,
        all.items.map((i) => i.id),
      );
    }
    failure(
      await get('/v2/groups/threats/38/indicators?resultLimit=501'),
      400,
      'The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is 500',
    );
    failure(
      await get('/v2/tags/APT/indicators?resultStart=-1'),
      400,
      'The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is 500',
    );
  });

  it('refuses the restricted user on pivots of owners it may not access', async () => {
    const restricted = {
      accessId: sandbox.restrictedUser.accessId,
      secretKey: sandbox.restrictedUser.secretKey,
    };
    failure(await call(sandbox, 'GET', '/v2/groups/threats/38/indicators', restricted), 403, 'Access Denied');
    failure(
      await call(sandbox, 'GET', '/v2/tags/APT/indicators?owner=Example%20Community', restricted),
      403,
      'Access Denied',
    );
    // Its own org's links show only items of owners it may access.
    const { items } = exactList(
      await call(sandbox, 'GET', '/v2/groups/adversaries/710/victims', restricted),
      'victim',
    );
    assert.deepEqual(items, []);
  });
});

describe('creating and deleting associations', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, body === undefined ? {} : { body: JSON.stringify(body) });
  const get = (path: string) => send('GET', path);
  const ids = async (path: string, key: string) => exactList(await get(path), key).items.map((i) => i.id);
  const create = async (path: string, body: unknown, key: string): Promise<number> => {
    const data = success(await send('POST', path, body), 201);
    return (data[key] as Item).id;
  };

  let host: number;
  let address: number;
  let threat: number;
  let adversary: number;
  let victim: number;
  let task: number;
  before(async () => {
    host = await create('/v2/indicators/hosts', { hostName: 'assoc.example.net' }, 'host');
    address = await create('/v2/indicators/addresses', { ip: '203.0.113.9' }, 'address');
    threat = await create('/v2/groups/threats', { name: 'Assoc Threat' }, 'threat');
    adversary = await create('/v2/groups/adversaries', { name: 'Assoc Adversary' }, 'adversary');
    victim = await create('/v2/victims', { name: 'Assoc Victim' }, 'victim');
    // A victim is associated only once it has an asset (rest-api-v2.md 8).
    await create(
      `/v2/victims/${victim}/victimAssets/webSites`,
      { webSite: 'assoc.example.net' },
      'victimWebSite',
    );
    task = await create('/v2/tasks', { name: 'Assoc Task' }, 'task');
  });

  it('refuses to associate a victim without assets, from either end; a tag or label still attaches', async () => {
    const bare = await create('/v2/victims', { name: 'Assetless Victim' }, 'victim');
    const refused = `Invalid association, the Victim ${bare} has no assets: add one before associating it`;
    for (const path of [
      `/v2/victims/${bare}/groups/threats/${threat}`,
      `/v2/groups/threats/${threat}/victims/${bare}`,
      `/v2/indicators/hosts/assoc.example.net/victims/${bare}`,
      `/v2/victims/${bare}/indicators/hosts/assoc.example.net`,
      `/v2/tasks/${task}/victims/${bare}`,
      `/v2/victims/${bare}/tasks/${task}`,
    ]) {
      failure(await send('POST', path), 400, refused);
    }
    assert.deepEqual(await ids(`/v2/victims/${bare}/groups`, 'group'), []);
    done(await send('POST', `/v2/victims/${bare}/tags/Assetless`), 201);
    done(await send('POST', `/v2/victims/${bare}/securityLabels/TLP%3AGREEN`), 201);
    await create(`/v2/victims/${bare}/victimAssets/phoneNumbers`, { phoneType: '555-0199' }, 'victimPhone');
    done(await send('POST', `/v2/victims/${bare}/groups/threats/${threat}`), 201);
    done(await send('DELETE', `/v2/victims/${bare}/groups/threats/${threat}`), 200);
  });

  it('links an indicator and a group from either end, symmetrically', async () => {
    done(await send('POST', `/v2/indicators/hosts/assoc.example.net/groups/threats/${threat}`), 201);
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/indicators`, 'indicator'), [host]);
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/indicators/hosts`, 'host'), [host]);
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/groups', 'group'), [threat]);
    // POSTing the same link again, from the other end, keeps one link.
    done(await send('POST', `/v2/groups/threats/${threat}/indicators/hosts/assoc.example.net`), 201);
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/groups/threats', 'threat'), [threat]);
    done(await send('DELETE', `/v2/groups/threats/${threat}/indicators/hosts/assoc.example.net`));
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/groups', 'group'), []);
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/indicators`, 'indicator'), []);
    failure(
      await send('DELETE', `/v2/indicators/hosts/assoc.example.net/groups/threats/${threat}`),
      404,
      NOT_FOUND,
    );
    failure(await get(`/v2/groups/threats/${threat}/indicators/hosts/assoc.example.net`), 404, NOT_FOUND);
  });

  it('links across owners (decisions.md 2.4) and addresses the indicator in the owner given', async () => {
    done(
      await send(
        'POST',
        `/v2/groups/threats/${threat}/indicators/hosts/www.badguy_014.com?owner=Example%20Community`,
      ),
      201,
    );
    const listed = exactList(await get(`/v2/groups/threats/${threat}/indicators`), 'indicator').items;
    assert.deepEqual(
      listed.map((i) => [i.id, i.ownerName]),
      [[355999, 'Example Community']],
    );
    assert.ok(
      (
        await ids('/v2/indicators/hosts/www.badguy_014.com/groups?owner=Example%20Community', 'group')
      ).includes(threat),
    );
    done(
      await send(
        'DELETE',
        `/v2/indicators/hosts/www.badguy_014.com/groups/threats/${threat}?owner=Example%20Community`,
      ),
    );
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/indicators`, 'indicator'), []);
  });

  it('links two groups from either end', async () => {
    done(await send('POST', `/v2/groups/threats/${threat}/groups/adversaries/${adversary}`), 201);
    assert.deepEqual(await ids(`/v2/groups/adversaries/${adversary}/groups`, 'group'), [threat]);
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/groups/adversaries`, 'adversary'), [adversary]);
    assert.equal(
      item(await get(`/v2/groups/adversaries/${adversary}/groups/threats/${threat}`), 'threat').id,
      threat,
    );
    done(await send('DELETE', `/v2/groups/adversaries/${adversary}/groups/threats/${threat}`));
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/groups`, 'group'), []);
    failure(
      await send('DELETE', `/v2/groups/threats/${threat}/groups/adversaries/${adversary}`),
      404,
      NOT_FOUND,
    );
    failure(
      await send('POST', `/v2/groups/threats/${threat}/groups/threats/${threat}`),
      400,
      'Invalid association, a Group cannot be associated with itself',
    );
  });

  it('links a victim and a group from either end', async () => {
    done(await send('POST', `/v2/victims/${victim}/groups/threats/${threat}`), 201);
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/victims`, 'victim'), [victim]);
    assert.equal(item(await get(`/v2/groups/threats/${threat}/victims/${victim}`), 'victim').id, victim);
    done(await send('DELETE', `/v2/groups/threats/${threat}/victims/${victim}`));
    assert.deepEqual(await ids(`/v2/victims/${victim}/groups`, 'group'), []);
    done(await send('POST', `/v2/groups/adversaries/${adversary}/victims/${victim}`), 201);
    assert.deepEqual(await ids(`/v2/victims/${victim}/groups/adversaries`, 'adversary'), [adversary]);
    done(await send('DELETE', `/v2/victims/${victim}/groups/adversaries/${adversary}`));
    failure(await send('DELETE', `/v2/victims/${victim}/groups/adversaries/${adversary}`), 404, NOT_FOUND);
  });

  it('links a victim and an indicator from either end', async () => {
    done(await send('POST', `/v2/indicators/addresses/203.0.113.9/victims/${victim}`), 201);
    assert.deepEqual(await ids(`/v2/victims/${victim}/indicators`, 'indicator'), [address]);
    assert.deepEqual(await ids(`/v2/victims/${victim}/indicators/addresses`, 'address'), [address]);
    assert.deepEqual(await ids(`/v2/victims/${victim}/indicators/hosts`, 'host'), []);
    done(await send('DELETE', `/v2/victims/${victim}/indicators/addresses/203.0.113.9`));
    assert.deepEqual(await ids('/v2/indicators/addresses/203.0.113.9/victims', 'victim'), []);
    done(await send('POST', `/v2/victims/${victim}/indicators/hosts/assoc.example.net`), 201);
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/victims', 'victim'), [victim]);
    done(await send('DELETE', `/v2/indicators/hosts/assoc.example.net/victims/${victim}`));
    failure(await send('DELETE', `/v2/indicators/hosts/assoc.example.net/victims/${victim}`), 404, NOT_FOUND);
  });

  it('links a task with a group, an indicator and a victim, from either end', async () => {
    done(await send('POST', `/v2/tasks/${task}/groups/threats/${threat}`), 201);
    done(await send('POST', `/v2/tasks/${task}/indicators/hosts/assoc.example.net`), 201);
    done(await send('POST', `/v2/tasks/${task}/victims/${victim}`), 201);
    assert.deepEqual(await ids(`/v2/tasks/${task}/groups`, 'group'), [threat]);
    assert.deepEqual(await ids(`/v2/tasks/${task}/groups/threats`, 'threat'), [threat]);
    assert.deepEqual(await ids(`/v2/tasks/${task}/indicators`, 'indicator'), [host]);
    assert.deepEqual(await ids(`/v2/tasks/${task}/indicators/hosts`, 'host'), [host]);
    assert.deepEqual(await ids(`/v2/tasks/${task}/victims`, 'victim'), [victim]);
    assert.deepEqual(await ids(`/v2/groups/threats/${threat}/tasks`, 'task'), [task]);
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/tasks', 'task'), [task]);
    assert.deepEqual(await ids(`/v2/victims/${victim}/tasks`, 'task'), [task]);
    assert.equal(item(await get(`/v2/victims/${victim}/tasks/${task}`), 'task').id, task);
    done(await send('DELETE', `/v2/groups/threats/${threat}/tasks/${task}`));
    done(await send('DELETE', `/v2/indicators/hosts/assoc.example.net/tasks/${task}`));
    done(await send('DELETE', `/v2/victims/${victim}/tasks/${task}`));
    for (const path of [
      `/v2/tasks/${task}/groups`,
      `/v2/tasks/${task}/indicators`,
      `/v2/tasks/${task}/victims`,
    ]) {
      const key = path.endsWith('groups') ? 'group' : path.endsWith('victims') ? 'victim' : 'indicator';
      assert.deepEqual(await ids(path, key), []);
    }
    failure(await send('DELETE', `/v2/tasks/${task}/victims/${victim}`), 404, NOT_FOUND);
  });

  it('lists victims that share a group as victim-to-victim associations (read-only)', async () => {
    const other = await create('/v2/victims', { name: 'Assoc Peer' }, 'victim');
    await create(
      `/v2/victims/${other}/victimAssets/webSites`,
      { webSite: 'peer.example.net' },
      'victimWebSite',
    );
    assert.deepEqual(await ids(`/v2/victims/${victim}/victims`, 'victim'), []);
    done(await send('POST', `/v2/victims/${victim}/groups/adversaries/${adversary}`), 201);
    done(await send('POST', `/v2/victims/${other}/groups/adversaries/${adversary}`), 201);
    done(await send('POST', `/v2/victims/10/groups/adversaries/${adversary}`), 201);
    assert.deepEqual(await ids(`/v2/victims/${victim}/victims`, 'victim'), [10, other]);
    assert.deepEqual(await ids(`/v2/victims/${other}/victims`, 'victim'), [10, victim]);
    assert.equal(item(await get(`/v2/victims/${victim}/victims/${other}`), 'victim').id, other);
    failure(await get(`/v2/victims/${victim}/victims/${victim}`), 404, NOT_FOUND);
    failure(await get(`/v2/victims/${victim}/victims/11`), 404, NOT_FOUND);
    failure(
      await send('POST', `/v2/victims/${victim}/victims/${other}`),
      400,
      'Invalid association, a Victim cannot be associated with a Victim',
    );
    failure(await send('DELETE', `/v2/victims/${victim}/victims/${other}`), 404, NOT_FOUND);
    for (const v of [victim, other, 10])
      done(await send('DELETE', `/v2/victims/${v}/groups/adversaries/${adversary}`));
    assert.deepEqual(await ids(`/v2/victims/${victim}/victims`, 'victim'), []);
  });

  it('attaches a tag or a label from its own side', async () => {
    done(await send('POST', `/v2/tags/APT/groups/threats/${threat}`), 201);
    assert.ok(
      exactList(await get(`/v2/groups/threats/${threat}/tags`), 'tag').items.some((t) => t.name === 'APT'),
    );
    assert.ok((await ids('/v2/tags/APT/groups/threats', 'threat')).includes(threat));
    done(await send('DELETE', `/v2/tags/APT/groups/threats/${threat}`));
    assert.ok(
      !exactList(await get(`/v2/groups/threats/${threat}/tags`), 'tag').items.some((t) => t.name === 'APT'),
    );
    done(await send('POST', `/v2/securityLabels/TLP%20Amber/groups/threats/${threat}`), 201);
    assert.deepEqual(
      exactList(await get(`/v2/groups/threats/${threat}/securityLabels`), 'securityLabel').items.map(
        (l) => l.name,
      ),
      ['TLP Amber'],
    );
    done(await send('POST', `/v2/securityLabels/TLP%20Amber/indicators/hosts/assoc.example.net`), 201);
    assert.deepEqual(await ids('/v2/securityLabels/TLP%20Amber/indicators/hosts', 'host'), [host]);
    done(await send('DELETE', `/v2/securityLabels/TLP%20Amber/groups/threats/${threat}`));
    failure(await send('DELETE', `/v2/securityLabels/TLP%20Amber/groups/threats/${threat}`), 404, NOT_FOUND);
    failure(await send('POST', `/v2/securityLabels/TLP%3AMAGENTA/groups/threats/${threat}`), 404, NOT_FOUND);
    // The TLP 2.0 labels exist in every owner; ':' and '+' are percent-encoded in the path.
    done(await send('POST', `/v2/securityLabels/TLP%3AAMBER%2BSTRICT/groups/threats/${threat}`), 201);
    assert.deepEqual(await ids('/v2/securityLabels/TLP%3AAMBER%2BSTRICT/groups/threats', 'threat'), [threat]);
    done(await send('DELETE', `/v2/securityLabels/TLP%3AAMBER%2BSTRICT/groups/threats/${threat}`));
  });

  it("attaches a tag or label from its own side only to its own owner's items", async () => {
    // Threat 38 belongs to Example Community; the APT tag of the default org (Example Org) cannot take it.
    failure(
      await send('POST', '/v2/tags/APT/groups/threats/38'),
      400,
      'The owners of the requested objects were different',
    );
    failure(
      await send('POST', '/v2/securityLabels/TLP%20Red/groups/threats/38'),
      400,
      'The owners of the requested objects were different',
    );
    // In its own owner it can.
    done(await send('POST', '/v2/securityLabels/TLP%3ARED/groups/threats/38?owner=Example%20Community'), 201);
    assert.ok(
      exactList(await get('/v2/groups/threats/38/securityLabels'), 'securityLabel').items.some(
        (l) => l.name === 'TLP:RED',
      ),
    );
    done(await send('DELETE', '/v2/securityLabels/TLP%3ARED/groups/threats/38?owner=Example%20Community'));
  });

  it('never creates a missing object, and refuses links that cannot exist', async () => {
    failure(
      await send('POST', `/v2/indicators/hosts/assoc.example.net/groups/threats/999999`),
      404,
      NOT_FOUND,
    );
    failure(
      await send('POST', `/v2/groups/threats/${threat}/indicators/hosts/missing.example.net`),
      404,
      NOT_FOUND,
    );
    failure(await send('POST', `/v2/victims/${victim}/groups/threats/${adversary}`), 404, NOT_FOUND);
    failure(await send('POST', `/v2/tasks/${task}/victims/999999`), 404, NOT_FOUND);
    failure(await get('/v2/indicators/hosts/missing.example.net'), 404, NOT_FOUND);
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/groups', 'group'), []);
    failure(
      await send('POST', '/v2/indicators/hosts/assoc.example.net/indicators/addresses/203.0.113.9'),
      400,
      'Invalid association, an Indicator cannot be associated with an Indicator',
    );
    failure(
      await send('PUT', `/v2/groups/threats/${threat}/groups/adversaries/${adversary}`),
      404,
      NOT_FOUND,
    );
  });

  it('drops the links of a deleted item from the other ends', async () => {
    const doomed = await create(
      '/v2/groups/incidents',
      { name: 'Doomed', eventDate: '2024-01-01T00:00:00Z' },
      'incident',
    );
    done(await send('POST', `/v2/groups/incidents/${doomed}/indicators/hosts/assoc.example.net`), 201);
    done(await send('POST', `/v2/groups/incidents/${doomed}/victims/${victim}`), 201);
    done(await send('DELETE', `/v2/groups/incidents/${doomed}`));
    assert.deepEqual(await ids('/v2/indicators/hosts/assoc.example.net/groups', 'group'), []);
    assert.deepEqual(await ids(`/v2/victims/${victim}/groups`, 'group'), []);
  });
});
