/**
 * Replace a file so that readers see either the old or the new content, never a half-written
 * one, even across a crash: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory (so the rename itself is durable).
 */
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The new file keeps the old file's permission bits; a new file gets 0600 (configurations can
 * hold fence-device passwords).
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const mode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => 0o600,
  );
  const fh = await open(tmp, 'wx', mode);
  try {
    await chmod(tmp, mode); // open()'s mode is filtered by the umask
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
