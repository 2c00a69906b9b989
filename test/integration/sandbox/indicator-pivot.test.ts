/**
 * The indicator-to-indicator pivot (rest-api-v2.md 10: "Indicator ↔ indicator (pivot) | `GET
 * /v2/indicators/{b}/{v}/indicators[/{b2}]` | `DELETE /v2/indicators/{b}/{v}/indicators/{b2}/{v2}`"):
 * it lists the indicators linked through any typed association (custom types and file actions), from
 * either end, paged like the other listings, and its DELETE removes every link between the two.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type Item, NOT_FOUND, done, exactList, failure, item, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const HOST = 'pivot-h.example.com';
const ADDRESSES = ['192.0.2.11', '192.0.2.12', '192.0.2.13', '192.0.2.14', '192.0.2.15'];
const URL_VALUE = 'http://pivot.example.com/x';
const URL_PATH = encodeURIComponent(URL_VALUE);
const MD5 = '0123456789ABCDEF0123456789ABCDEF';
const EMAIL = 'registrant@pivot.example.com';

describe('sandbox: the indicator-to-indicator pivot', () => {
  let sandbox: Sandbox;
  const ids = new Map<string, number>();
  before(async () => {
    sandbox = await withSandbox();
    const create = async (branch: string, body: Record<string, unknown>, value: string) => {
      const r = await call(sandbox, 'POST', `/v2/indicators/${branch}`, { body: JSON.stringify(body) });
      ids.set(value, (Object.values(success(r, 201))[0] as Item).id);
    };
    await create('hosts', { hostName: HOST }, HOST);
    for (const ip of ADDRESSES) await create('addresses', { ip }, ip);
    await create('urls', { text: URL_VALUE }, URL_VALUE);
    await create('files', { md5: MD5 }, MD5);
    await create('emailAddresses', { address: EMAIL }, EMAIL);
    const link = async (path: string) => {
      done(await call(sandbox, 'POST', path), 201);
    };
    // From either end, and through custom types (stored both ways) and file actions (from the file).
    await link(`/v2/indicators/addresses/${ADDRESSES[0]}/associations/dnsPtrRecord/indicators/hosts/${HOST}`);
    for (const ip of ADDRESSES.slice(1))
      await link(`/v2/indicators/hosts/${HOST}/associations/dnsPtrRecord/indicators/addresses/${ip}`);
    await link(`/v2/indicators/urls/${URL_PATH}/associations/urlHost/indicators/hosts/${HOST}`);
    await link(
      `/v2/indicators/hosts/${HOST}/associations/domainRegistrant/indicators/emailAddresses/${EMAIL}`,
    );
    await link(`/v2/indicators/files/${MD5}/actions/dnsQuery/indicators/hosts/${HOST}`);
    // Two association types between the same two indicators.
    await link(`/v2/indicators/urls/${URL_PATH}/associations/fileDownload/indicators/files/${MD5}`);
    await link(`/v2/indicators/files/${MD5}/actions/traffic/indicators/urls/${URL_PATH}`);
  });
  after(async () => {
    await sandbox.close();
  });

  const get = (path: string) => call(sandbox, 'GET', path);
  /** Every item of a base listing, by id, to compare the pivot's items with. */
  const baseItems = async (path: string, key: string): Promise<Map<number, Item>> => {
    const { items } = exactList(await get(`${path}?resultLimit=500`), key);
    return new Map(items.map((i) => [i.id, i]));
  };
  const idsOf = (...values: string[]) => values.map((v) => ids.get(v) as number).sort((a, b) => a - b);

  it('lists every linked indicator, in the generic listing shape, from either end', async () => {
    const generic = await baseItems('/v2/indicators', 'indicator');
    const expect = (...values: string[]) => idsOf(...values).map((id) => generic.get(id));
    const fromHost = exactList(await get(`/v2/indicators/hosts/${HOST}/indicators`), 'indicator');
    assert.equal(fromHost.total, 8);
    assert.deepEqual(fromHost.items, expect(...ADDRESSES, URL_VALUE, MD5, EMAIL));
    // The address linked it from its side; the file from its side, by a file action.
    for (const [path, values] of [
      [`/v2/indicators/addresses/${ADDRESSES[0]}/indicators`, [HOST]],
      [`/v2/indicators/files/${MD5}/indicators`, [HOST, URL_VALUE]],
      [`/v2/indicators/urls/${URL_PATH}/indicators`, [HOST, MD5]],
      [`/v2/indicators/emailAddresses/${encodeURIComponent(EMAIL)}/indicators`, [HOST]],
    ] as const) {
      assert.deepEqual(exactList(await get(path), 'indicator').items, expect(...values), path);
    }
  });

  it('lists one type under its typed key and shape, and applies filters', async () => {
    const typed = await baseItems('/v2/indicators/addresses', 'address');
    const r = exactList(await get(`/v2/indicators/hosts/${HOST}/indicators/addresses`), 'address');
    assert.deepEqual(
      r.items,
      idsOf(...ADDRESSES).map((id) => typed.get(id)),
    );
    const filtered = exactList(
      await get(`/v2/indicators/hosts/${HOST}/indicators?filters=summary%3D${ADDRESSES[2]}`),
      'indicator',
    );
    assert.deepEqual(
      filtered.items.map((i) => i.summary),
      [ADDRESSES[2]],
    );
  });

  it('pages: the windows cover the set once, resultCount only on the first', async () => {
    const all = exactList(await get(`/v2/indicators/hosts/${HOST}/indicators`), 'indicator').items;
    const seen: Item[] = [];
    for (let start = 0; start < all.length; start += 3) {
      const data = success(
        await get(`/v2/indicators/hosts/${HOST}/indicators?resultStart=${start}&resultLimit=3`),
      );
      assert.deepEqual(Object.keys(data).sort(), start === 0 ? ['indicator', 'resultCount'] : ['indicator']);
      if (start === 0) assert.equal(data.resultCount, 8);
      seen.push(...(data.indicator as Item[]));
    }
    assert.deepEqual(seen, all);
  });

  it('reads one linked indicator in the single shape; 404 for one that is not linked', async () => {
    const one = item(await get(`/v2/indicators/hosts/${HOST}/indicators/files/${MD5.toLowerCase()}`), 'file');
    assert.deepEqual(one, item(await get(`/v2/indicators/files/${MD5}`), 'file'));
    failure(
      await get(`/v2/indicators/addresses/${ADDRESSES[1]}/indicators/emailAddresses/${EMAIL}`),
      404,
      NOT_FOUND,
    );
    failure(await get(`/v2/indicators/hosts/${HOST}/indicators/hosts/nowhere.example.com`), 404, NOT_FOUND);
  });

  it('DELETE removes every link between the two, from either end; 404 when there is none', async () => {
    done(await call(sandbox, 'DELETE', `/v2/indicators/files/${MD5}/indicators/urls/${URL_PATH}`));
    const urlSide = exactList(await get(`/v2/indicators/urls/${URL_PATH}/indicators`), 'indicator');
    assert.deepEqual(
      urlSide.items.map((i) => i.id),
      idsOf(HOST),
    );
    for (const path of [
      `/v2/indicators/urls/${URL_PATH}/associations/fileDownload/indicators`,
      `/v2/indicators/files/${MD5}/actions/traffic/indicators`,
    ]) {
      assert.deepEqual(exactList(await get(path), 'indicator').items, [], path);
    }
    // A file action is removed from its target's side too.
    done(await call(sandbox, 'DELETE', `/v2/indicators/hosts/${HOST}/indicators/files/${MD5}`));
    assert.deepEqual(exactList(await get(`/v2/indicators/files/${MD5}/indicators`), 'indicator').items, []);
    for (const path of [
      `/v2/indicators/hosts/${HOST}/indicators/files/${MD5}`,
      `/v2/indicators/hosts/${HOST}/indicators/hosts/nowhere.example.com`,
      `/v2/indicators/hosts/${HOST}/indicators/nope/x`,
      `/v2/indicators/hosts/${HOST}/indicators/addresses`,
      `/v2/indicators/hosts/nowhere.example.com/indicators/addresses/${ADDRESSES[1]}`,
    ]) {
      failure(await call(sandbox, 'DELETE', path), 404, NOT_FOUND);
    }
    const host = exactList(await get(`/v2/indicators/hosts/${HOST}/indicators`), 'indicator');
    assert.equal(host.total, 7);
  });

  it('refuses a link POST on the pivot path (only the typed paths make links) and other methods', async () => {
    failure(
      await call(sandbox, 'POST', `/v2/indicators/hosts/${HOST}/indicators/addresses/${ADDRESSES[1]}`),
      400,
      'Invalid association, an Indicator cannot be associated with an Indicator',
    );
    failure(
      await call(sandbox, 'PUT', `/v2/indicators/hosts/${HOST}/indicators/addresses/${ADDRESSES[1]}`),
      404,
      NOT_FOUND,
    );
    failure(await get(`/v2/indicators/hosts/${HOST}/indicators/nope`), 404, NOT_FOUND);
    failure(
      await get(`/v2/indicators/hosts/${HOST}/indicators/addresses/${ADDRESSES[1]}/more`),
      404,
      NOT_FOUND,
    );
  });
});
