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

/** Opens the run's file sink: the temporary file is created (truncating a crashed run's leftover). */
export async function openFileSink(file: string, seq: number): Promise<PreparedSink> {
  const targetPath = runFileName(file, seq);
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
