import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  createAuthenticator,
  HmacAuthenticator,
  type RenewTokenFn,
  TokenAuthenticator,
} from '../../../src/auth/index.js';
import { parseTokenExpires } from '../../../src/auth/token.js';
import { resolveConfig } from '../../../src/core/config.js';
import {
  AbortError,
  AuthenticationError,
  ConfigError,
  ThreatConnectError,
} from '../../../src/core/errors.js';

const NOW = 1_700_000_000_000;

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function renewer(answers: ({ apiToken: string; apiTokenExpires?: string | number } | Error)[]): {
  fn: RenewTokenFn;
  calls: string[];
} {
  const calls: string[] = [];
  const fn: RenewTokenFn = (expired) => {
    calls.push(expired);
    const answer = answers.shift();
    if (answer === undefined) return Promise.reject(new Error('unexpected renewal'));
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { fn, calls };
}

describe('parseTokenExpires', () => {
  it('reads epoch seconds as number or numeric string', () => {
    assert.equal(parseTokenExpires('1700003600'), 1_700_003_600_000);
    assert.equal(parseTokenExpires(1_700_003_600), 1_700_003_600_000);
    assert.equal(parseTokenExpires('x'), undefined);
    assert.equal(parseTokenExpires(-5), undefined);
    assert.equal(parseTokenExpires(undefined), undefined);
  });
});

describe('TokenAuthenticator', () => {
  it('sends TC-Token and the Timestamp the original sent', async () => {
    const auth = new TokenAuthenticator({ apiToken: '2:1:-1:1800000000:abc:def=', renew: renewer([]).fn });
    assert.deepEqual(await auth.headers('GET', '/api/v2/x', 1_700_000_000_250), {
      Timestamp: '1700000000',
      Authorization: 'TC-Token 2:1:-1:1800000000:abc:def=',
    });
  });

  it('renews 60 s before expiry, not earlier', async () => {
    const expires = NOW + 3_600_000;
    const { fn, calls } = renewer([
      { apiToken: 'new', apiTokenExpires: String((expires + 3_600_000) / 1000) },
    ]);
    const auth = new TokenAuthenticator({ apiToken: 'old', apiTokenExpiresMs: expires, renew: fn });
    assert.equal(auth.needsRenewal(expires - 60_001), false);
    assert.equal((await auth.headers('GET', '/p', expires - 60_001)).Authorization, 'TC-Token old');
    assert.equal(calls.length, 0);
    assert.equal(auth.needsRenewal(expires - 60_000), true);
    assert.equal((await auth.headers('GET', '/p', expires - 60_000)).Authorization, 'TC-Token new');
    assert.deepEqual(calls, ['old']);
    assert.equal(auth.expiresMs, expires + 3_600_000);
    assert.equal(auth.renewals, 1);
  });

  it('concurrent callers share one renewal', async () => {
    const gate = deferred<{ apiToken: string; apiTokenExpires?: string }>();
    const calls: string[] = [];
    const auth = new TokenAuthenticator({
      apiToken: 'old',
      apiTokenExpiresMs: NOW,
      renew: (expired) => {
        calls.push(expired);
        return gate.promise;
      },
    });
    const all = Promise.all([1, 2, 3, 4, 5].map(() => auth.headers('GET', '/p', NOW)));
    gate.resolve({ apiToken: 'new', apiTokenExpires: String(NOW / 1000 + 7200) });
    const headers = await all;
    assert.deepEqual(calls, ['old']);
    for (const h of headers) assert.equal(h.Authorization, 'TC-Token new');
  });

  it('a failed renewal rejects every waiter; the next call tries again', async () => {
    const failure = new AuthenticationError('Could not refresh ThreatConnect Token (Unauthorized).', {
      status: 401,
    });
    const { fn, calls } = renewer([failure, { apiToken: 'second' }]);
    const auth = new TokenAuthenticator({ apiToken: 'old', apiTokenExpiresMs: NOW, renew: fn });
    const results = await Promise.allSettled([
      auth.headers('GET', '/p', NOW),
      auth.headers('GET', '/p', NOW),
    ]);
    assert.equal(calls.length, 1);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason, failure);
    }
    assert.equal((await auth.headers('GET', '/p', NOW)).Authorization, 'TC-Token second');
    assert.deepEqual(calls, ['old', 'old']);
  });

  it('an answer without a token is an error with code TC_AUTH', async () => {
    const auth = new TokenAuthenticator({
      apiToken: 'old',
      apiTokenExpiresMs: NOW,
      renew: renewer([{ apiToken: '' }]).fn,
    });
    await assert.rejects(auth.headers('GET', '/p', NOW), (error: unknown) => {
      assert.ok(error instanceof ThreatConnectError);
      assert.equal(error.code, 'TC_AUTH');
      assert.equal(error.message, 'Could not refresh ThreatConnect Token (the answer holds no apiToken).');
      return true;
    });
  });

  it('a short-lived renewed token does not renew on every request', async () => {
    const { fn, calls } = renewer([{ apiToken: 't2', apiTokenExpires: (NOW + 30_000) / 1000 }]);
    const auth = new TokenAuthenticator({ apiToken: 't1', apiTokenExpiresMs: NOW, renew: fn });
    await auth.headers('GET', '/p', NOW);
    assert.equal((await auth.headers('GET', '/p', NOW + 1000)).Authorization, 'TC-Token t2');
    assert.equal(calls.length, 1);
    assert.equal(auth.needsRenewal(NOW + 15_000), true);
  });

  describe('401 handling', () => {
    it('unknown expiry: renew once, then fail', async () => {
      const { fn, calls } = renewer([{ apiToken: 'new' }]);
      const auth = new TokenAuthenticator({ apiToken: 'old', renew: fn });
      const first = await auth.headers('GET', '/p', NOW);
      assert.equal(await auth.onUnauthorized(first), true);
      assert.deepEqual(calls, ['old']);
      const second = await auth.headers('GET', '/p', NOW);
      assert.equal(second.Authorization, 'TC-Token new');
      assert.equal(await auth.onUnauthorized(second), false);
      assert.deepEqual(calls, ['old']);
    });

    it('known expiry: a 401 is final', async () => {
      const { fn, calls } = renewer([]);
      const auth = new TokenAuthenticator({ apiToken: 'old', apiTokenExpiresMs: NOW + 3_600_000, renew: fn });
      assert.equal(await auth.onUnauthorized(await auth.headers('GET', '/p', NOW)), false);
      assert.equal(calls.length, 0);
    });

    it('a 401 for a token that was replaced meanwhile just retries', async () => {
      const { fn, calls } = renewer([{ apiToken: 'new' }]);
      const auth = new TokenAuthenticator({ apiToken: 'old', renew: fn });
      const stale = await auth.headers('GET', '/p', NOW);
      await auth.renew();
      assert.equal(await auth.onUnauthorized(stale), true);
      assert.deepEqual(calls, ['old']);
    });

    it('concurrent 401s share the renewal', async () => {
      const gate = deferred<{ apiToken: string }>();
      let count = 0;
      const auth = new TokenAuthenticator({
        apiToken: 'old',
        renew: () => {
          count += 1;
          return gate.promise;
        },
      });
      const sent = await auth.headers('GET', '/p', NOW);
      const both = Promise.all([auth.onUnauthorized(sent), auth.onUnauthorized(sent)]);
      gate.resolve({ apiToken: 'new' });
      assert.deepEqual(await both, [true, true]);
      assert.equal(count, 1);
    });
  });

  it('a waiter may abort without cancelling the shared renewal', async () => {
    const gate = deferred<{ apiToken: string }>();
    let count = 0;
    const auth = new TokenAuthenticator({
      apiToken: 'old',
      apiTokenExpiresMs: NOW,
      renew: () => {
        count += 1;
        return gate.promise;
      },
    });
    const controller = new AbortController();
    const aborted = auth.headers('GET', '/p', NOW, { signal: controller.signal });
    const other = auth.headers('GET', '/p', NOW);
    controller.abort();
    await assert.rejects(aborted, AbortError);
    gate.resolve({ apiToken: 'new' });
    assert.equal((await other).Authorization, 'TC-Token new');
    const done = new AbortController();
    done.abort();
    await assert.rejects(auth.renew(undefined, { signal: done.signal }), AbortError);
    assert.equal(count, 1, 'an aborted caller starts no renewal');
  });

  it('never shows the token', () => {
    const auth = new TokenAuthenticator({
      apiToken: 'secret-token',
      apiTokenExpiresMs: 0,
      renew: renewer([]).fn,
    });
    assert.ok(!inspect(auth).includes('secret-token'));
    assert.ok(!JSON.stringify(auth).includes('secret-token'));
    assert.equal(
      inspect(auth),
      'TokenAuthenticator { token: [REDACTED], expires: 1970-01-01T00:00:00.000Z }',
    );
  });
});

describe('createAuthenticator', () => {
  it('HMAC credentials sign every attempt with its own time', async () => {
    const config = resolveConfig({
      accessId: '12345678901234567890',
      secretKey: 'test-secret-key',
      defaultOrg: 'o',
      baseUrl: 'https://h/api',
    });
    const auth = createAuthenticator(config.auth);
    assert.ok(auth instanceof HmacAuthenticator);
    assert.equal(auth.kind, 'hmac');
    const path =
      '/api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=0';
    // HMAC signs synchronously: no promise.
    assert.deepEqual(auth.headers('GET', path, 1_700_000_000_250), {
      Timestamp: '1700000000',
      Authorization: 'TC 12345678901234567890:QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=',
    });
    const later = auth.headers('GET', path, 1_700_000_400_000);
    assert.equal(later.Timestamp, '1700000400');
    assert.notEqual(
      later.Authorization,
      'TC 12345678901234567890:QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=',
    );
    assert.equal(await auth.onUnauthorized(), false);
    assert.ok(!inspect(auth).includes('test-secret-key'));
    assert.ok(!JSON.stringify(auth).includes('test-secret-key'));
  });

  it('token credentials need a renewal function', async () => {
    const config = resolveConfig({
      apiToken: 'tok',
      apiTokenExpires: 1_800_000_000,
      defaultOrg: 'o',
      baseUrl: 'https://h',
    });
    assert.throws(
      () => createAuthenticator(config.auth),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === 'token authentication needs a `renewToken` function',
    );
    const auth = createAuthenticator(config.auth, { renewToken: renewer([]).fn });
    assert.ok(auth instanceof TokenAuthenticator);
    assert.equal(auth.expiresMs, 1_800_000_000_000);
    assert.equal((await auth.headers('GET', '/p', NOW)).Authorization, 'TC-Token tok');
  });
});
