/**
 * `threatconnect sandbox` prints an env file that the docs source with `set -a; . ./sandbox.env`
 * (decisions.md 2.1). Every value must survive sourcing unchanged and run nothing, the access id given
 * with `--access-id` included.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('review: sandbox CLI env file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tc-review-env-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('quotes an --access-id holding shell characters, so sourcing gives it back and runs nothing', async () => {
    const marker = path.join(dir, 'ran');
    const accessId = `AB CD;touch ${marker}`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'sandbox',
        '--port',
        '0',
        '--seed-indicators',
        '0',
        '--access-id',
        accessId,
        '--secret-key',
        'review-secret',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit');
    const lines: string[] = [];
    try {
      const reader = createInterface({ input: child.stdout });
      for await (const line of reader) {
        lines.push(line);
        if (line.startsWith('TC_API_TOKEN_EXPIRES=')) break;
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const envFile = path.join(dir, 'sandbox.env');
    writeFileSync(envFile, `${lines.join('\n')}\n`);
    const sourced = execFileSync(
      'sh',
      ['-c', 'set -a; . "$1"; printf %s "$TC_API_ACCESS_ID"', 'sh', envFile],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(existsSync(marker), false, 'sourcing the env file ran a command');
    assert.equal(sourced, accessId);
  });
});
