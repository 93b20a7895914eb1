import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesGlob } from './glob.js';

const segment = fc.stringMatching(/^[A-Za-z0-9._()+$^-]{1,12}$/);
const stackName = fc.tuple(segment, segment, segment).map((parts) => parts.join('/'));

describe('matchesGlob', () => {
  it('matches `*` within one segment only', () => {
    expect(matchesGlob('acme/web/prod', 'acme/*/prod')).toBe(true);
    expect(matchesGlob('acme/web/prod', 'acme/*')).toBe(false);
    expect(matchesGlob('acme/web/prod-eu', 'acme/web/prod*')).toBe(true);
    expect(matchesGlob('acme/web/staging', 'acme/web/prod*')).toBe(false);
  });

  it('matches `**` across segments', () => {
    expect(matchesGlob('acme/web/prod', 'acme/**')).toBe(true);
    expect(matchesGlob('acme/web/prod', '**/prod')).toBe(true);
    expect(matchesGlob('other/web/prod', 'acme/**')).toBe(false);
  });

  it('treats regular expression characters literally', () => {
    expect(matchesGlob('a.c/p/s', 'a.c/p/s')).toBe(true);
    expect(matchesGlob('abc/p/s', 'a.c/p/s')).toBe(false);
    expect(matchesGlob('a+/p/s', 'a+/p/s')).toBe(true);
    expect(matchesGlob('aa/p/s', 'a+/p/s')).toBe(false);
  });

  it('matches every name against itself, `**` and `*/*/*`', () => {
    fc.assert(
      fc.property(stackName, (name) => {
        expect(matchesGlob(name, name)).toBe(true);
        expect(matchesGlob(name, '**')).toBe(true);
        expect(matchesGlob(name, '*/*/*')).toBe(true);
        expect(matchesGlob(name, '*')).toBe(false);
      }),
    );
  });

  it('matches a segment wildcard only where the segment sits', () => {
    fc.assert(
      fc.property(segment, segment, segment, segment, (org, project, stack, other) => {
        fc.pre(other !== org);
        expect(matchesGlob(`${org}/${project}/${stack}`, `${org}/*/${stack}`)).toBe(true);
        expect(matchesGlob(`${other}/${project}/${stack}`, `${org}/*/${stack}`)).toBe(false);
      }),
    );
  });
});
