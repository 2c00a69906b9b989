/**
 * Filter and object values that used to be accepted and then misread, each a ValidationError now, or
 * read as the spec says: names that are dot segments (`.`, `..`), values of a typed filter object,
 * impossible or non-ISO dates, numbers written in hex or with an exponent; and dates compared in
 * whole seconds, UTC when the wire gives no zone, whatever the machine's time zone.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FilterOperator, IndicatorType, ValidationError } from '../../../src/index.js';
import { unreachableClient } from '../../helpers/client.js';
import { createPostFilter } from '../../../src/filters/post-filters.js';

/** A client that is never asked to send anything (a closed port). */
const tc = unreachableClient();
after(() => tc.close());

const rejects = (fn: () => unknown, message: string): void => {
  assert.throws(fn, (e: unknown) => e instanceof ValidationError && e.message === message, message);
};

const dots = (label: string, value: string): string =>
  `${JSON.stringify(value)} cannot be ${label} in a request path: URL parsers read "." and ".." as dot segments, so the request would reach another resource`;

describe('filter and object values', () => {
  it('"." and ".." are refused as tags, labels and indicator values: /v2/tags/../indicators is /v2/indicators', () => {
    for (const value of ['.', '..']) {
      for (const filter of [
        tc.indicators().addFilter(),
        tc.adversaries().addFilter(),
        tc.victims().addFilter(),
      ]) {
        rejects(() => filter.addTag(value), dots('a tag', value));
        rejects(() => filter.addSecurityLabel(value), dots('a security label', value));
      }
      rejects(
        () => tc.indicators().add(value, undefined, IndicatorType.HOSTS),
        dots('an indicator value', value),
      );
      const host = tc.indicators().add('bad.example.com');
      rejects(() => host.addTag(value), dots('a tag', value));
      rejects(() => host.addSecurityLabel(value), dots('a security label', value));
      rejects(() => host.setSecurityLabel(value), dots('a security label', value));
      rejects(() => host.deleteSecurityLabel(value), dots('a security label', value));
      rejects(() => host.deleteTag(value), dots('a tag', value));
      assert.deepEqual(host.pendingChanges, ['create']);
    }
    // Dots inside a name are fine, and so is a name that only looks like an encoded dot.
    const filter = tc.indicators().addFilter().addTag('...').addTag('a.b').addTag('%2e');
    assert.deepEqual(
      filter.apiRequests.map((r) => r.requestUri),
      ['/v2/tags/.../indicators', '/v2/tags/a.b/indicators', '/v2/tags/%252e/indicators'],
    );
  });

  it('a typed filter object looks any value up under its own type, as a type override does, but a dot segment', () => {
    // The API holds values no default pattern takes (an underscore in a host name), which only a typed
    // filter object can ask for; the original accepted them too (its check took a match of a prefix).
    const hosts = tc.indicators().addFilter(IndicatorType.HOSTS).addIndicator('www.badguy_014.com');
    assert.deepEqual(
      hosts.apiRequests.map((r) => r.requestUri),
      ['/v2/indicators/hosts/www.badguy_014.com'],
    );
    const typed = tc.indicators().addFilter(IndicatorType.HOSTS).addIndicator('10.20.30.40');
    assert.deepEqual(
      typed.apiRequests.map((r) => r.requestUri),
      ['/v2/indicators/hosts/10.20.30.40'],
    );
    for (const value of ['.', '..']) {
      for (const filter of [
        tc.indicators().addFilter(IndicatorType.HOSTS),
        tc.indicators().addFilter(IndicatorType.CUSTOM_INDICATORS, 'asn'),
      ]) {
        rejects(() => filter.addIndicator(value), dots('an indicator', value));
      }
    }
  });

  it('a date that does not exist, or that is not ISO 8601, is refused by the date post filters and setModifiedSince', () => {
    for (const bad of [
      '2015-02-30',
      '2015-06-31T00:00:00Z',
      '2015-06-17T24:00:00Z',
      '2015-06-17T20:61:00Z',
      '2015-06-17T20:21:45+25:00',
      'June 17, 2015',
      '1',
      'foo 2015',
    ]) {
      rejects(
        () => tc.indicators().addFilter().addPfDateAdded(bad),
        `addPfDateAdded: ${JSON.stringify(bad)} is not a valid date (use a Date or an ISO 8601 string)`,
      );
      rejects(
        () => tc.indicators().setModifiedSince(bad),
        `setModifiedSince: ${JSON.stringify(bad)} is not a valid date`,
      );
    }
    for (const good of [
      '2016-02-29',
      '2015-06-17T20:21:45Z',
      '2015-06-17T20:21:45.123-05:00',
      '2015-06-17T20:21:45+0530',
      '2015-06-17T20:21',
    ]) {
      assert.doesNotThrow(() => tc.indicators().addFilter().addPfLastModified(good), good);
      assert.doesNotThrow(() => tc.indicators().setModifiedSince(good), good);
    }
  });

  it('numbers given as strings are decimal: hex, exponents and words are refused', () => {
    for (const bad of ['0x3', '1e0', 'Infinity', '3 4', '']) {
      rejects(
        () => createPostFilter('addPfRating', bad, FilterOperator.EQ),
        `addPfRating: ${JSON.stringify(bad)} is not a rating from 0 to 5`,
      );
      rejects(
        () => createPostFilter('addPfConfidence', bad, FilterOperator.EQ),
        `addPfConfidence: ${JSON.stringify(bad)} is not an integer from 0 to 100`,
      );
    }
    assert.equal(
      createPostFilter('addPfRating', ' 2.5 ', FilterOperator.EQ).description,
      'post filter by rating EQ 2.5',
    );
    assert.equal(
      createPostFilter('addPfConfidence', '+40', FilterOperator.GE).description,
      'post filter by confidence GE 40',
    );
  });

  it("the threat assessment's confidence is a real number from 0 to 100 (a mean), not an integer", () => {
    const f = createPostFilter('addPfThreatAssessConfidence', 42.5, FilterOperator.GE);
    assert.equal(f.description, 'post filter by threat assess confidence GE 42.5');
    assert.equal(f.test({ threatAssessConfidence: 42.5 }), true);
    assert.equal(f.test({ threatAssessConfidence: 42.4 }), false);
    rejects(
      () => createPostFilter('addPfThreatAssessConfidence', 100.5, FilterOperator.EQ),
      'addPfThreatAssessConfidence: 100.5 is not a number from 0 to 100',
    );
    rejects(
      () => createPostFilter('addPfConfidence', 42.5, FilterOperator.EQ),
      'addPfConfidence: 42.5 is not an integer from 0 to 100',
    );
  });

  it('the owners container quotes the name in its post filter description, as the original did', () => {
    const owners = tc.owners().addFilter().addPfName('Example Org');
    assert.deepEqual(
      owners.postFilters.map((p) => p.description),
      ['post filter by name EQ "Example Org"'],
    );
    const adversaries = tc.adversaries().addFilter().addPfName('Bad Guy');
    assert.deepEqual(
      adversaries.postFilters.map((p) => p.description),
      ['post filter by name EQ Bad Guy'],
    );
  });

  it('dates compare in whole seconds, and a wire date without a zone is UTC in every time zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
        process.env.TZ = tz;
        const eq = createPostFilter('addPfDateAdded', '2017-07-13T17:50:17', FilterOperator.EQ);
        assert.equal(eq.test({ dateAdded: '2017-07-13T17:50:17' }), true, tz);
        assert.equal(eq.test({ dateAdded: '2017-07-13T17:50:17Z' }), true, tz);
        assert.equal(eq.test({ dateAdded: '2017-07-13T12:50:17-05:00' }), true, tz);
        assert.equal(eq.test({ dateAdded: '2017-07-13T17:50:17.999Z' }), true, tz);
        assert.equal(eq.test({ dateAdded: '2017-07-13T17:50:18Z' }), false, tz);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // A filter value with a fraction is the second it falls in, as its description says.
    const ge = createPostFilter('addPfDateAdded', new Date('2015-06-19T01:21:45.500Z'), FilterOperator.GE);
    assert.equal(ge.description, 'post filter by date added GE 1434676905 seconds');
    assert.equal(ge.test({ dateAdded: '2015-06-19T01:21:45Z' }), true);
    assert.equal(ge.test({ dateAdded: '2015-06-19T01:21:44Z' }), false);
  });
});
