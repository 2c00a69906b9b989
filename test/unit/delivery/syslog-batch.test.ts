/**
 * The sink's batching: headers from the per-sink cache are those of `buildMessage`, and messages
 * written in bulk (many batches, a message larger than a batch, multi-byte and unpaired UTF-16
 * characters, line ends) arrive over TCP as exact octet-counted frames, in order, while the batch
 * buffers are reused between acknowledgements.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { buildMessage, HeaderCache, type MessageHeader } from '../../../src/delivery/message.js';
import { createSyslogSink } from '../../../src/index.js';
import { recordingClock } from '../../helpers/clock.js';

const header = (format: 'rfc5424' | 'rfc3164'): MessageHeader => ({
  format,
  facility: 20,
  hostname: 'sensor-7',
  appName: 'batch',
  procId: '99',
  msgId: format === 'rfc5424' ? 'IOC' : '-',
});

describe('syslog header cache', () => {
  it('gives the headers buildMessage gives, for every severity, across millisecond and second changes', () => {
    const base = new Date(2024, 1, 29, 23, 59, 58, 998).getTime();
    const times = [base, base, base + 1, base + 2, base + 1001, base + 1002, base + 86_400_000, base - 5];
    for (const format of ['rfc5424', 'rfc3164'] as const) {
      const cache = new HeaderCache(header(format));
      for (const time of times) {
        cache.at(time);
        for (let severity = 0; severity <= 7; severity += 1) {
          assert.equal(
            `${cache.head(severity)}x`,
            buildMessage(header(format), severity, time, 'x'),
            `${format} ${time} ${severity}`,
          );
        }
      }
    }
  });
});

/**
 * A TCP collector that keeps the bytes of each connection and closes its end after the client's;
 * connection number `resetAt` (0-based) is reset at its first bytes, which are dropped (a collector
 * that went away with them).
 */
async function byteCollector(
  resetAt = -1,
): Promise<{ url: string; connections: Buffer[][]; close(): Promise<void> }> {
  const connections: Buffer[][] = [];
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    const reset = connections.length === resetAt;
    connections.push(chunks);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (reset) socket.resetAndDestroy();
      else chunks.push(chunk);
    });
    socket.on('end', () => socket.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

/** Splits octet-counted frames (`LEN SP MSG`, LEN in bytes); fails on anything else. */
function frames(bytes: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const digits = bytes.subarray(at, space).toString('latin1');
    assert.match(digits, /^[1-9]\d*$/, `a frame length at byte ${at}`);
    const end = space + 1 + Number(digits);
    assert.ok(end <= bytes.length, `frame at byte ${at} is cut`);
    out.push(bytes.subarray(space + 1, end).toString('utf8'));
    at = end;
  }
  return out;
}

describe('syslog batches over TCP', () => {
  it('frames every message exactly and in order across batches, acknowledgements and reused buffers', async () => {
    const collector = await byteCollector();
    try {
      const sink = createSyslogSink(collector.url, {
        appName: 'batch',
        hostname: 'h',
        procId: 1,
        // An acknowledgement after every batch: the batch buffers are released and reused.
        maxUnacknowledgedBytes: 8192,
      });
      const pieces = ['plain', 'é', '😀 emoji', '漢字', 'lone \ud800 surrogate', 'a\\=b'];
      const lines: string[] = [];
      for (let i = 0; i < 3000; i += 1) {
        lines.push(`${i} ${pieces[i % pieces.length]} ${'x'.repeat(i % 400)}`);
      }
      // Larger than one batch buffer (64 KiB): a buffer of its own.
      lines.splice(1500, 0, `big ${'é'.repeat(50_000)}`);
      for (const [i, line] of lines.entries()) {
        const chunk = i % 3 === 0 ? `${line}\r\n` : i % 3 === 1 ? `${line}\n` : { line, severity: i % 8 };
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
      const result = await sink.close();
      assert.deepEqual(result, { sent: lines.length, failed: 0, refused: 0, resent: 0 });
      assert.ok(collector.connections.length > 10, `${collector.connections.length} connections`);
      const received = collector.connections.flatMap((chunks) => frames(Buffer.concat(chunks)));
      assert.equal(received.length, lines.length);
      for (const [i, message] of received.entries()) {
        const severity = i % 3 === 2 ? i % 8 : 5;
        const expected = lines[i]?.replace('\ud800', '\ufffd');
        assert.match(message, new RegExp(`^<${16 * 8 + severity}>1 \\S+ h batch 1 - - `), `message ${i}`);
        assert.equal(message.replace(/^<\d+>1 \S+ h batch 1 - - /, ''), expected, `message ${i}`);
      }
    } finally {
      await collector.close();
    }
  });

  it('writes the kept batch again from its own buffer after a reset, not from a reused one', async () => {
    const collector = await byteCollector(4);
    try {
      const clock = recordingClock();
      const sink = createSyslogSink(collector.url, { hostname: 'h', maxUnacknowledgedBytes: 8192, clock });
      const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'y'.repeat(i % 300)}`);
      for (const line of lines) if (!sink.write(line)) await once(sink, 'drain');
      const result = await sink.close();
      assert.equal(result.sent, lines.length);
      assert.equal(clock.sleeps.length, 1, 'one reconnect');
      const text = (chunks: Buffer[]) => frames(Buffer.concat(chunks)).map((m) => m.replace(/^.* - - /, ''));
      // The collector has every line once, and those of the connection before the reset (the kept
      // batch, confirmed only by a later connection) a second time: nothing else.
      const received = collector.connections.flatMap(text).sort();
      const expected = [...lines, ...text(collector.connections[3] ?? [])].sort();
      assert.equal(received.length, expected.length);
      assert.deepEqual(received, expected);
    } finally {
      await collector.close();
    }
  });
});
