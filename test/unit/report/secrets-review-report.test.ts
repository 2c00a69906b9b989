/**
 * The report kept the request URI as the caller wrote it (`setRequestUri('/v2/x?token=…')`), so a
 * secret in its query reached `String(entry)`, `report.failures`, `JSON.stringify(entry)` and
 * `report.toJSON()`, although the entry's URL was redacted (secrets review).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { createReport } from '../../../src/report/index.js';
import { createSequenceClock } from '../../helpers/clock.js';

describe('the report redacts the request URI', () => {
  it('in the entry, its text, its JSON, the failures and toJSON', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    report.enable();
    recorder
      .beginCall({
        method: 'GET',
        requestUri: '/v2/nothing?token=tok-1&access_token=tok-2&owner=Example+Org',
        url: 'http://h/api/v2/nothing?token=tok-1&access_token=tok-2&owner=Example+Org&createActivityLog=false',
        payload: [['createActivityLog', 'false']],
      })
      .finish({ status: 404, responseBody: '{"status":"Failure","message":"not found"}' });
    const [entry] = report.entries;
    assert.ok(entry !== undefined && entry.kind === 'request');
    assert.equal(entry.requestUri, '/v2/nothing?token=[REDACTED]&access_token=[REDACTED]&owner=Example+Org');
    const outputs = [
      String(entry),
      inspect(entry, { depth: 10 }),
      JSON.stringify(entry),
      report.failures.map(String).join('\n'),
      JSON.stringify(report.toJSON()),
      inspect(report, { depth: 10 }),
    ];
    for (const output of outputs) {
      assert.ok(!output.includes('tok-1') && !output.includes('tok-2'), output);
    }
  });
});
