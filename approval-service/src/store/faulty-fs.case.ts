import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { type StoreFs, nodeStoreFs } from '../files/durable-fs.js';

export type Fault = 'sync' | 'truncate' | 'rename' | 'write';

/** The errno an armed fault fails with: EIO unless told (ENOSPC for a full disk, EROFS...). */
export type FaultCode = 'EIO' | 'ENOSPC' | 'EROFS' | 'EDQUOT';

/** Bytes a `write` or `writeFile` call on a file handle passes on. */
function bytesOf(prop: string, args: unknown[]): number {
  if (prop === 'writeFile') return Buffer.byteLength(args[0] as string | Buffer);
  const [data, , length] = args as [Buffer | string, number?, number?];
  return typeof length === 'number' ? length : Buffer.byteLength(data);
}

/**
 * node:fs/promises with faults armed per operation and file name (the data directory's name for
 * its own sync); it also counts the bytes written and records the files fsynced.
 */
export function faultyFs() {
  const armed = new Map<string, { after: number; times: number; code: FaultCode }>();
  const held = new Map<string, Promise<void>>();
  const releases = new Set<() => void>();
  let written = 0;
  let synced: string[] = [];
  const trip = (op: Fault, path: string) => {
    const fault = armed.get(`${op}:${basename(path)}`);
    if (!fault || fault.times <= 0) return;
    if (fault.after > 0) {
      fault.after -= 1;
      return;
    }
    fault.times -= 1;
    // Worded as Node words it, with the absolute path, which no answer may repeat.
    throw Object.assign(new Error(`${fault.code}: injected ${op} failure, ${op} '${path}'`), {
      code: fault.code,
    });
  };
  const wrap = (handle: FileHandle, path: string): FileHandle =>
    new Proxy(handle, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const gate = held.get(`${String(prop)}:${basename(path)}`);
          if (gate) await gate;
          if (prop === 'sync' || prop === 'truncate' || prop === 'write' || prop === 'writeFile') {
            trip(prop === 'writeFile' ? 'write' : prop, path);
          }
          if (prop === 'write' || prop === 'writeFile') written += bytesOf(prop, args);
          const result = await (value as (...a: unknown[]) => unknown).apply(target, args);
          if (prop === 'sync') synced.push(basename(path));
          return result;
        };
      },
    });
  const fs: StoreFs = {
    ...nodeStoreFs,
    open: (async (
      path: string,
      ...rest: Parameters<typeof nodeStoreFs.open> extends [unknown, ...infer R] ? R : never
    ) => wrap(await nodeStoreFs.open(path, ...rest), path)) as StoreFs['open'],
    rename: async (from, to) => {
      trip('rename', String(to));
      return nodeStoreFs.rename(from, to);
    },
  };
  return {
    fs,
    /**
     * Fails `op` on `file` `times` times (default: always), after letting `after` calls pass,
     * with `code` (default EIO).
     */
    arm: (
      op: Fault,
      file: string,
      times = Number.POSITIVE_INFINITY,
      after = 0,
      code: FaultCode = 'EIO',
    ) => armed.set(`${op}:${file}`, { after, times, code }),
    disarm: () => armed.clear(),
    /** Releases every operation held (see `hold`). */
    releaseAll: () => {
      for (const release of releases) release();
      releases.clear();
    },
    /** Holds every `op` on `file` (a file-handle method: 'sync', 'write'...) until the returned release is called. */
    hold: (op: Fault, file: string): (() => void) => {
      const key = `${op}:${file}`;
      let release = () => {};
      held.set(
        key,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      const done = () => {
        held.delete(key);
        releases.delete(done);
        release();
      };
      releases.add(done);
      return done;
    },
    /** Bytes written to files since the last call. */
    takeWritten: () => {
      const bytes = written;
      written = 0;
      return bytes;
    },
    /** Names of the files fsynced since the last call, in order (a directory by its name). */
    takeSynced: () => {
      const names = synced;
      synced = [];
      return names;
    },
  };
}
