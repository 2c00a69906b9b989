/**
 * The incremental readers of the bulk reports, fed random chunk boundaries.
 *
 * JSON (src/bulk/json-scanner.ts), against `JSON.parse` as the oracle: random documents `{"indicator":[...], ...}` (any JSON values, other members around the
 * array, random whitespace, non-ASCII text and escapes), split into chunks at random byte offsets
 * (inside multi-byte characters, escapes and numbers too), give exactly the elements `JSON.parse` finds;
 * every proper prefix of a document is refused; and a document with one byte replaced is read the same
 * as `JSON.parse` reads it, or refused when `JSON.parse` refuses it.
 *
 * CSV (src/bulk/csv-scanner.ts): random rows written as the sandbox writes them (RFC 4180 quoting,
 * `null` for a missing rating or confidence, a quoted `"null"` for the text), CRLF or LF, with or
 * without a final line ending, come back as the same rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type BulkCsvRow, BulkCsvScanner } from '../../src/bulk/csv-scanner.js';
import { JsonArrayScanner } from '../../src/bulk/json-scanner.js';
import { InvalidResponseError } from '../../src/index.js';

const RUNS = Number(process.env.BULK_SCANNER_RUNS ?? 300);

function scan(bytes: Uint8Array, cuts: readonly number[]): unknown[] {
  const scanner = new JsonArrayScanner({ key: 'indicator', what: 'the document', status: 200 });
  const out: unknown[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(Math.max(cut, from), bytes.length);
    out.push(...scanner.push(bytes.subarray(from, at)));
    from = at;
  }
  out.push(...scanner.push(bytes.subarray(from)));
  scanner.end();
  return out;
}

/** Text with non-ASCII characters (two-, three- and four-byte UTF-8), quotes, backslashes, controls. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', ',', ']', '}', '{', '[', ':'),
    fc.constantFrom('é', 'ß', '€', '中', '😀', '\u2028', '\ufeff'),
    fc.string({ unit: 'grapheme', maxLength: 1 }),
  ),
  maxLength: 12,
});

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    text,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Whitespace between tokens, as a document may have it. */
const spacing = fc.constantFrom('', '', '', ' ', '\n', '\r\n', '\t  ');

/** Serialises with random spacing between tokens (JSON.stringify's own, then more around commas and colons). */
function withSpacing(value: unknown, space: string[]): string {
  let n = 0;
  const next = (): string => space[n++ % space.length] ?? '';
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return `[${next()}${v.map((e) => `${write(e)}${next()}`).join(`,${next()}`)}]`;
    if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).map(([k, e]) => `${JSON.stringify(k)}${next()}:${next()}${write(e)}`);
      return `{${next()}${members.join(`${next()},${next()}`)}${next()}}`;
    }
    return JSON.stringify(v);
  };
  return write(value);
}

const documents = fc
  .record({
    elements: fc.array(json, { maxLength: 8 }),
    before: fc.dictionary(
      text.filter((k) => k !== 'indicator'),
      json,
      { maxKeys: 2 },
    ),
    after: fc.dictionary(
      text.filter((k) => k !== 'indicator'),
      json,
      { maxKeys: 2 },
    ),
    space: fc.array(spacing, { minLength: 1, maxLength: 6 }),
    escapeKey: fc.boolean(),
  })
  .map(({ elements, before, after, space, escapeKey }) => {
    const members = [
      ...Object.entries(before).map(([k, v]) => `${JSON.stringify(k)}:${withSpacing(v, space)}`),
      `${escapeKey ? '"indic\\u0061tor"' : '"indicator"'}${space[0] ?? ''}:${withSpacing(elements, space)}`,
      ...Object.entries(after)
        .filter(([k]) => !(k in before))
        .map(([k, v]) => `${JSON.stringify(k)}:${withSpacing(v, space)}`),
    ];
    const doc = `${space[1] ?? ''}{${members.join(`,${space[2] ?? ''}`)}}${space[3] ?? ''}`;
    return Buffer.from(doc, 'utf8');
  });

const cutsFor = (bytes: Uint8Array) =>
  fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: Math.min(40, bytes.length + 1) });

/** What JSON.parse reads: the elements, or undefined when it refuses the text or it has no array. */
function oracle(bytes: Uint8Array): unknown[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const list = (parsed as Record<string, unknown>).indicator;
  return Array.isArray(list) ? list : undefined;
}

describe('bulk JSON scanner (property)', () => {
  it('reads what JSON.parse reads, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(
        documents.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes))),
        ([bytes, cuts]) => {
          assert.deepEqual(scan(bytes, cuts), oracle(bytes));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses every proper prefix of a document with InvalidResponseError', () => {
    fc.assert(
      fc.property(
        documents.chain((bytes) =>
          fc.tuple(fc.constant(bytes), fc.integer({ min: 0, max: bytes.length - 1 }), cutsFor(bytes)),
        ),
        ([bytes, length, cuts]) => {
          const prefix = bytes.subarray(0, length);
          // Cutting only trailing whitespace leaves a whole document.
          if (oracle(prefix) !== undefined) return;
          assert.throws(() => scan(prefix, cuts), InvalidResponseError);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('agrees with JSON.parse on documents with one byte replaced', () => {
    const structural = fc.constantFrom(...'{}[],:"\\ 0a-.e'.split('').map((c) => c.charCodeAt(0)));
    fc.assert(
      fc.property(
        documents.chain((bytes) =>
          fc.tuple(
            fc.constant(bytes),
            fc.integer({ min: 0, max: bytes.length - 1 }),
            structural,
            cutsFor(bytes),
          ),
        ),
        ([bytes, at, byte, cuts]) => {
          const changed = Buffer.from(bytes);
          changed[at] = byte;
          const expected = oracle(changed);
          if (expected === undefined) assert.throws(() => scan(changed, cuts), InvalidResponseError);
          else assert.deepEqual(scan(changed, cuts), expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value === 'null' ? `"${value.replace(/"/g, '""')}"` : value;
}

function scanCsv(bytes: Uint8Array, cuts: readonly number[]): BulkCsvRow[] {
  const scanner = new BulkCsvScanner({ what: 'the document', status: 200 });
  const out: BulkCsvRow[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(Math.max(cut, from), bytes.length);
    out.push(...scanner.push(bytes.subarray(from, at)));
    from = at;
  }
  out.push(...scanner.push(bytes.subarray(from)));
  out.push(...scanner.end());
  return out;
}

const csvRows = fc.array(
  fc.record({
    type: text,
    value: fc.oneof(text, fc.constant('null')),
    rating: fc.option(fc.integer({ min: 0, max: 500 }).map((n) => n / 100)),
    confidence: fc.option(fc.integer({ min: 0, max: 100 })),
  }),
  { maxLength: 10 },
);

describe('bulk CSV scanner (property)', () => {
  it('reads back the rows the sandbox writes, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(
        csvRows,
        fc.constantFrom('\r\n', '\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 30 }),
        (rows, eol, finalEol, rawCuts) => {
          const lines = [
            'Type,Value,Rating,Confidence',
            ...rows.map((r) =>
              [
                csvField(r.type),
                csvField(r.value),
                r.rating === null ? 'null' : r.rating.toFixed(2),
                r.confidence === null ? 'null' : String(r.confidence),
              ].join(','),
            ),
          ];
          const bytes = Buffer.from(lines.join(eol) + (finalEol ? eol : ''), 'utf8');
          const cuts = rawCuts.map((n) => n % (bytes.length + 1));
          assert.deepEqual(
            scanCsv(bytes, cuts),
            rows.map((r) => ({ ...r })),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
