import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredRequest } from '../domain/model.js';
import { type ArchivedLine, ArchiveIndex, isArchivable, tagOf } from './archive-index.js';
import { makeStoredRequest as req } from './store-fixtures.case.js';

const at = (hour: number) => `2025-03-01T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** Lines as an archive would hold them, one after the other from `start`. */
function linesOf(requests: StoredRequest[], start = 0): ArchivedLine[] {
  let offset = start;
  return requests.map((request) => {
    const length = JSON.stringify(request).length;
    const line = { request, offset, length };
    offset += length + 1;
    return line;
  });
}

const ids = (index: ArchiveIndex, entries: Iterable<number>) =>
  [...entries].map((e) => index.idOf(e));

describe('ArchiveIndex', () => {
  const base = [
    req({ id: 'a', status: 'denied', createdAt: at(3) }),
    req({ id: 'b', status: 'expired', createdAt: at(1), stack: 'acme/network/dev' }),
    req({
      id: 'c',
      status: 'revoked',
      createdAt: at(2),
      policy: 'other',
      fingerprint: 'c'.repeat(64),
    }),
  ];

  it('numbers its entries newest first and filters by status, stack and policy', () => {
    const index = ArchiveIndex.of(linesOf(base), 1000);
    expect(ids(index, index.entries({}))).toEqual(['a', 'c', 'b']);
    expect(ids(index, index.entries({ status: ['expired', 'revoked'] }))).toEqual(['c', 'b']);
    expect(ids(index, index.entries({ stack: 'acme/network/dev' }))).toEqual(['b']);
    expect(ids(index, index.entries({ policy: 'other' }))).toEqual(['c']);
    expect(ids(index, index.entries({ urn: req().urn }))).toEqual(['a', 'c', 'b']);
    expect(ids(index, index.entries({ urn: 'urn:other' }))).toEqual([]);
    expect(index.mayMatch({ status: ['pending', 'approved'] })).toBe(false);
    expect(index.mayMatch({ stack: 'acme/none/prod' })).toBe(false);
    expect(index.mayMatch({ unreviewedBreakGlass: true })).toBe(false);
    expect(index.archiveEnd).toBe(1000);
  });

  it('replaces an entry archived again, keeps the order when merging, and finds keys by fingerprint', () => {
    const first = ArchiveIndex.of(linesOf(base), 500);
    const again = req({ id: 'b', status: 'denied', createdAt: at(1), reason: 'again' });
    const index = first.withLines(
      linesOf([again, req({ id: 'd', status: 'denied', createdAt: at(4) })], 500),
      900,
    );
    expect(index.count).toBe(4);
    expect(ids(index, index.entries({}))).toEqual(['d', 'a', 'c', 'b']);
    expect(index.lineOf(index.entryOf('b')!).offset).toBe(500);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => index.entryOf(id))).toEqual([
      1,
      3,
      2,
      0,
      undefined,
    ]);
    expect(ids(index, index.candidatesOf(req()))).toEqual(['d', 'a', 'b']);
    expect(ids(index, index.candidatesOf(req({ fingerprint: 'c'.repeat(64) })))).toEqual(['c']);
    expect(index.candidatesOf(req({ fingerprint: 'f'.repeat(64) }))).toEqual([]);
    expect(index.stacks()).toEqual(['acme/network/prod', 'acme/network/dev']);
  });

  it('decodes what it encodes, and nothing damaged', () => {
    const index = ArchiveIndex.of(linesOf(base), 1000);
    const bytes = index.encode();
    const decoded = ArchiveIndex.decode(bytes)!;
    expect(decoded.encode()).toEqual(bytes);
    expect(ids(decoded, decoded.entries({}))).toEqual(['a', 'c', 'b']);
    expect(decoded.lineOf(2)).toEqual(index.lineOf(2));
    for (let at = 0; at < bytes.length; at += 7) {
      const damaged = Buffer.from(bytes);
      damaged[at] = damaged[at]! ^ 0x20;
      expect(ArchiveIndex.decode(damaged)).toBeUndefined();
    }
    expect(ArchiveIndex.decode(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(ArchiveIndex.decode(Buffer.alloc(0))).toBeUndefined();
    expect(ArchiveIndex.decode(ArchiveIndex.empty().encode())?.count).toBe(0);
  });

  it('pins its file format', () => {
    const index = ArchiveIndex.of(linesOf([base[0]!]), 77);
    const bytes = index.encode();
    const header = bytes.subarray(0, bytes.indexOf(0x0a, 26) + 1).toString('utf8');
    expect(header).toBe(
      'clearance-request-index 2\n' +
        '{"count":1,"archiveEnd":77,"stacks":["acme/network/prod"],"policies":["aws-security-group-open-ingress"],"idBytes":1}\n',
    );
    // Then the columns, little-endian, one after the other, the ids, and the SHA-256 of all before.
    const request = base[0]!;
    const columns = Buffer.alloc(8 + 8 + 4 * 9 + 1);
    columns.writeDoubleLE(0, 0); // offset
    columns.writeDoubleLE(Date.parse(request.createdAt), 8); // time
    columns.writeUInt32LE(JSON.stringify(request).length, 16); // length
    columns.writeUInt32LE(0, 20); // stack
    columns.writeUInt32LE(0, 24); // policy
    columns.writeUInt32LE(tagOf(request.urn), 28);
    columns.writeUInt32LE(tagOf(request.fingerprint), 32);
    columns.writeUInt32LE(tagOf(request.id), 36);
    columns.writeUInt32LE(1, 40); // id end
    columns.writeUInt32LE(0, 44); // by fingerprint
    columns.writeUInt32LE(0, 48); // by id
    columns.writeUInt8(0, 52); // status: denied
    const content = Buffer.concat([Buffer.from(header), columns, Buffer.from('a')]);
    expect(bytes).toEqual(Buffer.concat([content, createHash('sha256').update(content).digest()]));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '12e26faaab99b26aaae3ec353c7cb44007d80fedb3f8f68dee987995db023b9f',
    );
  });

  it('tells apart ids that share a tag', () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let n = 0; !pair; n++) {
      const id = `req_${n}`;
      const other = seen.get(tagOf(id));
      if (other) pair = [other, id];
      seen.set(tagOf(id), id);
    }
    const requests = pair.map((id, i) => req({ id, status: 'denied', createdAt: at(i + 1) }));
    const index = ArchiveIndex.decode(ArchiveIndex.of(linesOf(requests), 10).encode())!;
    expect(pair.map((id) => index.idOf(index.entryOf(id)!))).toEqual(pair);
    expect(index.entryOf(`${pair[0]}x`)).toBeUndefined();
  });

  it('tags a text with 32-bit FNV-1a', () => {
    expect(tagOf('')).toBe(0x811c9dc5);
    expect(tagOf('a')).toBe(0xe40c292c);
    expect(tagOf('foobar')).toBe(0xbf9cf968);
  });

  it('archives closed requests whose break-glass use, if any, was reviewed', () => {
    expect(isArchivable(req({ status: 'pending' }))).toBe(false);
    expect(isArchivable(req({ status: 'approved' }))).toBe(false);
    expect(isArchivable(req({ status: 'denied' }))).toBe(true);
    const glass = { at: at(1), by: 'alice', reason: 'outage' };
    expect(isArchivable(req({ status: 'expired', breakGlass: glass } as never))).toBe(false);
    expect(
      isArchivable(req({ status: 'expired', breakGlass: { ...glass, review: {} } } as never)),
    ).toBe(true);
  });
});
