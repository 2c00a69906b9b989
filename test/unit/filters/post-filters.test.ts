/**
 * Post filters as predicates (sdk-behaviour.md 3.5, with the original's bugs fixed): dates compare
 * instants whatever their offsets and whatever the machine's zone, `addPfName` works with every
 * operator, numbers compare as numbers (`3 == 3.0`), tag and attribute filters read the object's own
 * lists, a field the object lacks matches nothing; descriptions and report values as the original's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FilterOperator, ValidationError } from '../../../src/index.js';
import type { PostFilterName } from '../../../src/filters/definitions.js';
import { createPostFilter, parseFilterDate } from '../../../src/filters/post-filters.js';

const { EQ, NE, GT, GE, LT, LE } = FilterOperator;
const OPS = [EQ, NE, GT, GE, LT, LE] as const;

/** The six comparisons of a against b, by hand. */
function expectedOps(a: number | string, b: number | string): boolean[] {
  return [a === b, a !== b, a > b, a >= b, a < b, a <= b];
}

describe('post filters', () => {
  describe('dates are instants', () => {
    // The seed's value; the same instant written in three zones.
    const instant = '2015-06-18T20:21:45-05:00';
    const sameInstant = [
      '2015-06-19T01:21:45Z',
      '2015-06-19T03:21:45+02:00',
      new Date(Date.UTC(2015, 5, 19, 1, 21, 45)),
    ];

    it('compare with EQ across offsets, and order by the instant, not by the wall clock', () => {
      for (const value of sameInstant) {
        const f = createPostFilter('addPfDateAdded', value, EQ);
        assert.equal(f.test({ dateAdded: instant }), true, String(value));
        assert.equal(f.test({ dateAdded: '2015-06-18T20:21:46-05:00' }), false);
      }
      // 20:21:45-05:00 is after 23:00:00+00:00 the day before, although its wall clock is earlier.
      const ge = createPostFilter('addPfDateAdded', '2015-06-18T23:00:00Z', GE);
      assert.equal(ge.test({ dateAdded: instant }), true);
      const lt = createPostFilter('addPfLastModified', '2015-06-18T23:00:00Z', LT);
      assert.equal(lt.test({ lastModified: instant }), false);
      assert.equal(lt.test({ lastModified: '2015-06-18T17:59:59-05:00' }), true);
    });

    it('every operator, on both date post filters', () => {
      const at = Date.parse(instant);
      for (const name of ['addPfDateAdded', 'addPfLastModified'] as const) {
        const field = name === 'addPfDateAdded' ? 'dateAdded' : 'lastModified';
        for (const delta of [-1000, 0, 1000]) {
          const other = new Date(at + delta);
          OPS.forEach((op, i) => {
            const f = createPostFilter(name, other, op);
            assert.equal(
              f.test({ [field]: instant }),
              expectedOps(at, at + delta)[i],
              `${name} ${op} ${delta}`,
            );
          });
        }
      }
    });

    it('describe the value as epoch seconds, as the original did', () => {
      const f = createPostFilter('addPfDateAdded', instant, GE);
      assert.equal(f.description, 'post filter by date added GE 1434676905 seconds');
      assert.equal(f.filter, 1434676905);
      assert.equal(f.method, 'filterDateAdded');
      assert.equal(
        createPostFilter('addPfLastModified', instant, EQ).description,
        'post filter by last modified EQ 1434676905 seconds',
      );
    });

    describe('on a machine in another zone', () => {
      const saved = process.env.TZ;
      before(() => {
        process.env.TZ = 'America/New_York';
      });
      after(() => {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      });

      it('a date-time without an offset is UTC, as a date alone is: the result does not depend on the machine', () => {
        // The zone took effect: a local reading of this string would be 4 hours later in June.
        assert.notEqual(new Date(2015, 5, 19, 1, 21, 45).getTime(), Date.UTC(2015, 5, 19, 1, 21, 45));
        assert.equal(
          parseFilterDate('2015-06-19T01:21:45', 'addPfDateAdded'),
          Date.UTC(2015, 5, 19, 1, 21, 45),
        );
        assert.equal(parseFilterDate('2015-06-19t01:21', 'addPfDateAdded'), Date.UTC(2015, 5, 19, 1, 21));
        assert.equal(parseFilterDate('2015-06-19', 'addPfDateAdded'), Date.UTC(2015, 5, 19));
        const f = createPostFilter('addPfDateAdded', '2015-06-19T01:21:45', EQ);
        assert.equal(f.test({ dateAdded: instant }), true);
      });
    });

    it('an unparseable date throws ValidationError naming the method and the value', () => {
      for (const [bad, shown] of [
        ['yesterday', '"yesterday"'],
        ['2015-13-45T00:00:00Z', '"2015-13-45T00:00:00Z"'],
        ['June 18, 2015', '"June 18, 2015"'],
        ['', '""'],
        [1434676905, '1434676905'],
        [new Date(Number.NaN), 'Invalid Date'],
        [null, 'null'],
      ] as const) {
        assert.throws(
          () => createPostFilter('addPfDateAdded', bad, GE),
          (e: unknown) =>
            e instanceof ValidationError &&
            e.message === `addPfDateAdded: ${shown} is not a valid date (use a Date or an ISO 8601 string)`,
          String(bad),
        );
      }
    });

    it('an object without the date matches nothing (a victim has no dateAdded)', () => {
      for (const op of OPS) {
        assert.equal(createPostFilter('addPfDateAdded', instant, op).test({}), false, op);
      }
    });
  });

  describe('name, type and file type: every operator', () => {
    const names = ['Bad Guy', 'Other Guy', 'bad guy', 'Bad Guy 2'];
    for (const name of ['addPfName', 'addPfType', 'addPfFileType'] as const) {
      const field = name === 'addPfName' ? 'name' : name === 'addPfType' ? 'type' : 'fileType';
      it(`${name} compares strings with ${OPS.join(', ')}`, () => {
        for (const a of names) {
          for (const b of names) {
            OPS.forEach((op, i) => {
              assert.equal(
                createPostFilter(name, b, op).test({ [field]: a }),
                expectedOps(a, b)[i],
                `${a} ${op} ${b}`,
              );
            });
          }
        }
        for (const op of OPS) assert.equal(createPostFilter(name, 'x', op).test({}), false);
      });
    }

    it('descriptions and report fields', () => {
      const f = createPostFilter('addPfName', 'Bad Guy', NE);
      assert.deepEqual(
        [f.description, f.filter, f.method, f.operator],
        ['post filter by name NE Bad Guy', 'Bad Guy', 'filterName', 'NE'],
      );
      assert.equal(
        createPostFilter('addPfFileType', 'YARA', EQ).description,
        'post filter by file type EQ YARA',
      );
      assert.equal(createPostFilter('addPfType', 'Host', EQ).description, 'post filter by type EQ Host');
    });
  });

  describe('numbers', () => {
    it('ratings compare as numbers: 3 equals 3.0, a numeric string is accepted, the description keeps it', () => {
      const f = createPostFilter('addPfRating', '3.0', EQ);
      assert.equal(f.test({ rating: 3 }), true);
      assert.equal(f.description, 'post filter by rating EQ 3.0');
      assert.equal(f.filter, '3.0');
      assert.equal(createPostFilter('addPfRating', 2, GE).description, 'post filter by rating GE 2.0');
      assert.equal(createPostFilter('addPfRating', 2.5, GE).description, 'post filter by rating GE 2.5');
      for (const name of ['addPfRating', 'addPfThreatAssessRating'] as const) {
        const field = name === 'addPfRating' ? 'rating' : 'threatAssessRating';
        for (const a of [0, 2.5, 3, 5]) {
          OPS.forEach((op, i) => {
            assert.equal(
              createPostFilter(name, 2.5, op).test({ [field]: a }),
              expectedOps(a, 2.5)[i],
              `${a} ${op}`,
            );
          });
        }
        assert.equal(createPostFilter(name, 0, GE).test({}), false);
      }
    });

    it('confidences compare as numbers', () => {
      for (const name of ['addPfConfidence', 'addPfThreatAssessConfidence'] as const) {
        const field = name === 'addPfConfidence' ? 'confidence' : 'threatAssessConfidence';
        for (const a of [0, 9, 10, 100]) {
          OPS.forEach((op, i) => {
            // '10' as a string would sort before '9'; the filter compares numbers.
            assert.equal(
              createPostFilter(name, '10', op).test({ [field]: a }),
              expectedOps(a, 10)[i],
              `${a} ${op}`,
            );
          });
        }
      }
      assert.equal(
        createPostFilter('addPfConfidence', 50, GE).description,
        'post filter by confidence GE 50',
      );
    });

    it('a rating outside 0-5 or a confidence outside 0-100 throws ValidationError with the value', () => {
      const cases: [Parameters<typeof createPostFilter>[0], unknown, string][] = [
        ['addPfRating', 6, 'addPfRating: 6 is not a rating from 0 to 5'],
        ['addPfRating', -0.5, 'addPfRating: -0.5 is not a rating from 0 to 5'],
        ['addPfRating', '5.5', 'addPfRating: "5.5" is not a rating from 0 to 5'],
        ['addPfRating', 'high', 'addPfRating: "high" is not a rating from 0 to 5'],
        [
          'addPfThreatAssessRating',
          Number.POSITIVE_INFINITY,
          'addPfThreatAssessRating: Infinity is not a rating from 0 to 5',
        ],
        ['addPfConfidence', 101, 'addPfConfidence: 101 is not an integer from 0 to 100'],
        ['addPfConfidence', -1, 'addPfConfidence: -1 is not an integer from 0 to 100'],
        ['addPfConfidence', 50.5, 'addPfConfidence: 50.5 is not an integer from 0 to 100'],
        ['addPfThreatAssessConfidence', '', 'addPfThreatAssessConfidence: "" is not a number from 0 to 100'],
        ['addPfConfidence', null, 'addPfConfidence: null is not an integer from 0 to 100'],
      ];
      for (const [name, value, message] of cases) {
        assert.throws(
          () => createPostFilter(name, value, EQ),
          (e: unknown) => e instanceof ValidationError && e.message === message,
          message,
        );
      }
      // The bounds themselves are valid.
      for (const [name, value] of [
        ['addPfRating', 0],
        ['addPfRating', 5],
        ['addPfConfidence', 0],
        ['addPfConfidence', 100],
      ] as const) {
        assert.doesNotThrow(() => createPostFilter(name, value, EQ));
      }
    });
  });

  describe('tags and attributes', () => {
    it("read the object's own lists, need them from the server, and match nothing without them", () => {
      const tag = createPostFilter('addPfTag', 'APT', EQ);
      assert.equal(tag.needs, 'tags');
      assert.equal(tag.test({ tags: ['C2', 'APT'] }), true);
      assert.equal(tag.test({ tags: ['C2'] }), false);
      assert.equal(tag.test({ tags: [] }), false);
      assert.equal(tag.test({}), false);
      assert.equal(createPostFilter('addPfTag', 'APT', NE).test({ tags: ['APT', 'C2'] }), true);
      const attribute = createPostFilter('addPfAttribute', 'Description', EQ);
      assert.equal(attribute.needs, 'attributes');
      assert.equal(attribute.test({ attributes: [{ type: 'Source' }, { type: 'Description' }] }), true);
      assert.equal(attribute.test({ attributes: [{ type: 'Source' }] }), false);
      assert.equal(attribute.test({}), false);
      assert.equal(attribute.description, 'post filter by attribute EQ Description');
      assert.equal(createPostFilter('addPfName', 'x', EQ).needs, undefined);
    });
  });

  it('an operator that is not a FilterOperator throws ValidationError, for every post filter', () => {
    // A valid value for each post filter, so only the operator is wrong.
    const VALUES: Record<PostFilterName, unknown> = {
      addPfAttribute: 'Description',
      addPfConfidence: 50,
      addPfDateAdded: '2015-06-18T20:21:45-05:00',
      addPfFileType: 'YARA',
      addPfLastModified: '2015-06-18T20:21:45-05:00',
      addPfName: 'Bad Guy',
      addPfRating: 2,
      addPfTag: 'APT',
      addPfThreatAssessConfidence: 50,
      addPfThreatAssessRating: 2,
      addPfType: 'Host',
    };
    for (const [name, value] of Object.entries(VALUES) as [PostFilterName, unknown][]) {
      assert.doesNotThrow(() => createPostFilter(name, value, EQ), name);
      for (const bad of ['==', 'eq', 'and', 0, null]) {
        assert.throws(
          () => createPostFilter(name, value, bad),
          (e: unknown) =>
            e instanceof ValidationError &&
            e.message ===
              `${name}: the operator must be a FilterOperator (EQ, NE, GT, GE, LT, LE), got ${typeof bad === 'string' ? `"${bad}"` : String(bad)}`,
          `${name} ${String(bad)}`,
        );
      }
    }
  });

  it('text values must be non-empty strings', () => {
    for (const name of ['addPfName', 'addPfType', 'addPfFileType', 'addPfTag', 'addPfAttribute'] as const) {
      for (const [bad, shown] of [
        ['', '""'],
        [5, '5'],
      ] as const) {
        assert.throws(
          () => createPostFilter(name, bad, EQ),
          (e: unknown) =>
            e instanceof ValidationError && e.message === `${name}: ${shown} is not a non-empty string`,
        );
      }
    }
  });
});
