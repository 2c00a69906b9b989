import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BATCH_SIZE, sampleData, sampleDataBatches } from '../../../src/sandbox/sample-data.js';
import type {
  SampleData,
  SampleGroup,
  SampleIndicator,
  SampleItemKind,
  SampleTask,
  SampleVictim,
} from '../../../src/sandbox/sample-types.js';
import {
  GROUP_TYPES,
  INCIDENT_STATUSES,
  SIGNATURE_FILE_TYPES,
  TASK_STATUSES,
} from '../../../src/sandbox/types.js';

const GENERATED_START = 1_000_001;
const EC = 'Example Community';
const EO = 'Example Org';
const CC = 'Common Community';
const OWNERS = [EO, EC, CC];
/** Every group type the sandbox serves. */
const GROUP_TYPE_NAMES = GROUP_TYPES.map((t) => t.name);

/** The five records of python-sdk-observed.md section 2, verbatim. */
const RECORDED = [
  String.raw`{"id":355999,"ownerName":"Example Community","type":"Host","dateAdded":"2015-06-21T10:40:33-05:00","lastModified":"2015-06-21T10:40:33-05:00","rating":1.0,"confidence":14,"webLink":"https://tc.sumx.us/auth/indicators/details/host.xhtml?host=www.badguy_014.com&owner=Example+Community","description":"TEST attribute #14","summary":"www.badguy_014.com"}`,
  String.raw`{"id":356001,"ownerName":"Example Community","type":"Address","dateAdded":"2015-06-18T20:21:45-05:00","lastModified":"2015-06-19T08:00:00-05:00","rating":3.0,"confidence":50,"webLink":"https://tc.sumx.us/auth/indicators/details/address.xhtml?address=10.20.30.40&owner=Example+Community","description":"Callback \"C2\" address, seen=twice","summary":"10.20.30.40"}`,
  String.raw`{"id":356002,"ownerName":"Example Community","type":"File","dateAdded":"2015-06-17T12:00:00-05:00","lastModified":"2015-06-17T12:00:00-05:00","rating":5.0,"confidence":90,"webLink":"https://tc.sumx.us/auth/indicators/details/file.xhtml?file=422AD421127685E3EF4A44B546258107&owner=Example+Community","summary":"422AD421127685E3EF4A44B546258107"}`,
  String.raw`{"id":356003,"ownerName":"Example Community","type":"URL","dateAdded":"2015-05-01T00:00:00Z","lastModified":"2015-05-02T00:00:00Z","rating":2.5,"confidence":0,"webLink":"https://tc.sumx.us/auth/indicators/details/url.xhtml?orgid=356003&owner=Example+Community","description":"pipe | and backslash \\ test","summary":"http://bad.example.com/a?b=c&d=e"}`,
  String.raw`{"id":356004,"ownerName":"Example Community","type":"EmailAddress","dateAdded":"2015-06-20T00:00:00-05:00","lastModified":"2015-06-20T00:00:00-05:00","webLink":"https://tc.sumx.us/auth/indicators/details/emailaddress.xhtml?emailaddress=bad%40example.com&owner=Example+Community","summary":"bad@example.com"}`,
].map((line) => JSON.parse(line) as Record<string, unknown>);

const LIST_FIELDS = [
  'id',
  'ownerName',
  'type',
  'dateAdded',
  'lastModified',
  'rating',
  'confidence',
  'webLink',
  'description',
  'summary',
] as const;

function find<T extends { id: number }>(list: T[], id: number): T {
  const item = list.find((x) => x.id === id);
  assert.ok(item, `no record with id ${id}`);
  return item;
}

function isFixed(item: { id: number }): boolean {
  return item.id < GENERATED_START;
}

function groupsOf(data: SampleData, ids: number[]): SampleGroup[] {
  return ids.map((id) => find(data.groups, id));
}

function indicatorsOf(data: SampleData, ids: number[]): SampleIndicator[] {
  return ids.map((id) => find(data.indicators, id));
}

function ecIndicatorsWith(data: SampleData, pick: (i: SampleIndicator) => boolean): SampleIndicator[] {
  return data.indicators.filter((i) => i.ownerName === EC && pick(i));
}

const key = (kind: SampleItemKind, id: number): string => `${kind}:${id}`;
const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Every link of every record, as unordered pairs; fails on a link listed twice on one record. */
function linksFromRecords(data: SampleData): string[] {
  const out: string[] = [];
  const add = (kind: SampleItemKind, id: number, otherKind: SampleItemKind, ids: number[]): void => {
    assert.equal(new Set(ids).size, ids.length, `${kind} ${id} lists a ${otherKind} twice`);
    for (const other of ids) out.push(pairKey(key(kind, id), key(otherKind, other)));
  };
  for (const i of data.indicators) {
    add('indicator', i.id, 'group', i.groupIds);
    add('indicator', i.id, 'victim', i.victimIds);
    add('indicator', i.id, 'task', i.taskIds);
  }
  for (const g of data.groups) {
    add('group', g.id, 'indicator', g.indicatorIds);
    add('group', g.id, 'group', g.groupIds);
    add('group', g.id, 'victim', g.victimIds);
    add('group', g.id, 'task', g.taskIds);
  }
  for (const v of data.victims) {
    add('victim', v.id, 'indicator', v.indicatorIds);
    add('victim', v.id, 'group', v.groupIds);
    add('victim', v.id, 'task', v.taskIds);
  }
  for (const t of data.tasks) {
    add('task', t.id, 'indicator', t.indicatorIds);
    add('task', t.id, 'group', t.groupIds);
    add('task', t.id, 'victim', t.victimIds);
  }
  return out;
}

function assertSortedUniqueIds(name: string, list: { id: number }[]): void {
  for (let k = 1; k < list.length; k += 1) {
    const prev = list[k - 1]!.id;
    const cur = list[k]!.id;
    assert.ok(prev < cur, `${name}: id ${cur} after ${prev} (unsorted or duplicate)`);
  }
}

describe('sampleData', () => {
  const base = sampleData();
  const big = sampleData(2000);

  describe('input', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      it(`rejects n = ${bad}`, () => {
        assert.throws(
          () => sampleData(bad),
          (error: unknown) =>
            error instanceof RangeError &&
            error.message === `sampleData: n must be a non-negative integer, got ${String(bad)}`,
        );
      });
    }

    it('defaults n to 0', () => {
      assert.deepEqual(base, sampleData(0));
      assert.equal(base.indicators.filter((i) => !isFixed(i)).length, 0);
      assert.equal(base.groups.filter((g) => !isFixed(g)).length, 0);
    });
  });

  describe('determinism', () => {
    it('gives deep-equal data for the same n', () => {
      assert.deepEqual(sampleData(1000), sampleData(1000));
      assert.deepEqual(sampleData(7), sampleData(7));
    });

    it('keeps every fixed record identical whatever n is', () => {
      for (const data of [sampleData(1), big]) {
        assert.deepEqual(data.indicators.filter(isFixed), base.indicators);
        assert.deepEqual(data.groups.filter(isFixed), base.groups);
        assert.deepEqual(data.victims.filter(isFixed), base.victims);
        assert.deepEqual(data.tasks.filter(isFixed), base.tasks);
        assert.deepEqual(data.attributes.filter(isFixed), base.attributes);
        assert.deepEqual(
          data.documents.filter((d) => d.groupId < GENERATED_START),
          base.documents,
        );
        assert.deepEqual(data.owners, base.owners);
        assert.deepEqual(data.users, base.users);
      }
    });

    it('generates exactly n indicators besides the fixed ones, in their own id range', () => {
      for (const n of [0, 1, 2000]) {
        const data = n === 2000 ? big : sampleData(n);
        const generated = data.indicators.filter((i) => !isFixed(i));
        assert.equal(generated.length, n);
        assert.deepEqual(
          generated.map((i) => i.id),
          Array.from({ length: n }, (_, k) => GENERATED_START + k),
        );
      }
    });
  });

  describe('owners and users', () => {
    it('has the three owners, Example Org being the organization', () => {
      assert.deepEqual(
        base.owners.map((o) => [o.name, o.type]),
        [
          [EO, 'Organization'],
          [EC, 'Community'],
          [CC, 'Community'],
        ],
      );
    });

    it('lets the main user access all owners and the restricted user only Example Org', () => {
      const main = base.users.find((u) => u.role === 'main');
      const restricted = base.users.find((u) => u.role === 'restricted');
      assert.ok(main && restricted);
      assert.deepEqual(main.owners, [EO, EC, CC]);
      assert.deepEqual(restricted.owners, [EO]);
      assert.notEqual(main.userName, restricted.userName);
      assert.equal(base.users.length, 2);
    });
  });

  describe('the five recorded indicators', () => {
    for (const recorded of RECORDED) {
      it(`reproduces ${String(recorded.id)} verbatim, tagged APT`, () => {
        const record = find(base.indicators, recorded.id as number);
        const listItem: Record<string, unknown> = {};
        for (const field of LIST_FIELDS) if (record[field] !== undefined) listItem[field] = record[field];
        assert.deepEqual(listItem, recorded);
        assert.deepEqual(record.tags, ['APT']);
        assert.equal(record.active, true);
      });
    }

    it('takes each description from a displayed Description attribute', () => {
      const host = find(base.indicators, 355999);
      assert.deepEqual(
        host.attributes.map((a) => [a.type, a.value, a.displayed]),
        [['Description', 'TEST attribute #14', true]],
      );
      assert.equal(host.hostName, 'www.badguy_014.com');
      const file = find(base.indicators, 356002);
      assert.equal(file.md5, '422AD421127685E3EF4A44B546258107');
      assert.equal(file.sha1, undefined);
      assert.equal(find(base.indicators, 356001).ip, '10.20.30.40');
      assert.equal(find(base.indicators, 356003).text, 'http://bad.example.com/a?b=c&d=e');
      assert.equal(find(base.indicators, 356004).address, 'bad@example.com');
    });

    it('gives owner Example Community with tag APT exactly these five at n = 0, at least these at n = 2000', () => {
      const apt = (data: SampleData): number[] =>
        ecIndicatorsWith(data, (i) => i.tags.includes('APT')).map((i) => i.id);
      assert.deepEqual(apt(base), [355999, 356001, 356002, 356003, 356004]);
      const many = apt(big);
      for (const id of [355999, 356001, 356002, 356003, 356004]) assert.ok(many.includes(id));
      assert.ok(many.length > 5, 'generated indicators carry APT too');
    });
  });

  describe('fixed groups and victims', () => {
    it('has adversaries Bad Guy (two) and Other Guy tagged APT in Example Community and in Example Org', () => {
      const threshold = Date.parse('2015-06-18T20:21:45-05:00');
      for (const owner of [EC, EO]) {
        const apt = base.groups.filter(
          (g) => g.ownerName === owner && g.type === 'Adversary' && g.tags.includes('APT'),
        );
        assert.deepEqual(apt.map((g) => g.name).sort(), ['Bad Guy', 'Bad Guy', 'Other Guy']);
        const badGuys = apt.filter((g) => g.name === 'Bad Guy').map((g) => Date.parse(g.dateAdded));
        assert.ok(badGuys.some((d) => d >= threshold));
        assert.ok(badGuys.some((d) => d < threshold));
        assert.ok(apt.some((g) => Date.parse(g.dateAdded) > threshold));
      }
      assert.deepEqual(
        groupsOf(base, [700, 701, 702]).map((g) => [g.name, g.ownerName]),
        [
          ['Bad Guy', EC],
          ['Other Guy', EC],
          ['Bad Guy', EC],
        ],
      );
      assert.equal(find(base.groups, 700).dateAdded, '2015-06-18T20:21:45-05:00');
    });

    it('never names a generated adversary Bad Guy or Other Guy, nor tags one APT', () => {
      const generated = big.groups.filter((g) => !isFixed(g) && g.type === 'Adversary');
      assert.ok(generated.length > 0);
      for (const g of generated) {
        assert.ok(!['Bad Guy', 'Other Guy'].includes(g.name));
        assert.ok(!g.tags.includes('APT'));
      }
    });

    it('associates each address 10.20.30.40 with exactly two adversaries of its owner', () => {
      const copies = base.indicators.filter((i) => i.type === 'Address' && i.summary === '10.20.30.40');
      assert.deepEqual(copies.map((i) => i.ownerName).sort(), [EC, EO]);
      for (const address of copies) {
        const adversaries = groupsOf(base, address.groupIds).filter((g) => g.type === 'Adversary');
        assert.equal(adversaries.length, 2);
        for (const g of adversaries) {
          assert.equal(g.ownerName, address.ownerName);
          assert.ok(g.tags.includes('APT'));
        }
      }
      assert.deepEqual(find(base.indicators, 356001).groupIds, [700, 701]);
    });

    it('has adversary 5 in Example Community with indicators', () => {
      const g = find(base.groups, 5);
      assert.equal(g.type, 'Adversary');
      assert.equal(g.ownerName, EC);
      assert.ok(g.indicatorIds.length > 0);
    });

    it('has threat 38 with 8 indicators, 2 of them in Common Community, at least 2 TLP Red', () => {
      const threat = find(base.groups, 38);
      assert.equal(threat.type, 'Threat');
      assert.equal(threat.ownerName, EC);
      const indicators = indicatorsOf(base, threat.indicatorIds);
      assert.equal(indicators.length, 8);
      assert.equal(indicators.filter((i) => i.ownerName === CC).length, 2);
      const red = indicators.filter((i) => i.ownerName === EC && i.securityLabels.includes('TLP Red'));
      assert.ok(red.length >= 2);
      assert.deepEqual(find(big.groups, 38).indicatorIds, threat.indicatorIds);
    });

    it('has victim 10 with an asset, linked to Example Community groups and indicators and to the Example Org adversaries', () => {
      const victim = find(base.victims, 10);
      assert.ok(victim.assets.length >= 1);
      const groups = groupsOf(base, victim.groupIds);
      assert.ok(groups.some((g) => g.ownerName === EC && g.type === 'Adversary'));
      assert.ok(groups.some((g) => g.ownerName === EO && g.type === 'Adversary' && g.tags.includes('APT')));
      assert.ok(indicatorsOf(base, victim.indicatorIds).some((i) => i.ownerName === EC));
      assert.equal(find(base.groups, 720).ownerName, EC);
      assert.ok(victim.groupIds.includes(720));
    });

    it('has document 19 with its exact content', () => {
      const doc = find(base.groups, 19);
      assert.equal(doc.type, 'Document');
      assert.equal(doc.ownerName, EC);
      const stored = base.documents.find((d) => d.groupId === 19);
      assert.ok(stored);
      assert.ok(Buffer.isBuffer(stored.content));
      assert.equal(stored.content.toString('utf8'), 'Example document #19 contents.\n');
      assert.equal(doc.fileSize, stored.content.length);
      assert.equal(doc.fileName, stored.fileName);
    });

    it('has no incident 708996', () => {
      for (const data of [base, big]) {
        assert.equal(
          data.groups.find((g) => g.id === 708996),
          undefined,
        );
      }
    });

    it('has a few ASN custom indicators', () => {
      const asns = base.indicators.filter((i) => i.type === 'ASN');
      assert.ok(asns.length >= 3);
      for (const i of asns) {
        assert.match(i['AS Number'] ?? '', /^ASN\d+$/);
        assert.equal(i.summary, i['AS Number']);
        assert.ok(i.webLink.startsWith('/auth/indicators/details/customIndicator.xhtml?id='));
      }
    });
  });

  describe('exact tag and label counts', () => {
    for (const [name, data] of [
      ['n = 0', base],
      ['n = 2000', big],
    ] as const) {
      it(`puts EXAMPLE on exactly 20 Example Community indicators, addresses among them (${name})`, () => {
        const tagged = ecIndicatorsWith(data, (i) => i.tags.includes('EXAMPLE'));
        assert.equal(tagged.length, 20);
        assert.ok(tagged.filter((i) => i.type === 'Address').length >= 2);
        assert.equal(data.indicators.filter((i) => i.tags.includes('EXAMPLE')).length, 20);
      });

      it(`puts TLP Red on exactly 10 Example Community indicators, as the threat-38 example needs (${name})`, () => {
        const red = ecIndicatorsWith(data, (i) => i.securityLabels.includes('TLP Red'));
        assert.equal(red.length, 10);
        const threat = find(data.groups, 38).indicatorIds;
        assert.ok(red.filter((i) => threat.includes(i.id)).length >= 2);
        const neither = red.filter(
          (i) => !threat.includes(i.id) && !(i.type === 'Address' && i.tags.includes('APT')),
        );
        assert.ok(neither.length >= 2);
        assert.equal(data.indicators.filter((i) => i.securityLabels.includes('TLP Red')).length, 10);
      });
    }

    it('keeps TLP Red and EXAMPLE off every generated record', () => {
      const generated = [...big.indicators, ...big.groups, ...big.victims, ...big.tasks].filter(
        (x) => !isFixed(x),
      );
      assert.ok(generated.length > 2000);
      for (const item of generated) {
        assert.ok(!item.tags.includes('EXAMPLE'), `EXAMPLE on ${item.id}`);
        assert.ok(!item.securityLabels.includes('TLP Red'), `TLP Red on ${item.id}`);
      }
      assert.ok(generated.some((x) => x.tags.includes('APT')));
      assert.ok(generated.some((x) => x.securityLabels.length > 0));
    });
  });

  describe('consistency', () => {
    for (const [name, data] of [
      ['n = 0', base],
      ['n = 2000', big],
    ] as const) {
      it(`sorts every list by id, with unique ids (${name})`, () => {
        assertSortedUniqueIds('owners', data.owners);
        assertSortedUniqueIds('indicators', data.indicators);
        assertSortedUniqueIds('groups', data.groups);
        assertSortedUniqueIds('victims', data.victims);
        assertSortedUniqueIds('tasks', data.tasks);
        assertSortedUniqueIds('attributes', data.attributes);
        assertSortedUniqueIds(
          'documents',
          data.documents.map((d) => ({ id: d.groupId })),
        );
        const assets = data.victims.flatMap((v) => v.assets.map((a) => a.id)).sort((x, y) => x - y);
        assert.equal(new Set(assets).size, assets.length, 'asset ids are unique');
        // Tags by owner id, then name.
        const keys = data.tags.map((t) => `${OWNERS.indexOf(t.ownerName)}|${t.name}`);
        assert.deepEqual(keys, [...keys].sort());
      });

      it(`lists every association once and shows it from both ends (${name})`, () => {
        const exists = new Set<string>([
          ...data.indicators.map((i) => key('indicator', i.id)),
          ...data.groups.map((g) => key('group', g.id)),
          ...data.victims.map((v) => key('victim', v.id)),
          ...data.tasks.map((t) => key('task', t.id)),
        ]);
        const listed = data.associations.map((a) => {
          assert.ok(exists.has(key(a.a.kind, a.a.id)), `missing ${key(a.a.kind, a.a.id)}`);
          assert.ok(exists.has(key(a.b.kind, a.b.id)), `missing ${key(a.b.kind, a.b.id)}`);
          assert.notEqual(key(a.a.kind, a.a.id), key(a.b.kind, a.b.id));
          assert.ok(!(a.a.kind === 'indicator' && a.b.kind === 'indicator'), 'no indicator-indicator links');
          return pairKey(key(a.a.kind, a.a.id), key(a.b.kind, a.b.id));
        });
        assert.equal(new Set(listed).size, listed.length, 'no association is listed twice');
        // Each pair shows up once from each end.
        const fromRecords = linksFromRecords(data);
        const expected = listed.flatMap((pair) => [pair, pair]).sort();
        assert.deepEqual(fromRecords.sort(), expected);
      });

      it(`holds every attribute in the top-level list, with the displayed ones filling description and source (${name})`, () => {
        const top = new Map(data.attributes.map((a) => [a.id, a]));
        let count = 0;
        const check = (
          kind: SampleItemKind,
          item: SampleIndicator | SampleGroup | SampleVictim | SampleTask,
        ): void => {
          for (const a of item.attributes) {
            count += 1;
            assert.deepEqual(top.get(a.id), { ...a, itemKind: kind, itemId: item.id });
          }
          if (kind === 'group') return;
          const description = item.attributes.find((a) => a.type === 'Description' && a.displayed);
          assert.equal(
            (item as SampleIndicator).description,
            description?.value,
            `${kind} ${item.id} description`,
          );
          if (kind !== 'indicator') return;
          const source = item.attributes.find((a) => a.type === 'Source' && a.displayed);
          assert.equal((item as SampleIndicator).source, source?.value, `${kind} ${item.id} source`);
          for (const type of ['Description', 'Source']) {
            assert.ok(item.attributes.filter((a) => a.type === type && a.displayed).length <= 1);
          }
        };
        for (const i of data.indicators) check('indicator', i);
        for (const g of data.groups) check('group', g);
        for (const v of data.victims) check('victim', v);
        for (const t of data.tasks) check('task', t);
        assert.equal(count, data.attributes.length);
      });

      it(`lists every tag used, in its item's owner, and the built-in labels in every owner (${name})`, () => {
        const items = [...data.indicators, ...data.groups, ...data.victims, ...data.tasks];
        for (const owner of OWNERS) {
          const owned = items.filter((x) => x.ownerName === owner);
          assert.deepEqual(
            data.tags.filter((t) => t.ownerName === owner).map((t) => t.name),
            [...new Set(owned.flatMap((x) => x.tags))].sort(),
            owner,
          );
          const labels = data.securityLabels.filter((l) => l.ownerName === owner).map((l) => l.name);
          assert.deepEqual(labels, [
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
          ]);
          for (const x of owned) for (const l of x.securityLabels) assert.ok(labels.includes(l));
        }
        assert.deepEqual([...new Set(data.tags.map((t) => t.ownerName))], OWNERS);
        assert.deepEqual([...new Set(data.securityLabels.map((l) => l.ownerName))], OWNERS);
        for (const label of data.securityLabels) {
          assert.ok(label.description.length > 0);
          assert.ok(!Number.isNaN(Date.parse(label.dateAdded)));
        }
        for (const item of items) {
          assert.equal(new Set(item.tags).size, item.tags.length, `tag twice on ${item.id}`);
          assert.equal(new Set(item.securityLabels).size, item.securityLabels.length);
        }
      });

      it(`keeps indicator values unique per owner and type (${name})`, () => {
        const seen = new Set<string>();
        for (const i of data.indicators) {
          const values =
            i.type === 'File' ? [i.md5, i.sha1, i.sha256].filter((h) => h !== undefined) : [i.summary];
          for (const value of values) {
            const k = `${i.ownerName}|${i.type}|${value.toLowerCase()}`;
            assert.ok(!seen.has(k), `duplicate ${k}`);
            seen.add(k);
          }
        }
      });

      it(`gives every owner groups of all seven types and a few tasks (${name})`, () => {
        for (const owner of OWNERS) {
          for (const type of GROUP_TYPE_NAMES) {
            assert.ok(
              data.groups.some((g) => g.ownerName === owner && g.type === type),
              `${owner} has no ${type}`,
            );
          }
          assert.ok(data.tasks.filter((t) => t.ownerName === owner).length >= 3);
          assert.ok(data.victims.some((v) => v.ownerName === owner));
        }
      });
    }

    it('gives generated groups of all seven types in every owner', () => {
      for (const owner of OWNERS) {
        for (const type of GROUP_TYPE_NAMES) {
          assert.ok(big.groups.some((g) => !isFixed(g) && g.ownerName === owner && g.type === type));
        }
      }
      assert.ok(big.tasks.filter((t) => !isFixed(t)).length >= 3);
      assert.ok(big.victims.filter((v) => !isFixed(v)).length >= 3);
      assert.ok(big.associations.some((a) => a.a.id >= GENERATED_START));
    });
  });

  describe('record shapes', () => {
    const users = new Set(base.users.map((u) => u.userName));

    it('builds file summaries from the hashes present, in md5, sha1, sha256 order', () => {
      const files = big.indicators.filter((i) => i.type === 'File');
      assert.ok(files.some((f) => f.md5 && f.sha1 && f.sha256));
      assert.ok(files.some((f) => !(f.md5 && f.sha1 && f.sha256)));
      for (const f of files) {
        const hashes = [f.md5, f.sha1, f.sha256].filter((h) => h !== undefined);
        assert.ok(hashes.length >= 1);
        assert.equal(f.summary, hashes.join(' : '));
        if (f.md5 !== undefined) assert.match(f.md5, /^[0-9A-F]{32}$/);
        if (f.sha1 !== undefined) assert.match(f.sha1, /^[0-9A-F]{40}$/);
        if (f.sha256 !== undefined) assert.match(f.sha256, /^[0-9A-F]{64}$/);
      }
    });

    it('gives hosts their flags as the strings true and false', () => {
      const hosts = big.indicators.filter((i) => i.type === 'Host');
      for (const h of hosts) {
        for (const flag of [h.dnsActive, h.whoisActive]) {
          if (flag !== undefined || !isFixed(h)) assert.ok(flag === 'true' || flag === 'false');
        }
        assert.equal(h.hostName, h.summary);
      }
      assert.ok(hosts.some((h) => h.dnsActive === 'true') && hosts.some((h) => h.dnsActive === 'false'));
    });

    it('gives generated indicators valid values, dates, ratings and webLinks', () => {
      const epoch = Date.parse('2024-01-01T00:00:00Z');
      const generated = big.indicators.filter((i) => !isFixed(i));
      for (const i of generated) {
        assert.ok(OWNERS.includes(i.ownerName));
        assert.match(i.dateAdded, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.match(i.lastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(Date.parse(i.dateAdded) <= Date.parse(i.lastModified));
        assert.ok(Date.parse(i.lastModified) <= epoch);
        if (i.rating !== undefined) assert.ok(i.rating >= 0 && i.rating <= 5);
        if (i.confidence !== undefined)
          assert.ok(Number.isInteger(i.confidence) && i.confidence >= 0 && i.confidence <= 100);
        assert.ok(i.webLink.startsWith('/auth/indicators/details/'), i.webLink);
        assert.ok(i.webLink.endsWith(`&owner=${i.ownerName.replace(/ /g, '+')}`), i.webLink);
        if (i.type === 'Address') {
          assert.equal(i.ip, i.summary);
          assert.match(i.summary, /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7})$/);
        } else if (i.type === 'Host') {
          assert.match(i.summary, /^[a-z0-9.-]+\.[a-z]+$/);
        } else if (i.type === 'URL') {
          assert.equal(i.text, i.summary);
          const url = new URL(i.summary);
          assert.equal(url.hostname, url.hostname.toLowerCase());
          assert.equal(
            i.webLink,
            `/auth/indicators/details/url.xhtml?orgid=${i.id}&owner=${i.ownerName.replace(/ /g, '+')}`,
          );
        } else if (i.type === 'EmailAddress') {
          assert.equal(i.address, i.summary);
          assert.match(i.summary, /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
        }
      }
      const types = new Set(generated.map((i) => i.type));
      assert.deepEqual([...types].sort(), ['Address', 'EmailAddress', 'File', 'Host', 'URL']);
      assert.ok(
        generated.some((i) => i.type === 'Address' && i.summary.includes(':')),
        'a few IPv6 addresses',
      );
      assert.ok(
        generated.some((i) => i.rating === undefined) && generated.some((i) => i.confidence === undefined),
      );
      assert.ok(new Set(generated.map((i) => i.ownerName)).size === 3);
    });

    it('keeps every record, fixed and generated, active or not, in the ranges the API takes (decisions.md 2.5)', () => {
      const hasControl = (text: string): boolean =>
        Array.from({ length: text.length }, (_, k) => text.charCodeAt(k)).some((c) => c < 0x20 && c !== 0x09);
      for (const data of [base, big]) {
        for (const i of data.indicators) {
          const what = `indicator ${i.id}`;
          if (i.confidence !== undefined)
            assert.ok(Number.isInteger(i.confidence) && i.confidence >= 0 && i.confidence <= 100, what);
          if (i.rating !== undefined) assert.ok(i.rating >= 0 && i.rating <= 5, what);
          if (i.threatAssessRating !== undefined)
            assert.ok(i.threatAssessRating >= 0 && i.threatAssessRating <= 5, what);
          if (i.threatAssessConfidence !== undefined)
            assert.ok(i.threatAssessConfidence >= 0 && i.threatAssessConfidence <= 100, what);
          assert.ok(!hasControl(i.summary), what);
        }
        for (const x of [...data.indicators, ...data.groups, ...data.victims, ...data.tasks]) {
          if ('name' in x) {
            assert.ok(x.name.trim() !== '' && x.name.length <= 500 && !hasControl(x.name), `name of ${x.id}`);
          }
          for (const tag of x.tags) assert.ok(tag.length <= 128 && !hasControl(tag), `tag ${tag} on ${x.id}`);
        }
      }
      // The pool's confidence is 5 × (i + 1), capped at 100 for the last two.
      assert.deepEqual(
        base.indicators.filter((i) => i.id >= 100018 && i.id <= 100021).map((i) => i.confidence),
        [95, 100, 100, 100],
      );
    });

    it('fills the type-specific group fields', () => {
      for (const g of big.groups) {
        assert.ok(g.webLink.length > 0);
        if (!isFixed(g)) {
          const page = g.type.toLowerCase();
          assert.equal(g.webLink, `/auth/${page}/${page}.xhtml?${page}=${g.id}`);
        }
        if (g.type === 'Campaign')
          assert.ok(g.firstSeen !== undefined && !Number.isNaN(Date.parse(g.firstSeen)));
        if (g.type === 'Email') assert.ok(g.subject && g.header && g.body);
        if (g.type === 'Incident') {
          assert.ok(g.eventDate !== undefined && !Number.isNaN(Date.parse(g.eventDate)));
          assert.ok(INCIDENT_STATUSES.some((s) => s === g.status));
        }
        if (g.type === 'Signature') {
          assert.ok(g.fileName && g.fileText);
          assert.ok(SIGNATURE_FILE_TYPES.some((s) => s === g.fileType));
        }
        if (g.type === 'Document') {
          const doc = big.documents.find((d) => d.groupId === g.id);
          assert.ok(doc, `document ${g.id} has content`);
          assert.equal(doc.fileName, g.fileName);
          assert.equal(g.fileSize, doc.content.length);
          assert.ok(doc.content.length > 0);
        }
      }
      for (const doc of big.documents) assert.equal(find(big.groups, doc.groupId).type, 'Document');
    });

    it('gives victims assets and tasks valid statuses and known users', () => {
      for (const v of big.victims) {
        assert.ok(v.assets.length >= 1, `victim ${v.id} has an asset`);
        assert.equal(v.webLink, `/auth/victim/victim.xhtml?victim=${v.id}`);
      }
      for (const t of big.tasks) {
        assert.ok(TASK_STATUSES.includes(t.status));
        assert.ok(t.assignee.length >= 1);
        for (const u of [...t.assignee, ...t.escalatee]) assert.ok(users.has(u.userName));
        assert.equal(t.webLink, `/auth/workflow/task.xhtml?task=${t.id}`);
        if (t.ownerName !== EO) {
          const restricted = base.users.find((u) => u.role === 'restricted')?.userName;
          assert.ok(!t.assignee.some((u) => u.userName === restricted));
        }
      }
      assert.deepEqual([...new Set(big.tasks.map((t) => t.status))].sort(), [...TASK_STATUSES].sort());
    });
  });

  describe('sampleDataBatches', () => {
    /** The parts as JSON taken when each was yielded, so a record changed after its part left would show. */
    function snapshots(n: number, batchSize?: number): SampleData[] {
      const out: SampleData[] = [];
      for (const part of sampleDataBatches(n, batchSize))
        out.push(JSON.parse(JSON.stringify(part)) as SampleData);
      return out;
    }
    const json = (data: SampleData): string => JSON.stringify(data);
    /** Joins parts as sampleData does: every list appended, then sorted by id (associations by their ends). */
    function join(parts: SampleData[]): SampleData {
      const all = { ...parts[0]! };
      for (const k of Object.keys(all) as (keyof SampleData)[]) {
        (all[k] as unknown[]) = parts.flatMap((p) => p[k] as unknown[]);
      }
      const rank: Record<SampleItemKind, number> = { indicator: 0, group: 1, victim: 2, task: 3 };
      for (const k of ['indicators', 'groups', 'victims', 'tasks', 'attributes'] as const)
        (all[k] as { id: number }[]).sort((x, y) => x.id - y.id);
      all.associations.sort(
        (x, y) =>
          rank[x.a.kind] - rank[y.a.kind] ||
          x.a.id - y.a.id ||
          rank[x.b.kind] - rank[y.b.kind] ||
          x.b.id - y.b.id,
      );
      all.documents.sort((x, y) => x.groupId - y.groupId);
      return all;
    }

    for (const n of [0, 1, 7, 2500]) {
      it(`gives the records of sampleData(${n}), complete when yielded, whatever the batch size`, () => {
        const expected = json(JSON.parse(JSON.stringify(sampleData(n))) as SampleData);
        for (const size of [1, 3, 1000, DEFAULT_BATCH_SIZE, 100_000]) {
          const parts = snapshots(n, size);
          assert.equal(json(join(parts)), expected, `batch size ${size}`);
          const indicatorParts = parts.slice(1, -1);
          assert.equal(indicatorParts.length, Math.max(0, Math.ceil(n / size) - 1), `batch size ${size}`);
          for (const part of indicatorParts) assert.equal(part.indicators.length, size);
        }
      });
    }

    it('puts the owners, users and labels in the first part and the tags in the last', () => {
      const parts = snapshots(2500, 1000);
      const first = parts[0]!;
      const rest = parts.slice(1);
      const last = parts.at(-1)!;
      const data = sampleData(2500);
      assert.deepEqual(first.owners, data.owners);
      assert.deepEqual(first.users, data.users);
      assert.deepEqual(first.securityLabels, data.securityLabels);
      assert.ok(first.indicators.every(isFixed));
      assert.deepEqual(last.tags, JSON.parse(JSON.stringify(data.tags)));
      for (const part of rest) assert.deepEqual([part.owners, part.users, part.securityLabels], [[], [], []]);
      for (const part of parts.slice(0, -1)) assert.deepEqual(part.tags, []);
      // Each indicator appears once.
      const ids = parts.flatMap((p) => p.indicators.map((i) => i.id));
      assert.equal(new Set(ids).size, ids.length);
    });

    it('rejects a batch size that is not a positive integer', () => {
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        assert.throws(
          () => sampleDataBatches(10, bad),
          (error: unknown) =>
            error instanceof RangeError &&
            error.message === `sampleDataBatches: batchSize must be a positive integer, got ${String(bad)}`,
        );
      }
      assert.throws(() => sampleDataBatches(-1), RangeError);
    });
  });

  // How fast this is belongs to bench/ (a time limit here fails on a loaded machine); what matters here is
  // that the data stays right at the scale the benchmarks seed.
  describe('at scale', () => {
    it('builds 100,000 indicators: n generated, ids in order, one indicator per owner, type and value', () => {
      const data = sampleData(100_000);
      assert.equal(data.indicators.filter((i) => !isFixed(i)).length, 100_000);
      assertSortedUniqueIds('indicators', data.indicators);
      assertSortedUniqueIds('groups', data.groups);
      const values = new Set(data.indicators.map((i) => `${i.ownerName}|${i.type}|${i.summary}`));
      assert.equal(values.size, data.indicators.length, 'a value repeats within an owner and type');
    });
  });
});
