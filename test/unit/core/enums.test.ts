import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  enumName,
  FilterOperator,
  filterOperatorName,
  FilterSetOperator,
  filterSetOperatorName,
  IndicatorType,
  indicatorTypeName,
  isFilterOperator,
  isFilterSetOperator,
  isIndicatorType,
  isResourceType,
  ResourceType,
  resourceTypeName,
} from '../../../src/core/enums.js';

describe('enums', () => {
  it('have the original values', () => {
    assert.deepEqual(
      { ...IndicatorType },
      {
        ADDRESSES: 515,
        EMAIL_ADDRESSES: 525,
        FILES: 535,
        HOSTS: 545,
        URLS: 555,
        CUSTOM_INDICATORS: 565,
      },
    );
    assert.equal(ResourceType.ADVERSARIES, 115);
    assert.equal(ResourceType.CAMPAIGNS, 120);
    assert.equal(ResourceType.INDICATORS, 505);
    assert.equal(ResourceType.OWNERS, 30);
    assert.equal(ResourceType.VICTIMS, 905);
    assert.equal(ResourceType.BATCH_JOBS, 1075);
    assert.equal(ResourceType.DNS_RESOLUTIONS, 1080);
    assert.equal(ResourceType.VICTIM_WEBSITES, 1055);
    for (const [name, value] of Object.entries(IndicatorType)) {
      assert.equal(ResourceType[name as keyof typeof ResourceType], value, name);
    }
    assert.deepEqual({ ...FilterSetOperator }, { AND: 'and', OR: 'or' });
    assert.deepEqual(Object.keys(FilterOperator), ['EQ', 'NE', 'GT', 'GE', 'LT', 'LE']);
  });

  it('ResourceType values are unique', () => {
    const values = Object.values(ResourceType);
    assert.equal(new Set(values).size, values.length);
  });

  it('are frozen', () => {
    assert.ok(Object.isFrozen(ResourceType));
    assert.ok(Object.isFrozen(IndicatorType));
    assert.ok(Object.isFrozen(FilterOperator));
    assert.ok(Object.isFrozen(FilterSetOperator));
  });

  it('print as the original printed them', () => {
    assert.equal(resourceTypeName(ResourceType.ADVERSARIES), 'ResourceType.ADVERSARIES');
    assert.equal(resourceTypeName(505), 'ResourceType.INDICATORS');
    assert.equal(resourceTypeName(999), undefined);
    assert.equal(resourceTypeName(undefined), undefined);
    assert.equal(indicatorTypeName(IndicatorType.HOSTS), 'IndicatorType.HOSTS');
    assert.equal(filterOperatorName(FilterOperator.GE), 'FilterOperator.GE');
    assert.equal(filterSetOperatorName(FilterSetOperator.AND), 'FilterSetOperator.AND');
    assert.equal(filterSetOperatorName('AND'), undefined);
    assert.equal(enumName(IndicatorType, 545), 'HOSTS');
  });

  it('membership checks', () => {
    assert.ok(isResourceType(115));
    assert.ok(!isResourceType('115'));
    assert.ok(isIndicatorType(565));
    assert.ok(!isIndicatorType(505));
    assert.ok(isFilterOperator('LE'));
    assert.ok(!isFilterOperator('<='));
    assert.ok(isFilterSetOperator('or'));
    assert.ok(!isFilterSetOperator('OR'));
  });
});
