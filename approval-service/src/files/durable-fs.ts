import type * as fsp from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ClearanceError } from '@clearance/client';

/** The file-system calls the durable store makes (a seam for failure tests). */
export type StoreFs = Pick<typeof fsp, 'open' | 'readFile' | 'rename' | 'unlink' | 'mkdir'>;

export const nodeStoreFs: StoreFs = nodeFs;

export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err ? String(err.code) : undefined;
}

/** What the usual file-system failures mean, for messages (Node's own name the absolute path). */
const fsErrorText: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'resource busy',
};

/**
 * A failure as a message may show it: a file-system error by its meaning and code only, since
 * Node's own message names the absolute path.
 */
export function describeFsError(err: unknown): string {
  const code = errorCodeOf(err);
  if (code !== undefined && /^E[A-Z0-9]+$/.test(code)) {
    return `${fsErrorText[code] ?? 'file system error'} (${code})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A file of the data directory as messages name it: relative to the data directory. */
export function storeFileName(path: string): string {
  return basename(path);
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
export async function replaceFileDurably(
  fs: StoreFs,
  path: string,
  text: string | Uint8Array,
): Promise<void> {
  const temp = `${path}.tmp`;
  try {
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
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
  const file = storeFileName(path);
  return new ClearanceError('ERR_STORE', `Could not save ${file}: ${describeFsError(err)}`, {
    file,
    committed,
  });
}
