import { join } from 'node:path';
import { ClearanceError } from '../client/errors.js';
import { type StoreFs, describeFsError, errorCodeOf } from './durable-fs.js';
import { LOCK_FILE } from './store-document.js';

export interface DirectoryLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCodeOf(err) !== 'ESRCH';
  }
}

function lockedError(dir: string, path: string, why: string): ClearanceError {
  return new ClearanceError(
    'ERR_STORE_LOCKED',
    `The data directory ${dir} is in use ${why}. Only one Clearance process may use it at a time; ` +
      `if no such process runs, delete ${path}.`,
    { file: path },
  );
}

/**
 * Takes the data directory for this process: a lock file created exclusively (O_EXCL) that holds
 * the pid. A lock left by a process that no longer exists is taken over; a live one (this
 * process included) is refused with ERR_STORE_LOCKED.
 */
export async function acquireDirectoryLock(fs: StoreFs, dir: string): Promise<DirectoryLock> {
  const path = join(dir, LOCK_FILE);
  const pid = process.pid;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await fs.open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${pid}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { path, release: () => releaseLock(fs, path, pid) };
    } catch (err) {
      if (errorCodeOf(err) !== 'EEXIST') {
        throw new ClearanceError('ERR_STORE', `Could not lock ${dir}: ${describeFsError(err)}`);
      }
    }
    const holder = await readLockPid(fs, path);
    if (holder === 'gone') continue;
    if (holder === undefined) throw lockedError(dir, path, '(its lock file holds no process id)');
    if (isProcessAlive(holder)) {
      throw lockedError(
        dir,
        path,
        holder === pid ? 'by this process already' : `by process ${holder}`,
      );
    }
    // Stale: its process is gone. Two processes taking it over at the same instant is not guarded.
    await fs.unlink(path).catch((err: unknown) => {
      if (errorCodeOf(err) !== 'ENOENT') throw err;
    });
  }
  throw lockedError(dir, path, 'by another process that is starting');
}

async function readLockPid(fs: StoreFs, path: string): Promise<number | 'gone' | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return 'gone';
    throw err;
  }
  const match = /^(\d+)\n?$/.exec(text);
  const pid = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

async function releaseLock(fs: StoreFs, path: string, pid: number): Promise<void> {
  // Only remove the lock while it is still ours.
  if ((await readLockPid(fs, path)) === pid) await fs.unlink(path).catch(() => {});
}
