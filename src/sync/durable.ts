/**
 * Durable file operations: data reaches the disk (fsync) before a rename publishes it, and the
 * folder is fsynced after the rename so that the new name survives a power loss too.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** fsyncs a folder, so that a rename or an unlink inside it is on disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a folder (EINVAL, EISDIR); they persist renames by themselves.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/** Whether a path exists (any kind of entry). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Replaces `file` with `text` atomically and durably: a temporary file in the same folder, fsynced,
 * renamed over `file`, then the folder fsynced. A reader sees the old content or the new, never a mix.
 * `text` may come as chunks (an iterable of strings), written one after the other.
 */
export async function writeFileDurably(file: string, text: string | Iterable<string>): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    // Each writeFile writes its chunk whole, from where the last one ended.
    if (typeof text === 'string') await handle.writeFile(text, 'utf8');
    else for (const chunk of text) await handle.writeFile(chunk, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}
