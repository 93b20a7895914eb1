import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainEntries } from '../domain/audit-chain.js';
import { formatAuditLine } from '../domain/audit-line.js';
import { nodeStoreFs } from '../files/durable-fs.js';
import { forEachLineBackward, readAuditTail } from './audit-file.js';
import { LogFile } from './log-file.js';
import { makeAuditEvent as ev } from './store-fixtures.case.js';

// Subjects with characters of 2 to 4 bytes, so that small reads split them.
const entries = chainEntries(
  undefined,
  Array.from({ length: 12 }, (_, i) => ev({ subject: `é-✓-𝄞-${i}` })),
);
const text = entries.map((e) => `${formatAuditLine(e)}\n`).join('');
const headOf = (n: number) => ({ seq: entries[n - 1]!.seq, hash: entries[n - 1]!.hash });

describe('audit.jsonl on disk', () => {
  let dir: string;
  let file: LogFile;
  const open = async (content: string) => {
    await writeFile(join(dir, 'audit.jsonl'), content);
    file = await LogFile.open(nodeStoreFs, join(dir, 'audit.jsonl'), false);
    return file;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearance-audit-file-'));
  });
  afterEach(async () => {
    await file?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives every line last first, with the byte it starts at, whatever the reads split', async () => {
    await open(`${text}{"seq":13,`);
    const size = Buffer.byteLength(text);
    const expected = text
      .trimEnd()
      .split('\n')
      .map((line) => [line, Buffer.byteLength(text.slice(0, text.indexOf(line)))] as const)
      .reverse();
    for (const chunk of [1, 7, 64, 1000, 1 << 20]) {
      const lines: (readonly [string, number])[] = [];
      await forEachLineBackward(file, size, (line, at) => lines.push([line, at]) > 0, chunk);
      expect(lines).toEqual(expected);
    }
    const seen: string[] = [];
    await forEachLineBackward(file, size, (line) => seen.push(line) < 2, 7);
    expect(seen.map((l) => JSON.parse(l).seq)).toEqual([12, 11]);
  });

  it('reads only the lines after the trusted checkpoint’s entry, found from the end back', async () => {
    await open(`${text}{"seq":13,`);
    for (const chunk of [5, 50, 1 << 20]) {
      for (const n of [1, 8, 12]) {
        const tail = await readAuditTail(file, headOf(12), headOf(n), chunk);
        expect(tail.from).toEqual(headOf(n));
        const rest = `${entries
          .slice(n)
          .map((e) => `${formatAuditLine(e)}\n`)
          .join('')}{"seq":13,`;
        expect(tail.text.toString('utf8')).toBe(rest);
        expect(tail.offset).toBe(Buffer.byteLength(text) + 10 - Buffer.byteLength(rest));
      }
    }
  });

  it('reads the whole file without a usable checkpoint: none, past the head, or not in the file', async () => {
    await open(text.split('\n').slice(3).join('\n'));
    for (const trusted of [undefined, { seq: 0, hash: GENESIS_HASH }, headOf(12), headOf(2)]) {
      const tail = await readAuditTail(file, headOf(11), trusted, 16);
      expect(tail).toMatchObject({ from: { seq: 0, hash: GENESIS_HASH }, offset: 0 });
      expect(tail.text.length).toBe(Buffer.byteLength(text.split('\n').slice(3).join('\n')));
    }
  });

  it('refuses a file whose line at the checkpoint’s seq is not the entry it signed', async () => {
    await open(text);
    await expect(
      readAuditTail(file, headOf(12), { ...headOf(6), hash: 'a'.repeat(64) }),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_CORRUPT',
      message: expect.stringContaining('entry 6 differs from the one the last signed checkpoint'),
    });
    await file.close();
    await open(text.replace('{"seq":6,"prevHash":"', '{"seq":6,"prevHash":'));
    await expect(readAuditTail(file, headOf(12), headOf(6))).rejects.toMatchObject({
      code: 'ERR_STORE_CORRUPT',
    });
  });

  it('reads the whole file when the checkpoint’s line lost its end (the journal may restore it)', async () => {
    await open(text.replace(/\n$/, '').slice(0, -5));
    const tail = await readAuditTail(file, headOf(12), headOf(12));
    expect(tail).toMatchObject({ from: { seq: 0 }, offset: 0 });
  });
});
