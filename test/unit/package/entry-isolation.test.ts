/**
 * The SDK entry never loads SQLite (issue: sandbox, "loaded lazily"): walks the static import graph
 * from src/index.ts and checks that no sandbox module and no native add-on is reached, and that the
 * sandbox entry loads better-sqlite3 only through a dynamic import().
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');
const STATIC_IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm;
const SIDE_EFFECT_IMPORT = /^\s*import\s+['"]([^'"]+)['"]/gm;

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const pattern of [STATIC_IMPORT, SIDE_EFFECT_IMPORT]) {
    for (const match of text.matchAll(pattern)) {
      const line = match[0];
      if (/^\s*(import|export)\s+type\s/.test(line)) continue;
      found.push(match[1] as string);
    }
  }
  return found;
}

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [path.join(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.'))
        queue.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

describe('package entries', () => {
  it('the SDK entry statically reaches no sandbox module and no SQLite', () => {
    const { files, packages } = graph('src/index.ts');
    assert.ok(files.size > 10, `expected the SDK graph to be walked, got ${files.size} files`);
    const sandboxFiles = [...files].filter((f) => f.includes(`${path.sep}sandbox${path.sep}`));
    assert.deepEqual(sandboxFiles, []);
    assert.equal(packages.has('better-sqlite3'), false);
    assert.equal(packages.has('selfsigned'), false);
    assert.ok(packages.has('undici'), 'the walk should see the transport dependency');
  });

  it('the sandbox loads better-sqlite3 and selfsigned only through dynamic import()', () => {
    const { packages } = graph('src/sandbox/index.ts');
    assert.equal(packages.has('better-sqlite3'), false);
    assert.equal(packages.has('selfsigned'), false);
    const index = readFileSync(path.join(root, 'src/sandbox/index.ts'), 'utf8');
    assert.match(index, /await import\('better-sqlite3'\)/);
  });
});
