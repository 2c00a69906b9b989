/**
 * `includes` on listings and single items (rest-api-v2.md 4.1: `includeTags=true`,
 * `includeAttributes=true`, "also `includes=tags|attributes|labels`"): every value of a repeated
 * `includes` counts, as does a comma-separated list, and `labels` embeds each item's
 * `securityLabel[]`. Expected names come from the sample data, not from the sandbox.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleData } from '../../../src/sandbox/index.js';
import { item, success } from '../../helpers/api.js';
import { call, useSandboxClient } from '../../helpers/sandbox.js';

const N = 200;
const data = sampleData(N);

type Item = Record<string, unknown>;
const names = (list: unknown): string[] =>
  ((list ?? []) as Item[]).map((entry) => String(entry.name)).sort((a, b) => a.localeCompare(b));
const sorted = (list: readonly string[]): string[] => [...list].sort((a, b) => a.localeCompare(b));

describe('sandbox: includes=tags|attributes|labels, repeated or comma-separated', () => {
  const fixture = useSandboxClient({ sandbox: { seedIndicators: N } });
  const { get } = fixture;

  const labelled = data.indicators.find(
    (i) => i.active && i.securityLabels.length > 0 && i.tags.length > 0 && i.type === 'Host',
  );

  it('embeds the security labels of listed indicators with includes=labels', async () => {
    assert.ok(labelled, 'the sample data has an active host with labels and tags');
    const owner = encodeURIComponent(labelled.ownerName);
    for (const [path, key] of [
      [`/v2/indicators?owner=${owner}`, 'indicator'],
      [`/v2/indicators/hosts?owner=${owner}`, 'host'],
    ] as const) {
      const listed = success(await get(`${path}&resultLimit=500&includes=labels`))[key] as Item[];
      const got: Item | undefined = listed.find((i) => i.id === labelled.id);
      assert.ok(got, path);
      assert.deepEqual(names(got.securityLabel), sorted(labelled.securityLabels), path);
      assert.equal('tag' in got || 'attribute' in got, false, 'labels only');
      for (const other of listed) assert.ok(Array.isArray(other.securityLabel), `${path}: every item`);
    }
    const plain = success(await get(`/v2/indicators?owner=${owner}&resultLimit=5`)).indicator as Item[];
    for (const i of plain) assert.equal('securityLabel' in i, false);
  });

  it('takes every value of a repeated includes, and comma-separated lists, on single items too', async () => {
    assert.ok(labelled);
    const path = `/v2/indicators/hosts/${encodeURIComponent(labelled.summary)}?owner=${encodeURIComponent(labelled.ownerName)}`;
    for (const query of [
      '&includes=tags&includes=labels&includes=attributes',
      '&includes=tags,labels,attributes',
      '&includes=tags&includes=labels,attributes',
      '&includeTags=true&includeAttributes=true&includes=labels',
    ]) {
      const host = item(await get(`${path}${query}`), 'host');
      assert.deepEqual(names(host.tag), sorted(labelled.tags), query);
      assert.deepEqual(names(host.securityLabel), sorted(labelled.securityLabels), query);
      assert.equal(
        ((host.attribute ?? []) as Item[]).length,
        labelled.attributes.length,
        `${query}: attributes`,
      );
    }
    const second = item(await get(`${path}&includes=additional&includes=tags`), 'host');
    assert.deepEqual([second.active, names(second.tag)], [true, sorted(labelled.tags)]);
  });

  it('embeds the labels of groups, victims and tasks', async () => {
    const group = data.groups.find((g) => g.securityLabels.length > 0);
    assert.ok(group, 'the sample data has a labelled group');
    const groups = success(
      await get(`/v2/groups?owner=${encodeURIComponent(group.ownerName)}&resultLimit=500&includes=labels`),
    ).group as Item[];
    assert.deepEqual(
      names(groups.find((g) => g.id === group.id)?.securityLabel),
      sorted(group.securityLabels),
    );
    // No sample victim or task has a label: one of each gets one first, of its owner's built-in labels.
    for (const [listing, key, records] of [
      ['/v2/victims', 'victim', data.victims],
      ['/v2/tasks', 'task', data.tasks],
    ] as const) {
      const record = (records as readonly { id: number; ownerName: string }[]).find(
        (r) => r.ownerName === 'Example Org',
      );
      assert.ok(record, `${listing}: a record of the default org`);
      const label = await call(fixture.sandbox, 'POST', `${listing}/${record.id}/securityLabels/TLP%20Green`);
      assert.ok(label.status === 200 || label.status === 201, label.text);
      const listed = success(await get(`${listing}?resultLimit=500&includes=labels`))[key] as Item[];
      assert.ok(listed.length > 1, listing);
      for (const got of listed) {
        assert.ok(Array.isArray(got.securityLabel), `${listing} ${String(got.id)}: securityLabel[]`);
        assert.deepEqual(names(got.securityLabel), got.id === record.id ? ['TLP Green'] : [], String(got.id));
      }
      const single = item(await get(`${listing}/${record.id}?includes=labels`), key);
      assert.deepEqual(names(single.securityLabel), ['TLP Green'], `${listing}/${record.id}`);
      const plain = success(await get(`${listing}?resultLimit=500`))[key] as Item[];
      for (const got of plain) assert.equal('securityLabel' in got, false);
    }
  });
});
