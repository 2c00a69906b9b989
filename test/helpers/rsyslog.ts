/**
 * A real syslog collector for tests: Debian's rsyslogd, started with a config of its own in a
 * temporary folder, never the system service. It listens on free loopback ports: UDP (imudp), TCP
 * with octet-counted framing (imptcp) and TLS (imtcp with the OpenSSL driver, a test CA, and client
 * certificates required), and writes each message as one JSON line: app name, facility, severity,
 * input and msg, as rsyslog's RFC 5424 / RFC 3164 parsers read them. No imuxsock or imklog: it does
 * not touch /dev/log, the kernel log or /var.
 *
 * `rsyslogSkip()` says why a test cannot run: only when rsyslogd is missing and the run is not in CI.
 * In CI (CI=true) a missing rsyslogd fails the test instead.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { generate } from 'selfsigned';

const CANDIDATES = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'];

/** The rsyslogd binary, if installed. */
export function rsyslogdPath(): string | undefined {
  const found = CANDIDATES.find((file) => existsSync(file));
  if (found !== undefined) return found;
  try {
    return execFileSync('sh', ['-c', 'command -v rsyslogd'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The reason to skip (rsyslogd missing, outside CI), or undefined to run. In CI a missing rsyslogd
 * is an error: `.ci/run` installs it.
 */
export function rsyslogSkip(): string | undefined {
  if (rsyslogdPath() !== undefined) return undefined;
  if (process.env.CI === 'true') {
    throw new Error('rsyslogd is not installed, and CI=true: .ci/run installs rsyslog and rsyslog-openssl');
  }
  return 'rsyslogd is not installed (apt-get install rsyslog rsyslog-openssl); these tests need a real collector';
}

/** One message as the collector parsed it. */
export interface Collected {
  app: string;
  facility: number;
  severity: number;
  input: string;
  msg: string;
}

/** Test certificates: a CA, the collector's certificate, a client certificate it accepts, and one it does not. */
export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from another CA. */
  rogueCert: string;
  rogueKey: string;
}

async function makePki(): Promise<TestPki> {
  const caExtensions = [
    { name: 'basicConstraints' as const, cA: true, critical: true },
    { name: 'keyUsage' as const, keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ];
  const options = { keyType: 'ec' as const, algorithm: 'sha256' };
  const leaf = (usage: 'serverAuth' | 'clientAuth') => [
    { name: 'basicConstraints' as const, cA: false },
    { name: 'keyUsage' as const, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage' as const, [usage]: true },
  ];
  const ca = await generate([{ name: 'commonName', value: 'threatconnect test CA' }], {
    ...options,
    extensions: caExtensions,
  });
  const signer = { key: ca.private, cert: ca.cert };
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...options,
    ca: signer,
    extensions: [
      ...leaf('serverAuth'),
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const client = await generate([{ name: 'commonName', value: 'threatconnect client' }], {
    ...options,
    ca: signer,
    extensions: leaf('clientAuth'),
  });
  const rogueCa = await generate([{ name: 'commonName', value: 'another CA' }], {
    ...options,
    extensions: caExtensions,
  });
  const rogue = await generate([{ name: 'commonName', value: 'rogue client' }], {
    ...options,
    ca: { key: rogueCa.private, cert: rogueCa.cert },
    extensions: leaf('clientAuth'),
  });
  return {
    ca: ca.cert,
    serverCert: server.cert,
    serverKey: server.private,
    clientCert: client.cert,
    clientKey: client.private,
    rogueCert: rogue.cert,
    rogueKey: rogue.private,
  };
}

/** A free loopback port for `kind` (bound, then released for rsyslogd). */
async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const socket = dgram.createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const { port } = socket.address();
    socket.close();
    return port;
  }
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function config(dir: string, ports: { udp: number; tcp: number; tls: number }): string {
  const file = (name: string) => path.join(dir, name);
  return `# Written by test/helpers/rsyslog.ts: loopback listeners only, no system inputs.
global(
  workDirectory="${dir}"
  maxMessageSize="64k"
  parser.escapeControlCharactersOnReceive="off"
  defaultNetstreamDriverCAFile="${file('ca.pem')}"
  defaultNetstreamDriverCertFile="${file('server.pem')}"
  defaultNetstreamDriverKeyFile="${file('server.key')}"
)
module(load="imudp")
module(load="imptcp")
module(load="imtcp" maxSessions="200")
template(name="collected" type="list" option.jsonf="on") {
  property(outname="app" name="app-name" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf")
  property(outname="severity" name="syslogseverity" format="jsonf")
  property(outname="input" name="inputname" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}
ruleset(name="collect") {
  action(type="omfile" file="${file('messages.jsonl')}" template="collected")
}
input(type="imudp" address="127.0.0.1" port="${ports.udp}" ruleset="collect")
input(type="imptcp" address="127.0.0.1" port="${ports.tcp}" ruleset="collect" supportOctetCountedFraming="on")
input(type="imtcp" address="127.0.0.1" port="${ports.tls}" ruleset="collect"
  streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="x509/certvalid")
`;
}

/** A running collector. */
export interface Collector {
  readonly pki: TestPki;
  /** `udp://127.0.0.1:PORT` and so on. */
  readonly urls: { readonly udp: string; readonly tcp: string; readonly tls: string };
  /** A file in the collector's folder (certificates for CLI flags). */
  file(name: string, content: string): string;
  /** Every message so far. */
  messages(): Collected[];
  /**
   * Waits (bounded, generously) until `app` has at least `count` messages (`distinct`: different
   * texts); returns them all.
   */
  waitFor(
    app: string,
    count: number,
    options?: { distinct?: boolean; limitMs?: number },
  ): Promise<Collected[]>;
  /** Stops rsyslogd (SIGTERM, orderly: it drains its queues) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and waits until every listener delivers. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
  /** The running rsyslogd's process id (benchmarks read its CPU time), if it runs. */
  readonly pid: number | undefined;
}

/** Starts rsyslogd. Call only when {@link rsyslogSkip} returned undefined. */
export async function startCollector(): Promise<Collector> {
  const binary = rsyslogdPath();
  assert.ok(binary !== undefined, 'rsyslogd is not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-rsyslog-'));
  const pki = await makePki();
  const write = (name: string, content: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };
  write('ca.pem', pki.ca);
  write('server.pem', pki.serverCert);
  write('server.key', pki.serverKey);
  const ports = { udp: await freePort('udp'), tcp: await freePort('tcp'), tls: await freePort('tcp') };
  const confFile = write('rsyslog.conf', config(dir, ports));
  const out = path.join(dir, 'messages.jsonl');
  let child: ChildProcess | undefined;
  let log = '';
  let probes = 0;

  const messages = (): Collected[] => {
    if (!existsSync(out)) return [];
    const text = readFileSync(out, 'utf8');
    // A line being written may be incomplete: only whole lines count.
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const raw = JSON.parse(line) as Record<string, string>;
        return {
          app: raw.app ?? '',
          facility: Number(raw.facility),
          severity: Number(raw.severity),
          input: raw.input ?? '',
          msg: raw.msg ?? '',
        };
      });
  };

  const waitFor = async (
    app: string,
    count: number,
    options: { distinct?: boolean; limitMs?: number } = {},
  ): Promise<Collected[]> => {
    const deadline = Date.now() + (options.limitMs ?? 60_000);
    for (;;) {
      const mine = messages().filter((m) => m.app === app);
      const got = options.distinct === true ? new Set(mine.map((m) => m.msg)).size : mine.length;
      if (got >= count) return mine;
      if (child === undefined || child.exitCode !== null) {
        assert.fail(`rsyslogd is not running (waiting for ${count} messages of ${app}): ${log}`);
      }
      if (Date.now() > deadline) {
        assert.fail(`timed out waiting for ${count} messages of ${app}, got ${got}; rsyslogd said: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** One probe message on each listener, sent with plain sockets (independent of the SDK). */
  const probe = async (app: string): Promise<void> => {
    const message = (transport: string) => `<134>1 2024-01-01T00:00:00.000Z probe ${app} - - - ${transport}`;
    const frame = (text: string) => `${Buffer.byteLength(text)} ${text}`;
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => {
      udp.send(message('udp'), ports.udp, '127.0.0.1', () => {
        resolve();
      });
    });
    udp.close();
    const viaStream = async (socket: net.Socket, ready: string, text: string): Promise<void> => {
      socket.on('error', () => undefined);
      await once(socket, ready);
      socket.end(frame(text));
      socket.resume();
      await once(socket, 'close');
    };
    await viaStream(net.connect(ports.tcp, '127.0.0.1'), 'connect', message('tcp')).catch(() => undefined);
    await viaStream(
      tls.connect({
        host: '127.0.0.1',
        port: ports.tls,
        ca: pki.ca,
        cert: pki.clientCert,
        key: pki.clientKey,
      }),
      'secureConnect',
      message('tls'),
    ).catch(() => undefined);
  };

  const start = async (): Promise<void> => {
    log = '';
    const started = spawn(binary, ['-n', '-f', confFile, '-i', path.join(dir, 'rsyslogd.pid')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    started.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    // Ready when a probe has come through each listener (UDP may drop one sent too early: repeat).
    const deadline = Date.now() + 60_000;
    probes += 1;
    const app = `probe${probes}`;
    for (;;) {
      if (started.exitCode !== null) assert.fail(`rsyslogd exited with ${started.exitCode}: ${log}`);
      await probe(app);
      const inputs = new Set(
        messages()
          .filter((m) => m.app === app)
          .map((m) => m.input),
      );
      if (inputs.has('imudp') && inputs.has('imptcp') && inputs.has('imtcp')) return;
      if (Date.now() > deadline) assert.fail(`rsyslogd did not become ready: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    pki,
    urls: {
      udp: `udp://127.0.0.1:${ports.udp}`,
      tcp: `tcp://127.0.0.1:${ports.tcp}`,
      tls: `tls://127.0.0.1:${ports.tls}`,
    },
    file: write,
    messages,
    waitFor,
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
  };
}

/**
 * The syslog severity a record of this rating should arrive with (docs/siem.md, "Severity from the
 * rating"), written out here independently of the SDK's table: 5 → 2, 4 → 3, 3 → 4, 2 → 5, 1 → 6, and 5
 * (notice) without a rating or below 1.
 */
export function expectedSeverity(rating: unknown): number {
  if (typeof rating !== 'number' || !Number.isFinite(rating) || rating < 1) return 5;
  if (rating >= 5) return 2;
  if (rating >= 4) return 3;
  if (rating >= 3) return 4;
  if (rating >= 2) return 5;
  return 6;
}

/**
 * The CLI flags for the collector's TLS listener: `--ca-cert` (the test CA) and a client certificate,
 * the collector's (`client`) or one from another CA (`rogue`), which the collector refuses.
 */
export function cliTlsFlags(collector: Collector, client: 'client' | 'rogue' = 'client'): string[] {
  const [cert, key] =
    client === 'client'
      ? [collector.pki.clientCert, collector.pki.clientKey]
      : [collector.pki.rogueCert, collector.pki.rogueKey];
  return [
    '--ca-cert',
    collector.file('ca.pem', collector.pki.ca),
    '--client-cert',
    collector.file(`${client}.pem`, cert),
    '--client-key',
    collector.file(`${client}.key`, key),
  ];
}
