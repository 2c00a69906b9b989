/**
 * Issue 6: `npm run demo` ran tsc again right after `npm ci` had built dist/. It now goes through
 * scripts/build-if-stale.mjs, which builds only when dist/ is missing or older than the sources. Run
 * here on a small package in a temporary folder whose `build` script only records that it ran.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');
const script = path.join(root, 'scripts', 'build-if-stale.mjs');

// The fixture's "build": writes every dist/**/*.js for its two sources and the CLI bundle, and counts
// its runs.
const BUILD = [
  "const fs = require('node:fs');",
  "fs.mkdirSync('dist/cli', { recursive: true });",
  "fs.writeFileSync('dist/index.js', '');",
  "fs.writeFileSync('dist/cli/demo.js', '');",
  "fs.writeFileSync('dist/cli/threatconnect.js', '');",
  "fs.appendFileSync('builds.log', 'built\\n');",
].join(' ');

function run(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // Without npm_execpath the script finds npm on the PATH, as when run by hand.
  const env = { ...process.env };
  delete env.npm_execpath;
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function builds(cwd: string): number {
  const log = path.join(cwd, 'builds.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Sets a file's or folder's modification time to `seconds` after an arbitrary fixed epoch. */
function age(file: string, seconds: number): void {
  const when = new Date(Date.UTC(2024, 0, 1) + seconds * 1000);
  utimesSync(file, when, when);
}

describe('scripts/build-if-stale.mjs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-build-if-stale-'));
    mkdirSync(path.join(dir, 'src', 'cli'), { recursive: true });
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'fixture', private: true, scripts: { build: `node -e "${BUILD}"` } }),
    );
    writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
    writeFileSync(path.join(dir, 'src', 'index.ts'), 'export {};\n');
    writeFileSync(path.join(dir, 'src', 'cli', 'demo.ts'), 'export {};\n');
    writeFileSync(path.join(dir, 'src', 'types.d.ts'), 'export {};\n');
    for (const entry of [
      'tsconfig.json',
      'src',
      'src/cli',
      'src/index.ts',
      'src/cli/demo.ts',
      'src/types.d.ts',
    ])
      age(path.join(dir, entry), 0);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds when dist/ is missing', () => {
    assert.deepEqual(run(dir, '--check'), {
      status: 1,
      stdout: `dist/ is stale: ${path.join('dist', 'cli', 'demo.js')} is missing\n`,
      stderr: '',
    });
    const result = run(dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^Building dist\/ \(dist\/cli\/demo\.js is missing\)\n/);
    assert.equal(builds(dir), 1);
  });

  it('does not build when dist/ is newer than every source (as right after npm ci)', () => {
    for (const output of ['dist/index.js', 'dist/cli/demo.js', 'dist/cli/threatconnect.js'])
      age(path.join(dir, output), 100);
    assert.deepEqual(run(dir, '--check'), { status: 0, stdout: 'dist/ is up to date\n', stderr: '' });
    const result = run(dir);
    assert.deepEqual(result, { status: 0, stdout: '', stderr: '' });
    assert.equal(builds(dir), 1);
  });

  it('builds when the CLI bundle is missing or older than the build (a bare tsc run)', () => {
    const bundle = path.join(dir, 'dist', 'cli', 'threatconnect.js');
    age(bundle, 50);
    assert.deepEqual(run(dir, '--check'), {
      status: 1,
      stdout: 'dist/ is stale: dist/cli/threatconnect.js is older than the build\n',
      stderr: '',
    });
    rmSync(bundle);
    assert.deepEqual(run(dir, '--check'), {
      status: 1,
      stdout: 'dist/ is stale: dist/cli/threatconnect.js is missing\n',
      stderr: '',
    });
    const before = builds(dir);
    assert.equal(run(dir).status, 0);
    assert.equal(builds(dir), before + 1);
    for (const output of ['dist/index.js', 'dist/cli/demo.js', 'dist/cli/threatconnect.js'])
      age(path.join(dir, output), 100);
    assert.equal(run(dir, '--check').status, 0);
  });

  it('builds when a source, a folder of sources or tsconfig.json is newer than the oldest output', () => {
    const cases: [string, string][] = [
      ['src/cli/demo.ts', 'src/cli/demo.ts changed since the last build'],
      ['src/cli', 'src/cli changed since the last build'],
      ['tsconfig.json', 'tsconfig.json changed since the last build'],
    ];
    for (const [input, reason] of cases) {
      age(path.join(dir, input), 200);
      assert.deepEqual(
        run(dir, '--check'),
        { status: 1, stdout: `dist/ is stale: ${reason}\n`, stderr: '' },
        input,
      );
      age(path.join(dir, input), 0);
    }
    age(path.join(dir, 'src', 'index.ts'), 200);
    const before = builds(dir);
    const result = run(dir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(builds(dir), before + 1);
    // The build rewrote dist/ with the current time: up to date again.
    assert.equal(run(dir, '--check').status, 0);
  });

  it('is what npm run demo runs before the demo', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts.demo, 'node scripts/build-if-stale.mjs && tsx examples/demo.ts');
    assert.equal(pkg.scripts.prepare, 'npm run build');
  });
});
