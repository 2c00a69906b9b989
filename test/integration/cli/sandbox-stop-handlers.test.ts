/**
 * `threatconnect sandbox` takes its stop signals before it prints its connection details: a runner
 * that sends SIGINT as soon as it reads them gets a clean stop, never the default one that kills the
 * process and leaves the `--write-env` file behind. Run in this process, with stdout caught, so that
 * the order is seen directly rather than raced.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sandboxCommand } from '../../../src/cli/sandbox-command.js';

describe('threatconnect sandbox: stop handlers', () => {
  it('listens for SIGINT and SIGTERM before the env file is written and the details are printed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-cli-stop-'));
    const file = path.join(dir, 'sandbox.env');
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const seen: { SIGINT: number; SIGTERM: number; envFile: boolean }[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const stderrWrite = process.stderr.write.bind(process.stderr);
    // Only the details line is caught: the test runner reports through this process's stdout too.
    process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'string' || !chunk.startsWith('{"baseUrl"')) {
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }
      seen.push({
        SIGINT: process.listenerCount('SIGINT'),
        SIGTERM: process.listenerCount('SIGTERM'),
        envFile: readdirSync(dir).includes('sandbox.env'),
      });
      // The runner's answer to the printed details: stop (a turn later, so that the command also ends
      // when its handlers come late and the assertion below is what fails).
      setImmediate(() => process.emit('SIGINT'));
      return true;
    };
    // The sandbox's "listening" line, kept out of the test's output.
    process.stderr.write = (chunk: unknown, ...rest: unknown[]) =>
      typeof chunk === 'string' && chunk.startsWith('threatconnect sandbox')
        ? true
        : (stderrWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
    try {
      await sandboxCommand().parseAsync(
        ['--port', '0', '--seed-indicators', '0', '--json', '--no-exit-with-parent', '--write-env', file],
        { from: 'user' },
      );
    } finally {
      process.stdout.write = write;
      process.stderr.write = stderrWrite;
    }
    try {
      assert.equal(seen.length, 1, 'one line of details');
      assert.deepEqual(seen[0], { SIGINT: before.SIGINT + 1, SIGTERM: before.SIGTERM + 1, envFile: true });
      // The stop was a clean one: the handlers are gone and so is the env file.
      assert.equal(process.listenerCount('SIGINT'), before.SIGINT);
      assert.equal(process.listenerCount('SIGTERM'), before.SIGTERM);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
