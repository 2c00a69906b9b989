/**
 * Seed review, "Reporting" > "Report Entries": "All API requests and Post Filters are stored as a
 * report entry", and iterating `tc.report` gives them in the order they happened. The original ran a
 * filter object's post filters on the results of its requests, so each post-filter entry follows the
 * request entries it narrowed (sdk-behaviour.md 3.6). A walk that fails records no post-filter entry,
 * as the original raised before recording them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterOperator, FilterSetOperator, NotFoundError } from '../../../src/index.js';
import { setRules, useSandboxClient } from '../../helpers/sandbox.js';

const OWNER = 'Example Community';

describe('seed review: report entries in the order they happened', () => {
  const fx = useSandboxClient({ resetEach: true });

  it("a filter object's post-filter entries follow its request entries", async () => {
    const tc = fx.client();
    tc.reportEnable();
    const indicators = tc.indicators();
    indicators
      .addFilter()
      .addOwner(OWNER)
      .addTag('APT')
      .addPfRating('2.0', FilterOperator.GE)
      .addPfConfidence(50, FilterOperator.GE);
    indicators
      .addFilter()
      .addOwner(OWNER)
      .addFilterOperator(FilterSetOperator.OR)
      .addThreatId(38)
      .addPfRating('2.0', FilterOperator.GE);
    await indicators.retrieve();
    assert.deepEqual(
      [...tc.report].map((e) => `${e.kind} ${e.description}`),
      [
        'request api filter by tag "APT"',
        'postFilter post filter by rating GE 2.0',
        'postFilter post filter by confidence GE 50',
        'request api filter by threat id 38',
        'postFilter post filter by rating GE 2.0',
      ],
    );
    assert.equal(tc.report.postFilters, 3);
  });

  it("with several owners, each owner's requests and then its post-filter entries, owner by owner", async () => {
    const tc = fx.client();
    tc.reportEnable();
    const indicators = tc.indicators();
    indicators
      .addFilter()
      .addOwner([OWNER, 'Common Community'])
      .addTag('APT')
      .addSecurityLabel('TLP Green')
      .addPfRating('2.0', FilterOperator.GE);
    await indicators.retrieve();
    const owners = [OWNER, 'Common Community'];
    assert.deepEqual(
      [...tc.report].map((e) =>
        e.kind === 'request'
          ? `request ${e.description ?? ''} for ${new URL(e.url).searchParams.get('owner') ?? ''}`
          : `${e.kind} ${e.description}`,
      ),
      owners.flatMap((owner) => [
        `request api filter by tag "APT" for ${owner}`,
        `request api filter by security label "TLP Green" for ${owner}`,
        'postFilter post filter by rating GE 2.0',
      ]),
    );
    assert.equal(tc.report.postFilters, 2);
  });

  it('a retrieval that fails records no post-filter entry', async () => {
    const tc = fx.client({ apiRetries: 0 });
    tc.reportEnable();
    await setRules(fx.sandbox, { kind: 'status', status: 404, pathPrefix: '/v2/tags' });
    const indicators = tc.indicators();
    indicators.addFilter().addOwner(OWNER).addTag('APT').addPfRating('2.0', FilterOperator.GE);
    await assert.rejects(indicators.retrieve(), NotFoundError);
    assert.deepEqual(
      [...tc.report].map((e) => e.kind),
      ['request'],
    );
    assert.equal(tc.report.postFilters, 0);
  });
});
