/**
 * HMAC signing against the sandbox's own check (rest-api-v2.md 2.1, decisions.md 1.6): every attempt
 * is signed again with a fresh Timestamp, and the signed string is the target that goes on the wire,
 * for owners with reserved characters, names in paths, characters the URL parser rewrites, and
 * `createActivityLog` first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientOptions } from '../../../src/index.js';
import { quotePathSegment } from '../../../src/core/url.js';
import { call } from '../../helpers/signer.js';
import {
  activityLog,
  clearFaults,
  recordingClock,
  request,
  requestLog,
  setRules,
  setServerClock,
  useSandboxClient,
} from './support.js';

/** An organization whose name has a space, `&` and `+` (form-encoded as `+`, `%26`, `%2B`). */
const ORG = 'Acme & Partners + Co';
const ORG_QUERY = 'owner=Acme+%26+Partners+%2B+Co';

describe('signing against the sandbox', () => {
  const fx = useSandboxClient({ sandbox: { defaultOrg: ORG }, client: { apiRetries: 0 }, resetEach: true });
  const make = (options: Partial<ClientOptions> = {}) => fx.client(options);

  it('re-signs every attempt: a retry after both clocks moved 400 s still succeeds', async () => {
    await setRules(fx.sandbox, { kind: 'status', status: 503 });
    // During the retry wait, the client clock and the sandbox clock both move 400 s on: more than
    // the 300 s window, so a retry that reused the first Timestamp and signature would get a 401.
    const clock = recordingClock({
      onSleep: async () => {
        clock.offsetMs += 400_000;
        await setServerClock(fx.sandbox, 400);
        await clearFaults(fx.sandbox);
      },
    });
    const tc = make({ apiRetries: 1, apiSleep: 1, clock });
    const response = await tc.apiRequest(request('GET', '/v2/owners/mine'));
    assert.equal(response.status, 200);
    assert.equal(response.attempts, 2);
    assert.deepEqual(clock.sleeps, [750]);
    const log = await requestLog(fx.sandbox);
    assert.deepEqual(
      log.map((e) => [e.status, e.accessId]),
      [
        [503, fx.sandbox.accessId],
        [200, fx.sandbox.accessId],
      ],
    );
    const [first, second] = log.map((e) => Date.parse(e.time));
    assert.ok((second ?? 0) - (first ?? 0) >= 399_000, 'the second attempt came after the clock moved');

    // The control: a request signed with a Timestamp from before the move is refused now.
    const stale = await call(fx.sandbox, 'GET', '/v2/owners/mine?createActivityLog=false', {
      timestamp: Math.floor(Date.now() / 1000),
    });
    assert.equal(stale.status, 401);
    assert.deepEqual(stale.json(), { status: 'Failure', message: 'Timestamp out of acceptable time range' });
  });

  it('signs the form-encoded owner with a space, & and + exactly as sent', async () => {
    const tc = make();
    const name = `signed incident ${Date.now()}`;
    const created = await tc.apiRequest(
      request('POST', '/v2/groups/incidents', {
        owner: ORG,
        body: { name, eventDate: '2024-01-01T00:00:00Z' },
      }),
      { throwOnError: true },
    );
    assert.equal(created.status, 201);
    const listing = await tc.apiRequest(request('GET', '/v2/groups/incidents', { owner: ORG }), {
      throwOnError: true,
    });
    const incidents = listing.json<{ data: { incident: { name: string; ownerName: string }[] } }>().data
      .incident;
    assert.ok(incidents.some((g) => g.name === name && g.ownerName === ORG));
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => [e.method, e.target, e.status]),
      [
        ['POST', `/api/v2/groups/incidents?createActivityLog=false&${ORG_QUERY}`, 201],
        ['GET', `/api/v2/groups/incidents?createActivityLog=false&${ORG_QUERY}`, 200],
      ],
    );
  });

  it('signs a URL indicator in the path (quotePathSegment or encodeURIComponent)', async () => {
    const tc = make();
    const value = 'http://bad.example.com/a?b=c&d=e';
    const encoded = 'http%3A%2F%2Fbad.example.com%2Fa%3Fb%3Dc%26d%3De';
    assert.equal(quotePathSegment(value), encoded);
    assert.equal(encodeURIComponent(value), encoded);
    const response = await tc.apiRequest(
      request('GET', `/v2/indicators/urls/${quotePathSegment(value)}`, { owner: 'Example Community' }),
      { throwOnError: true },
    );
    assert.equal(response.json<{ data: { url: { id: number; text: string } } }>().data.url.text, value);
    const [entry] = await requestLog(fx.sandbox);
    assert.equal(
      entry?.target,
      `/api/v2/indicators/urls/${encoded}?createActivityLog=false&owner=Example+Community`,
    );
    assert.equal(entry.status, 200);
  });

  it('signs names whose two encodings differ, each exactly as it was sent', async () => {
    // quote(safe='~') encodes ' ( ) ! * and encodeURIComponent keeps them: two different wire
    // targets for one tag, both signed as sent.
    const tag = "it's (a) test!*";
    const quoted = quotePathSegment(tag);
    const component = encodeURIComponent(tag);
    assert.equal(quoted, 'it%27s%20%28a%29%20test%21%2A');
    assert.equal(component, "it's%20(a)%20test!*");
    const tc = make();
    const added = await tc.apiRequest(request('POST', `/v2/groups/incidents/804/tags/${quoted}`));
    assert.equal(added.status, 201);
    // Tags belong to an owner (decisions.md 2.4): the tag is incident 804's owner's, Example Org.
    const read = await tc.apiRequest(request('GET', `/v2/tags/${component}`, { owner: 'Example Org' }), {
      throwOnError: true,
    });
    assert.equal(read.json<{ data: { tag: { name: string } } }>().data.tag.name, tag);
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => [e.target, e.status]),
      [
        [`/api/v2/groups/incidents/804/tags/${quoted}?createActivityLog=false`, 201],
        [`/api/v2/tags/${component}?createActivityLog=false&owner=Example+Org`, 200],
      ],
    );
  });

  it('signs the target the URL parser produces when it rewrites the request URI', async () => {
    // A raw non-ASCII name, `{` `}` and a dot segment are rewritten by the WHATWG URL parser
    // undici uses; the client signs the rewritten form, so the sandbox accepts the signature.
    const tc = make();
    // In Example Org, which has the tag APT (tags belong to an owner, decisions.md 2.4).
    const cases: [string, string][] = [
      ['/v2/tags/caf\u00e9', '/api/v2/tags/caf%C3%A9?createActivityLog=false&owner=Example+Org'],
      ['/v2/tags/a{b}', '/api/v2/tags/a%7Bb%7D?createActivityLog=false&owner=Example+Org'],
      ['/v2/tags/nothing/../APT', '/api/v2/tags/APT?createActivityLog=false&owner=Example+Org'],
    ];
    const statuses: number[] = [];
    for (const [uri] of cases) {
      const ro = request('GET', uri, { owner: 'Example Org' });
      const response = await tc.apiRequest(ro);
      statuses.push(response.status);
      const { pathname, search } = new URL(response.url);
      assert.equal(pathname + search, cases.find(([u]) => u === uri)?.[1]);
    }
    assert.deepEqual(statuses, [404, 404, 200]);
    assert.deepEqual(
      (await requestLog(fx.sandbox)).map((e) => [e.target, e.status]),
      cases.map(([, target], i) => [target, statuses[i]]),
    );
  });

  describe('activity log', () => {
    it('off (the default): createActivityLog=false comes first and the activity log stays empty', async () => {
      const tc = make();
      const ro = request('GET', '/v2/groups/incidents', { owner: 'Example Community' });
      ro.addPayload('resultLimit', 5);
      assert.equal((await tc.apiRequest(ro)).status, 200);
      const [entry] = await requestLog(fx.sandbox);
      assert.equal(
        entry?.target,
        '/api/v2/groups/incidents?createActivityLog=false&owner=Example+Community&resultLimit=5',
      );
      assert.deepEqual(await activityLog(fx.sandbox), []);
    });

    it('on: createActivityLog=true is the first parameter, and the sandbox records the request', async () => {
      const tc = make();
      tc.setActivityLog(true);
      // Even a request object with no createActivityLog of its own gets it, first.
      const ro = request('GET', '/v2/groups/incidents');
      ro.emptyPayload().addPayload('owner', 'Example Community').addPayload('resultLimit', 5);
      assert.equal((await tc.apiRequest(ro)).status, 200);
      const target = '/api/v2/groups/incidents?createActivityLog=true&owner=Example+Community&resultLimit=5';
      assert.deepEqual(
        (await requestLog(fx.sandbox)).map((e) => e.target),
        [target],
      );
      assert.deepEqual(
        (await activityLog(fx.sandbox)).map((e) => [e.method, e.target, e.status]),
        [['GET', target, 200]],
      );

      tc.setActivityLog(false);
      assert.equal((await tc.apiRequest(request('GET', '/v2/owners/mine'))).status, 200);
      assert.equal((await activityLog(fx.sandbox)).length, 1, 'off again: nothing more recorded');
    });
  });
});
