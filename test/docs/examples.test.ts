/**
 * Executed documentation (decisions.md 5): every fenced `ts`/`typescript` block in README.md and
 * docs/*.md runs against a fresh sandbox, unless the line before it is `<!-- no-test -->`.
 *
 * - `import … from 'threatconnect'` and `'threatconnect/sandbox'` resolve to this checkout's sources.
 * - The sandbox's connection details are in the environment (`TC_API_*`), so `ThreatConnect.fromEnv()`
 *   works as written.
 * - A line `const tc = …;` is replaced by a client for the sandbox (see docs/README.md).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

const root = path.resolve(import.meta.dirname, '../..');
// One folder per run, inside the checkout so that its package.json (ESM) applies to the scripts.
const workDir = path.join(root, '.tmp', `doc-examples-${process.pid}`);

export interface DocBlock {
  file: string;
  line: number;
  code: string;
}

/** Extracts the runnable blocks of one Markdown text. */
export function extractBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(ts|typescript)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    let previous = i - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous -= 1;
    const skip = (lines[previous] ?? '').trim() === '<!-- no-test -->';
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end += 1;
    if (!skip) blocks.push({ file, line: start, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const sdkEntry = pathToFileURL(path.join(root, 'src/index.ts')).href;
const sandboxEntry = pathToFileURL(path.join(root, 'src/sandbox/index.ts')).href;

/** Rewrites imports to this checkout and the `const tc = …` line to a sandbox client. */
export function prepare(code: string): string {
  let out = code
    .replace(/from\s+(['"])threatconnect\/sandbox\1/g, `from '${sandboxEntry}'`)
    .replace(/from\s+(['"])threatconnect\1/g, `from '${sdkEntry}'`);
  if (/^const tc = .*;\s*$/m.test(out)) {
    out = out.replace(/^const tc = .*;\s*$/m, 'const tc = ThreatConnect.fromEnv();');
    if (!/\bThreatConnect\b[^;]*from/.test(out.split('const tc =')[0] ?? '')) {
      out = `import { ThreatConnect } from '${sdkEntry}';\n${out}`;
    }
  }
  return out;
}

function docFiles(): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

describe('documentation blocks are extracted as decisions.md 5 says', () => {
  it('skips blocks marked no-test and keeps others', () => {
    const text = [
      '# x',
      '<!-- no-test -->',
      '```ts',
      'skip()',
      '```',
      '',
      '```typescript',
      'run()',
      '```',
      '```sh',
      'ls',
      '```',
    ].join('\n');
    const blocks = extractBlocks('x.md', text);
    assert.deepEqual(
      blocks.map((b) => b.code),
      ['run()'],
    );
    assert.equal(blocks[0]?.line, 7);
  });

  it('replaces the const tc line with a sandbox client', () => {
    const out = prepare(
      "import { ThreatConnect } from 'threatconnect';\nconst tc = new ThreatConnect('a', 'b', 'c', 'd');\n",
    );
    assert.match(out, /const tc = ThreatConnect\.fromEnv\(\);/);
    assert.doesNotMatch(out, /from 'threatconnect'/);
  });
});

describe('documentation examples run against a sandbox', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  before(async () => {
    sandbox = await startSandbox({ seedIndicators: 200 });
    env = {
      TC_API_BASE_URL: sandbox.baseUrl,
      TC_API_ACCESS_ID: sandbox.accessId,
      TC_API_SECRET_KEY: sandbox.secretKey,
      TC_API_DEFAULT_ORG: sandbox.defaultOrg,
    };
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
  });
  after(async () => {
    await sandbox.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  for (const file of docFiles()) {
    const blocks = extractBlocks(file, readFileSync(path.join(root, file), 'utf8'));
    for (const block of blocks) {
      it(`${file}:${block.line}`, async () => {
        const script = path.join(workDir, `${file.replace(/[/.]/g, '_')}_${block.line}.ts`);
        writeFileSync(script, prepare(block.code));
        // Asynchronous on purpose: the sandbox runs in this process and must keep answering.
        const child = spawn(process.execPath, ['--import', 'tsx', script], {
          cwd: workDir,
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 60_000,
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        const [code] = (await once(child, 'exit')) as [number | null];
        assert.equal(code, 0, `${file}:${block.line} failed:\n${output}`);
      });
    }
  }
});
