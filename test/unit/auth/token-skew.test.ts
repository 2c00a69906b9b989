/**
 * a renewed token that is already expired by the client's clock (server clock behind ours)
 * must not be renewed again before every request; its expiry counts as unknown, so a 401 renews it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenAuthenticator } from '../../../src/auth/token.js';

describe('review: token renewed into the past', () => {
  it('renews once, then uses the new token until a 401', async () => {
    const now = 2_000_000_000_000;
    let renewals = 0;
    const auth = new TokenAuthenticator({
      apiToken: 'old',
      apiTokenExpiresMs: now - 1000,
      renew: () => {
        renewals += 1;
        // The server's idea of "in one hour" is already in the past for us.
        return Promise.resolve({ apiToken: `new-${renewals}`, apiTokenExpires: String(now / 1000 - 10) });
      },
    });
    const first = await auth.headers('GET', '/api/v2/owners', now);
    assert.equal(first.Authorization, 'TC-Token new-1');
    const second = await auth.headers('GET', '/api/v2/owners', now + 1);
    assert.equal(second.Authorization, 'TC-Token new-1');
    assert.equal(renewals, 1);
    assert.equal(await auth.onUnauthorized(second), true);
    assert.equal(renewals, 2);
  });
});
