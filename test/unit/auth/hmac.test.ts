import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { hmacMessage, signHmac } from '../../../src/auth/hmac.js';

describe('signHmac known-answer vectors', () => {
  // rest-api-v2.md 2.2, worked out with Python's hmac module.
  it('rest-api-v2 2.2, GET with a query', () => {
    const input = {
      accessId: 'EXAMPLE-ACCESS-ID-0001',
      secretKey: 'example-secret-key-do-not-use',
      method: 'GET',
      pathAndQuery:
        '/api/v2/indicators/hosts/example.com?owner=Example%20Community&resultStart=0&resultLimit=100',
      timestampSec: 1_700_000_000,
    };
    assert.equal(
      hmacMessage(input.pathAndQuery, input.method, input.timestampSec),
      '/api/v2/indicators/hosts/example.com?owner=Example%20Community&resultStart=0&resultLimit=100:GET:1700000000',
    );
    assert.equal(
      createHmac('sha256', input.secretKey)
        .update(hmacMessage(input.pathAndQuery, input.method, input.timestampSec))
        .digest('hex'),
      '6592adeda05ed3180f624bf6dd7f27e85664da9509ef89901a52b7f51641fb33',
    );
    assert.deepEqual(signHmac(input), {
      Timestamp: '1700000000',
      Authorization: 'TC EXAMPLE-ACCESS-ID-0001:ZZKt7aBe0xgPYkv23X8n6FZk2pUJ74mQGlK39RZB+zM=',
    });
  });

  it('rest-api-v2 2.2, POST without a query', () => {
    assert.deepEqual(
      signHmac({
        accessId: 'EXAMPLE-ACCESS-ID-0001',
        secretKey: 'example-secret-key-do-not-use',
        method: 'POST',
        pathAndQuery: '/api/v2/indicators/urls/http%3A%2F%2Fexample.com%2Fbad.php/tags/Nation%20State',
        timestampSec: 1_700_000_000,
      }),
      {
        Timestamp: '1700000000',
        Authorization: 'TC EXAMPLE-ACCESS-ID-0001:a+eOXeWIEnJ5f/cjB0dJ+LvrvmkXkcujkBY2MDMXSgs=',
      },
    );
  });

  // python-sdk-observed.md 3.4: the original SDK's own header function, clock frozen at 1700000000.25.
  const observed: [string, string, string][] = [
    [
      'GET',
      '/api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=0',
      'QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=',
    ],
    [
      'GET',
      '/api/v2/tags/APT/indicators?createActivityLog=false&owner=Example+Community&resultLimit=200&resultStart=0',
      '4xpG3p+xzJxuQ08m90niFEmhkmzSUpo0IWBepp8Ig3U=',
    ],
    [
      'GET',
      '/api/v2/types/indicatorTypes?createActivityLog=false',
      'qKvuq169Cp4U4RGgWMJKNZ6CXAsNrv0d+uxbN/mjfp4=',
    ],
    [
      'POST',
      '/api/v2/groups/documents?createActivityLog=false&owner=Example+Community',
      'ahiW+hBSGyddFv8dOzNenr14d2CWwl0Zyl92/YmnCFQ=',
    ],
  ];
  for (const [method, pathAndQuery, signature] of observed) {
    it(`python-sdk-observed 3.4: ${method} ${pathAndQuery}`, () => {
      assert.deepEqual(
        signHmac({
          accessId: '12345678901234567890',
          secretKey: 'test-secret-key',
          method,
          pathAndQuery,
          timestampSec: 1_700_000_000.25,
        }),
        { Timestamp: '1700000000', Authorization: `TC 12345678901234567890:${signature}` },
      );
    });
  }

  it('upper-cases the method, and the signature changes with every input', () => {
    const base = {
      accessId: 'id',
      secretKey: 'k',
      method: 'get',
      pathAndQuery: '/api/v2/x?createActivityLog=false',
      timestampSec: 1_700_000_000,
    };
    assert.deepEqual(signHmac(base), signHmac({ ...base, method: 'GET' }));
    const auth = signHmac(base).Authorization;
    assert.notEqual(signHmac({ ...base, timestampSec: 1_700_000_001 }).Authorization, auth);
    assert.notEqual(
      signHmac({ ...base, pathAndQuery: '/api/v2/x?createActivityLog=true' }).Authorization,
      auth,
    );
    assert.notEqual(signHmac({ ...base, secretKey: 'k2' }).Authorization, auth);
    assert.notEqual(signHmac({ ...base, method: 'POST' }).Authorization, auth);
    assert.match(auth, /^TC id:[A-Za-z0-9+/]{43}=$/);
  });
});
