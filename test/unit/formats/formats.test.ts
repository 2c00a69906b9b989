/**
 * The formats' details (decisions.md 3.1, 3.2): records from wire items, every indicator and group
 * type with null fields, the mapping choices of docs/decisions.md "Formats", options, streams.
 */
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import {
  createFormatter,
  createFormatTransform,
  csvHeader,
  type FormatRecord,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  formatLines,
  formatStream,
  fromApiGroup,
  fromApiIndicator,
  type IndicatorRecord,
  isGroupRecord,
  recordData,
} from '../../../src/formats/index.js';
import * as sdk from '../../../src/index.js';
import { sampleData } from '../../../src/sandbox/index.js';
import { parseCef, parseCsv, parseKeyval, parseLeef } from '../../helpers/format-parsers.js';

const compat = { compat: 'python-sdk' } as const;
const ext = (line: string): Record<string, string> => Object.fromEntries(parseCef(line).extension);
const attrs = (line: string): Record<string, string> => Object.fromEntries(parseLeef(line).attributes);

describe('fromApiIndicator', () => {
  it('reads a list item: webLink, summary, numbers, string flags', () => {
    const host = fromApiIndicator({
      id: 7,
      ownerName: 'Example Org',
      type: 'Host',
      dateAdded: '2015-06-01T08:00:00-05:00',
      lastModified: '2015-06-02T08:00:00-05:00',
      rating: '2.50',
      confidence: 5,
      webLink: 'https://x/y',
      summary: 'a.example.com',
      dnsActive: 'true',
      whoisActive: 'FALSE',
    });
    assert.deepEqual(host, {
      type: 'Host',
      confidence: 5,
      dateAdded: '2015-06-01T08:00:00-05:00',
      description: null,
      id: 7,
      lastModified: '2015-06-02T08:00:00-05:00',
      ownerName: 'Example Org',
      rating: 2.5,
      weblink: 'https://x/y',
      hostName: 'a.example.com',
      dnsActive: true,
      whoisActive: false,
    });
  });

  it('reads a single object (owner: { name }) and typed listings (type given, or inferred)', () => {
    assert.equal(
      fromApiIndicator({ id: 1, owner: { id: 2, name: 'Example Org' }, ip: '10.0.0.1' }).ownerName,
      'Example Org',
    );
    assert.equal(fromApiIndicator({ id: 1, ip: '10.0.0.1' }).type, 'Address');
    assert.equal(fromApiIndicator({ id: 1, hostName: 'h' }).type, 'Host');
    assert.equal(fromApiIndicator({ id: 1, md5: 'A'.repeat(32) }).type, 'File');
    assert.equal(fromApiIndicator({ id: 1, text: 'http://x' }).type, 'URL');
    assert.equal(fromApiIndicator({ id: 1, address: 'a@b' }).type, 'EmailAddress');
    for (const name of ['hosts', 'host', 'Host'])
      assert.equal(fromApiIndicator({ id: 1, hostName: 'h' }, name).type, 'Host');
    assert.equal(fromApiIndicator({ id: 1, summary: 'x@y' }, 'emailAddresses').type, 'EmailAddress');
    assert.throws(() => fromApiIndicator({ id: 1 }), { code: 'TC_VALIDATION' });
    assert.throws(() => fromApiIndicator(null), { code: 'TC_VALIDATION' });
    assert.throws(() => fromApiIndicator([1]), { code: 'TC_VALIDATION' });
  });

  it('splits a file summary into its hashes by length, any subset', () => {
    const md5 = 'A'.repeat(32);
    const sha1 = 'B'.repeat(40);
    const sha256 = 'C'.repeat(64);
    const file = (summary: string): IndicatorRecord => fromApiIndicator({ type: 'File', summary });
    assert.deepEqual(pick(file(`${md5} : ${sha1} : ${sha256}`)), { md5, sha1, sha256 });
    assert.deepEqual(pick(file(sha1)), { md5: null, sha1, sha256: null });
    assert.deepEqual(pick(file(`${md5} : ${sha256}`)), { md5, sha1: null, sha256 });
    // A part that is not a hash is ignored, as the resource objects read it (consistency.test.ts).
    assert.deepEqual(pick(file('ABC')), { md5: null, sha1: null, sha256: null });
    assert.deepEqual(pick(file(`${md5} : not-a-hash`)), { md5, sha1: null, sha256: null });
    // Typed fields win over the summary.
    assert.equal((fromApiIndicator({ type: 'File', md5, summary: sha1 }) as { md5: string }).md5, md5);
  });

  it('keeps custom types: summary, or the value fields of a typed listing', () => {
    const asn = fromApiIndicator({ id: 100100, type: 'ASN', summary: 'ASN64500', 'AS Number': 'ASN64500' });
    assert.deepEqual([asn.type, (asn as { summary: string }).summary], ['ASN', 'ASN64500']);
    const typed = fromApiIndicator({
      id: 1,
      type: 'ASN',
      'AS Number': 'ASN1',
      rating: 1,
      webLink: 'w',
      source: 's',
    });
    assert.equal((typed as { summary: string }).summary, 'ASN1');
    const twoValues = fromApiIndicator({ id: 1, ownerName: 'o' }, 'Registry Key');
    assert.equal((twoValues as { summary: string | null }).summary, null);
  });

  it('formats every type the sandbox serves, groups too, without a crash', () => {
    const data = sampleData(50);
    const seenIndicators = new Set<string>();
    for (const item of data.indicators) {
      const record = fromApiIndicator(item);
      seenIndicators.add(record.type);
      for (const line of [formatCef(record), formatLeef(record), formatKeyval(record)])
        assert.ok(line.length > 0);
      assert.equal(parseCsv(formatCsv(record)).length, 1);
      JSON.parse(formatJson(record));
      for (const f of [formatCef, formatLeef, formatCsv, formatKeyval, formatJson]) f(record, compat);
    }
    assert.deepEqual([...seenIndicators].sort(), ['ASN', 'Address', 'EmailAddress', 'File', 'Host', 'URL']);
    const seenGroups = new Set<string>();
    for (const item of data.groups) {
      const record = fromApiGroup(item);
      seenGroups.add(record.type);
      assert.ok(isGroupRecord(record));
      assert.equal(parseCsv(formatCsv(record))[0]?.length, 6);
      parseKeyval(formatKeyval(record));
      JSON.parse(formatJson(record));
      for (const f of [formatCsv, formatKeyval, formatJson]) f(record, compat);
    }
    assert.deepEqual([...seenGroups].sort(), [
      'Adversary',
      'Campaign',
      'Document',
      'Email',
      'Incident',
      'Signature',
      'Threat',
    ]);
  });
});

function pick(record: IndicatorRecord): Record<string, unknown> {
  const r = record as unknown as Record<string, unknown>;
  return { md5: r.md5, sha1: r.sha1, sha256: r.sha256 };
}

describe('fromApiGroup', () => {
  it('reads the common fields and the type’s own (sdk-behaviour.md 6.1)', () => {
    const doc = fromApiGroup({
      id: 19,
      name: 'Doc',
      type: 'Document',
      ownerName: 'Example Community',
      dateAdded: '2015-06-16T14:30:00-05:00',
      webLink: 'w',
      fileName: 'a.txt',
      fileSize: 31,
      malware: 'false',
      status: 'Success',
    });
    assert.deepEqual(doc, {
      type: 'Document',
      dateAdded: '2015-06-16T14:30:00-05:00',
      id: 19,
      name: 'Doc',
      ownerName: 'Example Community',
      weblink: 'w',
      fileName: 'a.txt',
      fileSize: 31,
      malware: false,
      password: null,
    });
    assert.equal(fromApiGroup({ id: 5, name: 'x' }, 'adversaries').type, 'Adversary');
    assert.equal(fromApiGroup({ id: 5, name: 'x' }, 'incident').type, 'Incident');
    assert.throws(() => fromApiGroup({ id: 5 }), { code: 'TC_VALIDATION' });
  });

  it('keeps a group type the SDK does not model, with its common fields', () => {
    const event = fromApiGroup({ id: 9, name: 'E', type: 'Event', ownerName: 'o' });
    assert.ok(isGroupRecord(event));
    assert.equal(formatKeyval(event), 'id="9" name="E" ownerName="o" type="Event"');
    assert.equal(formatCsv(event), ',9,E,o,Event,');
  });
});

describe('every type with null fields', () => {
  const cases: [FormatRecord, string, string, string][] = [
    [{ type: 'Address' }, 'cat=Address', 'cat=Address\tsev=0', ',,,,,,,,Address,'],
    [{ type: 'EmailAddress' }, 'cat=EmailAddress', 'cat=EmailAddress\tsev=0', ',,,,,,,,EmailAddress,'],
    [{ type: 'File' }, 'cat=File', 'cat=File\tsev=0', ',,,,,,,,File,'],
    [{ type: 'Host' }, 'cat=Host', 'cat=Host\tsev=0', ',,,,,,,,Host,'],
    [{ type: 'URL' }, 'cat=URL', 'cat=URL\tsev=0', ',,,,,,,,URL,'],
    [{ type: 'ASN' }, 'cat=ASN', 'cat=ASN\tsev=0', ',,,,,,,,ASN,'],
  ];
  for (const [record, cef, leef, csv] of cases) {
    it(record.type, () => {
      assert.equal(
        formatCef(record as IndicatorRecord),
        `CEF:0|threatconnect|threatconnect|2||${record.type} indicator|0|${cef}`,
      );
      assert.equal(formatLeef(record as IndicatorRecord), `LEEF:1.0|threatconnect|threatconnect|2||${leef}`);
      assert.equal(formatCsv(record), csv);
      assert.equal(formatKeyval(record), `type="${record.type}"`);
      const data = JSON.parse(formatJson(record)) as Record<string, unknown>;
      assert.equal(data.type, record.type);
      assert.ok(Object.entries(data).every(([k, v]) => k === 'type' || v === null));
      assert.deepEqual(data, recordData(record));
      assert.ok(formatKeyval(record, compat).includes('confidence="None" '));
    });
  }
  for (const type of [
    'Adversary',
    'Campaign',
    'Document',
    'Email',
    'Incident',
    'Signature',
    'Threat',
  ] as const) {
    it(type, () => {
      const record = { type } as FormatRecord;
      assert.equal(formatCsv(record), `,,,,${type},`);
      assert.equal(formatKeyval(record), `type="${type}"`);
      assert.equal(
        formatKeyval(record, compat).split('="None" ').length - 1,
        Object.keys(recordData(record)).length - 1,
      );
      assert.throws(() => formatCef(record), /indicators only/);
    });
  }

  it('recordData: every field of the type, sorted, null kept, values as they are', () => {
    assert.deepEqual(recordData({ type: 'Host', hostName: 'h', rating: 1 }), {
      confidence: null,
      dateAdded: null,
      description: null,
      dnsActive: null,
      hostName: 'h',
      id: null,
      lastModified: null,
      ownerName: null,
      rating: 1,
      type: 'Host',
      weblink: null,
      whoisActive: null,
    });
    assert.deepEqual(Object.keys(recordData({ type: 'Email' })), [
      'body',
      'dateAdded',
      'from',
      'header',
      'id',
      'name',
      'ownerName',
      'score',
      'subject',
      'to',
      'type',
      'weblink',
    ]);
  });
});

describe('the mapping choices (docs/decisions.md "Formats")', () => {
  it('an IPv6 address goes to c6a3 with its label; IPv4 to dst', () => {
    assert.deepEqual(ext(formatCef({ type: 'Address', ip: '2001:db8::1' })), {
      cat: 'Address',
      c6a3Label: 'address',
      c6a3: '2001:db8::1',
    });
    assert.equal(ext(formatCef({ type: 'Address', ip: '10.0.0.1' })).dst, '10.0.0.1');
  });

  it('a file: fileHash is the strongest hash; each present hash in cs4-cs6; CSV joins them', () => {
    const file: IndicatorRecord = { type: 'File', md5: 'A'.repeat(32), sha1: 'B'.repeat(40), sha256: '' };
    assert.deepEqual(ext(formatCef(file)), {
      cat: 'File',
      fileHash: 'B'.repeat(40),
      cs4Label: 'md5',
      cs4: 'A'.repeat(32),
      cs5Label: 'sha1',
      cs5: 'B'.repeat(40),
    });
    assert.equal(parseCsv(formatCsv(file))[0]?.[4], `${'A'.repeat(32)} : ${'B'.repeat(40)}`);
    assert.deepEqual(attrs(formatLeef(file)), {
      cat: 'File',
      fileHash: 'B'.repeat(40),
      md5: 'A'.repeat(32),
      sha1: 'B'.repeat(40),
      sev: '0',
    });
    // The original printed one CSV row per hash.
    assert.equal(formatCsv(file, compat).split('\r\n').length, 3);
  });

  it('host flags: cs3 holds both, an unknown one empty; LEEF has them as attributes', () => {
    assert.equal(ext(formatCef({ type: 'Host', dnsActive: true, whoisActive: false })).cs3, 'true,false');
    assert.equal(ext(formatCef({ type: 'Host', dnsActive: true })).cs3, 'true,');
    assert.equal(ext(formatCef({ type: 'Host' })).cs3, undefined);
    // Flags that are not booleans (hand-made records) are escaped like any text.
    assert.equal(ext(formatCef({ type: 'Host', dnsActive: 'a=b\\' as never })).cs3, 'a=b\\,');
    assert.deepEqual(attrs(formatLeef({ type: 'Host', hostName: 'h', whoisActive: true })), {
      cat: 'Host',
      identHostName: 'h',
      whoisActive: 'true',
      sev: '0',
    });
    // Compat prints the API's string, as the original stored and printed it (not Python's `False`).
    assert.match(formatKeyval({ type: 'Host', dnsActive: false }, compat), /dnsActive="false"/);
  });

  it('type names that are also Object.prototype keys are plain custom types', () => {
    for (const type of ['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const record: IndicatorRecord = { type, summary: 'x' };
      assert.equal(formatKeyval(record), `summary="x" type="${type}"`);
      assert.equal(formatCsv(record), `,,,,x,,,,${type},`);
      assert.equal(ext(formatCef(record)).cs4, 'x');
      assert.deepEqual(Object.keys(JSON.parse(formatJson(record)) as object).length, 10);
    }
  });

  it('a custom type: cs4Label=summary in CEF, summary in LEEF, the indicator column in CSV', () => {
    const asn: IndicatorRecord = { type: 'ASN', summary: 'ASN64500', rating: 2 };
    assert.deepEqual(ext(formatCef(asn)), {
      cat: 'ASN',
      cs4Label: 'summary',
      cs4: 'ASN64500',
      cfp1Label: 'rating',
      cfp1: '2.0',
    });
    assert.equal(attrs(formatLeef(asn)).summary, 'ASN64500');
    assert.equal(formatCsv(asn), ',,,,ASN64500,,,2.0,ASN,');
  });

  it('severity is round(rating × 2) clamped to 0-10; ratings print as floats', () => {
    const sev = (rating: number | null): string | undefined =>
      parseCef(formatCef({ type: 'Host', rating })).header[6];
    assert.deepEqual([0, 0.5, 1, 2.25, 2.5, 5, 7, -1, null, Number.NaN].map(sev), [
      '0',
      '1',
      '2',
      '5',
      '5',
      '10',
      '10',
      '0',
      '0',
      '0',
    ]);
    assert.equal(ext(formatCef({ type: 'Host', rating: 4 })).cfp1, '4.0');
    assert.equal(formatKeyval({ type: 'Host', rating: 0.1 }), 'rating="0.1" type="Host"');
    assert.equal(formatJson({ type: 'ASN', rating: 3 }).includes('"rating":3.0,'), true);
    assert.equal(
      formatJson({ type: 'ASN', rating: Number.POSITIVE_INFINITY }).includes('"rating":null,'),
      true,
    );
  });

  it('dates: CEF epoch ms, LEEF devTime in UTC; a date it cannot read is left out', () => {
    const r: IndicatorRecord = {
      type: 'Host',
      dateAdded: '2015-06-21T10:40:33.5-05:00',
      lastModified: 'yesterday',
    };
    assert.equal(ext(formatCef(r)).deviceCustomDate1, '1434901233500');
    assert.equal(ext(formatCef(r)).rt, undefined);
    assert.equal(attrs(formatLeef(r)).devTime, 'Jun 21 2015 15:40:33');
    assert.equal(attrs(formatLeef({ type: 'Host', dateAdded: 'x' })).devTime, undefined);
    assert.equal(attrs(formatLeef({ type: 'Host', dateAdded: 'x' })).devTimeFormat, undefined);
  });

  it('control characters: dropped in CEF, LEEF and KeyVal, kept by CSV, escaped by JSON', () => {
    const r: IndicatorRecord = { type: 'Host', description: 'a\0b\x1bc\x7fd' };
    assert.equal(ext(formatCef(r)).msg, 'abc\x7fd');
    assert.equal(attrs(formatLeef(r)).description, 'abc\x7fd');
    assert.equal(formatKeyval(r), 'description="abc\x7fd" type="Host"');
    assert.equal(parseCsv(formatCsv(r))[0]?.[2], 'a\0b\x1bc\x7fd');
    assert.ok(formatJson(r).includes(String.raw`"a\u0000b\u001bc` + '\x7fd"'));
  });

  it('the CEF name is the description, else "<Type> indicator"; header fields lose CR/LF to spaces', () => {
    assert.equal(parseCef(formatCef({ type: 'URL', description: '' })).header[5], 'URL indicator');
    assert.equal(parseCef(formatCef({ type: 'URL', description: 'a\r\nb' })).header[5], 'a  b');
    assert.equal(ext(formatCef({ type: 'URL', description: 'a\r\nb' })).msg, 'a\r\nb');
    assert.equal(ext(formatCef({ type: 'URL', description: '' })).msg, '');
  });
});

describe('compat details', () => {
  it('JSON escapes non-ASCII as Python json.dumps does; a null description prints null in the CEF name', () => {
    assert.ok(
      formatJson({ type: 'Host', description: 'é😀\x7f' }, compat).includes(
        String.raw`"\u00e9\ud83d\ude00\u007f"`,
      ),
    );
    assert.equal(formatCef({ type: 'Host', id: 1 }, compat).split('|')[5], 'null');
  });
  it('CEF: `=` becomes `\\=` and, as in the original, `""` becomes `\\`', () => {
    assert.ok(
      formatCef({ type: 'Host', hostName: 'a=b""c' }, compat).includes(String.raw`hostName="a\=b\c"`),
    );
  });
  it('CSV: the whole text is right-stripped as Python’s rstrip() does', () => {
    assert.equal(formatCsv({ type: 'Host', weblink: 'w \t\u3000' }, compat), ',,,,,,,,Host,w');
  });
  it('python floats: repr of the rating', () => {
    const kv = (rating: number): string =>
      /rating="([^"]*)"/.exec(formatKeyval({ type: 'Host', rating }, compat))?.[1] ?? '';
    assert.deepEqual([1, 2.5, 0.1, 1e-4, 1e-5, 1e16, 1.5e-7, 123456789012345680, -0, 0].map(kv), [
      '1.0',
      '2.5',
      '0.1',
      '0.0001',
      '1e-05',
      '1e+16',
      '1.5e-07',
      '1.2345678901234568e+17',
      '-0.0',
      '0.0',
    ]);
  });
});

describe('options', () => {
  it('compat takes python-sdk only', () => {
    assert.throws(() => formatCef({ type: 'Host' }, { compat: 'python' as never }), {
      code: 'TC_VALIDATION',
    });
    assert.throws(() => formatCsv({ type: 'Host' }, null as never), { code: 'TC_VALIDATION' });
    assert.equal(formatCsv({ type: 'Host' }, {}), ',,,,,,,,Host,');
  });

  it('LEEF 2.0 with a delimiter; LEEF 1.0 takes none; a bad delimiter is refused', () => {
    const r: IndicatorRecord = { type: 'Host', id: 3, hostName: 'a^b\tc' };
    assert.equal(
      formatLeef(r, { version: '2.0' }),
      'LEEF:2.0|threatconnect|threatconnect|2|3|^|cat=Host^identHostName=a b c^sev=0',
    );
    assert.equal(
      formatLeef(r, { version: '2.0', delimiter: '\t' }),
      'LEEF:2.0|threatconnect|threatconnect|2|3|x09|cat=Host\tidentHostName=a^b c\tsev=0',
    );
    for (const delimiter of ['', 'ab', 'a', '1', '=', '|', '\\', ' ', '\n', 'é']) {
      assert.throws(() => formatLeef(r, { version: '2.0', delimiter }), { code: 'TC_VALIDATION' }, delimiter);
    }
    assert.throws(() => formatLeef(r, { delimiter: '^' }), { code: 'TC_VALIDATION' });
    assert.throws(() => formatLeef(r, { version: '3.0' as never }), { code: 'TC_VALIDATION' });
    assert.throws(() => formatLeef(r, { version: '2.0', compat: 'python-sdk' }), { code: 'TC_VALIDATION' });
    assert.throws(() => createFormatter('cef', { version: '2.0' }), { code: 'TC_VALIDATION' });
  });

  it('records must be objects with a string type', () => {
    assert.throws(() => formatJson(null as never), { code: 'TC_VALIDATION' });
    assert.throws(() => formatJson({} as never), { code: 'TC_VALIDATION' });
    assert.throws(() => csvHeader('groups' as never), { code: 'TC_VALIDATION' });
    assert.throws(() => createFormatter('xml' as never), { code: 'TC_VALIDATION' });
  });
});

describe('many records', () => {
  const records: FormatRecord[] = [
    { type: 'Host', id: 1, hostName: 'a', description: 'x,y' },
    { type: 'URL', id: 2, text: 'http://b' },
  ];

  it('formatLines: CSV header first, CRLF after every record; other formats LF', () => {
    assert.deepEqual(
      [...formatLines(records, 'csv')],
      [`${csvHeader('indicator')}\r\n,,"x,y",1,a,,,,Host,\r\n`, ',,,2,http://b,,,,URL,\r\n'],
    );
    assert.deepEqual([...formatLines(records, 'csv', { header: false })].length, 2);
    assert.deepEqual([...formatLines([], 'csv')], []);
    assert.deepEqual([...formatLines([], 'csv', { header: 'group' })], [`${csvHeader('group')}\r\n`]);
    assert.deepEqual(
      [...formatLines(records, 'keyval')],
      ['description="x,y" hostName="a" id="1" type="Host"\n', 'id="2" text="http://b" type="URL"\n'],
    );
    assert.ok(
      [...formatLines(records, 'json')].every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n')),
    );
    assert.ok([...formatLines(records, 'csv', compat)].every((l) => l.endsWith('\n') && !l.endsWith('\r\n')));
  });

  it('formatStream takes async and sync iterables', async () => {
    async function* gen(): AsyncGenerator<FormatRecord> {
      for (const record of records) {
        await Promise.resolve();
        yield record;
      }
    }
    const fromAsync: string[] = [];
    for await (const line of formatStream(gen(), 'cef')) fromAsync.push(line);
    const fromSync: string[] = [];
    for await (const line of formatStream(records, 'cef')) fromSync.push(line);
    assert.deepEqual(fromAsync, fromSync);
    assert.deepEqual(
      fromAsync,
      records.map((r) => `${formatCef(r as IndicatorRecord)}\n`),
    );
  });

  it('an error names the record; CEF refuses a group in a stream', () => {
    assert.throws(
      () => [...formatLines([records[0] as FormatRecord, { type: 'Threat', name: 't' }], 'cef')],
      {
        code: 'TC_VALIDATION',
        message: /^Record 1: CEF is printed for indicators only/,
      },
    );
  });

  it('createFormatTransform pipes records to text with backpressure', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await pipeline(Readable.from(records), createFormatTransform('csv', { header: 'indicator' }), out);
    assert.equal(Buffer.concat(chunks).toString(), [...formatLines(records, 'csv')].join(''));
    const empty = new PassThrough();
    const none: Buffer[] = [];
    empty.on('data', (c: Buffer) => none.push(c));
    await pipeline(Readable.from([]), createFormatTransform('csv', { header: 'group' }), empty);
    assert.equal(Buffer.concat(none).toString(), `${csvHeader('group')}\r\n`);
  });

  it('a million records go through in constant memory (a generator, one record at a time)', () => {
    function* many(): Generator<FormatRecord> {
      for (let i = 0; i < 200_000; i += 1) yield { type: 'Host', id: i, hostName: `h${i}.example.com` };
    }
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    for (const line of formatLines(many(), 'keyval')) count += line.length > 0 ? 1 : 0;
    assert.equal(count, 200_000);
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024);
  });
});

describe('exports (decisions.md 1.1)', () => {
  it('threatconnect exports the formatter functions', () => {
    for (const name of ['formatCef', 'formatLeef', 'formatCsv', 'csvHeader', 'formatKeyval', 'formatJson']) {
      assert.equal(typeof (sdk as Record<string, unknown>)[name], 'function', name);
    }
    for (const name of [
      'fromApiIndicator',
      'fromApiGroup',
      'recordData',
      'formatLines',
      'formatStream',
      'createFormatter',
      'createFormatTransform',
    ]) {
      assert.equal(typeof (sdk as Record<string, unknown>)[name], 'function', name);
    }
  });
});
