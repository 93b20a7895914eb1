import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grantedSeconds } from './durations.js';

describe('grantedSeconds', () => {
  it('grants the rule maximum when nobody asks for less', () => {
    expect(grantedSeconds(3600, undefined, [undefined, undefined])).toBe(3600);
  });

  it('grants what was requested, capped by the rule', () => {
    expect(grantedSeconds(3600, 900, [])).toBe(900);
    expect(grantedSeconds(3600, 7200, [])).toBe(3600);
  });

  it('lets every approver shorten it', () => {
    expect(grantedSeconds(3600, 1800, [1200, undefined, 600])).toBe(600);
    expect(grantedSeconds(3600, 1800, [99_999])).toBe(1800);
  });

  it('never exceeds the rule, the request or any approver, and is one of them', () => {
    const s = fc.integer({ min: 1, max: 366 * 86400 });
    fc.assert(
      fc.property(
        s,
        fc.option(s, { nil: undefined }),
        fc.array(fc.option(s, { nil: undefined })),
        (max, req, approvers) => {
          const granted = grantedSeconds(max, req, approvers);
          expect(granted).toBeLessThanOrEqual(max);
          if (req !== undefined) expect(granted).toBeLessThanOrEqual(req);
          for (const a of approvers) if (a !== undefined) expect(granted).toBeLessThanOrEqual(a);
          expect([max, req, ...approvers]).toContain(granted);
        },
      ),
    );
  });
});
