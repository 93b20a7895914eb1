import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '@clearance/client';
import { appHarness, requestBody } from '../http/app-harness.case.js';
import { type FaultCode, faultyFs } from './faulty-fs.case.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';

/** The service's app over `store`: `post` opens the harness's request as carol. */
async function serviceOn(store: Store) {
  const h = await appHarness({}, { store });
  return () => h.call('POST', '/v1/requests', { as: 'carol', body: requestBody });
}

const files = async (dataDir: string) => ({
  db: await readFile(join(dataDir, 'db.json'), 'utf8'),
  journal: await readFile(join(dataDir, 'journal.jsonl'), 'utf8'),
  audit: await readFile(join(dataDir, 'audit.jsonl'), 'utf8'),
});

describe('a write the disk refuses', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-disk-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const cases: [string, FaultCode, string, RegExp][] = [
    ['the disk is full (audit)', 'ENOSPC', 'audit.jsonl', /no space left on the device \(ENOSPC\)/],
    ['the disk is full (journal)', 'ENOSPC', 'journal.jsonl', /no space left/],
    ['the file system turned read-only', 'EROFS', 'audit.jsonl', /read-only \(EROFS\)/],
  ];
  for (const [what, code, file, says] of cases) {
    it(`answers 503 without the data path when ${what}, changes nothing, and recovers`, async () => {
      const faults = faultyFs();
      const store = await openLowdbStore({ dataDir, fs: faults.fs });
      const post = await serviceOn(store);
      const before = await files(dataDir);
      faults.arm('write', file, Number.POSITIVE_INFINITY, 0, code);
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await post();
        expect(res.status).toBe(503);
        const { error } = (await res.json()) as ErrorBody;
        expect(error.code).toBe('ERR_STORE');
        expect(error.message).toMatch(says);
        expect(error.message).toMatch(/Nothing was changed/);
        expect(error.message).not.toContain(tmpdir());
        expect(await files(dataDir)).toEqual(before);
        expect(await store.listRequests()).toEqual([]);
      }
      faults.disarm();
      expect((await post()).status).toBe(201);
      await store.close();
      const reopened = await openLowdbStore({ dataDir });
      expect(await reopened.listRequests()).toHaveLength(1);
      await reopened.close();
    });
  }
});

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN), to fill a real disk. */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(canMount())('a real full disk (a 256 KiB tmpfs)', () => {
  let mountPoint: string;
  let store: Store | undefined;
  beforeEach(async () => {
    mountPoint = await mkdtemp(join(tmpdir(), 'clearance-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', mountPoint]);
  });
  afterEach(async () => {
    await store?.close();
    execFileSync('umount', ['--lazy', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('answers 503 without the data path while it is full, and serves again once space is freed', async () => {
    const dataDir = join(mountPoint, 'data');
    store = await openLowdbStore({ dataDir });
    const post = await serviceOn(store);
    const before = await files(dataDir);
    // Fill the disk: the store's files are still empty, so their first write needs a new page.
    const filler = join(mountPoint, 'filler');
    await expect(writeFile(filler, Buffer.alloc(512 * 1024))).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const full = await post();
      expect(full.status).toBe(503);
      const { error } = (await full.json()) as ErrorBody;
      expect(error).toMatchObject({ code: 'ERR_STORE', message: expect.stringMatching(/ENOSPC/) });
      expect(error.message).not.toContain(mountPoint);
      expect(await files(dataDir)).toEqual(before);
    }

    await rm(filler);
    const created = await post();
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await store.close();
    store = await openLowdbStore({ dataDir });
    expect((await store.getRequest(id))?.status).toBe('pending');
  });
});
