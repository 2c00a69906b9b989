import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { FilterOperator, ResourceType } from '../../../src/core/enums.js';
import { ConnectionError, ServerError } from '../../../src/core/errors.js';
import {
  createReport,
  MAX_REPORT_ENTRIES,
  MAX_REPORT_FAILURES,
  PostFilterEntry,
  type ReportRecorder,
  RequestEntry,
} from '../../../src/report/index.js';
import { createSequenceClock } from '../../helpers/clock.js';

const URL_BASE = 'http://127.0.0.1:<port>/api';
const NOT_FOUND = '{"status":"Failure","message":"The requested resource was not found"}';

/** Lines as printed by Python's print(): the text plus the newline print adds. */
const printed = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

function typesCall(recorder: ReportRecorder, status = 200): void {
  recorder
    .beginCall({
      method: 'GET',
      requestUri: '/v2/types/indicatorTypes',
      url: `${URL_BASE}/v2/types/indicatorTypes?createActivityLog=false`,
      payload: [['createActivityLog', 'false']],
    })
    .finish({ status });
}

function aptCall(recorder: ReportRecorder): void {
  recorder
    .beginCall({
      method: 'GET',
      requestUri: '/v2/tags/APT/indicators',
      url: `${URL_BASE}/v2/tags/APT/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0`,
      description: 'api filter by tag "APT"',
      resourceType: ResourceType.INDICATORS,
      payload: [
        ['createActivityLog', 'false'],
        ['owner', 'Example Community'],
        ['resultLimit', '200'],
        ['resultStart', '0'],
      ],
      countsAsApiFilter: true,
    })
    .finish({ status: 200 });
}

const ENTRY_TYPES = [
  '',
  '__________________________________Report Entry__________________________________',
  '',
  'Properties                              ',
  'Status Code                   : 200                                               ',
  'Description                   : None                                              ',
  'Resource Type                 : None                                              ',
  '',
  'HTTP Settings                           ',
  '  HTTP Method                  GET                                               ',
  '  Request URI                  /v2/types/indicatorTypes                          ',
  '  Request URL                  http://127.0.0.1:<port>/api/v2/types/indicatorTypes?createActivityLog=false',
  '  Content Type                 None                                              ',
  '  Body                         None                                              ',
  '',
  'Payload                                 ',
  "  Payload                      {'createActivityLog': 'false'}                    ",
];

const ENTRY_APT = [
  '',
  '__________________________________Report Entry__________________________________',
  '',
  'Properties                              ',
  'Status Code                   : 200                                               ',
  'Description                   : api filter by tag "APT"                           ',
  'Resource Type                 : ResourceType.INDICATORS                           ',
  '',
  'HTTP Settings                           ',
  '  HTTP Method                  GET                                               ',
  '  Request URI                  /v2/tags/APT/indicators                           ',
  '  Request URL                  http://127.0.0.1:<port>/api/v2/tags/APT/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
  '  Content Type                 None                                              ',
  '  Body                         None                                              ',
  '',
  'Payload                                 ',
  "  Payload                      {'createActivityLog': 'false', 'owner': 'Example Community', 'resultLimit': '200', 'resultStart': '0'}",
];

describe('report stats, byte for byte (python-sdk-observed.md 4.6)', () => {
  it('docs literal: reporting not enabled', () => {
    // Reads: construction, begin/finish of each call, then the two clock reads of the stats rows.
    const clock = createSequenceClock([0, 0.1, 1.0, 1.5, 3.194, 3.78, 3.782]);
    const { report, recorder } = createReport({ clock });
    typesCall(recorder);
    aptCall(recorder);
    recorder.addUnfilteredResults(5);
    recorder.addFilteredResults(5);
    const expected = [
      '',
      '_____________________________________Stats______________________________________',
      '',
      'API Stats                               ',
      '  API Calls                    2                                                 ',
      '  Unfiltered Results           5                                                 ',
      '  Filtered Results             5                                                 ',
      '',
      'Filters                                 ',
      '  API Filters                  0                                                 ',
      '  Post Filters                 0                                                 ',
      '  Total Filters                0                                                 ',
      '',
      'Performance Stats                       ',
      '  Request Time                 0:00:00.002594                                    ',
      '  Processing Time              0:00:00.001186                                    ',
      '  Run Time                     0:00:00.003782                                    ',
    ];
    assert.equal(report.stats, printed(expected));
    assert.equal(clock.reads, 7);
    assert.equal(report.apiCalls, 2);
    assert.deepEqual(report.entries, []);
    assert.deepEqual(report.failures, []);
  });

  it('with reportEnable(): methods, status codes, API filters and the entries', () => {
    const clock = createSequenceClock([0, 0.2, 1.2, 1.7, 3.1, 3.459, 3.46]);
    const { report, recorder } = createReport({ clock });
    report.enable();
    typesCall(recorder);
    aptCall(recorder);
    recorder.addUnfilteredResults(5);
    recorder.addFilteredResults(5);
    const expected = [
      '',
      '_____________________________________Stats______________________________________',
      '',
      'API Stats                               ',
      '  API Calls                    2                                                 ',
      '  Unfiltered Results           5                                                 ',
      '  Filtered Results             5                                                 ',
      '',
      'Filters                                 ',
      '  API Filters                  1                                                 ',
      '  Post Filters                 0                                                 ',
      '  Total Filters                1                                                 ',
      '',
      'HTTP Methods                            ',
      '  GET                          2                                                 ',
      '',
      'Status Codes                            ',
      '  200                          2                                                 ',
      '',
      'Performance Stats                       ',
      '  Request Time                 0:00:00.002400                                    ',
      '  Processing Time              0:00:00.001059                                    ',
      '  Run Time                     0:00:00.003460                                    ',
    ];
    assert.equal(report.stats, printed(expected));
    // for entry in tc.report: print(entry)
    const output = [...report].map((entry) => `${String(entry)}\n`).join('');
    assert.equal(output, `${printed(ENTRY_TYPES)}\n${printed(ENTRY_APT)}\n`);
    assert.equal(report.apiCalls, 2);
    assert.ok(Math.abs(report.requestTime - 2.4) < 1e-9);
    assert.equal(typeof report.runtime, 'number');
  });

  it('failures: a 404 filter on a missing incident', () => {
    const clock = createSequenceClock([0, 0.1, 1.1, 1.4, 2.919, 2.902, 2.903]);
    const { report, recorder } = createReport({ clock });
    report.enable();
    typesCall(recorder);
    recorder
      .beginCall({
        method: 'GET',
        requestUri: '/v2/groups/incidents/708996/groups/adversaries',
        url: `${URL_BASE}/v2/groups/incidents/708996/groups/adversaries?createActivityLog=false&resultLimit=500&resultStart=0`,
        description: 'api filter by incident id 708996',
        resourceType: ResourceType.ADVERSARIES,
        payload: [
          ['createActivityLog', 'false'],
          ['resultLimit', '500'],
          ['resultStart', '0'],
        ],
        countsAsApiFilter: true,
      })
      .finish({ status: 404, responseBody: Buffer.from(NOT_FOUND) });
    const failures = report.failures;
    assert.equal(failures.length, 1);
    const failure = [
      '',
      '__________________________________Report Entry__________________________________',
      '',
      'Properties                              ',
      'Status Code                   : 404                                               ',
      // decisions.md 1.5: the body without Python's b'…' wrapper.
      'Fail Msg                      : {"status":"Failure","message":"The requested resource was not found"}',
      'Description                   : api filter by incident id 708996                  ',
      'Resource Type                 : ResourceType.ADVERSARIES                          ',
      '',
      'HTTP Settings                           ',
      '  HTTP Method                  GET                                               ',
      '  Request URI                  /v2/groups/incidents/708996/groups/adversaries    ',
      '  Request URL                  http://127.0.0.1:<port>/api/v2/groups/incidents/708996/groups/adversaries?createActivityLog=false&resultLimit=500&resultStart=0',
      '  Content Type                 None                                              ',
      '  Body                         None                                              ',
      '',
      'Payload                                 ',
      "  Payload                      {'createActivityLog': 'false', 'resultLimit': '500', 'resultStart': '0'}",
    ];
    assert.equal(String(failures[0]), printed(failure));
    assert.equal(inspect(failures[0]), printed(failure));
    const stats = [
      '',
      '_____________________________________Stats______________________________________',
      '',
      'API Stats                               ',
      '  API Calls                    2                                                 ',
      '  Unfiltered Results           0                                                 ',
      '  Filtered Results             0                                                 ',
      '',
      'Filters                                 ',
      '  API Filters                  1                                                 ',
      '  Post Filters                 0                                                 ',
      '  Total Filters                1                                                 ',
      '',
      'HTTP Methods                            ',
      '  GET                          2                                                 ',
      '',
      'Status Codes                            ',
      '  200                          1                                                 ',
      '  404                          1                                                 ',
      '',
      'Performance Stats                       ',
      '  Request Time                 0:00:00.002519                                    ',
      '  Processing Time              0:00:00.000383                                    ',
      '  Run Time                     0:00:00.002903                                    ',
    ];
    assert.equal(report.stats, printed(stats));
  });

  it('without reportEnable() the failures list is empty', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    typesCall(recorder, 404);
    assert.deepEqual(report.failures, []);
    assert.equal(report.apiCalls, 1);
  });

  it('no request yet: no Request/Processing rows; methods and statuses in first-seen order', () => {
    const { report } = createReport({ clock: createSequenceClock([0, 1000]) });
    assert.ok(
      report.stats.endsWith(
        `Performance Stats${' '.repeat(23)}\n  ${'Run Time'.padEnd(29)}${'0:00:01'.padEnd(50)}\n`,
      ),
    );
    assert.ok(!report.stats.includes('Request Time'));
    const { report: ordered, recorder: orderedRecorder } = createReport({ clock: createSequenceClock([0]) });
    ordered.enable();
    for (const [method, status] of [
      ['PUT', 404],
      ['POST', 201],
      ['put', 200],
      ['DELETE', 200],
      ['GET', 404],
    ] as const) {
      orderedRecorder.beginCall({ method, url: 'https://h/api/v2/x' }).finish({ status });
    }
    const text = ordered.stats;
    const methods = text.slice(text.indexOf('HTTP Methods'), text.indexOf('Status Codes'));
    assert.deepEqual(
      methods
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)),
      [
        ['PUT', '2'],
        ['POST', '1'],
        ['DELETE', '1'],
        ['GET', '1'],
      ],
    );
    const statuses = text.slice(text.indexOf('Status Codes'), text.indexOf('Performance Stats'));
    assert.deepEqual(
      statuses
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)),
      [
        ['404', '2'],
        ['201', '1'],
        ['200', '2'],
      ],
    );
  });
});

describe('report semantics (decisions.md 1.5)', () => {
  it('enable/disable only toggle entries; counters keep counting', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    aptCall(recorder);
    assert.equal(report.enabled, false);
    report.enable();
    assert.equal(report.enabled, true);
    aptCall(recorder);
    report.disable();
    aptCall(recorder);
    assert.equal(report.apiCalls, 3);
    assert.equal(report.entries.length, 1);
    assert.equal(report.apiFilters, 1);
    assert.ok(report.stats.includes(`  ${'GET'.padEnd(29)}${'1'.padEnd(50)}\n`));
    const json = report.toJSON();
    assert.deepEqual(json.methods, { GET: 3 });
    assert.deepEqual(json.statuses, { '200': 3 });
  });

  it('post filters always count; their entries only while enabled', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    const pf = {
      description: 'post filter by rating GE 2.0',
      filter: '2.0',
      method: 'filter_rating',
      operator: FilterOperator.GE,
    };
    assert.equal(recorder.recordPostFilter(pf), undefined);
    report.enable();
    const entry = recorder.recordPostFilter(pf);
    assert.ok(entry instanceof PostFilterEntry);
    assert.equal(entry.kind, 'postFilter');
    assert.equal(report.postFilters, 2);
    assert.equal(report.totalFilters, 2);
    assert.equal(report.entries.length, 1);
    assert.deepEqual(report.failures, []);
    const expected = [
      '',
      '_______________________________Post Filter Object_______________________________',
      'Filter Properties                       ',
      '  description                 : post filter by rating GE 2.0                      ',
      '  filter                      : 2.0                                               ',
      '  method                      : filter_rating                                     ',
      '  operator                    : FilterOperator.GE                                 ',
    ];
    assert.equal(String(entry), printed(expected));
    const numeric = new PostFilterEntry({
      description: 'd',
      filter: 50,
      method: 'filter_confidence',
      operator: FilterOperator.GE,
    });
    assert.ok(String(numeric).includes(`  ${'filter'.padEnd(28)}: ${'50'.padEnd(50)}\n`));
    assert.deepEqual(numeric.toJSON(), {
      kind: 'postFilter',
      description: 'd',
      filter: 50,
      method: 'filter_confidence',
      operator: 'GE',
    });
  });

  it('entries are a discriminated union, in order', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    report.enable();
    typesCall(recorder);
    recorder.recordPostFilter({
      description: 'd',
      filter: 'x',
      method: 'filter_tag',
      operator: FilterOperator.EQ,
    });
    aptCall(recorder);
    assert.deepEqual(
      [...report].map((e) => e.kind),
      ['request', 'postFilter', 'request'],
    );
    const first = report.entries[0];
    assert.ok(first instanceof RequestEntry);
  });

  it('a call that ended without a response is an entry and a failure, not an API call', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0, 10, 20]) });
    report.enable();
    const call = recorder.beginCall({
      method: 'POST',
      url: 'https://u:pw@h/api/v2/groups/incidents',
      body: '{"name":"x"}',
    });
    const error = new ConnectionError('socket hang up', { kind: 'reset' });
    call.addAttempt({ attempt: 1, delayMs: 0, error, durationMs: 10 });
    const entry = call.finish({ error });
    assert.ok(entry instanceof RequestEntry);
    assert.equal(entry.status, undefined);
    assert.equal(entry.failed, true);
    assert.equal(entry.url, 'https://u:[REDACTED]@h/api/v2/groups/incidents');
    assert.equal(entry.failMessage, 'ConnectionError: socket hang up');
    assert.equal(entry.body, '{"name":"x"}');
    assert.equal(report.apiCalls, 0);
    assert.deepEqual(report.failures, [entry]);
    const text = String(entry);
    assert.ok(text.includes(`${'Status Code'.padEnd(30)}: ${'None'.padEnd(50)}\n`));
    assert.ok(text.includes(`${'Fail Msg'.padEnd(30)}: ${'ConnectionError: socket hang up'.padEnd(50)}\n`));
    assert.ok(!report.stats.includes('HTTP Methods'));
    assert.ok(report.stats.includes('Request Time'));
    assert.deepEqual(report.toJSON().errors, { TC_CONNECTION: 1 });
    assert.equal(call.finish({ status: 200 }), undefined, 'a second finish is ignored');
    assert.equal(report.apiCalls, 0);
  });

  it('a finished call with no error and no status is recorded as a failure', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    report.enable();
    const entry = recorder.beginCall({ method: 'GET', url: 'https://h/x' }).finish({});
    assert.equal(entry?.failMessage, 'Error: no response');
  });

  it('redacts secret query parameters in stored URLs and keeps long failure bodies bounded', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0]) });
    report.enable();
    const entry = recorder
      .beginCall({
        method: 'GET',
        url: 'https://h/api/appAuth?expiredToken=abc',
        payload: [
          ['expiredToken', 'abc'],
          ['x', 'y'],
        ],
      })
      .finish({ status: 500, responseBody: 'x'.repeat(100_005) });
    assert.equal(entry?.url, 'https://h/api/appAuth?expiredToken=[REDACTED]');
    assert.deepEqual(entry.payload, [
      ['expiredToken', '[REDACTED]'],
      ['x', 'y'],
    ]);
    assert.ok(!String(entry).includes('abc'));
    assert.equal(entry.failMessage?.length, 100_001);
  });

  it('request time counts overlapping calls once', () => {
    // start 0; A begins 10, B begins 20, A ends 40, B ends 50; C begins 100, ends 110.
    const { report, recorder } = createReport({
      clock: createSequenceClock([0, 10, 20, 40, 50, 100, 110, 200, 200]),
    });
    const a = recorder.beginCall({ method: 'GET', url: 'https://h/a' });
    const b = recorder.beginCall({ method: 'GET', url: 'https://h/b' });
    a.finish({ status: 200 });
    b.finish({ status: 200 });
    const c = recorder.beginCall({ method: 'GET', url: 'https://h/c' });
    c.finish({ status: 200 });
    assert.equal(report.requestTime, 50);
    assert.equal(report.processingTime, 150);
    assert.equal(report.runtime, 200);
  });
});

describe('report caps (docs/decisions.md, Client core 21)', () => {
  it('the default caps are 10,000 entries and 1,000 failures', () => {
    assert.equal(MAX_REPORT_ENTRIES, 10_000);
    assert.equal(MAX_REPORT_FAILURES, 1_000);
  });

  it('entries keep the most recent; failures have their own list, not pushed out by successes', () => {
    const { report, recorder } = createReport({
      clock: createSequenceClock([0]),
      maxEntries: 3,
      maxFailures: 2,
    });
    report.enable();
    const call = (status: number | undefined, uri: string): void => {
      const url = `https://h/api${uri}`;
      if (status === undefined) {
        recorder
          .beginCall({ method: 'GET', url })
          .finish({ error: new ConnectionError('x', { kind: 'reset' }) });
      } else recorder.beginCall({ method: 'GET', requestUri: uri, url }).finish({ status });
    };
    call(404, '/f1');
    for (let i = 0; i < 5; i += 1) call(200, `/s${i}`);
    recorder.recordPostFilter({
      description: 'd',
      filter: 1,
      method: 'filter_rating',
      operator: FilterOperator.GE,
    });
    const uris = (entries: readonly { kind: string; requestUri?: string | undefined }[]) =>
      entries.map((e) => (e.kind === 'request' ? e.requestUri : e.kind));
    assert.deepEqual(uris(report.entries), ['/s3', '/s4', 'postFilter']);
    assert.deepEqual(uris([...report]), ['/s3', '/s4', 'postFilter']);
    assert.deepEqual(uris(report.failures), ['/f1'], 'the failure outlives its entry');
    assert.equal(report.droppedEntries, 4);
    assert.equal(report.droppedFailures, 0);

    call(500, '/f2');
    call(undefined, '/f3');
    assert.deepEqual(
      report.failures.map((e) => e.url),
      ['https://h/api/f2', 'https://h/api/f3'],
    );
    assert.equal(report.droppedFailures, 1);
    const json = report.toJSON();
    assert.equal(json.droppedEntries, 6);
    assert.equal(json.droppedFailures, 1);
    assert.equal((json.entries as unknown[]).length, 3);
    assert.equal(json.apiCalls, 7, 'counters count every call');
    assert.equal(json.failedCalls, 1);
    assert.equal(report.postFilters, 1);
    assert.ok(report.stats.includes(`  ${'GET'.padEnd(29)}${'7'.padEnd(50)}\n`), 'stats counts every call');
    assert.equal(inspect(report), 'Report { apiCalls: 7, entries: 3, enabled: true }');
  });
});

describe('report.toJSON', () => {
  it('has version 1, histograms, retries, attempts, bytes and latency', () => {
    // start 0; call 1: 0 → 100 (two attempts); call 2: 100 → 110; call 3: 110 → 140 (error).
    const clock = createSequenceClock([0, 0, 100, 100, 110, 110, 140, 150]);
    const { report, recorder } = createReport({ clock });
    const one = recorder.beginCall({ method: 'GET', url: 'https://h/api/v2/x', bytesSent: 0 });
    one.addAttempt({ attempt: 1, delayMs: 0, status: 503, durationMs: 5 });
    one.addAttempt({ attempt: 2, delayMs: 50, status: 200, durationMs: 45 });
    assert.equal(one.attempts.length, 2);
    assert.equal(one.startMs, 0);
    one.finish({ status: 200, bytesReceived: 1000 });
    recorder
      .beginCall({ method: 'POST', url: 'https://h/api/v2/y', bytesSent: 61 })
      .finish({ status: 201, bytesReceived: 20 });
    const three = recorder.beginCall({ method: 'GET', url: 'https://h/api/v2/z' });
    three.addAttempt({ attempt: 1, delayMs: 0, error: new ServerError('x', { status: 503 }) });
    three.finish({ error: new ConnectionError('refused', { kind: 'refused' }) });
    recorder.addUnfilteredResults(7);
    recorder.addFilteredResults(3);
    const json = report.toJSON();
    assert.deepEqual(json, {
      version: 1,
      apiCalls: 2,
      failedCalls: 1,
      results: { unfiltered: 7, filtered: 3 },
      filters: { api: 0, post: 0, total: 0 },
      methods: { GET: 1, POST: 1 },
      statuses: { '200': 1, '201': 1 },
      errors: { TC_CONNECTION: 1 },
      attempts: 4,
      retries: 1,
      bytes: { sent: 61, received: 1020 },
      // Exact: whole milliseconds below 256 ms each have a histogram bucket of their own.
      latencyMs: { p50: 30, p95: 100 },
      requestTimeMs: 140,
      processingTimeMs: 10,
      runTimeMs: 150,
      reporting: false,
      entries: [],
      droppedEntries: 0,
      droppedFailures: 0,
    });
    assert.doesNotThrow(() => JSON.stringify(report));
  });

  it('no calls: null latency; entries serialise with their attempts', () => {
    const { report, recorder } = createReport({ clock: createSequenceClock([0, 5, 1, 3, 10]) });
    assert.deepEqual(report.toJSON().latencyMs, { p50: null, p95: null });
    report.enable();
    const call = recorder.beginCall({
      method: 'GET',
      requestUri: '/v2/x',
      url: 'https://h/api/v2/x?createActivityLog=false',
      payload: [['createActivityLog', 'false']],
      resourceType: ResourceType.INDICATORS,
    });
    call.addAttempt({ attempt: 1, delayMs: 0, status: 200, durationMs: 2 });
    call.finish({ status: 200 });
    const entries = report.toJSON().entries as Record<string, unknown>[];
    assert.deepEqual(entries[0], {
      kind: 'request',
      method: 'GET',
      requestUri: '/v2/x',
      url: 'https://h/api/v2/x?createActivityLog=false',
      status: 200,
      error: null,
      failMessage: null,
      description: null,
      resourceType: 'ResourceType.INDICATORS',
      contentType: null,
      payload: { createActivityLog: 'false' },
      countsAsApiFilter: false,
      attempts: [{ attempt: 1, delayMs: 0, status: 200, error: null, durationMs: 2, purpose: 'request' }],
      durationMs: 2,
      bytesSent: 0,
      bytesReceived: 0,
    });
    assert.equal(inspect(report), 'Report { apiCalls: 1, entries: 1, enabled: true }');
    assert.equal(String(report), report.stats);
  });
});
