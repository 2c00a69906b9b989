/**
 * The formats agree with themselves and with the resource objects: a LEEF 2.0 delimiter never occurs
 * in the line's own text; every format function, `csvHeader`, `createFormatter` and the streams check
 * options alike; a CSV stream holds one kind of record; a file summary gives the same hashes through
 * `fromApiIndicator` as through the resource objects (docs/decisions.md "Formats").
 */
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.js';
import { cefText } from '../../../src/formats/cef.js';
import {
  createFormatter,
  createFormatTransform,
  csvHeader,
  type FormatName,
  type FormatRecord,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  formatLines,
  formatStream,
  fromApiIndicator,
  type IndicatorRecord,
  type LeefOptions,
} from '../../../src/formats/index.js';
import { unreadWire } from '../../../src/resources/indicator-data.js';
import { parseIndicator, splitFileSummary } from '../../../src/resources/indicator.js';
import { FILE } from '../../../src/resources/kinds.js';
import { indicatorRecord } from '../../../src/resources/output.js';
import { wireRecord } from '../../../src/resources/wire-record.js';
import { parseLeef } from '../../helpers/format-parsers.js';
import { offlineContext } from '../../helpers/resources.js';

/** `fn` throws a `ValidationError` with exactly `message`. */
function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `not a ValidationError: ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

/** A host whose line holds every kind of fixed text: a date, a negative rating, exponents, a URL. */
const host: IndicatorRecord = {
  type: 'Host',
  id: 355999,
  hostName: 'www.badguy_014.com',
  dateAdded: '2015-06-21T10:40:33-05:00',
  description: 'TEST attribute #14',
  ownerName: 'Example Community',
  confidence: 1e21,
  rating: -0.00001,
  weblink: 'https://tc.example.com/auth/host.xhtml?host=www.badguy_014.com&owner=Example%20Community',
};

const UNSPLITTABLE = 'so the attributes could not be told apart';
const URL_TEXT = "every record's weblink (a URL) holds it, and each one would become a space";
const refusedBecause = (shown: string, why: string): string =>
  `LEEF 2.0 \`delimiter\` ${shown} is refused: ${why}`;

describe('LEEF 2.0 delimiters', () => {
  it('refuses each delimiter the line or its weblink holds, naming it and why', () => {
    const cases: [string, string][] = [
      [':', refusedBecause('":"', `devTime and devTimeFormat hold it (HH:mm:ss), ${UNSPLITTABLE}`)],
      ['.', refusedBecause('"."', `numbers hold it (rating=1.0), ${UNSPLITTABLE}`)],
      ['-', refusedBecause('"-"', `numbers hold it (rating=-1.0, 1e-05), ${UNSPLITTABLE}`)],
      ['+', refusedBecause('"+"', `numbers hold it (1e+21), ${UNSPLITTABLE}`)],
      [' ', refusedBecause('" "', `devTime and devTimeFormat hold spaces, ${UNSPLITTABLE}`)],
      ['=', refusedBecause('"="', 'it separates every key from its value')],
      ['|', refusedBecause('"|"', 'it ends the fields of the LEEF header')],
      ['\\', refusedBecause('"\\\\"', 'it is the escape character of the LEEF header')],
      ['e', refusedBecause('"e"', `keys, devTime and devTimeFormat hold letters, ${UNSPLITTABLE}`)],
      ['M', refusedBecause('"M"', `keys, devTime and devTimeFormat hold letters, ${UNSPLITTABLE}`)],
      ['0', refusedBecause('"0"', `numbers and devTime hold digits, ${UNSPLITTABLE}`)],
      ['/', refusedBecause('"/"', URL_TEXT)],
      ['?', refusedBecause('"?"', URL_TEXT)],
      ['&', refusedBecause('"&"', URL_TEXT)],
      [
        '%',
        refusedBecause(
          '"%"',
          'a weblink (a URL) holds it for every escaped character, and each one would become a space',
        ),
      ],
    ];
    for (const [delimiter, message] of cases) {
      throwsValidation(() => formatLeef(host, { version: '2.0', delimiter }), message);
      // The same check, the same error, through the formatter and the streams.
      throwsValidation(() => createFormatter('leef', { version: '2.0', delimiter }), message);
      throwsValidation(() => [...formatLines([host], 'leef', { version: '2.0', delimiter })], message);
    }
  });

  it('keeps refusing what is not one tab or printable ASCII character', () => {
    const generic = (shown: string): string =>
      `LEEF 2.0 \`delimiter\` must be one character: a tab, or printable ASCII other than a letter, a digit, a space, =, |, \\, :, ., -, +, /, ?, & or %; got ${shown}`;
    for (const [delimiter, shown] of [
      ['', '""'],
      ['ab', '"ab"'],
      ['\n', '"\\n"'],
      ['\x7f', '"\x7f"'],
      ['é', '"é"'],
    ] as const) {
      throwsValidation(() => formatLeef(host, { version: '2.0', delimiter }), generic(shown));
    }
  });

  it('every delimiter it takes gives a line whose attributes parse back exactly', () => {
    const keys = [
      'cat',
      'identHostName',
      'devTime',
      'devTimeFormat',
      'sev',
      'description',
      'ownerName',
      'confidence',
      'rating',
      'weblink',
    ];
    const accepted: string[] = [];
    for (let code = 0x09; code < 0x7f; code += 1) {
      if (code > 0x09 && code < 0x20) continue;
      const delimiter = String.fromCharCode(code);
      let line: string;
      try {
        line = formatLeef(host, { version: '2.0', delimiter });
      } catch (error) {
        assert.ok(error instanceof ValidationError, String(error));
        continue;
      }
      accepted.push(delimiter);
      const event = parseLeef(line);
      assert.equal(event.delimiter, delimiter);
      const attributes = Object.fromEntries(event.attributes);
      assert.deepEqual(Object.keys(attributes), keys, JSON.stringify(delimiter));
      assert.equal(attributes.devTime, 'Jun 21 2015 15:40:33');
      assert.equal(attributes.devTimeFormat, 'MMM dd yyyy HH:mm:ss');
      assert.equal(attributes.confidence, '1e+21');
      assert.equal(attributes.rating, '-1e-05');
      // In a value, the delimiter becomes a space.
      assert.equal(attributes.weblink, host.weblink?.replaceAll(delimiter, ' '));
    }
    assert.equal(accepted.join(''), '\t!"#$\'()*,;<>@[]^_`{}~');
  });
});

describe('one options check for every format', () => {
  const h: IndicatorRecord = { type: 'Host', id: 1, hostName: 'h' };
  const others: [string, (options: LeefOptions) => unknown][] = [
    ['formatCef', (o) => formatCef(h, o)],
    ['cefText', (o) => cefText(h, o)],
    ['formatCsv', (o) => formatCsv(h, o)],
    ['csvHeader', (o) => csvHeader('indicator', o)],
    ['formatKeyval', (o) => formatKeyval(h, o)],
    ['formatJson', (o) => formatJson(h, o)],
    ...(['cef', 'csv', 'keyval', 'json'] as const).flatMap((f): [string, (o: LeefOptions) => unknown][] => [
      [`createFormatter ${f}`, (o) => createFormatter(f, o)],
      [`formatLines ${f}`, (o) => [...formatLines([h], f, o)]],
    ]),
  ];

  it('version and delimiter are refused by every format but LEEF, with one message', () => {
    const bad: LeefOptions[] = [
      { version: '2.0' },
      { version: '1.0' },
      { delimiter: ';' },
      { delimiter: '\t' },
      { compat: 'python-sdk', delimiter: '\t' },
      { compat: 'python-sdk', version: '1.0' },
    ];
    for (const [name, call] of others) {
      for (const options of bad) {
        assert.doesNotThrow(() => call({ ...options, version: undefined, delimiter: undefined }), name);
        throwsValidation(() => call(options), '`version` and `delimiter` are LEEF options');
      }
    }
  });

  it('compat LEEF takes no version and no delimiter, not even LEEF 1.0 and its tab', () => {
    const message = '`compat: "python-sdk"` prints the original LEEF; it takes no `version` or `delimiter`';
    const leef: [string, (options: LeefOptions) => unknown][] = [
      ['formatLeef', (o) => formatLeef(h, o)],
      ['createFormatter', (o) => createFormatter('leef', o)(h)],
      ['formatLines', (o) => [...formatLines([h], 'leef', o)]],
    ];
    for (const [name, call] of leef) {
      for (const options of [
        { delimiter: '\t' },
        { version: '1.0' },
        { version: '2.0' },
        { version: '2.0', delimiter: '^' },
      ] as const) {
        throwsValidation(() => call({ compat: 'python-sdk', ...options }), message);
      }
      assert.match(String(call({ compat: 'python-sdk', version: undefined })), /^(\[')?LEEF:0\|/, name);
    }
    // Without compat, LEEF 1.0 still takes its own tab.
    assert.equal(formatLeef(h, { delimiter: '\t' }), formatLeef(h));
  });
});

describe('a CSV stream holds one kind of record', () => {
  const i1: FormatRecord = { type: 'Host', id: 1, hostName: 'h' };
  const i2: FormatRecord = { type: 'URL', id: 2, text: 'http://u' };
  const g1: FormatRecord = { type: 'Adversary', id: 3, name: 'n' };
  const g2: FormatRecord = { type: 'Threat', id: 4, name: 't' };
  const cannot = (index: number, kind: string, before: string): string =>
    `Record ${index}: ${kind} record cannot follow ${before} in a CSV stream (their columns differ)`;

  it('refuses a record of the other kind than the header, naming it and both kinds', () => {
    const lines = formatLines([i1, i2, g1], 'csv');
    assert.equal(lines.next().value, `${csvHeader('indicator')}\r\n,,,1,h,,,,Host,\r\n`);
    assert.equal(lines.next().value, ',,,2,http://u,,,,URL,\r\n');
    throwsValidation(() => lines.next(), cannot(2, 'a group', 'the indicator header'));
    throwsValidation(() => [...formatLines([g1, i1], 'csv')], cannot(1, 'an indicator', 'the group header'));
    throwsValidation(
      () => [...formatLines([g1, g2, i1], 'csv', { compat: 'python-sdk' })],
      cannot(2, 'an indicator', 'the group header'),
    );
  });

  it('a forced header fixes the kind from the first record on', () => {
    throwsValidation(
      () => [...formatLines([g1], 'csv', { header: 'indicator' })],
      cannot(0, 'a group', 'the indicator header'),
    );
    throwsValidation(
      () => [...formatLines([g1, i1], 'csv', { header: 'group' })],
      cannot(1, 'an indicator', 'the group header'),
    );
    assert.equal([...formatLines([g1, g2], 'csv', { header: 'group' })].length, 3);
  });

  it('without a header, the first record fixes the kind', () => {
    throwsValidation(
      () => [...formatLines([i1, g1], 'csv', { header: false })],
      cannot(1, 'a group', 'indicator records'),
    );
    assert.deepEqual(
      [...formatLines([g1, g2], 'csv', { header: false })],
      [',3,n,,Adversary,\r\n', ',4,t,,Threat,\r\n'],
    );
  });

  it('formatStream and createFormatTransform refuse it too; other formats mix kinds', async () => {
    await assert.rejects(
      async () => {
        const lines: string[] = [];
        for await (const line of formatStream([i1, g1], 'csv')) lines.push(line);
      },
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.message, cannot(1, 'a group', 'the indicator header'));
        return true;
      },
    );
    await assert.rejects(
      pipeline(Readable.from([g1]), createFormatTransform('csv', { header: 'indicator' }), new PassThrough()),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.message, cannot(0, 'a group', 'the indicator header'));
        return true;
      },
    );
    for (const format of ['keyval', 'json'] as FormatName[]) {
      assert.equal([...formatLines([i1, g1, i2], format)].length, 3);
    }
  });
});

describe('file summaries: fromApiIndicator and the resource objects agree', () => {
  const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
  const MD5B = '422AD421127685E3EF4A44B546258107';
  const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
  const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const hashes = (r: IndicatorRecord): unknown => {
    const f = r as { md5?: unknown; sha1?: unknown; sha256?: unknown };
    return { md5: f.md5 ?? null, sha1: f.sha1 ?? null, sha256: f.sha256 ?? null };
  };

  it('explicit hash fields win, and a part that is not a hash does not throw', () => {
    const file = fromApiIndicator({ id: 1, type: 'File', md5: MD5, summary: 'A : B' });
    assert.deepEqual(hashes(file), { md5: MD5, sha1: null, sha256: null });
    const mixed = fromApiIndicator({
      id: 1,
      type: 'File',
      sha1: SHA1,
      summary: `${MD5} : not-a-hash : ${SHA1.slice(1)}`,
    });
    assert.deepEqual(hashes(mixed), { md5: MD5, sha1: SHA1, sha256: null });
  });

  it('a part that is not a hash is ignored; of two hashes of one length the first is kept', () => {
    assert.deepEqual(hashes(fromApiIndicator({ type: 'File', summary: 'ABC' })), {
      md5: null,
      sha1: null,
      sha256: null,
    });
    assert.deepEqual(hashes(fromApiIndicator({ type: 'File', summary: `${MD5} : ${MD5B}` })), {
      md5: MD5,
      sha1: null,
      sha256: null,
    });
    assert.deepEqual(hashes(fromApiIndicator({ type: 'File', summary: `${MD5}:${SHA1}` })), {
      md5: MD5,
      sha1: SHA1,
      sha256: null,
    });
  });

  it('gives the hashes splitFileSummary and the resource objects give, for every summary', () => {
    const summaries = [
      `${MD5} : ${SHA1} : ${SHA256}`,
      `${SHA256} : ${MD5}`,
      `${MD5}:${SHA1}`,
      `${MD5} : ${MD5B}`,
      `${MD5} : not-a-hash`,
      `not-a-hash : ${SHA1} : ${'g'.repeat(64)}`,
      ` ${SHA256} `,
      'host.example.com',
      'ABC',
      '',
      ' : : ',
    ];
    const items = summaries.flatMap((summary) => [
      { id: 1, type: 'File', summary },
      { id: 2, type: 'File', summary, md5: MD5B },
      { id: 3, type: 'File', summary, sha256: SHA256.toUpperCase() },
    ]);
    for (const item of items) {
      const label = JSON.stringify(item);
      const formats = hashes(fromApiIndicator(item));
      const split = splitFileSummary(item.summary);
      assert.deepEqual(
        formats,
        {
          md5: item.md5 ?? split.md5 ?? null,
          sha1: split.sha1 ?? null,
          sha256: item.sha256 ?? split.sha256 ?? null,
        },
        label,
      );
      // The resource objects: the record built straight from the wire item, and after reading it.
      const fast = parseIndicator(structuredClone(item), offlineContext(), FILE);
      const wire = unreadWire(fast);
      assert.ok(wire !== undefined, label);
      assert.deepEqual(hashes(wireRecord(fast, wire) as IndicatorRecord), formats, label);
      const slow = parseIndicator(structuredClone(item), offlineContext(), FILE);
      assert.ok(slow.dateAdded === undefined);
      assert.deepEqual(hashes(indicatorRecord(slow)), formats, label);
    }
  });
});
