/**
 * Resource objects without a server: building new objects (detection, type override, file hashes,
 * custom types), setter validation with exact messages, what `commit()` would send, parsing of wire
 * items (file summaries, unknown types, out-of-range values reported once).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { IndicatorType, ResourceType, ValidationError } from '../../../src/index.js';
import { createGroup, createIndicator, createTask, createVictim } from '../../../src/resources/create.js';
import { IndicatorRegexes } from '../../../src/resources/detect.js';
import { parseGroup } from '../../../src/resources/group.js';
import { parseIndicator, splitFileSummary } from '../../../src/resources/indicator.js';
import {
  ADDRESS,
  FILE,
  GROUP_KIND_BY_TYPE,
  HOST,
  type GroupKind,
  indicatorKindFromApi,
} from '../../../src/resources/kinds.js';
import { parseTask } from '../../../src/resources/task.js';
import { parseVictim } from '../../../src/resources/victim.js';
import { RecordingLogger, offlineContext, recordingContext } from '../../helpers/resources.js';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ASN = indicatorKindFromApi({
  name: 'ASN',
  custom: 'true',
  parsable: 'false',
  apiBranch: 'asns',
  apiEntity: 'asn',
  value1Label: 'AS Number',
  value1Type: 'text',
});
const REGISTRY_KEY = indicatorKindFromApi({
  name: 'Registry Key',
  custom: 'true',
  apiBranch: 'registryKeys',
  apiEntity: 'registryKey',
  value1Label: 'Key Name',
  value2Label: 'Value Name',
  value3Label: 'Value Type',
});

function kind(type: string): GroupKind {
  const k = GROUP_KIND_BY_TYPE.get(type);
  assert.ok(k);
  return k;
}

describe('createIndicator: detection (sdk-behaviour.md 7.3)', () => {
  const ctx = offlineContext();

  it('detects the type, keeps the value in its field, and starts new with a temporary id', () => {
    const host = createIndicator('new.domain.tld', 'Example Community', undefined, ctx);
    assert.equal(host.type, 'Host');
    assert.equal(host.kind, HOST);
    assert.equal(host.values.hostName, 'new.domain.tld');
    assert.equal(host.summary, 'new.domain.tld');
    assert.equal(host.ownerName, 'Example Community');
    assert.equal(host.phase, 'new');
    assert.ok(host.id < 0);
    const other = createIndicator('1.2.3.4', undefined, undefined, ctx);
    assert.notEqual(other.id, host.id);
    assert.equal(other.values.ip, '1.2.3.4');
    assert.deepEqual(host.pendingChanges, ['create']);
  });

  it('puts a detected hash in the field of its length', () => {
    assert.deepEqual(createIndicator(MD5, undefined, undefined, ctx).values, { md5: MD5 });
    assert.deepEqual(createIndicator(SHA1, undefined, undefined, ctx).values, { sha1: SHA1 });
    assert.deepEqual(createIndicator(SHA256.toUpperCase(), undefined, undefined, ctx).values, {
      sha256: SHA256.toUpperCase(),
    });
  });

  it('an invalid value is a ValidationError naming it, before any request', () => {
    for (const value of ['<indicator>', 'foo.exe', '1.2.3.4\n', 'www.badguy_014.com']) {
      assert.throws(() => createIndicator(value, undefined, undefined, ctx), {
        name: 'ValidationError',
        code: 'TC_VALIDATION',
        message: `${JSON.stringify(value)} is not a valid indicator: it matches none of the FILES, URLS, HOSTS, ADDRESSES, EMAIL_ADDRESSES patterns (pass an IndicatorType to skip detection, or change the patterns with setIndicatorRegex())`,
      });
    }
    assert.throws(() => createIndicator('', undefined, undefined, ctx), {
      message: 'indicator value must be a non-empty string, got ""',
    });
    assert.throws(() => createIndicator(5 as unknown as string, undefined, undefined, ctx), {
      message: 'indicator value must be a non-empty string, got 5',
    });
    assert.throws(() => createIndicator('1.2.3.4', '', undefined, ctx), {
      message: 'owner must be a non-empty string, got ""',
    });
  });

  it("uses the context's patterns", () => {
    const regexes = new IndicatorRegexes();
    regexes.set(IndicatorType.HOSTS, /^[a-z]+$/);
    const custom = offlineContext(new RecordingLogger(), regexes);
    assert.equal(createIndicator('localhost', undefined, undefined, custom).type, 'Host');
    assert.throws(() => createIndicator('evil.com', undefined, undefined, custom), ValidationError);
  });
});

describe('createIndicator: type override (seed "Indicator Type Override"; decisions.md 1.7)', () => {
  const ctx = offlineContext();

  it('skips detection and the pattern check', () => {
    const address = createIndicator('<indicator>', 'Example Community', IndicatorType.ADDRESSES, ctx);
    assert.equal(address.type, 'Address');
    assert.equal(address.values.ip, '<indicator>');
    const host = createIndicator('www.badguy_014.com', undefined, IndicatorType.HOSTS, ctx);
    assert.equal(host.values.hostName, 'www.badguy_014.com');
    const url = createIndicator('1.2.3.4', undefined, IndicatorType.URLS, ctx);
    assert.equal(url.values.text, '1.2.3.4');
  });

  it('FILES: each hash by its length, several joined by " : "; a value of no hash length is refused', () => {
    assert.deepEqual(createIndicator(`${MD5} : ${SHA256}`, undefined, IndicatorType.FILES, ctx).values, {
      md5: MD5,
      sha256: SHA256,
    });
    const notHex = 'z'.repeat(32);
    assert.deepEqual(createIndicator(notHex, undefined, IndicatorType.FILES, ctx).values, { md5: notHex });
    assert.throws(() => createIndicator('abc', undefined, IndicatorType.FILES, ctx), {
      name: 'ValidationError',
      message: `"abc" is not a File value: give an MD5 (32), SHA-1 (40) or SHA-256 (64) hash, or several joined by ' : ', one of each length ("abc" has 3 characters)`,
    });
    assert.throws(() => createIndicator(`${MD5} : ${MD5}`, undefined, IndicatorType.FILES, ctx), {
      message: /a second md5/,
    });
  });

  it('a custom type is given by its kind; CUSTOM_INDICATORS alone does not say which', () => {
    assert.ok(ASN && REGISTRY_KEY);
    const asn = createIndicator('ASN64512', undefined, ASN, ctx);
    assert.equal(asn.type, 'ASN');
    assert.deepEqual(asn.values, { 'AS Number': 'ASN64512' });
    assert.equal(asn.summary, 'ASN64512');
    const key = createIndicator('HKEY_X : Run : REG_SZ', undefined, REGISTRY_KEY, ctx);
    assert.deepEqual(key.values, { 'Key Name': 'HKEY_X', 'Value Name': 'Run', 'Value Type': 'REG_SZ' });
    assert.equal(key.summary, 'HKEY_X : Run : REG_SZ');
    assert.throws(() => createIndicator('HKEY_X', undefined, REGISTRY_KEY, ctx), {
      message: `"HKEY_X" is not a Registry Key value: give 3 values joined by ' : ' (Key Name, Value Name, Value Type)`,
    });
    assert.throws(() => createIndicator('ASN1', undefined, IndicatorType.CUSTOM_INDICATORS, ctx), {
      name: 'ValidationError',
      message: /^IndicatorType\.CUSTOM_INDICATORS does not say which custom type/,
    });
    assert.throws(() => createIndicator('ASN1', undefined, 'ASN' as unknown as IndicatorType, ctx), {
      message:
        'indicatorType must be an IndicatorType (ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS) or a custom type\'s IndicatorKind, got "ASN"',
    });
  });
});

describe('indicator setters (sdk-behaviour.md 8.1; decisions.md 1.7)', () => {
  const ctx = offlineContext();

  it('confidence: an integer from 0 to 100', () => {
    const host = createIndicator('evil.com', undefined, undefined, ctx);
    assert.equal(host.setConfidence(0).confidence, 0);
    assert.equal(host.setConfidence(100).confidence, 100);
    for (const [bad, shown] of [
      [105, '105'],
      [-1, '-1'],
      [50.5, '50.5'],
      ['50', '"50"'],
      [Number.NaN, 'NaN'],
    ] as const) {
      assert.throws(() => host.setConfidence(bad as number), {
        name: 'ValidationError',
        message: `confidence must be an integer from 0 to 100, got ${shown}`,
      });
    }
  });

  it('rating: a number from 0 to 5 or a numeric string, kept as a number', () => {
    const host = createIndicator('evil.com', undefined, undefined, ctx);
    assert.equal(host.setRating('2.0').rating, 2);
    assert.equal(host.setRating(4.5).rating, 4.5);
    assert.equal(host.setRating(' 5 ').rating, 5);
    for (const [bad, shown] of [
      [6, '6'],
      [-0.5, '-0.5'],
      ['abc', '"abc"'],
      ['1e0', '"1e0"'],
      ['0x5', '"0x5"'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [null, 'null'],
    ] as const) {
      assert.throws(() => host.setRating(bad as number), {
        name: 'ValidationError',
        message: `rating must be a number from 0 to 5 or a numeric string such as '2.0', got ${shown}`,
      });
    }
  });

  it('host flags on hosts only, size on files only', () => {
    const host = createIndicator('evil.com', undefined, undefined, ctx);
    assert.equal(host.setDnsActive(true).dnsActive, 'true');
    assert.equal(host.setWhoisActive(false).whoisActive, 'false');
    assert.throws(() => host.setSize(10), {
      name: 'ValidationError',
      message: 'setSize() applies to File indicators only, not to Host "evil.com"',
    });
    const file = createIndicator(MD5, undefined, undefined, ctx);
    assert.equal(file.setSize(1024).size, 1024);
    assert.throws(() => file.setSize(-1), { message: 'size must be an integer >= 0, got -1' });
    assert.throws(() => file.setDnsActive(true), {
      message: `setDnsActive() applies to Host indicators only, not to File "${MD5}"`,
    });
    assert.throws(() => host.setDnsActive('yes' as unknown as boolean), {
      message: 'dnsActive must be a boolean, got "yes"',
    });
  });

  it('metadata and associations are checked when queued, and listed in pendingChanges', () => {
    const host = createIndicator('evil.com', 'Example Org', undefined, ctx);
    host
      .setConfidence(50)
      .setRating('2.0')
      .setDescription('first')
      .addAttribute('Source', 'unit test')
      .addTag('APT')
      .addSecurityLabel('TLP:AMBER')
      .associateGroup(ResourceType.ADVERSARIES, 5)
      .associateVictim(10)
      .setDescription('second');
    assert.deepEqual(host.pendingChanges, [
      'create',
      'addAttribute("Source", "unit test")',
      'addTag("APT")',
      'addSecurityLabel("TLP:AMBER")',
      'associateGroup(adversaries/5)',
      'associateVictim(victims/10)',
      'setDescription("second")',
    ]);
    assert.equal(host.description, 'second');
    assert.throws(() => host.addTag(''), { message: 'tag must be a non-empty string, got ""' });
    assert.throws(() => host.addTag('x'.repeat(129)), {
      message: /^tag must have at most 128 characters, got 129/,
    });
    assert.throws(() => host.deleteAttribute(-1), {
      message: 'attribute id must be an integer >= 0, got -1',
    });
    assert.throws(() => host.addAttribute('Description', 'x', 'yes' as unknown as boolean), {
      message: 'attribute displayed must be a boolean, got "yes"',
    });
    assert.throws(
      () => host.associateGroup(ResourceType.HOSTS as unknown as typeof ResourceType.ADVERSARIES, 5),
      {
        name: 'ValidationError',
        message:
          'group type must be a group ResourceType (ResourceType.ADVERSARIES, ResourceType.CAMPAIGNS, ResourceType.DOCUMENTS, ResourceType.EMAILS, ResourceType.INCIDENTS, ResourceType.SIGNATURES, ResourceType.THREATS), got ResourceType.HOSTS',
      },
    );
    assert.throws(() => host.associateGroup(ResourceType.ADVERSARIES, 1.5), {
      message: 'group id must be an integer >= 0, got 1.5',
    });
  });

  it('a new object cannot be loaded or deleted, and setting fields keeps it new', async () => {
    const host = createIndicator('evil.com', undefined, undefined, ctx);
    host.setConfidence(10);
    assert.equal(host.phase, 'new');
    await assert.rejects(host.loadTags(), {
      name: 'ValidationError',
      message: 'Host "evil.com" has not been committed yet: commit() it before loadTags()',
    });
    await assert.rejects(host.delete(), {
      name: 'ValidationError',
      message: 'Host "evil.com" has not been committed: there is nothing to delete',
    });
  });

  it('a read object becomes modified when a field is set', () => {
    const host = parseIndicator({ id: 7, type: 'Host', summary: 'evil.com', ownerName: 'Example Org' }, ctx);
    assert.equal(host.phase, 'clean');
    assert.deepEqual(host.pendingChanges, []);
    host.setRating(3).setConfidence(40);
    assert.equal(host.phase, 'modified');
    assert.deepEqual(host.pendingChanges, ['update (rating, confidence)']);
  });
});

describe('parsing indicators (decisions.md 1.7)', () => {
  it('reads the wire item lazily: a field set before the first read wins, the others are as read', () => {
    const wire = {
      id: 5,
      type: 'File',
      ownerName: 'Example Org',
      summary: `${SHA256} : ${MD5}`,
      sha1: SHA1,
      rating: '2.0',
      confidence: 40,
      dateAdded: '2020-01-02T03:04:05Z',
      size: '12',
      tag: [{ name: 'APT' }],
    };
    const early = parseIndicator({ ...wire }, offlineContext());
    assert.equal(early.ownerName, 'Example Org');
    assert.deepEqual(early.tags, ['APT']);
    early.rating = 4;
    assert.equal(early.rating, 4);
    assert.equal(early.confidence, 40);
    assert.equal(early.size, 12);
    // A value field read first wins over the summary's; the summary's others follow in its order.
    assert.deepEqual(Object.entries(early.values), [
      ['sha1', SHA1],
      ['sha256', SHA256],
      ['md5', MD5],
    ]);
    const json = JSON.parse(JSON.stringify(early)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      'id',
      'ownerName',
      'tags',
      'type',
      'kind',
      'dateAdded',
      'rating',
      'confidence',
      'values',
      'size',
    ]);
    assert.equal(json.rating, 4);
    assert.equal(json.dateAdded, '2020-01-02T03:04:05Z');
    // The internal slots are under symbols (decisions.md, entry 20): string keys show the five fields.
    const fresh = parseIndicator({ ...wire }, offlineContext());
    assert.deepEqual(Object.keys(fresh), ['id', 'context', 'ownerName', 'type', 'kind']);
    assert.equal(Object.getOwnPropertySymbols(fresh).length, 2);
    // The item is read once: a later change to it is not seen.
    const item: Record<string, unknown> = { ...wire };
    const late = parseIndicator(item, offlineContext());
    assert.equal(late.dateAdded, '2020-01-02T03:04:05Z');
    item.dateAdded = 'changed';
    assert.equal(late.dateAdded, '2020-01-02T03:04:05Z');
  });

  it('splits a file summary into its hashes by length', () => {
    assert.deepEqual(splitFileSummary(`${MD5} : ${SHA1} : ${SHA256}`), {
      md5: MD5,
      sha1: SHA1,
      sha256: SHA256,
    });
    assert.deepEqual(splitFileSummary(SHA256), { sha256: SHA256 });
    assert.deepEqual(splitFileSummary('nothing : here'), {});
    const file = parseIndicator({ id: 1, type: 'File', summary: `${MD5} : ${SHA256}` }, offlineContext());
    assert.equal(file.kind, FILE);
    assert.deepEqual(file.values, { md5: MD5, sha256: SHA256 });
    assert.equal(file.summary, `${MD5} : ${SHA256}`);
    assert.equal(file.referenceValue, SHA256);
  });

  it('keeps a type the client does not know as a generic indicator with its summary', () => {
    const asn = parseIndicator(
      { id: 9, type: 'ASN', summary: 'ASN64512', ownerName: 'Example Org' },
      offlineContext(),
    );
    assert.equal(asn.type, 'ASN');
    assert.equal(asn.kind, undefined);
    assert.equal(asn.summary, 'ASN64512');
    assert.throws(() => asn.addTag('x'), {
      name: 'ValidationError',
      message: 'ASN "ASN64512": the client does not know the indicator type "ASN", so it cannot address it',
    });
    assert.throws(() => asn.setRating(1), ValidationError);
  });

  it('reads a custom type by its kind, from a generic or a typed item', () => {
    assert.ok(ASN);
    const kinds = new Map([[ASN.type, ASN]]);
    const generic = parseIndicator(
      { id: 9, type: 'ASN', summary: 'ASN1' },
      offlineContext(),
      undefined,
      kinds,
    );
    assert.equal(generic.kind, ASN);
    assert.equal(generic.summary, 'ASN1');
    const typed = parseIndicator({ id: 9, type: 'ASN', 'AS Number': 'ASN2' }, offlineContext(), ASN);
    assert.equal(typed.summary, 'ASN2');
  });

  it('keeps out-of-range ratings and confidences as read, with one warning per object', () => {
    const logger = new RecordingLogger();
    const ctx = offlineContext(logger);
    const odd = parseIndicator(
      {
        id: 100020,
        type: 'Address',
        summary: '10.0.0.1',
        ownerName: 'Example Community',
        confidence: 105,
        rating: 7,
      },
      ctx,
    );
    assert.equal(odd.confidence, 105);
    assert.equal(odd.rating, 7);
    assert.deepEqual(logger.at('warning'), [
      'Indicator 100020 (Address "10.0.0.1", owner "Example Community") was read with rating 7 is not from 0 to 5 and confidence 105 is not an integer from 0 to 100; kept as read',
    ]);
    parseIndicator({ id: 2, type: 'Address', summary: '10.0.0.2', confidence: 100, rating: 5 }, ctx);
    parseIndicator({ id: 3, type: 'Address', summary: '10.0.0.3', confidence: '50.5' }, ctx);
    assert.equal(logger.at('warning').length, 2);
  });
});

describe('groups, victims and tasks', () => {
  const ctx = offlineContext();

  it('checks the fields each type requires before anything is sent', async () => {
    const email = createGroup(kind('Email'), 'Phish', undefined, ctx);
    await assert.rejects(email.commit(), {
      name: 'ValidationError',
      message:
        'Email (new) "Phish" cannot be created without subject, header, body (setSubject(), setHeader(), setBody())',
    });
    const signature = createGroup(kind('Signature'), 'Rule', undefined, ctx).setFileName('r.yar');
    await assert.rejects(signature.commit(), {
      message:
        'Signature (new) "Rule" cannot be created without fileType, fileText (setFileType(), setFileText())',
    });
    await assert.rejects(createGroup(kind('Incident'), 'I', undefined, ctx).commit(), {
      message: /without eventDate \(setEventDate\(\)\)/,
    });
    await assert.rejects(createGroup(kind('Document'), 'D', undefined, ctx).commit(), {
      message: /without fileName \(setFileName\(\)\)/,
    });
    assert.throws(() => createGroup(kind('Threat'), '', undefined, ctx), {
      message: 'name must be a non-empty string, got ""',
    });
  });

  it("a setter of another type's field is a ValidationError", () => {
    const adversary = createGroup(kind('Adversary'), 'Bad Guy', undefined, ctx);
    assert.throws(() => adversary.setFileName('x'), {
      name: 'ValidationError',
      message:
        'setFileName() applies to Document and Signature groups only, not to Adversary (new) "Bad Guy"',
    });
    assert.throws(() => adversary.setEventDate('2024-01-01'), {
      message: /setEventDate\(\) applies to Incident groups only/,
    });
    const incident = createGroup(kind('Incident'), 'I', undefined, ctx);
    assert.throws(() => incident.setEventDate('yesterday'), {
      message:
        "eventDate must be an ISO 8601 date such as '2024-01-02' or '2024-01-02T03:04:05Z', or a Date, got \"yesterday\"",
    });
    assert.equal(
      incident.setEventDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).eventDate,
      '2024-01-02T03:04:05Z',
    );
  });

  it('upload and download only for documents and signatures', async () => {
    const threat = createGroup(kind('Threat'), 'T', undefined, ctx);
    await assert.rejects(threat.upload('x'), {
      message: 'upload() applies to Document and Signature groups only, not to Threat (new) "T"',
    });
    const doc = createGroup(kind('Document'), 'D', undefined, ctx).setFileName('d.txt');
    await doc.upload(Buffer.from('abc'));
    await doc.upload('abcd');
    assert.deepEqual(doc.pendingChanges, ['create', 'upload(4 bytes)']);
    await assert.rejects(doc.download(), {
      message: /has not been committed yet: commit\(\) it before download\(\)/,
    });
  });

  it('parses groups, victims and tasks with their fields', () => {
    const incident = parseGroup(
      {
        id: 5,
        name: 'I',
        type: 'Incident',
        ownerName: 'Example Org',
        eventDate: '2024-01-02T00:00:00Z',
        status: 'New',
      },
      ctx,
    );
    assert.equal(incident.eventDate, '2024-01-02T00:00:00Z');
    assert.equal(incident.status, 'New');
    const event = parseGroup({ id: 6, name: 'E', type: 'Event' }, ctx);
    assert.equal(event.kind, undefined);
    assert.throws(() => event.addTag('x'), {
      message: 'Event 6 "E": the SDK does not model the group type "Event"',
    });
    const victim = parseVictim({ id: 10, name: 'V', org: 'Acme', webLink: 'x' }, ctx);
    assert.equal(victim.org, 'Acme');
    assert.equal(victim.type, 'Victim');
    const task = parseTask({ id: 3, name: 'T', status: 'Not Started', ownerName: 'Example Org' }, ctx);
    assert.equal(task.status, 'Not Started');
    assert.equal(task.ownerName, 'Example Org');
    // Declared fields, each set by a constructor (decisions.md, entry 20): every one is an own property.
    const common = ['id', 'context', 'ownerName'];
    assert.deepEqual(Object.keys(incident), [
      ...common,
      'type',
      'kind',
      'name',
      'dateAdded',
      'lastModified',
      'webLink',
      'fields',
    ]);
    assert.deepEqual(Object.keys(victim), [...common, 'name', 'webLink', 'fields']);
    assert.deepEqual(Object.keys(task), [
      ...common,
      'name',
      'webLink',
      'fields',
      'dateAdded',
      'lastModified',
    ]);
    assert.equal(createVictim('V2', undefined, ctx).phase, 'new');
    assert.throws(() => createTask('', undefined, ctx), ValidationError);
  });

  it('victims and tasks read their own properties, keep the other wire fields, and need a name to be created', async () => {
    const victim = parseVictim(
      {
        id: 10,
        name: 'V',
        ownerName: 'Example Org',
        webLink: 'https://x/v',
        org: 'Acme',
        tag: [{ name: 'A' }],
      },
      ctx,
    );
    assert.deepEqual(victim.fields, { org: 'Acme' });
    assert.equal(victim.webLink, 'https://x/v');
    assert.equal(victim.ownerName, 'Example Org');
    assert.deepEqual(victim.tags, ['A']);
    assert.equal(victim.label, 'Victim 10 "V"');
    assert.equal(inspect(victim), 'Victim { id: 10, name: "V" }');
    assert.equal(String(victim), 'Victim { id: 10, name: "V" }');
    const task = parseTask(
      {
        id: 3,
        name: 'T',
        owner: { name: 'Example Org' },
        dateAdded: '2024-01-01T00:00:00Z',
        lastModified: '2024-01-02T00:00:00Z',
        status: 'Not Started',
      },
      ctx,
    );
    assert.deepEqual(task.fields, { lastModified: '2024-01-02T00:00:00Z', status: 'Not Started' });
    assert.equal(task.dateAdded, '2024-01-01T00:00:00Z');
    assert.equal(task.lastModified, '2024-01-02T00:00:00Z');
    assert.equal(task.ownerName, 'Example Org');
    assert.equal(task.label, 'Task 3 "T"');
    assert.equal(inspect(task), 'Task { id: 3, name: "T" }');
    assert.equal(String(task), 'Task { id: 3, name: "T" }');
    for (const made of [createVictim('V2', undefined, ctx), createTask('T2', undefined, ctx)]) {
      made.name = undefined;
      await assert.rejects(made.commit(), {
        name: 'ValidationError',
        message: `${made.type} (new) "" cannot be created without a name (setName())`,
      });
    }
  });

  it('tags, attributes and labels read, set and print the same before and after an object has queued work', () => {
    const group = parseGroup(
      { id: 8, name: 'G', type: 'Adversary', ownerName: 'Example Org', tag: [{ name: 'APT' }] },
      ctx,
    );
    assert.deepEqual(group.tags, ['APT']);
    assert.equal(group.attributes, undefined);
    assert.equal(group.phase, 'clean');
    // JSON has the metadata (accessors) and the fields, never the client context.
    const json = JSON.parse(JSON.stringify(group)) as Record<string, unknown>;
    assert.deepEqual(json.tags, ['APT']);
    assert.equal(json.name, 'G');
    assert.equal('context' in json, false);
    const task = parseTask({ id: 3, name: 'T', ownerName: 'Example Org' }, ctx);
    task.securityLabels = ['TLP:RED'];
    task.attributes = undefined;
    task.addTag('x');
    assert.deepEqual(task.securityLabels, ['TLP:RED']);
    assert.equal(task.phase, 'clean');
    task.setName('T2');
    assert.equal(task.phase, 'modified');
    assert.deepEqual(task.pendingChanges, ['update (name)', 'addTag("x")']);
    // A field set to undefined on an object without queued work stays unset.
    const host = parseIndicator({ id: 9, type: 'Host', summary: 'a.example.com' }, ctx);
    host.tags = undefined;
    assert.equal(host.tags, undefined);
    host.tags = ['y'];
    assert.deepEqual((JSON.parse(JSON.stringify(host)) as { tags?: unknown }).tags, ['y']);
    assert.equal(host.phase, 'clean');
  });

  it('indicatorKindFromApi gives built-in kinds their own entry and custom kinds their labels', () => {
    assert.equal(
      indicatorKindFromApi({
        name: 'Address',
        custom: 'false',
        apiBranch: 'addresses',
        apiEntity: 'address',
      }),
      ADDRESS,
    );
    assert.equal(indicatorKindFromApi({ name: 'x' }), undefined);
    assert.ok(REGISTRY_KEY);
    assert.deepEqual(REGISTRY_KEY.valueFields, ['Key Name', 'Value Name', 'Value Type']);
    assert.equal(REGISTRY_KEY.indicatorType, IndicatorType.CUSTOM_INDICATORS);
  });
});

describe('what commit() sends, in order (sdk-behaviour.md 8.2)', () => {
  it('the create body has the value and the set fields (rating as a number), then the queue with the owner', async () => {
    const { ctx, seen } = recordingContext((r) =>
      r.method === 'POST' && r.uri === '/v2/indicators/hosts'
        ? {
            status: 201,
            json: { status: 'Success', data: { host: { id: 4242, owner: { name: 'Example Community' } } } },
          }
        : { json: { status: 'Success' } },
    );
    const host = createIndicator('new.domain.tld', 'Example Community', undefined, ctx);
    host
      .setConfidence(50)
      .setRating('2.0')
      .addTag('Nation State')
      .associateGroup(ResourceType.ADVERSARIES, 5);
    host.addSecurityLabel('TLP:AMBER').addAttribute('Source', 'x', false);
    await host.commit();
    assert.equal(host.id, 4242);
    assert.deepEqual(seen, [
      {
        method: 'POST',
        uri: '/v2/indicators/hosts',
        owner: 'Example Community',
        contentType: 'application/json',
        body: '{"hostName":"new.domain.tld","rating":2,"confidence":50}',
      },
      {
        method: 'POST',
        uri: '/v2/indicators/hosts/new.domain.tld/tags/Nation%20State',
        owner: 'Example Community',
        contentType: 'application/json',
        body: undefined,
      },
      {
        method: 'POST',
        uri: '/v2/indicators/hosts/new.domain.tld/groups/adversaries/5',
        owner: 'Example Community',
        contentType: 'application/json',
        body: undefined,
      },
      {
        method: 'POST',
        uri: '/v2/indicators/hosts/new.domain.tld/securityLabels/TLP%3AAMBER',
        owner: 'Example Community',
        contentType: 'application/json',
        body: undefined,
      },
      {
        method: 'POST',
        uri: '/v2/indicators/hosts/new.domain.tld/attributes',
        owner: 'Example Community',
        contentType: 'application/json',
        body: '{"type":"Source","value":"x","displayed":false}',
      },
    ]);
  });

  it('an update sends only the changed fields; a URL value is one encoded path segment', async () => {
    const { ctx, seen } = recordingContext(() => ({
      json: { status: 'Success', data: { url: { id: 9, rating: 3 } } },
    }));
    const url = parseIndicator(
      { id: 9, type: 'URL', summary: 'http://example.com/a b?c=d', ownerName: 'Example Org' },
      ctx,
    );
    await url.setRating(3).commit();
    assert.deepEqual(
      seen.map((r) => [r.method, r.uri, r.owner, r.body]),
      [
        [
          'PUT',
          '/v2/indicators/urls/http%3A%2F%2Fexample.com%2Fa%20b%3Fc%3Dd',
          'Example Org',
          '{"rating":3}',
        ],
      ],
    );
    assert.equal(url.phase, 'clean');
    await url.commit();
    assert.equal(seen.length, 1, 'a clean object with nothing queued sends nothing');
  });

  it('a new group queues with the real id, uploads after the create, and a document body has its fields', async () => {
    const { ctx, seen } = recordingContext((r) =>
      r.uri === '/v2/groups/documents'
        ? {
            status: 201,
            json: { status: 'Success', data: { document: { id: 77, name: 'Doc', fileName: 'd.txt' } } },
          }
        : { json: { status: 'Success' } },
    );
    const doc = createGroup(kind('Document'), 'Doc', undefined, ctx).setFileName('d.txt');
    await doc.upload(Buffer.from([0, 1, 2]));
    doc.addTag('APT').associateIndicator(IndicatorType.HOSTS, 'evil.com', 'Example Community');
    await doc.commit();
    assert.deepEqual(
      seen.map((r) => [r.method, r.uri, r.owner, r.contentType, r.body]),
      [
        ['POST', '/v2/groups/documents', undefined, 'application/json', '{"name":"Doc","fileName":"d.txt"}'],
        ['POST', '/v2/groups/documents/77/upload', undefined, 'application/octet-stream', '<3 bytes>'],
        ['POST', '/v2/groups/documents/77/tags/APT', undefined, 'application/json', undefined],
        [
          'POST',
          '/v2/groups/documents/77/indicators/hosts/evil.com',
          'Example Community',
          'application/json',
          undefined,
        ],
      ],
    );
  });

  it('a create answer without the object is an InvalidResponseError, and the object stays new', async () => {
    const { ctx } = recordingContext(() => ({ status: 201, json: { status: 'Success' } }));
    const host = createIndicator('evil.com', undefined, undefined, ctx);
    await assert.rejects(host.commit(), {
      name: 'InvalidResponseError',
      message: 'Host "evil.com": the create answer has no data.host object, so the new id is unknown',
    });
    assert.equal(host.phase, 'new');
  });

  it('commits of one object run one after the other', async () => {
    let creates = 0;
    const { ctx, seen } = recordingContext((r) => {
      if (r.uri === '/v2/indicators/hosts') creates += 1;
      return { status: 201, json: { status: 'Success', data: { host: { id: 5 } } } };
    });
    const host = createIndicator('evil.com', undefined, undefined, ctx).addTag('x');
    await Promise.all([host.commit(), host.commit(), host.commit()]);
    assert.equal(creates, 1);
    assert.equal(seen.length, 2);
  });
});
