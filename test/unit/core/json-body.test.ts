/**
 * The JSON of a response body (src/core/json-body.ts): a large listing is parsed in slices of its
 * items, and the result is always the one `JSON.parse` gives for the whole body. Small slices here
 * put many cuts in small bodies; one test runs the real sizes through `parseJsonBody`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseJsonBody, parseListing, type SliceStats } from '../../../src/core/json-body.js';
import { InvalidResponseError } from '../../../src/core/errors.js';
import { ApiResponse } from '../../../src/core/response.js';

/** Pieces that look like the structure the slicer cuts at, and text that is hard to decode. */
const FRAGMENTS = [
  '},{"',
  '},{"id":',
  ']}}',
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  'a',
  'id',
  'é',
  '😀',
  '\u2028',
  '\0',
  ' ',
];
const nasty = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }).map((parts) => parts.join(''));
const plain = fc.stringMatching(/^[a-z0-9 .-]{0,12}$/);

/** An item as the API writes them: `id` first, then values, nested objects and arrays of objects. */
const item = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.nat(),
      text,
      fc.array(fc.record({ id: fc.nat(), value: text }), { maxLength: 3 }),
      fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
    )
    .map(([id, summary, attribute, extra]) => ({
      id,
      summary,
      ...(attribute.length > 0 ? { attribute } : {}),
      ...(extra === undefined ? {} : { extra }),
    }));

/** A listing body; `count` null: without `resultCount`. */
const listing = (items: unknown[], key = 'indicator', count: number | null = items.length): Buffer =>
  Buffer.from(
    JSON.stringify({
      status: 'Success',
      data: count === null ? { [key]: items } : { resultCount: count, [key]: items },
    }),
  );

const reference = (body: Buffer): unknown => JSON.parse(body.toString('utf8'));

describe('parseListing: a listing in slices', () => {
  it('gives what JSON.parse gives, slice after slice when no string or nested array looks like a cut', () => {
    const flat = fc
      .tuple(fc.nat(), plain, fc.option(fc.integer(), { nil: null }))
      .map(([id, summary, rating]) => ({ id, summary, rating, tags: [summary, 'x'] }));
    fc.assert(
      fc.property(
        fc.array(flat, { maxLength: 40 }),
        fc.constantFrom('indicator', 'adversary', 'owner'),
        fc.option(fc.nat(), { nil: null }),
        fc.integer({ min: 1, max: 300 }),
        (items, key, count, slice) => {
          const body = listing(items, key, count);
          const stats: SliceStats = { runs: 0, failed: false };
          const sliced = parseListing(body, slice, stats);
          assert.deepEqual(sliced, reference(body));
          assert.equal(stats.failed, false);
          // One run per slice: every cut found after a slice's length took (the text is ASCII here).
          const text = body.toString();
          const end = text.length - 3;
          let from = text.indexOf(`"${key}":[`) + key.length + 4;
          let runs = 0;
          while (from < end) {
            runs += 1;
            const cut = end - from > slice ? text.indexOf('},{"', from + slice) : -1;
            if (cut === -1 || cut >= end) break;
            from = cut + 2;
          }
          assert.equal(stats.runs, runs);
        },
      ),
    );
  });

  it('gives what JSON.parse gives when strings hold the cut or brackets and items nest arrays of objects', () => {
    fc.assert(
      fc.property(
        fc.array(item(nasty), { maxLength: 30 }),
        fc.integer({ min: 1, max: 200 }),
        (items, slice) => {
          const body = listing(items);
          assert.deepEqual(parseListing(body, slice), reference(body));
        },
      ),
    );
  });

  it('cuts where an item starts as the first one does, not in its strings or nested objects', () => {
    // Items of a listing start alike (`{"id":…,"ownerName":`); their tags and attributes do not. A
    // string that ends with `},{` shows the cut, its closing quote taken for the `"` of a key.
    const items = Array.from({ length: 6 }, (_, n) => ({
      id: n + 1,
      ownerName: 'x},{',
      note: '},{"id":2,"ownerName":"',
      attribute: [
        { id: 100 + n, type: 'Description' },
        { id: 200 + n, type: 'Source' },
      ],
      tag: [{ name: 'a' }, { name: 'b' }],
    }));
    const body = listing(items);
    const stats: SliceStats = { runs: 0, failed: false };
    assert.deepEqual(parseListing(body, 1, stats), reference(body));
    assert.deepEqual(stats, { runs: 6, failed: false }, 'a run per item, none failed');
  });

  it('gives what JSON.parse gives when nested objects start as the items do', () => {
    // `{"id":…,"ownerName":` inside an item's list is taken for a cut, and that run fails.
    const nested = fc.record({ id: fc.nat(), ownerName: plain });
    const alike = fc
      .tuple(fc.nat(), plain, fc.array(nested, { maxLength: 4 }))
      .map(([id, ownerName, list]) => ({ id, ownerName, list }));
    fc.assert(
      fc.property(fc.array(alike, { maxLength: 30 }), fc.integer({ min: 1, max: 200 }), (items, slice) => {
        const body = listing(items);
        assert.deepEqual(parseListing(body, slice), reference(body));
      }),
    );
  });

  it('stops looking for a cut 128 KB on, inside an item of nested look-alikes, and parses the rest whole', () => {
    // 20,000 nested `{"id":n}` match `},{"id":` but not the second key: each would cost a check.
    const list = Array.from({ length: 20_000 }, (_, n) => ({ id: n }));
    const items = [
      { id: 1, ownerName: 'a' },
      { id: 2, ownerName: 'b', list },
      { id: 3, ownerName: 'c' },
    ];
    const body = listing(items);
    assert.ok(body.length > 200_000);
    const stats: SliceStats = { runs: 0, failed: false };
    assert.deepEqual(parseListing(body, undefined, stats), reference(body));
    assert.deepEqual(stats, { runs: 1, failed: false }, 'no cut within reach: one run');
    const near: SliceStats = { runs: 0, failed: false };
    const short = listing([items[0], { ...items[1], list: list.slice(0, 5000) }, items[2]]);
    assert.deepEqual(parseListing(short, undefined, near), reference(short));
    assert.deepEqual(near, { runs: 2, failed: false }, 'the cut after the long item is within reach');
  });

  it('extends a failed run to the next cut where items do not start alike', () => {
    // No integer after the first key: any `},{"` is a cut, here first in a string, then in a nested
    // array; each failed run is retried to the next cut, twice at most, then the rest is one run.
    const items = [
      { summary: 'x},{', id: 1 },
      { summary: 'y', list: [{ a: 1 }, { b: 2 }] },
      { summary: 'z},{' },
      { summary: 'w' },
      { summary: 'v' },
    ];
    const body = listing(items);
    const stats: SliceStats = { runs: 0, failed: false };
    assert.deepEqual(parseListing(body, 1, stats), reference(body));
    assert.deepEqual(stats, { runs: 3, failed: true }, 'items 1, 2, then 3 to 5 after the third failure');
  });

  it('leaves other shapes, and bodies that are not JSON, to JSON.parse', () => {
    // White space, keys after the items, other envelopes, a trailing comma, a brace too many, a BOM.
    const items = [{ id: 1 }, { id: 2 }];
    const shapes = [
      JSON.stringify({ status: 'Success', data: { resultCount: 2, indicator: items } }, null, 2),
      JSON.stringify({ status: 'Success', data: { indicator: items, resultCount: 2 } }),
      JSON.stringify({ status: 'Success', data: { resultCount: 2, indicator: items, more: [1] } }),
      JSON.stringify({ status: 'Success', data: { resultCount: 2, indicator: { id: 1 } } }),
      JSON.stringify({ data: { resultCount: 2, indicator: items }, status: 'Success' }),
      JSON.stringify({ status: 'Success', data: { resultCount: 2, 'my key': items } }),
      JSON.stringify({ status: 'Suc"cess', data: { resultCount: 2, indicator: items } }),
      `{"status":"Success","data":{"resultCount":02,"indicator":[{"id":1}]}}`,
      '{"status":"Success","data":{"resultCount":2,"indicator":[{"id":1},{"id":2}, ]}}',
      '{"status":"Success","data":{"resultCount":2,"indicator":[{"id":1}, ]}}',
      '{"status":"Success","data":{"resultCount":2,"indicator":[{"id":1},{"id":2}]}}}',
      `\uFEFF${JSON.stringify({ status: 'Success', data: { resultCount: 2, indicator: items } })}`,
    ];
    for (const text of shapes) {
      const body = Buffer.from(text);
      assert.equal(parseListing(body, 1), undefined, text);
    }
  });

  it('keeps `__proto__` an own key, as JSON.parse does', () => {
    const text =
      '{"status":"Success","data":{"resultCount":1,"__proto__":[{"id":1,"__proto__":{"x":1}},{"id":2}]}}';
    const body = Buffer.from(text);
    assert.equal(parseListing(body, 1), undefined, 'the key is not letters only');
    const inner = Buffer.from(
      '{"status":"Success","data":{"indicator":[{"id":1,"__proto__":{"x":1}},{"id":2}]}}',
    );
    const sliced = parseListing(inner, 1) as { data: { indicator: Record<string, unknown>[] } };
    assert.deepEqual(sliced, reference(inner));
    const first = sliced.data.indicator[0] ?? {};
    assert.equal(Object.getPrototypeOf(first), Object.prototype);
    assert.ok(Object.hasOwn(first, '__proto__'));
  });

  it('decodes invalid UTF-8 as the whole body decodes it', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.nat(),
            summary: plain,
            attribute: fc.array(fc.record({ id: fc.nat(), value: plain }), { maxLength: 2 }),
          }),
          { minLength: 2, maxLength: 20 },
        ),
        fc.array(fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 100 }),
        (items, bad, slice) => {
          // The bad bytes go at the end of each item's summary, marked by a `~` no plain string holds.
          const marked = items.map((i) => ({ ...i, summary: `${i.summary}~` }));
          const bytes = Buffer.from(bad.flat());
          const parts = listing(marked).toString('latin1').split('~');
          assert.equal(parts.length, items.length + 1);
          const body = Buffer.concat(
            parts.flatMap((p, n) => (n === 0 ? [] : [bytes]).concat(Buffer.from(p, 'latin1'))),
          );
          assert.ok(body.includes(bytes));
          assert.deepEqual(parseListing(body, slice), reference(body));
        },
      ),
    );
  });
});

describe('parseJsonBody', () => {
  it('parses a real-sized listing in slices, an item longer than a slice included', () => {
    const items = Array.from({ length: 600 }, (_, n) => ({
      id: n,
      summary: n === 300 ? 'w'.repeat(100_000) : `10.0.${n >> 8}.${n & 255}`,
      webLink: `https://app.example/auth/indicators/details/address.xhtml?address=10.0.0.${n}&owner=Example+Org`,
      note: 'ünïcödé 😀 "quoted" },{"id":',
    }));
    const body = listing(items);
    assert.ok(body.length > 200_000);
    const stats: SliceStats = { runs: 0, failed: false };
    assert.deepEqual(parseListing(body, undefined, stats), reference(body));
    assert.ok(stats.runs >= 4 && !stats.failed, JSON.stringify(stats));
    assert.deepEqual(parseJsonBody(body), reference(body));
  });

  it('throws the SyntaxError of JSON.parse for a body that is not JSON, cut anywhere or with a byte changed', () => {
    // Above the 96 KB threshold, so that parseJsonBody tries the slices first.
    const body = listing(
      Array.from({ length: 1500 }, (_, n) => ({
        id: n,
        summary: `host${n}.example`,
        webLink: `https://app.example/auth/indicators/details/host.xhtml?host=host${n}.example`,
      })),
    );
    assert.ok(body.length > 96 * 1024);
    fc.assert(
      fc.property(
        fc.nat({ max: body.length - 1 }),
        fc.constantFrom(0x2c, 0x7d, 0x5d, 0x22, 0x7b, 0x78),
        (at, byte) => {
          for (const broken of [
            body.subarray(0, at),
            Buffer.concat([body.subarray(0, at), Buffer.from([byte]), body.subarray(at + 1)]),
          ]) {
            let expected: unknown;
            let thrown: Error | undefined;
            try {
              expected = JSON.parse(broken.toString('utf8'));
            } catch (error) {
              thrown = error as Error;
            }
            const sliced = parseListing(broken, 8);
            if (thrown === undefined) {
              if (sliced !== undefined) assert.deepEqual(sliced, expected);
              assert.deepEqual(parseJsonBody(broken), expected);
            } else {
              assert.equal(sliced, undefined, 'a body that is not JSON is left to JSON.parse');
              assert.throws(() => parseJsonBody(broken), { name: 'SyntaxError', message: thrown.message });
            }
          }
        },
      ),
    );
  });

  it('makes ApiResponse.json() name a large body that is not JSON by its start', () => {
    const text = `{"status":"Success","data":{"resultCount":1,"indicator":[${'{"id":1},'.repeat(20_000)}{"id":`;
    const response = new ApiResponse({
      status: 200,
      headers: {},
      url: 'https://api.example/v2/indicators',
      content: Buffer.from(text),
      attempts: 1,
    });
    assert.throws(
      () => response.json(),
      (error: unknown) => {
        assert.ok(error instanceof InvalidResponseError);
        assert.equal(
          error.message,
          `The response body is not JSON (status 200): ${JSON.stringify(text.slice(0, 80))}`,
        );
        assert.equal((error.cause as Error).name, 'SyntaxError');
        return true;
      },
    );
  });
});
