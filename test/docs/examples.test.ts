/**
 * Executed documentation (decisions.md 5, docs/README.md): every fenced `ts`/`typescript` block in
 * README.md and docs/*.md runs against a fresh sandbox, unless the line before it is `<!-- no-test -->`,
 * and what it prints is compared with what its page shows (`// → …` comments, a `text` block after it).
 *
 * - `import … from 'threatconnect'` and `'threatconnect/sandbox'` resolve to this checkout's sources.
 * - The sandbox's connection details are in the environment (`TC_API_*`), so `ThreatConnect.fromEnv()`
 *   works as written.
 * - A line `const tc = …;` is replaced by a client for the sandbox.
 *
 * The blocks run one after the other in one worker process (./block-worker.ts), which loads tsx and this
 * SDK once; each block still gets a sandbox of its own, its own working folder and environment, and its
 * own captured output. The worker is started again after a block that brings it down.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../src/sandbox/index.js';
import type { ResultMessage, RunMessage } from './block-worker.js';
import { type DocBlock, compareOutput, extractBlocks, lineMatches, outputLines, prepare } from './blocks.js';

const root = path.resolve(import.meta.dirname, '../..');
// One folder per run, inside the checkout (ignored by git), for the block modules and their folders.
const workDir = path.join(root, '.tmp', `doc-examples-${process.pid}`);
/** As `threatconnect sandbox` and the README's quick start: the docs show what a user sees there. */
const SEED_INDICATORS = 1000;
/** Only ends a block that hangs; a block takes well under a second. */
const BLOCK_LIMIT_MS = 60_000;

function docFiles(): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

/** The worker process, started on first use and again after it has gone. */
class BlockRunner {
  #child: ChildProcess | undefined;
  /** What the worker wrote outside any block (its own failures), for error messages. */
  #output = '';
  #nextId = 1;
  #pending = new Map<number, { resolve: (r: ResultMessage) => void; reject: (e: Error) => void }>();

  #start(): ChildProcess {
    const child = fork(path.join(import.meta.dirname, 'block-worker.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#output = '';
    child.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString('utf8')));
    child.on('message', (message: ResultMessage) => {
      this.#pending.get(message.id)?.resolve(message);
      this.#pending.delete(message.id);
    });
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      const error = new Error(`the worker ended (${String(code ?? signal)}):\n${this.#output}`);
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    });
    return child;
  }

  /** Runs one block; rejects if the worker ends or the block outlasts the limit (the worker is then killed). */
  async run(message: Omit<RunMessage, 'id'>): Promise<ResultMessage> {
    const child = (this.#child ??= this.#start());
    const id = this.#nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<ResultMessage>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        timer = setTimeout(() => {
          reject(new Error(`the block did not finish within ${BLOCK_LIMIT_MS} ms`));
          child.kill('SIGKILL');
        }, BLOCK_LIMIT_MS);
        child.send({ id, ...message } satisfies RunMessage);
      });
    } finally {
      clearTimeout(timer);
      this.#pending.delete(id);
    }
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const exited = once(child, 'exit');
    child.kill();
    await exited;
  }
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
      root,
    );
    assert.match(out, /const tc = ThreatConnect\.fromEnv\(\);/);
    assert.doesNotMatch(out, /from 'threatconnect'/);
  });

  it('reads the output a block shows: // → comments, and a text block after it', () => {
    const text = [
      '```ts',
      "console.log('a'); // → a",
      'console.log(tc.port); // → port …',
      '```',
      '',
      'Printed (the port varies):',
      '',
      '```text',
      'a',
      'port …',
      '```',
      '```ts',
      'other();',
      '```',
      '',
      'Some prose that is not an introduction.',
      '```text',
      'not this block’s output',
      '```',
    ].join('\n');
    const blocks = extractBlocks('x.md', text);
    assert.deepEqual(
      blocks.map((b) => [b.marks, b.output]),
      [
        [
          ['a', 'port …'],
          ['a', 'port …'],
        ],
        [[], undefined],
      ],
    );
  });

  it('compares lines exactly, but for trailing spaces and … (any text)', () => {
    assert.ok(lineMatches('a b', 'a b   '));
    assert.ok(lineMatches('http://127.0.0.1:…/api', 'http://127.0.0.1:41653/api'));
    assert.ok(lineMatches('TC …:[REDACTED]', 'TC 1a2b:[REDACTED]'));
    assert.ok(!lineMatches('a b', 'a  b'));
    assert.ok(!lineMatches('404', '404 Not Found'));
    assert.ok(!lineMatches('http://127.0.0.1:…/api', 'http://127.0.0.1:41653/apiv2'));
    assert.ok(!lineMatches('(x)', 'x'), 'other characters are literal');
    assert.deepEqual(outputLines('a  \n\nb\n\n'), ['a', '', 'b']);
  });

  it('a wrong line, a missing line or a // → out of order fails the comparison', () => {
    const stdout = '\n404\nTC abc:[REDACTED]\n';
    assert.equal(compareOutput({ marks: ['404', 'TC …:[REDACTED]'] }, stdout), undefined);
    assert.equal(compareOutput({ marks: [], output: ['', '404', 'TC …:[REDACTED]'] }, stdout), undefined);
    assert.deepEqual(compareOutput({ marks: [], output: ['', '200', 'TC …:[REDACTED]'] }, stdout), {
      what: 'the output differs from the text block after it',
      expected: ['', '200', 'TC …:[REDACTED]'],
      actual: ['', '404', 'TC …:[REDACTED]'],
    });
    assert.match(compareOutput({ marks: [], output: ['', '404'] }, stdout)?.what ?? '', /differs/);
    assert.match(compareOutput({ marks: ['201'] }, stdout)?.what ?? '', /no line "201"/);
    assert.match(compareOutput({ marks: ['TC …:[REDACTED]', '404'] }, stdout)?.what ?? '', /no line "404"/);
  });
});

describe('the block runner isolates blocks in its one worker', () => {
  const runner = new BlockRunner();
  const dir = path.join(workDir, 'runner');
  let count = 0;
  /** Writes `code` as a block module with a folder of its own and runs it. */
  const run = (code: string, env: Record<string, string> = {}) => {
    count += 1;
    const module = path.join(dir, `block-${count}.mts`);
    const cwd = path.join(dir, `block-${count}`);
    mkdirSync(cwd, { recursive: true });
    writeFileSync(module, code);
    return { cwd, result: runner.run({ module, cwd, env }) };
  };
  before(() => {
    mkdirSync(dir, { recursive: true });
  });
  after(async () => {
    await runner.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('captures the stdout and stderr of each block apart, with exit code 0', async () => {
    const { result } = run("console.log('a', 1);\nprocess.stdout.write('b\\n');\nconsole.error('e');\n");
    assert.deepEqual(await result, { id: count, exitCode: 0, stdout: 'a 1\nb\n', stderr: 'e\n', errors: [] });
    const next = await run("console.log('c');\n").result;
    assert.equal(next.stdout, 'c\n');
  });

  it('a thrown error, process.exit(n), process.exitCode and an unhandled rejection are failures', async () => {
    const thrown = await run("console.log('x');\nthrow new Error('boom');\n").result;
    assert.equal(thrown.exitCode, 1);
    assert.equal(thrown.stdout, 'x\n');
    assert.match(thrown.errors.join('\n'), /Error: boom/);
    const exited = await run("console.log('x');\nprocess.exit(3);\nconsole.log('never');\n").result;
    assert.deepEqual([exited.exitCode, exited.stdout, exited.errors], [3, 'x\n', []]);
    assert.equal((await run('process.exitCode = 2;\n').result).exitCode, 2);
    const rejected = await run("void Promise.reject(new Error('late'));\n").result;
    assert.equal(rejected.exitCode, 1);
    assert.match(rejected.errors.join('\n'), /Error: late/);
    assert.equal((await run("console.log('ok');\n").result).exitCode, 0, 'nothing carries over');
  });

  it('runs each block in its own folder with its own environment, restored afterwards', async () => {
    const code = [
      "import { writeFileSync } from 'node:fs';",
      "writeFileSync('here.txt', process.env.TC_DOCS_RUNNER_TEST ?? 'unset');",
      '',
    ].join('\n');
    const first = run(code, { TC_DOCS_RUNNER_TEST: 'first' });
    assert.equal((await first.result).exitCode, 0);
    assert.equal(readFileSync(path.join(first.cwd, 'here.txt'), 'utf8'), 'first');
    const second = run(code);
    assert.equal((await second.result).exitCode, 0);
    assert.equal(readFileSync(path.join(second.cwd, 'here.txt'), 'utf8'), 'unset');
  });

  it('a block that ends the worker fails, and the next block gets a new worker', async () => {
    await assert.rejects(
      run("process.kill(process.pid, 'SIGKILL');\n").result,
      /the worker ended \(SIGKILL\)/,
    );
    assert.equal((await run("console.log('again');\n").result).stdout, 'again\n');
  });
});

describe('documentation examples run against a sandbox', () => {
  const runner = new BlockRunner();
  const blocks: (DocBlock & { module: string; cwd: string })[] = [];
  for (const file of docFiles()) {
    for (const block of extractBlocks(file, readFileSync(path.join(root, file), 'utf8'))) {
      const name = `${file.replace(/[/.]/g, '_')}_${block.line}`;
      blocks.push({ ...block, module: path.join(workDir, `${name}.mts`), cwd: path.join(workDir, name) });
    }
  }

  before(() => {
    rmSync(workDir, { recursive: true, force: true });
    for (const block of blocks) {
      mkdirSync(block.cwd, { recursive: true });
      writeFileSync(block.module, prepare(block.code, root));
    }
  });
  after(async () => {
    await runner.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  for (const block of blocks) {
    it(`${block.file}:${block.line}`, async () => {
      const sandbox = await startSandbox({ seedIndicators: SEED_INDICATORS });
      try {
        const result = await runner.run({
          module: block.module,
          cwd: block.cwd,
          env: {
            TC_API_BASE_URL: sandbox.baseUrl,
            TC_API_ACCESS_ID: sandbox.accessId,
            TC_API_SECRET_KEY: sandbox.secretKey,
            TC_API_DEFAULT_ORG: sandbox.defaultOrg,
          },
        });
        const where = `${block.file}:${block.line}`;
        const shown = [
          `--- stdout\n${result.stdout}`,
          `--- stderr\n${result.stderr}`,
          ...result.errors.map((e) => `--- error\n${e}`),
        ].join('\n');
        assert.equal(result.exitCode, 0, `${where} failed:\n${shown}`);
        const difference = compareOutput(block, result.stdout);
        if (difference !== undefined) {
          const message = `${where}: ${difference.what}\n${shown}`;
          assert.deepEqual(difference.actual, difference.expected, message);
          assert.fail(message);
        }
      } finally {
        await sandbox.close();
      }
    });
  }
});
