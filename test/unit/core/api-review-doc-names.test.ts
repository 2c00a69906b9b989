/**
 * API review: the TSDoc of `RequestObject` goes into the package's declarations (`dist/index.d.ts`), so
 * every helper it tells a user to call must be one the user can reach: an export of `threatconnect`, a
 * JavaScript global, or a member of the object itself. `setRequestUri` recommended `quotePathSegment`,
 * which `threatconnect` does not export (docs/client.md says `encodeURIComponent`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as sdk from '../../../src/index.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** The backticked names a doc comment offers in parentheses as the thing to use: "(`name`)". */
function recommendedNames(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const names = new Set<string>();
  for (const comment of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const flat = comment.replace(/\n\s*\*\s?/g, ' ');
    for (const match of flat.matchAll(/\(`([A-Za-z_$][\w$]*)`\)/g)) names.add(match[1] as string);
  }
  return [...names];
}

describe('API review: helpers named in RequestObject TSDoc', () => {
  it('each is exported by threatconnect, a global, or a RequestObject member', () => {
    const names = recommendedNames('src/core/request-object.ts');
    assert.ok(names.length > 0, 'expected the doc comments to recommend some names');
    const ro = new sdk.RequestObject();
    const unreachable = names.filter((name) => !(name in sdk) && !(name in globalThis) && !(name in ro));
    assert.deepEqual(unreachable, []);
  });
});
