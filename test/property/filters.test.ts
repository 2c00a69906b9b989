/**
 * The filter algebra as properties (sdk-behaviour.md 3.6, decisions.md 1.7): random containers, filter
 * objects of random API filters (tags, labels, group, victim and task ids, indicators, ids), owners,
 * post filters with every operator, and AND/OR between filter objects, retrieved or streamed at a random
 * concurrency over small pages, give exactly the ids of a direct evaluation over the same sample data
 * (the oracle), in first-seen order, once each. A retrieval repeated on the same container keeps its
 * instances. One sandbox; a bounded number of runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ThreatConnect } from '../../src/index.js';
import { type Sandbox, type SampleGroupType, sampleData } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { withSandbox } from '../helpers/sandbox.js';
import {
  type ApiFilterModel,
  type ContainerModel,
  type FilterModel,
  FilterOracle,
  GROUP_ID_TYPES,
  type GroupIdFilter,
  type Operator,
  type PostFilterModel,
} from '../integration/resources/oracle.js';
import { applyModels, containerOf } from '../integration/resources/support.js';

const SEED = 300;
const RUNS = Number(process.env.FILTER_PROPERTY_RUNS ?? 50);
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];
const OPERATORS: readonly Operator[] = ['EQ', 'NE', 'GT', 'GE', 'LT', 'LE'];

const data = sampleData(SEED);

// ---- value pools, from the sample data (plus values that find nothing) ----

const TAGS = [...new Set(data.tags.map((t) => t.name)), 'NoSuchTag'];
const LABELS = ['TLP Red', 'TLP Green', 'TLP Amber', 'TLP White', 'TLP:RED'];
const groupIds = (type: SampleGroupType) => {
  const all = data.groups.filter((g) => g.type === type).map((g) => g.id);
  // Fixed ones and a few generated, plus a missing id.
  return [...all.filter((id) => id < 1_000_000), ...all.filter((id) => id >= 1_000_000).slice(0, 4), 999_999];
};
const VICTIM_IDS = [...data.victims.map((v) => v.id), 999];
const TASK_IDS = [...data.tasks.map((t) => t.id), 999];
/** Values whose type any detector agrees on: dotted IPv4, plain host names, e-mail addresses. */
const INDICATORS: readonly (readonly [string, 'Address' | 'Host' | 'EmailAddress'])[] = [
  ...new Map(
    data.indicators
      .filter(
        (i) =>
          (i.type === 'Address' && /^\d+\.\d+\.\d+\.\d+$/.test(i.summary)) ||
          (i.type === 'Host' && /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/.test(i.summary)) ||
          (i.type === 'EmailAddress' && /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(i.summary)),
      )
      .filter((i) => i.id < 1_000_000 || i.groupIds.length + i.victimIds.length + i.taskIds.length > 0)
      .slice(0, 40)
      .map((i) => [i.summary, i.type as 'Address' | 'Host' | 'EmailAddress'] as const),
  ),
];
const GROUP_NAMES = [...new Set(data.groups.map((g) => g.name))].slice(0, 30);
const VICTIM_NAMES = data.victims.map((v) => v.name);
const TASK_NAMES = data.tasks.map((t) => t.name);
const DATES = [
  '2015-06-01T00:00:00Z',
  '2015-06-18T20:21:45-05:00',
  '2015-06-19T01:21:45Z',
  '2022-01-01T00:00:00+02:00',
  '2023-06-30T12:00:00Z',
];

// ---- arbitraries ----

const op = fc.constantFrom(...OPERATORS);
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

const CONTAINERS: readonly ContainerModel[] = [
  { kind: 'indicators' },
  { kind: 'typedIndicators', type: 'Host' },
  { kind: 'typedIndicators', type: 'Address' },
  { kind: 'groupType', type: 'Adversary' },
  { kind: 'groupType', type: 'Threat' },
  { kind: 'groupType', type: 'Signature' },
  { kind: 'groups' },
  { kind: 'victims' },
  { kind: 'tasks' },
  { kind: 'owners' },
];

function groupIdFilter(name: GroupIdFilter): fc.Arbitrary<ApiFilterModel> {
  return pick(groupIds(GROUP_ID_TYPES[name])).map((id) => [name, id] as const);
}

/** The API filters of a container (sdk-behaviour.md 3.3), as arbitraries. */
function apiFilters(c: ContainerModel): fc.Arbitrary<ApiFilterModel>[] {
  const tag = pick(TAGS).map((t) => ['addTag', t] as const);
  const label = pick(LABELS).map((l) => ['addSecurityLabel', l] as const);
  const indicator = pick(INDICATORS).map(([v, t]) => ['addIndicator', v, t] as const);
  const task = pick(TASK_IDS).map((id) => ['addTaskId', id] as const);
  const victim = pick(VICTIM_IDS).map((id) => ['addVictimId', id] as const);
  const groups = (names: GroupIdFilter[]) => names.map(groupIdFilter);
  const allGroups: GroupIdFilter[] = Object.keys(GROUP_ID_TYPES) as GroupIdFilter[];
  switch (c.kind) {
    case 'indicators':
      return [...groups(allGroups.filter((n) => n !== 'addDocumentId')), tag, label, indicator, task, victim];
    case 'typedIndicators':
      return [
        ...groups(allGroups.filter((n) => n !== 'addSignatureId')),
        tag,
        label,
        indicator,
        task,
        victim,
      ];
    case 'groupType':
      return [
        ...groups(allGroups),
        tag,
        label,
        indicator,
        task,
        victim,
        pick([...groupIds(c.type), ...groupIds('Campaign').slice(0, 1)]).map((id) => ['addId', id] as const),
      ];
    case 'groups':
      return [...groups(allGroups), tag, label, indicator, task, victim];
    case 'victims':
      return [
        ...groups(allGroups),
        tag,
        label,
        indicator,
        task,
        pick(VICTIM_IDS).map((id) => ['addId', id] as const),
      ];
    case 'tasks':
      return [
        ...groups(allGroups),
        tag,
        label,
        indicator,
        victim,
        pick(TASK_IDS).map((id) => ['addId', id] as const),
      ];
    case 'owners':
      return [pick([1, 2, 3, 99]).map((id) => ['addId', id] as const), indicator];
  }
}

const text = (
  name: 'addPfName' | 'addPfType' | 'addPfFileType' | 'addPfTag' | 'addPfAttribute',
  values: readonly string[],
) => fc.record({ name: fc.constant(name), value: pick(values), op }) as fc.Arbitrary<PostFilterModel>;
const date = (name: 'addPfDateAdded' | 'addPfLastModified') =>
  fc.record({ name: fc.constant(name), value: pick(DATES), op }) as fc.Arbitrary<PostFilterModel>;
const number = (
  name: 'addPfConfidence' | 'addPfRating' | 'addPfThreatAssessConfidence' | 'addPfThreatAssessRating',
  values: readonly number[],
) => fc.record({ name: fc.constant(name), value: pick(values), op }) as fc.Arbitrary<PostFilterModel>;

/** The post filters of a container (sdk-behaviour.md 3.3), as arbitraries. */
function postFilters(c: ContainerModel): fc.Arbitrary<PostFilterModel>[] {
  const attributes = ['Description', 'Source', 'Additional Analysis and Context', 'Nope'];
  switch (c.kind) {
    case 'indicators':
    case 'typedIndicators':
      return [
        text('addPfAttribute', attributes),
        number('addPfConfidence', [0, 14, 50, 90, 100]),
        date('addPfDateAdded'),
        date('addPfLastModified'),
        number('addPfRating', [0, 1, 2.5, 3, 5]),
        text('addPfTag', TAGS),
        number('addPfThreatAssessConfidence', [0, 50]),
        number('addPfThreatAssessRating', [0, 3]),
        text('addPfType', ['Address', 'Host', 'File', 'URL', 'EmailAddress', 'ASN']),
      ];
    case 'groupType':
      return [
        text('addPfName', GROUP_NAMES),
        date('addPfDateAdded'),
        text('addPfFileType', ['YARA', 'Bro', 'Snort']),
      ];
    case 'groups':
      return [
        text('addPfName', GROUP_NAMES),
        date('addPfDateAdded'),
        text('addPfType', ['Adversary', 'Threat', 'Incident', 'Email']),
      ];
    case 'victims':
      return [
        text('addPfAttribute', attributes),
        date('addPfDateAdded'),
        text('addPfName', VICTIM_NAMES),
        text('addPfType', ['Victim', 'Task']),
      ];
    case 'tasks':
      return [text('addPfAttribute', attributes), text('addPfName', TASK_NAMES), date('addPfDateAdded')];
    case 'owners':
      return [text('addPfName', OWNERS), text('addPfType', ['Organization', 'Community'])];
  }
}

function filterModel(c: ContainerModel): fc.Arbitrary<FilterModel> {
  return fc.record({
    owners: fc.shuffledSubarray(OWNERS, { minLength: 0, maxLength: 2 }),
    api: fc.array(fc.oneof(...apiFilters(c)), { maxLength: 3 }),
    post: fc.array(fc.oneof(...postFilters(c)), { maxLength: 2 }),
    operator: fc.constantFrom('and' as const, 'or' as const),
  });
}

const scenario = pick(CONTAINERS).chain((container) =>
  fc.record({
    container: fc.constant(container),
    filters: fc.array(filterModel(container), { minLength: 1, maxLength: 3 }),
    mode: fc.constantFrom('retrieve' as const, 'stream' as const),
    concurrency: fc.integer({ min: 1, max: 4 }),
    again: fc.boolean(),
  }),
);

describe('filter algebra: unions, intersections, owners and post filters against a direct evaluation', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  const oracle = new FilterOracle(data);

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
    tc = clientFor(sandbox, { apiResultLimit: 20 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  it(`${RUNS} random retrievals give the oracle's ids, in first-seen order, once each`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ container: model, filters, mode, concurrency, again }) => {
        const expected = oracle.retrieve(model, filters);
        const container = containerOf(tc, model);
        applyModels(container, model, filters);
        let got: number[];
        if (mode === 'retrieve') {
          await container.retrieve({ concurrency });
          got = [...container].map((x) => x.id);
        } else {
          got = [];
          for await (const x of container.stream({ concurrency })) got.push(x.id);
        }
        assert.equal(new Set(got).size, got.length, 'no duplicates');
        assert.deepEqual(got, expected);
        if (mode === 'retrieve' && again) {
          // The same filter objects again: nothing new, the same instances.
          const instances = [...container];
          applyModels(container, model, filters);
          await container.retrieve({ concurrency });
          const after = [...container];
          assert.equal(after.length, instances.length);
          assert.ok(after.every((x, i) => x === instances[i]));
        }
      }),
      { numRuns: RUNS },
    );
    // How many of this run's scenarios find anything varies with its seed (about a third do); the
    // generators are checked on a fixed sample below.
  });

  it('the scenarios reach non-empty results often enough to mean something (a fixed sample)', () => {
    // Deterministic: a fixed seed. (Counting the random runs above failed about one run in fifty.)
    const samples = fc.sample(scenario, { numRuns: 1000, seed: 20261202 });
    const found = samples.filter((s) => oracle.retrieve(s.container, s.filters).length > 0).length;
    assert.ok(found >= 250, `${found} of 1000 scenarios have results`);
  });
});
