/**
 * The delete events of `sync --deletions` (docs/sync.md, "Delete events"), line by line in each
 * format, with the escaping of each format applied to a custom type name and value that need it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSyncEncoder } from '../../../src/cli/sync-encoder.js';
import { deletionLine } from '../../../src/sync/delete-events.js';

const host = {
  ownerName: 'Example Org',
  type: 'Host',
  dateAdded: '2030-01-02T03:04:05Z',
  summary: 'gone.example.com',
};
const file = {
  ownerName: 'Example Org',
  type: 'File',
  dateAdded: '2030-01-02T03:04:05Z',
  summary: `${'A'.repeat(32)} : ${'B'.repeat(40)}`,
};
const odd = { ownerName: 'Example Org', type: 'A|B=C', dateAdded: '2030-01-02T03:04:05Z', summary: 'x=y' };
const A = 'A'.repeat(32);
const B = 'B'.repeat(40);
const MS = '1893553445000';
const LEEF_TIME =
  'devTime=Jan 02 2030 03:04:05\tdevTimeFormat=MMM dd yyyy HH:mm:ss\tsev=0\townerName=Example Org';

describe('delete events', () => {
  it('CEF: event class delete, "<Type> indicator deleted", severity 0, act=delete, then the indicator keys', () => {
    assert.equal(
      deletionLine('cef', host),
      `CEF:0|threatconnect|threatconnect|2|delete|Host indicator deleted|0|act=delete cat=Host dhost=gone.example.com cs1Label=ownerName cs1=Example Org deviceCustomDate1Label=dateAdded deviceCustomDate1=${MS}`,
    );
    assert.equal(
      deletionLine('cef', file),
      `CEF:0|threatconnect|threatconnect|2|delete|File indicator deleted|0|act=delete cat=File fileHash=${B} cs4Label=md5 cs4=${A} cs5Label=sha1 cs5=${B} cs1Label=ownerName cs1=Example Org deviceCustomDate1Label=dateAdded deviceCustomDate1=${MS}`,
    );
    assert.equal(
      deletionLine('cef', odd),
      `CEF:0|threatconnect|threatconnect|2|delete|A\\|B=C indicator deleted|0|act=delete cat=A|B\\=C cs4Label=summary cs4=x\\=y cs1Label=ownerName cs1=Example Org deviceCustomDate1Label=dateAdded deviceCustomDate1=${MS}`,
    );
  });

  it('LEEF: event id delete, action=delete first', () => {
    assert.equal(
      deletionLine('leef', host),
      `LEEF:1.0|threatconnect|threatconnect|2|delete|action=delete\tcat=Host\tidentHostName=gone.example.com\t${LEEF_TIME}`,
    );
    assert.equal(
      deletionLine('leef', file),
      `LEEF:1.0|threatconnect|threatconnect|2|delete|action=delete\tcat=File\tfileHash=${B}\tmd5=${A}\tsha1=${B}\t${LEEF_TIME}`,
    );
  });

  it('KeyVal: action="delete" first (keys sorted), the value under its type key', () => {
    assert.equal(
      deletionLine('keyval', host),
      'action="delete" dateAdded="2030-01-02T03:04:05Z" hostName="gone.example.com" ownerName="Example Org" type="Host"',
    );
    assert.equal(
      deletionLine('keyval', odd),
      'action="delete" dateAdded="2030-01-02T03:04:05Z" ownerName="Example Org" summary="x=y" type="A|B=C"',
    );
  });

  it('CSV: the indicator columns and deleted=true; JSON lines: deleted:true and the four fields', () => {
    assert.equal(
      deletionLine('csv', host),
      ',2030-01-02T03:04:05Z,,,gone.example.com,,Example Org,,Host,,true',
    );
    assert.equal(deletionLine('csv', file), `,2030-01-02T03:04:05Z,,,${A} : ${B},,Example Org,,File,,true`);
    assert.equal(
      deletionLine('jsonl', host),
      '{"deleted":true,"ownerName":"Example Org","type":"Host","dateAdded":"2030-01-02T03:04:05Z","summary":"gone.example.com"}',
    );
  });

  it('CSV with --deletions has the deleted column in its header; without, the plain header', () => {
    const withColumn = createSyncEncoder('csv', { deletions: true, compat: undefined });
    assert.equal(
      withColumn.header(),
      'confidence,dateAdded,description,id,indicator,lastModified,ownerName,rating,type,weblink,deleted\r\n',
    );
    assert.equal(
      withColumn.deletion(host),
      ',2030-01-02T03:04:05Z,,,gone.example.com,,Example Org,,Host,,true\r\n',
    );
    const plain = createSyncEncoder('csv', { deletions: false, compat: undefined });
    assert.equal(
      plain.header(),
      'confidence,dateAdded,description,id,indicator,lastModified,ownerName,rating,type,weblink\r\n',
    );
    assert.equal(
      createSyncEncoder('cef', { deletions: true, compat: undefined }).deletion(host).endsWith('\n'),
      true,
    );
  });
});
