/**
 * Pagination on every list (issue: sandbox, item 8), including the short ones the SDK reads in one
 * call: an item's tags, labels and attributes, victim assets, task assignees, members, indicator types.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { call } from '../../helpers/signer.js';

const LISTS: [string, string][] = [
  ['/v2/indicators/hosts/www.badguy_014.com/tags?owner=Example%20Community', 'tag'],
  ['/v2/indicators/hosts/www.badguy_014.com/attributes?owner=Example%20Community', 'attribute'],
  [
    '/v2/indicators/hosts/pool00.badguy.example.com/securityLabels?owner=Example%20Community',
    'securityLabel',
  ],
  ['/v2/victims/10/victimAssets', 'victimAsset'],
  ['/v2/types/indicatorTypes', 'indicatorType'],
  ['/v2/owners/mine/members', 'user'],
];

describe('short lists honour resultStart/resultLimit', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  for (const [path, key] of LISTS) {
    it(`${path} pages and refuses a resultLimit over the maximum`, async () => {
      const all = await call(sandbox, 'GET', path);
      assert.equal(all.status, 200, all.text);
      const data = (all.json() as { data: Record<string, unknown> }).data;
      const items = data[key] as unknown[];
      assert.ok(items.length >= 1, `${path} has items`);
      assert.equal(data.resultCount, items.length);
      const sep = path.includes('?') ? '&' : '?';
      const first = await call(sandbox, 'GET', `${path}${sep}resultStart=0&resultLimit=1`);
      assert.deepEqual((first.json() as { data: Record<string, unknown> }).data[key], items.slice(0, 1));
      const tooMany = await call(sandbox, 'GET', `${path}${sep}resultLimit=501`);
      assert.equal(tooMany.status, 400);
      assert.deepEqual(tooMany.json(), {
        status: 'Failure',
        message:
          'The resultStart and resultLimit query parameters must be integers and the maximum value for resultLimit is 500',
      });
    });
  }
});
