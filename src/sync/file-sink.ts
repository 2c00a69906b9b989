/**
 * The file sink of `sync --output FILE`: each run that delivers something writes a new file named
 * after FILE with the run's number before the extension (`ti.cef` → `ti.000042.cef`), through a
 * temporary file in the same folder that is fsynced, renamed into place and followed by an fsync of
 * the folder (docs/sync.md, "Output files").
 */
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fsyncDir } from './durable.js';
import { SyncStateError } from './errors.js';
import type { PreparedSink } from './sink.js';

/** The run's file: FILE with `.<seq, 6 digits>` before its extension. */
export function runFileName(file: string, seq: number): string {
  const target = path.resolve(file);
  const ext = path.extname(target);
  const stem = ext === '' ? target : target.slice(0, -ext.length);
  return `${stem}.${String(seq).padStart(6, '0')}${ext}`;
}

/** The temporary name of a run's file: fixed per run, so a crashed run's leftover is overwritten. */
export function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
}

async function write(stream: WriteStream, chunk: string, failed: () => Error | undefined): Promise<void> {
  const error = failed();
  if (error !== undefined) throw error;
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (e: Error): void => {
      stream.off('drain', onDrain);
      reject(e);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/**
 * A published file is never replaced: a run whose file name is taken stops before it writes. That
 * happens when the state restarted its numbering (a new or deleted state file beside an output
 * folder that still holds the files of the old one): replacing `ti.000001.cef` would lose the old
 * file's lines if the collector had not read it yet, and the new ones if it had (by name).
 */
async function checkUnpublished(targetPath: string, seq: number): Promise<void> {
  const taken = await fs.lstat(targetPath).then(
    () => true,
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    },
  );
  if (taken) {
    throw new SyncStateError(
      `${targetPath} exists, and a published file is never replaced: the state is at run ${seq - 1}, so it is not the state that published that file (a new or reset state?). Move the published files away, or give another --output`,
    );
  }
}

/** Opens the run's file sink: the temporary file is created (truncating a crashed run's leftover). */
export async function openFileSink(file: string, seq: number): Promise<PreparedSink> {
  const targetPath = runFileName(file, seq);
  await checkUnpublished(targetPath, seq);
  const tempPath = tempNameFor(targetPath);
  const stream = createWriteStream(tempPath, { flags: 'w', mode: 0o644 });
  let error: Error | undefined;
  stream.on('error', (e) => {
    error = e;
  });
  await new Promise<void>((resolve, reject) => {
    stream.once('ready', () => {
      resolve();
    });
    stream.once('error', reject);
  });
  let prepared = false;
  const prepare = async (): Promise<void> => {
    if (prepared) return;
    stream.end();
    await finished(stream);
    if (error !== undefined) throw error;
    const handle = await fs.open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    prepared = true;
  };
  return {
    mode: 'transaction',
    tempPath,
    targetPath,
    write: (line) => write(stream, line, () => error),
    prepare,
    commit: async () => {
      await prepare();
      // Again at the last moment: the lock keeps other runs out, not other writers of the folder.
      await checkUnpublished(targetPath, seq);
      await fs.rename(tempPath, targetPath);
      await fsyncDir(path.dirname(targetPath));
    },
    abort: async () => {
      stream.destroy();
      await finished(stream).catch(() => undefined);
      await fs.rm(tempPath, { force: true }).catch(() => undefined);
    },
  };
}
