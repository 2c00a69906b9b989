/**
 * The kept tail stays bounded when the connections that should confirm it are lost (review, 2026-12).
 * docs/siem.md: the sink holds "at most twice" `maxUnacknowledgedBytes`, and after a lost connection
 * the collector receives again "the messages of the last two batches". A collector that resets every
 * other connection made a kept tail that went back into the tail be kept again with it at the next
 * acknowledgement, so it grew with every message: each connection after a reset carried everything
 * sent since the start.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { createSyslogSink } from '../../../src/delivery/index.js';

/** Octet-counted frames (RFC 6587 3.4.1) of `data`, whole ones only. */
function frames(data: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.subarray(at, space).toString('latin1'));
    if (space + 1 + length > data.length) break;
    out.push(data.subarray(space + 1, space + 1 + length).toString('utf8'));
    at = space + 1 + length;
  }
  return out;
}

const MAX_UNACKNOWLEDGED = 100_000;
/** The largest batch the sink writes at once (src/delivery/batch.ts). */
const BATCH = 64 * 1024;

describe('syslog over TCP, a collector that resets every other connection', () => {
  it('writes at most the kept tail and the tail again on each connection, and delivers every message', async () => {
    const connections: { bytes: number; messages: string[] }[] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      const index = connections.length;
      const chunks: Buffer[] = [];
      const connection = { bytes: 0, messages: [] as string[] };
      connections.push(connection);
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        connection.bytes += chunk.length;
        // Every other connection is reset once it has read 20 kB: it never acknowledges anything.
        if (index % 2 === 0 && connection.bytes >= 20_000) {
          connection.messages = frames(Buffer.concat(chunks));
          socket.resetAndDestroy();
        }
      });
      socket.on('end', () => {
        connection.messages = frames(Buffer.concat(chunks));
        socket.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    try {
      const sink = createSyslogSink(`tcp://127.0.0.1:${port}`, {
        hostname: 'h',
        procId: 1,
        maxUnacknowledgedBytes: MAX_UNACKNOWLEDGED,
        retryDelayMs: 0,
        maxRetryDelayMs: 0,
      });
      const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(100)}`);
      for (const line of lines) if (!sink.write(line)) await once(sink, 'drain');
      const result = await sink.close();
      assert.equal(result.sent, lines.length);
      assert.equal(result.failed, 0);
      const received = new Set(
        connections.flatMap((c) => c.messages.map((m) => m.replace(/^.* h \S+ 1 - - /, ''))),
      );
      assert.deepEqual(
        lines.filter((line) => !received.has(line)),
        [],
        'every message reached the collector',
      );
      // The kept tail and the tail: each under the limit plus the batch that crossed it.
      const bound = 2 * (MAX_UNACKNOWLEDGED + BATCH);
      const over = connections
        .filter((c) => c.bytes > bound)
        .map((c) => `${c.bytes} bytes (${c.messages.length} messages)`);
      assert.deepEqual(over, [], `connections carrying more than ${bound} bytes`);
      assert.ok(connections.length > 6, `${connections.length} connections: the resets happened`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
