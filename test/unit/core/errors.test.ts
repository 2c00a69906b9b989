import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  ConnectionError,
  IncompleteResultError,
  NotFoundError,
  ProxyAuthError,
  RateLimitError,
  RetryExhaustedError,
  ServerError,
  ThreatConnectError,
  TimeoutError,
  throwIfAborted,
  ValidationError,
} from '../../../src/core/errors.js';
import { errorFromResponse, failureMessage } from '../../../src/core/response-errors.js';
import {
  isSecretParam,
  REDACTED,
  redactHeaders,
  redactHeaderValue,
  redactRequest,
  redactSecrets,
  redactUrl,
} from '../../../src/core/redact.js';

const SIGNATURE = 'QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=';

describe('error classes', () => {
  const request = {
    method: 'GET',
    url: 'https://h/api/v2/x',
    headers: { Authorization: `TC 1234:${SIGNATURE}` },
  };
  const cases: [ThreatConnectError, string, string, readonly (abstract new (...a: never[]) => Error)[]][] = [
    [new ThreatConnectError('m'), 'ThreatConnectError', 'TC_ERROR', [Error]],
    [new ConfigError('m'), 'ConfigError', 'TC_CONFIG', [ThreatConnectError]],
    [new ValidationError('m'), 'ValidationError', 'TC_VALIDATION', [ThreatConnectError]],
    [new ApiError('m', { status: 409 }), 'ApiError', 'TC_API', [ThreatConnectError]],
    [new BadRequestError('m', { status: 400 }), 'BadRequestError', 'TC_BAD_REQUEST', [ApiError]],
    [new AuthenticationError('m', { status: 403 }), 'AuthenticationError', 'TC_AUTH', [ApiError]],
    [new NotFoundError('m', { status: 404 }), 'NotFoundError', 'TC_NOT_FOUND', [ApiError]],
    [new RateLimitError('m', { status: 429 }), 'RateLimitError', 'TC_RATE_LIMIT', [ApiError]],
    [new ServerError('m', { status: 500 }), 'ServerError', 'TC_SERVER', [ApiError]],
    [new ConnectionError('m', { kind: 'reset' }), 'ConnectionError', 'TC_CONNECTION', [ThreatConnectError]],
    [new TimeoutError('m', { phase: 'idle' }), 'TimeoutError', 'TC_TIMEOUT', [ConnectionError]],
    [new ProxyAuthError('m'), 'ProxyAuthError', 'TC_PROXY_AUTH', [ConnectionError]],
    [new AbortError(), 'AbortError', 'TC_ABORT', [ThreatConnectError]],
    [
      new RetryExhaustedError('m', { attempts: [] }),
      'RetryExhaustedError',
      'TC_RETRY_EXHAUSTED',
      [ThreatConnectError],
    ],
    [
      new IncompleteResultError('m', { resultStart: 0, resultLimit: 200 }),
      'IncompleteResultError',
      'TC_INCOMPLETE',
      [ThreatConnectError],
    ],
  ];
  for (const [error, name, code, parents] of cases) {
    it(`${name}: name, code, parent`, () => {
      assert.equal(error.name, name);
      assert.equal(error.constructor.name, name);
      assert.equal(error.code, code);
      assert.ok(error instanceof Error);
      for (const parent of parents) assert.ok(error instanceof parent, `${name} extends ${parent.name}`);
      assert.ok(String(error.stack).startsWith(`${name}: `));
      assert.ok(!Object.keys(error).includes('name'), 'name is not an own enumerable property');
    });
  }

  it('keeps cause, and a redacted request', () => {
    const cause = new Error('socket hang up');
    const error = new ConnectionError('reset', { kind: 'reset', cause, request });
    assert.equal(error.cause, cause);
    assert.equal(error.kind, 'reset');
    assert.deepEqual(error.request, {
      method: 'GET',
      url: 'https://h/api/v2/x',
      headers: { Authorization: 'TC 1234:[REDACTED]' },
    });
    assert.ok(!inspect(error).includes(SIGNATURE));
  });

  it('has no cause property when none was given', () => {
    assert.equal('cause' in new ConfigError('x'), false);
  });

  it('TimeoutError carries phase and timeout; ProxyAuthError has kind proxy-auth', () => {
    const t = new TimeoutError('slow', { phase: 'connect', timeoutMs: 30_000 });
    assert.equal(t.phase, 'connect');
    assert.equal(t.timeoutMs, 30_000);
    assert.equal(t.kind, 'timeout');
    assert.equal(new ProxyAuthError('no').kind, 'proxy-auth');
  });

  it('RetryExhaustedError freezes a copy of the attempts', () => {
    const attempts = [{ attempt: 1, delayMs: 0, status: 503 }];
    const error = new RetryExhaustedError('gave up', {
      attempts,
      cause: new ServerError('x', { status: 503 }),
    });
    attempts.push({ attempt: 2, delayMs: 1, status: 503 });
    assert.equal(error.attempts.length, 1);
    assert.ok(Object.isFrozen(error.attempts));
    assert.ok(error.cause instanceof ServerError);
  });

  it('IncompleteResultError carries the window', () => {
    const error = new IncompleteResultError('short', { resultStart: 400, resultLimit: 200 });
    assert.equal(error.resultStart, 400);
    assert.equal(error.resultLimit, 200);
  });

  it('AbortError.fromSignal keeps the reason', () => {
    const controller = new AbortController();
    const reason = new Error('user quit');
    controller.abort(reason);
    const error = AbortError.fromSignal(controller.signal);
    assert.equal(error.cause, reason);
    assert.equal(error.message, 'The operation was aborted: user quit');
    const plain = new AbortController();
    plain.abort();
    assert.equal(AbortError.fromSignal(plain.signal).message, 'The operation was aborted');
  });

  it('throwIfAborted throws AbortError only for a fired signal', () => {
    throwIfAborted(undefined);
    throwIfAborted(new AbortController().signal);
    const c = new AbortController();
    c.abort();
    assert.throws(() => {
      throwIfAborted(c.signal);
    }, AbortError);
  });
});

describe('redaction', () => {
  it('masks the HMAC signature but keeps the access id', () => {
    assert.equal(
      redactHeaderValue('Authorization', `TC 12345678901234567890:${SIGNATURE}`),
      'TC 12345678901234567890:[REDACTED]',
    );
    assert.equal(redactHeaderValue('authorization', `TC abc:${SIGNATURE}`), 'TC abc:[REDACTED]');
  });

  it('masks tokens and other schemes', () => {
    assert.equal(
      redactHeaderValue('Authorization', 'TC-Token 2:1:-1:1800000000:abc:def='),
      'TC-Token [REDACTED]',
    );
    assert.equal(redactHeaderValue('Proxy-Authorization', 'Basic dXNlcjpwYXNz'), 'Basic [REDACTED]');
    assert.equal(redactHeaderValue('Authorization', 'Bearer xyz'), 'Bearer [REDACTED]');
    assert.equal(redactHeaderValue('Authorization', 'opaque'), REDACTED);
    assert.equal(redactHeaderValue('Cookie', 'a=b'), REDACTED);
  });

  it('is idempotent and leaves other headers alone', () => {
    const once = redactHeaderValue('Authorization', `TC id:${SIGNATURE}`);
    assert.equal(redactHeaderValue('Authorization', once), once);
    assert.equal(redactHeaderValue('Authorization', 'TC-Token [REDACTED]'), 'TC-Token [REDACTED]');
    assert.equal(redactHeaderValue('Timestamp', '1700000000'), '1700000000');
    assert.equal(redactHeaderValue('Content-Type', 'application/json'), 'application/json');
  });

  it('redactHeaders joins repeated values and drops undefined', () => {
    assert.deepEqual(redactHeaders({ a: ['1', '2'], b: undefined, c: 3, Authorization: 'TC x:y' }), {
      a: '1, 2',
      c: '3',
      Authorization: 'TC x:[REDACTED]',
    });
    assert.deepEqual(redactHeaders(undefined), {});
  });

  it('masks proxy passwords in URLs', () => {
    assert.equal(
      redactUrl('http://proxy_user:password123@10.10.10.10:8443'),
      'http://proxy_user:[REDACTED]@10.10.10.10:8443',
    );
    assert.equal(redactUrl('http://10.10.10.10:8443/x'), 'http://10.10.10.10:8443/x');
  });

  it('masks secret-bearing query parameters and keeps the rest byte for byte', () => {
    assert.equal(
      redactUrl('https://h/api/appAuth?expiredToken=2%3A1%3Aabc&x=a+b'),
      'https://h/api/appAuth?expiredToken=[REDACTED]&x=a+b',
    );
    assert.equal(
      redactUrl(
        'https://h/api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500',
      ),
      'https://h/api/v2/indicators?createActivityLog=false&owner=Example+Community&resultLimit=500',
    );
    assert.equal(redactUrl('/p?TOKEN=abc&flag#frag'), '/p?TOKEN=[REDACTED]&flag#frag');
    assert.equal(redactUrl('/p?%ZZ=1'), '/p?%ZZ=1');
  });

  it('redactRequest returns a frozen redacted copy', () => {
    const original = {
      method: 'POST',
      url: 'http://u:pw@h/api/appAuth?expiredToken=tok',
      headers: { Authorization: 'TC-Token tok', 'Content-Type': 'application/json' },
    };
    const redacted = redactRequest(original);
    assert.deepEqual(redacted, {
      method: 'POST',
      url: 'http://u:[REDACTED]@h/api/appAuth?expiredToken=[REDACTED]',
      headers: { Authorization: 'TC-Token [REDACTED]', 'Content-Type': 'application/json' },
    });
    assert.ok(Object.isFrozen(redacted));
    assert.equal(original.headers.Authorization, 'TC-Token tok');
  });

  it('isSecretParam', () => {
    assert.ok(isSecretParam('expiredToken'));
    assert.ok(isSecretParam('PASSWORD'));
    assert.ok(!isSecretParam('owner'));
  });

  it('redactSecrets replaces every occurrence and ignores empty secrets', () => {
    assert.equal(redactSecrets('a s3 b s3', ['s3', '', undefined]), `a ${REDACTED} b ${REDACTED}`);
  });
});

describe('failureMessage', () => {
  it('reads the failure envelope', () => {
    assert.equal(
      failureMessage(404, '{"status":"Failure","message":"The requested resource was not found"}'),
      'The requested resource was not found',
    );
    assert.equal(
      failureMessage(401, Buffer.from('{"success":false,"message":"Unauthorized"}')),
      'Unauthorized',
    );
  });

  it('falls back to plain text, then to the status line', () => {
    assert.equal(
      failureMessage(500, 'Could not find resource for relative : /v2/x'),
      'Could not find resource for relative : /v2/x',
    );
    assert.equal(failureMessage(502, ''), 'HTTP 502 Bad Gateway');
    assert.equal(failureMessage(500, '{"status":"Failure"}'), 'HTTP 500 Internal Server Error');
    assert.equal(failureMessage(500, '{not json'), 'HTTP 500 Internal Server Error');
    assert.equal(failureMessage(503, '<html>busy</html>'), 'HTTP 503 Service Unavailable');
    assert.equal(failureMessage(599, undefined), 'HTTP 599');
    assert.equal(failureMessage(500, 'x'.repeat(600)), `${'x'.repeat(500)}…`);
  });
});

describe('errorFromResponse', () => {
  const envelope = (message: string): string => JSON.stringify({ status: 'Failure', message });
  const request = {
    method: 'GET',
    url: 'https://h/api/v2/groups/incidents/708996',
    headers: { Authorization: `TC 1234:${SIGNATURE}`, Timestamp: '1700000000' },
  };

  const table: [number, abstract new (...a: never[]) => ApiError, string][] = [
    [400, BadRequestError, 'TC_BAD_REQUEST'],
    [401, AuthenticationError, 'TC_AUTH'],
    [403, AuthenticationError, 'TC_AUTH'],
    [404, NotFoundError, 'TC_NOT_FOUND'],
    [429, RateLimitError, 'TC_RATE_LIMIT'],
    [500, ServerError, 'TC_SERVER'],
    [502, ServerError, 'TC_SERVER'],
    [503, ServerError, 'TC_SERVER'],
    [409, ApiError, 'TC_API'],
    [413, ApiError, 'TC_API'],
  ];
  for (const [status, cls, code] of table) {
    it(`${status} → ${cls.name}`, () => {
      const error = errorFromResponse({
        status,
        body: envelope(`Injected fault ${status}`),
        headers: { 'Content-Type': 'application/json' },
        request,
      });
      assert.ok(error instanceof cls);
      assert.ok(error instanceof ApiError);
      assert.equal(error.constructor, cls);
      assert.equal(error.code, code);
      assert.equal(error.status, status);
      assert.equal(error.message, `Injected fault ${status}`);
      assert.equal(error.body, envelope(`Injected fault ${status}`));
      assert.deepEqual(error.headers, { 'content-type': 'application/json' });
      assert.deepEqual(error.request?.headers, {
        Authorization: 'TC 1234:[REDACTED]',
        Timestamp: '1700000000',
      });
    });
  }

  it('429 and 503 carry the Retry-After hint', () => {
    const rate = errorFromResponse({ status: 429, body: '', retryAfterMs: 600_000 });
    assert.ok(rate instanceof RateLimitError);
    assert.equal(rate.retryAfterMs, 600_000);
    const busy = errorFromResponse({ status: 503, retryAfterMs: 400_000 });
    assert.ok(busy instanceof ServerError);
    assert.equal(busy.retryAfterMs, 400_000);
    assert.equal(busy.message, 'HTTP 503 Service Unavailable');
    const none = errorFromResponse({ status: 429 });
    assert.ok(none instanceof RateLimitError);
    assert.equal(none.retryAfterMs, undefined);
  });

  it('407 is a ProxyAuthError, not an ApiError', () => {
    const error = errorFromResponse({ status: 407, body: 'Proxy Authentication Required', cause: 'x' });
    assert.ok(error instanceof ProxyAuthError);
    assert.ok(!(error instanceof ApiError));
    assert.equal(error.message, 'Proxy authentication failed (407): Proxy Authentication Required');
    assert.equal(error.cause, 'x');
  });

  it('bytes bodies are decoded and secrets in response headers are masked', () => {
    const error = errorFromResponse({
      status: 401,
      body: new TextEncoder().encode('{"status":"Failure","message":"Access Denied"}'),
      headers: { 'Set-Cookie': ['a=1', 'b=2'], 'X-Other': 'v' },
    });
    assert.equal(error.message, 'Access Denied');
    assert.deepEqual((error as ApiError).headers, { 'set-cookie': REDACTED, 'x-other': 'v' });
  });
});
