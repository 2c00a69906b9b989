/**
 * createSyslogSink without a collector: URL and option checks (ConfigError and its message), the
 * message builders, the rating → severity table, and the TCP behaviour against small local servers
 * (a clean reader, one that resets every connection, a closed port): acknowledgement by clean close,
 * reconnects with backoff on the clock, the failure and its counts, abort.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { buildMessage, octetCounted } from '../../../src/delivery/message.js';
import {
  AbortError,
  ConfigError,
  createSyslogSink,
  parseSyslogUrl,
  severityOfRating,
  SyslogDeliveryError,
} from '../../../src/index.js';
import { recordingClock } from '../../helpers/clock.js';
import { expectSinkConfigError } from '../../helpers/sink-options.js';

describe('syslog URLs', () => {
  it('parses udp, tcp and tls URLs, with the IANA port by default', () => {
    assert.deepEqual(parseSyslogUrl('udp://collector.example.com:514'), {
      transport: 'udp',
      host: 'collector.example.com',
      port: 514,
      href: 'udp://collector.example.com:514',
    });
    assert.deepEqual(parseSyslogUrl('TCP://10.0.0.1'), {
      transport: 'tcp',
      host: '10.0.0.1',
      port: 601,
      href: 'tcp://10.0.0.1:601',
    });
    assert.deepEqual(parseSyslogUrl('tls://[::1]:6514/'), {
      transport: 'tls',
      host: '::1',
      port: 6514,
      href: 'tls://[::1]:6514',
    });
  });

  it('refuses other schemes, bad ports and extra parts with a ConfigError naming the value', () => {
    const cases: [unknown, string][] = [
      [
        'http://h:514',
        'syslog URL must be udp://host:port, tcp://host:port or tls://host:port: the scheme http:// is not supported, got "http://h:514"',
      ],
      ['h:514', 'syslog URL must be udp://host:port, tcp://host:port or tls://host:port, got "h:514"'],
      ['udp://h:0', 'syslog URL port must be an integer from 1 to 65535, got "udp://h:0"'],
      ['udp://h:65536', 'syslog URL port must be an integer from 1 to 65535, got "udp://h:65536"'],
      ['tcp://h:x', 'syslog URL port must be an integer from 1 to 65535, got "tcp://h:x"'],
      [
        'tcp://user@h:601',
        'syslog URL must be udp://host:port, tcp://host:port or tls://host:port (no user, path, query or fragment), got "tcp://user@h:601"',
      ],
      [
        'tcp://h:601/x',
        'syslog URL must be udp://host:port, tcp://host:port or tls://host:port (no user, path, query or fragment), got "tcp://h:601/x"',
      ],
      [
        'udp://:514',
        'syslog URL must be udp://host:port, tcp://host:port or tls://host:port (no user, path, query or fragment), got "udp://:514"',
      ],
      [42, 'syslog URL must be udp://host:port, tcp://host:port or tls://host:port, got number'],
    ];
    for (const [url, message] of cases) {
      assert.throws(
        () => parseSyslogUrl(url),
        (error: unknown) => error instanceof ConfigError && error.message === message,
        String(url),
      );
    }
  });
});

describe('syslog sink options', () => {
  it('refuses bad values, unknown keys and options of another transport, naming the option', () => {
    expectSinkConfigError(
      'udp://h:514',
      { facility: 24 },
      '`facility` must be an integer from 0 to 23, got 24',
    );
    expectSinkConfigError(
      'udp://h:514',
      { appName: 'two words' },
      '`appName` must be 1 to 48 printable ASCII characters without spaces, got "two words"',
    );
    expectSinkConfigError(
      'udp://h:514',
      { format: 'rfc3164', appName: 'a:b' },
      /`appName` must be 1 to 32 printable ASCII characters without spaces \(nor \[, \] or :\)/,
    );
    expectSinkConfigError(
      'udp://h:514',
      { format: 'cef' as never },
      '`format` must be rfc5424 or rfc3164, got "cef"',
    );
    expectSinkConfigError(
      'udp://h:514',
      { maxBytes: 70_000 },
      '`maxBytes` must be an integer from 64 to 65507, got 70000',
    );
    expectSinkConfigError(
      'udp://h:514',
      { ratePerSecond: 0 },
      '`ratePerSecond` must be a number above 0, got 0',
    );
    expectSinkConfigError(
      'tcp://h:601',
      { ratePerSecond: 10 },
      '`ratePerSecond` applies to udp:// only, not to tcp://h:601',
    );
    expectSinkConfigError(
      'udp://h:514',
      { retries: 3 },
      '`retries` applies to tcp:// and tls:// only, not to udp://h:514',
    );
    expectSinkConfigError(
      'tcp://h:601',
      { insecure: true },
      '`insecure` applies to tls:// only, not to tcp://h:601',
    );
    expectSinkConfigError(
      'tls://h:6514',
      { cert: 'x' },
      '`cert` and `key` go together: give both the client certificate and its key, or neither',
    );
    expectSinkConfigError('tls://h:6514', { colour: 'red' } as never, 'unknown syslog sink option `colour`');
    expectSinkConfigError(
      'tls://h:6514',
      { format: 'rfc3164', msgId: 'x' },
      '`msgId` applies to the rfc5424 format only (RFC 3164 has no MSGID)',
    );
  });

  it('refuses a certificate or key that cannot be loaded, without printing the key', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
    assert.throws(
      () => createSyslogSink('tls://h:6514', { cert: 'not a certificate', key }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^`ca`, `cert` or `key` could not be used: /);
        assert.doesNotMatch(error.message + String(error.stack), /bm90IGEga2V5|PRIVATE KEY/);
        return true;
      },
    );
  });
});

describe('syslog messages', () => {
  const header = {
    facility: 16,
    hostname: 'sensor-1.example.com',
    appName: 'threatconnect',
    procId: '4242',
    msgId: '-',
  };
  const time = Date.UTC(2024, 0, 5, 3, 4, 5, 67);

  it('builds RFC 5424 messages: PRI, version, UTC timestamp with ms, no structured data', () => {
    assert.equal(
      buildMessage({ ...header, format: 'rfc5424' }, 2, time, 'CEF:0|a|b'),
      '<130>1 2024-01-05T03:04:05.067Z sensor-1.example.com threatconnect 4242 - - CEF:0|a|b',
    );
  });

  it('builds RFC 3164 messages: local time with a space-padded day, TAG[PID]', () => {
    const local = new Date(2024, 0, 5, 3, 4, 5).getTime();
    assert.equal(
      buildMessage({ ...header, hostname: 'sensor-1', format: 'rfc3164', facility: 4 }, 6, local, 'x=1'),
      '<38>Jan  5 03:04:05 sensor-1 threatconnect[4242]: x=1',
    );
  });

  it('frames with octet counting: the length in bytes, a space, the message', () => {
    assert.equal(octetCounted(Buffer.from('é x')).toString(), '4 é x');
  });

  it('maps the rating to the severity: 5 critical … 1 informational, none or 0 notice', () => {
    const table: [number | null | undefined, number][] = [
      [5, 2],
      [4.5, 3],
      [4, 3],
      [3, 4],
      [2.5, 5],
      [2, 5],
      [1, 6],
      [0.5, 5],
      [0, 5],
      [null, 5],
      [undefined, 5],
      [Number.NaN, 5],
    ];
    for (const [rating, severity] of table) assert.equal(severityOfRating(rating), severity, String(rating));
  });
});

/** A TCP server that behaves as `mode` says, recording what it read per connection. */
async function server(
  mode: 'read' | 'reset',
): Promise<{ url: string; connections: string[]; close(): Promise<void> }> {
  const connections: string[] = [];
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (mode === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    const index = connections.push('') - 1;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      connections[index] = `${connections[index] ?? ''}${chunk}`;
    });
    socket.on('end', () => socket.end());
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  return {
    url: `tcp://127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => srv.close(resolve));
    },
  };
}

describe('syslog over TCP, against local servers', () => {
  it('flush() resolves after a clean close, then a confirming connection; the next message opens a new one', async () => {
    const collector = await server('read');
    try {
      const sink = createSyslogSink(collector.url, { appName: 'unit', procId: 1, hostname: 'h' });
      sink.write('one');
      sink.write({ line: 'two\n', rating: 5 });
      assert.deepEqual(await sink.flush(), { sent: 2, failed: 0, refused: 0, resent: 0 });
      // The messages' connection, then an empty one that confirms it.
      assert.equal(collector.connections.length, 2);
      assert.equal(collector.connections[1], '');
      const first = collector.connections[0] ?? '';
      assert.match(first, /^\d+ <133>1 \S+ h unit 1 - - one\d+ <130>1 \S+ h unit 1 - - two$/);
      sink.write('three');
      assert.deepEqual(await sink.close(), { sent: 3, failed: 0, refused: 0, resent: 0 });
      assert.match(collector.connections[2] ?? '', /- - three$/);
    } finally {
      await collector.close();
    }
  });

  it('reconnects with backoff on the clock, then fails with the counts when the collector keeps resetting', async () => {
    const collector = await server('reset');
    try {
      const clock = recordingClock({ random: 0.5 });
      const sink = createSyslogSink(collector.url, { retries: 3, retryDelayMs: 100, clock });
      sink.write('a');
      sink.write('b');
      const error = await sink.close().then(
        () => assert.fail('delivered'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SyslogDeliveryError);
      assert.match(
        error.message,
        new RegExp(`^syslog delivery to ${collector.url} failed after 3 reconnect attempts: `),
      );
      assert.equal(error.reason, 'connection');
      // min(cap, 100 × 2^(n−1)) × (0.5 + 0.5/2)
      assert.deepEqual(clock.sleeps, [75, 150, 300]);
      assert.deepEqual(error.result, { sent: 0, failed: 2, refused: 0, resent: error.result.resent });
      // Later writes fail at once and are counted.
      assert.equal(sink.writable, false);
    } finally {
      await collector.close();
    }
  });

  it('counts messages as failed when nothing listens, after the retries (kind refused)', async () => {
    const collector = await server('read');
    const url = collector.url;
    await collector.close();
    const clock = recordingClock();
    const sink = createSyslogSink(url, { retries: 1, clock });
    for (let i = 0; i < 5; i += 1) sink.write(`m${i}`);
    const error = await sink.close().catch((e: unknown) => e);
    assert.ok(error instanceof SyslogDeliveryError);
    assert.equal(error.kind, 'refused');
    assert.equal(clock.sleeps.length, 1);
    assert.deepEqual(sink.result, { sent: 0, failed: 5, refused: 0, resent: 0 });
  });

  it('stops on the signal: close() rejects with AbortError, pending messages count as failed', async () => {
    const controller = new AbortController();
    const clock = recordingClock({
      onSleep: () => {
        controller.abort();
      },
    });
    const collector = await server('reset');
    try {
      const sink = createSyslogSink(collector.url, { clock, signal: controller.signal });
      sink.write('x');
      const error = await sink.close().catch((e: unknown) => e);
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(sink.result.failed, 1);
      assert.equal(sink.result.sent, 0);
    } finally {
      await collector.close();
    }
  });

  it('refuses a chunk that is neither a line nor a record', async () => {
    const collector = await server('read');
    try {
      const sink = createSyslogSink(collector.url);
      sink.write(42);
      const error = await sink.close().catch((e: unknown) => e);
      assert.equal((error as Error).name, 'ValidationError');
      assert.match(
        (error as Error).message,
        /a syslog sink takes strings or \{ line, rating\?, severity\? \} records, got number/,
      );
    } finally {
      await collector.close();
    }
  });
});
