/**
 * `tc.bulk(owner)` against the sandbox: `status()`, `json()` (the same indicator objects as
 * `tc.indicators().stream()` with tags and attributes, custom types as generic indicators), `csv()`,
 * `runNow`, the report, retries before the body, abort, a body cut short, and the errors: bad owner and
 * options (ValidationError), an owner the server refuses (AuthenticationError), and bodies that are not
 * a bulk report (InvalidResponseError), served by a plain local server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  Indicator,
  InvalidResponseError,
  type RequestEntry,
  type ThreatConnect,
  ValidationError,
} from '../../../src/index.js';
import { sampleData } from '../../../src/sandbox/index.js';
import { requestLog, setRules, setServerClock, useSandboxClient } from '../../helpers/sandbox.js';
import { clientFor } from '../../helpers/client.js';
import { startStubApi } from '../../helpers/stub-api.js';

const OWNER = 'Example Community';
const SEED = 300;

/** What two reads of an indicator must agree on. */
function view(i: Indicator): Record<string, unknown> {
  return {
    id: i.id,
    type: i.type,
    summary: i.summary,
    ownerName: i.ownerName,
    rating: i.rating,
    confidence: i.confidence,
    dateAdded: i.dateAdded,
    lastModified: i.lastModified,
    description: i.description,
    webLink: i.webLink,
    values: { ...i.values },
    tags: i.tags,
    attributes: i.attributes?.map((a) => ({ ...a })),
  };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('tc.bulk(owner)', () => {
  const fx = useSandboxClient({ sandbox: { seedIndicators: SEED }, resetEach: true });

  it('status() reads the un-enveloped bulkStatus, typed', async () => {
    const status = await fx.client().bulk(OWNER).status();
    assert.equal(status.name, OWNER);
    assert.equal(status.csvEnabled, true);
    assert.equal(status.jsonEnabled, true);
    assert.equal(status.status, 'Complete');
    assert.equal(typeof status.lastRun, 'string');
    assert.equal(Date.parse(status.nextRun ?? '') - Date.parse(status.lastRun ?? ''), 86_400_000);
  });

  it('json() yields the indicators stream() gives with tags and attributes, custom types included', async () => {
    const tc = fx.client();
    const bulk = await all(tc.bulk(OWNER).json());
    const container = tc.indicators();
    container.addFilter().addOwner(OWNER);
    const paged = await all(container.stream({ includeTags: true, includeAttributes: true }));
    assert.ok(bulk.length > 50);
    assert.ok(bulk.every((i) => i instanceof Indicator));
    assert.deepEqual(bulk.map(view), paged.map(view));
    // Both reads share the SDK's parsing, so the fields are also checked against the seed data itself.
    const seeded = sampleData(SEED)
      .indicators.filter((i) => i.ownerName === OWNER && i.active)
      .sort((a, b) => a.id - b.id);
    /** The fields compared, of an indicator read or of a seeded one. */
    const row = (i: {
      id: number;
      type: string;
      summary: string;
      ownerName?: string | undefined;
      rating?: number | undefined;
      confidence?: number | undefined;
      dateAdded?: string | undefined;
      lastModified?: string | undefined;
      tags?: readonly string[] | undefined;
      attributes?: readonly { type: string; value: string }[] | undefined;
    }): unknown[] => [
      i.id,
      i.type,
      i.summary,
      i.ownerName,
      i.rating,
      i.confidence,
      i.dateAdded,
      i.lastModified,
      i.tags === undefined ? undefined : [...i.tags].sort(),
      i.attributes?.map((a) => [a.type, a.value]),
    ];
    assert.deepEqual(bulk.map(row), seeded.map(row));
    const asn = bulk.find((i) => i.type === 'ASN');
    assert.ok(asn, 'the sample data has ASN indicators in this owner');
    assert.match(asn.summary, /^ASN\d+$/);
    const host = bulk.find((i) => i.id === 355999);
    assert.deepEqual(host?.tags, ['APT']);
    assert.equal(host.description, 'TEST attribute #14');
  });

  it('csv() yields { type, value, rating, confidence } rows, null where the report says null', async () => {
    const tc = fx.client();
    const rows = await all(tc.bulk(OWNER).csv());
    const indicators = await all(tc.bulk(OWNER).json());
    assert.deepEqual(
      rows,
      indicators.map((i) => ({
        type: i.type,
        value: i.summary,
        rating: i.rating ?? null,
        confidence: i.confidence ?? null,
      })),
    );
    assert.ok(rows.some((r) => r.confidence === null));
    assert.deepEqual(
      rows.find((r) => r.value === 'www.badguy_014.com'),
      { type: 'Host', value: 'www.badguy_014.com', rating: 1, confidence: 14 },
    );
  });

  it('runNow rebuilds the report first', async () => {
    const tc = fx.client();
    const before = await tc.bulk('Example Org').status();
    const host = tc.indicators().add('bulk-sdk.example.com', 'Example Org');
    await host.setConfidence(70).commit();
    const stale = await all(tc.bulk('Example Org').csv());
    assert.ok(!stale.some((r) => r.value === 'bulk-sdk.example.com'));
    await setServerClock(fx.sandbox, 60);
    const fresh = await all(tc.bulk('Example Org').json({ runNow: true }));
    assert.equal(fresh.find((i) => i.summary === 'bulk-sdk.example.com')?.confidence, 70);
    const after = await tc.bulk('Example Org').status({ runNow: true });
    assert.ok(Date.parse(after.lastRun ?? '') >= Date.parse(before.lastRun ?? '') + 60_000);
    const log = await requestLog(fx.sandbox);
    assert.ok(
      log.some((e) => e.target.includes('/v2/indicators/bulk/json?') && e.target.includes('runNow=true')),
    );
    await host.delete();
  });

  it('counts each download as one call in the report, with its results', async () => {
    const tc = fx.client();
    tc.reportEnable();
    const items = await all(tc.bulk(OWNER).json());
    // The other entry is the type table, read once for the custom type ASN.
    const entries = tc.report.entries.filter(
      (e): e is RequestEntry => e.kind === 'request' && e.requestUri !== '/v2/types/indicatorTypes',
    );
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.status, 200);
    assert.equal(entries[0].requestUri, '/v2/indicators/bulk/json');
    assert.equal(tc.report.resultsUnfiltered, items.length);
    assert.equal(tc.report.resultsFiltered, items.length);
  });

  it('retries a 503 before the body starts, and the items come once', async () => {
    const tc = fx.client();
    const expected = (await all(tc.bulk(OWNER).json())).length;
    // every 2: the first matching download passes; the second one's first attempt gets the 503, and
    // its retry (the third matching request) passes.
    await setRules(fx.sandbox, {
      kind: 'status',
      status: 503,
      every: 2,
      pathPrefix: '/v2/indicators/bulk/json',
    });
    assert.equal((await all(tc.bulk(OWNER).json())).length, expected);
    tc.reportEnable();
    const items = await all(tc.bulk(OWNER).json());
    assert.equal(items.length, expected);
    assert.equal(new Set(items.map((i) => i.id)).size, expected);
    const [entry] = tc.report.entries.filter(
      (e): e is RequestEntry => e.kind === 'request' && e.requestUri === '/v2/indicators/bulk/json',
    );
    assert.deepEqual(
      entry?.attempts.map((a) => a.status),
      [503, 200],
    );
  });

  it('ends with ConnectionError when the body is cut short, after the items read before it', async () => {
    const tc = fx.client();
    await setRules(fx.sandbox, { kind: 'truncate', pathPrefix: '/v2/indicators/bulk/json' });
    let count = 0;
    await assert.rejects(
      (async () => {
        for await (const indicator of tc.bulk(OWNER).json()) if (indicator.id >= 0) count += 1;
      })(),
      ConnectionError,
    );
    assert.ok(count > 0, 'the items before the cut were yielded');
  });

  it('stops with AbortError when the signal fires mid-download, and before any request when aborted already', async () => {
    const tc = fx.client();
    const controller = new AbortController();
    let count = 0;
    await assert.rejects(
      (async () => {
        for await (const indicator of tc.bulk(OWNER).json({ signal: controller.signal })) {
          if (indicator.id >= 0) count += 1;
          if (count === 3) controller.abort();
        }
      })(),
      AbortError,
    );
    assert.equal(count, 3);
    const log = (await requestLog(fx.sandbox)).length;
    await assert.rejects(all(tc.bulk(OWNER).csv({ signal: controller.signal })), AbortError);
    assert.equal((await requestLog(fx.sandbox)).length, log, 'no request after an abort');
  });

  it('refuses a bad owner or bad options with ValidationError, before any request', () => {
    const tc = fx.client();
    assert.throws(() => tc.bulk(''), { name: 'ValidationError', message: 'bulk: "" is not an owner name' });
    assert.throws(() => tc.bulk(42 as unknown as string), {
      name: 'ValidationError',
      message: 'bulk: 42 is not an owner name',
    });
    assert.throws(() => tc.bulk(OWNER).json({ runNow: 'yes' as unknown as boolean }), {
      name: 'ValidationError',
      message: 'json: `runNow` must be true or false, got "yes"',
    });
    assert.throws(() => tc.bulk(OWNER).csv({ signal: 'now' as unknown as AbortSignal }), ValidationError);
  });

  it('throws AuthenticationError (403) for an owner the server does not know or refuses', async () => {
    const tc = fx.client();
    const expect = { name: 'AuthenticationError', status: 403, message: 'The requested owner was not found' };
    await assert.rejects(tc.bulk('No Such Owner').status(), expect);
    await assert.rejects(all(tc.bulk('No Such Owner').json()), expect);
    await assert.rejects(all(tc.bulk('No Such Owner').csv()), expect);
    const restricted = fx.track(
      clientFor(fx.sandbox, {
        accessId: fx.sandbox.restrictedUser.accessId,
        secretKey: fx.sandbox.restrictedUser.secretKey,
      }),
    );
    await assert.rejects(all(restricted.bulk(OWNER).json()), (error: unknown) => {
      assert.ok(error instanceof AuthenticationError);
      assert.equal(error.message, 'Access Denied');
      return true;
    });
  });
});

describe('tc.bulk(owner) with a body that is not a bulk report', () => {
  /** A server answering 200 with `body` to anything, and a client of it. */
  async function serving(body: string, contentType: string, run: (tc: ThreatConnect) => Promise<void>) {
    const stub = await startStubApi((_req, res) => {
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    try {
      await run(stub.tc);
    } finally {
      await stub.close();
    }
  }

  const cases: [string, string, string][] = [
    [
      'a document cut short',
      '{"indicator":[{"id":1,"type":"Host","summary":"a.example.com"},{"id":2,',
      'The bulk JSON report of owner "Example Org" ended early at byte 71, inside an element',
    ],
    [
      'an element that is not JSON',
      '{"indicator":[{"id":1,"type":tru}]}',
      'The bulk JSON report of owner "Example Org" holds a value that is not valid JSON: "{\\"id\\":1,\\"type\\":tru}"',
    ],
    [
      'a failure envelope',
      '{"status":"Failure","message":"Bulk download is not enabled"}',
      'The bulk JSON report of owner "Example Org" has no "indicator" array',
    ],
    [
      'an array where the object belongs',
      '[{"id":1}]',
      'The bulk JSON report of owner "Example Org" has "[" at byte 0 where a JSON object was expected',
    ],
    [
      'an element that is not an object',
      '{"indicator":[7]}',
      'The bulk JSON report of owner "Example Org" holds 7 where an indicator object was expected',
    ],
  ];
  for (const [what, body, message] of cases) {
    it(`json() throws InvalidResponseError for ${what}`, async () => {
      await serving(body, 'application/json', async (tc) => {
        await assert.rejects(all(tc.bulk('Example Org').json()), (error: unknown) => {
          assert.ok(error instanceof InvalidResponseError, String(error));
          assert.equal(error.message, message);
          assert.equal(error.status, 200);
          assert.equal(error.contentType, 'application/json');
          return true;
        });
      });
    });
  }

  it('json() yields the items before the place where the document goes wrong', async () => {
    await serving(
      '{"indicator":[{"id":1,"type":"Host","summary":"a.example.com"},]}',
      'application/json',
      async (tc) => {
        const seen: number[] = [];
        await assert.rejects(
          (async () => {
            for await (const i of tc.bulk('Example Org').json()) seen.push(i.id);
          })(),
          {
            name: 'InvalidResponseError',
            message:
              'The bulk JSON report of owner "Example Org" has "]" at byte 63 where an array element was expected',
          },
        );
        assert.deepEqual(seen, [1]);
      },
    );
  });

  const csvCases: [string, string, string][] = [
    [
      'a header without the columns',
      'type,value\r\nHost,a.example.com\r\n',
      'The bulk CSV report of owner "Example Org" has no Rating, Confidence columns in its header line "type,value"',
    ],
    [
      'a row with too few fields',
      'Type,Value,Rating,Confidence\r\nHost,a.example.com,3.00\r\n',
      'The bulk CSV report of owner "Example Org" has 3 fields on line 2, not 4 as in its header',
    ],
    [
      'a rating that is not a number',
      'Type,Value,Rating,Confidence\r\nHost,a.example.com,high,5\r\n',
      'The bulk CSV report of owner "Example Org" has Rating "high" on line 2, not a number or null',
    ],
    [
      'an end inside a quoted field',
      'Type,Value,Rating,Confidence\r\nHost,"a.example.com',
      'The bulk CSV report of owner "Example Org" ended inside a quoted field (line 2)',
    ],
    ['an empty body', '', 'The bulk CSV report of owner "Example Org" is empty: it has no header line'],
  ];
  for (const [what, body, message] of csvCases) {
    it(`csv() throws InvalidResponseError for ${what}`, async () => {
      await serving(body, 'text/csv', async (tc) => {
        await assert.rejects(all(tc.bulk('Example Org').csv()), {
          name: 'InvalidResponseError',
          message,
        });
      });
    });
  }

  it('status() throws InvalidResponseError without a bulkStatus object', async () => {
    await serving('{"status":"Success","data":{}}', 'application/json', async (tc) => {
      await assert.rejects(tc.bulk('Example Org').status(), {
        name: 'InvalidResponseError',
        message: 'The bulk status of owner "Example Org" has no bulkStatus object',
      });
    });
  });
});
