import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ResourceType } from '../../../src/core/enums.js';
import { ValidationError } from '../../../src/core/errors.js';
import {
  describeBody,
  formatModifiedSince,
  formatUriTemplate,
  RequestObject,
  requestParams,
  requestTarget,
} from '../../../src/core/request-object.js';

const SIG = 'pZJnJTpmJTTMOFEnhOZ7hZw3k0OM50K/L+iR95SbJV4=';

function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

describe('RequestObject defaults and setters', () => {
  it('has the original defaults', () => {
    const ro = new RequestObject();
    assert.equal(ro.body, undefined);
    assert.equal(ro.contentType, undefined);
    assert.equal(ro.description, undefined);
    assert.deepEqual(ro.headers, {});
    assert.equal(ro.httpMethod, 'GET');
    assert.equal(ro.owner, undefined);
    assert.equal(ro.ownerAllowed, true);
    assert.deepEqual(ro.payload, { createActivityLog: 'false' });
    assert.equal(ro.pathUrl, undefined);
    assert.equal(ro.remainingResults, 1);
    assert.equal(ro.requestUri, undefined);
    assert.equal(ro.resourcePagination, true);
    assert.equal(ro.resourceType, undefined);
    assert.equal(ro.resultLimit, 0);
    assert.equal(ro.resultStart, 0);
    assert.equal(ro.stream, false);
    assert.equal(ro.countsAsApiFilter, false);
    assert.equal(ro.failureCallback, undefined);
    assert.equal(ro.successCallback, undefined);
  });

  it('setters return the object and fill the getters', () => {
    const onFail = (): void => undefined;
    const onOk = (): void => undefined;
    const ro = new RequestObject()
      .setHttpMethod('get')
      .setOwner('Example Community')
      .setOwnerAllowed(false)
      .setResourcePagination(false)
      .setRequestUri('/v2/groups/documents/{0}/download', [19])
      .setDescription('download')
      .setResourceType(ResourceType.DOCUMENTS)
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still validated and printed
      .setRemainingResults(-297)
      .setResultLimit(500)
      .setResultStart(1500)
      .setStream(true)
      .setPathUrl('/api/x')
      .setFailureCallback(onFail)
      .setSuccessCallback(onOk)
      .enableTrack();
    assert.equal(ro.httpMethod, 'GET');
    assert.equal(ro.owner, 'Example Community');
    assert.equal(ro.ownerAllowed, false);
    assert.equal(ro.resourcePagination, false);
    assert.equal(ro.requestUri, '/v2/groups/documents/19/download');
    assert.equal(ro.description, 'download');
    assert.equal(ro.resourceType, ResourceType.DOCUMENTS);
    assert.equal(ro.remainingResults, -297);
    assert.equal(ro.resultLimit, 500);
    assert.equal(ro.resultStart, 1500);
    assert.equal(ro.stream, true);
    assert.equal(ro.pathUrl, '/api/x');
    assert.equal(ro.failureCallback, onFail);
    assert.equal(ro.successCallback, onOk);
    assert.equal(ro.countsAsApiFilter, true);
    assert.deepEqual(ro.payloadEntries(), [
      ['createActivityLog', 'false'],
      ['owner', 'Example Community'],
      ['resultLimit', '500'],
      ['resultStart', '1500'],
    ]);
  });

  it('POST/PUT add Content-Type: application/json unless a content type is set', () => {
    const post = new RequestObject().setHttpMethod('post');
    assert.equal(post.httpMethod, 'POST');
    assert.deepEqual(post.headers, { 'Content-Type': 'application/json' });
    assert.equal(post.contentType, undefined);
    const put = new RequestObject().setContentType('application/octet-stream').setHttpMethod('PUT');
    assert.deepEqual(put.headers, { 'Content-Type': 'application/octet-stream' });
    assert.deepEqual(new RequestObject().setHttpMethod('DELETE').headers, {});
  });

  it('a later setContentType overwrites the header in place', () => {
    const ro = new RequestObject()
      .setHttpMethod('POST')
      .setBody('{"a": 1}')
      .setContentType('application/json');
    assert.deepEqual(ro.headerEntries(), [
      ['Content-Type', 'application/json'],
      ['Content-Length', '8'],
    ]);
    assert.equal(ro.contentType, 'application/json');
  });

  it('setBody sets Content-Length in bytes, for text and bytes', () => {
    assert.equal(new RequestObject().setBody('é').headers['Content-Length'], '2');
    const bytes = new Uint8Array([1, 2, 3]);
    const ro = new RequestObject().setBody(bytes);
    assert.equal(ro.headers['Content-Length'], '3');
    assert.equal(ro.body, bytes);
    assert.equal(new RequestObject().setBody(Buffer.alloc(33)).headers['Content-Length'], '33');
  });

  it('addHeader stringifies, replaces case-insensitively in place', () => {
    const ro = new RequestObject().addHeader('X-A', 1).addHeader('X-B', true).addHeader('x-a', 'two');
    assert.deepEqual(ro.headerEntries(), [
      ['X-A', 'two'],
      ['X-B', 'true'],
    ]);
  });

  it('addPayload stringifies; emptyPayload clears; enableActivityLog sets true', () => {
    const ro = new RequestObject().addPayload('resultStart', 0).addPayload('includeTags', true);
    assert.deepEqual(ro.payload, { createActivityLog: 'false', resultStart: '0', includeTags: 'true' });
    ro.emptyPayload();
    assert.deepEqual(ro.payload, {});
    ro.enableActivityLog();
    assert.deepEqual(ro.payload, { createActivityLog: 'true' });
  });

  it('setModifiedSince takes a string as is and a Date without milliseconds', () => {
    assert.equal(
      new RequestObject().setModifiedSince('2015-06-17T00:00:00Z').payload.modifiedSince,
      '2015-06-17T00:00:00Z',
    );
    assert.equal(
      new RequestObject().setModifiedSince(new Date(Date.UTC(2015, 5, 17, 1, 2, 3, 456))).payload
        .modifiedSince,
      '2015-06-17T01:02:03Z',
    );
    assert.equal(formatModifiedSince(new Date(0)), '1970-01-01T00:00:00Z');
  });

  it('getters return copies', () => {
    const ro = new RequestObject().addHeader('A', 'b');
    ro.headers.A = 'changed';
    ro.payload.createActivityLog = 'true';
    assert.equal(ro.headers.A, 'b');
    assert.equal(ro.payload.createActivityLog, 'false');
  });
});

describe('RequestObject validation', () => {
  const ro = new RequestObject();
  const cases: [() => unknown, string][] = [
    [() => ro.setHttpMethod('PATCH'), '`httpMethod` must be one of DELETE, GET, POST, PUT, got "PATCH"'],
    [
      () => ro.setHttpMethod(5 as unknown as string),
      '`httpMethod` must be one of DELETE, GET, POST, PUT, got 5',
    ],
    [() => ro.setOwner(''), '`owner` must be a non-empty string, got ""'],
    [() => ro.setOwnerAllowed('yes' as unknown as boolean), '`ownerAllowed` must be a boolean, got "yes"'],
    [
      () => ro.setResourcePagination(1 as unknown as boolean),
      '`resourcePagination` must be a boolean, got 1',
    ],
    [() => ro.setStream(null as unknown as boolean), '`stream` must be a boolean, got null'],
    [
      () => ro.setRequestUri(7 as unknown as string),
      '`requestUri` must be a string starting with "/", got 7',
    ],
    [
      () => ro.setRequestUri('v2/indicators'),
      '`requestUri` must be a path starting with "/", got "v2/indicators"',
    ],
    [
      () => ro.setRequestUri('/v2/tags/TLP Red/indicators'),
      '`requestUri` must be a path without spaces, control characters or "#" (percent-encode them), got "/v2/tags/TLP Red/indicators"',
    ],
    [
      () => ro.setRequestUri('/v2/x#frag'),
      '`requestUri` must be a path without spaces, control characters or "#" (percent-encode them), got "/v2/x#frag"',
    ],
    [
      () => ro.setRequestUri('/v2/{0}', 'x' as unknown as string[]),
      '`requestUri` values must be an array, got "x"',
    ],
    [() => ro.setResourceType(999 as ResourceType), '`resourceType` must be a ResourceType value, got 999'],
    [() => ro.setResultLimit(-1), '`resultLimit` must be an integer >= 0, got -1'],
    [() => ro.setResultStart(1.5), '`resultStart` must be an integer >= 0, got 1.5'],
    [
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- still validated
      () => ro.setRemainingResults('1' as unknown as number),
      '`remainingResults` must be an integer, got "1"',
    ],
    [
      () => ro.setBody({} as unknown as string),
      '`body` must be a string, Buffer or Uint8Array, got an object',
    ],
    [() => ro.setContentType(''), '`contentType` must be a non-empty string, got ""'],
    [() => ro.setDescription(3 as unknown as string), '`description` must be a string, got 3'],
    [() => ro.setPathUrl(undefined as unknown as string), '`pathUrl` must be a string, got undefined'],
    [() => ro.setModifiedSince(''), '`modifiedSince` must be a date string or a Date, got ""'],
    [
      () => ro.setModifiedSince(new Date('x')),
      '`modifiedSince` must be a valid date from the year 0 to 9999, got Invalid Date',
    ],
    [
      () => ro.setModifiedSince(new Date(Date.UTC(10000, 0, 1))),
      '`modifiedSince` must be a valid date from the year 0 to 9999, got a Date',
    ],
    [
      () => ro.setFailureCallback('f' as unknown as () => void),
      '`failureCallback` must be a function, got "f"',
    ],
    [() => ro.setSuccessCallback(1 as unknown as () => void), '`successCallback` must be a function, got 1'],
    [() => ro.addHeader('Bad Name', 'v'), 'header name must be an HTTP token, got "Bad Name"'],
    [() => ro.addHeader('X', 'a\r\nInjected: 1'), 'header `X` must not contain CR, LF or NUL characters'],
    [
      () => ro.addHeader('X', {} as unknown as string),
      'header `X` must be a string, number or boolean, got an object',
    ],
    [() => ro.addPayload('', 'v'), 'payload key must be a non-empty string, got ""'],
    [
      () => ro.addPayload('k', undefined as unknown as string),
      'payload `k` must be a string, number or boolean, got undefined',
    ],
  ];
  for (const [fn, message] of cases) {
    it(message, () => {
      throwsValidation(fn, message);
    });
  }

  it('a failed setter leaves the object unchanged', () => {
    const r = new RequestObject().setHttpMethod('GET');
    assert.throws(() => r.setHttpMethod('TRACE'));
    assert.equal(r.httpMethod, 'GET');
  });
});

describe('formatUriTemplate (Python str.format)', () => {
  it('formats positional and automatic fields, and escapes', () => {
    assert.equal(formatUriTemplate('/v2/groups/{0}/{1}/{0}', ['a', 2]), '/v2/groups/a/2/a');
    assert.equal(formatUriTemplate('/v2/{}/{}', ['x', 5n]), '/v2/x/5');
    assert.equal(formatUriTemplate('/v2/{{x}}', []), '/v2/{x}');
  });

  it('rejects what Python rejects', () => {
    throwsValidation(
      () => formatUriTemplate('/v2/{0}', []),
      '`requestUri` template field {0} has no value (0 values given)',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/{1}', ['a']),
      '`requestUri` template field {1} has no value (1 value given)',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/{}/{0}', ['a']),
      '`requestUri` template mixes "{}" and numbered fields',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/{0}/{}', ['a']),
      '`requestUri` template mixes "{}" and numbered fields',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/{name}', ['a']),
      '`requestUri` template field {name} must be {} or a number such as {0}',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/}', []),
      '`requestUri` template has an unmatched "}": "/v2/}"',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/{0', ['a']),
      '`requestUri` template has an unmatched "{": "/v2/{0"',
    );
    throwsValidation(
      () => formatUriTemplate('/v2/{0}', [{}]),
      '`requestUri` value 0 must be a string, number or boolean, got an object',
    );
  });
});

describe('requestTarget (the signed wire string)', () => {
  it('base path + URI + createActivityLog first + set order, form-encoded', () => {
    const ro = new RequestObject()
      .setOwner('Example Community & Friends')
      .setRequestUri('/v2/indicators')
      .setModifiedSince('2015-06-17T00:00:00Z');
    assert.equal(
      requestTarget(ro, { basePath: '/api' }),
      '/api/v2/indicators?createActivityLog=false&owner=Example+Community+%26+Friends&modifiedSince=2015-06-17T00%3A00%3A00Z',
    );
    assert.equal(
      requestTarget(ro, { basePath: '/api', activityLog: true }),
      '/api/v2/indicators?createActivityLog=true&owner=Example+Community+%26+Friends&modifiedSince=2015-06-17T00%3A00%3A00Z',
    );
  });

  it('ignores pagination flags, as api_request did', () => {
    const ro = new RequestObject()
      .setResourcePagination(true)
      .setOwner('Example Community')
      .setRequestUri('/v2/indicators');
    assert.equal(
      requestTarget(ro, { basePath: '/api' }),
      '/api/v2/indicators?createActivityLog=false&owner=Example+Community',
    );
  });

  it('puts createActivityLog first even after emptyPayload', () => {
    const ro = new RequestObject()
      .emptyPayload()
      .addPayload('owner', 'o')
      .enableActivityLog()
      .setRequestUri('/v2/x');
    assert.equal(requestTarget(ro, { basePath: '' }), '/v2/x?createActivityLog=true&owner=o');
    assert.deepEqual(requestParams(ro), [
      ['createActivityLog', 'true'],
      ['owner', 'o'],
    ]);
    const none = new RequestObject().emptyPayload().setRequestUri('/v2/x');
    assert.equal(requestTarget(none, { basePath: '/api' }), '/api/v2/x');
  });

  it('needs a request URI', () => {
    throwsValidation(
      () => requestTarget(new RequestObject(), { basePath: '/api' }),
      '`requestUri` is not set; call setRequestUri() first',
    );
  });
});

describe('print(ro) layout (python-sdk-observed.md 4.3)', () => {
  it('GET /v2/indicators, with the Authorization header redacted', () => {
    const ro = new RequestObject()
      .setHttpMethod('GET')
      .setOwner('Example Community')
      .setOwnerAllowed(true)
      .setResourcePagination(true)
      .setRequestUri('/v2/indicators')
      .addHeader('Timestamp', 1795827658)
      .addHeader('Authorization', `TC 12345678901234567890:${SIG}`);
    const expected = [
      '',
      '_________________________________Request Object_________________________________',
      'Metadata                                ',
      '  Description                  None                                              ',
      '',
      'Request Settings                        ',
      '  Owner                        Example Community                                 ',
      '  Owner Allowed                True                                              ',
      '  Resource Pagination          True                                              ',
      '  Resource Type                None                                              ',
      '  Remaining Results            1                                                 ',
      '  Result Limit                 0                                                 ',
      '  Result Start                 0                                                 ',
      '',
      'HTTP Settings                           ',
      '  HTTP Method                  GET                                               ',
      '  Request URI                  /v2/indicators                                    ',
      '  Content Type                 None                                              ',
      '  Body                         None                                              ',
      '',
      'Headers                                 ',
      '  Timestamp                    1795827658                                        ',
      '  Authorization                TC 12345678901234567890:[REDACTED]                ',
      '',
      'Payload                                 ',
      '  createActivityLog            false                                             ',
      '  owner                        Example Community                                 ',
      '',
    ].join('\n');
    assert.equal(ro.toString(), expected);
    assert.equal(String(ro), expected);
    assert.equal(inspect(ro), expected);
    assert.ok(!inspect(ro).includes(SIG));
  });

  it('document create (POST, JSON body) as the seed builds it', () => {
    const ro = new RequestObject()
      .setHttpMethod('POST')
      .setBody(
        JSON.stringify({ name: 'Raw Upload Example', fileName: 'raw_example.txt' })
          .replace(/":/g, '": ')
          .replace(/,"/g, ', "'),
      )
      .setContentType('application/json')
      .setOwner('Example Community')
      .setOwnerAllowed(true)
      .setResourcePagination(false)
      .setRequestUri('/v2/groups/documents');
    const expected = [
      '',
      '_________________________________Request Object_________________________________',
      'Metadata                                ',
      '  Description                  None                                              ',
      '',
      'Request Settings                        ',
      '  Owner                        Example Community                                 ',
      '  Owner Allowed                True                                              ',
      '  Resource Pagination          False                                             ',
      '  Resource Type                None                                              ',
      '  Remaining Results            1                                                 ',
      '  Result Limit                 0                                                 ',
      '  Result Start                 0                                                 ',
      '',
      'HTTP Settings                           ',
      '  HTTP Method                  POST                                              ',
      '  Request URI                  /v2/groups/documents                              ',
      '  Content Type                 application/json                                  ',
      '  Body                         {"name": "Raw Upload Example", "fileName": "raw_example.txt"}',
      '',
      'Headers                                 ',
      '  Content-Type                 application/json                                  ',
      '  Content-Length               61                                                ',
      '',
      'Payload                                 ',
      '  createActivityLog            false                                             ',
      '  owner                        Example Community                                 ',
      '',
    ].join('\n');
    assert.equal(ro.toString(), expected);
  });

  it('upload with a token, a resource type, no payload, and a binary body', () => {
    const ro = new RequestObject()
      .setHttpMethod('POST')
      .setBody(Buffer.from('Raw upload example file Contents.'))
      .setContentType('application/octet-stream')
      .setResourceType(ResourceType.DOCUMENTS)
      .setRequestUri('/v2/groups/documents/{0}/upload', [392])
      .addHeader('Authorization', 'TC-Token 2:1:-1:1800000000:abc:def=')
      .emptyPayload();
    const text = ro.toString();
    assert.ok(
      text.includes('  Resource Type                ResourceType.DOCUMENTS                            \n'),
    );
    assert.ok(
      text.includes('  Body                         <binary body, 33 bytes>                           \n'),
    );
    assert.ok(
      text.includes('  Authorization                TC-Token [REDACTED]                               \n'),
    );
    assert.ok(!text.includes('abc:def'));
    assert.ok(!text.includes('Payload'));
    assert.ok(
      text.endsWith('  Authorization                TC-Token [REDACTED]                               \n'),
    );
  });

  it('masks secret-bearing parameters', () => {
    const ro = new RequestObject().setRequestUri('/appAuth').addPayload('expiredToken', 'tok-123');
    assert.ok(ro.toString().includes(`  ${'expiredToken'.padEnd(29)}${'[REDACTED]'.padEnd(50)}\n`));
    assert.ok(!ro.toString().includes('tok-123'));
    assert.equal(ro.payload.expiredToken, 'tok-123');
  });

  it('describeBody', () => {
    assert.equal(describeBody(undefined), 'None');
    assert.equal(describeBody('x'), 'x');
    assert.equal(describeBody(new Uint8Array(2)), '<binary body, 2 bytes>');
  });
});
