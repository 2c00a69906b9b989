/**
 * Every API filter of every container reaches the URI of sdk-behaviour.md 3.4, as the sandbox's request
 * log shows it: the path (values percent-encoded as Python's `quote(v, safe='~')`), `owner` present or
 * not, and `resultLimit`/`resultStart` on listings (every listing is paged, also those the original read
 * in one request) but not on single objects. The expected URIs are written from the spec's table here,
 * and the filters tested per container are checked against the container's own `.filters`, so a filter
 * added later without a URI test fails.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IndicatorType, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { resetSandbox, targets } from './support.js';

const LIMIT = 500;
const OWNER = 'Example Community';
const Q_OWNER = `createActivityLog=false&owner=Example+Community`;

/** How a request goes out: a listing with or without owner, or a single object (with owner). */
type Shape = 'listing+owner' | 'listing' | 'single';

function query(shape: Shape): string {
  switch (shape) {
    case 'listing+owner':
      return `${Q_OWNER}&resultLimit=${LIMIT}&resultStart=0`;
    case 'listing':
      return `createActivityLog=false&resultLimit=${LIMIT}&resultStart=0`;
    case 'single':
      return Q_OWNER;
  }
}

interface ContainerCase {
  readonly name: string;
  readonly make: (tc: ThreatConnect) => { addFilter(): unknown; retrieve(): Promise<unknown> };
  /** What a pivot lists on this container: `/indicators`, `/groups/adversaries`, … */
  readonly suffix: string;
  /** The base listing. */
  readonly base: readonly [string, Shape];
  readonly ownerOnPivots: boolean;
  /** `addId`'s URI, when the container has it. */
  readonly id?: (id: number) => string;
  /** `addIndicator`'s URI for 10.20.30.40, and its shape. */
  readonly indicator: readonly [string, Shape];
  /** The group-id filter the container lacks (sdk-behaviour.md 3.3). */
  readonly lacks?: string;
}

const GROUP_FILTERS = [
  ['addAdversaryId', 'adversaries'],
  ['addCampaignId', 'campaigns'],
  ['addDocumentId', 'documents'],
  ['addEmailId', 'emails'],
  ['addIncidentId', 'incidents'],
  ['addSignatureId', 'signatures'],
  ['addThreatId', 'threats'],
] as const;

const CASES: readonly ContainerCase[] = [
  {
    name: 'indicators()',
    make: (tc) => tc.indicators(),
    suffix: '/indicators',
    base: ['/v2/indicators', 'listing+owner'],
    ownerOnPivots: false,
    indicator: ['/v2/indicators/addresses/10.20.30.40', 'single'],
    lacks: 'addDocumentId',
  },
  {
    name: 'indicators(), typed HOSTS',
    make: (tc) => {
      const c = tc.indicators();
      return { addFilter: () => c.addFilter(IndicatorType.HOSTS), retrieve: () => c.retrieve() };
    },
    suffix: '/indicators/hosts',
    base: ['/v2/indicators/hosts', 'listing+owner'],
    ownerOnPivots: false,
    // A typed filter object uses its own type for the value, as the original did.
    indicator: ['/v2/indicators/hosts/10.20.30.40', 'single'],
    lacks: 'addSignatureId',
  },
  ...(['adversaries', 'campaigns', 'documents', 'emails', 'incidents', 'signatures', 'threats'] as const).map(
    (g): ContainerCase => ({
      name: `${g}()`,
      make: (tc) => tc[g](),
      suffix: `/groups/${g}`,
      base: [`/v2/groups/${g}`, 'listing+owner'],
      ownerOnPivots: false,
      id: (id) => `/v2/groups/${g}/${id}`,
      indicator: [`/v2/indicators/addresses/10.20.30.40/groups/${g}`, 'listing+owner'],
    }),
  ),
  {
    name: 'groups()',
    make: (tc) => tc.groups(),
    suffix: '/groups',
    base: ['/v2/groups', 'listing+owner'],
    ownerOnPivots: false,
    indicator: ['/v2/indicators/addresses/10.20.30.40/groups', 'listing+owner'],
  },
  {
    name: 'victims()',
    make: (tc) => tc.victims(),
    suffix: '/victims',
    base: ['/v2/victims', 'listing+owner'],
    ownerOnPivots: false,
    id: (id) => `/v2/victims/${id}`,
    indicator: ['/v2/indicators/addresses/10.20.30.40/victims', 'listing+owner'],
  },
  {
    name: 'tasks()',
    make: (tc) => tc.tasks(),
    suffix: '/tasks',
    base: ['/v2/tasks', 'listing+owner'],
    // Tasks carry the owner on group and victim pivots too.
    ownerOnPivots: true,
    id: (id) => `/v2/tasks/${id}`,
    indicator: ['/v2/indicators/addresses/10.20.30.40/tasks', 'listing+owner'],
  },
  {
    name: 'owners()',
    make: (tc) => tc.owners(),
    suffix: '/owners',
    base: ['/v2/owners', 'listing'],
    ownerOnPivots: false,
    id: (id) => `/v2/owners/${id}`,
    indicator: ['/v2/indicators/addresses/10.20.30.40/owners', 'listing'],
  },
];

/** The filter calls and the target each must reach, for one container. */
function expectations(c: ContainerCase): { call: [string, unknown]; target: string }[] {
  const pivot: Shape = c.ownerOnPivots ? 'listing+owner' : 'listing';
  const at = (path: string, shape: Shape) => `${path}?${query(shape)}`;
  const out: { call: [string, unknown]; target: string }[] = [];
  if (c.name === 'owners()') {
    out.push({ call: ['addId', 2], target: at('/v2/owners/2', 'single') });
    out.push({ call: ['addIndicator', '10.20.30.40'], target: at(...c.indicator) });
    return out;
  }
  for (const [method, branch] of GROUP_FILTERS) {
    if (method === c.lacks) continue;
    out.push({ call: [method, 38], target: at(`/v2/groups/${branch}/38${c.suffix}`, pivot) });
  }
  if (c.id !== undefined) out.push({ call: ['addId', 12], target: at(c.id(12), 'single') });
  out.push({ call: ['addIndicator', '10.20.30.40'], target: at(...c.indicator) });
  // Reserved characters: Python's quote(v, safe='~') (python-sdk-observed.md 3.2), plus ! * ' ( ).
  out.push({
    call: ['addSecurityLabel', 'TLP:AMBER'],
    target: at(`/v2/securityLabels/TLP%3AAMBER${c.suffix}`, 'listing+owner'),
  });
  out.push({
    call: ['addTag', "APT/28 & co+x~y it's (x)!*"],
    target: at(`/v2/tags/APT%2F28%20%26%20co%2Bx~y%20it%27s%20%28x%29%21%2A${c.suffix}`, 'listing+owner'),
  });
  if (c.name !== 'tasks()')
    out.push({ call: ['addTaskId', 4], target: at(`/v2/tasks/4${c.suffix}`, 'listing+owner') });
  if (c.name !== 'victims()')
    out.push({ call: ['addVictimId', 10], target: at(`/v2/victims/10${c.suffix}`, pivot) });
  return out;
}

describe('every API filter of every container reaches its URI (sdk-behaviour.md 3.4)', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 100 });
    tc = clientFor(sandbox, { apiResultLimit: LIMIT, concurrency: 1 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  for (const c of CASES) {
    it(`${c.name}: the base listing and each API filter`, async () => {
      const cases = expectations(c);
      // Every API filter of the container is covered, and no other.
      const probe = c.make(tc).addFilter() as { filters: string[] };
      assert.deepEqual(
        cases.map((x) => x.call[0]).sort(),
        probe.filters.filter((n) => !n.startsWith('addPf')),
      );
      const expected: string[] = [];
      // The base listing: a filter object with only an owner.
      {
        const container = c.make(tc);
        (container.addFilter() as { addOwner(o: string): unknown }).addOwner(OWNER);
        await container.retrieve();
        expected.push(`${c.base[0]}?${query(c.base[1] === 'listing' ? 'listing' : 'listing+owner')}`);
      }
      for (const { call, target } of cases) {
        const container = c.make(tc);
        const filter = container.addFilter() as Record<string, (v: unknown) => unknown> & {
          addOwner(o: string): unknown;
        };
        filter.addOwner(OWNER);
        filter[call[0]]?.call(filter, call[1]);
        await container.retrieve();
        expected.push(target);
      }
      const log = (await targets(sandbox)).filter((t) => !t.startsWith('/v2/types/'));
      assert.deepEqual(log, expected);
    });
  }

  it('no filter object: the base listing without an owner; owners() never sends one', async () => {
    // (The typed case is the indicators container again: it has no filter object of a type.)
    const untyped = CASES.filter((c) => !c.name.includes('typed'));
    for (const c of untyped) {
      await c.make(tc).retrieve();
    }
    const log = (await targets(sandbox)).filter((t) => !t.startsWith('/v2/types/'));
    assert.deepEqual(
      log,
      untyped.map((c) => `${c.base[0]}?${query('listing')}`),
    );
  });

  it('untyped indicators detect the type of each value; URL values are encoded whole', async () => {
    const values: [string, string][] = [
      ['10.20.30.40', '/v2/indicators/addresses/10.20.30.40'],
      ['bad@example.com', '/v2/indicators/emailAddresses/bad%40example.com'],
      ['422AD421127685E3EF4A44B546258107', '/v2/indicators/files/422AD421127685E3EF4A44B546258107'],
      ['www.example.com', '/v2/indicators/hosts/www.example.com'],
      [
        'http://bad.example.com/a?b=c&d=e',
        '/v2/indicators/urls/http%3A%2F%2Fbad.example.com%2Fa%3Fb%3Dc%26d%3De',
      ],
    ];
    for (const [value] of values) {
      const container = tc.indicators();
      container.addFilter().addOwner(OWNER).addIndicator(value);
      await container.retrieve();
    }
    const log = await targets(sandbox);
    assert.deepEqual(
      log,
      values.map(([, path]) => `${path}?${Q_OWNER}`),
    );
  });
});
