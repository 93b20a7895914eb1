import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditActions, type AuditEntry, type AuditEvent } from './model.js';
import { chainEntries, hashAuditEntry } from './audit-chain.js';
import { verifyAuditLines, verifyAuditText } from './audit-verify.js';

const eventArb: fc.Arbitrary<AuditEvent> = fc.record(
  {
    time: fc
      .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) })
      .map((ms) => new Date(ms).toISOString()),
    actor: fc.constantFrom('alice', 'bob', 'carol', 'ci'),
    action: fc.constantFrom(...auditActions),
    subject: fc.string({ minLength: 1, maxLength: 12 }),
    data: fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(fc.string(), fc.integer(), fc.boolean()),
    ),
  },
  { requiredKeys: ['time', 'actor', 'action', 'subject'] },
);

const trailArb = fc.array(eventArb, { minLength: 1, maxLength: 15 }).map((events) => {
  const entries = chainEntries(undefined, events);
  const last = entries.at(-1) as AuditEntry;
  return {
    entries,
    lines: entries.map((e) => JSON.stringify(e)),
    head: { seq: last.seq, hash: last.hash },
  };
});

const trail = (n: number) =>
  chainEntries(
    undefined,
    Array.from({ length: n }, (_, i) => ({
      time: `2025-01-01T00:00:0${i}.000Z`,
      actor: 'alice',
      action: 'request.created' as const,
      subject: `r${i + 1}`,
    })),
  );
const linesOf = (entries: AuditEntry[]) => entries.map((e) => JSON.stringify(e));
const headOf = (entries: AuditEntry[]) => {
  const last = entries.at(-1) as AuditEntry;
  return { seq: last.seq, hash: last.hash };
};

describe('verifyAuditLines', () => {
  it('accepts an untouched trail, with and without its head', () => {
    fc.assert(
      fc.property(trailArb, ({ lines, head }) => {
        expect(verifyAuditLines(lines, head)).toEqual({
          ok: true,
          count: lines.length,
          problems: [],
        });
        expect(verifyAuditLines(lines).ok).toBe(true);
      }),
    );
  });

  it('verifies the lines after an entry already checked: chained on from it, numbered after it', () => {
    const entries = trail(6);
    const from = headOf(entries.slice(0, 3));
    const rest = linesOf(entries.slice(3));
    expect(verifyAuditLines(rest, headOf(entries), from)).toEqual({
      ok: true,
      count: 3,
      problems: [],
    });
    // Chained from another entry: the first line's link breaks, reported at its place in the file.
    const other = verifyAuditLines(rest, headOf(entries), headOf(entries.slice(0, 2)));
    expect(other.problems.map((p) => [p.line, p.kind])).toEqual([[3, 'deleted']]);
    const wrongHash = verifyAuditLines(rest, headOf(entries), { seq: 3, hash: 'f'.repeat(64) });
    expect(wrongHash.problems.map((p) => [p.line, p.kind])).toEqual([[4, 'edited']]);
    // Nothing after it: the tail is checked against the entry itself.
    expect(verifyAuditLines([], from, from).ok).toBe(true);
    expect(verifyAuditLines([], headOf(entries), from).problems[0]?.kind).toBe('truncated');
  });

  it('accepts an empty trail against the empty head', () => {
    expect(verifyAuditLines([], { seq: 0, hash: '0'.repeat(64) }).ok).toBe(true);
  });

  it('detects any single edited field, whether or not the hash was recomputed', () => {
    fc.assert(
      fc.property(
        trailArb,
        fc.nat(),
        fc.constantFrom('time', 'actor', 'action', 'subject', 'data', 'seq', 'prevHash', 'extra'),
        fc.boolean(),
        ({ entries, head }, pick, field, rehash) => {
          const i = pick % entries.length;
          const edited: Record<string, unknown> = { ...entries[i] };
          if (field === 'seq') edited.seq = (edited.seq as number) + 1;
          else if (field === 'prevHash') edited.prevHash = 'f'.repeat(64);
          else if (field === 'data') edited.data = { ...(edited.data as object), injected: true };
          else if (field === 'extra') edited.note = 'added';
          else edited[field] = `${String(edited[field])}x`;
          if (rehash) edited.hash = hashAuditEntry(edited);
          const lines = linesOf(entries);
          lines[i] = JSON.stringify(edited);
          expect(verifyAuditLines(lines, head).ok).toBe(false);
        },
      ),
    );
  });

  it('detects any single deleted line', () => {
    fc.assert(
      fc.property(trailArb, fc.nat(), ({ lines, head }, pick) => {
        const i = pick % lines.length;
        const result = verifyAuditLines(lines.toSpliced(i, 1), head);
        expect(result.ok).toBe(false);
        expect(result.problems[0]?.kind).toBe(i === lines.length - 1 ? 'truncated' : 'deleted');
      }),
    );
  });

  it('detects any swap of two lines', () => {
    fc.assert(
      fc.property(trailArb, fc.nat(), fc.nat(), ({ lines, head }, a, b) => {
        const i = a % lines.length;
        const j = b % lines.length;
        fc.pre(i !== j);
        const swapped = [...lines];
        [swapped[i], swapped[j]] = [lines[j] as string, lines[i] as string];
        const result = verifyAuditLines(swapped, head);
        expect(result.ok).toBe(false);
        expect(result.problems.map((p) => p.kind)).toContain('reordered');
      }),
    );
  });

  it('detects any cut at the tail against the head', () => {
    fc.assert(
      fc.property(trailArb, fc.nat(), ({ lines, head }, pick) => {
        const keep = pick % lines.length;
        const result = verifyAuditLines(lines.slice(0, keep), head);
        expect(result.ok).toBe(false);
        expect(result.problems.map((p) => p.kind)).toEqual(['truncated']);
      }),
    );
  });

  it('detects a duplicated line', () => {
    const entries = trail(3);
    const lines = linesOf(entries);
    const result = verifyAuditLines(
      [...lines.slice(0, 2), lines[1] as string, lines[2] as string],
      headOf(entries),
    );
    expect(result.problems.map((p) => ({ line: p.line, kind: p.kind }))).toEqual([
      { line: 3, kind: 'duplicated' },
    ]);
  });

  it('names the line and the kind of each problem', () => {
    const entries = trail(4);
    const lines = linesOf(entries);
    lines[1] = lines[1]?.replace('"alice"', '"mallory"') ?? '';
    expect(verifyAuditLines(lines, headOf(entries)).problems).toEqual([
      { line: 2, kind: 'edited', message: expect.stringContaining('seq 2') },
    ]);
  });

  it('reports a line that is not an audit entry as malformed and keeps checking the rest', () => {
    const entries = trail(4);
    const lines = linesOf(entries);
    lines[1] = '{"seq":2';
    const result = verifyAuditLines(lines, headOf(entries));
    expect(result.count).toBe(3);
    expect(result.problems.map((p) => [p.line, p.kind])).toEqual([[2, 'malformed']]);
    lines[1] = JSON.stringify({ ...entries[1], seq: 'two' });
    expect(verifyAuditLines(lines).problems[0]).toMatchObject({ line: 2, kind: 'malformed' });
  });

  it('reports entries beyond the recorded head as unanchored', () => {
    const entries = trail(3);
    const result = verifyAuditLines(linesOf(entries), headOf(entries.slice(0, 2)));
    expect(result.problems.map((p) => p.kind)).toEqual(['unanchored']);
  });

  it('reports a last entry that differs from the head as edited', () => {
    const entries = trail(2);
    const result = verifyAuditLines(linesOf(entries), { seq: 2, hash: 'e'.repeat(64) });
    expect(result.problems.map((p) => p.kind)).toEqual(['edited']);
  });
});

describe('verifyAuditText', () => {
  it('accepts a file of complete lines and an empty file', () => {
    const entries = trail(3);
    expect(verifyAuditText(`${linesOf(entries).join('\n')}\n`, headOf(entries)).ok).toBe(true);
    expect(verifyAuditText('', { seq: 0, hash: '0'.repeat(64) }).ok).toBe(true);
  });

  it('detects a cut at any byte', () => {
    fc.assert(
      fc.property(trailArb, fc.nat(), ({ lines, head }, pick) => {
        const text = `${lines.join('\n')}\n`;
        const result = verifyAuditText(text.slice(0, pick % text.length), head);
        expect(result.ok).toBe(false);
        expect(result.problems.map((p) => p.kind)).toContain('truncated');
      }),
    );
  });

  it('detects any single changed character', () => {
    fc.assert(
      fc.property(
        trailArb,
        fc.nat(),
        fc.constantFrom('\n', '"', ' ', '0', '9', 'a', 'z', '}', ',', ':', '\\'),
        ({ lines, head }, pick, replacement) => {
          const text = `${lines.join('\n')}\n`;
          const at = pick % text.length;
          fc.pre(text[at] !== replacement);
          const changed = text.slice(0, at) + replacement + text.slice(at + 1);
          expect(verifyAuditText(changed, head).ok).toBe(false);
        },
      ),
    );
  });
});
