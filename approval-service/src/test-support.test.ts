import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => join(src, f));
const known = new Set(modules);

/** What tsconfig.build.json leaves out of `dist`: tests, `*.case.ts` and `src/testing/`. */
function isTestCode(file: string): boolean {
  return /\.test\.tsx?$|\.case\.ts$/.test(file) || relative(src, file).startsWith('testing/');
}

/** The modules of `src` that `file` imports by relative path (statically or not). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].flatMap((m) => {
    const base = resolve(dirname(file), (m[1] as string).replace(/\.js$/, ''));
    return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].filter((f) => known.has(f));
  });
}

describe('test support', () => {
  it('is named as the build leaves it out: no module only tests import ships in dist', () => {
    const importers = new Map<string, string[]>();
    for (const file of modules) {
      for (const target of importsOf(file))
        importers.set(target, [...(importers.get(target) ?? []), file]);
    }
    const shipped = modules.filter((file) => {
      const by = importers.get(file) ?? [];
      return !isTestCode(file) && by.length > 0 && by.every(isTestCode);
    });
    expect(shipped.map((f) => relative(src, f))).toEqual([]);
  });
});
