import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const text = readFileSync(new URL('ARCHITECTURE.md', root), 'utf8');

/** Where a short path in ARCHITECTURE.md may start: the repository or a package's sources. */
const bases = ['', 'approval-service/src/', 'policy-pack/src/', 'packages/client/src/'];

/** The file and folder names the map cites in code spans (`gate/gate.ts`, `store/`, …). */
function citedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] as string);
  return spans.filter(
    (span) => /^[\w.-]+(\/[\w.-]*)*$/.test(span) && /(\.tsx?|\.js|\/)$/.test(span),
  );
}

describe('ARCHITECTURE.md', () => {
  const cited = citedPaths(text);

  it('cites the modules of the path from the pack to the token', () => {
    expect(cited).toEqual(
      expect.arrayContaining(['policy-pack/src/gate/gate.ts', 'service/issue-token.ts']),
    );
  });

  it.each(cited)('%s exists', (path) => {
    expect(bases.some((base) => existsSync(new URL(`${base}${path}`, root)))).toBe(true);
  });

  it('fits on one screen', () => {
    expect(text.split('\n').length).toBeLessThanOrEqual(60);
  });
});
