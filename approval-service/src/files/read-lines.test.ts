import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forEachLine, readerOf } from './read-lines.js';

// Characters of 2 to 4 bytes, so that small reads split them.
const lines = Array.from({ length: 12 }, (_, i) => `{"n":${i + 1},"s":"é-✓-𝄞"}`);
const text = lines.map((l) => `${l}\n`).join('');

describe('forEachLine', () => {
  let dir: string;
  let handle: FileHandle | undefined;
  const reader = async (content: string) => {
    await writeFile(join(dir, 'lines'), content);
    handle = await open(join(dir, 'lines'), 'r');
    return readerOf(handle);
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearance-lines-'));
  });
  afterEach(async () => {
    await handle?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives every line in order, whatever the reads split, and stops when told', async () => {
    const file = await reader(text);
    const size = Buffer.byteLength(text);
    for (const chunk of [1, 7, 64, 1000, 1 << 20]) {
      const seen: string[] = [];
      const tail = await forEachLine(file, size, (line, n) => seen.push(`${n}:${line}`) > 0, chunk);
      expect(seen).toEqual(lines.map((l, i) => `${i + 1}:${l}`));
      expect(tail).toBe('');
    }
    const starts: number[] = [];
    await forEachLine(file, size, (_, _n, at) => starts.push(at) > 0, 7);
    expect(starts).toEqual(
      lines.map((_, i) =>
        Buffer.byteLength(
          lines
            .slice(0, i)
            .map((l) => `${l}\n`)
            .join(''),
        ),
      ),
    );
    const numbers: number[] = [];
    await forEachLine(file, size, (_, n) => numbers.push(n) < 3, 7);
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('reads no further than the end it is given, and answers a line left unfinished', async () => {
    const file = await reader(`${text}{"n":13,"s":"é`);
    const five = Buffer.byteLength(
      lines
        .slice(0, 5)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const seen: string[] = [];
    expect(await forEachLine(file, five, (line) => seen.push(line) > 0, 7)).toBe('');
    expect(seen).toEqual(lines.slice(0, 5));
    const all = Buffer.byteLength(`${text}{"n":13,"s":"é`);
    expect(await forEachLine(file, all, () => true, 5)).toBe('{"n":13,"s":"é');
  });
});
