/**
 * Which 404 the retrieval engine reads as an empty result (src/resources/retrieval.ts): the request's,
 * as the original did, never one met while parsing an object (the type table a custom type waits for),
 * which would drop the rest of a listing without a word. The listing and the type table are replaced
 * in the client's resource context, so no server is needed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError, ThreatConnect } from '../../../src/index.js';
import type { ResourceContext } from '../../../src/resources/context.js';

const MISSING = 'The requested resource was not found';

function host(id: number): Record<string, unknown> {
  return { id, type: 'Host', hostName: `h${id}.example.com`, ownerName: 'Example Org' };
}

/** A client whose listings answer `pages`, and whose type table read answers `kinds()`. */
function clientWith(pages: Record<string, unknown>[][], kinds: () => Promise<never>) {
  const tc = new ThreatConnect({
    accessId: 'ID',
    secretKey: 'SECRET',
    defaultOrg: 'Example Org',
    baseUrl: 'http://127.0.0.1:9/api',
  });
  const container = tc.indicators();
  const context = (container as unknown as { context: ResourceContext }).context;
  const requester = context.requester as unknown as { listing: () => AsyncIterable<{ items: unknown[] }> };
  requester.listing = () =>
    (async function* () {
      for (const items of pages) {
        await Promise.resolve();
        yield { items };
      }
    })();
  // Both reads of the type table: a listing's parse uses the one for reading (which, in the client,
  // reads a refused table as the built-in types alone; replaced here, the guard below is what is left).
  const patched = context as unknown as Record<
    'indicatorKinds' | 'indicatorKindsForReading',
    () => Promise<never>
  >;
  patched.indicatorKinds = kinds;
  patched.indicatorKindsForReading = kinds;
  return { tc, container };
}

describe('retrieval and 404s', () => {
  it("reads the listing's own 404 as an empty result", async () => {
    const { tc, container } = clientWith([[host(1)]], () => Promise.reject(new Error('unused')));
    const requester = (container as unknown as { context: ResourceContext }).context.requester as unknown as {
      listing: () => AsyncIterable<unknown>;
    };
    requester.listing = () =>
      (async function* () {
        await Promise.resolve();
        yield* [];
        throw new NotFoundError(MISSING, { status: 404 });
      })();
    container.addFilter().addOwner('Example Org');
    await container.retrieve();
    assert.equal(container.length, 0);
    await tc.close();
  });

  it('throws a 404 met while parsing a custom type, rather than dropping the rest of the listing', async () => {
    const custom = { id: 2, type: 'Registry Key', summary: 'HKLM\\x', ownerName: 'Example Org' };
    const { tc, container } = clientWith([[host(1), custom, host(3)], [host(4)]], () =>
      Promise.reject(new NotFoundError(MISSING, { status: 404 })),
    );
    container.addFilter().addOwner('Example Org');
    await assert.rejects(container.retrieve(), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.message, MISSING);
      return true;
    });
    assert.equal(container.length, 0, 'a failed retrieval adds nothing');
    const seen: number[] = [];
    const again = tc.indicators();
    again.addFilter().addOwner('Example Org');
    await assert.rejects(async () => {
      for await (const indicator of again.stream()) seen.push(indicator.id);
    }, NotFoundError);
    // The objects before the custom one in its page had not been handed out when it failed.
    assert.deepEqual(seen, []);
    await tc.close();
  });
});
