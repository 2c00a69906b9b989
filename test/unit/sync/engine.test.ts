/**
 * The sync engine against a source in memory: progress of stream sinks (what a crash repeats), the
 * checkpoint that never moves back, listings that ignore modifiedSince, the state after a failed
 * publication, the lock, and the state file's checks.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  promises as fsp,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import type { DeletedIndicator } from '../../../src/index.js';
import { type ChangeRecord, runSync, type SyncRunOptions } from '../../../src/sync/engine.js';
import { SimulatedCrash, SyncLockedError, SyncStateError } from '../../../src/sync/errors.js';
import { openFileSink } from '../../../src/sync/file-sink.js';
import { acquireLock } from '../../../src/sync/lock.js';
import type { PreparedSink, SyncSink } from '../../../src/sync/sink.js';

const DEAD_PID = 4_194_304 + 23;
const folder = mkdtempSync(path.join(tmpdir(), 'tc-sync-engine-'));
after(() => {
  rmSync(folder, { recursive: true, force: true });
});
let n = 0;
const statePath = (): string => path.join(folder, `state-${(n += 1)}.json`);

interface Rec extends ChangeRecord {
  id: number;
  lastModified: string;
}

/** A source in memory: `records` as listed, `now` as the server's time. */
function memorySource(world: { records: Rec[]; now: number; listed?: (string | undefined)[] }) {
  return {
    serverTime: () => Promise.resolve(world.now),
    changes(modifiedSince: string | undefined): AsyncIterable<Rec> {
      world.listed?.push(modifiedSince);
      return (async function* () {
        await Promise.resolve();
        yield* world.records;
      })();
    },
    deletions: (): AsyncIterable<DeletedIndicator> => ({
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: true as const, value: undefined }),
      }),
    }),
  };
}

/** A stream sink in memory that keeps what was committed apart from what was only written. */
function memoryStream(): SyncSink & { written: string[]; committed: string[] } {
  const sink = {
    mode: 'stream' as const,
    written: [] as string[],
    committed: [] as string[],
    write: (line: string) => {
      sink.written.push(line);
      return Promise.resolve();
    },
    commit: () => {
      sink.committed = [...sink.written];
      return Promise.resolve();
    },
    abort: () => Promise.resolve(),
  };
  return sink;
}

const encoder = {
  header: () => '',
  change: (r: Rec) => `${r.id}@${r.lastModified}\n`,
  deletion: () => 'deleted\n',
};

function options(
  file: string,
  world: { records: Rec[]; now: number; listed?: (string | undefined)[] },
  sink: () => SyncSink,
  extra: Partial<SyncRunOptions<Rec>> = {},
): SyncRunOptions<Rec> {
  return {
    statePath: file,
    selection: 'test',
    overlapSeconds: 300,
    deletions: false,
    dryRun: false,
    source: memorySource(world),
    encoder,
    openSink: () => Promise.resolve(sink()),
    lockPid: DEAD_PID,
    ...extra,
  };
}

const T0 = Date.parse('2030-01-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('sync engine', () => {
  it('a stream sink records progress: a crash repeats only the lines after the last commit', async () => {
    const file = statePath();
    const records = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, lastModified: iso(T0) }));
    const world = { records, now: T0 + 1000 };
    const first = memoryStream();
    const crash = (point: string, lines: number): void => {
      if (point === 'mid-output' && lines === 5) throw new SimulatedCrash(point);
    };
    await assert.rejects(
      runSync(options(file, world, () => first, { progressEvery: 2, crash })),
      SimulatedCrash,
    );
    assert.deepEqual(
      first.committed,
      ['1@', '2@', '3@', '4@'].map((x) => `${x}${iso(T0)}\n`),
    );
    const second = memoryStream();
    await runSync(options(file, world, () => second, { progressEvery: 2 }));
    // Line 5 was written but not acknowledged before the crash: it is the only one sent twice.
    assert.deepEqual(
      second.committed,
      [5, 6, 7].map((id) => `${id}@${iso(T0)}\n`),
    );
  });

  it('takes the checkpoint from the server time minus the overlap, and never moves it back', async () => {
    const file = statePath();
    const world = { records: [] as Rec[], now: T0 + 1500, listed: [] as (string | undefined)[] };
    const sink = () => memoryStream();
    await runSync(options(file, world, sink));
    world.now = T0 - 60_000; // the server's clock set back a minute
    const second = await runSync(options(file, world, sink));
    assert.equal(second.checkpoint, iso(T0 - 300_000 + 1000));
    world.now = T0 + 600_000;
    const third = await runSync(options(file, world, sink));
    assert.equal(third.checkpoint, iso(T0 + 300_000));
    assert.deepEqual(world.listed, [undefined, iso(T0 - 299_000), iso(T0 - 299_000)]);
  });

  it('skips changes older than the checkpoint that a listing without modifiedSince returns', async () => {
    const file = statePath();
    const world = { records: [{ id: 1, lastModified: iso(T0 - 3_600_000) }], now: T0 };
    const sink = memoryStream();
    await runSync(options(file, world, () => sink));
    world.records.push({ id: 2, lastModified: iso(T0 + 10_000) });
    world.now = T0 + 3_600_000;
    const again = memoryStream();
    const result = await runSync(options(file, world, () => again));
    assert.deepEqual(again.committed, [`2@${iso(T0 + 10_000)}\n`]);
    assert.equal(result.changes, 1);
  });

  it('after a failed publication, the state matches what appeared', async () => {
    const world = { records: [{ id: 1, lastModified: iso(T0) }], now: T0 };
    const failing = (file: string, renamed: boolean): PreparedSink => {
      const temp = `${file}.out.tmp`;
      writeFileSync(temp, '');
      return {
        mode: 'transaction',
        tempPath: temp,
        targetPath: `${file}.out`,
        write: () => Promise.resolve(),
        prepare: () => Promise.resolve(),
        commit: () => {
          if (renamed) rmSync(temp);
          return Promise.reject(new Error(renamed ? 'fsync of the folder failed' : 'rename failed'));
        },
        abort: () => {
          rmSync(temp, { force: true });
          return Promise.resolve();
        },
      };
    };
    const unpublished = statePath();
    await assert.rejects(
      runSync(options(unpublished, world, () => failing(unpublished, false))),
      /rename failed/,
    );
    const s1 = JSON.parse(readFileSync(unpublished, 'utf8')) as { seq: number; pending: unknown };
    assert.deepEqual([s1.seq, s1.pending], [0, null]);
    assert.equal(existsSync(`${unpublished}.out.tmp`), false);

    const published = statePath();
    await assert.rejects(
      runSync(options(published, world, () => failing(published, true))),
      /fsync of the folder/,
    );
    const s2 = JSON.parse(readFileSync(published, 'utf8')) as {
      seq: number;
      pending: unknown;
      delivered: unknown;
    };
    assert.deepEqual([s2.seq, s2.pending, s2.delivered], [1, null, [[1, iso(T0)]]]);
  });

  it('a journal write that fails after its rename keeps the output for the next run to settle', async () => {
    const dir = mkdtempSync(path.join(folder, 'journal-'));
    const file = path.join(dir, 's.json');
    const world = { records: [{ id: 1, lastModified: iso(T0) }], now: T0 };
    // The folder's fsync after the journal's rename fails (EIO): the entry is on disk, the run fails.
    let armed = false;
    const open = fsp.open.bind(fsp);
    const opened = mock.method(fsp, 'open', async (target: string, flags?: string, mode?: number) => {
      const handle = await open(target, flags, mode);
      if (armed && target === dir && flags === 'r') {
        armed = false;
        handle.sync = () => Promise.reject(Object.assign(new Error('EIO: fsync failed'), { code: 'EIO' }));
      }
      return handle;
    });
    const fileSink = async (seq: number, arm: boolean): Promise<PreparedSink> => {
      const sink = await openFileSink(path.join(dir, 'ti.txt'), seq);
      return {
        ...sink,
        prepare: async () => {
          await sink.prepare();
          armed = arm;
        },
      };
    };
    try {
      await assert.rejects(
        runSync({ ...options(file, world, memoryStream), openSink: (seq) => fileSink(seq, true) }),
        /EIO: fsync failed/,
      );
    } finally {
      opened.mock.restore();
    }
    const second = await runSync({
      ...options(file, world, memoryStream),
      openSink: (seq) => fileSink(seq, false),
    });
    // The change was never published: the next run delivers it, rather than record it as delivered.
    assert.equal(second.changes, 1);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('ti.')),
      ['ti.000001.txt'],
    );
    assert.equal(readFileSync(path.join(dir, 'ti.000001.txt'), 'utf8'), `1@${iso(T0)}\n`);
  });

  it('refuses a state of another version or of another selection, naming the file', async () => {
    const file = statePath();
    writeFileSync(file, '{"version":7}');
    const world = { records: [], now: T0 };
    await assert.rejects(
      runSync(options(file, world, () => memoryStream())),
      (e: unknown) =>
        e instanceof SyncStateError &&
        e.message === `the state ${file} has version 7; this threatconnect reads version 1`,
    );
    const other = statePath();
    await runSync(options(other, world, () => memoryStream()));
    await assert.rejects(
      runSync(options(other, world, () => memoryStream(), { selection: 'another' })),
      (e: unknown) =>
        e instanceof SyncStateError &&
        e.message ===
          `the state ${other} was made for other filters, format or --deletions (test); use a new --state file for a new selection`,
    );
    writeFileSync(file, 'not json');
    await assert.rejects(
      runSync(options(file, world, () => memoryStream())),
      /^SyncStateError: the state .* is not JSON/,
    );
  });
});

describe('sync leftovers', () => {
  it("removes killed runs' state copies and lock attempts, and keeps a pending output and others' files", async () => {
    const dir = mkdtempSync(path.join(folder, 'left-'));
    const file = path.join(dir, 's.json');
    const world = { records: [], now: T0 };
    await runSync(options(file, world, () => memoryStream()));
    const names = [
      '.s.json.0badf00d.tmp', // a state copy of a killed run
      `s.json.lock.${DEAD_PID}.abcd1234.tmp`, // a lock attempt of a dead process
      `s.json.lock.${process.pid}.abcd1234.tmp`, // a live process's
      '.s.json.000002.tmp', // not a state copy
      '.other.json.0badf00d.tmp',
    ];
    for (const name of names) writeFileSync(path.join(dir, name), '');
    await runSync(options(file, world, () => memoryStream()));
    assert.deepEqual(
      names.map((name) => existsSync(path.join(dir, name))),
      [false, false, true, true, true],
    );
  });
});

describe('sync lock', () => {
  it('refuses a live holder, takes over a dead one, a reused pid and a damaged file, and keeps a foreign host', async () => {
    const file = path.join(folder, 'held.lock');
    const held = await acquireLock(file);
    await assert.rejects(
      acquireLock(file),
      (e: unknown) =>
        e instanceof SyncLockedError &&
        e.message.startsWith(
          `another sync holds the lock ${file} (pid ${process.pid} on ${os.hostname()}, started `,
        ) &&
        e.message.endsWith('); if that run is gone for good, remove the file'),
    );
    await held.release();
    assert.equal(existsSync(file), false);

    const cases: [string, string][] = [
      [
        JSON.stringify({
          pid: DEAD_PID,
          host: os.hostname(),
          startedAt: 'then',
          procStart: null,
          token: 'a',
        }),
        `process ${DEAD_PID} is gone`,
      ],
      [
        JSON.stringify({
          pid: process.pid,
          host: os.hostname(),
          startedAt: 'then',
          procStart: 'never',
          token: 'b',
        }),
        `process ${process.pid} is another process now`,
      ],
      ['{"pid":', 'it is unreadable'],
    ];
    for (const [content, reason] of cases) {
      writeFileSync(file, content);
      const lock = await acquireLock(file);
      assert.ok(lock.tookOver?.endsWith(`: ${reason}`), lock.tookOver);
      await lock.release();
    }
    writeFileSync(
      file,
      JSON.stringify({ pid: 1, host: 'another-host.example', startedAt: 'then', token: 'c' }),
    );
    await assert.rejects(acquireLock(file), SyncLockedError);
    rmSync(file);
  });
});
