/**
 * `retrieve()`/`stream()` check `includeTags` and `includeAttributes` as they check `serverFilters`:
 * a value that is not a boolean is a ValidationError before any request. (They took any value before,
 * and ignored one that was not `true`: `retrieve({ includeTags: 'true' })` read no tags, silently.)
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ThreatConnect } from '../../../src/index.js';

describe('retrieve() and stream(): includeTags / includeAttributes values', () => {
  // Nothing listens on port 9: a request that goes out fails at once with a ConnectionError.
  const tc = new ThreatConnect({
    accessId: 'a',
    secretKey: 'b',
    defaultOrg: 'Example Org',
    baseUrl: 'http://127.0.0.1:9/api',
    apiRetries: 0,
  });
  after(() => tc.close());

  for (const key of ['includeTags', 'includeAttributes'] as const) {
    for (const bad of ['true', 1, 'yes']) {
      it(`${key}: ${JSON.stringify(bad)} is a ValidationError, not silently ignored`, async () => {
        const message = `${key} must be true or false, got ${typeof bad === 'string' ? JSON.stringify(bad) : String(bad)}`;
        await assert.rejects(tc.indicators().retrieve({ [key]: bad }), {
          name: 'ValidationError',
          message,
        });
        await assert.rejects(
          async () => {
            await tc
              .groups()
              .stream({ [key]: bad })
              .next();
          },
          { name: 'ValidationError', message },
        );
      });
    }
  }
});
