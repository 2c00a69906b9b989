/**
 * The package as users install it (issue 10): `npm pack` of this checkout, unpacked into an empty
 * CommonJS project's node_modules, and there `npx threatconnect --help`, `npx threatconnect indicators
 * --sandbox`, an ESM `import` of `threatconnect` and `threatconnect/sandbox`, and a CommonJS
 * `require('threatconnect')` on this Node (20.19+ loads ES modules with `require`).
 *
 * Installing the tarball with `npm install` would need the registry for its dependencies (the npm
 * cache here does not hold them, and better-sqlite3 would compile again), so the test does what npm
 * does with no network: it unpacks the tarball as node_modules/threatconnect, links the bin into
 * node_modules/.bin, and symlinks each runtime dependency of package.json (only those) to this
 * checkout's installed copy, whose own dependencies resolve from there. Only the tarball's files (the
 * `files` of package.json) are in the project, so anything else needed at run time fails the test.
 *
 * Also `npm run demo` (README's first command), in this file so that the two never run
 * `build-if-stale` at the same time (test files run in parallel, and two builds would write dist/
 * together): it exits 0 with the seed page's section headers, in order, in under 30 s.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');

interface PackageJson {
  dependencies: Record<string, string>;
  bin: Record<string, string>;
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    // No TC_API_* from the developer's shell, and npm kept offline.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_offline: 'true' },
  });
  if (result.error) throw result.error;
  return result;
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(
    result.status,
    0,
    `${what}: exit ${String(result.status)}\n${result.stdout}\n${result.stderr}`,
  );
  return result.stdout;
}

describe('the package, installed from its tarball', () => {
  let dir: string;
  let project: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-installed-'));
    ok(run(process.execPath, ['scripts/build-if-stale.mjs'], root), 'build-if-stale');
    // --ignore-scripts: dist/ is current; `prepare` would only build it again.
    const packed = ok(
      run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root),
      'npm pack',
    );
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    ok(run('tar', ['-xzf', path.join(dir, filename), '-C', dir], dir), 'tar');
    project = path.join(dir, 'project');
    const modules = path.join(project, 'node_modules');
    mkdirSync(path.join(modules, '.bin'), { recursive: true });
    writeFileSync(path.join(project, 'package.json'), '{ "name": "user-project", "private": true }\n');
    const installed = path.join(modules, 'threatconnect');
    renameSync(path.join(dir, 'package'), installed);
    const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as PackageJson;
    for (const dependency of Object.keys(pkg.dependencies)) {
      const target = path.join(modules, dependency);
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync(path.join(root, 'node_modules', dependency), target, 'dir');
    }
    for (const [name, file] of Object.entries(pkg.bin)) {
      chmodSync(path.join(installed, file), 0o755);
      symlinkSync(path.join('..', 'threatconnect', file), path.join(modules, '.bin', name));
    }
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('npx threatconnect --help', () => {
    const stdout = ok(run('npx', ['threatconnect', '--help'], project), 'npx threatconnect --help');
    assert.match(stdout, /^Usage: threatconnect /);
    assert.match(stdout, /indicators/);
  });

  it('npx threatconnect indicators --sandbox --limit 3 --format cef', () => {
    const stdout = ok(
      run('npx', ['threatconnect', 'indicators', '--sandbox', '--limit', '3', '--format', 'cef'], project),
      'npx threatconnect indicators',
    );
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, stdout);
    for (const line of lines) assert.match(line, /^CEF:0\|threatconnect\|threatconnect\|2\|\d+\|/);
  });

  it('an ES module imports threatconnect and threatconnect/sandbox', () => {
    const script = `
      import { RequestObject, ThreatConnect } from 'threatconnect';
      import { startSandbox } from 'threatconnect/sandbox';
      const sandbox = await startSandbox({ seedIndicators: 10 });
      const tc = new ThreatConnect(sandbox.accessId, sandbox.secretKey, sandbox.defaultOrg, sandbox.baseUrl);
      const mine = await tc.apiRequest(new RequestObject().setHttpMethod('GET').setRequestUri('/v2/owners/mine'));
      console.log(mine.json().data.owner.name);
      await tc.close();
      await sandbox.close();
    `;
    const stdout = ok(run(process.execPath, ['--input-type=module', '-e', script], project), 'ESM import');
    assert.equal(stdout, 'Example Org\n');
  });

  it("a TypeScript project type-checks against the package's declarations, skipLibCheck off", () => {
    // TypeScript's default checks every declaration file a project reaches: a declaration that names
    // a type the build stripped (@internal), or a module whose types are only a dev dependency of
    // ours (better-sqlite3's), fails there. @types/node is the user's own, as in any Node project.
    const types = path.join(project, 'node_modules', '@types');
    mkdirSync(types, { recursive: true });
    symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(types, 'node'), 'dir');
    const folder = path.join(project, 'typed');
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['main.mts'],
      }),
    );
    writeFileSync(
      path.join(folder, 'main.mts'),
      [
        "import { type Indicator, IndicatorType, ThreatConnect } from 'threatconnect';",
        "import { type Sandbox, sampleData, startSandbox } from 'threatconnect/sandbox';",
        'export async function run(): Promise<void> {',
        '  const sandbox: Sandbox = await startSandbox({ seedIndicators: 10 });',
        '  const tc = new ThreatConnect(sandbox.accessId, sandbox.secretKey, sandbox.defaultOrg, sandbox.baseUrl);',
        '  const hosts: Indicator[] = [];',
        '  const indicators = tc.indicators();',
        '  indicators.addFilter(IndicatorType.HOSTS);',
        '  for await (const i of indicators.stream()) hosts.push(i);',
        '  console.log(hosts.length, sampleData(0).owners.length);',
        '}',
        '',
      ].join('\n'),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    ok(run(process.execPath, [tsc, '-p', folder], project), 'tsc against the installed package');
  });

  it('a CommonJS module requires threatconnect', () => {
    const script = `
      const { ThreatConnect, RequestObject, IndicatorType } = require('threatconnect');
      const tc = new ThreatConnect('ID', 'SECRET', 'Example Org', 'https://tc.example.com/api');
      console.log(typeof RequestObject, IndicatorType.HOSTS !== undefined, tc.config.baseUrl);
      tc.close().then(() => undefined);
    `;
    const stdout = ok(run(process.execPath, ['--no-warnings', '-e', script], project), 'CommonJS require');
    assert.equal(stdout, 'function true https://tc.example.com/api\n');
  });
});

describe('npm run demo', () => {
  it('exits 0 with every section header, in order', () => {
    const result = spawnSync('npm', ['run', '--silent', 'demo'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const headers = result.stdout.split('\n').filter((line) => line.startsWith('== '));
    assert.deepEqual(
      headers.map((h) => /^== (\d)\. /.exec(h)?.[1]),
      ['1', '2', '3', '4', '5', '6', '7'],
      result.stdout,
    );
    for (const words of [
      'API settings',
      'filtering',
      'Manual API calls',
      'Documents',
      'Output formats',
      'override',
      'Reporting',
    ]) {
      assert.ok(
        headers.some((h) => h.includes(words)),
        words,
      );
    }
    // A few results the seed's examples give on the sample data (docs/filters.md, python-sdk-observed.md).
    for (const expected of [
      '/api/v2/owners?createActivityLog=true',
      'adversary 710 Bad Guy 2015-06-18T20:21:45-05:00 Example Org',
      'count 8',
      'Status Code: 201',
      'CEF:0|threatconnect|threatconnect|2|355999|TEST attribute #14|2.0|confidence="14" dateAdded="2015-06-21T10:40:33-05:00" dnsActive="None" hostName="www.badguy_014.com"',
      'Resource Type                 : ResourceType.ADVERSARIES',
    ]) {
      assert.ok(result.stdout.includes(expected), `the demo prints ${expected}`);
    }
    assert.match(result.stdout, /Demo done in/);
    // How long it takes is the demo's own line to print, not a test's to assert (a busy machine).
  });
});
