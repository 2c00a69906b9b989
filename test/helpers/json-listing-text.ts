/**
 * Text of v2 listings for the tests of src/core/json-body.ts, and the comparison with `JSON.parse`:
 * bodies built as bytes, with random white space between tokens, escapes chosen at random, lone
 * surrogate escapes, raw U+2028, invalid UTF-8 inside strings and next to cuts, duplicate and
 * prototype-like keys, items that are not objects, and envelopes that almost have the listing shape.
 * `check` compares `parseListing` (at small slices, so that small bodies are cut many times) and
 * `parseJsonBody` with `JSON.parse(body.toString('utf8'))`: the same values (`Object.is`), prototypes,
 * own keys in order and descriptors, or the same error.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseJsonBody, parseListing, type SliceStats } from '../../src/core/json-body.js';

// ---------------------------------------------------------------------------------------------------
// Comparison

/** Throws unless `a` and `b` are the same JSON.parse-made value: key order and prototypes included. */
export function same(a: unknown, b: unknown, at = '$'): void {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    assert.ok(Object.is(a, b), `${at}: ${JSON.stringify(a)} !== ${JSON.stringify(b)}`);
    return;
  }
  assert.equal(Array.isArray(a), Array.isArray(b), `${at}: array or not`);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), `${at}: prototype`);
  assert.equal(Object.isExtensible(a), Object.isExtensible(b), `${at}: extensible`);
  const keys = Reflect.ownKeys(a);
  assert.deepEqual(keys, Reflect.ownKeys(b), `${at}: own keys in order`);
  for (const key of keys) {
    const da = Object.getOwnPropertyDescriptor(a, key);
    const db = Object.getOwnPropertyDescriptor(b, key);
    assert.ok(da !== undefined && db !== undefined && 'value' in da && 'value' in db, `${at}.${String(key)}`);
    assert.equal(da.writable, db.writable, `${at}.${String(key)}: writable`);
    assert.equal(da.enumerable, db.enumerable, `${at}.${String(key)}: enumerable`);
    assert.equal(da.configurable, db.configurable, `${at}.${String(key)}: configurable`);
    same(da.value, db.value, `${at}.${String(key)}`);
  }
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

export const outcome = (parse: () => unknown): Outcome => {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
};

export const reference = (body: Buffer): Outcome => outcome(() => JSON.parse(body.toString('utf8')));

/** Checks `parseListing` at each slice and `parseJsonBody` against JSON.parse of the whole body. */
export function check(body: Buffer, slices: readonly number[], label = ''): { sliced: number } {
  const expected = reference(body);
  const show = () => `${label} body=${JSON.stringify(body.toString('latin1').slice(0, 400))}`;
  let sliced = 0;
  for (const slice of slices) {
    const stats: SliceStats = { runs: 0, failed: false };
    const got = outcome(() => parseListing(body, slice, stats));
    assert.ok(got.ok, `parseListing threw (slice ${slice}): ${got.ok ? '' : got.error.message} ${show()}`);
    if (got.value === undefined) continue;
    sliced += 1;
    assert.ok(
      expected.ok,
      `parseListing returned a value where JSON.parse throws ${expected.ok ? '' : expected.error.message} (slice ${slice}) ${show()}`,
    );
    same(got.value, expected.value, `slice ${slice} ${show()} $`);
  }
  const whole = outcome(() => parseJsonBody(body));
  if (expected.ok) {
    assert.ok(whole.ok, `parseJsonBody threw ${whole.ok ? '' : whole.error.message} ${show()}`);
    same(whole.value, expected.value, `parseJsonBody ${show()} $`);
  } else {
    assert.ok(!whole.ok, `parseJsonBody returned a value where JSON.parse throws ${show()}`);
    assert.equal(whole.error.constructor, expected.error.constructor, show());
    assert.equal(whole.error.message, expected.error.message, show());
  }
  return { sliced };
}

// ---------------------------------------------------------------------------------------------------
// Bytes

/** Private-use characters in generated text stand for these raw (mostly invalid) UTF-8 sequences. */
const RAW: Record<string, number[]> = {
  '\uE001': [0xff],
  '\uE002': [0xc3], // lead byte, no continuation
  '\uE003': [0xe2, 0x82], // truncated 3-byte
  '\uE004': [0xf0, 0x9f, 0x98], // truncated 4-byte
  '\uE005': [0xed, 0xa0, 0x80], // an encoded surrogate
  '\uE006': [0x80], // lone continuation
  '\uE007': [0xc0, 0xaf], // overlong '/'
  '\uE008': [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  '\uE009': [0xef, 0xbb, 0xbf], // a BOM
};
const MARKERS = Object.keys(RAW);
const MARKER = /[\uE001-\uE009]/;

/** UTF-8 of `text`, each marker replaced by its raw bytes. */
export function encode(text: string): Buffer {
  const parts: Buffer[] = [];
  let rest = text;
  for (let m = MARKER.exec(rest); m !== null; m = MARKER.exec(rest)) {
    parts.push(Buffer.from(rest.slice(0, m.index)), Buffer.from(RAW[m[0]] ?? []));
    rest = rest.slice(m.index + 1);
  }
  parts.push(Buffer.from(rest));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------------
// Generators of JSON text (valid unless mutated)

export const ws = fc.constantFrom('', '', '', '', '', ' ', '\n', '\t', '\r', ' \r\n\t ');

/**
 * Pieces of a string literal's text, as written between its quotes: valid escapes, raw characters,
 * and pieces with a raw `"` (`},{"`), which end the string early, so that many bodies are not JSON.
 */
const STRING_PIECES = [
  'a',
  'id',
  ' ',
  '},{',
  '},{"',
  '}',
  ',',
  '{',
  ',{"',
  ']}}',
  '[',
  ']',
  ':',
  '\\"',
  '\\\\',
  '\\/',
  '\\b\\f\\n\\r\\t',
  '\\u0022',
  '\\u005c',
  '\\u005C',
  '\\u007d',
  '\\u0000',
  '\\ud800',
  '\\udfff',
  '\\uDBFF\\uDFFF',
  '\\ud83d\\ude00',
  '\\u2028',
  '\u2028',
  '\u2029',
  '\u00e9',
  '\u{1F600}',
  '\u{10FFFF}',
  '\uFEFF',
  '\u007f',
  ...MARKERS,
];
const str = fc
  .array(fc.constantFrom(...STRING_PIECES), { maxLength: 6 })
  .map((pieces) => `"${pieces.join('')}"`);

const KEYS = [
  'id',
  // The second key of generated items (`{"id":N,"o":`): nested objects that start so look like items.
  'o',
  'a',
  '',
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  'length',
  '0',
  '1',
  '10',
  '-1',
  '4294967294',
  '4294967295',
  '},{',
  '\\u005f_proto__',
  '__proto\\u005f_',
  'status',
  'data',
  'indicator',
  'resultCount',
  '\\ud800',
  '\u{1F600}',
  '\uE003',
];
const key = fc.constantFrom(...KEYS).map((k) => `"${k}"`);

const num = fc.constantFrom(
  '0',
  '-0',
  '1',
  '-1.5E-3',
  '1e400',
  '-1e400',
  '1e-400',
  '12345678901234567890',
  '0.1',
  '9007199254740993',
  '2.5e+2',
);
const literal = fc.constantFrom('true', 'false', 'null');

const join = (parts: string[], w: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(w, w), { minLength: parts.length, maxLength: parts.length })
    .map((spaces) =>
      parts.map((p, n) => (n === 0 ? p : `${spaces[n]?.[0] ?? ''},${spaces[n]?.[1] ?? ''}${p}`)).join(''),
    );

const { value, object } = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    str,
    num,
    literal,
    tie('object'),
    tie('array'),
  ),
  object: fc
    .tuple(
      fc.array(fc.tuple(key, ws, ws, tie('value')), { maxLength: 4 }),
      ws,
      ws,
      fc.array(fc.tuple(ws, ws), { maxLength: 4 }),
    )
    .map(([members, open, close, spaces]) => {
      const text = members
        .map(([k, w1, w2, v], n) => {
          const [s1, s2] = spaces[n] ?? ['', ''];
          return `${n === 0 ? '' : `${s1},${s2}`}${k}${w1}:${w2}${v}`;
        })
        .join('');
      // White space after `{` is rare, so that most items start with `{"` and a cut can be found.
      return `{${members.length === 0 ? open : ''}${text}${close}}`;
    }),
  array: fc
    .tuple(fc.array(tie('value'), { maxLength: 4 }), ws, ws, fc.array(fc.tuple(ws, ws), { maxLength: 4 }))
    .map(([values, open, close, spaces]) => {
      const text = values
        .map((v, n) => {
          const [s1, s2] = spaces[n] ?? ['', ''];
          return `${n === 0 ? '' : `${s1},${s2}`}${v}`;
        })
        .join('');
      return `[${open}${text}${close}]`;
    }),
}));

/** Arrays of objects nested in items: their `},{"` look like cuts. */
const objects = fc
  .array(object, { minLength: 2, maxLength: 4 })
  .map((os) => `[${os.map((o) => (o === '{}' ? '{"id":0}' : o)).join(',')}]`);

/** An item: mostly an object starting with `{"`, sometimes anything. */
export const item = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.nat(99), object, objects)
      .map(([id, o, os]) => `{"id":${id},"o":${o},"list":${os}}`),
  },
  { weight: 4, arbitrary: object },
  { weight: 2, arbitrary: value },
  { weight: 1, arbitrary: objects },
);

/** The envelope up to its `[`: mostly the shape the slicer takes, sometimes a near miss. */
export const head = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom('Success', 'Error', 'x', 'SUCCESS'),
        fc.constantFrom(null, '0', '7', '1234567890123456', '9999999999999999'),
        fc.constantFrom(
          'indicator',
          'adversary',
          'resultCount',
          'status',
          'data',
          'constructor',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'proto',
        ),
      )
      .map(
        ([status, count, k]) =>
          `{"status":"${status}","data":{${count === null ? '' : `"resultCount":${count},`}"${k}":[`,
      ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"status":"Success","data":{"resultCount":12345678901234567,"indicator":[', // 17 digits
      '{"status":"Success","data":{"resultCount":1e3,"indicator":[',
      '{"status":"Success","data":{"resultCount":-1,"indicator":[',
      '{"status":"Success","data":{"resultCount":00,"indicator":[',
      '{"status":"Success","status":"Error","data":{"indicator":[',
      '{"status":"Success","data":{"resultCount":1,"resultCount":2,"indicator":[',
      '{"status":"Success","data":{"__proto__":[',
      '{"status":"Success","data":{"indicator":1,"indicator":[',
      '{"status":"Suc\\u0063ess","data":{"indicator":[',
      '{"status":"Success", "data":{"indicator":[',
      ' {"status":"Success","data":{"indicator":[',
      '{"status":"Success","data":{"indicator": [',
      '{"status":"","data":{"indicator":[',
      '{"status":"Success","data":{"indicator":[[',
      '{"status":"Success","data":{"indicator":{"x":[',
    ),
  },
);

const tail = fc.oneof(
  { weight: 10, arbitrary: fc.constant(']}}') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ']}} ',
      ']} }',
      ' ]}}',
      ']}}\n',
      ']}}]}}',
      ']}},',
      ']}}x',
      ']}}\0',
      ']]}}',
      ',]}}',
      '}]}}',
    ),
  },
);

export const listingText = fc
  .tuple(head, ws, fc.array(item, { maxLength: 8 }), ws, tail)
  .chain(([h, w1, items, w2, t]) => join(items, ws).map((text) => `${h}${w1}${text}${w2}${t}`));

/** Structural fragments for text that is mostly not JSON. */
export const CHAOS = [
  '},{"',
  '},{"id":1',
  '{"id":1}',
  '{"a":"',
  '"',
  '\\',
  '\\"',
  '{',
  '}',
  '[',
  ']',
  ']}}',
  ',',
  ',,',
  ':',
  '1',
  'null',
  ' ',
  '\0',
  '\u0001',
  '\u2028',
  '\\ud800',
  ...MARKERS,
];

export const slices = fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 });
export const ALL_SMALL = [1, 2, 3, 4, 5, 7, 8, 13, 31, 64, 200];
