import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildPathAndQuery,
  buildQuery,
  formEncode,
  quotePathSegment,
  splitBaseUrl,
  wireParams,
} from '../../../src/core/url.js';

describe('encoding like Python', () => {
  it('formEncode = quote_plus(safe="")', () => {
    assert.equal(formEncode('Example Community & Friends'), 'Example+Community+%26+Friends');
    assert.equal(formEncode('2015-06-17T00:00:00Z'), '2015-06-17T00%3A00%3A00Z');
    assert.equal(formEncode('a/b?c=d+e'), 'a%2Fb%3Fc%3Dd%2Be');
    assert.equal(formEncode("!*'()"), '%21%2A%27%28%29');
    assert.equal(formEncode('AZaz09_.-~'), 'AZaz09_.-~');
    assert.equal(formEncode('é😀'), '%C3%A9%F0%9F%98%80');
    assert.equal(formEncode('\uD800'), '%EF%BF%BD');
    assert.equal(formEncode(''), '');
  });

  it('quotePathSegment = quote(safe="~")', () => {
    assert.equal(quotePathSegment('APT/28 & co+x~y'), 'APT%2F28%20%26%20co%2Bx~y');
    assert.equal(quotePathSegment('TLP:AMBER'), 'TLP%3AAMBER');
    assert.equal(quotePathSegment('TLP Red'), 'TLP%20Red');
    assert.equal(quotePathSegment('http://example.com/bad.php'), 'http%3A%2F%2Fexample.com%2Fbad.php');
  });

  it('buildQuery keeps the order', () => {
    assert.equal(
      buildQuery([
        ['b', '2'],
        ['a', 'x y'],
      ]),
      'b=2&a=x+y',
    );
    assert.equal(buildQuery([]), '');
  });
});

describe('wire order', () => {
  it('createActivityLog first, then the set order', () => {
    assert.deepEqual(
      wireParams([
        ['owner', 'o'],
        ['createActivityLog', 'false'],
        ['resultLimit', '500'],
      ]),
      [
        ['createActivityLog', 'false'],
        ['owner', 'o'],
        ['resultLimit', '500'],
      ],
    );
  });

  it('activityLog true forces createActivityLog=true, even when missing', () => {
    assert.deepEqual(wireParams([['createActivityLog', 'false']], true), [['createActivityLog', 'true']]);
    assert.deepEqual(wireParams([['owner', 'o']], true), [
      ['createActivityLog', 'true'],
      ['owner', 'o'],
    ]);
    assert.deepEqual(wireParams([['owner', 'o']], false), [['owner', 'o']]);
    assert.deepEqual(wireParams([['createActivityLog', 'true']], false), [['createActivityLog', 'true']]);
  });

  it('buildPathAndQuery gives the observed targets', () => {
    assert.equal(
      buildPathAndQuery({
        basePath: '/api',
        requestUri: '/v2/indicators',
        params: [
          ['createActivityLog', 'false'],
          ['owner', 'Example Community'],
          ['resultLimit', '500'],
          ['resultStart', '0'],
        ],
      }),
      '/api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500&resultStart=0',
    );
    assert.equal(
      buildPathAndQuery({
        basePath: '/api',
        requestUri: '/v2/types/indicatorTypes',
        params: [['createActivityLog', 'false']],
        activityLog: true,
      }),
      '/api/v2/types/indicatorTypes?createActivityLog=true',
    );
  });

  it('no parameters, no "?"; an existing query is continued with "&"; trailing / on the base is dropped', () => {
    assert.equal(buildPathAndQuery({ basePath: '', requestUri: '/v2/x' }), '/v2/x');
    assert.equal(buildPathAndQuery({ basePath: '/api/', requestUri: '/v2/x' }), '/api/v2/x');
    assert.equal(
      buildPathAndQuery({
        basePath: '/api',
        requestUri: '/v2/x?option=createVictims',
        params: [['owner', 'o']],
      }),
      '/api/v2/x?option=createVictims&owner=o',
    );
  });

  it('splitBaseUrl', () => {
    assert.deepEqual(splitBaseUrl('https://api.threatconnect.com'), {
      origin: 'https://api.threatconnect.com',
      basePath: '',
    });
    assert.deepEqual(splitBaseUrl('http://127.0.0.1:8080/api'), {
      origin: 'http://127.0.0.1:8080',
      basePath: '/api',
    });
    assert.deepEqual(splitBaseUrl('https://h/api/'), { origin: 'https://h', basePath: '/api' });
  });
});
