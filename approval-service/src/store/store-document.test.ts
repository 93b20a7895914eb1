import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../domain/audit-chain.js';
import { parseStoreDocument } from './store-document.js';
import { makeStoredRequest as req } from './store-fixtures.case.js';

/** A valid db.json as parsed from its text: the baseline each case changes one field of. */
const baseline = () => ({
  version: 2,
  requests: [req({ id: 'a' }), req({ id: 'b', status: 'approved' })],
  audit: { seq: 0, hash: GENESIS_HASH },
});

const errorOf = (value: unknown): string => {
  try {
    parseStoreDocument(value, 'db.json');
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('parseStoreDocument', () => {
  it('takes a valid document as it is, without copying its requests', () => {
    const value = baseline();
    const parsed = parseStoreDocument(value, 'db.json');
    expect(parsed).toEqual(value);
    expect(parsed.requests[0]).toBe(value.requests[0]);
  });

  it('drops what the document holds besides its fields, as the schema does', () => {
    const parsed = parseStoreDocument({ ...baseline(), extra: 1 }, 'db.json');
    expect(parsed).toEqual(baseline());
    const head = parseStoreDocument(
      { ...baseline(), audit: { seq: 0, hash: GENESIS_HASH, note: 'x' } },
      'db.json',
    );
    expect(head.audit).toEqual({ seq: 0, hash: GENESIS_HASH });
  });

  it('keeps the fields of a request it does not know', () => {
    const value = baseline();
    Object.assign(value.requests[0]!, { future: { field: true } });
    expect(parseStoreDocument(value, 'db.json').requests[0]).toMatchObject({
      future: { field: true },
    });
  });

  it('refuses one field wrong, naming it as the schema does', () => {
    const wrongRequest = (field: string, value: unknown) => {
      const doc = baseline();
      (doc.requests[1] as unknown as Record<string, unknown>)[field] = value;
      return doc;
    };
    const cases: [unknown, RegExp][] = [
      [{ ...baseline(), version: 4 }, /version/],
      [{ ...baseline(), requests: {} }, /requests/],
      [{ ...baseline(), audit: { seq: -1, hash: GENESIS_HASH } }, /audit\.seq/],
      [{ ...baseline(), audit: { seq: 0, hash: 'x' } }, /audit\.hash/],
      [wrongRequest('id', ''), /requests\.1\.id/],
      [wrongRequest('status', 'lost'), /requests\.1\.status/],
      [wrongRequest('type', 7), /requests\.1\.type/],
      [wrongRequest('requirements', []), /requests\.1\.requirements/],
      [wrongRequest('reviews', {}), /requests\.1\.reviews/],
      [wrongRequest('runs', null), /requests\.1\.runs/],
      [wrongRequest('pendingExpiresAt', undefined), /requests\.1\.pendingExpiresAt/],
      [
        { ...baseline(), requests: [req({ id: 'a' }), req({ id: 'a' })] },
        /request a appears twice/,
      ],
      [{ ...baseline(), audit: { seq: 0, hash: 'a'.repeat(64) } }, /genesis hash/],
      [null, /document/],
    ];
    for (const [value, message] of cases) {
      const error = errorOf(value);
      expect(error, JSON.stringify(value)?.slice(0, 80)).toMatch(/^db\.json is corrupt: /);
      expect(error).toMatch(message);
    }
  });
});
