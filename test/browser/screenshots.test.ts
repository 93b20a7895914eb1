import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pageNames, takeScreenshots, viewports } from './console-screenshots.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const expected = Object.keys(viewports).flatMap((device) =>
  pageNames.map((page) => `${page}-${device}.png`),
);
const temp: string[] = [];

afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

/** Width of a PNG image, from its IHDR chunk; undefined when the bytes are not a PNG. */
async function pngWidth(file: string): Promise<number | undefined> {
  const bytes = await readFile(file);
  const signature = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== signature) return undefined;
  if (bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return bytes.readUInt32BE(16);
}

function widthOf(name: string): number {
  const device = /-(\w+)\.png$/.exec(name)?.[1] as keyof typeof viewports;
  return viewports[device].width;
}

describe('console screenshots', { timeout: 120_000 }, () => {
  it('the script takes a full-width screenshot of every main page on a laptop and a phone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-shots-'));
    temp.push(dir);
    const files = await takeScreenshots(dir);
    expect(files.map((f) => basename(f)).sort()).toEqual([...expected].sort());
    for (const file of files) {
      expect(await pngWidth(file), basename(file)).toBe(widthOf(basename(file)));
    }
  });

  it('the README shows every screenshot, and each is committed', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/!\[[^\]]+\]\(docs\/screenshots\/([\w-]+\.png)\)/g)].map(
      (m) => m[1],
    );
    expect([...shown].sort()).toEqual([...expected].sort());
    for (const name of expected) {
      const file = join(root, 'docs', 'screenshots', name);
      expect(await pngWidth(file), name).toBe(widthOf(name));
    }
  });
});
