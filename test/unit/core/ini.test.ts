import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/core/errors.js';
import { parseIni } from '../../../src/core/ini.js';

// The Python docs' example secret: '#' and ';' inside a value must survive (the `ini` package cut it).
const SECRET = 'aabbccddeeffgghhiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz!@#$%^&*()-=';

function throwsConfig(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

describe('parseIni', () => {
  it('reads the seed tc.conf, secret whole', () => {
    const text = [
      '[threatconnect]',
      'api_access_id = 12345678901234567890',
      `api_secret_key = ${SECRET}`,
      'api_default_org = Example Org',
      'api_base_url = https://sandbox.threatconnect.com/api/',
    ].join('\n');
    const sections = parseIni(text);
    assert.deepEqual(
      { ...sections.threatconnect },
      {
        api_access_id: '12345678901234567890',
        api_secret_key: SECRET,
        api_default_org: 'Example Org',
        api_base_url: 'https://sandbox.threatconnect.com/api/',
      },
    );
  });

  it('accepts ":" as a delimiter and splits at the first delimiter', () => {
    const s = parseIni(`[a]\nkey: value: with colon\nother=x=y\nsecret : ${SECRET}\n`);
    assert.equal(s.a?.key, 'value: with colon');
    assert.equal(s.a.other, 'x=y');
    assert.equal(s.a.secret, SECRET);
  });

  it('takes the value verbatim after trimming; keeps inline # and ;', () => {
    const s = parseIni('[a]\nk =   spaced value ; not a comment # nor this   \nempty =\n');
    assert.equal(s.a?.k, 'spaced value ; not a comment # nor this');
    assert.equal(s.a.empty, '');
  });

  it('skips full-line comments, also indented ones, and blank lines', () => {
    const s = parseIni('# top\n; also\n[a]\n  # indented comment\n\nk = v\n;k2 = hidden\n');
    assert.deepEqual({ ...s.a }, { k: 'v' });
  });

  it('lower-cases keys, keeps section names as written', () => {
    const s = parseIni('[ThreatConnect]\nAPI_Access_ID = x\n');
    assert.equal(s.ThreatConnect?.api_access_id, 'x');
    assert.equal(s.threatconnect, undefined);
  });

  it('joins continuation lines with \\n; comment lines inside are dropped, blank lines kept, trailing ones trimmed', () => {
    const s = parseIni('[a]\nk = first\n  second\n  # comment\n\n    third\n\nnext = 1\n');
    assert.equal(s.a?.k, 'first\nsecond\n\nthird');
    assert.equal(s.a.next, '1');
  });

  it('an indented key after a section is a key, not a continuation', () => {
    const s = parseIni('[a]\n  k = v\n  j = w\n');
    assert.deepEqual({ ...s.a }, { k: 'v', j: 'w' });
  });

  it('handles CRLF, CR and a BOM', () => {
    const s = parseIni('\uFEFF[a]\r\nk = v\r\nj = w\rl = x');
    assert.deepEqual({ ...s.a }, { k: 'v', j: 'w', l: 'x' });
  });

  it('no interpolation: % is literal', () => {
    assert.equal(parseIni('[a]\nk = 100%(x)s\n').a?.k, '100%(x)s');
  });

  it('DEFAULT keys show in every section, and sections override them', () => {
    const s = parseIni('[DEFAULT]\nshared = d\nk = default\n[a]\nk = mine\n[b]\n');
    assert.deepEqual({ ...s.a }, { shared: 'd', k: 'mine' });
    assert.deepEqual({ ...s.b }, { shared: 'd', k: 'default' });
    assert.deepEqual({ ...s.DEFAULT }, { shared: 'd', k: 'default' });
  });

  it('[DEFAULT] may be reopened', () => {
    const s = parseIni('[DEFAULT]\na = 1\n[x]\n[DEFAULT]\nb = 2\n');
    assert.deepEqual({ ...s.x }, { a: '1', b: '2' });
  });

  it('keys named like Object properties are safe', () => {
    const s = parseIni('[a]\n__proto__ = x\nconstructor = y\n');
    assert.equal(s.a?.['__proto__'], 'x');
    assert.equal(s.a.constructor, 'y');
  });

  it('empty text gives no sections', () => {
    assert.deepEqual(Object.keys(parseIni('')), []);
  });

  it('rejects a key before any section', () => {
    throwsConfig(
      () => parseIni('k = v\n', 'tc.conf'),
      'tc.conf, line 1: a key line comes before any [section] header',
    );
  });

  it('rejects a line without a delimiter', () => {
    throwsConfig(
      () => parseIni('[a]\njust words\n', 'tc.conf'),
      'tc.conf, line 2: expected "key = value", "key: value" or "[section]"',
    );
  });

  it('rejects an empty key', () => {
    throwsConfig(() => parseIni('[a]\n= v\n'), 'config file, line 2: the key is empty');
  });

  it('rejects a repeated section and a repeated key', () => {
    throwsConfig(() => parseIni('[a]\n[a]\n', 'f'), 'f, line 2: section [a] appears twice');
    throwsConfig(
      () => parseIni('[a]\nk = 1\nK = 2\n', 'f'),
      'f, line 3: key "k" appears twice in its section',
    );
  });
});

describe('review: parseIni and the line separators of Unicode', () => {
  it('keeps U+2028 and U+2029 inside a value or a section name, as RawConfigParser does', () => {
    // Python splits a file's lines at CR and LF only, and its `.` matches every other character.
    const s = parseIni('[a\u2029b]\nk = x\u2028y\nk2: y\u2029z\n');
    assert.deepEqual({ ...s['a\u2029b'] }, { k: 'x\u2028y', k2: 'y\u2029z' });
  });
});
