/**
 * Adversarial tests of src/core/json-body.ts: `parseListing` and `parseJsonBody` give exactly what
 * `JSON.parse(body.toString('utf8'))` gives, or the same error, for generated listings, their byte-level
 * mutations, targeted bodies around the cuts, bodies around the 96 KB threshold, items longer than the
 * scratch buffer and JSON that only looks like a listing (generators in test/helpers/json-listing-text.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseListing, type SliceStats } from '../../../src/core/json-body.js';
import {
  ALL_SMALL,
  CHAOS,
  check,
  encode,
  head,
  item,
  listingText,
  reference,
  same,
  slices,
  ws,
} from '../../helpers/json-listing-text.js';

describe('parseListing with small slices, against JSON.parse', () => {
  it('generated listings: white space, escapes, unicode, invalid UTF-8, odd keys and items', () => {
    let sliced = 0;
    fc.assert(
      fc.property(listingText, slices, (text, sl) => {
        sliced += check(encode(text), [...sl, 1, 2, 3]).sliced;
      }),
      { numRuns: 600 },
    );
    assert.ok(sliced > 300, `too few bodies took the sliced path: ${sliced}`);
  });

  it('generated listings with a byte-level mutation (insert, delete, replace, truncate, extend)', () => {
    const mutation = fc.record({
      kind: fc.constantFrom('insert', 'delete', 'replace', 'truncate', 'append', 'duplicate'),
      at: fc.nat(),
      len: fc.integer({ min: 1, max: 6 }),
      piece: fc.constantFrom(...CHAOS),
    });
    fc.assert(
      fc.property(listingText, fc.array(mutation, { minLength: 1, maxLength: 3 }), slices, (text, ms, sl) => {
        let body = encode(text);
        for (const m of ms) {
          const at = m.at % (body.length + 1);
          const piece = encode(m.piece);
          if (m.kind === 'insert') body = Buffer.concat([body.subarray(0, at), piece, body.subarray(at)]);
          else if (m.kind === 'delete')
            body = Buffer.concat([body.subarray(0, at), body.subarray(at + m.len)]);
          else if (m.kind === 'replace')
            body = Buffer.concat([body.subarray(0, at), piece, body.subarray(at + piece.length)]);
          else if (m.kind === 'truncate') body = body.subarray(0, at);
          else if (m.kind === 'append') body = Buffer.concat([body, piece]);
          else
            body = Buffer.concat([
              body.subarray(0, at),
              body.subarray(at, at + m.len * 8),
              body.subarray(at),
            ]);
        }
        check(body, [...sl, 1]);
      }),
      { numRuns: 800 },
    );
  });

  it('chaos between a valid head and `]}}`', () => {
    fc.assert(
      fc.property(head, fc.array(fc.constantFrom(...CHAOS), { maxLength: 20 }), slices, (h, parts, sl) => {
        check(encode(`${h}${parts.join('')}]}}`), [...sl, 1]);
      }),
      { numRuns: 800 },
    );
  });

  it('targeted bodies around cuts', () => {
    const H = '{"status":"Success","data":{"resultCount":3,"indicator":[';
    const cases = [
      // strings that end with `},{` or hold `},{"`, escaped quotes and backslashes before a cut
      `${H}{"a":"},{"},{"b":"},{\\""},{"c":1}]}}`,
      `${H}{"a":"x\\\\"},{"b":"\\\\\\""},{"c":"\\\\\\\\"}]}}`,
      `${H}{"a":"\\"},{\\""},{"b":1}]}}`,
      `${H}{"a":"\\u0022},{"},{"b":1}]}}`,
      `${H}{"a":"x"} ,{"b":1},{"c":2}]}}`,
      `${H}{"a":"x"}, {"b":1},{"c":2}]}}`,
      `${H}{"a":"x"},{ "b":1},{"c":2}]}}`,
      // invalid UTF-8 right before and after the cut, inside and outside strings
      `${H}{"a":"\uE003"},{"b":"\uE004"},{"\uE002":"\uE005"}]}}`,
      `${H}{"a":"x\uE002"},{"b":1}\uE001,{"c":2}]}}`,
      `${H}{"a":1}\uE003,{"b":1},{"c":2}]}}`,
      `${H}{"a":1},\uE003{"b":1},{"c":2}]}}`,
      `${H}{"a":1},{"\uE006":1},{"c":2}]}}`,
      `${H}{"a":1},{"b":1},{"c":2}\uE009]}}`,
      `${H}\uE009{"a":1},{"b":1}]}}`,
      // lone surrogate escapes, U+2028, NUL
      `${H}{"a":"\\ud800"},{"\\udc00":"\\ud800\\udc00"},{"c":"\u2028\u2029"}]}}`,
      `${H}{"a":"\0"},{"b":1}]}}`,
      `${H}{"a":1},{"b":1}\0]}}`,
      `${H}{"a":"\\u0000"},{"b":"\\u0000},{\\""}]}}`,
      // empty runs, trailing and doubled commas
      `${H}]}}`,
      `${H} ]}}`,
      `${H}{"a":1},]}}`,
      `${H}{"a":1},,{"b":2}]}}`,
      `${H},{"a":1}]}}`,
      `${H}{"a":1},{"b":2},]}}`,
      `${H}{"a":1},{"b":2}, ]}}`,
      `${H}{},{"a":1},{}]}}`,
      // duplicate keys, prototype-ish keys
      `${H}{"id":1,"id":2,"__proto__":{"x":1},"__proto__":[1],"constructor":{"prototype":1}},{"toString":1,"valueOf":{},"hasOwnProperty":null}]}}`,
      `${H}{"2":1,"1":2,"b":3,"a":4,"4294967295":5,"4294967294":6},{"-0":1,"0":2}]}}`,
      '{"status":"Success","data":{"resultCount":3,"resultCount":[{"a":1},{"b":2}]}}',
      '{"status":"Success","data":{"status":[{"a":1},{"b":2}]}}',
      '{"status":"Success","data":{"constructor":[{"a":1},{"b":2}]}}',
      '{"status":"Success","data":{"hasOwnProperty":[{"a":1},{"b":2}]}}',
      // nested arrays of objects, non-object items
      `${H}{"a":[{"b":1},{"c":[{"d":1},{"e":2}]}]},{"f":[[{"g":1}],{"h":2}]}]}}`,
      `${H}1,"},{\\"",[{"a":1},{"b":2}],null,{"c":1},true,-0,1e400,{"d":1}]}}`,
      `${H}[{"a":1},{"b":2}],{"c":3},[[{"d":4}],{"e":5}]]}}`,
      // a run ending in an item that is not an object, so the next cut is far
      `${H}{"a":1},2,{"b":3},"x",{"c":4}]}}`,
      // items that close the listing early, then more keys
      '{"status":"Success","data":{"indicator":[{"a":1}],"x":[{"b":2},{"c":3}]}}',
      '{"status":"Success","data":{"indicator":[{"a":1}]},"x":{"y":[{"b":2},{"c":3}]}}',
      '{"status":"Success","data":{"indicator":[{"a":1},{"b":2}]}}]}}',
      '{"status":"Success","data":{"indicator":[{"a":1},{"b":2}]}},{"c":[{"d":1}]}}',
      '{"status":"Success","data":{"indicator":[{"a":"]}}"},{"b":"]}}"}]}}',
      // resultCount edge values
      '{"status":"Success","data":{"resultCount":9999999999999999,"indicator":[{"a":1},{"b":2}]}}',
      '{"status":"Success","data":{"resultCount":1234567890123456,"indicator":[{"a":1},{"b":2}]}}',
      '{"status":"Success","data":{"resultCount":0,"indicator":[{"a":1},{"b":2}]}}',
      // truncated
      `${H}{"a":1},{"b":2}`,
      `${H}{"a":1},{"b":2}]}`,
      `${H}{"a":1},{"b":"]}}`,
      `${H}{"a":1},{"b":[]}}`,
      `${H}{"a":1},{"b":{"c":[]}}`,
    ];
    let sliced = 0;
    for (const text of cases) sliced += check(encode(text), ALL_SMALL, text).sliced > 0 ? 1 : 0;
    assert.ok(sliced >= 20, `sliced ${sliced}`);
  });

  it("the decoding premise: Buffer's UTF-8 decoding splits at any ASCII byte", () => {
    const bytes = fc.array(
      fc.oneof(
        fc.integer({ min: 0x80, max: 0xff }),
        fc.constantFrom(0x22, 0x2c, 0x7b, 0x7d, 0x5c, 0x61, 0x00),
        fc.constantFrom(0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0x80, 0xbf),
      ),
      { maxLength: 40 },
    );
    const split = (a: Buffer, c: number, b: Buffer) => {
      const whole = Buffer.concat([a, Buffer.from([c]), b]);
      assert.equal(
        whole.toString('utf8'),
        a.toString('utf8') + String.fromCharCode(c) + b.toString('utf8'),
        whole.toString('hex'),
      );
    };
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 0x7f }), bytes, fc.nat(3000), (a, c, b, pad) => {
        // Padding with ASCII and with valid two-byte text reaches the decoder's longer-input paths.
        const fill = Buffer.from(pad % 2 === 0 ? 'a'.repeat(pad) : '\u00e9'.repeat(pad));
        split(Buffer.concat([fill, Buffer.from(a)]), c, Buffer.concat([Buffer.from(b), fill]));
      }),
      { numRuns: 1000 },
    );
  });

  it('every run boundary of an accepted body is an item boundary of the whole parse', () => {
    // The run count equals the item count when slice 1 cuts after every item (all items `{"…}`).
    const body = encode(
      '{"status":"Success","data":{"indicator":[{"a":"},{"},{"b":[{"c":1},{"d":2}]},{"e":"\\\\"},{"f":1}]}}',
    );
    const stats: SliceStats = { runs: 0, failed: false };
    const got = parseListing(body, 1, stats);
    const expected = reference(body);
    assert.ok(expected.ok);
    same(got, expected.value);
    // The items start alike in nothing, so any `},{"` is a cut. The first falls in a string and the
    // second in a nested array: each failed run is extended to the next cut, so each item is a run.
    assert.deepEqual(stats, { runs: 4, failed: true });
  });
});

describe('parseJsonBody at real sizes, against JSON.parse', () => {
  const THRESHOLD = 96 * 1024;
  const H = '{"status":"Success","data":{"resultCount":3,"indicator":[';

  /** A listing of exactly `size` bytes (padding in the last item's string). */
  const exact = (size: number, items: string): Buffer => {
    const base = `${H}${items},{"pad":""}]}}`;
    const pad = size - Buffer.byteLength(base);
    assert.ok(pad >= 0);
    return Buffer.from(`${H}${items},{"pad":"${'p'.repeat(pad)}"}]}}`);
  };

  it('bodies around the 96 KB threshold, valid and not', () => {
    const items = Array.from({ length: 200 }, (_, n) => `{"id":${n},"s":"},{\\"x\\\\"}`).join(',');
    for (const size of [THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, THRESHOLD + 2]) {
      const body = exact(size, items);
      assert.equal(body.length, size);
      check(body, [1, 100, 32 * 1024]);
      // a trailing comma, a doubled comma, a truncation, and extra bytes, each at the same size
      const text = body.toString();
      check(Buffer.from(text.replace('{"pad"', ',{"pad"').slice(1)), [50]);
      check(Buffer.from(text.replace('},{"id":100', '},,{"id":100').slice(1)), [50]);
      check(Buffer.from(text.replace(',{"pad":"', ',{"pad":"x').slice(0, -3) + '"}]}}'), [50]);
      check(Buffer.from(`${text.slice(1, -3)}]}} `), [50]);
    }
  });

  it('generated items repeated past the threshold, at the real slice size and small ones', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), ws, (items, w) => {
        const one = items.join(`${w},`);
        const copies = Math.ceil((THRESHOLD + 1) / Math.max(1, Buffer.byteLength(one)));
        const text = `${H}${Array.from({ length: Math.min(copies, 20_000) }, () => one).join(',')}]}}`;
        check(encode(text), [97, 32 * 1024]);
      }),
      { numRuns: 25 },
    );
  });

  it('items longer than the 60 KB scratch buffer, cut inside them or not', () => {
    const big = (n: number, fill: string) => `{"id":${n},"s":"${fill}","list":[{"a":1},{"b":2}]}`;
    const bodies = [
      `${H}${big(1, 'x'.repeat(70_000))},${big(2, '},{\\"'.repeat(20_000))},{"id":3}]}}`,
      `${H}{"id":0},${big(1, '\u00e9'.repeat(40_000))},{"id":2}]}}`,
      `${H}${big(1, '\uE003'.repeat(40_000))},{"id":2},${big(3, '\\ud800'.repeat(12_000))}]}}`,
      `${H}${Array.from({ length: 400 }, (_, n) => big(n, 'y'.repeat(300))).join(',')},${big(9, 'z'.repeat(140_000))}]}}`,
      `${H}${big(1, 'x'.repeat(70_000))},${big(2, 'x'.repeat(70_000))}}]}}`,
      `${H}${big(1, 'x'.repeat(70_000))},${big(2, 'x'.repeat(70_000))},]}}`,
    ];
    for (const text of bodies) check(encode(text), [1, 150, 32 * 1024], text.slice(0, 60));
  });

  it('JSON above the threshold that is not a listing, or only looks like one', () => {
    const items = Array.from({ length: 3000 }, (_, n) => ({ id: n, s: 'v},{"' }));
    const texts = [
      JSON.stringify(items),
      JSON.stringify({ data: { indicator: items } }),
      JSON.stringify({ status: 'Success', data: { indicator: items }, more: { x: items } }),
      JSON.stringify({ status: 'Success', data: { indicator: items.slice(0, 1), x: items } }),
      JSON.stringify({ status: 'Success', data: { resultCount: 1, indicator: items } }).replace('1,', '1.0,'),
      `${JSON.stringify({ status: 'Success', data: { indicator: items } })}\n`,
      JSON.stringify({ status: 'Success', data: { indicator: items } }, null, 1),
      `"${'x'.repeat(THRESHOLD)}]}}"`,
    ];
    for (const text of texts) check(Buffer.from(text), [1, 1000, 32 * 1024], text.slice(0, 60));
  });

  it('keeps earlier results intact when the scratch buffer is reused', () => {
    const a = encode(`${H}${Array.from({ length: 50 }, (_, n) => `{"id":${n},"s":"a\uE003"}`).join(',')}]}}`);
    const b = encode(`${H}${Array.from({ length: 50 }, (_, n) => `{"id":${n},"s":"bb"}`).join(',')}]}}`);
    const first = parseListing(a, 5);
    parseListing(b, 5);
    const ra = reference(a);
    assert.ok(ra.ok);
    same(first, ra.value);
  });
});
