import type * as fsp from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClearanceError } from '../client/errors.js';

/** The file-system calls the durable store makes (a seam for failure tests). */
export type StoreFs = Pick<typeof fsp, 'open' | 'readFile' | 'rename' | 'unlink' | 'mkdir'>;

export const nodeStoreFs: StoreFs = nodeFs;

export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err ? String(err.code) : undefined;
}

export function describeFsError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** fsyncs a directory so that a rename or a new file in it survives a crash. */
export async function syncDirectory(fs: StoreFs, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `text` atomically and durably: temp file, fsync, rename, fsync of the
 * directory. Fails with ERR_STORE; `details.committed` is true when the rename happened but
 * its durability is unknown (the directory sync failed).
 */
export async function replaceFileDurably(fs: StoreFs, path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.unlink(temp).catch(() => {});
    throw writeError(path, err, false);
  }
  try {
    await syncDirectory(fs, dirname(path));
  } catch (err) {
    throw writeError(path, err, true);
  }
}

export function writeError(path: string, err: unknown, committed: boolean): ClearanceError {
  return new ClearanceError('ERR_STORE', `Could not save ${path}: ${describeFsError(err)}`, {
    file: path,
    committed,
  });
}
