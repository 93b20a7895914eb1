import { lstat, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { ClearanceError } from '@clearance/client';
import { describeFsError, errorCodeOf } from '../files/durable-fs.js';
import { LOCK_FILE } from './store-document.js';

export interface DirectoryLock {
  /** The lock's name inside the data directory. */
  readonly name: string;
  release(): Promise<void>;
}

export interface DirectoryLockOptions {
  /**
   * A lock its holder has not refreshed for this long counts as abandoned (default 10 s; at
   * least 2 s). The holder refreshes it every half of that.
   */
  staleMs?: number;
  /**
   * How long to keep trying while the lock is held (default 0: refuse at once). The service
   * waits `staleMs` and a second, so that the lock of a process that has just died (a crashed
   * container restarted at once) goes stale meanwhile.
   */
  waitMs?: number;
  /** Called once when the lock is lost while held (removed or taken by another process). */
  onLost?: (err: ClearanceError) => void;
  /** Told when the lock is held and the wait begins. */
  log?: (line: string) => void;
}

export const DEFAULT_LOCK_STALE_MS = 10_000;
const RETRY_MS = 500;

/** Data directories this process holds (by resolved path), to name the holder in the refusal. */
const heldHere = new Set<string>();

function lockedError(why: string): ClearanceError {
  return new ClearanceError(
    'ERR_STORE_LOCKED',
    `The data directory is in use ${why}. Only one Clearance process may use it at a time.`,
    { file: LOCK_FILE },
  );
}

/**
 * A regular file where the lock goes is a lock file of an earlier version (a process id in a
 * file, which proves nothing once that id is reused): no process holds it, so it goes.
 */
async function removeOldLockFile(path: string): Promise<void> {
  try {
    if (!(await lstat(path)).isDirectory()) await rm(path, { force: true });
  } catch (err) {
    if (errorCodeOf(err) !== 'ENOENT') throw err;
  }
}

/**
 * Takes the data directory for this process with `proper-lockfile`: a lock directory
 * (`store.lock`) made atomically and kept fresh (its mtime) while this process runs. A lock
 * whose holder stopped refreshing it, because it died, goes stale and is taken over; no
 * process id is involved, so a reused one cannot keep the directory locked. A held lock (this
 * process included) is refused with ERR_STORE_LOCKED after `waitMs`.
 */
export async function acquireDirectoryLock(
  dataDir: string,
  options: DirectoryLockOptions = {},
): Promise<DirectoryLock> {
  const dir = resolve(dataDir);
  if (heldHere.has(dir)) throw lockedError('by this process already');
  const path = join(dir, LOCK_FILE);
  const staleMs = Math.max(options.staleMs ?? DEFAULT_LOCK_STALE_MS, 2000);
  const waitMs = options.waitMs ?? 0;
  const attempt = (retries: number) =>
    lockfile.lock(dir, {
      lockfilePath: path,
      realpath: false,
      stale: staleMs,
      retries: retries > 0 ? { retries, factor: 1, minTimeout: RETRY_MS } : 0,
      onCompromised: () => {
        heldHere.delete(dir);
        options.onLost?.(
          new ClearanceError(
            'ERR_STORE',
            `The data directory lock (${LOCK_FILE}) was removed or could not be refreshed in time; another process may be using the directory. Restart the service.`,
          ),
        );
      },
    });
  let unlock: () => Promise<void>;
  try {
    await removeOldLockFile(path);
    try {
      unlock = await attempt(0);
    } catch (err) {
      if (errorCodeOf(err) !== 'ELOCKED' || waitMs <= 0) throw err;
      options.log?.(
        `The data directory is locked; waiting up to ${Math.ceil(waitMs / 1000)} s in case its holder has just stopped.`,
      );
      unlock = await attempt(Math.ceil(waitMs / RETRY_MS));
    }
  } catch (err) {
    if (errorCodeOf(err) === 'ELOCKED') throw lockedError('by another process');
    throw new ClearanceError(
      'ERR_STORE',
      `Could not lock the data directory: ${describeFsError(err)}`,
    );
  }
  heldHere.add(dir);
  return {
    name: LOCK_FILE,
    release: async () => {
      if (!heldHere.delete(dir)) return;
      await unlock().catch(() => {});
    },
  };
}
