import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLowdbStore } from './lowdb-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const storeModule = pathToFileURL(join(here, 'lowdb-store.ts')).href;

/** A child process that opens the store, reports `opened` or the error code, and closes it when stdin ends. */
const childScript = `
import { openLowdbStore } from ${JSON.stringify(storeModule)};
try {
  const store = await openLowdbStore({ dataDir: process.argv[2] });
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
  const lockFile = () => join(dataDir, 'store.lock');

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
    const first = await openLowdbStore({ dataDir });
    const second = openLowdbStore({ dataDir });
    await expect(second).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
    await expect(second).rejects.toThrow(/in use by this process/);
    expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await first.close();
    await (await openLowdbStore({ dataDir })).close();
  });

  it(
    'refuses another process while this one holds the directory',
    { timeout: 30_000 },
    async () => {
      const store = await openLowdbStore({ dataDir });
      const refused = await startChild();
      expect(refused.said).toBe('ERR_STORE_LOCKED');
      await exited(refused.child);
      expect(refused.child.exitCode).toBe(3);
      await store.close();

      const accepted = await startChild();
      expect(accepted.said).toBe('opened');
      accepted.child.stdin?.end();
      await exited(accepted.child);
      expect(accepted.child.exitCode).toBe(0);
      await (await openLowdbStore({ dataDir })).close();
    },
  );

  it(
    'is refused while another process holds it and takes over once that process died',
    { timeout: 30_000 },
    async () => {
      const holder = await startChild();
      expect(holder.said).toBe('opened');
      const refused = openLowdbStore({ dataDir });
      await expect(refused).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
      await expect(refused).rejects.toThrow(`by process ${holder.child.pid}`);

      holder.child.kill('SIGKILL');
      await exited(holder.child);
      expect(await readFile(lockFile(), 'utf8')).toBe(`${holder.child.pid}\n`);
      const store = await openLowdbStore({ dataDir });
      expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
      await store.close();
    },
  );

  it('takes over a lock whose process no longer exists', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    await writeFile(lockFile(), `${gone.pid}\n`);
    const store = await openLowdbStore({ dataDir });
    expect(await readFile(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await store.close();
  });

  it('refuses a lock file without a process id, and removes only its own lock', async () => {
    await writeFile(lockFile(), '');
    await expect(openLowdbStore({ dataDir })).rejects.toThrow(/holds no process id.*delete/);
    expect(await readFile(lockFile(), 'utf8')).toBe('');

    await rm(lockFile());
    const store = await openLowdbStore({ dataDir });
    await writeFile(lockFile(), '1\n');
    await store.close();
    expect(await readFile(lockFile(), 'utf8')).toBe('1\n');
  });
});
