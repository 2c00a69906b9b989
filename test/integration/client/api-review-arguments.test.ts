/**
 * From plain JavaScript: `apiRequest` and `apiRequestPages` given something other than a request
 * object reject with a ValidationError naming the call (it was a TypeError from inside the
 * pipeline), and the enum name lookups are public.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FilterOperator,
  FilterSetOperator,
  filterOperatorName,
  filterSetOperatorName,
  IndicatorType,
  indicatorTypeName,
  ResourceType,
  resourceTypeName,
  ThreatConnect,
  ValidationError,
} from '../../../src/index.js';

const tc = () =>
  new ThreatConnect({
    accessId: '12345678901234567890',
    secretKey: 'a-secret-key-for-tests',
    defaultOrg: 'Example Org',
    baseUrl: 'https://api.example.test/api',
  });

describe('apiRequest arguments from plain JavaScript', () => {
  it('apiRequest and apiRequestPages refuse a first argument that is not a RequestObject', async () => {
    const client = tc();
    try {
      for (const bad of [null, undefined, '/v2/owners', { requestUri: '/v2/owners' }]) {
        const pending = client.apiRequest(bad as never);
        await assert.rejects(pending, (error: unknown) => {
          assert.ok(error instanceof ValidationError, String(error));
          assert.match(error.message, /^apiRequest: the first argument must be a RequestObject, got /);
          return true;
        });
        const pages = client.apiRequestPages(bad as never);
        await assert.rejects(pages[Symbol.asyncIterator]().next(), {
          name: 'ValidationError',
          message: /^apiRequestPages: the first argument must be a RequestObject, got /,
        });
      }
    } finally {
      await client.close();
    }
  });
});

describe('enum names', () => {
  it('print as the original printed them', () => {
    assert.equal(resourceTypeName(ResourceType.ADVERSARIES), 'ResourceType.ADVERSARIES');
    assert.equal(indicatorTypeName(IndicatorType.HOSTS), 'IndicatorType.HOSTS');
    assert.equal(filterOperatorName(FilterOperator.GE), 'FilterOperator.GE');
    assert.equal(filterSetOperatorName(FilterSetOperator.OR), 'FilterSetOperator.OR');
    assert.equal(resourceTypeName(9999), undefined);
  });
});
