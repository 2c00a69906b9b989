// Runs `npm run build` only when dist/ is missing or older than the sources, so that `npm run demo`
// right after `npm ci` (whose `prepare` script has just built dist/) starts at once.
//
// Stale means: some src/**/*.ts has no dist/**/*.js, or a file or folder under src/ (a folder's time
// changes when a file is added, removed or renamed) or tsconfig*.json is newer than the oldest of
// those outputs. tsc rewrites every output on each build, so the oldest output dates the last build.
// The CLI bundle, dist/cli/threatconnect.js, must exist and be no older than that build.
//
// Usage (from the package root): node scripts/build-if-stale.mjs [--check]
//   --check  print why dist/ is stale and exit 1, or exit 0 when it is up to date; never builds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const check = process.argv.includes('--check');

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function staleReason() {
  const srcDir = path.join(root, 'src');
  const entries = readdirSync(srcDir, { recursive: true }).map(String).sort();
  const inputs = [srcDir, ...entries.map((e) => path.join(srcDir, e))];
  for (const config of ['tsconfig.json', 'tsconfig.build.json']) {
    if (mtime(path.join(root, config)) !== undefined) inputs.push(path.join(root, config));
  }
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const entry of entries) {
    if (!entry.endsWith('.ts') || entry.endsWith('.d.ts')) continue;
    const output = path.join('dist', entry.replace(/\.ts$/, '.js'));
    const time = mtime(path.join(root, output));
    if (time === undefined) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, time);
  }
  // The CLI bundle (scripts/bundle-cli.mjs) is made after tsc, from its output.
  const bundle = mtime(path.join(root, 'dist', 'cli', 'threatconnect.js'));
  if (bundle === undefined) return 'dist/cli/threatconnect.js is missing';
  if (bundle < oldestOutput) return 'dist/cli/threatconnect.js is older than the build';
  for (const input of inputs) {
    if ((mtime(input) ?? 0) > oldestOutput)
      return `${path.relative(root, input)} changed since the last build`;
  }
  return undefined;
}

const reason = staleReason();
if (check) {
  process.stdout.write(reason === undefined ? 'dist/ is up to date\n' : `dist/ is stale: ${reason}\n`);
  process.exit(reason === undefined ? 0 : 1);
}
if (reason !== undefined) {
  process.stderr.write(`Building dist/ (${reason})\n`);
  // Under npm, npm_execpath is npm's own CLI script: run it with this node, as npm itself would.
  const npmCli = process.env.npm_execpath;
  const result =
    npmCli !== undefined && npmCli.endsWith('.js')
      ? spawnSync(process.execPath, [npmCli, 'run', 'build', '--silent'], { stdio: 'inherit' })
      : spawnSync('npm', ['run', 'build', '--silent'], {
          stdio: 'inherit',
          shell: process.platform === 'win32',
        });
  process.exit(result.status ?? 1);
}
