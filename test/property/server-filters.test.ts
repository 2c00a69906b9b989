/**
 * Server-side `filters=` against the client-side path, as properties (rest-api-v2.md 4.2):
 *
 * 1. The sandbox: random expressions (fields, operators raw or percent-encoded, values from the sample
 *    data), ANDed or with `orParams`, read in random windows, give exactly the items of the unfiltered
 *    listing that the SDK's post filters (or, for fields without one, the spec's comparison) keep, with
 *    `resultCount` the filtered total.
 * 2. The SDK: random filter objects with post filters give the same ids with `serverFilters: true` as
 *    without, and as the oracle; the traffic (unfiltered results) never grows and often shrinks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type FilterableObject, createPostFilter } from '../../src/filters/post-filters.js';
import { type Sandbox, sampleData } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { withSandbox } from '../helpers/sandbox.js';
import { call } from '../helpers/signer.js';
import {
  type ContainerModel,
  FilterOracle,
  type Operator,
  type PostFilterModel,
} from '../integration/resources/oracle.js';
import { applyModels, containerOf } from '../integration/resources/support.js';

const SEED = 300;
const RUNS = Number(process.env.FILTER_PROPERTY_RUNS ?? 40);
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];
const data = sampleData(SEED);

type Item = Record<string, unknown> & { id: number };
type Sym = '=' | '<' | '>' | '^' | '!';
const CODES: Record<Sym, string> = { '=': '%3D', '<': '%3C', '>': '%3E', '^': '%5E', '!': '%21' };
const POST_OPERATOR: Partial<Record<Sym, 'EQ' | 'LT' | 'GT'>> = { '=': 'EQ', '<': 'LT', '>': 'GT' };

// ---- value pools from the sample data ----

const itemDates = (dates: (string | undefined)[]) =>
  [...new Set(dates.filter((d): d is string => d !== undefined))].slice(0, 6);
const DATES = [
  '2015-06-18',
  '2015-06-18T20:21',
  '2015-06-18T20:21:45-05:00',
  '2020-01-01',
  '2023-03-01T12:00:00Z',
  ...itemDates(data.indicators.slice(0, 40).map((i) => i.dateAdded)),
  ...itemDates(data.groups.slice(0, 40).map((g) => g.dateAdded)),
];
const GROUP_NAMES = [...new Set(data.groups.map((g) => g.name))].slice(0, 12);
const TASK_NAMES = data.tasks.map((t) => t.name);
const VICTIM_NAMES = data.victims.map((v) => v.name);
const SUMMARIES = data.indicators.slice(0, 10).map((i) => i.summary);
const prefixes = (names: readonly string[]) => [...names.map((n) => n.slice(0, 3)), 'Bad', 'www.', '1'];

// ---- 1. the sandbox's filters= against the post filters over the unfiltered listing ----

/** A field of a listing: its operators and values, and how a client tells whether an item passes. */
interface Field {
  readonly ops: readonly Sym[];
  readonly values: readonly (string | number)[];
  readonly postFilter?:
    | undefined
    | 'addPfDateAdded'
    | 'addPfRating'
    | 'addPfConfidence'
    | 'addPfThreatAssessRating'
    | 'addPfThreatAssessConfidence'
    | 'addPfName';
  /** For fields without a post filter (or operators it lacks): the spec's comparison on the wire item. */
  readonly wire?: string | undefined;
  readonly kind?: 'date' | 'text';
}

const dateField = (postFilter?: 'addPfDateAdded', wire?: string): Field => ({
  ops: ['<', '>'],
  values: DATES,
  postFilter,
  wire,
  kind: 'date',
});
const INDICATOR_FIELDS: Record<string, Field> = {
  dateAdded: dateField('addPfDateAdded'),
  rating: { ops: ['<', '>'], values: [0, 1, 2.5, 3, 4.99, 5], postFilter: 'addPfRating' },
  confidence: { ops: ['=', '<', '>'], values: [0, 14, 40, 50, 90, 100], postFilter: 'addPfConfidence' },
  threatAssessRating: { ops: ['<', '>'], values: [0, 1.5, 3], postFilter: 'addPfThreatAssessRating' },
  threatAssessConfidence: {
    ops: ['<', '>'],
    values: [0, 25, 50, 99],
    postFilter: 'addPfThreatAssessConfidence',
  },
};
const nameField = (names: readonly string[]): Field => ({
  ops: ['=', '^'],
  values: [...names, ...prefixes(names)],
  postFilter: 'addPfName',
  wire: 'name',
  kind: 'text',
});

interface RawListing {
  readonly path: string;
  readonly key: string;
  readonly fields: Record<string, Field>;
}

const LISTINGS: readonly RawListing[] = [
  {
    path: '/v2/indicators',
    key: 'indicator',
    fields: {
      ...INDICATOR_FIELDS,
      summary: {
        ops: ['=', '^'],
        values: [...SUMMARIES, ...prefixes(SUMMARIES)],
        wire: 'summary',
        kind: 'text',
      },
    },
  },
  { path: '/v2/indicators/hosts', key: 'host', fields: INDICATOR_FIELDS },
  { path: '/v2/indicators/addresses', key: 'address', fields: INDICATOR_FIELDS },
  {
    path: '/v2/groups',
    key: 'group',
    fields: { name: nameField(GROUP_NAMES), dateAdded: dateField('addPfDateAdded') },
  },
  {
    path: '/v2/groups/incidents',
    key: 'incident',
    fields: {
      name: nameField(GROUP_NAMES),
      dateAdded: dateField('addPfDateAdded'),
      eventDate: dateField(undefined, 'eventDate'),
    },
  },
  {
    path: '/v2/groups/campaigns',
    key: 'campaign',
    fields: { name: nameField(GROUP_NAMES), firstSeen: dateField(undefined, 'firstSeen') },
  },
  {
    path: '/v2/tasks',
    key: 'task',
    fields: {
      name: nameField(TASK_NAMES),
      dateAdded: dateField('addPfDateAdded'),
      dueDate: dateField(undefined, 'dueDate'),
      status: {
        ops: ['=', '!'],
        values: ['Not Started', 'In Progress', 'Completed'],
        wire: 'status',
        kind: 'text',
      },
    },
  },
  { path: '/v2/victims', key: 'victim', fields: { name: nameField(VICTIM_NAMES) } },
];

interface Expression {
  readonly field: string;
  readonly op: Sym;
  readonly value: string | number;
  readonly encoded: boolean;
}

/** Whether a wire item passes one expression, by the client's post filter where there is one. */
function passes(item: Item, def: Field, e: Expression): boolean {
  const postOperator = POST_OPERATOR[e.op];
  if (def.postFilter !== undefined && postOperator !== undefined)
    return createPostFilter(def.postFilter, e.value, postOperator).test(item as FilterableObject);
  const raw = item[def.wire ?? e.field];
  if (typeof raw !== 'string') return false;
  if (def.kind === 'date') {
    const value = String(e.value);
    const bound = Date.parse(/T/.test(value) && !/(Z|[+-]\d\d:?\d\d)$/.test(value) ? `${value}Z` : value);
    return e.op === '<' ? Date.parse(raw) < bound : Date.parse(raw) > bound;
  }
  if (e.op === '^') return raw.startsWith(String(e.value));
  if (e.op === '!') return raw !== e.value;
  return raw === e.value;
}

function render(e: Expression): string {
  const value = String(e.value);
  // The value is encoded whenever it holds a character a query cannot carry as is.
  const safe = e.encoded || /[^A-Za-z0-9_.~:-]/.test(value) ? encodeURIComponent(value) : value;
  return `${e.field}${e.encoded ? CODES[e.op] : e.op}${safe}`;
}

const rawScenario = fc.constantFrom(...LISTINGS).chain((listing) =>
  fc.record({
    listing: fc.constant(listing),
    owner: fc.constantFrom(...OWNERS),
    expressions: fc.array(
      fc.constantFrom(...Object.keys(listing.fields)).chain((field) => {
        const def = listing.fields[field] as Field;
        return fc.record({
          field: fc.constant(field),
          op: fc.constantFrom(...def.ops),
          value: fc.constantFrom(...def.values),
          encoded: fc.boolean(),
        });
      }),
      { minLength: 1, maxLength: 3 },
    ),
    or: fc.boolean(),
    limit: fc.integer({ min: 5, max: 80 }),
  }),
);

// ---- 2. the SDK with and without serverFilters ----

const OPERATORS: readonly Operator[] = ['EQ', 'NE', 'GT', 'GE', 'LT', 'LE'];
const op = fc.constantFrom(...OPERATORS);
const SDK_DATES = [
  ...DATES.filter((d) => d.length > 10),
  '2015-06-01T00:00:00Z',
  '2022-01-01T00:00:00+02:00',
];
const post = (name: PostFilterModel['name'], values: readonly (string | number)[]) =>
  fc.record({
    name: fc.constant(name),
    value: fc.constantFrom(...values),
    op,
  }) as fc.Arbitrary<PostFilterModel>;
const dateAdded = post('addPfDateAdded', SDK_DATES);
const SDK_CONTAINERS: readonly [ContainerModel, fc.Arbitrary<PostFilterModel>[]][] = [
  [
    { kind: 'indicators' },
    [
      dateAdded,
      post('addPfRating', [0, 1, 2.5, 3, 5]),
      post('addPfConfidence', [0, 14, 50, 90, 100]),
      post('addPfThreatAssessRating', [0, 1.5, 3]),
      post('addPfThreatAssessConfidence', [0, 50, 99]),
    ],
  ],
  [
    { kind: 'typedIndicators', type: 'Host' },
    [dateAdded, post('addPfRating', [1, 2.5, 4]), post('addPfConfidence', [14, 50])],
  ],
  [{ kind: 'groupType', type: 'Adversary' }, [dateAdded, post('addPfName', GROUP_NAMES)]],
  [{ kind: 'groups' }, [dateAdded, post('addPfName', GROUP_NAMES)]],
  [{ kind: 'victims' }, [post('addPfName', VICTIM_NAMES)]],
  [{ kind: 'tasks' }, [dateAdded, post('addPfName', TASK_NAMES)]],
];
const TAGS = [...new Set(data.tags.map((t) => t.name))];

const sdkScenario = fc.constantFrom(...SDK_CONTAINERS).chain(([container, posts]) =>
  fc.record({
    container: fc.constant(container),
    filter: fc.record({
      owners: fc.shuffledSubarray(OWNERS, { minLength: 0, maxLength: 2 }),
      api:
        container.kind === 'indicators'
          ? fc.array(
              fc.constantFrom(...TAGS).map((t) => ['addTag', t] as const),
              { maxLength: 1 },
            )
          : fc.constant([]),
      post: fc.array(fc.oneof(...posts), { minLength: 1, maxLength: 3 }),
      operator: fc.constant('and' as const),
    }),
  }),
);

describe('server-side filters= against the client-side path', () => {
  let sandbox: Sandbox;
  const unfiltered = new Map<string, Item[]>();

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: SEED });
  });
  after(async () => {
    await sandbox.close();
  });

  async function page(path: string, key: string): Promise<{ total: number | undefined; items: Item[] }> {
    const r = await call(sandbox, 'GET', path);
    assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 300)}`);
    const body = r.json() as { data: Record<string, unknown> };
    return { total: body.data.resultCount as number | undefined, items: body.data[key] as Item[] };
  }

  /** Every item of a listing, window by window, checking that resultCount is the total. */
  async function readAll(path: string, key: string, limit: number): Promise<Item[]> {
    const out: Item[] = [];
    let total = 0;
    for (let start = 0; start === 0 || start < total; start += limit) {
      const { total: count, items } = await page(`${path}&resultStart=${start}&resultLimit=${limit}`, key);
      if (start === 0) total = count ?? Number.NaN;
      else assert.equal(count, undefined);
      out.push(...items);
    }
    assert.equal(out.length, total, `${path}: resultCount`);
    return out;
  }

  it(`${RUNS} random filters= give the items the client-side filters keep`, async () => {
    let nonEmpty = 0;
    let cut = 0;
    await fc.assert(
      fc.asyncProperty(rawScenario, async ({ listing, owner, expressions, or, limit }) => {
        const base = `${listing.path}?owner=${encodeURIComponent(owner)}`;
        let all = unfiltered.get(base);
        if (all === undefined) {
          all = await readAll(base, listing.key, 500);
          unfiltered.set(base, all);
        }
        const keep = (item: Item) => {
          const results = expressions.map((e) => passes(item, listing.fields[e.field] as Field, e));
          return or ? results.some(Boolean) : results.every(Boolean);
        };
        const expected = all.filter(keep).map((i) => i.id);
        const query = `${base}&filters=${expressions.map(render).join(',')}${or ? '&orParams=true' : ''}`;
        const got = (await readAll(query, listing.key, limit)).map((i) => i.id);
        assert.deepEqual(got, expected, query);
        if (expected.length > 0) nonEmpty += 1;
        if (expected.length < all.length) cut += 1;
      }),
      { numRuns: RUNS },
    );
    assert.ok(nonEmpty >= RUNS / 5 && cut >= RUNS / 5, `${nonEmpty} non-empty, ${cut} cut of ${RUNS}`);
  });

  it(`${RUNS} random retrievals give the same ids with serverFilters as without`, async () => {
    const oracle = new FilterOracle(data);
    let sent = 0;
    let saved = 0;
    await fc.assert(
      fc.asyncProperty(sdkScenario, async ({ container: model, filter }) => {
        const expected = oracle.retrieve(model, [filter]);
        // A client per path: its report counts exactly that retrieval's traffic and requests.
        const run = async (serverFilters: boolean) => {
          const client = clientFor(sandbox, { apiResultLimit: 25 });
          client.reportEnable();
          try {
            const container = containerOf(client, model);
            applyModels(container, model, [filter]);
            await container.retrieve({ serverFilters });
            const urls = client.report.entries.flatMap((e) => (e.kind === 'request' ? [e.url] : []));
            return {
              ids: [...container].map((x) => x.id),
              received: client.report.resultsUnfiltered,
              withFilters: urls.filter((u) => u.includes('filters=')).length,
            };
          } finally {
            await client.close();
          }
        };
        const plain = await run(false);
        const server = await run(true);
        assert.equal(plain.withFilters, 0, 'no filters= unless asked');
        assert.deepEqual(plain.ids, expected);
        assert.deepEqual(server.ids, expected);
        assert.ok(server.received <= plain.received, `${server.received} > ${plain.received}`);
        if (server.withFilters > 0) sent += 1;
        if (server.received < plain.received) saved += 1;
      }),
      { numRuns: RUNS },
    );
    assert.ok(
      sent >= RUNS / 3 && saved >= RUNS / 5,
      `filters sent in ${sent}, traffic cut in ${saved} of ${RUNS}`,
    );
  });
});
