/**
 * Listing answers the sandbox never gives but the API may (rest-api-v2.md 3.1 and 4.1), from a plain
 * HTTP server that answers what each test says: a page whose one item is an object rather than an
 * array, and a listing that is not paged (no `resultCount`) with more items than the page size.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RequestObject, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';

describe('listing shapes', () => {
  let server: http.Server;
  let baseUrl = '';
  /** The body of the next answers, by request path (without the query). */
  let answers = new Map<string, unknown>();
  /** The request targets received, in order. */
  let received: string[] = [];
  const clients: ThreatConnect[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const target = req.url ?? '';
      received.push(target);
      const path = target.split('?')[0] ?? '';
      const body = answers.get(path.replace(/^\/api/, ''));
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { status: 'Failure', message: 'The requested resource was not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  beforeEach(() => {
    answers = new Map();
    received = [];
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await new Promise((resolve) => server.close(resolve));
  });
  const make = (apiResultLimit = 500): ThreatConnect => {
    const tc = clientFor(
      { baseUrl, accessId: 'ID', secretKey: 'SECRET', defaultOrg: 'Example Org' } as Sandbox,
      { apiResultLimit },
    );
    clients.push(tc);
    return tc;
  };

  it('a page whose one item is an object, not an array, gives that item (it was read as an empty page)', async () => {
    const item = { id: 7, type: 'Host', summary: 'bad.example.com', ownerName: 'Example Org' };
    answers.set('/v2/indicators', { status: 'Success', data: { resultCount: 1, indicator: item } });
    const tc = make();
    const ro = new RequestObject().setHttpMethod('GET').setRequestUri('/v2/indicators');
    const items: unknown[] = [];
    for await (const page of tc.apiRequestPages(ro)) items.push(...page.items);
    assert.deepEqual(items, [item]);
    const container = tc.indicators();
    await container.retrieve();
    assert.deepEqual(
      [...container].map((i) => [i.id, i.summary]),
      [[7, 'bad.example.com']],
    );
  });

  it('a single-object answer whose object comes in an array of one gives that object (it was read as none)', async () => {
    const adversary = { id: 5, name: 'Bad Guy', ownerName: 'Example Org', dateAdded: '2015-06-18T20:21:45Z' };
    answers.set('/v2/groups/adversaries/5', { status: 'Success', data: { adversary: [adversary] } });
    const tc = make();
    const container = tc.adversaries();
    container.addFilter().addId(5);
    await container.retrieve();
    assert.deepEqual(
      [...container].map((g) => [g.id, g.name]),
      [[5, 'Bad Guy']],
    );
  });

  it('a listing without resultCount is one answer, read once, whatever its length', async () => {
    // rest-api-v2.md 4.1: `/indicators/{t}/{v}/owners` is not paged and gives no resultCount. Asking
    // for windows of the page size read the same owners again, and stream() handed them out twice.
    const owners = [1, 2, 3].map((id) => ({ id, name: `Owner ${id}`, type: 'Organization' }));
    answers.set('/v2/indicators/addresses/10.20.30.40/owners', {
      status: 'Success',
      data: { owner: owners },
    });
    const tc = make(2);
    const ro = new RequestObject()
      .setHttpMethod('GET')
      .setRequestUri('/v2/indicators/addresses/10.20.30.40/owners');
    const items: unknown[] = [];
    for await (const page of tc.apiRequestPages(ro)) items.push(...page.items);
    assert.deepEqual(items, owners);
    assert.equal(received.length, 1);
    const container = tc.owners();
    container.addFilter().addIndicator('10.20.30.40');
    const streamed: number[] = [];
    for await (const owner of container.stream()) streamed.push(owner.id);
    assert.deepEqual(streamed, [1, 2, 3]);
    assert.equal(received.length, 2);
    assert.equal(tc.report.resultsUnfiltered, 3);
  });
});
