/**
 * Where the bulk scanners say a report goes wrong (src/bulk/json-scanner.ts, src/bulk/csv-scanner.ts):
 * the JSON scanner names the bytes of a value that is not UTF-8, wherever the chunks were cut; the CSV
 * scanner counts the line breaks inside quoted fields, so "line N" is the line of the file, and a
 * row's error names the line where the row begins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulkCsvScanner } from '../../../src/bulk/csv-scanner.js';
import { JsonArrayScanner } from '../../../src/bulk/json-scanner.js';
import { InvalidResponseError } from '../../../src/index.js';

function jsonError(parts: Uint8Array[]): string {
  const scanner = new JsonArrayScanner({ key: 'indicator', what: 'The report', status: 200 });
  try {
    for (const part of parts) scanner.push(part);
    scanner.end();
  } catch (error) {
    assert.ok(error instanceof InvalidResponseError);
    return error.message;
  }
  assert.fail('no error');
}

function csvError(parts: string[]): string {
  const scanner = new BulkCsvScanner({ what: 'The report', status: 200 });
  try {
    for (const part of parts) scanner.push(Buffer.from(part, 'utf8'));
    scanner.end();
  } catch (error) {
    assert.ok(error instanceof InvalidResponseError);
    return error.message;
  }
  assert.fail('no error');
}

describe('bulk JSON scanner: a value that is not UTF-8', () => {
  // `{"indicator":[{"id":1},` is 23 bytes; the bad string `"a\xffb"` is bytes 23 to 28 (end excluded).
  const doc = Buffer.concat([
    Buffer.from('{"indicator":[{"id":1},"a'),
    Buffer.from([0xff]),
    Buffer.from('b"]}'),
  ]);

  it('names its bytes in the document, whatever the chunks', () => {
    const expected = 'The report holds a value that is not UTF-8 (bytes 23 to 28)';
    assert.equal(jsonError([doc]), expected);
    for (const cut of [5, 23, 24, 25, 26, 27]) {
      assert.equal(jsonError([doc.subarray(0, cut), doc.subarray(cut)]), expected, `cut at ${cut}`);
    }
  });

  it('names the bytes of a member name too', () => {
    const key = Buffer.concat([Buffer.from('{"indicator":[],"'), Buffer.from([0xc3]), Buffer.from('":1}')]);
    assert.equal(jsonError([key]), 'The report holds a member name that is not UTF-8 (bytes 16 to 19)');
  });
});

describe('bulk CSV scanner: line numbers', () => {
  const header = 'Type,Value,Rating,Confidence\r\n';

  it('counts the line breaks inside quoted fields (CRLF, LF or CR), across chunks', () => {
    const rows = 'Host,"a\r\nb\nc\rd",null,null\r\nHost,x.example.com,high,1\r\n';
    assert.equal(csvError([header + rows]), 'The report has Rating "high" on line 6, not a number or null');
    // A CRLF inside quotes cut between its CR and its LF is one line break.
    const cut = header.length + rows.indexOf('\n');
    const text = header + rows;
    assert.equal(
      csvError([text.slice(0, cut), text.slice(cut)]),
      'The report has Rating "high" on line 6, not a number or null',
    );
  });

  it('names the line where a row spanning several lines begins', () => {
    assert.equal(
      csvError([`${header}\r\nHost,"a\r\nb",1,2\r\nHost,"c\r\nd",1\r\n`]),
      'The report has 3 fields on line 5, not 4 as in its header',
    );
  });

  it('names the line of an end inside a quoted field', () => {
    assert.equal(csvError([`${header}Host,"a\r\nb\r\n`]), 'The report ended inside a quoted field (line 4)');
  });
});
