/**
 * Properties of what goes on the wire and what is signed (conventions rule 6, rest-api-v2.md 2.1):
 * form encoding, the query, the target undici sends (the WHATWG URL parser's), and the HMAC over it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { signHmac } from '../../src/auth/hmac.js';
import { buildPathAndQuery, buildQuery, formEncode, wireTarget } from '../../src/core/url.js';
import { signature } from '../helpers/signer.js';

/** Any text of whole Unicode characters (no lone surrogates, which no encoding round-trips). */
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
/** Any code points, lone surrogates included. */
const anyCodePoints = fc.string({ unit: 'binary', maxLength: 40 });

/** What the WHATWG parser makes of a target: the path and query undici puts on the wire. */
function parsed(origin: string, pathAndQuery: string): string {
  const url = new URL(origin + pathAndQuery);
  return url.pathname + url.search;
}

/**
 * Pieces of request targets, chosen to meet every rule of the parser: characters it keeps, characters
 * it percent-encodes (in a path, in a query, or both), `%` escapes, `\`, `#`, dot segments, non-ASCII.
 */
const TARGET_PIECES = [
  ...Array.from('aZ09-._~!$&()*+,;=:@/?\'"<>`{}|^[] #\\%'),
  '%41',
  '%2F',
  '%zz',
  '.',
  '..',
  '/./',
  '/../',
  'é',
  '😀',
  '\t',
];
const targetArb = fc
  .string({ unit: fc.constantFrom(...TARGET_PIECES), maxLength: 24 })
  .map((rest) => `/api/v2/${rest}`);
const ORIGIN = 'https://tc.example.com';
describe('URL encoding and the wire target', () => {
  it('formEncode keeps only unreserved characters, + and %XX escapes', () => {
    fc.assert(
      fc.property(anyCodePoints, (value) => {
        assert.match(formEncode(value), /^(?:[A-Za-z0-9_.~+-]|%[0-9A-F]{2})*$/);
      }),
    );
  });

  it('formEncode round-trips through URLSearchParams decoding', () => {
    fc.assert(
      fc.property(text, (value) => {
        assert.equal(new URLSearchParams(`k=${formEncode(value)}`).get('k'), value);
      }),
    );
  });

  it('buildQuery gives back every pair, in order, when decoded', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 8 }), (pairs) => {
        assert.deepEqual([...new URLSearchParams(buildQuery(pairs))], pairs);
      }),
    );
  });

  it('buildPathAndQuery: createActivityLog first, then the parameters as set, after the request URI', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(text, text), { maxLength: 6 })
          .map((pairs) => pairs.filter(([key]) => key !== 'createActivityLog')),
        fc.option(fc.tuple(fc.constantFrom('true', 'false'), fc.nat()), { nil: undefined }),
        fc.boolean(),
        (rest, activityParam, activityLog) => {
          // The request's own createActivityLog, when it has one, somewhere among the others.
          const params: [string, string][] = [...rest];
          if (activityParam !== undefined) {
            params.splice(activityParam[1] % (rest.length + 1), 0, ['createActivityLog', activityParam[0]]);
          }
          const target = buildPathAndQuery({
            basePath: '/api',
            requestUri: '/v2/owners',
            params,
            activityLog,
          });
          const [path, query = ''] = target.split(/\?(.*)/s);
          assert.equal(path, '/api/v2/owners');
          const activity = activityLog ? 'true' : activityParam?.[0];
          const expected = activity === undefined ? rest : [['createActivityLog', activity], ...rest];
          assert.deepEqual([...new URLSearchParams(query)], expected);
        },
      ),
    );
  });

  it('wireTarget is what the WHATWG parser sends, and a fixed point of it', () => {
    fc.assert(
      fc.property(targetArb, (target) => {
        const wire = wireTarget(ORIGIN, target);
        assert.equal(wire, parsed(ORIGIN, target), target);
        assert.equal(parsed(ORIGIN, wire), wire, 'parsing the wire target again changes nothing');
      }),
      { numRuns: 500 },
    );
  });

  it('wireTarget resolves dot segments written as %2e, as the parser does', () => {
    for (const target of ['/api/v2/owners/x/%2e%2e/mine', '/api/v2/a/%2E/b', '/api/v2/x/.%2e/y']) {
      assert.equal(wireTarget(ORIGIN, target), parsed(ORIGIN, target), target);
    }
  });
  it('wireTarget drops an empty query ("?" at the end), as the parser does', () => {
    assert.equal(wireTarget(ORIGIN, '/api/v2/owners?'), parsed(ORIGIN, '/api/v2/owners?'));
  });
});

describe('HMAC signing', () => {
  it('signHmac equals an HMAC-SHA256 over "<path and query>:<METHOD>:<timestamp>" made apart from it', () => {
    fc.assert(
      fc.property(
        fc.record({
          accessId: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 24 }),
          secretKey: text,
          method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'get', 'post'),
          pathAndQuery: targetArb.map((t) => parsed(ORIGIN, t)),
          timestampSec: fc.oneof(
            fc.integer({ min: 0, max: 2 ** 33 }),
            fc.double({ min: 0, max: 2 ** 33, noNaN: true }),
          ),
        }),
        (input) => {
          const timestamp = Math.floor(input.timestampSec);
          assert.deepEqual(signHmac(input), {
            Timestamp: String(timestamp),
            Authorization: `TC ${input.accessId}:${signature(input.secretKey, input.method.toUpperCase(), input.pathAndQuery, timestamp)}`,
          });
        },
      ),
    );
  });

  it('any change of method, target, timestamp or key changes the signature', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST'),
        targetArb,
        targetArb,
        fc.integer({ min: 0, max: 2 ** 33 }),
        // HMAC pads a short key with zero bytes: "k" and "k\0" are the same key.
        text.filter((k) => !k.includes('\0')),
        text.filter((k) => !k.includes('\0')),
        (method, target, otherTarget, timestampSec, secretKey, otherKey) => {
          const base = { accessId: 'id', secretKey, method, pathAndQuery: target, timestampSec };
          const auth = signHmac(base).Authorization;
          if (otherTarget !== target) {
            assert.notEqual(signHmac({ ...base, pathAndQuery: otherTarget }).Authorization, auth);
          }
          if (otherKey !== secretKey)
            assert.notEqual(signHmac({ ...base, secretKey: otherKey }).Authorization, auth);
          assert.notEqual(
            signHmac({ ...base, method: method === 'GET' ? 'POST' : 'GET' }).Authorization,
            auth,
          );
          assert.notEqual(signHmac({ ...base, timestampSec: timestampSec + 1 }).Authorization, auth);
        },
      ),
    );
  });
});
