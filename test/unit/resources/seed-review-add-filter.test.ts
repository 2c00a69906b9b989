/**
 * Seed review, "Indicator-Type Filter": "An Indicator Filter object supports passing an optional
 * IndicatorType enum argument to the add_filter method". Other containers take no argument; a
 * JavaScript caller's `tc.adversaries().addFilter(IndicatorType.HOSTS)` must be refused, not ignored
 * (it would silently read every adversary).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FilterSetOperator, IndicatorType, ValidationError } from '../../../src/index.js';
import { unreachableClient } from '../../helpers/client.js';

describe('seed review: addFilter arguments', () => {
  const tc = unreachableClient();
  after(() => tc.close());

  it('a group, victim or task container refuses an IndicatorType given to addFilter', () => {
    const containers = [tc.adversaries(), tc.groups(), tc.victims(), tc.tasks()] as unknown as {
      addFilter(type?: unknown): unknown;
    }[];
    for (const container of containers) {
      assert.throws(
        () => container.addFilter(IndicatorType.HOSTS),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.message.startsWith('addFilter takes no argument on a container of ResourceType.') &&
          e.message.endsWith('got IndicatorType.HOSTS'),
      );
    }
  });

  it('addFilter() with no argument, and the indicators container with a type, still work', () => {
    assert.equal(tc.adversaries().addFilter().operator, FilterSetOperator.AND);
    assert.equal(tc.indicators().addFilter(IndicatorType.HOSTS).operator, FilterSetOperator.AND);
    assert.equal(tc.indicators().addFilter().operator, FilterSetOperator.AND);
    const adversaries = tc.adversaries() as unknown as { addFilter(type?: unknown): unknown };
    assert.ok(adversaries.addFilter(undefined) !== undefined);
  });
});
