/**
 * Value checks of filter objects at their edges (decisions.md 1.3: ValidationError for "a bad value
 * given to an SDK object before any request"; docs/filters.md: "Every invalid value throws
 * ValidationError with the value, when the filter is added"): a list of owners refused whole, Dates of
 * another realm, an invalid Date named as such, dates beyond the year 9999, and an apiEntity without
 * its type.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import vm from 'node:vm';
import { FilterOperator } from '../../../src/index.js';
import { unreachableClient } from '../../helpers/client.js';

const tc = unreachableClient();
after(() => tc.close());

describe('filter values at their edges', () => {
  it('addOwner with a bad name in a list adds none of the list', () => {
    const filter = tc.indicators().addFilter();
    assert.throws(() => filter.addOwner(['Example Community', '']), {
      name: 'ValidationError',
      message: 'addOwner: "" is not an owner name',
    });
    assert.deepEqual(filter.owners, []);
    filter.addOwner(['Example Community', 'Example Community']);
    assert.deepEqual(filter.owners, ['Example Community']);
  });

  it('a Date made in another realm (a vm context) is a Date', () => {
    const foreign = vm.runInNewContext('new Date(Date.UTC(2015, 5, 18, 20, 21, 45))') as Date;
    assert.equal(foreign instanceof Date, false, 'the premise: instanceof refuses it');
    const filter = tc.indicators().addFilter();
    filter.addPfDateAdded(foreign, FilterOperator.GE);
    assert.equal(filter.postFilters[0]?.filter, 1434658905);
    tc.indicators().setModifiedSince(foreign);
    tc.campaigns().add('C', 'Example Org').setFirstSeen(foreign);
  });

  it('an invalid Date is named as such in the message', () => {
    assert.throws(() => tc.indicators().addFilter().addPfDateAdded(new Date(Number.NaN)), {
      name: 'ValidationError',
      message: 'addPfDateAdded: Invalid Date is not a valid date (use a Date or an ISO 8601 string)',
    });
  });

  it('a Date outside the years 0 to 9999 cannot be sent as YYYY-MM-DDTHH:MM:SSZ (decisions.md 1.7)', () => {
    for (const [year, iso] of [
      [10000, '+010000-01-01T00:00:00.000Z'],
      [-1, '-000001-01-01T00:00:00.000Z'],
    ] as const) {
      const date = new Date(Date.UTC(year, 0, 1));
      assert.throws(() => tc.indicators().setModifiedSince(date), {
        name: 'ValidationError',
        message: `setModifiedSince: the Date ${iso} is outside the years 0 to 9999`,
      });
      assert.throws(() => tc.campaigns().add('C', 'Example Org').setFirstSeen(date), {
        name: 'ValidationError',
        message: `firstSeen must be a date from the year 0 to 9999, got ${iso}`,
      });
    }
    tc.indicators().setModifiedSince(new Date(Date.UTC(9999, 11, 31, 23, 59, 59)));
  });

  it('setModifiedSince takes a date-time with a T, as the date setters do (a space is refused by the API)', () => {
    assert.throws(() => tc.indicators().setModifiedSince('2015-06-17 00:00:00'), {
      name: 'ValidationError',
      message: 'setModifiedSince: "2015-06-17 00:00:00" is not a valid date',
    });
    tc.indicators().setModifiedSince('2015-06-17T00:00:00');
    tc.indicators().setModifiedSince('2015-06-17');
  });

  it('addFilter(undefined, apiEntity) is refused, not read as an untyped filter object', () => {
    // A JavaScript caller's typo (`IndicatorType.CUSTOM` is undefined) would otherwise read every indicator.
    const indicators = tc.indicators() as unknown as { addFilter(t?: unknown, e?: unknown): unknown };
    assert.throws(() => indicators.addFilter(undefined, 'asn'), {
      name: 'ValidationError',
      message:
        'addFilter: the apiEntity "asn" goes with IndicatorType.CUSTOM_INDICATORS, got undefined as the type',
    });
  });
});
