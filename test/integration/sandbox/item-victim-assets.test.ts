/**
 * Victim assets of an indicator, group or task (rest-api-v2.md 10: "Victim assets (of
 * indicator/group/task) | GET .../victimAssets[/{assetType}[/{assetId}]] | DELETE
 * .../victimAssets/{assetType}/{assetId}"): the assets of the item's victims, in the shapes of the
 * victim's own asset endpoints; DELETE removes that asset from the item only (the asset stays with its
 * victim, the victim stays with the item).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type Item, NOT_FOUND, done, exactList, failure, item, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

describe('sandbox: victim assets of indicators, groups and tasks', () => {
  let sandbox: Sandbox;
  /** The items, by kind: their path. */
  const items: Record<'indicator' | 'group' | 'task', string> = { indicator: '', group: '', task: '' };
  let first: number;
  let second: number;
  let unlinked: number;
  /** Asset ids: first victim's e-mail, network account and web site; the second's phone; the unlinked one's web site. */
  const asset = { email: 0, account: 0, site: 0, phone: 0, other: 0 };

  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, body === undefined ? {} : { body: JSON.stringify(body) });
  const get = (path: string) => send('GET', path);
  const created = async (path: string, body: unknown): Promise<number> =>
    (Object.values(success(await send('POST', path, body), 201))[0] as Item).id;

  before(async () => {
    sandbox = await withSandbox();
    first = await created('/v2/victims', { name: 'First victim' });
    second = await created('/v2/victims', { name: 'Second victim' });
    unlinked = await created('/v2/victims', { name: 'Unlinked victim' });
    asset.email = await created(`/v2/victims/${first}/victimAssets/emailAddresses`, {
      address: 'first@victim.example.com',
      addressType: 'Work',
    });
    asset.account = await created(`/v2/victims/${first}/victimAssets/networkAccounts`, {
      account: 'first',
      network: 'Active Directory',
    });
    asset.site = await created(`/v2/victims/${first}/victimAssets/webSites`, {
      webSite: 'first.example.com',
    });
    asset.phone = await created(`/v2/victims/${second}/victimAssets/phoneNumbers`, { phoneType: '555-0100' });
    asset.other = await created(`/v2/victims/${unlinked}/victimAssets/webSites`, {
      webSite: 'other.example.com',
    });
    const threat = await created('/v2/groups/threats', { name: 'Victim asset threat' });
    await created('/v2/indicators/hosts', { hostName: 'assets.example.com' });
    const task = await created('/v2/tasks', { name: 'Victim asset task' });
    items.group = `/v2/groups/threats/${threat}`;
    items.indicator = '/v2/indicators/hosts/assets.example.com';
    items.task = `/v2/tasks/${task}`;
    for (const path of Object.values(items)) {
      done(await send('POST', `${path}/victims/${first}`), 201);
      done(await send('POST', `${path}/victims/${second}`), 201);
    }
  });
  after(async () => {
    await sandbox.close();
  });

  /** The victim's own answer for an asset path, which the item's must equal. */
  const own = async (victim: number, rest: string, key: string): Promise<Item[]> =>
    exactList(await get(`/v2/victims/${victim}/victimAssets${rest}`), key).items;

  for (const kind of ['indicator', 'group', 'task'] as const) {
    it(`lists the assets of a ${kind}'s victims, generic and typed, and reads one`, async () => {
      const path = items[kind];
      const all = [...(await own(first, '', 'victimAsset')), ...(await own(second, '', 'victimAsset'))];
      const listed = exactList(await get(`${path}/victimAssets`), 'victimAsset');
      assert.equal(listed.total, 4);
      assert.deepEqual(listed.items, all);
      assert.deepEqual(
        exactList(await get(`${path}/victimAssets/emailAddresses`), 'victimEmailAddress').items,
        await own(first, '/emailAddresses', 'victimEmailAddress'),
      );
      assert.deepEqual(
        exactList(await get(`${path}/victimAssets/phoneNumbers`), 'victimPhone').items,
        await own(second, '/phoneNumbers', 'victimPhone'),
      );
      assert.deepEqual(
        item(await get(`${path}/victimAssets/networkAccounts/${asset.account}`), 'victimNetworkAccount'),
        item(
          await get(`/v2/victims/${first}/victimAssets/networkAccounts/${asset.account}`),
          'victimNetworkAccount',
        ),
      );
      const window = success(await get(`${path}/victimAssets?resultStart=1&resultLimit=2`));
      assert.deepEqual(window, { victimAsset: all.slice(1, 3) });
    });
  }

  it('answers 404 for what the item does not have, and for other methods', async () => {
    const path = items.group;
    for (const bad of [
      `${path}/victimAssets/webSites/${asset.other}`, // the victim is not the item's
      `${path}/victimAssets/webSites/${asset.email}`, // an asset of another type
      `${path}/victimAssets/webSites/999999`,
      `${path}/victimAssets/webSites/x1`,
      `${path}/victimAssets/faxNumbers`,
      `${path}/victimAssets/webSites/${asset.site}/more`,
      '/v2/groups/threats/999999/victimAssets',
      '/v2/tags/APT/victimAssets?owner=Example%20Community',
    ]) {
      failure(await get(bad), 404, NOT_FOUND);
    }
    failure(
      await send('POST', `${path}/victimAssets/webSites`, { webSite: 'new.example.com' }),
      404,
      NOT_FOUND,
    );
    failure(
      await send('PUT', `${path}/victimAssets/webSites/${asset.site}`, { webSite: 'x.example.com' }),
      404,
      NOT_FOUND,
    );
    failure(await send('DELETE', `${path}/victimAssets`), 404, NOT_FOUND);
    failure(await send('DELETE', `${path}/victimAssets/webSites`), 404, NOT_FOUND);
    failure(await send('DELETE', `${path}/victimAssets/webSites/${asset.other}`), 404, NOT_FOUND);
  });

  it('DELETE removes the asset from that item only; the asset and the victim link stay', async () => {
    const group = items.group;
    done(await send('DELETE', `${group}/victimAssets/emailAddresses/${asset.email}`));
    assert.deepEqual(
      exactList(await get(`${group}/victimAssets`), 'victimAsset').items.map((a) => a.id),
      [asset.account, asset.site, asset.phone],
    );
    failure(await get(`${group}/victimAssets/emailAddresses/${asset.email}`), 404, NOT_FOUND);
    failure(await send('DELETE', `${group}/victimAssets/emailAddresses/${asset.email}`), 404, NOT_FOUND);
    // The asset is still the victim's, the victim still the group's, and the other items still list it.
    assert.equal(
      item(await get(`/v2/victims/${first}/victimAssets/emailAddresses/${asset.email}`), 'victimEmailAddress')
        .id,
      asset.email,
    );
    assert.equal(item(await get(`${group}/victims/${first}`), 'victim').id, first);
    for (const path of [items.indicator, items.task]) {
      assert.equal(
        exactList(await get(`${path}/victimAssets/emailAddresses`), 'victimEmailAddress').total,
        1,
      );
    }
    // Removing the group's link to the victim forgets it: linked again, the group lists the asset again.
    done(await send('DELETE', `${group}/victims/${first}`));
    assert.deepEqual(
      exactList(await get(`${group}/victimAssets`), 'victimAsset').items.map((a) => a.id),
      [asset.phone],
    );
    done(await send('POST', `${group}/victims/${first}`), 201);
    assert.equal(exactList(await get(`${group}/victimAssets`), 'victimAsset').total, 4);
  });

  it('drops an asset deleted from its victim, and a new asset does not inherit a hidden one', async () => {
    const task = items.task;
    done(await send('DELETE', `${task}/victimAssets/phoneNumbers/${asset.phone}`));
    done(await send('DELETE', `/v2/victims/${second}/victimAssets/phoneNumbers/${asset.phone}`));
    for (const path of Object.values(items))
      failure(await get(`${path}/victimAssets/phoneNumbers/${asset.phone}`), 404, NOT_FOUND);
    // The next asset gets an id never given before (a sequence, as a real server's), and the task did
    // not hide that one.
    done(await send('DELETE', `/v2/victims/${unlinked}/victimAssets/webSites/${asset.other}`));
    const again = await created(`/v2/victims/${second}/victimAssets/phoneNumbers`, { phoneType: '555-0101' });
    assert.ok(again > Math.max(asset.phone, asset.other), `${again} was given before`);
    assert.equal(
      exactList(await get(`${task}/victimAssets/phoneNumbers`), 'victimPhone').items.map((a) => a.id)[0],
      again,
    );
  });

  it('a deleted item takes what it hid along: a new item lists every asset', async () => {
    const group = items.group;
    done(await send('DELETE', `${group}/victimAssets/webSites/${asset.site}`));
    done(await send('DELETE', group));
    failure(await get(`${group}/victimAssets/webSites`), 404, NOT_FOUND);
    // Group ids come from a sequence: the next threat has a new one, and hides nothing.
    const threat = await created('/v2/groups/threats', { name: 'Victim asset threat, again' });
    assert.notEqual(`/v2/groups/threats/${threat}`, group);
    done(await send('POST', `/v2/groups/threats/${threat}/victims/${first}`), 201);
    assert.deepEqual(
      exactList(await get(`/v2/groups/threats/${threat}/victimAssets/webSites`), 'victimWebSite').items.map(
        (a) => a.id,
      ),
      [asset.site],
    );
  });
});
