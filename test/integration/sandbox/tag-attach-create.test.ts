/**
 * Attaching an unknown tag from its own side creates it (rest-api-v2.md 9: "Attaching an unknown tag
 * creates it"; 13.5: "Unknown tags are created on attach"), in the owner the request names (else the
 * default org), and only when the attach itself is accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type Item, NOT_FOUND, done, exactList, failure, item, success } from '../../helpers/api.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const EC = 'owner=Example%20Community';

describe('sandbox: attaching an unknown tag from its own side', () => {
  let sandbox: Sandbox;
  let link: (name: string, owner: string) => string;
  /** Items of the default org, and a threat of Example Community. */
  let threat: number;
  let victim: number;
  let task: number;
  let communityThreat: number;
  before(async () => {
    sandbox = await withSandbox();
    const origin = new URL(sandbox.baseUrl).origin;
    link = (name, owner) => `${origin}/auth/tags/tag.xhtml?tag=${encodeURIComponent(name)}&owner=${owner}`;
    const created = async (path: string, body: unknown): Promise<number> =>
      (Object.values(success(await send('POST', path, body), 201))[0] as Item).id;
    threat = await created('/v2/groups/threats', { name: 'Tag side threat' });
    victim = await created('/v2/victims', { name: 'Tag side victim' });
    task = await created('/v2/tasks', { name: 'Tag side task' });
    await created('/v2/indicators/hosts', { hostName: 'tag-side.example.com' });
    communityThreat = await created(`/v2/groups/threats?${EC}`, { name: 'Community threat' });
  });
  after(async () => {
    await sandbox.close();
  });

  const send = (method: string, path: string, body?: unknown) =>
    call(sandbox, method, path, body === undefined ? {} : { body: JSON.stringify(body) });
  const names = async (path: string): Promise<string[]> =>
    exactList(await send('GET', path), 'tag').items.map((t) => t.name as string);

  it('creates the tag in the default org and attaches it, to each kind of item', async () => {
    failure(await send('GET', '/v2/tags/Brand%20New'), 404, NOT_FOUND);
    done(await send('POST', `/v2/tags/Brand%20New/groups/threats/${threat}`), 201);
    assert.deepEqual(item(await send('GET', '/v2/tags/Brand%20New'), 'tag'), {
      name: 'Brand New',
      webLink: link('Brand New', 'Example+Org'),
    });
    assert.ok((await names(`/v2/groups/threats/${threat}/tags`)).includes('Brand New'));
    const cases: [string, string, string][] = [
      ['Fresh Victim Tag', `victims/${victim}`, `/v2/victims/${victim}/tags`],
      ['Fresh Task Tag', `tasks/${task}`, `/v2/tasks/${task}/tags`],
      [
        'Fresh Host Tag',
        'indicators/hosts/tag-side.example.com',
        '/v2/indicators/hosts/tag-side.example.com/tags',
      ],
    ];
    for (const [name, target, tags] of cases) {
      done(await send('POST', `/v2/tags/${encodeURIComponent(name)}/${target}`), 201);
      assert.ok((await names(tags)).includes(name), name);
    }
    assert.deepEqual(
      exactList(await send('GET', '/v2/tags/Fresh%20Host%20Tag/indicators'), 'indicator').items.map(
        (i) => i.summary,
      ),
      ['tag-side.example.com'],
    );
    // A second attach finds it: one tag.
    done(await send('POST', `/v2/tags/Brand%20New/tasks/${task}`), 201);
    assert.equal((await names('/v2/tags?resultLimit=500')).filter((n) => n === 'Brand New').length, 1);
  });

  it('creates it in the owner named, where the item is', async () => {
    done(await send('POST', `/v2/tags/Community%20Made/groups/threats/${communityThreat}?${EC}`), 201);
    assert.deepEqual(item(await send('GET', `/v2/tags/Community%20Made?${EC}`), 'tag'), {
      name: 'Community Made',
      webLink: link('Community Made', 'Example+Community'),
    });
    failure(await send('GET', '/v2/tags/Community%20Made'), 404, NOT_FOUND);
  });

  it('creates nothing when the attach is refused', async () => {
    const refused: [string, string, number, string][] = [
      // Another owner's item (docs/decisions.md 27).
      [
        'POST',
        `/v2/tags/Other%20Owner/groups/threats/${communityThreat}`,
        400,
        'The owners of the requested objects were different',
      ],
      ['POST', '/v2/tags/Missing%20Item/groups/threats/999999', 404, NOT_FOUND],
      ['POST', '/v2/tags/Missing%20Item/indicators/hosts/nowhere.example.com', 404, NOT_FOUND],
      ['POST', `/v2/tags/Bad%20Kind/groups/nope/${threat}`, 404, NOT_FOUND],
      ['POST', '/v2/tags/No%20Item/groups/threats', 404, NOT_FOUND],
      ['POST', '/v2/tags/No%20Item/groups', 404, NOT_FOUND],
      ['POST', `/v2/tags/No%20Item/attributes`, 404, NOT_FOUND],
      ['GET', `/v2/tags/Not%20Made/groups/threats/${threat}`, 404, NOT_FOUND],
      ['DELETE', `/v2/tags/Not%20Made/groups/threats/${threat}`, 404, NOT_FOUND],
      ['GET', '/v2/tags/Not%20Made/groups', 404, NOT_FOUND],
      [
        'POST',
        `/v2/tags/${'x'.repeat(129)}/groups/threats/${threat}`,
        400,
        'The name for this Tag is invalid, a tag may have at most 128 characters',
      ],
      [
        'POST',
        `/v2/tags/bad%01tag/groups/threats/${threat}`,
        400,
        'The name for this Tag is invalid, it may not contain control characters',
      ],
      ['POST', `/v2/tags/%20%20/groups/threats/${threat}`, 400, 'The name for this Tag is invalid'],
      [
        'POST',
        `/v2/tags/Unknown%20Owner/groups/threats/${threat}?owner=Nobody`,
        403,
        'The requested owner was not found',
      ],
    ];
    for (const [method, path, status, message] of refused) {
      failure(await send(method, path), status, message);
    }
    for (const name of [
      'Other Owner',
      'Missing Item',
      'Bad Kind',
      'No Item',
      'Not Made',
      'x'.repeat(129),
      '  ',
    ]) {
      failure(await send('GET', `/v2/tags/${encodeURIComponent(name)}`), 404, NOT_FOUND);
    }
    assert.ok(!(await names(`/v2/tags?${EC}&resultLimit=500`)).includes('Other Owner'));
    // Labels are still never created on attach (rest-api-v2.md 9).
    failure(await send('POST', `/v2/securityLabels/TLP%3AMAGENTA/groups/threats/${threat}`), 404, NOT_FOUND);
  });
});
