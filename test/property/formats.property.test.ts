/**
 * Round-trip properties of the default formats (issue 9; decisions.md 3.1). Each line is parsed back by
 * the independent, strict parsers of test/helpers/format-parsers.ts and compared with what the format
 * must carry (test/helpers/format-model.ts):
 *
 * - CEF extension values, CSV fields, KeyVal values and JSON values come back exactly (C0 controls
 *   other than tab, CR and LF are dropped in CEF, LEEF and KeyVal);
 * - CEF header fields and LEEF values, which have no escape for them, carry the documented
 *   replacement (a space for CR and LF; for tab too in LEEF, and for the LEEF 2.0 delimiter);
 * - there is never an extra event, line, record, field or key.
 *
 * Inputs: `| = \ " , ;`, tab, CR, LF, NUL and other controls, non-BMP characters, lone surrogates,
 * empty and very long values, every indicator and group type, null and missing fields, odd numbers.
 * The last test runs 100,000 seeded random records through the four text formats.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  csvHeader,
  type FormatRecord,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  formatLines,
  isGroupRecord,
} from '../../src/formats/index.js';
import {
  compareFields,
  comparePairs,
  epochMs,
  expectedCef,
  expectedCsv,
  expectedJson,
  expectedKeyval,
  expectedLeef,
} from '../helpers/format-model.js';
import { isoEpochText } from '../../src/formats/cef-parts.js';
import { isoEpochSeconds, isoToEpochMs } from '../../src/formats/dates.js';
import { epochText } from '../../src/formats/text.js';
import { parseCef, parseCsv, parseKeyval, parseLeef } from '../helpers/format-parsers.js';
import { arbDate, arbGroup, arbIndicator, arbRecord, prng, randomRecord } from '../helpers/format-records.js';

const RUNS = { numRuns: 400 };

function checkCef(record: FormatRecord): string | null {
  const event = parseCef(formatCef(record));
  const want = expectedCef(record);
  if (JSON.stringify(event.header) !== JSON.stringify(want.header)) {
    return `header ${JSON.stringify(event.header)}, expected ${JSON.stringify(want.header)}`;
  }
  return comparePairs(event.extension, want.extension);
}

function checkLeef(record: FormatRecord, delimiter?: string): string | null {
  const line = formatLeef(record, delimiter === undefined ? undefined : { version: '2.0', delimiter });
  const event = parseLeef(line);
  const header = [
    'threatconnect',
    'threatconnect',
    '2',
    typeof record.id === 'number' && Number.isFinite(record.id) ? String(record.id) : '',
  ];
  if (JSON.stringify(event.header) !== JSON.stringify(header))
    return `header ${JSON.stringify(event.header)}`;
  if (event.version !== (delimiter === undefined ? '1.0' : '2.0')) return `version ${event.version}`;
  if (delimiter !== undefined && event.delimiter !== delimiter)
    return `delimiter ${JSON.stringify(event.delimiter)}`;
  return comparePairs(event.attributes, expectedLeef(record, delimiter));
}

function checkCsv(record: FormatRecord): string | null {
  const records = parseCsv(formatCsv(record));
  if (records.length !== 1) return `${records.length} records`;
  return compareFields(records[0] as string[], expectedCsv(record));
}

function checkKeyval(record: FormatRecord): string | null {
  return comparePairs(parseKeyval(formatKeyval(record)), expectedKeyval(record));
}

function checkJson(record: FormatRecord): string | null {
  const line = formatJson(record);
  if (/[\r\n]/.test(line)) return 'a line break in the JSON text';
  assert.deepEqual(JSON.parse(line), expectedJson(record));
  return null;
}

/** Runs a check; a parse error or a difference fails with the record shown. */
function holds(check: (record: FormatRecord) => string | null): (record: FormatRecord) => void {
  return (record) => {
    const problem = check(record);
    assert.equal(problem, null, problem ?? '');
  };
}

describe('CEF round trip (ArcSight CEF rev 25)', () => {
  it('one event; header fields escaped (CR/LF as spaces); extension keys and values exact', () => {
    fc.assert(fc.property(arbIndicator, holds(checkCef)), RUNS);
  });
});

describe('LEEF round trip (IBM LEEF 1.0 and 2.0)', () => {
  it('LEEF 1.0: one event, tab-separated; tab, CR and LF in values become a space', () => {
    fc.assert(
      fc.property(
        arbIndicator,
        holds((r) => checkLeef(r)),
      ),
      RUNS,
    );
  });
  it('LEEF 2.0 with a chosen delimiter: it becomes a space in values too', () => {
    fc.assert(
      fc.property(arbIndicator, fc.constantFrom('^', '#', ';', '\t', '~'), (record, delimiter) => {
        holds((r) => checkLeef(r, delimiter))(record);
      }),
      RUNS,
    );
  });
});

describe('CSV round trip (RFC 4180)', () => {
  it('every record is exactly one CSV record with the header’s field count; fields exact', () => {
    fc.assert(fc.property(arbRecord, holds(checkCsv)), RUNS);
  });
  it('a stream of records is the header then one record each, CRLF after every record', () => {
    fc.assert(
      fc.property(fc.array(arbIndicator, { maxLength: 8 }), (records) => {
        const text = [...formatLines(records, 'csv')].join('');
        const parsed = parseCsv(text);
        if (records.length === 0) {
          assert.equal(text, '');
          return;
        }
        assert.ok(text.endsWith('\r\n'));
        assert.equal(parsed.length, records.length + 1);
        assert.deepEqual(parsed[0], csvHeader('indicator').split(','));
        for (const [i, record] of records.entries()) {
          const problem = compareFields(parsed[i + 1] as string[], expectedCsv(record));
          assert.equal(problem, null, `record ${i}: ${problem ?? ''}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('KeyVal round trip', () => {
  it('one line of sorted pairs; values exact, nulls absent', () => {
    fc.assert(fc.property(arbRecord, holds(checkKeyval)), RUNS);
  });
});

describe('JSON round trip', () => {
  it('one line; JSON.parse gives every field, null kept', () => {
    fc.assert(fc.property(arbRecord, holds(checkJson)), RUNS);
  });
});

describe('dates', () => {
  it('isoToEpochMs reads what the model reads (Date.UTC), and nothing else', () => {
    fc.assert(
      fc.property(arbDate, (text) => {
        assert.equal(isoToEpochMs(text), epochMs(text));
      }),
      { numRuns: 3000 },
    );
  });
  it('the integer fast path (1970-2037, the API layouts) agrees with the general parser', () => {
    // Dates around the fast path's edges: 1969 to 2038, every offset layout, and impossible days.
    const layout = fc
      .tuple(
        fc.integer({ min: 1969, max: 2038 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom('Z', '+00:00', '-05:00', '+14:00', '-23:59', '+23:59', '+24:00', '-00:60', 'z', ''),
      )
      .map(([y, mo, d, h, mi, s, zone]) => {
        const p = (n: number): string => String(n).padStart(2, '0');
        return `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${zone}`;
      });
    const edges = fc.constantFrom(
      '1970-01-01T00:00:00Z',
      '1970-01-01T00:00:00+00:01',
      '1970-01-01T00:00:00-00:01',
      '1969-12-31T23:59:59Z',
      '2037-12-31T23:59:59-23:59',
      '2038-01-19T03:14:07Z',
      '2016-02-29T12:00:00Z',
      '2015-02-29T12:00:00Z',
      '2000-02-29T00:00:00+01:00',
      '2015-06-21T10:40:33-05:00',
      '2015-06-21 10:40:33Z',
      '2015-06-21T10:40:33.000Z',
      '2O15-06-21T10:40:33Z',
    );
    fc.assert(
      fc.property(fc.oneof(layout, edges, arbDate), (text) => {
        const ms = isoToEpochMs(text);
        const seconds = isoEpochSeconds(text);
        if (seconds >= 0) assert.equal(seconds * 1000, ms, text);
        assert.equal(isoEpochText(text), ms === null ? null : String(ms), text);
      }),
      { numRuns: 5000 },
    );
    // The fast path is taken where it should be (a test that could not fail otherwise).
    assert.equal(isoEpochSeconds('2015-06-21T10:40:33-05:00'), 1434901233);
    assert.equal(isoEpochSeconds('1970-01-01T00:00:00+00:01'), -1);
    assert.equal(isoEpochSeconds('2038-01-01T00:00:00Z'), -1);
  });
  it('epoch milliseconds print as String() prints them', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        assert.equal(epochText(ms), String(ms));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('groups', () => {
  it('CEF and LEEF refuse a group', () => {
    fc.assert(
      fc.property(arbGroup, (group) => {
        assert.ok(isGroupRecord(group));
        assert.throws(() => formatCef(group), { code: 'TC_VALIDATION' });
        assert.throws(() => formatLeef(group), { code: 'TC_VALIDATION' });
      }),
      { numRuns: 50 },
    );
  });
});

describe('fuzz: 100,000 seeded random records through CEF, LEEF, CSV and KeyVal', () => {
  it('zero forged events, lines, records or fields; every value as specified', (t) => {
    const seed = 20_150_621;
    const random = prng(seed);
    const count = 100_000;
    const started = performance.now();
    const cpu = process.cpuUsage();
    let lines = 0;
    for (let i = 0; i < count; i += 1) {
      const record = randomRecord(random);
      const group = isGroupRecord(record);
      const checks: [string, (r: FormatRecord) => string | null][] = group
        ? [
            ['CSV', checkCsv],
            ['KeyVal', checkKeyval],
          ]
        : [
            ['CEF', checkCef],
            ['LEEF', (r) => checkLeef(r)],
            ['CSV', checkCsv],
            ['KeyVal', checkKeyval],
          ];
      for (const [name, check] of checks) {
        let problem: string | null;
        try {
          problem = check(record);
        } catch (error) {
          problem = error instanceof Error ? error.message : String(error);
        }
        if (problem !== null) {
          assert.fail(`record ${i} of seed ${seed} (${name}): ${problem}\n${JSON.stringify(record)}`);
        }
        lines += 1;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    t.diagnostic(
      `${count} records, ${lines} lines formatted and parsed back in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU)`,
    );
  });
});
