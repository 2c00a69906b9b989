/**
 * Golden vectors (issue 9): compat mode byte for byte against what the original printed
 * (python-sdk-observed.md 4.5), against the seed page's samples up to the page artefacts that
 * docs/formats.md lists, and the default mode against hand-checked correct lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  csvHeader,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  fromApiIndicator,
  type IndicatorRecord,
} from '../../../src/formats/index.js';
import { parseCef, parseCsv, parseKeyval, parseLeef } from '../../helpers/format-parsers.js';
import { ITEMS, OBSERVED, SEED } from './fixtures/vectors.js';

const compat = { compat: 'python-sdk' } as const;

const records: IndicatorRecord[] = ITEMS.map((item) => fromApiIndicator(JSON.parse(item) as unknown));
/** The original printed the five in its set order. */
const PRINTED = [356004, 356003, 355999, 356002, 356001];
const byId = (id: number): IndicatorRecord => {
  const found = records.find((r) => r.id === id);
  assert.ok(found, `record ${id}`);
  return found;
};
const printed = PRINTED.map(byId);

describe('compat mode prints what the original printed (python-sdk-observed.md 4.5)', () => {
  it('CEF, byte for byte, trailing space included', () => {
    assert.deepEqual(
      printed.map((r) => formatCef(r, compat)),
      [...OBSERVED.cef],
    );
  });

  it('CSV: the header, then one row per record', () => {
    assert.equal(csvHeader('indicator', compat), OBSERVED.csv[0]);
    assert.deepEqual(
      printed.map((r) => formatCsv(r, compat)),
      OBSERVED.csv.slice(1),
    );
  });

  it('KeyVal, byte for byte', () => {
    assert.deepEqual(
      printed.map((r) => formatKeyval(r, compat)),
      [...OBSERVED.keyval],
    );
  });

  it('LEEF, byte for byte', () => {
    assert.deepEqual(
      printed.map((r) => formatLeef(r, compat)),
      [...OBSERVED.leef],
    );
  });

  it('JSON: the seed form (decisions.md 3.2) holds the same keys and values as the printed dict', () => {
    for (const [i, record] of printed.entries()) {
      const ours = formatJson(record, compat);
      const theirs = parsePythonDict(OBSERVED.json[i] as string);
      const parsed = JSON.parse(ours) as Record<string, unknown>;
      assert.deepEqual(Object.keys(parsed), Object.keys(theirs).sort(), `keys of ${record.id}`);
      assert.deepEqual(parsed, theirs, `values of ${record.id}`);
      // Sorted keys, 4-space indentation, one key per line, ratings as floats.
      const lines = ours.split('\n');
      assert.equal(lines[0], '{');
      assert.equal(lines.at(-1), '}');
      assert.ok(lines.slice(1, -1).every((l) => /^ {4}"[A-Za-z0-9]+": .*[^ ]$/.test(l)));
      if (typeof record.rating === 'number') assert.match(ours, /"rating": \d+\.\d+,/);
    }
  });
});

describe('compat mode against the seed page, up to its artefacts (docs/formats.md)', () => {
  // The page printed a record whose type was not filled (an older SDK): `type="None"` / `null`.
  const host = byId(355999);

  it('CEF: the page has type None and no trailing space', () => {
    const ours = formatCef(host, compat);
    assert.ok(ours.endsWith('" '));
    assert.equal(ours.replace('type="Host"', 'type="None"').slice(0, -1), SEED.cef[0]);
  });

  it('CSV: the page has null in the type column', () => {
    assert.equal(csvHeader('indicator', compat), SEED.csv[0]);
    assert.equal(formatCsv(host, compat).replace(',Host,', ',null,'), SEED.csv[1]);
  });

  it('KeyVal and LEEF: the page has type None (and keeps the trailing space)', () => {
    assert.equal(formatKeyval(host, compat).replace('type="Host"', 'type="None"'), SEED.keyval[0]);
    assert.equal(formatLeef(host, compat).replace('type="Host"', 'type="None"'), SEED.leef[0]);
  });

  it('JSON: the page has "type": null and Python 2 separators (a space after each comma)', () => {
    const ours = formatJson(host, compat).replace('"type": "Host"', '"type": null').replaceAll(',\n', ', \n');
    assert.equal(ours, SEED.json.join('\n'));
  });
});

// Hand-checked lines (docs/formats.md shows the same): dates are epoch ms of the UTC instant
// (2015-06-21T10:40:33-05:00 is 15:40:33Z, day 16607 since 1970: 1434901233000), severity is
// round(rating × 2), and null fields are absent.
const WEB = 'https://tc.sumx.us/auth/indicators/details';
const CEF: Record<number, string> = {
  355999: String.raw`CEF:0|threatconnect|threatconnect|2|355999|TEST attribute #14|2|cat=Host dhost=www.badguy_014.com externalId=355999 msg=TEST attribute #14 cs1Label=ownerName cs1=Example Community cn1Label=confidence cn1=14 cfp1Label=rating cfp1=1.0 deviceCustomDate1Label=dateAdded deviceCustomDate1=1434901233000 rt=1434901233000 cs2Label=webLink cs2=https://tc.sumx.us/auth/indicators/details/host.xhtml?host\=www.badguy_014.com&owner\=Example+Community`,
  356001: String.raw`CEF:0|threatconnect|threatconnect|2|356001|Callback "C2" address, seen=twice|6|cat=Address dst=10.20.30.40 externalId=356001 msg=Callback "C2" address, seen\=twice cs1Label=ownerName cs1=Example Community cn1Label=confidence cn1=50 cfp1Label=rating cfp1=3.0 deviceCustomDate1Label=dateAdded deviceCustomDate1=1434676905000 rt=1434718800000 cs2Label=webLink cs2=https://tc.sumx.us/auth/indicators/details/address.xhtml?address\=10.20.30.40&owner\=Example+Community`,
  356002: String.raw`CEF:0|threatconnect|threatconnect|2|356002|File indicator|10|cat=File fileHash=422AD421127685E3EF4A44B546258107 cs4Label=md5 cs4=422AD421127685E3EF4A44B546258107 externalId=356002 cs1Label=ownerName cs1=Example Community cn1Label=confidence cn1=90 cfp1Label=rating cfp1=5.0 deviceCustomDate1Label=dateAdded deviceCustomDate1=1434560400000 rt=1434560400000 cs2Label=webLink cs2=https://tc.sumx.us/auth/indicators/details/file.xhtml?file\=422AD421127685E3EF4A44B546258107&owner\=Example+Community`,
  356003: String.raw`CEF:0|threatconnect|threatconnect|2|356003|pipe \| and backslash \\ test|5|cat=URL request=http://bad.example.com/a?b\=c&d\=e externalId=356003 msg=pipe | and backslash \\ test cs1Label=ownerName cs1=Example Community cn1Label=confidence cn1=0 cfp1Label=rating cfp1=2.5 deviceCustomDate1Label=dateAdded deviceCustomDate1=1430438400000 rt=1430524800000 cs2Label=webLink cs2=https://tc.sumx.us/auth/indicators/details/url.xhtml?orgid\=356003&owner\=Example+Community`,
  356004: String.raw`CEF:0|threatconnect|threatconnect|2|356004|EmailAddress indicator|0|cat=EmailAddress duser=bad@example.com externalId=356004 cs1Label=ownerName cs1=Example Community deviceCustomDate1Label=dateAdded deviceCustomDate1=1434776400000 rt=1434776400000 cs2Label=webLink cs2=https://tc.sumx.us/auth/indicators/details/emailaddress.xhtml?emailaddress\=bad%40example.com&owner\=Example+Community`,
};

const TIME_FORMAT = 'devTimeFormat=MMM dd yyyy HH:mm:ss';
const LEEF: Record<number, string[]> = {
  355999: [
    'cat=Host',
    'identHostName=www.badguy_014.com',
    'devTime=Jun 21 2015 15:40:33',
    TIME_FORMAT,
    'sev=2',
    'description=TEST attribute #14',
    'ownerName=Example Community',
    'confidence=14',
    'rating=1.0',
    `weblink=${WEB}/host.xhtml?host=www.badguy_014.com&owner=Example+Community`,
  ],
  356001: [
    'cat=Address',
    'dst=10.20.30.40',
    'devTime=Jun 19 2015 01:21:45',
    TIME_FORMAT,
    'sev=6',
    'description=Callback "C2" address, seen=twice',
    'ownerName=Example Community',
    'confidence=50',
    'rating=3.0',
    `weblink=${WEB}/address.xhtml?address=10.20.30.40&owner=Example+Community`,
  ],
  356002: [
    'cat=File',
    'fileHash=422AD421127685E3EF4A44B546258107',
    'md5=422AD421127685E3EF4A44B546258107',
    'devTime=Jun 17 2015 17:00:00',
    TIME_FORMAT,
    'sev=10',
    'ownerName=Example Community',
    'confidence=90',
    'rating=5.0',
    `weblink=${WEB}/file.xhtml?file=422AD421127685E3EF4A44B546258107&owner=Example+Community`,
  ],
  356003: [
    'cat=URL',
    'url=http://bad.example.com/a?b=c&d=e',
    'devTime=May 01 2015 00:00:00',
    TIME_FORMAT,
    'sev=5',
    String.raw`description=pipe | and backslash \ test`,
    'ownerName=Example Community',
    'confidence=0',
    'rating=2.5',
    `weblink=${WEB}/url.xhtml?orgid=356003&owner=Example+Community`,
  ],
  356004: [
    'cat=EmailAddress',
    'usrName=bad@example.com',
    'devTime=Jun 20 2015 05:00:00',
    TIME_FORMAT,
    'sev=0',
    'ownerName=Example Community',
    `weblink=${WEB}/emailaddress.xhtml?emailaddress=bad%40example.com&owner=Example+Community`,
  ],
};

const KEYVAL: Record<number, string> = {
  355999: `confidence="14" dateAdded="2015-06-21T10:40:33-05:00" description="TEST attribute #14" hostName="www.badguy_014.com" id="355999" lastModified="2015-06-21T10:40:33-05:00" ownerName="Example Community" rating="1.0" type="Host" weblink="${WEB}/host.xhtml?host=www.badguy_014.com&owner=Example+Community"`,
  356001: `confidence="50" dateAdded="2015-06-18T20:21:45-05:00" description="Callback \\"C2\\" address, seen=twice" id="356001" ip="10.20.30.40" lastModified="2015-06-19T08:00:00-05:00" ownerName="Example Community" rating="3.0" type="Address" weblink="${WEB}/address.xhtml?address=10.20.30.40&owner=Example+Community"`,
  356002: `confidence="90" dateAdded="2015-06-17T12:00:00-05:00" id="356002" lastModified="2015-06-17T12:00:00-05:00" md5="422AD421127685E3EF4A44B546258107" ownerName="Example Community" rating="5.0" type="File" weblink="${WEB}/file.xhtml?file=422AD421127685E3EF4A44B546258107&owner=Example+Community"`,
  356003: `confidence="0" dateAdded="2015-05-01T00:00:00Z" description="pipe | and backslash \\\\ test" id="356003" lastModified="2015-05-02T00:00:00Z" ownerName="Example Community" rating="2.5" text="http://bad.example.com/a?b=c&d=e" type="URL" weblink="${WEB}/url.xhtml?orgid=356003&owner=Example+Community"`,
  356004: `address="bad@example.com" dateAdded="2015-06-20T00:00:00-05:00" id="356004" lastModified="2015-06-20T00:00:00-05:00" ownerName="Example Community" type="EmailAddress" weblink="${WEB}/emailaddress.xhtml?emailaddress=bad%40example.com&owner=Example+Community"`,
};

const JSONS: Record<number, string> = {
  355999: `{"confidence":14,"dateAdded":"2015-06-21T10:40:33-05:00","description":"TEST attribute #14","dnsActive":null,"hostName":"www.badguy_014.com","id":355999,"lastModified":"2015-06-21T10:40:33-05:00","ownerName":"Example Community","rating":1.0,"type":"Host","weblink":"${WEB}/host.xhtml?host=www.badguy_014.com&owner=Example+Community","whoisActive":null}`,
  356001: `{"confidence":50,"dateAdded":"2015-06-18T20:21:45-05:00","description":"Callback \\"C2\\" address, seen=twice","id":356001,"ip":"10.20.30.40","lastModified":"2015-06-19T08:00:00-05:00","ownerName":"Example Community","rating":3.0,"type":"Address","weblink":"${WEB}/address.xhtml?address=10.20.30.40&owner=Example+Community"}`,
  356002: `{"confidence":90,"dateAdded":"2015-06-17T12:00:00-05:00","description":null,"id":356002,"lastModified":"2015-06-17T12:00:00-05:00","md5":"422AD421127685E3EF4A44B546258107","ownerName":"Example Community","rating":5.0,"sha1":null,"sha256":null,"size":null,"type":"File","weblink":"${WEB}/file.xhtml?file=422AD421127685E3EF4A44B546258107&owner=Example+Community"}`,
  356003: `{"confidence":0,"dateAdded":"2015-05-01T00:00:00Z","description":"pipe | and backslash \\\\ test","id":356003,"lastModified":"2015-05-02T00:00:00Z","ownerName":"Example Community","rating":2.5,"source":null,"text":"http://bad.example.com/a?b=c&d=e","type":"URL","weblink":"${WEB}/url.xhtml?orgid=356003&owner=Example+Community"}`,
  356004: `{"address":"bad@example.com","confidence":null,"dateAdded":"2015-06-20T00:00:00-05:00","description":null,"id":356004,"lastModified":"2015-06-20T00:00:00-05:00","ownerName":"Example Community","rating":null,"type":"EmailAddress","weblink":"${WEB}/emailaddress.xhtml?emailaddress=bad%40example.com&owner=Example+Community"}`,
};

describe('default mode equals the hand-checked correct lines', () => {
  for (const record of records) {
    const id = record.id as number;
    it(`${record.type} ${id}`, () => {
      assert.equal(formatCef(record), CEF[id]);
      assert.equal(
        formatLeef(record),
        `LEEF:1.0|threatconnect|threatconnect|2|${id}|${(LEEF[id] ?? []).join('\t')}`,
      );
      assert.equal(formatKeyval(record), KEYVAL[id]);
      assert.equal(formatJson(record), JSONS[id]);
      // With nothing to quote, the default CSV row is the row the original printed.
      assert.equal(formatCsv(record), OBSERVED.csv[PRINTED.indexOf(id) + 1]);
      // And each parses back, strictly, as its specification reads it.
      assert.equal(parseCef(formatCef(record)).header[4], String(id));
      assert.equal(parseLeef(formatLeef(record)).attributes[0]?.[0], 'cat');
      assert.deepEqual(
        parseKeyval(formatKeyval(record)).map(([key]) => key),
        [...(KEYVAL[id] ?? '').matchAll(/(?:^| )(\w+)="/g)].map((m) => m[1]),
      );
      assert.equal(parseCsv(formatCsv(record)).length, 1);
    });
  }

  it('the CEF msg keeps the description exactly: `|` needs no escape in the extension, `=` does', () => {
    const event = parseCef(formatCef(byId(356003)));
    assert.deepEqual(
      event.extension.find(([k]) => k === 'msg'),
      ['msg', String.raw`pipe | and backslash \ test`],
    );
    assert.equal(event.header[5], String.raw`pipe | and backslash \ test`);
  });
});

describe('the original output is unsafe, the default is not (why compat is not the default)', () => {
  const forged = fromApiIndicator({
    id: 1,
    type: 'Host',
    summary: 'evil.example.com',
    description: 'ok\nCEF:0|evil|evil|1|1|forged event|10|act=exfiltrate',
  });
  it('compat CEF lets a description start a second event; the default keeps one line', () => {
    assert.equal(formatCef(forged, compat).split('\n').length, 2);
    assert.equal(formatCef(forged).split('\n').length, 1);
    const event = parseCef(formatCef(forged));
    assert.equal(
      event.extension.find(([k]) => k === 'msg')?.[1],
      'ok\nCEF:0|evil|evil|1|1|forged event|10|act=exfiltrate',
    );
  });
  it('compat CEF lets a `|` in the description shift the header fields; the default escapes it', () => {
    const shifted = fromApiIndicator({ id: 2, type: 'Host', summary: 'h', description: 'a|b|10' });
    assert.equal(formatCef(shifted, compat).split('|')[6], 'b');
    assert.deepEqual(parseCef(formatCef(shifted)).header.slice(5), ['a|b|10', '0']);
  });
});

/** A Python dict repr of strings, None, ints and floats (what the original's `.json` printed). */
function parsePythonDict(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  const expect = (s: string): void => {
    assert.equal(text.slice(i, i + s.length), s, `at ${i}`);
    i += s.length;
  };
  const str = (): string => {
    const quote = text[i];
    assert.ok(quote === "'" || quote === '"');
    i += 1;
    let value = '';
    while (text[i] !== quote) {
      if (text[i] === '\\') {
        const next = text[i + 1] as string;
        value += { n: '\n', r: '\r', t: '\t' }[next] ?? next;
        i += 2;
      } else {
        value += text.charAt(i);
        i += 1;
      }
    }
    i += 1;
    return value;
  };
  expect('{');
  while (text[i] !== '}') {
    const key = str();
    expect(': ');
    let value: unknown;
    if (text[i] === "'" || text[i] === '"') value = str();
    else {
      const m = /^(None|-?\d+(?:\.\d+)?)/.exec(text.slice(i));
      assert.ok(m, `value at ${i}`);
      value = m[1] === 'None' ? null : Number(m[1]);
      i += (m[1] as string).length;
    }
    out[key] = value;
    if (text[i] === ',') expect(', ');
  }
  return out;
}
