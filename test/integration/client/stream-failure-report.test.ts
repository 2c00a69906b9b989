/**
 * a streamed call that fails (`{ stream: true }`, status not 200/201/202) keeps its body in the
 * report entry, as a buffered one does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestObject } from '../../../src/index.js';
import { useSandboxClient } from '../../helpers/sandbox.js';

describe('review: streamed failures in the report', () => {
  const fx = useSandboxClient();

  it('records the failure body of a streamed 404 and hands it to the caller', async () => {
    const tc = fx.client();
    tc.reportEnable();
    const ro = new RequestObject().setRequestUri('/v2/groups/documents/999999/download');
    const response = await tc.apiRequest(ro, { stream: true });
    assert.equal(response.status, 404);
    assert.deepEqual(response.json(), {
      status: 'Failure',
      message: 'The requested resource was not found',
    });
    const failures = [...tc.report.failures];
    assert.equal(failures.length, 1);
    assert.match(
      String(failures[0]),
      /Fail Msg\s+: \{"status":"Failure","message":"The requested resource was not found"\}/,
    );
  });
});
