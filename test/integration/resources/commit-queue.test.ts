/**
 * The queue of a commit in flight, changed meanwhile (item-core.ts: "each queued request leaves the
 * queue once the server has accepted it … nothing fails silently"): `discardPending()` and a step
 * queued after it, a `setDescription()` that replaces a queued one, and a committed document's
 * `upload()` over an upload still queued. The test holds the chosen request at the requester until it
 * says so, so the order of events is fixed without any timing.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { ApiResponse, RequestObject, ThreatConnect } from '../../../src/index.js';
import type { RequestOptions, Requester } from '../../../src/pipeline/requester.js';
import type { ResourceContext } from '../../../src/resources/context.js';
import { createGroup, createIndicator } from '../../../src/resources/create.js';
import { GROUP_KIND_BY_TYPE } from '../../../src/resources/kinds.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { contextFor } from '../../helpers/resources.js';
import { requestLog, setRules, useSandboxClient } from '../../helpers/sandbox.js';

/** A context whose requester holds the first request `held` picks until `release()`. */
function heldContext(tc: ThreatConnect, held: (ro: RequestObject) => boolean) {
  const base = contextFor(tc);
  const inner = base.requester;
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = true;
  const requester: Requester = {
    get config() {
      return inner.config;
    },
    get logger() {
      return inner.logger;
    },
    get recorder() {
      return inner.recorder;
    },
    async request(ro: RequestObject, options?: RequestOptions): Promise<ApiResponse> {
      if (holding && held(ro)) {
        holding = false;
        arrived();
        await gate;
      }
      return inner.request(ro, options);
    },
    pages: (ro, options) => inner.pages(ro, options),
    listing: (ro, options) => inner.listing(ro, options),
  };
  const context: ResourceContext = { ...base, requester };
  return { context, arrival, release };
}

const isTagPost = (ro: RequestObject) => ro.httpMethod === 'POST' && (ro.requestUri ?? '').includes('/tags/');

describe('a commit whose queue changes while a step is in flight', () => {
  const fixture = useSandboxClient({ resetEach: true });
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  beforeEach(() => {
    sandbox = fixture.sandbox;
    tc = fixture.client();
  });

  /** The tag POSTs of the request log, by tag name, in order. */
  const tagPosts = async (value: string): Promise<string[]> =>
    (await requestLog(sandbox))
      .filter((e) => e.method === 'POST' && e.target.includes(`/hosts/${value}/tags/`))
      .map((e) => decodeURIComponent(e.target.split('/tags/')[1]?.split('?')[0] ?? ''));

  /**
   * A committed host `value` with `tags` queued, whose next commit is under way with the first tag's
   * request held: `release()` lets it go, `commit` is that commit.
   */
  const commitHeldAtFirstTag = async (value: string, tags: readonly string[]) => {
    const { context, arrival, release } = heldContext(tc, isTagPost);
    const host = createIndicator(value, sandbox.defaultOrg, undefined, context);
    await host.commit();
    for (const tag of tags) host.addTag(tag);
    const commit = host.commit();
    await arrival;
    return { host, commit, release };
  };

  it('discardPending() then a new step: the new step is sent, the discarded ones are not', async () => {
    const { host, commit, release } = await commitHeldAtFirstTag('discard.example.com', ['x', 'y']);
    assert.deepEqual(host.discardPending(), ['addTag("x")', 'addTag("y")']);
    host.addTag('z');
    release();
    await commit;
    // It used to drop `z` unsent: the commit removed the first step of the queue, which was `z` by then.
    assert.deepEqual(host.pendingChanges, []);
    assert.deepEqual(await tagPosts('discard.example.com'), ['x', 'z']);
    assert.deepEqual((await host.loadTags()).sort(), ['x', 'z']);
  });

  it('setDescription() during a commit: every step is sent once, the description last', async () => {
    const { host, commit, release } = await commitHeldAtFirstTag('describe.example.com', ['a', 'b']);
    host.setDescription('Seen in a phishing run');
    release();
    await commit;
    // It used to leave `a` and `b` queued after the server had taken them, for the next commit to send again.
    assert.deepEqual(host.pendingChanges, []);
    await host.commit();
    assert.deepEqual(await tagPosts('describe.example.com'), ['a', 'b']);
    const descriptions = (await requestLog(sandbox)).filter(
      (e) => e.method === 'POST' && e.target.includes('/hosts/describe.example.com/attributes'),
    );
    assert.equal(descriptions.length, 1);
  });

  it("a field set while its update is in flight keeps the newer value, not the answer's", async () => {
    const isPut = (ro: RequestObject) => ro.httpMethod === 'PUT';
    const { context, arrival, release } = heldContext(tc, isPut);
    const host = createIndicator('inflight.example.com', sandbox.defaultOrg, undefined, context);
    await host.setRating(1).setConfidence(10).commit();
    host.setRating(2).setConfidence(20);
    const commit = host.commit();
    await arrival;
    host.setRating(4);
    release();
    await commit;
    // It used to read 2 back from the answer while 4 waited to be sent.
    assert.equal(host.rating, 4);
    assert.equal(host.confidence, 20);
    assert.deepEqual(host.pendingChanges, ['update (rating)']);
    await host.commit();
    assert.deepEqual(host.pendingChanges, []);
    const read = tc.indicators();
    read.addFilter().addIndicator('inflight.example.com');
    await read.retrieve();
    assert.deepEqual(
      [...read].map((i) => [i.rating, i.confidence]),
      [[4, 20]],
    );

    const kind = GROUP_KIND_BY_TYPE.get('Document');
    assert.ok(kind !== undefined);
    const held = heldContext(tc, (ro) => ro.httpMethod === 'POST');
    const doc = createGroup(kind, 'In flight', sandbox.defaultOrg, held.context);
    (doc as unknown as { setFileName(name: string): unknown }).setFileName('a.txt');
    const created = doc.commit();
    await held.arrival;
    (doc as unknown as { setFileName(name: string): unknown }).setFileName('b.txt');
    held.release();
    await created;
    assert.equal(doc.fileName, 'b.txt');
    assert.deepEqual(doc.pendingChanges, ['update (fileName)']);
  });

  it("a committed document's upload() drops an older upload still queued", async () => {
    const kind = GROUP_KIND_BY_TYPE.get('Document');
    assert.ok(kind !== undefined);
    const doc = createGroup(kind, 'Queue test', sandbox.defaultOrg, contextFor(tc));
    (doc as unknown as { setFileName(name: string): unknown }).setFileName('queue.txt');
    await doc.upload('OLD');
    // The create is taken, the queued upload refused: it stays queued.
    await setRules(sandbox, {
      kind: 'status',
      status: 400,
      method: 'POST',
      pathPrefix: '/v2/groups/documents/',
    });
    await assert.rejects(doc.commit());
    assert.equal(doc.phase, 'clean');
    assert.deepEqual(doc.pendingChanges, ['upload(3 bytes)']);
    await setRules(sandbox);
    await doc.upload('NEW');
    assert.deepEqual(doc.pendingChanges, []);
    await doc.commit();
    // It used to send the queued POST of OLD at this commit, over the NEW content.
    assert.equal(String(await doc.download()), 'NEW');
  });
});
