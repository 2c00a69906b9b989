/**
 * Issue 6: a `|` inside a code span still splits a GitHub Markdown table cell (only `\|` does not),
 * which broke the `assignees | escalatees` row of docs/sandbox.md. Every table row in README.md and
 * docs/*.md must have as many cells as its header.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');

/** The cells of a table row, split as GitHub does: on every `|` not escaped with a backslash. */
export function cells(row: string): string[] {
  const inner = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/);
}

interface BadRow {
  line: number;
  expected: number;
  got: number;
}

/** Rows whose cell count differs from their table's header, outside fenced blocks. */
export function badRows(text: string): BadRow[] {
  const bad: BadRow[] = [];
  let fenced = false;
  let header: number | undefined;
  text.split('\n').forEach((line, index) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      header = undefined;
      return;
    }
    if (fenced || !line.trimStart().startsWith('|')) {
      header = undefined;
      return;
    }
    const count = cells(line).length;
    if (header === undefined) header = count;
    else if (count !== header) bad.push({ line: index + 1, expected: header, got: count });
  });
  return bad;
}

describe('Markdown tables', () => {
  it('the checker sees a | inside a code span as a cell break, and \\| as none', () => {
    const table = ['| A | B |', '|---|---|', '| `x\\|y` | ok |', '| `x | y` | broken |'].join('\n');
    assert.deepEqual(badRows(table), [{ line: 4, expected: 2, got: 3 }]);
  });

  const files = [
    'README.md',
    ...readdirSync(path.join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => path.join('docs', f)),
  ];
  for (const file of files) {
    it(`${file}: every row has as many cells as its header`, () => {
      assert.deepEqual(badRows(readFileSync(path.join(root, file), 'utf8')), []);
    });
  }
});
