/**
 * The format record of an unread listing indicator (src/resources/wire-record.ts) is the record the
 * object's fields give: for random wire items of every built-in type (fields missing, null, numbers
 * for strings, numeric text, odd flags, file summaries with junk parts), the record built straight
 * from the item equals, key order included, the one built after the fields were read, and so do the
 * CEF, CSV, KeyVal and JSON lines. Custom types are left to the general path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatCef, formatCsv, formatJson, formatKeyval } from '../../src/formats/index.js';
import { unreadWire } from '../../src/resources/indicator-data.js';
import { parseIndicator } from '../../src/resources/indicator.js';
import { indicatorKindFromApi, INDICATOR_KIND_BY_TYPE } from '../../src/resources/kinds.js';
import { indicatorRecord } from '../../src/resources/output.js';
import { wireRecord } from '../../src/resources/wire-record.js';
import { offlineContext } from '../helpers/resources.js';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A field's wire value: absent (undefined), null, text, numeric text, a number, a boolean. */
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('3', ' 2.5 ', 'TRUE', 'false', 'True', ''),
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 200 }),
  fc.boolean(),
);

const summary = fc.oneof(
  anyValue,
  fc.constantFrom(
    MD5,
    `${MD5} : ${SHA1} : ${SHA256}`,
    `${SHA256} : ${MD5}`,
    `${MD5}:${SHA1}`,
    `${MD5} : not-a-hash`,
    'host.example.com',
  ),
);

const FIELDS = [
  'confidence',
  'dateAdded',
  'description',
  'lastModified',
  'rating',
  'webLink',
  'weblink',
  'ip',
  'hostName',
  'text',
  'address',
  'md5',
  'sha1',
  'sha256',
  'size',
  'source',
  'dnsActive',
  'whoisActive',
] as const;

const wireItem = fc
  .record({
    type: fc.constantFrom('Address', 'EmailAddress', 'File', 'Host', 'URL'),
    id: fc.integer({ min: 1, max: 2 ** 40 }),
    ownerName: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 8 })),
    summary,
    fields: fc.array(fc.tuple(fc.constantFrom(...FIELDS), anyValue), { maxLength: 10 }),
  })
  .map(({ type, id, ownerName, summary: s, fields }) => {
    const item: Record<string, unknown> = { id, type };
    if (ownerName !== undefined) item.ownerName = ownerName;
    if (s !== undefined) item.summary = s;
    for (const [key, value] of fields) if (value !== undefined) item[key] = value;
    return item;
  });

/** An indicator parsed from `item`, and a twin whose fields were read (the general path). */
function pair(item: Record<string, unknown>) {
  const ctx = offlineContext();
  const kind = INDICATOR_KIND_BY_TYPE.get(item.type as string);
  const fast = parseIndicator(structuredClone(item), ctx, kind);
  const slow = parseIndicator(structuredClone(item), ctx, kind);
  // Reading a field reads the wire item into the fields.
  assert.ok(slow.dateAdded === undefined || typeof slow.dateAdded === 'string');
  return { fast, slow };
}

describe('wireRecord: the record of an unread listing indicator', () => {
  it('equals the record built from the fields, key order included, and prints the same lines', () => {
    let compared = 0;
    fc.assert(
      fc.property(wireItem, (item) => {
        const { fast, slow } = pair(item);
        const wire = unreadWire(fast);
        assert.equal(unreadWire(slow), undefined);
        const general = indicatorRecord(slow);
        // An item with a value out of range is read at once (to warn about it): nothing to compare.
        if (wire === undefined) return;
        const quick = wireRecord(fast, wire);
        assert.ok(quick !== undefined);
        compared += 1;
        assert.equal(JSON.stringify(quick), JSON.stringify(general));
        assert.deepEqual(quick, general);
        assert.equal(formatCef(indicatorRecord(fast)), formatCef(general));
        assert.equal(formatCsv(indicatorRecord(fast)), formatCsv(general));
        assert.equal(formatKeyval(indicatorRecord(fast)), formatKeyval(general));
        assert.equal(formatJson(indicatorRecord(fast)), formatJson(general));
      }),
      { numRuns: 3000, seed: 20261202 },
    );
    assert.ok(compared >= 1000, `only ${compared} of 3000 items kept their wire item`);
  });

  it('keeps the wire item of an ordinary listing item until a field is read', () => {
    const { fast } = pair({ id: 3, type: 'Address', summary: '10.0.0.1', rating: 3, confidence: 50 });
    assert.ok(unreadWire(fast) !== undefined);
    assert.equal(fast.rating, 3);
    assert.equal(unreadWire(fast), undefined);
  });

  it('follows an owner set on the object, and stops once a field is set', () => {
    const { fast } = pair({ id: 7, type: 'Host', summary: 'a.example.com', ownerName: 'Example Org' });
    fast.ownerName = 'Other Org';
    assert.match(fast.toCef({}), /cs1=Other Org/);
    fast.description = 'changed';
    assert.equal(unreadWire(fast), undefined);
    assert.match(fast.toCef({}), /msg=changed/);
  });

  it('leaves custom types to the general path', () => {
    const asn = indicatorKindFromApi({
      name: 'ASN',
      custom: 'true',
      apiBranch: 'asns',
      apiEntity: 'asn',
      value1Label: 'AS Number',
    });
    const indicator = parseIndicator({ id: 9, type: 'ASN', summary: 'AS1' }, offlineContext(), asn);
    const wire = unreadWire(indicator);
    assert.ok(wire !== undefined);
    assert.equal(wireRecord(indicator, wire), undefined);
    assert.match(indicator.toCef({}), /cs4=AS1/);
  });
});
