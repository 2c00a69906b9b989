/**
 * Issue 6: the shell recipe of README.md's quick start and of docs/sandbox.md ("Starting it") starts
 * the sandbox in the background with `--write-env`, waits for the file and sources it. Run here with
 * `sh`, as written, except that `npx threatconnect` is this checkout's program (npx would link and
 * build the package first).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call } from '../helpers/signer.js';
import { type Running, cliArgv, root, start, waitFor, within } from '../integration/cli/support.js';

/** The recipe: the lines of the first `sh` block using `--write-env`, up to the one that sources it. */
export function recipe(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const block = blocks.find((b) => b.includes('--write-env sandbox.env'));
  assert.ok(block !== undefined, 'no sh block with --write-env sandbox.env');
  const lines = block.split('\n');
  const last = lines.findIndex((l) => l.trim() === 'set -a; . ./sandbox.env; set +a');
  assert.ok(last !== -1, 'the block does not source sandbox.env');
  return lines.slice(0, last + 1).join('\n');
}

const VARIABLES = ['TC_API_BASE_URL', 'TC_API_ACCESS_ID', 'TC_API_SECRET_KEY', 'TC_API_DEFAULT_ORG'];
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const program = ['node', ...cliArgv].map(quote).join(' ');

/** The recipe with this checkout's program, then: print the variables and wait for the sandbox. */
function script(markdown: string, extraFlags = ''): string {
  const steps = recipe(markdown).replace(/\bnpx threatconnect sandbox\b/, `${program} sandbox${extraFlags}`);
  assert.match(steps, /node/);
  return [
    steps,
    'printf "PID=%s\\n" "$!"',
    ...VARIABLES.map((v) => `printf "${v}=%s\\n" "$${v}"`),
    'printf "READY\\n"',
    'wait',
  ].join('\n');
}

describe('the sandbox recipe of the docs', () => {
  let dir: string;
  const shells: Running[] = [];
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-docs-recipe-'));
  });
  after(() => {
    for (const shell of shells) shell.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const file of ['README.md', 'docs/sandbox.md']) {
    it(`${file}: loads the TC_API_* variables of a running sandbox; kill stops it and removes the file`, async () => {
      const cwd = mkdtempSync(path.join(dir, 'run-'));
      const shell = start(['-c', script(readFileSync(path.join(root, file), 'utf8'))], {
        cwd,
        command: 'sh',
      });
      shells.push(shell);
      const output = await waitFor('the variables', () =>
        shell.stdout().includes('READY\n') ? shell.stdout() : undefined,
      );
      const vars = new Map(
        output
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
      const target = {
        baseUrl: vars.get('TC_API_BASE_URL') ?? '',
        accessId: vars.get('TC_API_ACCESS_ID') ?? '',
        secretKey: vars.get('TC_API_SECRET_KEY') ?? '',
      };
      assert.match(target.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
      assert.equal(vars.get('TC_API_DEFAULT_ORG'), 'Example Org');
      assert.equal((await call(target, 'GET', '/v2/owners/mine')).status, 200);
      assert.ok(existsSync(path.join(cwd, 'sandbox.env')));

      // `kill $!`: here $! is the sandbox itself (no npx in between).
      process.kill(Number(vars.get('PID')), 'SIGTERM');
      const { code } = await within('the shell to end', shell.closed);
      assert.equal(code, 0, shell.stderr());
      assert.equal(existsSync(path.join(cwd, 'sandbox.env')), false);
    });
  }

  it('README.md: the wait ends early when the sandbox cannot start', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const cwd = mkdtempSync(path.join(dir, 'fail-'));
      const markdown = readFileSync(path.join(root, 'README.md'), 'utf8');
      const shell = start(['-c', script(markdown, ` --port ${port}`)], { cwd, command: 'sh' });
      shells.push(shell);
      // The loop waits up to 5 minutes for a file; it must end as soon as the sandbox has exited.
      const { code } = await within('the shell to end', shell.closed, 120_000);
      assert.notEqual(code, 0);
      assert.match(shell.stderr(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.doesNotMatch(shell.stdout(), /READY/);
    } finally {
      blocker.close();
    }
  });
});
