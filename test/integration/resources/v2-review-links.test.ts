/**
 * Review of the "rest of v2" (associations, typed links, lookups, assets), against the sandbox and a stub
 * server: a bad indicator value in an association target is refused when queued, not after the
 * create went out; a file action is refused on an indicator that is not a file (rest-api-v2.md 10:
 * `/actions/` exists only under `/v2/indicators/files/{hash}`); single-object answers are read as an
 * object or an array holding only it (rest-api-v2.md 3.1), and a lookup answer without its object is an
 * `InvalidResponseError`, not a `ValidationError` (decisions.md 1.3: "before any request").
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  IndicatorType,
  InvalidResponseError,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import { parseGroup } from '../../../src/resources/group.js';
import { parseIndicator } from '../../../src/resources/indicator.js';
import { GROUP_KIND_BY_TYPE } from '../../../src/resources/kinds.js';
import { parseVictim } from '../../../src/resources/victim.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { type StubApi, startStubApi } from '../../helpers/stub-api.js';
import { contextFor } from '../../helpers/resources.js';
import { requestLog, resetSandbox, withSandbox } from '../../helpers/sandbox.js';

/** A ValidationError whose message contains `part`. */
const invalid = (part: string) => (error: unknown) =>
  error instanceof ValidationError && error.message.includes(part);

describe('v2 review: association targets and file actions (sandbox)', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(async () => {
    sandbox = await withSandbox();
    tc = clientFor(sandbox);
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });
  beforeEach(() => resetSandbox(sandbox));
  const targets = async () => (await requestLog(sandbox)).map((e) => `${e.method} ${e.target}`);

  it('refuses "." and ".." as an indicator value of an association when it is queued', async () => {
    const threat = tc.threats().add('Dot target', 'Example Org');
    const victim = tc.victims().add('Dot victim', 'Example Org');
    const task = tc.tasks().add('Dot task', 'Example Org');
    const host = tc.indicators().add('dots.example.com', 'Example Org');
    for (const value of ['.', '..']) {
      assert.throws(() => threat.associateIndicator(IndicatorType.HOSTS, value), invalid('indicator value'));
      assert.throws(
        () => threat.disassociateIndicator(IndicatorType.HOSTS, value),
        invalid('indicator value'),
      );
      assert.throws(() => victim.associateIndicator(IndicatorType.URLS, value), invalid('indicator value'));
      assert.throws(
        () => task.associateIndicator(IndicatorType.ADDRESSES, value),
        invalid('indicator value'),
      );
      assert.throws(
        () => host.associateIndicator('dnsPtrRecord', IndicatorType.ADDRESSES, value),
        invalid('indicator value'),
      );
    }
    assert.deepEqual(threat.pendingChanges, ['create']);
    assert.deepEqual(host.pendingChanges, ['create']);
    assert.deepEqual(await targets(), []);
  });

  it('refuses a file action on an indicator that is not a file, without sending the link', async () => {
    const file = tc.indicators().add('00112233445566778899AABBCCDDEEFF', 'Example Org');
    const host = tc.indicators().add('file-action.example.com', 'Example Org');
    await file.commit();
    await host.commit();
    await resetSandbox(sandbox);

    // By name: the type is looked up when the step is sent, and the link request is never made.
    host.associateIndicator('dnsQuery', file);
    await assert.rejects(host.commit(), (error: unknown) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.equal(
        error.message,
        'Host "file-action.example.com": associateIndicator(dnsQuery, File "00112233445566778899AABBCCDDEEFF") failed: "dnsQuery" is a file action, which links from a File indicator only: call it on the file',
      );
      return true;
    });
    assert.deepEqual(host.discardPending(), [
      'associateIndicator(dnsQuery, File "00112233445566778899AABBCCDDEEFF")',
    ]);
    await assert.rejects(host.associatedIndicators('dnsQuery'), invalid('"dnsQuery" is a file action'));
    assert.deepEqual(
      (await targets()).filter((t) => !t.includes('/v2/types/associationTypes')),
      [],
      'nothing but the association types was read',
    );

    // As an AssociationType: refused when queued.
    const dnsQuery = await tc.types().associationType('dnsQuery');
    assert.throws(
      () => host.associateIndicator(dnsQuery, IndicatorType.FILES, '00112233445566778899AABBCCDDEEFF'),
      invalid('"dnsQuery" is a file action'),
    );
    assert.deepEqual(host.pendingChanges, []);

    // From the file, it works as before.
    await file.associateIndicator(dnsQuery, host).commit();
    assert.deepEqual(
      (await file.associatedIndicators('dnsQuery')).map((i) => i.summary),
      ['file-action.example.com'],
    );
  });
});

describe('v2 review: single-object answers (stub server)', () => {
  let stub: StubApi;
  let answer = '';
  let status = 200;
  let tc: ThreatConnect;
  before(async () => {
    stub = await startStubApi((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(answer);
      });
    });
    tc = stub.tc;
  });
  after(async () => {
    await stub.close();
  });
  beforeEach(() => {
    status = 200;
  });
  const reply = (data: unknown, code = 200) => {
    status = code;
    answer = JSON.stringify({ status: 'Success', data });
  };

  it('a lookup answer without its object is an InvalidResponseError; a one-item array is read', async () => {
    reply({});
    await assert.rejects(tc.types().attributeType('Description'), (error: unknown) => {
      assert.ok(error instanceof InvalidResponseError, String(error));
      assert.equal(error.status, 200);
      return true;
    });
    reply({ associationType: [] });
    await assert.rejects(tc.types().associationType('asnToAddress'), InvalidResponseError);
    reply({ attributeType: [{ name: 'Description', maxSize: 500 }] });
    assert.deepEqual(
      { ...(await tc.types().attributeType('Description')) },
      {
        name: 'Description',
        description: undefined,
        errorMessage: undefined,
        maxSize: 500,
        allowMarkdown: undefined,
        system: undefined,
        validationRule: undefined,
      },
    );
    reply({
      associationType: [
        { name: 'ASN to Address', apiBranch: 'asnToAddress', custom: 'true', fileAction: 'false' },
      ],
    });
    assert.deepEqual(await tc.types().associationType('asnToAddress'), {
      name: 'ASN to Address',
      apiBranch: 'asnToAddress',
      custom: true,
      fileAction: false,
    });
  });

  it('reads an asset, a created object and an attribute given as a one-item array', async () => {
    const context = contextFor(tc);
    const victim = parseVictim({ id: 4, name: 'Array Victim' }, context, 'Example Org');
    reply({ victimPhone: [{ id: 9, type: 'Phone', phoneType: '555-0100' }] }, 201);
    assert.deepEqual(await victim.assets().add('phone', { phoneType: '555-0100' }), {
      id: 9,
      type: 'Phone',
      value: '555-0100',
      fields: { phoneType: '555-0100' },
      webLink: undefined,
    });
    const adversary = parseGroup(
      { id: 5, name: 'Handles', ownerName: 'Example Org' },
      context,
      GROUP_KIND_BY_TYPE.get('Adversary'),
    );
    reply({ adversaryHandle: [{ id: 3, type: 'Handle', handle: 'h4x' }] });
    assert.equal((await adversary.assets().get('handle', 3)).value, 'h4x');

    // A create answered with a one-item array: the object takes its id and is clean, so the next
    // commit does not create it a second time.
    const task = tc.tasks().add('Array Task', 'Example Org');
    reply({ task: [{ id: 77, name: 'Array Task', status: 'Not Started' }] }, 201);
    await task.commit();
    assert.equal(task.id, 77);
    assert.equal(task.phase, 'clean');
    const newVictim = tc.victims().add('Array Victim 2', 'Example Org');
    reply({ victim: [{ id: 78, name: 'Array Victim 2' }] }, 201);
    await newVictim.commit();
    assert.equal(newVictim.id, 78);

    // An attribute answer as a one-item array joins the attributes read before.
    const host = parseIndicator(
      { type: 'Host', hostName: 'array.example.com', id: 2, ownerName: 'Example Org' },
      context,
    );
    reply({ resultCount: 1, attribute: [{ id: 1, type: 'Source', value: 'feed' }] });
    await host.loadAttributes();
    reply({ attribute: [{ id: 2, type: 'Description', value: 'added', displayed: true }] }, 201);
    await host.addAttribute('Description', 'added').commit();
    assert.deepEqual(
      host.attributes?.map((a) => a.id),
      [1, 2],
    );
  });
});
