/**
 * Indicator type detection (sdk-behaviour.md 7; decisions.md 1.7): the original's default patterns
 * ported to JavaScript with full-match semantics, and `setIndicatorRegex` overrides per client.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConfigError, IndicatorType, ThreatConnect } from '../../../src/index.js';
import { DETECTION_ORDER, IndicatorRegexes } from '../../../src/resources/detect.js';
import { CLIENT_INTERNALS } from '../../../src/resources/internals.js';

const { ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS } = IndicatorType;

/** value → the type detected, or undefined for a value no type accepts. */
const TABLE: readonly (readonly [string, IndicatorType | undefined])[] = [
  // sdk-behaviour.md 7.2, checked with Python 2.7 (with full-match validation, as the TS port does)
  ['1.2.3.4', ADDRESSES],
  ['::1', ADDRESSES],
  ['2001:db8::1', ADDRESSES],
  ['a@b.co', EMAIL_ADDRESSES],
  ['john.doe@x.com', EMAIL_ADDRESSES],
  ['evil.com', HOSTS],
  ['EXAMPLE.COM', HOSTS],
  ['sub.example.co.uk', HOSTS],
  ['xn--p1ai.xn--p1ai', HOSTS],
  ['evil.com/path', undefined],
  ['www.badguy_014.com', undefined],
  ['https://a.b/c.', undefined],
  ['1.2.3.4.5', undefined],
  ['01.2.3.4', undefined],
  ['a@b.c', undefined],
  ['foo.exe', undefined],
  ['localhost', undefined],
  // IPv4 edges
  ['0.0.0.0', ADDRESSES],
  ['255.255.255.255', ADDRESSES],
  ['256.1.1.1', undefined],
  ['1.2.3', undefined],
  // IPv6: every form of RFC 3986, upper case, embedded IPv4, and what is not an address
  ['1:2:3:4:5:6:7:8', ADDRESSES],
  ['1:2:3:4:5:6:1.2.3.4', ADDRESSES],
  ['::2:3:4:5:6:7:8', ADDRESSES],
  ['1::3:4:5:6:7:8', ADDRESSES],
  ['1:2::4:5:6:7:8', ADDRESSES],
  ['1:2:3::5:6:7:8', ADDRESSES],
  ['1:2:3:4::6:7:8', ADDRESSES],
  ['1:2:3:4:5::7:8', ADDRESSES],
  ['1:2:3:4:5:6::8', ADDRESSES],
  ['1:2:3:4:5:6:7::', ADDRESSES],
  ['::', ADDRESSES],
  ['::ffff:192.0.2.1', ADDRESSES],
  ['64:ff9b::192.0.2.33', ADDRESSES],
  ['FE80::1', ADDRESSES],
  ['2001:DB8:0:0:8:800:200C:417A', ADDRESSES],
  ['1:2:3:4:5:6:7:8:9', undefined],
  ['1::2::3', undefined],
  ['12345::1', undefined],
  ['fe80::1%eth0', undefined],
  ['[::1]', undefined],
  ['g::1', undefined],
  // e-mail
  ['first.last+tag@mail.example.org', EMAIL_ADDRESSES],
  ['USER@EXAMPLE.COM', EMAIL_ADDRESSES],
  ['user@localhost', undefined],
  ['user@@example.com', undefined],
  // hosts against file names: a top-level label starting with a listed extension is a file
  ['report.pdf', undefined],
  ['setup.exe', undefined],
  ['index.html', undefined],
  ['x.run', undefined],
  ['x.docs', undefined],
  ['x.jsx', undefined],
  ['x.dat', undefined],
  ['x.data', HOSTS],
  ['x.gif', undefined],
  ['x.gift', HOSTS],
  ['x.xn', undefined],
  ['-bad.example.com', undefined],
  ['bad-.example.com', undefined],
  ['a-b.example.com', HOSTS],
  ['example.c', undefined],
  ['example.abcdefghijklm', HOSTS],
  ['example.abcdefghijklmn', undefined],
  // URLs: schemes, ports, queries, fragments; case-sensitive scheme as the original
  ['http://example.com', URLS],
  ['https://example.com:8443/a/b?x=1&y=2#frag', URLS],
  ['ftp://files.example.com/pub/file.txt', URLS],
  ['sftp://host/path', URLS],
  ['file:///etc/passwd', URLS],
  ['http://example.com/path?q=a%20b', URLS],
  ['HTTP://example.com', undefined],
  ['gopher://example.com', undefined],
  ['http://example.com/ space', undefined],
  ['example.com:8080', undefined],
  // hashes of each length, any case; other lengths are nothing
  ['d41d8cd98f00b204e9800998ecf8427e', FILES],
  ['D41D8CD98F00B204E9800998ECF8427E', FILES],
  ['da39a3ee5e6b4b0d3255bfef95601890afd80709', FILES],
  ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', FILES],
  ['E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', FILES],
  ['d41d8cd98f00b204e9800998ecf8427', undefined],
  ['d41d8cd98f00b204e9800998ecf8427e0', undefined],
  ['g41d8cd98f00b204e9800998ecf8427e', undefined],
  // values are not trimmed: a trailing newline (which Python's `$` let through) or spaces fail
  ['1.2.3.4\n', undefined],
  ['evil.com\n', undefined],
  ['d41d8cd98f00b204e9800998ecf8427e\n', undefined],
  [' 1.2.3.4', undefined],
  ['1.2.3.4 ', undefined],
  ['http://example.com\r\n', undefined],
  ['', undefined],
];

describe('default patterns (sdk-behaviour.md 7.1, full match)', () => {
  const regexes = new IndicatorRegexes();
  for (const [value, expected] of TABLE) {
    it(`${JSON.stringify(value)} → ${expected ?? 'none'}`, () => {
      assert.equal(regexes.detect(value), expected);
      assert.equal(regexes.validate(value), expected !== undefined);
    });
  }

  it('detects in the original order FILES, URLS, HOSTS, ADDRESSES, EMAIL_ADDRESSES', () => {
    assert.deepEqual(DETECTION_ORDER, [FILES, URLS, HOSTS, ADDRESSES, EMAIL_ADDRESSES]);
  });

  it('the default patterns never claim one value for two types', () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`));
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
    const octet = fc.integer({ min: 0, max: 255 }).map(String);
    const values = fc.oneof(
      fc.oneof(hex(32), hex(40), hex(64)),
      fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
      fc.ipV6(),
      fc.tuple(label, label).map(([a, b]) => `${a}.${b}.com`),
      fc.emailAddress(),
      fc.webUrl(),
      fc.string(),
    );
    fc.assert(
      fc.property(values, (value) => {
        const matching = DETECTION_ORDER.filter((type) => regexes.matches(type, value));
        return matching.length <= 1;
      }),
      { numRuns: 2000 },
    );
  });

  it('every generated IPv4 and IPv6 address and every hash is detected', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => regexes.detect(ip) === ADDRESSES),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^(?:[0-9a-f]{32}|[0-9A-F]{40}|[0-9a-fA-F]{64})$/),
        (h) => regexes.detect(h) === FILES,
      ),
      { numRuns: 300 },
    );
  });
});

describe('setIndicatorRegex overrides (sdk-behaviour.md 7.4; decisions.md 1.7)', () => {
  it('replaces the patterns of that type only, and patterns() gives them back as given', () => {
    const regexes = new IndicatorRegexes();
    const only = /^only\.example$/;
    regexes.set(HOSTS, only);
    assert.deepEqual(regexes.patterns(HOSTS), [only]);
    assert.equal(regexes.detect('evil.com'), undefined);
    assert.equal(regexes.detect('only.example'), HOSTS);
    assert.equal(regexes.detect('1.2.3.4'), ADDRESSES);
  });

  it('keeps the flags: the seed host pattern with the i flag instead of the inline (?i)', () => {
    const regexes = new IndicatorRegexes();
    const hostRe = new RegExp(
      '\\b((?:(?!-)[a-zA-Z0-9-]{1,63}(?<!-)\\.)+(?!exe|php|dll|doc|docx|txt|rtf|odt|xls|xlsx|ppt|pptx|bin|pcap|ioc|pdf|mdb|asp|html|xml|jpg|gif$|png|lnk|log|vbs|lco|bat|shell|quit|pdb|vbp|bdoda|bsspx|save|cpl|wav|tmp|close|ico|ini|sleep|run|dat$|scr|jar|jxr|apt|w32|css|js|xpi|class|apk|rar|zip|hlp|cpp|crl|cfg|cer|plg|lxdns|cgi|xn$)(?:xn--[a-zA-Z0-9]{2,22}|[a-zA-Z]{2,13}))(?:\\s|$)',
      'i',
    );
    regexes.set(HOSTS, hostRe);
    assert.equal(regexes.detect('new.domain.tld'), HOSTS);
    assert.equal(regexes.detect('NEW.DOMAIN.TLD'), HOSTS);
    regexes.set(HOSTS, new RegExp(hostRe.source));
    assert.equal(regexes.detect('NEW.DOMAIN.TLD'), HOSTS, 'the labels allow upper case without the flag');
  });

  it('the match must span the whole value, whatever the anchors and flags', () => {
    const regexes = new IndicatorRegexes();
    // The seed's IPv4 override is unanchored: a longer value is still no address.
    regexes.set(
      ADDRESSES,
      /(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)/,
    );
    assert.equal(regexes.detect('1.2.3.4'), ADDRESSES);
    assert.equal(regexes.detect('01.2.3.4'), ADDRESSES, 'this pattern allows leading zeros');
    assert.equal(regexes.detect('x1.2.3.4'), undefined);
    assert.equal(regexes.detect('1.2.3.45678'), undefined);
    // An alternative that matches a prefix first does not hide one that matches the whole value.
    regexes.set(EMAIL_ADDRESSES, /a|ab/);
    assert.equal(regexes.detect('ab'), EMAIL_ADDRESSES);
    // With the m flag, ^ and $ are line boundaries, but the value must still match as a whole.
    regexes.set(EMAIL_ADDRESSES, /^x@y\.zz$/m);
    assert.equal(regexes.detect('x@y.zz'), EMAIL_ADDRESSES);
    assert.equal(regexes.detect('x@y.zz\nmore'), undefined);
    assert.equal(regexes.detect('more\nx@y.zz'), undefined);
  });

  it('a g or y flag carries no state from one value to the next', () => {
    const regexes = new IndicatorRegexes();
    const global = /^[0-9a-f]{32}$/gi;
    regexes.set(FILES, [global, /^[0-9a-f]{40}$/y]);
    for (let i = 0; i < 3; i += 1) {
      assert.equal(regexes.detect('D41D8CD98F00B204E9800998ECF8427E'), FILES);
      assert.equal(regexes.detect('da39a3ee5e6b4b0d3255bfef95601890afd80709'), FILES);
    }
    assert.equal(global.lastIndex, 0, "the user's RegExp is not used to test values");
  });

  it('the first type in the detection order wins when user patterns overlap', () => {
    const regexes = new IndicatorRegexes();
    regexes.set(URLS, /.*\.com/);
    assert.equal(regexes.detect('evil.com'), URLS);
  });

  it('refuses what is not an IndicatorType with patterns, or not a RegExp', () => {
    const regexes = new IndicatorRegexes();
    const set = (type: unknown, regex: unknown) => () => {
      regexes.set(type as typeof HOSTS, regex as RegExp);
    };
    assert.throws(set(IndicatorType.CUSTOM_INDICATORS, /x/), {
      name: 'ConfigError',
      message:
        '`setIndicatorRegex` type must be one of IndicatorType.FILES, IndicatorType.URLS, IndicatorType.HOSTS, IndicatorType.ADDRESSES, IndicatorType.EMAIL_ADDRESSES, got IndicatorType.CUSTOM_INDICATORS (custom indicator types are not detected by patterns)',
    });
    assert.throws(set('HOSTS', /x/), { name: 'ConfigError', message: /got "HOSTS"/ });
    assert.throws(set(999, /x/), { name: 'ConfigError', message: /got 999/ });
    assert.throws(set(HOSTS, 'x\\.com'), {
      name: 'ConfigError',
      message:
        '`setIndicatorRegex` regex must be a RegExp (such as /^x$/i or new RegExp(text)), got "x\\\\.com"',
    });
    assert.throws(set(HOSTS, [/x/, 'y']), { name: 'ConfigError', message: /regex\[1\] must be a RegExp/ });
    assert.throws(set(HOSTS, []), {
      name: 'ConfigError',
      message: '`setIndicatorRegex` needs at least one RegExp for IndicatorType.HOSTS, got an empty array',
    });
    assert.equal(regexes.detect('evil.com'), HOSTS, 'a refused call changes nothing');
  });
});

describe('patterns belong to one client', () => {
  const options = { accessId: 'a', secretKey: 's', defaultOrg: 'Org', baseUrl: 'http://127.0.0.1:1/api' };

  it('setIndicatorRegex changes that client and no other', async () => {
    const one = new ThreatConnect(options);
    const two = new ThreatConnect(options);
    try {
      one.setIndicatorRegex(HOSTS, /^[a-z]+\.lan1$/);
      assert.equal(one[CLIENT_INTERNALS]().detector.detect('db.lan1'), HOSTS);
      assert.equal(one[CLIENT_INTERNALS]().detector.detect('evil.com'), undefined);
      assert.equal(two[CLIENT_INTERNALS]().detector.detect('db.lan1'), undefined);
      assert.equal(two[CLIENT_INTERNALS]().detector.detect('evil.com'), HOSTS);
      assert.equal(new IndicatorRegexes().detect('evil.com'), HOSTS);
      assert.throws(() => {
        one.setIndicatorRegex(HOSTS, 'x' as unknown as RegExp);
      }, ConfigError);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
