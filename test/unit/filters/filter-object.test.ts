/**
 * Filter objects without a server (sdk-behaviour.md 3.3 and 3.9, decisions.md 1.7): the API and post
 * filters of each container, in the original's registration order, with camelCase names; `.filters`;
 * the printed table against the original's output (python-sdk-observed.md 4.2) with camelCase names;
 * a filter a container lacks is a compile error and, from plain JavaScript, a clear ValidationError;
 * every invalid value throws ValidationError with the value, when the filter is added.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { FilterOperator, FilterSetOperator, IndicatorType, ValidationError } from '../../../src/index.js';
import { unreachableClient } from '../../helpers/client.js';

/** A client that is never asked to send anything (a closed port). */
const tc = unreachableClient();
after(() => tc.close());

/** `add_pf_date_added` → `addPfDateAdded`. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** sdk-behaviour.md 3.3, written out from the spec's table (snake_case, `add_` / `add_pf_` dropped). */
const GROUP_TYPE_API =
  'adversary_id campaign_id email_id document_id id incident_id indicator security_label signature_id tag task_id threat_id victim_id';
const SPEC: Record<
  string,
  { api: string; post: string; make: () => { filters: string[]; toString(): string } }
> = {
  'indicators()': {
    api: 'adversary_id campaign_id email_id incident_id indicator security_label signature_id tag task_id threat_id victim_id',
    post: 'attribute confidence date_added last_modified rating tag threat_assess_confidence threat_assess_rating type',
    make: () => tc.indicators().addFilter(),
  },
  'indicators(), typed': {
    api: 'adversary_id campaign_id document_id email_id incident_id indicator security_label tag task_id threat_id victim_id',
    post: 'attribute confidence date_added last_modified rating tag threat_assess_confidence threat_assess_rating type',
    make: () => tc.indicators().addFilter(IndicatorType.URLS),
  },
  ...Object.fromEntries(
    (['adversaries', 'campaigns', 'documents', 'emails', 'incidents', 'signatures', 'threats'] as const).map(
      (g) => [
        `${g}()`,
        { api: GROUP_TYPE_API, post: 'name date_added file_type', make: () => tc[g]().addFilter() },
      ],
    ),
  ),
  'groups()': {
    api: 'adversary_id campaign_id document_id email_id incident_id indicator security_label signature_id tag task_id threat_id victim_id',
    post: 'name date_added type',
    make: () => tc.groups().addFilter(),
  },
  'victims()': {
    api: 'adversary_id campaign_id document_id email_id id incident_id indicator signature_id security_label tag task_id threat_id',
    post: 'attribute date_added name type',
    make: () => tc.victims().addFilter(),
  },
  'tasks()': {
    api: 'adversary_id campaign_id document_id email_id id incident_id indicator security_label signature_id threat_id tag victim_id',
    post: 'attribute name date_added',
    make: () => tc.tasks().addFilter(),
  },
  'owners()': { api: 'id indicator', post: 'name type', make: () => tc.owners().addFilter() },
};

const ALL_API =
  'adversary_id campaign_id document_id email_id id incident_id indicator security_label signature_id tag task_id threat_id victim_id';
const ALL_POST =
  'attribute confidence date_added file_type last_modified name rating tag threat_assess_confidence threat_assess_rating type';

/** A line of the original's tables with its trailing spaces: headings to 40, rows to 2 + 29 + 50. */
function pyLine(line: string): string {
  if (line === '' || line.startsWith('_')) return line;
  return line.startsWith('  ') ? line.padEnd(81) : line.padEnd(40);
}

/** The original's printed table (python-sdk-observed.md 4.2), names in camelCase. */
function table(lines: readonly string[]): string {
  return `${lines.map((l) => pyLine(l.replace(/add_[a-z_]+/g, camel))).join('\n')}\n`;
}

const BANNER = '_________________________________Filter Object__________________________________';
const ADVERSARY_API = [
  '  Filter                       add_adversary_id',
  '  Filter                       add_campaign_id',
  '  Filter                       add_email_id',
  '  Filter                       add_document_id',
  '  Filter                       add_id',
  '  Filter                       add_incident_id',
  '  Filter                       add_indicator',
  '  Filter                       add_security_label',
  '  Filter                       add_signature_id',
  '  Filter                       add_tag',
  '  Filter                       add_task_id',
  '  Filter                       add_threat_id',
  '  Filter                       add_victim_id',
];
const ADVERSARY_POST = [
  '  Filter                       add_pf_name',
  '  Filter                       add_pf_date_added',
  '  Filter                       add_pf_file_type',
];
const INDICATOR_POST = [
  '  Filter                       add_pf_attribute',
  '  Filter                       add_pf_confidence',
  '  Filter                       add_pf_date_added',
  '  Filter                       add_pf_last_modified',
  '  Filter                       add_pf_rating',
  '  Filter                       add_pf_tag',
  '  Filter                       add_pf_threat_assess_confidence',
  '  Filter                       add_pf_threat_assess_rating',
  '  Filter                       add_pf_type',
];

describe('filter objects', () => {
  describe('the filters of each container (sdk-behaviour.md 3.3)', () => {
    for (const [container, spec] of Object.entries(SPEC)) {
      it(`${container}: API and post filters in registration order, .filters sorted, the rest refused`, () => {
        const filter = spec.make();
        const api = spec.api.split(' ').map((n) => camel(`add_${n}`));
        const post = spec.post.split(' ').map((n) => camel(`add_pf_${n}`));
        // The printed table lists them in registration order.
        const printed = String(filter);
        const section = (title: string) =>
          printed
            .split(`\n${title}`)[1]
            ?.split('\n\n')[0]
            ?.split('\n')
            .slice(1)
            .filter((l) => l !== '')
            .map((l) => l.trim().replace(/^Filter\s+/, ''));
        assert.deepEqual(section('API Filters'), api);
        assert.deepEqual(section('Post Filters'), post);
        assert.deepEqual(filter.filters, [...[...api].sort(), ...[...post].sort()]);
        // Every other filter method throws, naming the container and its filters.
        const f = filter as unknown as Record<string, (...args: unknown[]) => unknown>;
        for (const name of [
          ...ALL_API.split(' ').map((n) => camel(`add_${n}`)),
          ...ALL_POST.split(' ').map((n) => camel(`add_pf_${n}`)),
        ]) {
          if (api.includes(name) || post.includes(name)) continue;
          assert.throws(
            () => f[name]?.call(filter, name.startsWith('addPf') ? 'x' : 1),
            (e: unknown) =>
              e instanceof ValidationError &&
              e.message.startsWith(`${name} is not a filter of `) &&
              e.message.endsWith(`: its filters are ${[...api, ...post].join(', ')}`),
            `${container} ${name}`,
          );
        }
      });
    }

    it('the message names the container', () => {
      const f = tc.indicators().addFilter() as unknown as { addId(id: number): unknown };
      assert.throws(
        () => f.addId(1),
        /^ValidationError: addId is not a filter of indicators: its filters are addAdversaryId, /,
      );
      const typed = tc.indicators().addFilter(IndicatorType.HOSTS) as unknown as {
        addSignatureId(id: number): unknown;
      };
      assert.throws(
        () => typed.addSignatureId(1),
        /^ValidationError: addSignatureId is not a filter of hosts indicators: /,
      );
      const owners = tc.owners().addFilter() as unknown as { addTag(tag: string): unknown };
      assert.throws(
        () => owners.addTag('APT'),
        /^ValidationError: addTag is not a filter of owners: its filters are addId, addIndicator, addPfName, addPfType$/,
      );
    });
  });

  /* eslint-disable @typescript-eslint/no-unsafe-call -- the calls under @ts-expect-error have no type, on purpose */
  describe('types: a filter the container lacks is a compile error', () => {
    // Each @ts-expect-error line below fails `tsc` (npm run lint) if the call type-checks; at run time
    // the same call throws.
    const refused = (call: () => unknown) => {
      assert.throws(call, ValidationError);
    };

    it('indicators: no addId, no addDocumentId (untyped), no addSignatureId (typed), no addPfName', () => {
      const untyped = tc.indicators().addFilter();
      // @ts-expect-error indicators have no addId
      refused(() => untyped.addId(1));
      // @ts-expect-error untyped indicators have no addDocumentId
      refused(() => untyped.addDocumentId(19));
      // @ts-expect-error indicators have no addPfName
      refused(() => untyped.addPfName('x'));
      // @ts-expect-error indicators have no addPfFileType
      refused(() => untyped.addPfFileType('YARA'));
      const typed = tc.indicators().addFilter(IndicatorType.ADDRESSES);
      typed.addDocumentId(19);
      // @ts-expect-error typed indicators have no addSignatureId
      refused(() => typed.addSignatureId(1));
      untyped.addSignatureId(1).addPfThreatAssessRating(2).addOwner('Example Community');
    });

    it('group types, groups, victims, tasks, owners', () => {
      const adversaries = tc.adversaries().addFilter();
      adversaries.addId(5).addPfFileType('YARA');
      // @ts-expect-error group types have no addPfType
      refused(() => adversaries.addPfType('Adversary'));
      // @ts-expect-error group types have no addPfConfidence
      refused(() => adversaries.addPfConfidence(5));
      const groups = tc.groups().addFilter();
      groups.addPfType('Threat');
      // @ts-expect-error groups() has no addId
      refused(() => groups.addId(5));
      // @ts-expect-error groups() has no addPfFileType
      refused(() => groups.addPfFileType('YARA'));
      const victims = tc.victims().addFilter();
      victims.addId(10).addPfAttribute('Description');
      // @ts-expect-error victims have no addVictimId
      refused(() => victims.addVictimId(10));
      const tasks = tc.tasks().addFilter();
      tasks.addVictimId(10);
      // @ts-expect-error tasks have no addTaskId
      refused(() => tasks.addTaskId(1));
      // @ts-expect-error tasks have no addPfType
      refused(() => tasks.addPfType('Task'));
      const owners = tc.owners().addFilter();
      owners.addId(1).addPfName('Example Org');
      // @ts-expect-error owners have no addTag
      refused(() => owners.addTag('APT'));
      // Chaining keeps the container's view: the error survives a chain.
      // @ts-expect-error owners have no addSecurityLabel, even after addOwner()
      refused(() => owners.addOwner('Example Org').addSecurityLabel('TLP Red'));
    });

    it('values have their types: ids are numbers, operators are enum members', () => {
      const f = tc.adversaries().addFilter();
      // @ts-expect-error an id is a number
      assert.throws(() => f.addId('5'), ValidationError);
      // @ts-expect-error the operator is a FilterOperator
      assert.throws(() => f.addPfName('Bad Guy', '=='), ValidationError);
      // @ts-expect-error the set operator is a FilterSetOperator
      assert.throws(() => f.addFilterOperator('OR'), ValidationError);
    });
  });

  /* eslint-enable @typescript-eslint/no-unsafe-call */

  describe('printing (sdk-behaviour.md 3.9, python-sdk-observed.md 4.2)', () => {
    it('the seed example: adversaries, owner Example Community, tag APT', () => {
      const filter1 = tc.adversaries().addFilter();
      filter1.addOwner('Example Community');
      filter1.addTag('APT');
      const expected = table([
        '',
        BANNER,
        'Filter Properties',
        '  Operator                     FilterSetOperator.AND',
        '  Request Objects              1',
        '',
        'Owners',
        '  Owner                        Example Community',
        '',
        'Filters',
        '  Filter                       api filter by tag "APT"',
        '',
        'API Filters',
        ...ADVERSARY_API,
        '',
        'Post Filters',
        ...ADVERSARY_POST,
      ]);
      assert.equal(String(filter1), expected);
      assert.equal(inspect(filter1), expected);
      assert.deepEqual(
        filter1.filters,
        [
          'add_adversary_id',
          'add_campaign_id',
          'add_document_id',
          'add_email_id',
          'add_id',
          'add_incident_id',
          'add_indicator',
          'add_security_label',
          'add_signature_id',
          'add_tag',
          'add_task_id',
          'add_threat_id',
          'add_victim_id',
          'add_pf_date_added',
          'add_pf_file_type',
          'add_pf_name',
        ].map(camel),
      );
    });

    it('the same for indicators', () => {
      const filter = tc.indicators().addFilter();
      filter.addOwner('Example Community').addTag('APT');
      assert.equal(
        String(filter),
        table([
          '',
          BANNER,
          'Filter Properties',
          '  Operator                     FilterSetOperator.AND',
          '  Request Objects              1',
          '',
          'Owners',
          '  Owner                        Example Community',
          '',
          'Filters',
          '  Filter                       api filter by tag "APT"',
          '',
          'API Filters',
          '  Filter                       add_adversary_id',
          '  Filter                       add_campaign_id',
          '  Filter                       add_email_id',
          '  Filter                       add_incident_id',
          '  Filter                       add_indicator',
          '  Filter                       add_security_label',
          '  Filter                       add_signature_id',
          '  Filter                       add_tag',
          '  Filter                       add_task_id',
          '  Filter                       add_threat_id',
          '  Filter                       add_victim_id',
          '',
          'Post Filters',
          ...INDICATOR_POST,
        ]),
      );
    });

    it('filter object basics: three request objects, no owner section', () => {
      const filter1 = tc.adversaries().addFilter();
      filter1.addIndicator('10.20.30.40');
      filter1.addVictimId(10);
      filter1.addTag('APT');
      assert.equal(
        String(filter1),
        table([
          '',
          BANNER,
          'Filter Properties',
          '  Operator                     FilterSetOperator.AND',
          '  Request Objects              3',
          '',
          'Filters',
          '  Filter                       api filter by indicator id 10.20.30.40',
          '  Filter                       api filter by victim id 10',
          '  Filter                       api filter by tag "APT"',
          '',
          'API Filters',
          ...ADVERSARY_API,
          '',
          'Post Filters',
          ...ADVERSARY_POST,
        ]),
      );
    });

    it('post filters only: zero request objects, no Filters section', () => {
      const filter1 = tc.adversaries().addFilter();
      filter1.addPfName('Bad Guy');
      filter1.addPfDateAdded('2015-06-18T20:21:45-05:00', FilterOperator.GE);
      assert.equal(
        String(filter1),
        table([
          '',
          BANNER,
          'Filter Properties',
          '  Operator                     FilterSetOperator.AND',
          '  Request Objects              0',
          '',
          'API Filters',
          ...ADVERSARY_API,
          '',
          'Post Filters',
          ...ADVERSARY_POST,
        ]),
      );
      assert.deepEqual(
        filter1.postFilters.map((p) => [p.description, p.filter, p.method, p.operator]),
        [
          ['post filter by name EQ Bad Guy', 'Bad Guy', 'filterName', 'EQ'],
          ['post filter by date added GE 1434676905 seconds', 1434676905, 'filterDateAdded', 'GE'],
        ],
      );
    });

    it('a typed indicator filter object with an owner, and an OR operator', () => {
      const filter = tc.indicators().addFilter(IndicatorType.ADDRESSES);
      filter.addOwner('Example Community');
      const lines = [
        '',
        BANNER,
        'Filter Properties',
        '  Operator                     FilterSetOperator.AND',
        '  Request Objects              0',
        '',
        'Owners',
        '  Owner                        Example Community',
        '',
        'API Filters',
        '  Filter                       add_adversary_id',
        '  Filter                       add_campaign_id',
        '  Filter                       add_document_id',
        '  Filter                       add_email_id',
        '  Filter                       add_incident_id',
        '  Filter                       add_indicator',
        '  Filter                       add_security_label',
        '  Filter                       add_tag',
        '  Filter                       add_task_id',
        '  Filter                       add_threat_id',
        '  Filter                       add_victim_id',
        '',
        'Post Filters',
        ...INDICATOR_POST,
      ];
      assert.equal(String(filter), table(lines));
      filter.addFilterOperator(FilterSetOperator.OR);
      assert.equal(filter.operator, FilterSetOperator.OR);
      assert.equal(
        String(filter),
        table(lines.map((l) => l.replace('FilterSetOperator.AND', 'FilterSetOperator.OR'))),
      );
    });

    it('descriptions of every API filter; several owners each on a row', () => {
      const f = tc.tasks().addFilter();
      f.addOwner(['Example Org', 'Example Community'])
        .addAdversaryId(1)
        .addCampaignId(2)
        .addDocumentId(3)
        .addEmailId(4)
        .addId(5)
        .addIncidentId(6)
        .addIndicator('bad@example.com')
        .addSecurityLabel('TLP Red')
        .addSignatureId(7)
        .addThreatId(8)
        .addTag('APT')
        .addVictimId(9);
      const printed = String(f);
      const rows = (title: string) =>
        printed
          .split(`\n${title}`)[1]
          ?.split('\n\n')[0]
          ?.split('\n')
          .slice(1)
          .map((l) => l.trimEnd());
      assert.deepEqual(rows('Owners'), [
        '  Owner                        Example Org',
        '  Owner                        Example Community',
      ]);
      assert.deepEqual(
        rows('Filters')?.map((l) => l.slice(31)),
        [
          'api filter by adversary id 1',
          'api filter by campaign id 2',
          'api filter by documents id 3',
          'api filter by email id 4',
          'api filter by id 5',
          'api filter by incident id 6',
          'api filter by indicator id bad@example.com',
          'api filter by security label "TLP Red"',
          'api filter by signature id 7',
          'api filter by threat id 8',
          'api filter by tag "APT"',
          'api filter by victim id 9',
        ],
      );
      assert.ok(printed.includes('  Request Objects              12'));
      const i = tc.indicators().addFilter();
      i.addTaskId(3);
      assert.ok(String(i).includes('  Filter                       api filter by tasks id 3'));
    });
  });

  describe('validation: ValidationError with the value, when the filter is added', () => {
    it('ids are integers >= 0', () => {
      const f = tc.adversaries().addFilter();
      const methods = [
        'addAdversaryId',
        'addCampaignId',
        'addDocumentId',
        'addEmailId',
        'addId',
        'addIncidentId',
        'addSignatureId',
        'addTaskId',
        'addThreatId',
        'addVictimId',
      ] as const;
      for (const method of methods) {
        for (const [bad, shown] of [
          [-1, '-1'],
          [1.5, '1.5'],
          ['5', '"5"'],
          [Number.NaN, 'NaN'],
          [2 ** 53, '9007199254740992'],
          [null, 'null'],
        ] as const) {
          assert.throws(
            () => (f[method] as (v: unknown) => unknown).call(f, bad),
            (e: unknown) =>
              e instanceof ValidationError &&
              e.message === `${method}: ${shown} is not a valid id (an integer >= 0)`,
            `${method}(${shown})`,
          );
        }
        assert.doesNotThrow(() => f[method](0));
      }
    });

    it('tags, labels and indicators are non-empty text; an indicator of no known type is refused', () => {
      const f = tc.adversaries().addFilter();
      for (const [bad, shown] of [
        ['', '""'],
        ['   ', '"   "'],
        [7, '7'],
      ] as const) {
        assert.throws(
          () => f.addTag(bad as string),
          (e: unknown) => e instanceof ValidationError && e.message === `addTag: ${shown} is not a valid tag`,
        );
        assert.throws(
          () => f.addSecurityLabel(bad as string),
          (e: unknown) =>
            e instanceof ValidationError &&
            e.message === `addSecurityLabel: ${shown} is not a valid security label`,
        );
        assert.throws(
          () => f.addIndicator(bad as string),
          (e: unknown) =>
            e instanceof ValidationError && e.message === `addIndicator: ${shown} is not a valid indicator`,
        );
      }
      for (const bad of ['not an indicator', '10.20.30.40 ', 'http://', '999.1.1.1.1']) {
        for (const container of [tc.indicators(), tc.adversaries(), tc.victims()]) {
          assert.throws(
            () => container.addFilter().addIndicator(bad),
            (e: unknown) =>
              e instanceof ValidationError &&
              e.message === `addIndicator: ${JSON.stringify(bad)} is not a valid indicator of a known type`,
            bad,
          );
        }
      }
      // Ordinary values of each type are accepted.
      for (const good of [
        '10.20.30.40',
        'bad@example.com',
        'www.example.com',
        'http://bad.example.com/a',
        '422AD421127685E3EF4A44B546258107',
      ]) {
        assert.doesNotThrow(() => tc.indicators().addFilter().addIndicator(good), good);
      }
    });

    it('a filter set operator is FilterSetOperator.AND or .OR', () => {
      const f = tc.indicators().addFilter();
      for (const [bad, shown] of [
        ['OR', '"OR"'],
        ['AND', '"AND"'],
        [1, '1'],
        [undefined, 'undefined'],
      ] as const) {
        assert.throws(
          () => f.addFilterOperator(bad as FilterSetOperator),
          (e: unknown) =>
            e instanceof ValidationError &&
            e.message ===
              `addFilterOperator: ${shown} is not a FilterSetOperator (FilterSetOperator.AND or FilterSetOperator.OR)`,
        );
      }
      assert.equal(f.operator, FilterSetOperator.AND);
    });

    it('a refused filter leaves the filter object unchanged', () => {
      const f = tc.indicators().addFilter();
      f.addTag('APT');
      assert.throws(() => f.addThreatId(-3), ValidationError);
      assert.throws(() => f.addPfRating(9, FilterOperator.GE), ValidationError);
      assert.equal(f.apiRequests.length, 1);
      assert.equal(f.postFilters.length, 0);
      assert.ok(String(f).includes('  Request Objects              1'));
    });
  });
});
