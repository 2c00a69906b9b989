import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError } from '../../../src/core/errors.js';
import {
  createLogger,
  formatAsctime,
  formatConsoleLine,
  REDACT_PATHS,
  silentLogger,
} from '../../../src/logging/logger.js';

// 2026-11-28 01:00:55.546 UTC, the time of the seed's console sample.
const T = Date.UTC(2026, 10, 28, 1, 0, 55, 546);
const SIG = 'QE7oDwfLQoCBveT838r6OOjMpy6DfTYF4GMjSt6w25M=';

let dir = '';
let savedTz: string | undefined;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tc-logger-'));
  // Python's asctime is local time; pin the zone so the expected text is fixed.
  savedTz = process.env.TZ;
  process.env.TZ = 'UTC';
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

function sink(): { write(text: string): void; lines: string[] } {
  const lines: string[] = [];
  return { write: (text) => lines.push(text), lines };
}

function records(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function everyLevel(log: ReturnType<typeof createLogger>): void {
  log.debug('d');
  log.info('i');
  log.warning('w');
  log.error('e');
  log.critical('c');
}

describe('formatting', () => {
  it('asctime like Python logging', () => {
    assert.equal(formatAsctime(T), '2026-11-28 01:00:55,546');
    assert.equal(formatAsctime(Date.UTC(2015, 0, 2, 3, 4, 5, 6) + 0.9), '2015-01-02 03:04:05,006');
  });

  it('one human line per record', () => {
    assert.equal(
      formatConsoleLine(
        JSON.stringify({ level: 40, time: T, msg: 'The server may be experiencing delays at the moment.' }),
      ),
      '2026-11-28 01:00:55,546 - threatconnect - WARNING - The server may be experiencing delays at the moment.\n',
    );
    assert.equal(
      formatConsoleLine(JSON.stringify({ level: 60, time: T, msg: 'x' })),
      '2026-11-28 01:00:55,546 - threatconnect - CRITICAL - x\n',
    );
    assert.equal(formatConsoleLine('not json'), 'not json\n');
    assert.equal(formatConsoleLine('not json\n'), 'not json\n');
    assert.match(formatConsoleLine('{"level":"x"}'), / - threatconnect - LEVEL - \n$/);
  });
});

describe('levels', () => {
  it('until a setter is called, only critical is written, to the console', () => {
    const out = sink();
    const log = createLogger({ consoleStream: out, now: () => T });
    assert.equal(log.consoleLevel, 'critical');
    assert.equal(log.filePath, undefined);
    assert.equal(log.fileLevel, undefined);
    assert.equal(log.level, 'critical');
    everyLevel(log);
    assert.deepEqual(out.lines, ['2026-11-28 01:00:55,546 - threatconnect - CRITICAL - c\n']);
    assert.equal(log.isLevelEnabled('error'), false);
    assert.equal(log.isLevelEnabled('critical'), true);
  });

  it('setConsoleLevel maps warning → warn and critical → fatal', () => {
    const out = sink();
    const log = createLogger({ consoleStream: out, now: () => T });
    log.setConsoleLevel('warning');
    everyLevel(log);
    assert.deepEqual(
      out.lines.map((l) => l.split(' - ')[2]),
      ['WARNING', 'ERROR', 'CRITICAL'],
    );
    out.lines.length = 0;
    log.setConsoleLevel('debug');
    everyLevel(log);
    assert.deepEqual(
      out.lines.map((l) => l.split(' - ')[2]),
      ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'],
    );
    out.lines.length = 0;
    log.setConsoleLevel('off');
    everyLevel(log);
    assert.deepEqual(out.lines, []);
    assert.equal(log.level, undefined);
    assert.equal(log.isLevelEnabled('critical'), false);
  });

  it('file and console at separate levels; the logger level is the lowest of them', () => {
    const out = sink();
    const file = join(dir, 'levels', 'deep', 'tc.log');
    const log = createLogger({ consoleStream: out, now: () => T });
    log.setFile(file, 'debug');
    assert.ok(existsSync(file));
    assert.equal(log.level, 'debug');
    everyLevel(log);
    assert.deepEqual(
      records(file).map((r) => [r.level, r.msg, r.time, r.name]),
      [
        [20, 'd', T, 'threatconnect'],
        [30, 'i', T, 'threatconnect'],
        [40, 'w', T, 'threatconnect'],
        [50, 'e', T, 'threatconnect'],
        [60, 'c', T, 'threatconnect'],
      ],
    );
    assert.equal(out.lines.length, 1);
    // Raise the file above the console: the logger's level follows the lowest destination.
    log.setConsoleLevel('info');
    log.setFile(file, 'error');
    assert.equal(log.level, 'info');
    log.info('second info');
    log.error('second error');
    const msgs = records(file).map((r) => r.msg);
    assert.deepEqual(msgs.slice(5), ['second error']);
    assert.deepEqual(
      out.lines.slice(1).map((l) => l.split(' - ')[3]),
      ['second info\n', 'second error\n'],
    );
    log.close();
  });

  it('setFile defaults to info and replaces the earlier file', () => {
    const first = join(dir, 'first.log');
    const second = join(dir, 'second.log');
    const log = createLogger({ consoleLevel: 'off', now: () => T });
    log.setFile(first);
    assert.equal(log.fileLevel, 'info');
    log.debug('hidden');
    log.info('to first');
    log.setFile(second, 'warning');
    log.info('hidden too');
    log.warning('to second');
    assert.deepEqual(
      records(first).map((r) => r.msg),
      ['to first'],
    );
    assert.deepEqual(
      records(second).map((r) => r.msg),
      ['to second'],
    );
    log.clearFile();
    log.critical('nowhere');
    assert.deepEqual(
      records(second).map((r) => r.msg),
      ['to second'],
    );
    assert.equal(log.filePath, undefined);
  });

  it('a file given at creation', () => {
    const file = join(dir, 'created.log');
    const log = createLogger({ consoleLevel: 'off', file: { path: file, level: 'debug' } });
    log.debug('hello', { count: 2 });
    const [record] = records(file);
    assert.equal(record?.msg, 'hello');
    assert.equal(record.count, 2);
    assert.equal(typeof record.time, 'number');
    log.close();
  });

  it('appends to an existing file', () => {
    const file = join(dir, 'append.log');
    writeFileSync(file, '{"msg":"old"}\n');
    const log = createLogger({ consoleLevel: 'off', file: { path: file, level: 'info' } });
    log.info('new');
    assert.deepEqual(
      records(file).map((r) => r.msg),
      ['old', 'new'],
    );
    log.close();
  });
});

describe('errors', () => {
  it('setFile throws ConfigError when the file cannot be written (a folder under a regular file)', () => {
    const blocker = join(dir, 'regular-file');
    writeFileSync(blocker, 'x');
    const target = join(blocker, 'sub', 'tc.log');
    const log = createLogger({ consoleLevel: 'off' });
    assert.throws(
      () => {
        log.setFile(target, 'debug');
      },
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, `\`logFile\` cannot be written: ${target} (ENOTDIR)`);
        assert.ok(error.cause instanceof Error);
        return true;
      },
    );
    assert.equal(log.filePath, undefined);
  });

  it('a path that is a folder cannot be written', () => {
    const log = createLogger({ consoleLevel: 'off' });
    assert.throws(
      () => {
        log.setFile(dir);
      },
      (error: unknown) =>
        error instanceof ConfigError && error.message === `\`logFile\` cannot be written: ${dir} (EISDIR)`,
    );
  });

  it('bad levels and paths', () => {
    const log = createLogger({ consoleLevel: 'off' });
    assert.throws(
      () => {
        log.setFile(join(dir, 'x.log'), 'verbose' as 'debug');
      },
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          '`logFileLevel` must be one of debug, info, warning, error, critical, got "verbose"',
    );
    assert.throws(
      () => {
        log.setFile('');
      },
      (error: unknown) =>
        error instanceof ConfigError && error.message === '`logFile` must be a non-empty string, got ""',
    );
    assert.throws(
      () => {
        log.setConsoleLevel('loud' as 'debug');
      },
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          '`consoleLevel` must be one of debug, info, warning, error, critical, off, got "loud"',
    );
    assert.throws(
      () => createLogger({ consoleLevel: 'fatal' as 'debug' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          '`consoleLevel` must be one of debug, info, warning, error, critical, off, got "fatal"',
    );
    assert.equal(log.consoleLevel, 'off');
  });
});

describe('secrets never reach a destination', () => {
  it('redacts authorization, proxy-authorization, proxy.password, secretKey and token fields', () => {
    const file = join(dir, 'redact.log');
    const log = createLogger({ consoleLevel: 'off', file: { path: file, level: 'debug' } });
    log.debug('request', {
      authorization: `TC 1:${SIG}`,
      headers: { Authorization: `TC 1:${SIG}`, 'proxy-authorization': 'Basic dXNlcjpwYXNz', Timestamp: '1' },
      request: { headers: { authorization: `TC 1:${SIG}` } },
      proxy: { host: 'p', password: 'proxy-pw' },
      secretKey: 'the-secret',
      token: 'the-token',
      apiToken: 'the-api-token',
    });
    const text = readFileSync(file, 'utf8');
    for (const secret of [SIG, 'dXNlcjpwYXNz', 'proxy-pw', 'the-secret', 'the-token', 'the-api-token']) {
      assert.ok(!text.includes(secret), `${secret} leaked`);
    }
    const [record] = records(file);
    assert.deepEqual(record?.headers, {
      Authorization: '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      Timestamp: '1',
    });
    assert.deepEqual(record.proxy, { host: 'p', password: '[REDACTED]' });
    log.close();
  });

  it('scrubs known secret values from messages and string fields, on both destinations', () => {
    const file = join(dir, 'scrub.log');
    const out = sink();
    const secrets = ['s3cr3t-key', undefined, ''];
    const log = createLogger({ consoleStream: out, now: () => T, secrets: () => secrets });
    log.setConsoleLevel('debug');
    log.setFile(file, 'debug');
    const cyclic: Record<string, unknown> = { note: 'has s3cr3t-key inside' };
    cyclic.self = cyclic;
    const shared = { v: 's3cr3t-key' };
    log.info('url /api/appAuth?expiredToken=s3cr3t-key', {
      list: ['s3cr3t-key'],
      twice: [shared, shared],
      cyclic,
      error: new Error('bad s3cr3t-key'),
      n: 1,
    });
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('s3cr3t-key'));
    assert.ok(text.includes('[REDACTED]'));
    assert.deepEqual(out.lines, [
      '2026-11-28 01:00:55,546 - threatconnect - INFO - url /api/appAuth?expiredToken=[REDACTED]\n',
    ]);
    const [record] = records(file);
    assert.deepEqual(record?.list, ['[REDACTED]']);
    assert.deepEqual(record.error, { name: 'Error', message: 'bad [REDACTED]' });
    assert.deepEqual(record.cyclic, { note: 'has [REDACTED] inside', self: '[Circular]' });
    assert.deepEqual(record.twice, [{ v: '[REDACTED]' }, { v: '[REDACTED]' }]);
    log.close();
  });

  it('REDACT_PATHS cover the names the conventions ask for', () => {
    for (const path of [
      'authorization',
      '*.authorization',
      'proxy-authorization',
      '*["proxy-authorization"]',
      'secretKey',
      'token',
      '*.password',
    ]) {
      assert.ok(REDACT_PATHS.includes(path), path);
    }
  });
});

describe('misc', () => {
  it('inspect shows the destinations, not secrets', () => {
    const log = createLogger({ consoleLevel: 'error' });
    assert.equal(inspect(log), 'SdkLogger { file: none, console: error }');
  });

  it('silentLogger writes nothing and says so', () => {
    silentLogger.critical('x');
    assert.equal(silentLogger.isLevelEnabled('critical'), false);
    assert.ok(Object.isFrozen(silentLogger));
  });
});
