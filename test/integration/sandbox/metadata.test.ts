/**
 * Attributes, tags and security labels over HTTP (rest-api-v2.md section 9): on indicators, groups,
 * victims and tasks, plus the top-level tag and security-label endpoints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { NOT_FOUND, done, failure, item, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call } from '../../helpers/signer.js';

const NOW = '2024-02-03T04:05:06Z';
const NOW_MS = Date.parse(NOW);

type Item = Record<string, unknown>;

/** A whole listing in one answer: `resultCount` is the number of items. */
function list(r: RawResponse, key: string): Item[] {
  const data = success(r);
  const items = data[key];
  assert.ok(Array.isArray(items), `data.${key} is an array`);
  assert.equal(data.resultCount, items.length);
  return items as Item[];
}

/**
 * The four kinds of item that carry metadata; `query` goes after any sub-path. `owner` is the item's
 * owner, whose tags and labels it carries (decisions.md 2.4), as a query for `/v2/tags/...`.
 */
const ITEMS = [
  {
    kind: 'indicator',
    path: '/v2/indicators/hosts/www.badguy_014.com',
    query: '?owner=Example%20Community',
    owner: '?owner=Example%20Community',
  },
  {
    kind: 'indicator (URL by encoded value)',
    path: '/v2/indicators/urls/http%3A%2F%2Fbad.example.com%2Fa%3Fb%3Dc%26d%3De',
    query: '?owner=Example+Community',
    owner: '?owner=Example+Community',
  },
  { kind: 'group', path: '/v2/groups/threats/38', query: '', owner: '?owner=Example%20Community' },
  { kind: 'victim', path: '/v2/victims/10', query: '', owner: '?owner=Example%20Community' },
  { kind: 'task', path: '/v2/tasks/1', query: '', owner: '' },
] as const;
const OWNER_PARAMS: Record<string, string> = {
  '?owner=Example%20Community': 'Example+Community',
  '?owner=Example+Community': 'Example+Community',
  '': 'Example+Org',
};

describe('metadata', () => {
  let sandbox: Sandbox;
  let origin: string;
  before(async () => {
    sandbox = await withSandbox({ clock: () => NOW_MS });
    origin = new URL(sandbox.baseUrl).origin;
  });
  after(async () => {
    await sandbox.close();
  });
  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, {
      timestamp: NOW_MS / 1000,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const get = (path: string) => send('GET', path);

  describe('attributes', () => {
    for (const target of ITEMS) {
      it(`creates, reads, updates and deletes an attribute on a ${target.kind}`, async () => {
        const base = `${target.path}/attributes`;
        const before = list(await get(base + target.query), 'attribute');
        const created = item(
          await send('POST', base + target.query, {
            type: 'Source',
            value: 'Field notes',
            displayed: false,
            source: 'Analyst',
          }),
          'attribute',
          201,
        );
        assert.equal(typeof created.id, 'number');
        assert.deepEqual(created, {
          id: created.id,
          type: 'Source',
          dateAdded: NOW,
          lastModified: NOW,
          displayed: false,
          value: 'Field notes',
          source: 'Analyst',
        });
        const after = list(await get(base + target.query), 'attribute');
        assert.equal(after.length, before.length + 1);
        assert.deepEqual(after.at(-1), created);
        const one = `${base}/${String(created.id)}${target.query}`;
        assert.deepEqual(item(await get(one), 'attribute'), created);
        const updated = item(
          await send('PUT', one, { value: 'Revised notes', displayed: true }),
          'attribute',
        );
        assert.deepEqual(updated, { ...created, value: 'Revised notes', displayed: true });
        failure(await send('PUT', one, { value: '' }), 400, 'This attribute requires a value');
        done(await send('DELETE', one));
        failure(await get(one), 404, NOT_FOUND);
        failure(await send('DELETE', one), 404, NOT_FOUND);
        assert.deepEqual(list(await get(base + target.query), 'attribute'), before);
      });

      it(`rejects attributes without a value or type on a ${target.kind}`, async () => {
        const base = `${target.path}/attributes${target.query}`;
        failure(await send('POST', base, { type: 'Description' }), 400, 'This attribute requires a value');
        failure(
          await send('POST', base, { type: 'Description', value: '' }),
          400,
          'This attribute requires a value',
        );
        failure(await send('POST', base, { value: 'x' }), 400, 'The requested attribute type was not found');
        failure(
          await send('POST', base, { type: 'Description', value: 'x', displayed: 'yes' }),
          400,
          'The displayed for this Attribute is invalid, please enter one of the following values: true, false',
        );
        failure(await send('POST', base, '{"type":'), 400, 'The request was not properly formed');
      });
    }

    it('answers an attribute of another item with 404', async () => {
      const host = list(
        await get('/v2/indicators/hosts/www.badguy_014.com/attributes?owner=Example%20Community'),
        'attribute',
      );
      const id = host[0]?.id;
      assert.equal(typeof id, 'number');
      failure(await get(`/v2/groups/threats/38/attributes/${String(id)}`), 404, NOT_FOUND);
    });

    it("makes a displayed Description the indicator's description, and a displayed Source its source", async () => {
      const host = item(
        await send('POST', '/v2/indicators/hosts', { hostName: 'described.example.net' }),
        'host',
        201,
      );
      assert.equal(host.description, undefined);
      const path = '/v2/indicators/hosts/described.example.net';
      const description = item(
        await send('POST', `${path}/attributes`, {
          type: 'Description',
          value: 'Seen in the wild',
          displayed: true,
        }),
        'attribute',
        201,
      );
      await send('POST', `${path}/attributes`, { type: 'Source', value: 'Honeypot', displayed: true });
      const got = item(await get(path), 'host');
      assert.equal(got.description, 'Seen in the wild');
      assert.equal(got.source, 'Honeypot');
      const listed = list(await get('/v2/indicators?resultLimit=500'), 'indicator').find(
        (i) => i.id === host.id,
      );
      assert.equal(listed?.description, 'Seen in the wild');
      // Not displayed any more: no description.
      item(
        await send('PUT', `${path}/attributes/${String(description.id)}`, { displayed: false }),
        'attribute',
      );
      assert.equal(item(await get(path), 'host').description, undefined);
      // A hidden Description never shows.
      await send('POST', `${path}/attributes`, { type: 'Description', value: 'Hidden', displayed: false });
      assert.equal(item(await get(path), 'host').description, undefined);
      item(
        await send('PUT', `${path}/attributes/${String(description.id)}`, { displayed: true }),
        'attribute',
      );
      assert.equal(item(await get(path), 'host').description, 'Seen in the wild');
      done(await send('DELETE', `${path}/attributes/${String(description.id)}`));
      assert.equal(item(await get(path), 'host').description, undefined);
    });

    it('attaches, lists and removes security labels on an attribute', async () => {
      const path = '/v2/groups/threats/38/attributes';
      const created = item(
        await send('POST', path, { type: 'Description', value: 'Labelled' }),
        'attribute',
        201,
      );
      const labels = `${path}/${String(created.id)}/securityLabels`;
      assert.deepEqual(list(await get(labels), 'securityLabel'), []);
      done(await send('POST', `${labels}/TLP%20Amber`), 201);
      const listed = list(await get(labels), 'securityLabel');
      assert.deepEqual(
        listed.map((l) => l.name),
        ['TLP Amber'],
      );
      assert.deepEqual(item(await get(`${labels}/TLP%20Amber`), 'securityLabel'), listed[0]);
      failure(await get(`${labels}/TLP%20Red`), 404, NOT_FOUND);
      failure(await send('POST', `${labels}/TLP%3AMAGENTA`), 404, NOT_FOUND);
      done(await send('DELETE', `${labels}/TLP%20Amber`));
      assert.deepEqual(list(await get(labels), 'securityLabel'), []);
      failure(await send('DELETE', `${labels}/TLP%20Amber`), 404, NOT_FOUND);
    });
  });

  describe('tags on items', () => {
    ITEMS.forEach((target, k) => {
      it(`attaches (creating unknown tags), lists and removes tags on a ${target.kind}`, async () => {
        const name = `Fresh tag #${k}`;
        const encoded = encodeURIComponent(name);
        const tags = `${target.path}/tags`;
        failure(await get(`/v2/tags/${encoded}${target.owner}`), 404, NOT_FOUND);
        const before = list(await get(tags + target.query), 'tag');
        done(await send('POST', `${tags}/${encoded}${target.query}`), 201);
        // Created in the item's owner, and only there.
        const created = item(await get(`/v2/tags/${encoded}${target.owner}`), 'tag');
        assert.equal(created.name, name);
        assert.equal(
          created.webLink,
          `${origin}/auth/tags/tag.xhtml?tag=${encoded}&owner=${OWNER_PARAMS[target.owner] ?? ''}`,
        );
        failure(await get(`/v2/tags/${encoded}?owner=Common%20Community`), 404, NOT_FOUND);
        const after = list(await get(tags + target.query), 'tag');
        assert.deepEqual(after, [...before, created]);
        assert.deepEqual(item(await get(`${tags}/${encoded}${target.query}`), 'tag'), created);
        // Attaching twice keeps one link.
        done(await send('POST', `${tags}/${encoded}${target.query}`), 201);
        assert.equal(list(await get(tags + target.query), 'tag').length, after.length);
        done(await send('DELETE', `${tags}/${encoded}${target.query}`));
        assert.deepEqual(list(await get(tags + target.query), 'tag'), before);
        failure(await send('DELETE', `${tags}/${encoded}${target.query}`), 404, NOT_FOUND);
        failure(await get(`${tags}/${encoded}${target.query}`), 404, NOT_FOUND);
        // The tag itself stays.
        assert.equal(item(await get(`/v2/tags/${encoded}${target.owner}`), 'tag').name, name);
      });
    });

    it('accepts a tag of 128 characters and refuses 129 with 400', async () => {
      const ok = 'T'.repeat(128);
      done(await send('POST', `/v2/groups/threats/38/tags/${ok}`), 201);
      failure(
        await send('POST', `/v2/groups/threats/38/tags/${'T'.repeat(129)}`),
        400,
        'The name for this Tag is invalid, a tag may have at most 128 characters',
      );
      failure(await get(`/v2/tags/${'T'.repeat(129)}`), 404, NOT_FOUND);
    });

    it('takes reserved characters in tag names', async () => {
      const name = 'APT/28 & co+x~y';
      done(await send('POST', `/v2/groups/threats/38/tags/${encodeURIComponent(name)}`), 201);
      assert.ok(list(await get('/v2/groups/threats/38/tags'), 'tag').some((t) => t.name === name));
      const pivot = list(
        await get(`/v2/tags/${encodeURIComponent(name)}/groups?owner=Example%20Community`),
        'group',
      );
      assert.deepEqual(
        pivot.map((g) => g.id),
        [38],
      );
    });

    it('answers tags of an unknown item with 404', async () => {
      failure(await get('/v2/groups/threats/999999/tags'), 404, NOT_FOUND);
      failure(await send('POST', '/v2/indicators/hosts/nowhere.example.net/tags/APT'), 404, NOT_FOUND);
    });
  });

  describe('top-level tags', () => {
    it('lists every tag with pagination and resultCount', async () => {
      const fresh = await withSandbox();
      try {
        const sample = sampleData(0);
        const r = await call(fresh, 'GET', '/v2/tags?resultLimit=500');
        const tags = list(r, 'tag');
        // The default org's tags only.
        const own = sample.tags.filter((t) => t.ownerName === 'Example Org');
        assert.deepEqual(
          tags.map((t) => t.name),
          own.map((t) => t.name),
        );
        for (const owner of ['Example Org', 'Example Community', 'Common Community']) {
          const listed = list(
            await call(fresh, 'GET', `/v2/tags?owner=${encodeURIComponent(owner)}&resultLimit=500`),
            'tag',
          );
          assert.deepEqual(
            listed.map((t) => t.name),
            sample.tags.filter((t) => t.ownerName === owner).map((t) => t.name),
          );
          for (const t of listed) assert.ok(String(t.webLink).endsWith(`&owner=${owner.replace(/ /g, '+')}`));
        }
        // Descriptions only with detailed=true (rest-api-v2.md 9); tag-listing-detail.test.ts has the rest.
        assert.ok(tags.every((t) => !('description' in t)));
        const detailed = list(await call(fresh, 'GET', '/v2/tags?resultLimit=500&detailed=true'), 'tag');
        const apt = detailed.find((t) => t.name === 'APT');
        assert.equal(apt?.description, 'Advanced persistent threat activity.');
        const second = success(await call(fresh, 'GET', '/v2/tags?resultStart=2&resultLimit=3'));
        assert.deepEqual(Object.keys(second), ['tag']);
        assert.deepEqual(
          (second.tag as Item[]).map((t) => t.name),
          own.slice(2, 5).map((t) => t.name),
        );
      } finally {
        await fresh.close();
      }
    });

    it('gets one tag by name', async () => {
      const apt = item(await get('/v2/tags/APT'), 'tag');
      assert.deepEqual(apt, {
        name: 'APT',
        webLink: `${origin}/auth/tags/tag.xhtml?tag=APT&owner=Example+Org`,
        description: 'Advanced persistent threat activity.',
      });
      failure(await get('/v2/tags/apt%20nope'), 404, NOT_FOUND);
      // EXAMPLE is Example Community's only.
      failure(await get('/v2/tags/EXAMPLE'), 404, NOT_FOUND);
      assert.equal(
        item(await get('/v2/tags/EXAMPLE?owner=Example%20Community'), 'tag').webLink,
        `${origin}/auth/tags/tag.xhtml?tag=EXAMPLE&owner=Example+Community`,
      );
    });

    it('creates a tag with POST /v2/tags', async () => {
      const created = item(
        await send('POST', '/v2/tags', { name: 'Made by POST', description: 'New.' }),
        'tag',
        201,
      );
      assert.deepEqual(created, {
        name: 'Made by POST',
        webLink: `${origin}/auth/tags/tag.xhtml?tag=Made%20by%20POST&owner=Example+Org`,
        description: 'New.',
      });
      assert.deepEqual(item(await get('/v2/tags/Made%20by%20POST'), 'tag'), created);
      failure(
        await send('POST', '/v2/tags', { description: 'no name' }),
        400,
        'The name for this Tag is invalid',
      );
      failure(
        await send('POST', '/v2/tags', { name: 'x'.repeat(129) }),
        400,
        'The name for this Tag is invalid, a tag may have at most 128 characters',
      );
    });

    it('renames a tag with PUT; the items carry the new name', async () => {
      // Threat 38 is Example Community's, so its tags are too.
      const ec = '?owner=Example%20Community';
      done(await send('POST', '/v2/groups/threats/38/tags/Old%20Name'), 201);
      failure(await send('PUT', '/v2/tags/Old%20Name', { name: 'Other' }), 404, NOT_FOUND);
      const renamed = item(
        await send('PUT', `/v2/tags/Old%20Name${ec}`, { name: 'New Name', description: 'Renamed.' }),
        'tag',
      );
      assert.equal(renamed.name, 'New Name');
      assert.equal(renamed.description, 'Renamed.');
      failure(await get(`/v2/tags/Old%20Name${ec}`), 404, NOT_FOUND);
      const names = list(await get('/v2/groups/threats/38/tags'), 'tag').map((t) => t.name);
      assert.ok(names.includes('New Name'));
      assert.ok(!names.includes('Old Name'));
      failure(
        await send('PUT', `/v2/tags/New%20Name${ec}`, { name: 'APT' }),
        400,
        'The name for this Tag is invalid, a Tag with this name already exists',
      );
      failure(await send('PUT', `/v2/tags/Nope%20Nope${ec}`, { name: 'X' }), 404, NOT_FOUND);
    });

    it('deletes a tag and removes it from every item', async () => {
      const ec = '?owner=Example%20Community';
      done(await send('POST', '/v2/groups/threats/38/tags/Doomed'), 201);
      done(await send('POST', '/v2/victims/10/tags/Doomed'), 201);
      // Another owner's tag of the same name is another tag, and stays.
      done(await send('POST', '/v2/tasks/1/tags/Doomed'), 201);
      done(await send('DELETE', `/v2/tags/Doomed${ec}`));
      failure(await get(`/v2/tags/Doomed${ec}`), 404, NOT_FOUND);
      assert.ok(!list(await get('/v2/groups/threats/38/tags'), 'tag').some((t) => t.name === 'Doomed'));
      assert.ok(!list(await get('/v2/victims/10/tags'), 'tag').some((t) => t.name === 'Doomed'));
      failure(await get(`/v2/tags/Doomed/groups${ec}`), 404, NOT_FOUND);
      failure(await send('DELETE', `/v2/tags/Doomed${ec}`), 404, NOT_FOUND);
      assert.ok(list(await get('/v2/tasks/1/tags'), 'tag').some((t) => t.name === 'Doomed'));
      assert.equal(item(await get('/v2/tags/Doomed'), 'tag').name, 'Doomed');
    });
  });

  describe('security labels', () => {
    it('lists the labels and gets one by name', async () => {
      const sample = sampleData(0);
      for (const query of ['', '?owner=Example%20Community', '?owner=Common%20Community']) {
        const labels = list(await get(`/v2/securityLabels${query}`), 'securityLabel');
        const owner = query === '' ? 'Example Org' : decodeURIComponent(query.slice('?owner='.length));
        assert.deepEqual(
          labels,
          sample.securityLabels
            .filter((l) => l.ownerName === owner)
            .map((l) => {
              const { ownerName, ...wire } = l;
              assert.equal(ownerName, owner);
              return wire;
            }),
        );
        // A label is name, description and dateAdded (rest-api-v2.md 9); no color, which only batch
        // input and the java model carry.
        for (const l of labels) assert.deepEqual(Object.keys(l), ['name', 'description', 'dateAdded']);
        // Both spellings, in every owner.
        assert.deepEqual(
          labels.map((l) => l.name),
          [
            'TLP Amber',
            'TLP Green',
            'TLP Red',
            'TLP White',
            'TLP:AMBER',
            'TLP:AMBER+STRICT',
            'TLP:CLEAR',
            'TLP:GREEN',
            'TLP:RED',
            'TLP:WHITE',
          ],
        );
        const red = item(await get(`/v2/securityLabels/TLP%20Red${query}`), 'securityLabel');
        assert.deepEqual(
          red,
          labels.find((l) => l.name === 'TLP Red'),
        );
        const strict = item(await get(`/v2/securityLabels/TLP%3AAMBER%2BSTRICT${query}`), 'securityLabel');
        assert.equal(strict.name, 'TLP:AMBER+STRICT');
        assert.equal(
          item(await get(`/v2/securityLabels/TLP%3ARED${query}`), 'securityLabel').name,
          'TLP:RED',
        );
      }
      failure(await get('/v2/securityLabels/TLP%3AMAGENTA'), 404, NOT_FOUND);
      // A '+' in a path segment is a plus, not a space.
      failure(await get('/v2/securityLabels/TLP%3AAMBER%20STRICT'), 404, NOT_FOUND);
    });

    for (const target of ITEMS) {
      it(`attaches an existing label to a ${target.kind}, refuses an unknown one, and removes it`, async () => {
        const labels = `${target.path}/securityLabels`;
        const before = list(await get(labels + target.query), 'securityLabel');
        const name = before.some((l) => l.name === 'TLP White') ? 'TLP Green' : 'TLP White';
        const encoded = encodeURIComponent(name);
        done(await send('POST', `${labels}/${encoded}${target.query}`), 201);
        const after = list(await get(labels + target.query), 'securityLabel');
        assert.equal(after.length, before.length + 1);
        const attached = item(await get(`${labels}/${encoded}${target.query}`), 'securityLabel');
        assert.equal(attached.name, name);
        failure(await send('POST', `${labels}/TLP%3AMAGENTA${target.query}`), 404, NOT_FOUND);
        assert.equal(
          list(await get('/v2/securityLabels'), 'securityLabel').some((l) => l.name === 'TLP:MAGENTA'),
          false,
        );
        done(await send('DELETE', `${labels}/${encoded}${target.query}`));
        assert.deepEqual(list(await get(labels + target.query), 'securityLabel'), before);
        failure(await send('DELETE', `${labels}/${encoded}${target.query}`), 404, NOT_FOUND);
      });
    }

    it('deletes a label and removes it from every item', async () => {
      const fresh = await withSandbox();
      try {
        const ec = '?owner=Example%20Community';
        const r = await call(fresh, 'DELETE', `/v2/securityLabels/TLP%20Red${ec}`);
        done(r);
        failure(await call(fresh, 'GET', `/v2/securityLabels/TLP%20Red${ec}`), 404, NOT_FOUND);
        failure(await call(fresh, 'GET', `/v2/securityLabels/TLP%20Red/indicators${ec}`), 404, NOT_FOUND);
        // The other owners' TLP Red stays.
        assert.equal(
          item(await call(fresh, 'GET', '/v2/securityLabels/TLP%20Red'), 'securityLabel').name,
          'TLP Red',
        );
        const labels = list(
          await call(
            fresh,
            'GET',
            '/v2/indicators/hosts/pool00.badguy.example.com/securityLabels?owner=Example%20Community',
          ),
          'securityLabel',
        );
        assert.ok(!labels.some((l) => l.name === 'TLP Red'));
      } finally {
        await fresh.close();
      }
    });
  });
});
