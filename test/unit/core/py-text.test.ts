import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  colonRow,
  formatTimedelta,
  heading,
  ljust,
  propertyRow,
  pyDict,
  pyRepr,
  pyStr,
  row,
  titleBar,
} from '../../../src/core/py-text.js';

describe('layout helpers', () => {
  it('title bars centre like Python "{:_^80}" (odd extra on the right)', () => {
    assert.equal(titleBar('Stats'), `${'_'.repeat(37)}Stats${'_'.repeat(38)}`);
    assert.equal(titleBar('Report Entry'), `${'_'.repeat(34)}Report Entry${'_'.repeat(34)}`);
    assert.equal(titleBar('Filter Object'), `${'_'.repeat(33)}Filter Object${'_'.repeat(34)}`);
    assert.equal(titleBar('Post Filter Object'), `${'_'.repeat(31)}Post Filter Object${'_'.repeat(31)}`);
    assert.equal(titleBar('x'.repeat(90)), 'x'.repeat(90));
  });

  it('rows pad and never truncate', () => {
    assert.equal(heading('API Stats'), 'API Stats'.padEnd(40));
    assert.equal(row('API Calls', '2'), `  ${'API Calls'.padEnd(29)}${'2'.padEnd(50)}`);
    assert.equal(row('k', 'v'.repeat(60)), `  ${'k'.padEnd(29)}${'v'.repeat(60)}`);
    assert.equal(propertyRow('Status Code', '404'), `${'Status Code'.padEnd(30)}: ${'404'.padEnd(50)}`);
    assert.equal(colonRow('filter', '50'), `  ${'filter'.padEnd(28)}: ${'50'.padEnd(50)}`);
    assert.equal(ljust('é😀', 4), 'é😀  ');
  });

  it('pyStr prints like Python str()', () => {
    assert.equal(pyStr(undefined), 'None');
    assert.equal(pyStr(null), 'None');
    assert.equal(pyStr(true), 'True');
    assert.equal(pyStr(false), 'False');
    assert.equal(pyStr(-297), '-297');
    assert.equal(pyStr('x'), 'x');
    assert.equal(pyStr(10n), '10');
  });

  it('pyRepr quotes and escapes like Python repr()', () => {
    assert.equal(pyRepr('false'), "'false'");
    assert.equal(pyRepr("it's"), '"it\'s"');
    assert.equal(pyRepr('both \' and "'), "'both \\' and \"'");
    assert.equal(pyRepr('a\\b\n\t\r'), "'a\\\\b\\n\\t\\r'");
    assert.equal(pyRepr('\u0000\u007f\u00a0'), "'\\x00\\x7f\\xa0'");
    assert.equal(pyRepr('\u200b\u2028'), "'\\u200b\\u2028'");
    assert.equal(pyRepr('é 😀'), "'é 😀'");
  });

  it('pyDict prints a dict of strings', () => {
    assert.equal(pyDict([]), '{}');
    assert.equal(
      pyDict([
        ['createActivityLog', 'false'],
        ['owner', 'Example Community'],
        ['resultLimit', '200'],
      ]),
      "{'createActivityLog': 'false', 'owner': 'Example Community', 'resultLimit': '200'}",
    );
  });

  it('formatTimedelta prints like str(timedelta)', () => {
    assert.equal(formatTimedelta(0), '0:00:00');
    assert.equal(formatTimedelta(2.594), '0:00:00.002594');
    assert.equal(formatTimedelta(3021.702), '0:00:03.021702');
    assert.equal(formatTimedelta(1000), '0:00:01');
    assert.equal(formatTimedelta(3_723_000.5), '1:02:03.000500');
    assert.equal(formatTimedelta(86_400_000), '1 day, 0:00:00');
    assert.equal(formatTimedelta(2 * 86_400_000 + 1), '2 days, 0:00:00.001000');
    assert.equal(formatTimedelta(-1000), '-1 day, 23:59:59');
    assert.equal(formatTimedelta(-0.5), '-1 day, 23:59:59.999500');
  });
});
