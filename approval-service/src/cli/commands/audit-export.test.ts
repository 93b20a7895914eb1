import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceClient, ManualClock, type RequestView } from '@clearance/client';
import { chainEntries } from '../../domain/audit-chain.js';
import type { AuditEntry, AuditEvent } from '../../domain/model.js';
import { createMemorySigner } from '../../tokens/approval-signer.js';
import { runCli } from '../test-io.case.js';
import {
  requestArgs,
  startTestService,
  testTokens,
  type TestService,
} from '../test-service.case.js';

let svc: TestService;
let dir: string;

beforeAll(async () => {
  svc = await startTestService();
  dir = join(svc.dataDir, '..');
  for (let i = 0; i < 3; i++) {
    const { out } = await runCli([...requestArgs(), '--json'], svc.env('carol'));
    const id = (JSON.parse(out) as RequestView).id;
    await runCli(['approve', id, '--reason', 'ok'], svc.env('alice'));
  }
});
afterAll(() => svc.close());

async function exported(name: string): Promise<{ path: string; lines: string[] }> {
  const { code, out } = await runCli(['audit', 'export', '--verifiable'], svc.env('alice'));
  expect(code).toBe(0);
  const path = join(dir, name);
  await writeFile(path, out);
  return { path, lines: out.trimEnd().split('\n') };
}

const verify = (path: string, ...more: string[]) =>
  runCli(['audit', 'verify', '--file', path, ...more], {});

describe('clearance audit export --verifiable, then audit verify --file', () => {
  it('verifies an export alone: entries, the checkpoint signing their head, and its keys', async () => {
    const { path, lines } = await exported('export.jsonl');
    const entries = lines.filter((l) => 'seq' in (JSON.parse(l) as object));
    const result = await verify(path);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`audit trail intact: ${entries.length} entries in ${path}`);
    expect(result.out).toContain(
      `checked with the keys the export carries, signed through seq ${entries.length}`,
    );
    const served = join(dir, 'served.json');
    await writeFile(served, JSON.stringify(await new ClearanceClient({ url: svc.url }).jwks()));
    expect((await verify(path, '--jwks', served)).code).toBe(0);
  });

  it('serves the same export at GET /v1/audit/export, for auditors and approvers only', async () => {
    const api = new ClearanceClient({ url: svc.url, token: testTokens.bob });
    const text = await api.auditExport();
    const path = join(dir, 'api-export.jsonl');
    await writeFile(path, text);
    expect((await verify(path)).code).toBe(0);
    expect(text).toContain('{"checkpoint":{"jws":"');
    expect(text).toContain('{"checkpointKeys":{"keys":[');
    await expect(
      new ClearanceClient({ url: svc.url, token: testTokens.carol }).auditExport(),
    ).rejects.toMatchObject({ code: 'ERR_FORBIDDEN' });
    const refused = await runCli(
      ['audit', 'export', '--verifiable', '--actor', 'x'],
      svc.env('bob'),
    );
    expect(refused.err).toContain('--verifiable exports the whole trail: it takes no filter');
  });

  it('detects an edited entry, and one whose chain was re-hashed without the key', async () => {
    const { lines } = await exported('tamper.jsonl');
    const edited = lines.map((l, i) => (i === 1 ? l.replace('"actor":"', '"actor":"x') : l));
    const path = join(dir, 'edited.jsonl');
    await writeFile(path, `${edited.join('\n')}\n`);
    const once = await verify(path);
    expect(once.code).toBe(1);
    expect(once.err).toContain('edited: line 2');
    // Every hash rewritten: the chain holds, the signed checkpoint does not.
    const entries = lines
      .map((l) => JSON.parse(l) as Partial<AuditEntry>)
      .filter((e): e is AuditEntry => e.seq !== undefined);
    const events: AuditEvent[] = entries.map(({ seq: _s, prevHash: _p, hash: _h, ...event }, i) =>
      i === 1 ? { ...event, actor: 'mallory' } : event,
    );
    const rehashed = chainEntries(undefined, events).map((e) => JSON.stringify(e));
    const rest = lines.filter((l) => !('seq' in (JSON.parse(l) as object)));
    await writeFile(path, `${[...rehashed, ...rest].join('\n')}\n`);
    const again = await verify(path);
    expect(again.code).toBe(1);
    expect(again.err).toContain('the trail was rewritten after it was signed');
  });

  it('fails an export without its checkpoints, or signed by other keys', async () => {
    const { lines } = await exported('parts.jsonl');
    const path = join(dir, 'cut.jsonl');
    const entriesOnly = lines.filter((l) => 'seq' in (JSON.parse(l) as object));
    await writeFile(path, `${entriesOnly.join('\n')}\n`);
    const bare = await verify(path);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('the export carries no checkpoint keys');
    const other = await createMemorySigner({
      clock: new ManualClock(),
      maxTokenLifetimeSeconds: 60,
    });
    const keys = JSON.stringify({ checkpointKeys: other.jwks() });
    await writeFile(path, `${[...entriesOnly, keys].join('\n')}\n`);
    const unsigned = await verify(path);
    expect(unsigned.code).toBe(1);
    expect(unsigned.err).toContain('no signed checkpoint covers');
    const swapped = lines.map((l) => (l.startsWith('{"checkpointKeys"') ? keys : l));
    await writeFile(path, `${swapped.join('\n')}\n`);
    const forged = await verify(path);
    expect(forged.code).toBe(1);
    expect(forged.err).toContain('signed by a key that is not trusted');
  });
});
