// Runs every test/**/*.test.ts file with node's test runner through tsx.
// Node 20 does not expand globs itself, and `tsx --test` with no files passes with zero tests,
// so the file list is built here and an empty list is an error.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const testDir = path.join(root, 'test');
const filter = process.argv.slice(2);
const files = readdirSync(testDir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filter.length === 0 || filter.some((needle) => f.includes(needle)))
  .sort()
  .map((f) => path.join('test', f));

if (files.length === 0) {
  console.error('scripts/test.mjs: no test files found under test/');
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    '--test-timeout=120000',
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
