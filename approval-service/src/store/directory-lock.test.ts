import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLowdbStore } from './lowdb-store.js';
import { makeAuditEvent as ev } from './store-fixtures.case.js';

const here = dirname(fileURLToPath(import.meta.url));
const storeModule = pathToFileURL(join(here, 'lowdb-store.ts')).href;

/**
 * A child process that opens the store (refusing a held lock at once), reports `opened` or the
 * error code, and closes it when stdin ends.
 */
const childScript = `
import { openLowdbStore } from ${JSON.stringify(storeModule)};
try {
  const store = await openLowdbStore({ dataDir: process.argv[2], lock: { waitMs: 0 } });
  process.stdout.write('opened\\n');
  process.stdin.on('end', async () => { await store.close(); process.exit(0); });
  process.stdin.resume();
} catch (err) {
  process.stdout.write(String(err.code) + '\\n');
  process.exit(3);
}
`;

describe('data directory lock', () => {
  let dataDir: string;
  let script: string;
  const children: ChildProcess[] = [];
  const lockPath = () => join(dataDir, 'store.lock');
  /** Opens the store in this process, refusing a held lock at once. */
  const open = () => openLowdbStore({ dataDir, lock: { waitMs: 0 } });
  /** Makes the lock look as if its holder stopped refreshing it an hour ago. */
  const age = (path: string) => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    return utimes(path, hourAgo, hourAgo);
  };

  const startChild = async (): Promise<{ child: ChildProcess; said: string }> => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
      cwd: here,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout?.setEncoding('utf8');
    const said = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
    });
    return { child, said };
  };
  const exited = async (child: ChildProcess) => {
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-lock-'));
    script = `${dataDir}-child.mts`;
    await writeFile(script, childScript);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
    await rm(script, { force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second open in the same process until the first closes', async () => {
    const first = await open();
    const second = open();
    await expect(second).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
    await expect(second).rejects.toThrow(/in use by this process/);
    expect((await stat(lockPath())).isDirectory()).toBe(true);
    await first.close();
    await expect(stat(lockPath())).rejects.toMatchObject({ code: 'ENOENT' });
    await (await open()).close();
  });

  it(
    'refuses another live process while this one holds the directory',
    { timeout: 30_000 },
    async () => {
      const store = await open();
      const refused = await startChild();
      expect(refused.said).toBe('ERR_STORE_LOCKED');
      await exited(refused.child);
      expect(refused.child.exitCode).toBe(3);
      await store.close();

      const accepted = await startChild();
      expect(accepted.said).toBe('opened');
      await expect(open()).rejects.toThrow(/in use by another process/);
      accepted.child.stdin?.end();
      await exited(accepted.child);
      expect(accepted.child.exitCode).toBe(0);
      await (await open()).close();
    },
  );

  it(
    'takes over the lock of a killed process once it has gone stale, without looking at process ids',
    { timeout: 30_000 },
    async () => {
      const holder = await startChild();
      expect(holder.said).toBe('opened');
      holder.child.kill('SIGKILL');
      await exited(holder.child);
      // Left behind, still fresh: the holder might only be slow, so it is still refused.
      await expect(open()).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
      await age(lockPath());
      const store = await open();
      await store.appendAudit([ev()]);
      await store.close();
    },
  );

  it('is not blocked by a lock file of the old kind, whose process id is alive or gone', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    // Process 1 and this test's parent are alive (as a crashed container's service would be
    // after a restart); neither holds the directory.
    for (const pid of [gone.pid, 1, process.ppid, process.pid]) {
      await writeFile(lockPath(), `${pid}\n`);
      const store = await open();
      expect((await stat(lockPath())).isDirectory()).toBe(true);
      await store.close();
    }
    await writeFile(lockPath(), '');
    await (await open()).close();
  });

  it('is not blocked by a stale lock directory left behind', async () => {
    await mkdir(lockPath());
    await age(lockPath());
    const store = await open();
    await store.appendAudit([ev()]);
    await store.close();
    await expect(stat(lockPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
