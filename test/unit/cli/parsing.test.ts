/** The CLI's pure parts: `--proxy` URLs, NO_PROXY matching, OPVALUE post filters, the format registry. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { bypassesProxy, parseProxyUrl, proxyFromEnv } from '../../../src/cli/connection.js';
import { parsePostFilter } from '../../../src/cli/filter-flags.js';
import { createWriter, FORMATS } from '../../../src/cli/formats.js';

describe('--proxy', () => {
  it('reads http://[user:pass@]host:port, https:// and a bare host:port', () => {
    assert.deepEqual(parseProxyUrl('http://proxy.example.com:3128'), {
      host: 'proxy.example.com',
      port: 3128,
    });
    assert.deepEqual(parseProxyUrl('proxy.example.com:3128'), { host: 'proxy.example.com', port: 3128 });
    assert.deepEqual(parseProxyUrl('http://proxy'), { host: 'proxy', port: 80 });
    assert.deepEqual(parseProxyUrl('https://proxy'), { host: 'https://proxy', port: 443 });
    assert.deepEqual(parseProxyUrl('http://us%40er:p%3Ass@10.0.0.1:8080/'), {
      host: '10.0.0.1',
      port: 8080,
      user: 'us@er',
      password: 'p:ss',
    });
    assert.deepEqual(parseProxyUrl('http://[::1]:3128'), { host: '::1', port: 3128 });
  });

  it('refuses other schemes, paths, and a user without a password', () => {
    for (const value of [
      'socks5://proxy:1080',
      'http://proxy:3128/path',
      'http://user@proxy:3128',
      'http://',
      '::',
    ]) {
      assert.throws(() => parseProxyUrl(value), InvalidArgumentError, value);
    }
  });
});

describe('NO_PROXY', () => {
  const url = new URL('https://api.tc.example.com/api');
  it('matches *, exact hosts, domains with or without a dot, and ports', () => {
    for (const list of [
      '*',
      'api.tc.example.com',
      'example.com',
      '.example.com',
      '*.example.com',
      'x, tc.example.com:443',
    ]) {
      assert.equal(bypassesProxy(url, list), true, list);
    }
    for (const list of ['', 'other.com', 'example.com:8443', 'ample.com', 'api.tc.example.com.evil']) {
      assert.equal(bypassesProxy(url, list), false, list);
    }
    assert.equal(bypassesProxy(new URL('http://[::1]:8080/api'), '[::1]:8080'), true);
    assert.equal(bypassesProxy(new URL('http://[::1]:8080/api'), '::1'), true);
    assert.equal(bypassesProxy(new URL('http://127.0.0.1:8080/api'), '127.0.0.1'), true);
  });

  it('HTTPS_PROXY for https, http_proxy for http, NO_PROXY first', () => {
    const env = { HTTPS_PROXY: 'http://p:1', http_proxy: 'http://q:2', HTTP_PROXY: 'http://r:3' };
    assert.deepEqual(proxyFromEnv('https://tc.example.com/api', env), {
      proxy: { host: 'p', port: 1 },
      variable: 'HTTPS_PROXY',
    });
    assert.deepEqual(proxyFromEnv('http://tc.example.com/api', env), {
      proxy: { host: 'q', port: 2 },
      variable: 'http_proxy',
    });
    assert.equal(proxyFromEnv('http://tc.example.com/api', { HTTP_PROXY: 'http://r:3' }), undefined);
    assert.equal(proxyFromEnv('https://tc.example.com/api', { ...env, NO_PROXY: 'example.com' }), undefined);
    assert.equal(
      proxyFromEnv('https://tc.example.com/api', { https_proxy: 'http://p:1', no_proxy: '*' }),
      undefined,
    );
    assert.throws(
      () => proxyFromEnv('https://tc.example.com/api', { HTTPS_PROXY: 'socks5://p:1' }),
      /HTTPS_PROXY must be/,
    );
  });
});

describe('OPVALUE', () => {
  const parse = parsePostFilter('--pf-rating');
  it('reads the six operators; none means =', () => {
    const cases: [string, string, string][] = [
      ['3', 'EQ', '3'],
      ['=3', 'EQ', '3'],
      ['!=3', 'NE', '3'],
      ['>3', 'GT', '3'],
      ['>=3', 'GE', '3'],
      ['<3', 'LT', '3'],
      ['<=3', 'LE', '3'],
      ['>=2015-06-18T20:21:45-05:00', 'GE', '2015-06-18T20:21:45-05:00'],
      ['Bad Guy', 'EQ', 'Bad Guy'],
      ['!=a=b', 'NE', 'a=b'],
    ];
    for (const [input, operator, value] of cases) assert.deepEqual(parse(input), { operator, value }, input);
  });

  it('refuses an operator that is not one of them, and an empty value', () => {
    for (const input of ['==3', '=>3', '=<3', '<>3', '!3', '>>3', '', '>', '!=', '  ']) {
      assert.throws(() => parse(input), InvalidArgumentError, input);
    }
  });
});

describe('format registry', () => {
  it('every format is built; CEF and LEEF print indicators only', () => {
    assert.deepEqual(
      Object.entries(FORMATS).map(([name, entry]) => [name, entry?.kinds]),
      [
        ['json', ['indicator', 'group', 'owner']],
        ['jsonl', ['indicator', 'group', 'owner']],
        ['csv', ['indicator', 'group']],
        ['cef', ['indicator']],
        ['leef', ['indicator']],
        ['keyval', ['indicator', 'group']],
      ],
    );
    assert.deepEqual(createWriter('cef', { kind: 'group', compat: undefined }), {
      problem: { reason: 'kind', message: 'format cef does not apply to groups' },
    });
  });

  it('json streams one array; jsonl one object per line', () => {
    const owner = { id: 1, name: 'Example Org', type: 'Organization', ownerName: 'Example Org' } as never;
    const json = createWriter('json', { kind: 'owner', compat: undefined });
    assert.ok('writer' in json);
    const w = json.writer;
    assert.equal(w.begin() + w.end(), '[]\n');
    const w2 = (createWriter('json', { kind: 'owner', compat: undefined }) as { writer: typeof w }).writer;
    const text = w2.begin() + w2.record(owner) + w2.record(owner) + w2.end();
    assert.equal(
      text,
      '[\n{"id":1,"name":"Example Org","type":"Organization"},\n{"id":1,"name":"Example Org","type":"Organization"}\n]\n',
    );
    const jsonl = (createWriter('jsonl', { kind: 'owner', compat: undefined }) as { writer: typeof w })
      .writer;
    assert.equal(
      jsonl.begin() + jsonl.record(owner) + jsonl.end(),
      '{"id":1,"name":"Example Org","type":"Organization"}\n',
    );
  });
});
