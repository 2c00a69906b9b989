/**
 * `GET /v2/tags` sends tag descriptions only with `detailed=true` (rest-api-v2.md 9: "`GET /v2/tags` (…
 * `detailed=true` adds descriptions)", 4: "`detailed=true` · … | `/v2/tags` · … | tag descriptions"),
 * while the single GET and the POST and PUT answers always carry it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type Item, exactList, item } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

describe('sandbox: tag descriptions in GET /v2/tags', () => {
  let sandbox: Sandbox;
  let link: (name: string, owner?: string) => string;
  before(async () => {
    sandbox = await withSandbox();
    const origin = new URL(sandbox.baseUrl).origin;
    link = (name, owner = 'Example+Org') =>
      `${origin}/auth/tags/tag.xhtml?tag=${encodeURIComponent(name)}&owner=${owner}`;
  });
  after(async () => {
    await sandbox.close();
  });

  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, body === undefined ? {} : { body: JSON.stringify(body) });
  const byName = (items: Item[], name: string) => items.find((t) => t.name === name);

  it('keeps the description on the POST, PUT and single GET answers', async () => {
    const made = item(
      await send('POST', '/v2/tags', { name: 'Described', description: 'First.' }),
      'tag',
      201,
    );
    assert.deepEqual(made, { name: 'Described', webLink: link('Described'), description: 'First.' });
    const changed = item(await send('PUT', '/v2/tags/Described', { description: 'Second.' }), 'tag');
    assert.deepEqual(changed, { name: 'Described', webLink: link('Described'), description: 'Second.' });
    assert.deepEqual(item(await send('GET', '/v2/tags/Described'), 'tag'), changed);
  });

  it('lists names and webLinks only, without detailed=true or with another value', async () => {
    await send('POST', '/v2/tags', { name: 'Listed', description: 'Not in the plain listing.' });
    for (const query of ['', '&detailed=false', '&detailed=1', '&detailed=']) {
      const { items } = exactList(await send('GET', `/v2/tags?resultLimit=500${query}`), 'tag');
      assert.ok(items.length > 0);
      for (const tag of items) assert.deepEqual(Object.keys(tag), ['name', 'webLink'], query);
      assert.deepEqual(byName(items, 'Listed'), { name: 'Listed', webLink: link('Listed') });
    }
    const community = exactList(await send('GET', '/v2/tags?owner=Example%20Community'), 'tag');
    assert.deepEqual(byName(community.items, 'APT'), {
      name: 'APT',
      webLink: link('APT', 'Example+Community'),
    });
  });

  it('adds the description of every tag that has one with detailed=true, in any case of true', async () => {
    await send('POST', '/v2/tags', { name: 'Detailed', description: 'In the detailed listing.' });
    await send('POST', '/v2/tags', { name: 'Bare' });
    for (const value of ['true', 'TRUE']) {
      const { items } = exactList(await send('GET', `/v2/tags?resultLimit=500&detailed=${value}`), 'tag');
      assert.deepEqual(byName(items, 'Detailed'), {
        name: 'Detailed',
        webLink: link('Detailed'),
        description: 'In the detailed listing.',
      });
      // A tag without a description has no key for it, as in the single answers.
      assert.deepEqual(byName(items, 'Bare'), { name: 'Bare', webLink: link('Bare') });
    }
    const community = exactList(
      await send('GET', '/v2/tags?owner=Example%20Community&detailed=true&filters=name%3DAPT'),
      'tag',
    );
    assert.deepEqual(community.items, [
      {
        name: 'APT',
        webLink: link('APT', 'Example+Community'),
        description: 'Advanced persistent threat activity.',
      },
    ]);
    // Later windows carry them too.
    const all = exactList(await send('GET', '/v2/tags?resultLimit=500&detailed=true'), 'tag').items;
    const r = await send('GET', '/v2/tags?resultStart=1&resultLimit=500&detailed=true');
    assert.equal(r.status, 200);
    assert.deepEqual((r.json() as { data: { tag: Item[] } }).data.tag, all.slice(1));
  });
});
