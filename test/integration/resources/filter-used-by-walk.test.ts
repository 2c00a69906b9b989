/**
 * "The filter objects are used up when a walk starts" (docs/filters.md, "Differences from the Python
 * SDK"). A walk read each filter object's requests when its turn came, so a filter added right after
 * `retrieve()` was called (not awaited yet), or to a later OR'd filter object while the first one was
 * being read, was sent and its results added; once the walk was over, the same call did nothing. A
 * filter object taken by a walk now refuses every change with a ValidationError.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FilterOperator, FilterSetOperator, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { resetSandbox, targets } from './support.js';

const OWNER = 'Example Community';

const refused = (method: string) => ({
  name: 'ValidationError',
  message: `${method}: this filter object was taken by a retrieval (retrieve() or stream()) and cannot change; add a new one with addFilter()`,
});

describe('a filter object taken by a walk cannot change', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;
  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 100 });
    tc = clientFor(sandbox, { concurrency: 1 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('a filter added after retrieve() was called is refused, and that retrieval sends only what it took', async () => {
    const container = tc.indicators();
    const filter = container.addFilter().addOwner(OWNER).addTag('APT');
    const walk = container.retrieve();
    assert.throws(() => filter.addTag('EXAMPLE'), refused('addTag'));
    assert.throws(() => filter.addPfRating(2), refused('addPfRating'));
    assert.throws(() => filter.addOwner('Common Community'), refused('addOwner'));
    assert.throws(() => filter.addFilterOperator(FilterSetOperator.OR), refused('addFilterOperator'));
    await walk;
    const sent = await targets(sandbox);
    assert.deepEqual(
      sent.filter((t) => t.startsWith('/v2/tags/EXAMPLE/')),
      [],
    );
    assert.ok(sent.some((t) => t.startsWith('/v2/tags/APT/')));
    // Over, the walk still holds it: no silent no-op either.
    assert.throws(() => filter.addTag('EXAMPLE'), refused('addTag'));
    // It still prints and reads as it was.
    assert.deepEqual(filter.owners, [OWNER]);
    assert.match(String(filter), /api filter by tag "APT"/);
  });

  it('a later OR-ed filter object cannot be widened while stream() reads the first', async () => {
    const container = tc.indicators();
    container.addFilter().addOwner(OWNER).addTag('APT');
    const second = container
      .addFilter()
      .addOwner(OWNER)
      .addFilterOperator(FilterSetOperator.OR)
      .addTag('APT');
    let seen = 0;
    for await (const indicator of container.stream()) {
      if (seen === 0) assert.throws(() => second.addTag('EXAMPLE'), refused('addTag'));
      seen += indicator.id > 0 ? 1 : 0;
    }
    assert.ok(seen > 0);
    const sent = await targets(sandbox);
    assert.deepEqual(
      sent.filter((t) => t.startsWith('/v2/tags/EXAMPLE/')),
      [],
    );
  });

  it('stream() takes the filter objects at its first next(); a call refused for its options takes none', async () => {
    const container = tc.indicators();
    const filter = container.addFilter().addOwner(OWNER);
    const stream = container.stream();
    filter.addTag('APT'); // nothing has started yet
    await assert.rejects(container.retrieve({ concurrency: 0 }), { name: 'ValidationError' });
    filter.addPfRating(0, FilterOperator.GE); // still open: the refused call took nothing
    await stream.next();
    assert.throws(() => filter.addTag('EXAMPLE'), refused('addTag'));
    await stream.return(undefined);
    const sent = await targets(sandbox);
    assert.ok(
      sent.some((t) => t.startsWith('/v2/tags/APT/')),
      sent.join(' '),
    );
  });
});
