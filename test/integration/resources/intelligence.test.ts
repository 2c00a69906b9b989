/**
 * Indicator intelligence through the SDK against the sandbox (rest-api-v2.md 6.6; docs/intelligence.md):
 * typed results, paging, argument checks before any request, server errors as typed errors, the false
 * positive once per day on the sandbox clock, and both shapes of `data.fileOccurrence`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiError,
  BadRequestError,
  Indicator,
  InvalidResponseError,
  NotFoundError,
  Owner,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import { parseGroup } from '../../../src/resources/group.js';
import { parseIndicator } from '../../../src/resources/indicator.js';
import { GROUP_KIND_BY_TYPE } from '../../../src/resources/kinds.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { type StubApi, startStubApi } from '../../helpers/stub-api.js';
import { RecordingLogger, contextFor } from '../../helpers/resources.js';
import { requestLog, serverNow, setServerClock, withSandbox } from '../../helpers/sandbox.js';

const CLOCK_MS = Date.parse('2024-03-10T12:00:00Z');
const EC = 'Example Community';

/** A ValidationError with exactly this message. */
const invalid = (message: string) => (error: unknown) =>
  error instanceof ValidationError && error.message === message;

describe('indicator intelligence (SDK)', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(async () => {
    sandbox = await withSandbox({ clock: () => CLOCK_MS });
    // The client signs with the sandbox's clock, offset included.
    tc = clientFor(sandbox, { clock: { now: () => serverNow(sandbox) * 1000 } });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  /** The one indicator of this value in the owner, as retrieval gives it. */
  async function one(value: string, owner = EC): Promise<Indicator> {
    const container = tc.indicators();
    container.addFilter().addOwner(owner).addIndicator(value);
    const [found, ...more] = await container.retrieve();
    assert.ok(found && more.length === 0, `one indicator ${value} in ${owner}`);
    return found;
  }
  const requestCount = async () => (await requestLog(sandbox)).length;

  it('reads observations per day (every page) and the observation count', async () => {
    const address = await one('10.20.30.40');
    assert.deepEqual(await address.observations(), [
      { count: 5, dateObserved: '2015-06-19T00:00:00Z' },
      { count: 1, dateObserved: '2015-06-20T00:00:00Z' },
    ]);
    const paged = clientFor(sandbox, { clock: { now: () => serverNow(sandbox) * 1000 }, apiResultLimit: 1 });
    try {
      const again = parseIndicator(
        { type: 'Address', ip: '10.20.30.40', ownerName: EC, id: 356001 },
        contextFor(paged),
      );
      assert.deepEqual(
        (await again.observations()).map((o) => o.count),
        [5, 1],
      );
    } finally {
      await paged.close();
    }
    assert.deepEqual(await address.observationCount(), {
      count: 6,
      lastObserved: '2015-06-20T08:15:00Z',
      yourCount: 4,
      yourLastObserved: '2015-06-20T08:15:00Z',
    });
  });

  it('adds observations; a bad count or date is a ValidationError before any request', async () => {
    const host = await one('pool20.badguy.example.com');
    await host.addObservation(2);
    await host.addObservation(1, { dateObserved: new Date('2024-03-01T10:00:00Z') });
    assert.deepEqual(await host.observations(), [
      { count: 1, dateObserved: '2024-03-01T00:00:00Z' },
      { count: 2, dateObserved: '2024-03-10T00:00:00Z' },
    ]);
    const before = await requestCount();
    const badCounts: [unknown, string][] = [
      [0, '0'],
      [-1, '-1'],
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      [2147483648, '2147483648'],
      ['3', '"3"'],
    ];
    for (const [bad, shown] of badCounts) {
      await assert.rejects(
        host.addObservation(bad as number),
        invalid(`addObservation: count must be an integer from 1 to 2147483647, got ${shown}`),
      );
    }
    await assert.rejects(
      host.addObservation(1, { dateObserved: 'last week' }),
      invalid(
        `addObservation: dateObserved must be an ISO 8601 date such as '2024-01-02' or '2024-01-02T03:04:05Z', or a Date, got "last week"`,
      ),
    );
    assert.equal(await requestCount(), before, 'nothing was sent');
    // A date the server refuses (in the future) comes back as the typed error with its message.
    await assert.rejects(
      host.addObservation(1, { dateObserved: '2024-03-11' }),
      (error: unknown) =>
        error instanceof BadRequestError &&
        error.message.includes('The dateObserved for this Observation is invalid, it is in the future'),
    );
    const fresh = tc.indicators().add('never.committed.example.com', 'Example Org');
    await assert.rejects(
      fresh.addObservation(1),
      invalid(
        'Host "never.committed.example.com" has not been committed yet: commit() it before addObservation()',
      ),
    );
  });

  it('reports a false positive once per user and day, on the sandbox clock', async () => {
    const host = await one('pool20.badguy.example.com');
    assert.deepEqual(await host.reportFalsePositive(), { count: 1, lastReported: '2024-03-10T12:00:00Z' });
    assert.deepEqual(await host.reportFalsePositive(), { count: 1, lastReported: '2024-03-10T12:00:00Z' });
    await setServerClock(sandbox, 86_400);
    try {
      assert.deepEqual(await host.reportFalsePositive(), { count: 2, lastReported: '2024-03-11T12:00:00Z' });
    } finally {
      await setServerClock(sandbox, 0);
    }
  });

  it('reads, adds, changes and deletes file occurrences', async () => {
    const file = await one('422AD421127685E3EF4A44B546258107');
    assert.deepEqual(await file.fileOccurrences(), [
      {
        id: 1,
        fileName: 'invoice.pdf.exe',
        path: 'C:\\Users\\jdoe\\Downloads',
        date: '2015-06-17T13:00:00Z',
      },
      { id: 2, fileName: 'svchost.exe', path: 'C:\\Windows\\Temp', date: undefined },
    ]);
    const added = await file.addFileOccurrence({
      fileName: 'dropper.exe',
      path: '/tmp',
      date: new Date('2024-01-02T03:04:05Z'),
    });
    assert.deepEqual(added, {
      id: added.id,
      fileName: 'dropper.exe',
      path: '/tmp',
      date: '2024-01-02T03:04:05Z',
    });
    const changed = await file.updateFileOccurrence(added.id, { path: '/var/tmp', date: null });
    assert.deepEqual(changed, { id: added.id, fileName: 'dropper.exe', path: '/var/tmp', date: undefined });
    assert.deepEqual(await file.fileOccurrence(added.id), changed);
    await file.deleteFileOccurrence(added.id);
    await assert.rejects(file.fileOccurrence(added.id), NotFoundError);
    assert.equal((await file.fileOccurrences()).length, 2);
  });

  it('refuses file occurrence calls on other types and bad occurrences before any request', async () => {
    const host = await one('pool00.badguy.example.com');
    const file = await one('422AD421127685E3EF4A44B546258107');
    const before = await requestCount();
    await assert.rejects(
      host.fileOccurrences(),
      invalid('fileOccurrences() applies to File indicators only, not to Host "pool00.badguy.example.com"'),
    );
    await assert.rejects(
      host.addFileOccurrence({ fileName: 'x' }),
      invalid('addFileOccurrence() applies to File indicators only, not to Host "pool00.badguy.example.com"'),
    );
    await assert.rejects(
      file.addFileOccurrence({}),
      invalid('addFileOccurrence: give at least one of fileName, path and date'),
    );
    await assert.rejects(
      file.addFileOccurrence({ fileName: 5 } as never),
      invalid('addFileOccurrence: fileName must be a non-empty string, got 5'),
    );
    await assert.rejects(
      file.addFileOccurrence({ name: 'x' } as never),
      invalid('addFileOccurrence: unknown field "name" (fileName, path and date are known)'),
    );
    await assert.rejects(
      file.updateFileOccurrence(1, { fileName: null, path: null }),
      invalid('updateFileOccurrence: give at least one of fileName, path and date'),
    );
    await assert.rejects(
      file.deleteFileOccurrence(-1),
      invalid('deleteFileOccurrence: id must be an integer >= 0, got -1'),
    );
    assert.equal(await requestCount(), before, 'nothing was sent');
  });

  it('reads DNS resolutions of a host and the hosts of an address, as indicator objects', async () => {
    const host = await one('pool00.badguy.example.com');
    const resolutions = await host.dnsResolutions();
    assert.deepEqual(
      resolutions.map((r) => [
        r.resolutionDate,
        r.addresses.map((a) => [a.id, a.type, a.summary, a.ownerName]),
      ]),
      [
        [
          '2015-06-02T08:00:00Z',
          [
            [100001, 'Address', '192.0.2.2', EC],
            [100006, 'Address', '192.0.2.7', EC],
          ],
        ],
        ['2015-06-03T08:00:00Z', [[100016, 'Address', '192.0.2.17', EC]]],
      ],
    );
    assert.ok(resolutions.every((r) => r.addresses.every((a) => a instanceof Indicator)));
    const address = await one('10.20.30.40');
    const hosts = await address.dnsHosts();
    assert.deepEqual(
      hosts.map((h) => [h.id, h.type, h.summary, h.ownerName]),
      [
        [100010, 'Host', 'pool10.badguy.example.com', 'Common Community'],
        [355999, 'Host', 'www.badguy_014.com', EC],
      ],
    );
    await assert.rejects(
      address.dnsResolutions(),
      invalid(
        'dnsResolutions() applies to Host indicators only, not to Address "10.20.30.40" (for an Address, use dnsHosts())',
      ),
    );
    await assert.rejects(
      host.dnsHosts(),
      invalid(
        'dnsHosts() applies to Address indicators only, not to Host "pool00.badguy.example.com" (for a Host, use dnsResolutions())',
      ),
    );
  });

  it('lists the owners holding a value', async () => {
    const owners = await (await one('10.20.30.40', 'Example Org')).owners();
    assert.ok(owners.every((o) => o instanceof Owner));
    assert.deepEqual(
      owners.map((o) => [o.id, o.name, o.type]),
      [
        [1, 'Example Org', 'Organization'],
        [2, EC, 'Community'],
      ],
    );
  });

  it('lists observed indicators of an owner, of one day, or of the default org', async () => {
    const all = await tc.indicators().observed({ owner: EC, date: '2015-06-19' });
    assert.deepEqual(all, [
      {
        summary: '10.20.30.40',
        observationCount: 5,
        lastObserved: '2015-06-19T14:00:00Z',
        userObservedList: [
          { userName: 'sandbox.analyst', userLastObservedDate: '2015-06-19T14:00:00Z', count: 3 },
          { userName: 'sensor.alpha', userLastObservedDate: '2015-06-19T11:20:00Z', count: 2 },
        ],
      },
    ]);
    const byDate = await tc.indicators().observed({ owner: EC, date: new Date('2015-06-19T23:59:00Z') });
    assert.deepEqual(byDate, all);
    const org = await tc.indicators().observed();
    assert.deepEqual(
      org.map((o) => [o.summary, o.observationCount]),
      [['10.20.30.40', 4]],
    );
    const community = await tc.indicators().observed({ owner: EC });
    assert.equal(community[0]?.summary, 'pool20.badguy.example.com', 'the latest first');
    for (const date of ['2015-02-30', '19 June 2015', '2015-06-19T00:00:00Z']) {
      await assert.rejects(
        tc.indicators().observed({ date }),
        invalid(`observed: date must be a day such as '2024-01-02', or a Date, got "${date}"`),
      );
    }
  });
});

describe('answers the sandbox does not give: fileOccurrence as one object or an array, an observation 204', () => {
  let stub: StubApi;
  let answer = '';
  let status = 200;
  let tc: ThreatConnect;
  before(async () => {
    stub = await startStubApi((_req, res) => {
      if (status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(answer);
    });
    tc = stub.tc;
  });
  after(async () => {
    await stub.close();
  });

  it('reads both', async () => {
    const file = parseIndicator(
      { type: 'File', md5: 'A'.repeat(32), id: 1, ownerName: 'Example Org' },
      contextFor(tc),
    );
    const occurrence = { id: 7, fileName: 'a.exe', path: '/x', date: '2024-01-02T03:04:05Z' };
    answer = JSON.stringify({ status: 'Success', data: { fileOccurrence: occurrence } });
    assert.deepEqual(await file.fileOccurrences(), [occurrence]);
    assert.deepEqual(await file.fileOccurrence(7), occurrence);
    answer = JSON.stringify({ status: 'Success', data: { fileOccurrence: [occurrence] } });
    assert.deepEqual(await file.fileOccurrences(), [occurrence]);
    assert.deepEqual(await file.fileOccurrence(7), occurrence);
    answer = JSON.stringify({ status: 'Success', data: {} });
    assert.deepEqual(await file.fileOccurrences(), []);
  });

  it('takes an observation answered 204 without a body (rest-api-v2.md 3.1), refuses a 204 elsewhere, and an asset answer without its object', async () => {
    const host = parseIndicator(
      { type: 'Host', hostName: 'seen.example.com', id: 2, ownerName: 'Example Org' },
      contextFor(tc),
    );
    status = 204;
    try {
      await host.addObservation(3);
      // Only the observation POST may answer so: a 204 to the false-positive report is an error.
      await assert.rejects(
        host.reportFalsePositive(),
        (e: unknown) => e instanceof ApiError && e.status === 204,
      );
    } finally {
      status = 200;
    }
    // An asset answer without its object: the write may have happened, so not a ValidationError.
    const adversary = parseGroup(
      { id: 5, name: 'Handles', ownerName: 'Example Org' },
      contextFor(tc),
      GROUP_KIND_BY_TYPE.get('Adversary'),
    );
    status = 201;
    answer = JSON.stringify({ status: 'Success' });
    try {
      await assert.rejects(adversary.assets().add('handle', 'h4x'), (e: unknown) => {
        assert.ok(e instanceof InvalidResponseError);
        assert.equal(e.message, 'the adversary asset answer has no data.adversaryHandle object');
        assert.equal(e.status, 201);
        return true;
      });
    } finally {
      status = 200;
    }
    // An attribute the server took, with an answer that cannot be read: the step is done (sending it
    // again would add it twice), and the attributes read before are dropped, with a warning.
    const logger = new RecordingLogger();
    const described = parseIndicator(
      { type: 'Host', hostName: 'described.example.com', id: 3, ownerName: 'Example Org' },
      contextFor(tc, { logger }),
    );
    answer = JSON.stringify({
      status: 'Success',
      data: { resultCount: 1, attribute: [{ id: 1, type: 'Source', value: 'feed' }] },
    });
    assert.equal((await described.loadAttributes()).length, 1);
    status = 201;
    answer = 'Created';
    try {
      await described.addAttribute('Description', 'seen twice').commit();
    } finally {
      status = 200;
    }
    assert.deepEqual(described.pendingChanges, []);
    assert.equal(described.attributes, undefined);
    assert.deepEqual(logger.at('warning'), [
      'Host "described.example.com": addAttribute: the server accepted the attribute, but its answer holds none that can be read; loadAttributes() reads them again',
    ]);
    status = 404;
    answer = JSON.stringify({ status: 'Failure', message: 'The requested resource was not found' });
    try {
      await assert.rejects(host.addObservation(3), NotFoundError);
    } finally {
      status = 200;
    }
  });
});
