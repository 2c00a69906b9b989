/**
 * Answers the sandbox never gives, from a stub server:
 *
 * - an id beyond 2^53 (rest-api-v2.md 3.4: "`id`: integer"; decisions.md 1.7: "Ids are integers ≥ 0")
 *   is rounded by JSON.parse. The SDK kept the rounded number as the object's id, so `delete()` and
 *   `commit()` addressed another victim or task, and two such tasks merged into one object. It is now
 *   an `InvalidResponseError` naming the id, as the SDK's own id checks refuse the same numbers as input;
 * - `tc.owners().members()` checked only for an empty page: a short, non-empty page before
 *   `resultCount` lost members silently (decisions.md 1.4: `IncompleteResultError` when "a page window
 *   came back short").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IncompleteResultError, InvalidResponseError } from '../../../src/index.js';
import { type StubApi, startStubApi } from '../../helpers/stub-api.js';

/** 2^53 + 1: JSON.parse reads it as 2^53. */
const UNSAFE_ID = '9007199254740993';
const ROUNDED = 2 ** 53;

describe('ids beyond 2^53 and short member pages (stub server)', () => {
  let stub: StubApi;
  let answer: (url: URL) => string;
  before(async () => {
    stub = await startStubApi((req, res) => {
      req.resume();
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(answer(url));
      });
    });
  });
  after(async () => {
    await stub.close();
  });

  const unsafe = `The server sent the id ${ROUNDED}, which is not an integer the SDK can hold exactly (up to 2^53 - 1)`;

  it('a victim whose id is beyond 2^53 is an InvalidResponseError, not a victim with another id', async () => {
    answer = (url) =>
      url.pathname === '/api/v2/victims'
        ? `{"status":"Success","data":{"resultCount":1,"victim":[{"id":${UNSAFE_ID},"name":"Far"}]}}`
        : '{"status":"Success"}';
    const victims = stub.tc.victims();
    await assert.rejects(victims.retrieve(), (error: unknown) => {
      assert.ok(error instanceof InvalidResponseError, String(error));
      assert.equal(error.message, unsafe);
      return true;
    });
    assert.equal(victims.length, 0, 'a failed retrieval adds nothing');
  });

  it('tasks whose ids differ beyond 2^53 are not merged into one object', async () => {
    answer = (url) =>
      url.pathname === '/api/v2/tasks'
        ? `{"status":"Success","data":{"resultCount":2,"task":[{"id":${ROUNDED - 1},"name":"A","ownerName":"Example Org"},{"id":${UNSAFE_ID},"name":"B","ownerName":"Example Org"}]}}`
        : '{"status":"Success"}';
    await assert.rejects(stub.tc.tasks().retrieve(), { name: 'InvalidResponseError', message: unsafe });
  });

  it('an indicator listing with such an id fails the same way; the largest exact id is read', async () => {
    answer = (url) =>
      url.pathname === '/api/v2/indicators'
        ? `{"status":"Success","data":{"resultCount":2,"indicator":[{"id":${ROUNDED - 1},"type":"Host","summary":"a.example.com","ownerName":"Example Org"},{"id":${UNSAFE_ID},"type":"Host","summary":"b.example.com","ownerName":"Example Org"}]}}`
        : '{"status":"Success"}';
    const seen: number[] = [];
    await assert.rejects(
      async () => {
        for await (const indicator of stub.tc.indicators().stream()) seen.push(indicator.id);
      },
      { name: 'InvalidResponseError', message: unsafe },
    );
    assert.deepEqual(seen, [], 'the page failed before any of its objects was handed out');
  });

  it('members(): a short page before resultCount is an IncompleteResultError, not fewer members', async () => {
    stub.tc.setApiResultLimit(2);
    answer = (url) => {
      const start = url.searchParams.get('resultStart');
      // 3 members; the first window (limit 2) came back with only one of its two.
      return start === '0'
        ? '{"status":"Success","data":{"resultCount":3,"user":[{"userName":"a"}]}}'
        : '{"status":"Success","data":{"user":[{"userName":"c"}]}}';
    };
    await assert.rejects(stub.tc.owners().members(), (error: unknown) => {
      assert.ok(error instanceof IncompleteResultError, `resolved or threw ${String(error)}`);
      assert.equal(
        error.message,
        '/v2/owners/mine/members answered 1 of the 2 members expected at resultStart=0 (resultCount 3)',
      );
      assert.deepEqual([error.resultStart, error.resultLimit], [0, 2]);
      return true;
    });
  });
});
