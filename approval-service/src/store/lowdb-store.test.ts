import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainEntries } from '../domain/audit-chain.js';
import { verifyAuditDir } from '../service/verify-audit-dir.js';
import type { AuditEntry } from '../domain/model.js';
import { readCommittedTrailEnd } from './committed-head.js';
import { type StoreFs, nodeStoreFs } from '../files/durable-fs.js';
import { faultyFs } from './faulty-fs.case.js';
import { openLowdbStore } from './lowdb-store.js';
import { runStoreContract } from './store.case.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'clearance-lowdb-'));

runStoreContract('lowdb', async () => {
  const dataDir = await tempDir();
  return {
    store: await openLowdbStore({ dataDir }),
    reopen: () => openLowdbStore({ dataDir }),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
});

// Every write compacts, so closed requests are read back from the archive on disk.
runStoreContract('lowdb, compacting at every write', async () => {
  const dataDir = await tempDir();
  return {
    store: await openLowdbStore({ dataDir, compactAfterBytes: 0 }),
    reopen: () => openLowdbStore({ dataDir, compactAfterBytes: 0 }),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describe('openLowdbStore', () => {
  let dataDir: string;
  const db = () => join(dataDir, 'db.json');
  const audit = () => join(dataDir, 'audit.jsonl');
  const journal = () => join(dataDir, 'journal.jsonl');
  const snapshot = async () => ({
    db: await readFile(db()),
    journal: await readFile(journal()),
    audit: await readFile(audit()),
  });

  beforeEach(async () => {
    dataDir = await tempDir();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Rewrites journal.jsonl as the older format wrote it: without the audit entries. */
  const toOlderJournal = async () => {
    const lines = (await readFile(journal(), 'utf8')).split('\n').slice(0, -1);
    const older = lines.map((l) => {
      const { entries: _entries, ...record } = JSON.parse(l) as Record<string, unknown>;
      return `${JSON.stringify(record)}\n`;
    });
    await writeFile(journal(), older.join(''));
  };

  /** A store with two requests and three audit entries, closed again. */
  const seed = async (): Promise<AuditEntry[]> => {
    const store = await openLowdbStore({ dataDir });
    await store.saveRequest(req({ id: 'r1' }), [ev({ subject: 'r1' })]);
    await store.saveRequest(req({ id: 'r2' }), [
      ev({ subject: 'r2' }),
      ev({ action: 'token.issued', subject: 'r2' }),
    ]);
    const entries = await store.readAudit();
    await store.close();
    return entries;
  };

  it('creates the data directory with private db.json, journal.jsonl and audit.jsonl', async () => {
    const nested = join(dataDir, 'a', 'b');
    const store = await openLowdbStore({ dataDir: nested });
    await store.close();
    expect(JSON.parse(await readFile(join(nested, 'db.json'), 'utf8'))).toEqual({
      version: 3,
      requests: [],
      audit: { seq: 0, hash: '0'.repeat(64) },
    });
    expect(await readFile(join(nested, 'journal.jsonl'), 'utf8')).toBe('');
    expect(await readFile(join(nested, 'audit.jsonl'), 'utf8')).toBe('');
    for (const file of ['db.json', 'journal.jsonl', 'audit.jsonl']) {
      expect((await stat(join(nested, file))).mode & 0o777).toBe(0o600);
    }
  });

  it('writes one JSON line per audit entry and records each change and the head in the journal', async () => {
    const entries = await seed();
    const lines = (await readFile(audit(), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(entries);
    const records = (await readFile(journal(), 'utf8'))
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as { request: { id: string }; audit: unknown });
    expect(records.map((r) => r.request.id)).toEqual(['r1', 'r2']);
    expect(records.map((r) => r.audit)).toEqual([
      { seq: 1, hash: entries[0]?.hash },
      { seq: 3, hash: entries[2]?.hash },
    ]);
    expect((await readCommittedTrailEnd(dataDir))?.head).toEqual({
      seq: 3,
      hash: entries[2]?.hash,
    });
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 3 });
  });

  describe('refuses corrupt files and leaves them untouched', () => {
    const expectCorrupt = async (file: string) => {
      const before = await readFile(join(dataDir, file)).catch(() => undefined);
      const opening = openLowdbStore({ dataDir });
      await expect(opening).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
      await expect(opening).rejects.toThrow(file);
      expect(await readFile(join(dataDir, file)).catch(() => undefined)).toEqual(before);
      await expect(stat(join(dataDir, 'store.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    };

    it('db.json that is not JSON', async () => {
      await seed();
      await writeFile(db(), '{"version":1,"requests":[');
      const files = await snapshot();
      await expectCorrupt('db.json');
      expect(await snapshot()).toEqual(files);
    });

    it('db.json of the wrong shape, or with a request twice', async () => {
      await seed();
      await writeFile(
        db(),
        JSON.stringify({ version: 1, requests: [{ id: 'x' }], audit: { seq: 0 } }),
      );
      await expectCorrupt('db.json');
      const twice = {
        version: 1,
        requests: [req(), req()],
        audit: { seq: 0, hash: '0'.repeat(64) },
      };
      await writeFile(db(), JSON.stringify(twice));
      await expectCorrupt('db.json');
    });

    it('audit.jsonl with an edited line', async () => {
      await seed();
      const text = await readFile(audit(), 'utf8');
      await writeFile(audit(), text.replace('"subject":"r1"', '"subject":"r9"'));
      const files = await snapshot();
      await expectCorrupt('audit.jsonl');
      expect(await snapshot()).toEqual(files);
    });

    it('audit.jsonl cut short of the head, where the journal does not hold what it lacks', async () => {
      await seed();
      await toOlderJournal();
      const lines = (await readFile(audit(), 'utf8')).split('\n');
      await writeFile(audit(), `${lines.slice(0, 2).join('\n')}\n`);
      await expectCorrupt('audit.jsonl');
    });

    it('audit.jsonl whose last line differs from the entry the journal holds there', async () => {
      await seed();
      const lines = (await readFile(audit(), 'utf8')).split('\n');
      const other = chainEntries(JSON.parse(lines[0] ?? '') as AuditEntry, [ev({ subject: 'x' })]);
      await writeFile(audit(), `${lines[0]}\n${JSON.stringify(other[0])}\n`);
      await expectCorrupt('audit.jsonl');
    });

    it('audit.jsonl missing while the store records entries', async () => {
      await seed();
      await rm(audit());
      await expectCorrupt('audit.jsonl');
    });

    it('db.json missing while audit.jsonl holds entries', async () => {
      await seed();
      await rm(db());
      await expectCorrupt('db.json');
    });

    it('journal.jsonl with a line that is not a record', async () => {
      await seed();
      const lines = (await readFile(journal(), 'utf8')).split('\n');
      await writeFile(journal(), ['{"audit":{"seq":1}}', ...lines.slice(1)].join('\n'));
      const files = await snapshot();
      await expectCorrupt('journal.jsonl');
      expect(await snapshot()).toEqual(files);
      await writeFile(journal(), ['not json', ...lines.slice(1)].join('\n'));
      await expectCorrupt('journal.jsonl');
    });

    it('journal.jsonl missing while db.json exists', async () => {
      await seed();
      await rm(journal());
      await expectCorrupt('journal.jsonl');
    });

    it('journal.jsonl going back in the audit trail, or ending before db.json', async () => {
      await seed();
      const [first = '', second = ''] = (await readFile(journal(), 'utf8')).split('\n');
      await writeFile(journal(), `${second}\n${first}\n`);
      await expectCorrupt('journal.jsonl');
      await writeFile(journal(), `${first}\n${second}\n`);
      const compacting = await openLowdbStore({ dataDir, compactAfterBytes: 0 });
      await compacting.appendAudit([ev({ subject: 'more' })]);
      await compacting.close();
      expect(await readFile(journal(), 'utf8')).toBe('');
      await writeFile(journal(), `${first}\n`);
      await expectCorrupt('journal.jsonl');
    });

    it('lines after the head that do not continue the chain', async () => {
      await seed();
      await appendFile(audit(), 'not json\n');
      await expectCorrupt('audit.jsonl');
    });
  });

  it('cuts off audit lines that an interrupted write left after the recorded head', async () => {
    const entries = await seed();
    const committed = await readFile(audit());
    const leftover = chainEntries(entries.at(-1), [
      ev({ subject: 'lost' }),
      ev({ subject: 'lost' }),
    ]);
    const partial = JSON.stringify(chainEntries(leftover.at(-1), [ev()])[0]).slice(0, 40);
    await appendFile(audit(), `${leftover.map((e) => JSON.stringify(e)).join('\n')}\n${partial}`);
    expect((await verifyAuditDir(dataDir)).ok).toBe(false);

    const logged: string[] = [];
    const store = await openLowdbStore({ dataDir, log: (line) => logged.push(line) });
    expect(logged).toEqual([
      'audit.jsonl: cut off entries 4–5, written by a change that never committed (no journal.jsonl line records it).',
    ]);
    expect(await store.readAudit()).toEqual(entries);
    expect(await readFile(audit())).toEqual(committed);
    const [next] = await store.appendAudit([ev({ subject: 'after' })]);
    expect(next).toMatchObject({ seq: 4, prevHash: entries[2]?.hash });
    await store.close();
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 4 });
  });

  describe('a last journal line that lost its end (a committed change)', () => {
    /** Seeds two changes, commits `r3` (or an audit-only change), and returns the files then. */
    const commitThird = async (withRequest: boolean) => {
      const entries = await seed();
      const store = await openLowdbStore({ dataDir });
      if (withRequest) await store.saveRequest(req({ id: 'r3' }), [ev({ subject: 'r3' })]);
      else await store.appendAudit([ev({ action: 'auth.failed', subject: 'r3' })]);
      const state = { requests: await store.listRequests(), audit: await store.readAudit() };
      await store.close();
      return { entries, state, files: await snapshot() };
    };
    const cutJournal = async (bytes: number) => {
      const text = await readFile(journal());
      await writeFile(journal(), text.subarray(0, text.length - bytes));
    };

    it('stops the start when the request is cut, naming the file and line, and changes nothing', async () => {
      await commitThird(true);
      const lines = (await readFile(journal(), 'utf8')).split('\n');
      const third = lines[2] ?? '';
      await cutJournal(third.length - 40 + 1);
      const damaged = await snapshot();
      const logged: string[] = [];
      const opening = openLowdbStore({ dataDir, log: (line) => logged.push(line) });
      await expect(opening).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
      await expect(opening).rejects.toThrow(/^journal\.jsonl line 3 is cut short/);
      await expect(opening).rejects.toThrow(/may have been acknowledged, so it was not dropped/);
      await expect(opening).rejects.not.toThrow(dataDir);
      expect(await snapshot()).toEqual(damaged);
      await expect(stat(join(dataDir, 'store.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(logged).toEqual([]);
    });

    /** Bytes from the end of the third line to where its audit head's hash begins. */
    const fromHash = async () => {
      const third = (await readFile(journal(), 'utf8')).split('\n')[2] ?? '';
      return third.length + 1 - (third.indexOf('"audit":{"seq":4,"hash":"') + 24);
    };
    for (const [what, withRequest, bytes] of [
      ['only its newline', true, () => 1],
      ['the end of its audit entries', true, () => 20],
      ['its entries and the end of its audit hash', true, async () => (await fromHash()) - 30],
      ['its entries and its whole audit hash', true, fromHash],
      ['the end of an audit-only line', false, () => 12],
    ] as const) {
      it(`rebuilds it from audit.jsonl and says so when it lost ${what}`, async () => {
        const { state, files } = await commitThird(withRequest);
        await cutJournal(await bytes());
        const logged: string[] = [];
        const store = await openLowdbStore({ dataDir, log: (line) => logged.push(line) });
        expect({ requests: await store.listRequests(), audit: await store.readAudit() }).toEqual(
          state,
        );
        await store.close();
        expect(await snapshot()).toEqual(files);
        expect(logged).toEqual([
          'journal.jsonl line 3 had lost its end; rebuilt it from what was left and audit.jsonl up to entry 4.',
        ]);
        expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 4 });
      });
    }

    it('rebuilds a line of the older format, in the current one', async () => {
      const { state, files } = await commitThird(true);
      await toOlderJournal();
      await cutJournal(20);
      const store = await openLowdbStore({ dataDir, log: () => undefined });
      expect({ requests: await store.listRequests(), audit: await store.readAudit() }).toEqual(
        state,
      );
      await store.close();
      const rebuilt = (await readFile(journal(), 'utf8')).split('\n')[2] ?? '';
      expect(rebuilt).toBe(files.journal.toString('utf8').split('\n')[2]);
    });

    it('stops the start when its entries are cut and audit.jsonl does not hold them', async () => {
      await commitThird(true);
      const text = await readFile(audit(), 'utf8');
      await writeFile(audit(), `${text.split('\n').slice(0, 3).join('\n')}\n`);
      await cutJournal(20);
      await expect(openLowdbStore({ dataDir })).rejects.toThrow(/^journal\.jsonl line 3 is cut/);
    });

    it('stops the start when what is left names no audit entry that audit.jsonl holds', async () => {
      await commitThird(true);
      const text = await readFile(audit(), 'utf8');
      await writeFile(audit(), `${text.split('\n').slice(0, 3).join('\n')}\n`);
      await cutJournal(20);
      await expect(openLowdbStore({ dataDir })).rejects.toThrow(/^journal\.jsonl line 3 is cut/);
    });
  });

  it('cuts off, and says so, the audit lines of a change whose journal line was never written', async () => {
    const entries = await seed();
    const committed = await snapshot();
    const lost = chainEntries(entries.at(-1), [ev({ subject: 'lost' })]);
    await appendFile(audit(), lost.map((e) => `${JSON.stringify(e)}\n`).join(''));

    const logged: string[] = [];
    const store = await openLowdbStore({ dataDir, log: (line) => logged.push(line) });
    expect(logged).toEqual([
      'audit.jsonl: cut off entry 4, written by a change that never committed (no journal.jsonl line records it).',
    ]);
    expect(await snapshot()).toEqual(committed);
    expect(await store.readAudit()).toEqual(entries);
    const [next] = await store.saveRequest(req({ id: 'r3' }), [ev({ subject: 'r3' })]);
    expect(next).toMatchObject({ seq: 4, prevHash: entries[2]?.hash });
    await store.close();
    const reopened = await openLowdbStore({ dataDir });
    expect((await reopened.listRequests()).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    await reopened.close();
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 4 });
  });

  describe('audit.jsonl that lost lines the journal holds (they had not reached the disk)', () => {
    for (const [what, keep] of [
      ['its last lines and part of one', 1],
      ['every line', 0],
    ] as const) {
      it(`restores ${what} from journal.jsonl, durably, and says so`, async () => {
        const entries = await seed();
        const files = await snapshot();
        const lines = files.audit.toString('utf8').split('\n');
        const partial = (lines[keep] ?? '').slice(0, 25);
        await writeFile(
          audit(),
          `${lines
            .slice(0, keep)
            .map((l) => `${l}\n`)
            .join('')}${partial}`,
        );
        const logged: string[] = [];
        const faults = faultyFs();
        const store = await openLowdbStore({ dataDir, fs: faults.fs, log: (l) => logged.push(l) });
        expect(logged).toEqual([
          `audit.jsonl: restored entries ${keep + 1}–3 from journal.jsonl (their lines had not reached the disk).`,
        ]);
        expect(faults.takeSynced()).toContain('audit.jsonl');
        expect(await store.readAudit()).toEqual(entries);
        expect(await snapshot()).toEqual(files);
        const [next] = await store.appendAudit([ev({ subject: 'after' })]);
        expect(next).toMatchObject({ seq: 4, prevHash: entries[2]?.hash });
        await store.close();
        expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 4 });
      });
    }

    it('opens a journal of the older format (entries only in audit.jsonl) to the same state', async () => {
      const entries = await seed();
      await toOlderJournal();
      const store = await openLowdbStore({ dataDir });
      expect(await store.readAudit()).toEqual(entries);
      expect((await store.listRequests()).map((r) => r.id)).toEqual(['r2', 'r1']);
      await store.close();
    });
  });

  it('opens a data directory of version 1 (no journal yet) and upgrades it', async () => {
    const entries = await seed();
    const requests = (
      await openLowdbStore({ dataDir }).then(async (s) => {
        const list = await s.listRequests();
        await s.close();
        return list;
      })
    ).reverse();
    const last = entries.at(-1);
    const legacy = { version: 1, requests, audit: { seq: last?.seq, hash: last?.hash } };
    await writeFile(db(), JSON.stringify(legacy));
    await rm(journal());

    const store = await openLowdbStore({ dataDir });
    expect(await store.listRequests()).toEqual([...requests].reverse());
    expect(await store.readAudit()).toEqual(entries);
    await store.close();
    // Upgraded as it opened: the closed requests moved to the archive, the others stayed.
    const upgraded = JSON.parse(await readFile(db(), 'utf8')) as typeof legacy;
    expect(upgraded).toEqual({
      ...legacy,
      version: 3,
      requests: requests.filter((r) => !['denied', 'expired', 'revoked'].includes(r.status)),
    });
    expect(await readFile(journal(), 'utf8')).toBe('');
  });

  it('keeps a request saved without audit events, and an audit append without a request', async () => {
    const store = await openLowdbStore({ dataDir });
    await store.saveRequest(req({ id: 'quiet' }), []);
    await store.appendAudit([ev({ action: 'auth.failed', subject: 'mallory' })]);
    await store.close();
    const reopened = await openLowdbStore({ dataDir });
    expect(await reopened.getRequest('quiet')).toEqual(req({ id: 'quiet' }));
    expect((await reopened.readAudit()).map((e) => e.action)).toEqual(['auth.failed']);
    await reopened.close();
  });

  describe('from a trusted checkpoint', () => {
    /** A store of 4 entries, closed; answers each line of its audit.jsonl. */
    const fourEntries = async () => {
      const store = await openLowdbStore({ dataDir });
      await store.appendAudit([1, 2, 3, 4].map((n) => ev({ subject: `s${n}` })));
      await store.close();
      return (await readFile(audit(), 'utf8')).trimEnd().split('\n');
    };
    const headAt = (line: string) => {
      const { seq, hash } = JSON.parse(line) as AuditEntry;
      return { seq, hash };
    };
    const open = (trustedAudit: { seq: number; hash: string }) =>
      openLowdbStore({ dataDir, trustedAudit, log: () => {} });
    /** Changes the subject of line `n` (1-based), keeping its recorded hash. */
    const edit = async (lines: string[], n: number) => {
      const copy = [...lines];
      copy[n - 1] = copy[n - 1]!.replace(`"s${n}"`, '"mallory"');
      await writeFile(audit(), `${copy.join('\n')}\n`);
    };

    it('reads the entries up to it as they are, and verifies those after it', async () => {
      const lines = await fourEntries();
      await edit(lines, 2);
      const store = await open(headAt(lines[2]!));
      expect((await store.readAudit()).map((e) => e.subject)).toEqual([
        's1',
        'mallory',
        's3',
        's4',
      ]);
      await store.close();
      await edit(lines, 4);
      await expect(open(headAt(lines[2]!))).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
    });

    it('refuses a trail whose entry at its seq is not the one it signed', async () => {
      const lines = await fourEntries();
      await expect(open({ ...headAt(lines[2]!), hash: 'a'.repeat(64) })).rejects.toMatchObject({
        code: 'ERR_STORE_CORRUPT',
        message: expect.stringContaining(
          'entry 3 differs from the one the last signed checkpoint signed',
        ),
      });
    });

    it('restores from the journal the committed lines the file lost, before or after the checkpoint', async () => {
      const lines = await fourEntries();
      for (const [kept, trusted] of [
        [3, 2],
        [1, 3],
      ] as const) {
        await writeFile(audit(), `${lines.slice(0, kept).join('\n')}\n`);
        const store = await open(headAt(lines[trusted - 1]!));
        expect((await store.readAudit()).map((e) => e.subject)).toEqual(['s1', 's2', 's3', 's4']);
        await store.close();
      }
    });

    it('lets an audit read under way finish before closing', async () => {
      // Holds back every read of audit.jsonl after the first, once armed, until released.
      let armed = false;
      let reads = 0;
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const fs: StoreFs = {
        ...nodeStoreFs,
        open: (async (path: string, ...rest: [never, never]) => {
          const handle = await nodeStoreFs.open(path, ...rest);
          if (!path.endsWith('audit.jsonl')) return handle;
          return new Proxy(handle, {
            get(target, prop) {
              const value: unknown = Reflect.get(target, prop, target);
              if (typeof value !== 'function') return value;
              return async (...args: unknown[]) => {
                if (prop === 'read' && armed && ++reads > 1) await gate;
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            },
          });
        }) as StoreFs['open'],
      };
      const store = await openLowdbStore({ dataDir, fs });
      // Over 1 MiB: the read takes two chunks at least.
      const pad = 'x'.repeat(1000);
      await store.appendAudit(Array.from({ length: 1500 }, () => ev({ data: { pad } })));
      armed = true;
      const read = store.readAudit();
      const closing = store.close();
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await closing;
      expect((await read).length).toBe(1500);
      await expect(store.readAudit()).rejects.toMatchObject({ code: 'ERR_STORE' });
    });

    it('hands out audit.jsonl as it was when asked, a chunk at a time, for an export of any size', async () => {
      const store = await openLowdbStore({ dataDir });
      const pad = 'x'.repeat(1000);
      await store.appendAudit(Array.from({ length: 1500 }, () => ev({ data: { pad } })));
      const before = await readFile(audit());
      const text = store.auditText!();
      await store.appendAudit([ev({ subject: 'later' })]);
      const chunks: Uint8Array[] = [];
      for await (const chunk of text) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(before)).toBe(true);
      await store.close();
      expect(() => store.auditText!()).toThrow(/closed/);
    });

    it('verifies the whole trail when the checkpoint is past it', async () => {
      const lines = await fourEntries();
      await edit(lines, 2);
      await expect(open({ seq: 9, hash: 'a'.repeat(64) })).rejects.toMatchObject({
        code: 'ERR_STORE_CORRUPT',
      });
    });

    it('leaves the lines before it unread at open; reading the trail then names a line that is not JSON', async () => {
      const lines = await fourEntries();
      const broken = [...lines];
      broken[0] = '{"seq":1,';
      await writeFile(audit(), `${broken.join('\n')}\n`);
      const store = await open(headAt(lines[2]!));
      await expect(store.readAudit()).rejects.toMatchObject({
        code: 'ERR_STORE_CORRUPT',
        message: expect.stringContaining('audit.jsonl is corrupt: line 1: not valid JSON'),
      });
      expect((await store.readAudit({ newest: 3 })).map((e) => e.subject)).toEqual([
        's2',
        's3',
        's4',
      ]);
      await expect(store.readAudit({ newest: 4 })).rejects.toMatchObject({
        code: 'ERR_STORE_CORRUPT',
        message: expect.stringContaining('the line at byte 0: not valid JSON'),
      });
      await store.close();
    });
  });
});
