/**
 * `threatconnect sync --syslog` when messages are refused for `--syslog-max-bytes`: the run exits 1
 * and its state does not record them, so the next run (with a larger limit) delivers every change.
 * Before, the refusals were only counts: the state moved past them and they were lost for good. The
 * collector is a plain TCP listener reading octet-counted frames (RFC 6587), so this runs everywhere.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { runInProcess, sandboxEnv, tempFolder } from '../cli/in-process.js';

/** A TCP listener that keeps the MSG part of every octet-counted RFC 5424 frame it receives. */
async function frameCollector(): Promise<{ url: string; messages: string[]; close: () => Promise<void> }> {
  const messages: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let pending = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const space = pending.indexOf(0x20);
        if (space === -1) return;
        const length = Number(pending.subarray(0, space).toString('ascii'));
        if (pending.length < space + 1 + length) return;
        messages.push(pending.subarray(space + 1, space + 1 + length).toString('utf8'));
        pending = pending.subarray(space + 1 + length);
      }
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('threatconnect sync --syslog with messages over --syslog-max-bytes', () => {
  let sandbox: Sandbox;
  let collector: Awaited<ReturnType<typeof frameCollector>>;
  let env: Record<string, string>;
  const folder = tempFolder('tc-sync-refused-');

  before(async () => {
    [sandbox, collector] = await Promise.all([withSandbox({ seedIndicators: 10 }), frameCollector()]);
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await Promise.all([sandbox.close(), collector.close()]);
    folder.remove();
  });

  const sync = (args: string[]) =>
    runInProcess(['sync', '--owner', 'Example Community', '--format', 'cef', ...args], { env });

  it('exits 1 without moving the state, and the next run with room for them delivers every change', async () => {
    const state = folder.file('refused.state');
    const dry = await sync(['--state', state, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    const lines = dry.stdout.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 10, String(lines.length));
    // Some lines fit in 300 bytes with their syslog header, and some do not.
    assert.ok(lines.some((l) => Buffer.byteLength(l) > 300));

    const refused = await sync(['--state', state, '--syslog', collector.url, '--syslog-max-bytes', '300']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /refused by --syslog-max-bytes were not delivered/);
    assert.match(refused.stderr, /the state was not advanced/);
    if (existsSync(state)) {
      const saved = JSON.parse(readFileSync(state, 'utf8')) as { committed?: { seq?: number } };
      assert.equal(saved.committed?.seq ?? 0, 0, 'no run was recorded');
    }
    const before = collector.messages.length;

    const delivered = await sync([
      '--state',
      state,
      '--syslog',
      collector.url,
      '--syslog-max-bytes',
      '60000',
    ]);
    assert.equal(delivered.code, 0, delivered.stderr);
    const sent = collector.messages.slice(before);
    assert.deepEqual(
      sent.map((m) => lines.find((l) => m.endsWith(` ${l}`)) ?? m).sort(),
      [...lines].sort(),
      'every change, each once, in the second run',
    );
  });
});
