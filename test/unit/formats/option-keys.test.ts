/**
 * The format functions and streams refuse an option they do not have: a misspelt `compat` printed
 * the default format without a word, and a stream's `header` given to a formatter did nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createFormatter,
  csvHeader,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  formatLines,
  fromApiIndicator,
} from '../../../src/formats/index.js';

const host = fromApiIndicator({
  id: 1,
  ownerName: 'Example Org',
  type: 'Host',
  summary: 'bad.example.com',
  dateAdded: '2026-01-01T00:00:00Z',
});
const FORMAT_KEYS = 'compat, version, delimiter';

describe('format option keys', () => {
  it('every format function refuses a misspelt option, naming it', () => {
    for (const format of [formatCef, formatLeef, formatCsv, formatKeyval, formatJson]) {
      assert.throws(() => format(host, { compt: 'python-sdk' } as never), {
        name: 'ValidationError',
        message: `Format options: unknown option \`compt\` (options: ${FORMAT_KEYS})`,
      });
    }
    assert.throws(() => csvHeader('indicator', { compact: true } as never), {
      name: 'ValidationError',
      message: `Format options: unknown option \`compact\` (options: ${FORMAT_KEYS})`,
    });
  });

  it('a stream takes `header` too; a formatter, which writes no header, does not', () => {
    assert.equal([...formatLines([host], 'csv', { header: false })].length, 1);
    assert.throws(() => createFormatter('csv', { header: false } as never), {
      name: 'ValidationError',
      message: `Format options: unknown option \`header\` (options: ${FORMAT_KEYS})`,
    });
    assert.throws(() => [...formatLines([host], 'csv', { headers: false } as never)], {
      name: 'ValidationError',
      message: `Format options: unknown option \`headers\` (options: ${FORMAT_KEYS}, header)`,
    });
  });

  it('known options still work, and options that are not an object get their own message', () => {
    assert.match(formatCef(host, { compat: 'python-sdk' }), /bad\.example\.com/);
    assert.match(formatLeef(host, { version: '2.0', delimiter: '^' }), /^LEEF:2\.0/);
    assert.throws(() => formatCef(host, 'python-sdk' as never), {
      name: 'ValidationError',
      message: 'Format options must be an object',
    });
    assert.throws(() => [...formatLines([host], 'cef', 'x' as never)], {
      name: 'ValidationError',
      message: 'Format options must be an object',
    });
  });
});
