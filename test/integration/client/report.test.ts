/**
 * `tc.report` after real calls to the sandbox (decisions.md 1.5, python-sdk-observed.md 4.6): the
 * stats text byte for byte with the counts, the failure entry of a 404, reportEnable/reportDisable,
 * and toJSON() with retries, attempts and latency percentiles.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type ClientOptions, type RequestEntry, ThreatConnect } from '../../../src/index.js';
import {
  clearFaults,
  recordingClock,
  request,
  resetSandbox,
  setFaults,
  useSandboxClient,
} from './support.js';

// The original's layout (python-sdk-observed.md 4.6): '{0!s:_^80}' title bars, 40-wide headings,
// '  {0!s:<29}{1!s:<50}' rows and '{0!s:<30}: {1!s:<50}' property rows.
const row = (label: string, value: string) => `  ${label.padEnd(29)}${value.padEnd(50)}`;
const property = (label: string, value: string) => `${label.padEnd(30)}: ${value.padEnd(50)}`;
const heading = (title: string) => title.padEnd(40);
const STATS_BAR = '_____________________________________Stats______________________________________';
const ENTRY_BAR = '__________________________________Report Entry__________________________________';
const NOT_FOUND_BODY = '{"status":"Failure","message":"The requested resource was not found"}';
const MISSING = '/v2/groups/incidents/708996/groups/adversaries';

interface Counts {
  apiCalls: number;
  methods: [string, number][];
  statuses: [number, number][];
  times: [request: string, processing: string, run: string];
}

function statsText({ apiCalls, methods, statuses, times }: Counts): string {
  const lines = [
    '',
    STATS_BAR,
    '',
    heading('API Stats'),
    row('API Calls', String(apiCalls)),
    row('Unfiltered Results', '0'),
    row('Filtered Results', '0'),
    '',
    heading('Filters'),
    row('API Filters', '0'),
    row('Post Filters', '0'),
    row('Total Filters', '0'),
    '',
    heading('HTTP Methods'),
    ...methods.map(([method, n]) => row(method, String(n))),
    '',
    heading('Status Codes'),
    ...statuses.map(([status, n]) => row(String(status), String(n))),
    '',
    heading('Performance Stats'),
    row('Request Time', times[0]),
    row('Processing Time', times[1]),
    row('Run Time', times[2]),
  ];
  return `${lines.join('\n')}\n`;
}

describe('the report after calls to the sandbox', () => {
  const fx = useSandboxClient({ resetEach: true });
  const make = (options: Partial<ClientOptions> = {}) => fx.client(options);

  it('the layout helpers of this test match the spec literal lines', () => {
    assert.equal(
      row('API Calls', '2'),
      '  API Calls                    2                                                 ',
    );
    assert.equal(
      property('Status Code', '404'),
      'Status Code                   : 404                                               ',
    );
    assert.equal(heading('API Stats'), 'API Stats                               ');
  });

  describe('a known sequence with a fixed client clock', () => {
    let tc: ThreatConnect;
    // The client clock stands still except during the one retry wait (750 ms, inside the first
    // call) and a final 250.5 ms step after the calls: request time 0.75 s, run time 1.0005 s.
    const clock = recordingClock({
      fixedNow: Date.now(),
      advanceOnSleep: true,
      onSleep: () => clearFaults(fx.sandbox),
    });
    const times: Counts['times'] = ['0:00:00.750000', '0:00:00.250500', '0:00:01.000500'];
    before(async () => {
      await resetSandbox(fx.sandbox);
      await setFaults(fx.sandbox, { rules: [{ kind: 'status', status: 503 }] });
      tc = make({ apiSleep: 1, apiRetries: 1, clock });
      tc.reportEnable();
      const calls = [
        [request('GET', '/v2/owners'), 200],
        [request('GET', MISSING), 404],
        [
          request('POST', '/v2/groups/incidents', {
            body: { name: 'reported incident', eventDate: '2024-01-01T00:00:00Z' },
          }),
          201,
        ],
        [request('GET', '/v2/types/indicatorTypes'), 200],
        [request('PUT', '/v2/groups/incidents/804', { body: { name: 'reported rename' } }), 200],
      ] as const;
      for (const [ro, status] of calls) assert.equal((await tc.apiRequest(ro)).status, status);
      assert.deepEqual(clock.sleeps, [750]);
      clock.offsetMs += 250.5;
    });

    it('stats: exactly the original layout, methods and status codes in first-seen order', () => {
      assert.equal(
        tc.report.stats,
        statsText({
          apiCalls: 5,
          methods: [
            ['GET', 3],
            ['POST', 1],
            ['PUT', 1],
          ],
          statuses: [
            [200, 3],
            [404, 1],
            [201, 1],
          ],
          times,
        }),
      );
      assert.equal(tc.report.apiCalls, 5);
      assert.equal(tc.report.requestTime, 750);
      assert.equal(tc.report.runtime, 1000.5);
    });

    it('failures: the 404 alone, printed in the original layout without secrets', () => {
      const failures = tc.report.failures;
      assert.equal(failures.length, 1);
      const [failure] = failures as [RequestEntry];
      assert.equal(failure.status, 404);
      assert.equal(failure.failMessage, NOT_FOUND_BODY);
      const url = `${fx.sandbox.baseUrl}${MISSING}?createActivityLog=false`;
      assert.equal(failure.url, url);
      const text = [
        '',
        ENTRY_BAR,
        '',
        heading('Properties'),
        property('Status Code', '404'),
        property('Fail Msg', NOT_FOUND_BODY),
        property('Description', 'None'),
        property('Resource Type', 'None'),
        '',
        heading('HTTP Settings'),
        row('HTTP Method', 'GET'),
        row('Request URI', MISSING),
        row('Request URL', url),
        row('Content Type', 'None'),
        row('Body', 'None'),
        '',
        heading('Payload'),
        row('Payload', "{'createActivityLog': 'false'}"),
      ].join('\n');
      assert.equal(String(failure), `${text}\n`);
      assert.ok(!String(failure).includes(fx.sandbox.secretKey));
    });

    it('iteration gives every entry in call order', () => {
      assert.deepEqual(
        [...tc.report].map((e) => (e.kind === 'request' ? [e.method, e.requestUri, e.status] : e.kind)),
        [
          ['GET', '/v2/owners', 200],
          ['GET', MISSING, 404],
          ['POST', '/v2/groups/incidents', 201],
          ['GET', '/v2/types/indicatorTypes', 200],
          ['PUT', '/v2/groups/incidents/804', 200],
        ],
      );
    });

    it('reportDisable stops the entries and their counts; API Calls and toJSON keep counting', async () => {
      tc.reportDisable();
      assert.equal((await tc.apiRequest(request('GET', MISSING))).status, 404);
      assert.equal(tc.report.entries.length, 5);
      assert.equal(tc.report.failures.length, 1);
      assert.equal(tc.report.apiCalls, 6);
      assert.equal(
        tc.report.stats,
        statsText({
          apiCalls: 6,
          methods: [
            ['GET', 3],
            ['POST', 1],
            ['PUT', 1],
          ],
          statuses: [
            [200, 3],
            [404, 1],
            [201, 1],
          ],
          times,
        }),
      );
      const json = tc.report.toJSON();
      assert.equal(json.version, 1);
      assert.equal(json.apiCalls, 6);
      assert.deepEqual(json.methods, { GET: 4, POST: 1, PUT: 1 });
      assert.deepEqual(json.statuses, { '200': 3, '404': 2, '201': 1 });
      assert.equal(json.attempts, 7);
      assert.equal(json.retries, 1);
      // Exact, though the percentiles come from a histogram: 0 ms has its own bucket, and 750 ms is the
      // only duration in its bucket (docs/client.md: within 0.4% otherwise).
      assert.deepEqual(json.latencyMs, { p50: 0, p95: 750 });
      assert.equal(json.requestTimeMs, 750);
      assert.equal(json.runTimeMs, 1000.5);
      assert.equal(json.reporting, false);
      assert.equal((json.entries as unknown[]).length, 5);
    });
  });

  it('without reportEnable: no entries and no failures, but the counts', async () => {
    const tc = make();
    assert.equal((await tc.apiRequest(request('GET', MISSING))).status, 404);
    assert.deepEqual(tc.report.failures, []);
    assert.deepEqual(tc.report.entries, []);
    assert.equal(tc.report.apiCalls, 1);
    assert.ok(!tc.report.stats.includes('HTTP Methods'));
    assert.ok(!tc.report.stats.includes('Status Codes'));
  });

  it('toJSON: version 1, retries, attempts, bytes and p50/p95 latency', async () => {
    await setFaults(fx.sandbox, { latencyMs: 20, rules: [{ kind: 'status', status: 503 }] });
    const tc = make({
      apiRetries: 2,
      clock: recordingClock({ onSleep: () => setFaults(fx.sandbox, { latencyMs: 20 }) }),
    });
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners'))).status, 200);
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    await clearFaults(fx.sandbox);
    assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
    const json = tc.report.toJSON();
    assert.equal(json.version, 1);
    assert.equal(json.apiCalls, 3);
    assert.equal(json.attempts, 4);
    assert.equal(json.retries, 1);
    assert.deepEqual(json.statuses, { '200': 3 });
    const { p50, p95 } = json.latencyMs as { p50: number; p95: number };
    // Nearest rank over three calls: p50 is the second fastest, p95 the slowest (the retried one,
    // with two 20 ms latencies).
    // The histogram answers with a duration between its bucket's smallest and largest, so these
    // lower bounds hold as they did for the exact percentiles.
    assert.ok(p50 >= 20, `p50 ${p50}`);
    assert.ok(p95 >= 40 && p95 >= p50, `p95 ${p95}`);
    const bytes = json.bytes as { sent: number; received: number };
    assert.equal(bytes.sent, 0);
    assert.ok(bytes.received > 0);
    assert.ok((json.requestTimeMs as number) >= 40);
  });

  it('a token client: the failure text and the JSON carry no token', async () => {
    const tc = fx.track(
      new ThreatConnect({
        apiToken: fx.sandbox.apiToken,
        apiTokenExpires: fx.sandbox.apiTokenExpires,
        defaultOrg: fx.sandbox.defaultOrg,
        baseUrl: fx.sandbox.baseUrl,
      }),
    );
    tc.reportEnable();
    assert.equal((await tc.apiRequest(request('GET', MISSING))).status, 404);
    const [failure] = tc.report.failures;
    assert.equal(failure?.url, `${fx.sandbox.baseUrl}${MISSING}?createActivityLog=false`);
    assert.ok(!String(failure).includes(fx.sandbox.apiToken));
    assert.ok(!JSON.stringify(tc.report.toJSON()).includes(fx.sandbox.apiToken));
  });

  it("a page's entry shows the parameters it sent, resultLimit and resultStart included (seed example)", async () => {
    const tc = make({ apiResultLimit: 200 });
    tc.reportEnable();
    const indicators = tc.indicators();
    indicators.addFilter().addOwner('Example Community').addTag('APT');
    await indicators.retrieve();
    const entry = [...tc.report].find(
      (e): e is RequestEntry => e.kind === 'request' && e.requestUri === '/v2/tags/APT/indicators',
    );
    assert.ok(entry !== undefined);
    const url = `${fx.sandbox.baseUrl}/v2/tags/APT/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0`;
    assert.equal(entry.url, url);
    assert.ok(
      String(entry).endsWith(
        `${heading('Payload')}\n${row('Payload', "{'createActivityLog': 'false', 'owner': 'Example Community', 'resultLimit': '200', 'resultStart': '0'}")}\n`,
      ),
      String(entry),
    );
  });
});
