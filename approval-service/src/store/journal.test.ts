import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainEntries } from '../domain/audit-chain.js';
import { formatJournalLine, journalEntries, readJournal } from './journal.js';
import { rebuildJournalTail } from './journal-tail.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

const genesis = { seq: 0, hash: GENESIS_HASH };
const entries = chainEntries(undefined, [
  ev({ subject: 'r1' }),
  ev({ action: 'token.issued', subject: 'r1', data: { jti: 'j1' } }),
]);
const head = { seq: 2, hash: entries[1]?.hash ?? '' };

/** A line of `journal.jsonl` as this code writes it: the format other versions must read. */
const GOLDEN_LINE =
  '{"request":{"id":"r1"},"audit":{"seq":2,"hash":"a3ef28274dd13c88313ed1f9695274c50e08742331000705cdf7344fffb900dd"},' +
  '"entries":[{"seq":1,"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","time":"2025-03-01T10:00:00.000Z","actor":"carol","action":"request.created","subject":"r1","hash":"b0c9687697effa1a0b2d4340fb08ee4987becc7b79d5517cc2c4dce75fc4012e"},' +
  '{"seq":2,"prevHash":"b0c9687697effa1a0b2d4340fb08ee4987becc7b79d5517cc2c4dce75fc4012e","time":"2025-03-01T10:00:00.000Z","actor":"carol","action":"token.issued","subject":"r1","data":{"jti":"j1"},"hash":"a3ef28274dd13c88313ed1f9695274c50e08742331000705cdf7344fffb900dd"}]}\n';

describe('journal lines', () => {
  it('hold the request, the audit head and the change’s audit entries in full (golden vector)', () => {
    expect(formatJournalLine('{"id":"r1"}', head, entries)).toBe(GOLDEN_LINE);
    expect(formatJournalLine(undefined, genesis, [])).toBe(
      `{"audit":{"seq":0,"hash":"${GENESIS_HASH}"},"entries":[]}\n`,
    );
  });

  it('read back with their entries as written, and lines of the older format without', () => {
    const line = formatJournalLine(undefined, head, entries);
    const older = formatJournalLine(JSON.stringify(req({ id: 'r2' })), head, undefined);
    expect(older).toBe(
      `{"request":${JSON.stringify(req({ id: 'r2' }))},"audit":${JSON.stringify(head)}}\n`,
    );
    const read = readJournal(Buffer.from(line + older), genesis, 'journal.jsonl');
    expect(read.records[0]).toEqual({ audit: head, entries });
    expect(JSON.stringify(read.records[0]?.entries)).toBe(JSON.stringify(entries));
    expect(read.records[1]).toEqual({ request: req({ id: 'r2' }), audit: head });
    expect(journalEntries(read.records)).toEqual([]);
    expect(journalEntries(read.records.slice(0, 1))).toEqual(entries);
  });

  it('are corrupt when their entries do not match their hash or do not end at the head', () => {
    const edited = formatJournalLine(undefined, head, entries).replace('"j1"', '"j2"');
    expect(() => readJournal(Buffer.from(edited), genesis, 'journal.jsonl')).toThrow(
      /line 1: audit entry 2 does not match its hash/,
    );
    const short = formatJournalLine(undefined, head, entries.slice(0, 1));
    expect(() => readJournal(Buffer.from(short), genesis, 'journal.jsonl')).toThrow(
      /do not end at its audit head/,
    );
    const first = formatJournalLine(
      undefined,
      { seq: 1, hash: entries[0]?.hash ?? '' },
      entries.slice(0, 1),
    );
    const skipping = formatJournalLine(undefined, { seq: 3, hash: 'f'.repeat(64) }, []);
    expect(() => readJournal(Buffer.from(first + skipping), genesis, 'journal.jsonl')).toThrow(
      /line 2: its audit head moved although it holds no audit entries/,
    );
  });
});

describe('rebuildJournalTail', () => {
  // Members named like the line's own keys, in the request and in an entry's data.
  const request = req({ id: 'r1', material: { audit: { seq: 1 }, ',"audit":': 1 } });
  const tricky = chainEntries(undefined, [ev({ subject: 'r1', data: { audit: { seq: 9 } } })]);
  const trickyHead = { seq: 1, hash: tricky[0]?.hash ?? '' };
  const line = formatJournalLine(JSON.stringify(request), trickyHead, tricky);

  it('rebuilds a line cut anywhere after its audit seq from the entries audit.jsonl holds', () => {
    const at = line.indexOf(',"audit":{"seq":1,') + ',"audit":{"seq":1,'.length;
    for (const end of [line.length - 1, line.length - 30, at + 20, at]) {
      expect(rebuildJournalTail(line.slice(0, end), genesis, tricky)).toEqual({
        record: { request, audit: trickyHead, entries: tricky },
        line,
      });
    }
  });

  it('rebuilds a line of the older format, in the current one', () => {
    const older = formatJournalLine(JSON.stringify(request), trickyHead, undefined);
    expect(rebuildJournalTail(older.slice(0, -10), genesis, tricky)?.line).toBe(line);
  });

  it('gives up when the seq is cut, audit.jsonl lacks the entries, or the rest differs', () => {
    const at = line.indexOf(',"audit":{"seq":1') + ',"audit":{"seq":1'.length;
    expect(rebuildJournalTail(line.slice(0, at), genesis, tricky)).toBeUndefined();
    expect(rebuildJournalTail(line.slice(0, -30), genesis, [])).toBeUndefined();
    const other = chainEntries(undefined, [ev({ subject: 'other' })]);
    expect(rebuildJournalTail(line.slice(0, -30), genesis, other)).toBeUndefined();
  });
});
