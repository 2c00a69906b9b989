/**
 * `tc.batch()`: haltOnError, resuming with a state file after an abort, faults on upload and poll,
 * and bad options. Records with a large description make jobs of a few records each (the 2,000,000
 * byte limit), so several jobs cost little.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AbortError, ConfigError, ValidationError } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { recordingClock } from '../../helpers/clock.js';
import { admin, call, requestLog, resetSandbox, setFaults, withSandbox } from '../../helpers/sandbox.js';
import { tempFolder } from '../cli/in-process.js';
import { batchClient, batchTraffic, bulkyHosts, countIndicators } from './support.js';

describe('tc.batch', () => {
  let sandbox: Sandbox;
  const folder = tempFolder('tc-batch-');
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
    folder.remove();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('splits records into jobs under 2,000,000 bytes', async () => {
    const result = await batchClient(sandbox).batch('Example Community', bulkyHosts(30, 'split'));
    assert.equal(result.succeeded, 30);
    assert.ok(result.jobs.length >= 3, `${result.jobs.length} jobs`);
    for (const job of result.jobs) assert.ok(job.successCount <= 13);
  });

  it('haltOnError: the rest of the job and every later record is unprocessed', async () => {
    const records = [
      { type: 'Host', summary: 'halt0.example.com' },
      { type: 'Host', summary: 'halt1.example.com' },
      { type: 'Host', summary: '-halt2.example.com' },
      { type: 'Host', summary: 'halt3.example.com' },
      { type: 'Host', summary: 'halt4.example.com' },
    ];
    const result = await batchClient(sandbox).batch('Example Org', records, { haltOnError: true });
    assert.deepEqual(
      result.jobs.map((j) => [j.successCount, j.errorCount, j.unprocessCount]),
      [[2, 1, 2]],
    );
    assert.deepEqual([result.succeeded, result.failed, result.unprocessed], [2, 1, 2]);
    assert.deepEqual(
      result.errors.map((e) => e.index),
      [2],
    );
    const found = await call(sandbox, 'GET', '/v2/indicators/hosts/halt3.example.com?owner=Example%20Org');
    assert.equal(found.status, 404);
  });

  it('haltOnError with a record refused locally: earlier records are sent, later ones are not', async () => {
    const records = [...bulkyHosts(20, 'lh'), { type: 'Address', summary: 'nope' }, ...bulkyHosts(20, 'lt')];
    const result = await batchClient(sandbox).batch('Example Org', records, { haltOnError: true });
    assert.equal(result.succeeded, 20);
    assert.equal(result.failed, 1);
    assert.equal(result.unprocessed, 20);
    assert.deepEqual(
      result.errors.map((e) => [e.index, e.code]),
      [[20, 'TC_VALIDATION']],
    );
    const traffic = await batchTraffic(sandbox);
    assert.equal(traffic.uploads.length, result.jobs.length);
  });

  it('a resume after an abort sends no job twice', async () => {
    const state = folder.file('resume.json');
    const records = bulkyHosts(40, 'resume');
    const hostsBefore = await countIndicators(sandbox, 'hosts', 'Example Org');
    const controller = new AbortController();
    const first = batchClient(sandbox).batch('Example Org', records, {
      stateFile: state,
      signal: controller.signal,
      onProgress: (event) => {
        // Abort once the second job is uploaded, before its first poll: the server has its file.
        if (event.jobIndex === 1 && event.phase === 'job') controller.abort();
      },
    });
    await assert.rejects(first, AbortError);
    const stored = JSON.parse(readFileSync(state, 'utf8')) as { jobs: { phase: string }[] };
    assert.deepEqual(
      stored.jobs.map((j) => j.phase),
      ['completed', 'uploaded'],
    );

    const result = await batchClient(sandbox).batch('Example Org', records, { stateFile: state });
    assert.equal(result.succeeded, 40);
    assert.equal(await countIndicators(sandbox, 'hosts', 'Example Org'), hostsBefore + 40);
    const traffic = await batchTraffic(sandbox);
    assert.equal(traffic.creates, result.jobs.length);
    assert.equal(new Set(traffic.uploads).size, traffic.uploads.length, traffic.uploads.join(' '));
    assert.equal(traffic.uploads.length, result.jobs.length);

    // A third run finds every job completed and sends nothing.
    await admin(sandbox, 'DELETE', 'requests');
    const third = await batchClient(sandbox).batch('Example Org', records, { stateFile: state });
    assert.deepEqual(third.jobs, result.jobs);
    assert.deepEqual(await batchTraffic(sandbox), { creates: 0, uploads: [], polls: 0 });
  });

  it('an upload whose answer is lost is not sent again when the job has it', async () => {
    await setFaults(sandbox, { rules: [{ kind: 'reset', method: 'POST', pathPrefix: '/v2/batch/' }] });
    const result = await batchClient(sandbox).batch('Example Org', bulkyHosts(20, 'reset'));
    await setFaults(sandbox, {});
    assert.equal(result.succeeded, 20);
    const log = await requestLog(sandbox);
    const uploads = log.filter((e) => e.method === 'POST' && /\/v2\/batch\/\d+/.test(e.target));
    assert.equal(uploads.length, result.jobs.length);
    assert.ok(uploads.every((e) => e.fault === 'reset' && e.status === null));
  });

  it('an upload refused with 503 is retried, and a failed poll is retried', async () => {
    await setFaults(sandbox, {
      rules: [
        { kind: 'status', status: 503, method: 'POST', pathPrefix: '/v2/batch/', every: 2 },
        { kind: 'status', status: 503, method: 'GET', pathPrefix: '/v2/batch/', every: 2 },
      ],
    });
    const clock = recordingClock();
    const result = await batchClient(sandbox, { clock }).batch('Example Org', bulkyHosts(30, 'poll'));
    await setFaults(sandbox, {});
    assert.equal(result.succeeded, 30);
    const log = await requestLog(sandbox);
    const polls = log.filter((e) => e.method === 'GET' && /\/v2\/batch\/\d+/.test(e.target));
    assert.ok(polls.some((e) => e.status === 503) && polls.some((e) => e.status === 200));
    const uploads = log.filter((e) => e.method === 'POST' && /\/v2\/batch\/\d+/.test(e.target));
    assert.equal(uploads.filter((e) => e.status === 202).length, result.jobs.length);
    assert.ok(uploads.some((e) => e.status === 503));
  });

  it('refuses bad owners, options and inputs before sending anything', async () => {
    const tc = batchClient(sandbox);
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => tc.batch('', []), /batch owner must be a non-empty string, got ""/],
      [
        () => tc.batch('Example Org', [], { action: 'Upsert' as never }),
        /batch option `action` must be one of 'Create', 'Delete', got "Upsert"/,
      ],
      [
        () => tc.batch('Example Org', [], { haltOnError: 'yes' as never }),
        /`haltOnError` must be a boolean, got "yes"/,
      ],
      [
        () => tc.batch('Example Org', [], { attributeWriteType: 'Merge' as never }),
        /`attributeWriteType` must be one of 'Append', 'Replace', 'Singleton', 'Static', got "Merge"/,
      ],
      [
        () => tc.batch('Example Org', [], { hashCollisionMode: 'Favor' as never }),
        /`hashCollisionMode` must be one of/,
      ],
      [() => tc.batch('Example Org', [], { batchSize: 5 } as never), /Unknown batch option `batchSize`/],
      [
        () => tc.batch('Example Org', 42 as never),
        /batch records must be an array, an iterable or an async iterable/,
      ],
    ];
    for (const [run, message] of cases)
      await assert.rejects(run, (e: unknown) => e instanceof ValidationError && message.test(e.message));
    const notState = folder.file('not-state.json', '{"hello": 1}');
    await assert.rejects(
      () => tc.batch('Example Org', [], { stateFile: notState }),
      (e: unknown) => e instanceof ConfigError && /is not a batch state file/.test(e.message),
    );
    // A state file that cannot be written is found before a job is created, not after.
    const records = [{ type: 'Host', summary: 'unsaved.example.com' }];
    await assert.rejects(
      () => tc.batch('Example Org', records, { stateFile: folder.file('missing/state.json') }),
      (e: unknown) => e instanceof ConfigError && /cannot be written: ENOENT/.test(e.message),
    );
    assert.deepEqual(await batchTraffic(sandbox), { creates: 0, uploads: [], polls: 0 });
    await tc.close();
  });

  it('refuses a record that is not JSON with its index, and sends a numeric-string rating', async () => {
    const records = [
      { type: 'Host', summary: 'json0.example.com' },
      { type: 'Host', summary: 'json1.example.com', size: 10n as never },
      { type: 'Host', summary: 'json2.example.com', rating: '2.0' as never, confidence: '40' as never },
    ];
    const result = await batchClient(sandbox).batch('Example Org', records);
    assert.deepEqual([result.succeeded, result.failed, result.unprocessed], [2, 1, 0]);
    assert.deepEqual(
      result.errors.map((e) => [e.index, e.code, e.reason]),
      [[1, 'TC_VALIDATION', 'the record cannot be written as JSON: Do not know how to serialize a BigInt']],
    );
    const stored = await call(sandbox, 'GET', '/v2/indicators/hosts/json2.example.com?owner=Example%20Org');
    const host = (stored.json() as { data: { host: { rating: number; confidence: number } } }).data.host;
    assert.deepEqual([host.rating, host.confidence], [2, 40]);
  });

  it('maps SDK objects, async iterables and server errors of groups', async () => {
    const tc = batchClient(sandbox);
    const host = tc.indicators().add('obj.example.com', 'Example Org');
    host.setRating(3);
    async function* input() {
      await Promise.resolve();
      yield { type: 'Adversary', name: 'Batch Adversary', xid: 'adv-1' };
      yield { type: 'Incident', name: 'No date', xid: 'inc-1' };
      yield host;
      yield { type: 'Host', summary: 'linked.example.com', associatedGroups: [{ groupXid: 'adv-1' }] };
    }
    const result = await tc.batch('Example Org', input());
    assert.equal(result.succeeded, 3);
    assert.deepEqual(
      result.errors.map((e) => [e.index, e.code]),
      [[1, '0x1002']],
    );
    assert.match(result.errors[0]?.reason ?? '', /eventDate/);
    const linked = await call(
      sandbox,
      'GET',
      '/v2/indicators/hosts/linked.example.com/groups?owner=Example%20Org',
    );
    assert.equal(
      (linked.json() as { data: { group: { name: string }[] } }).data.group[0]?.name,
      'Batch Adversary',
    );
    const obj = await call(sandbox, 'GET', '/v2/indicators/hosts/obj.example.com?owner=Example%20Org');
    assert.equal((obj.json() as { data: { host: { rating: number } } }).data.host.rating, 3);
    await tc.close();
  });
});
