import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ARCHIVE_FILE,
  ARCHIVE_INDEX_FILE,
  ArchiveIndex,
  type ArchivedLine,
  AUDIT_FILE,
  AuditCheckpointer,
  DB_FILE,
  JOURNAL_FILE,
  STORE_VERSION,
  GENESIS_HASH,
  chainEntries,
  formatAuditLine,
} from '@clearance/approval-service/testing';
import { seedServices } from './seed-store.js';
import { benchItem, benchMaterial, benchStack, benchType } from './service-bench-fixture.js';

const DAY_MS = 86_400_000;
const ISO_TIME = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/g;

/** `text` with the template's id, fingerprint and bucket swapped for clone `i`'s, its times moved by `shiftMs`. */
function cloneText(
  text: string,
  template: { id: string; fingerprint: string },
  i: number,
  shiftMs: number,
): string {
  const id = `req_s${i.toString(36).padStart(21, '0')}`;
  const fingerprint = createHash('sha256').update(`scale-${i}`).digest('hex');
  return text
    .replaceAll(template.id, id)
    .replaceAll(template.fingerprint, fingerprint)
    .replaceAll('bucket-0', `bucket-${i}`)
    .replace(
      ISO_TIME,
      (_, iso: string) => `"${new Date(Date.parse(iso) + shiftMs).toISOString()}"`,
    );
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function finish(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/**
 * One request made, approved by alice and bob, and expired by the sweep, through the real
 * service logic on a memory store, a year before `nowMs`: the request, and the trail from
 * the signing key's creation on.
 */
async function expiredTemplate(dataDir: string, configPath: string, nowMs: number) {
  let time = nowMs - 400 * DAY_MS;
  const clock = { now: () => new Date(time) };
  const { store, signer, services, carol, alice, bob } = await seedServices(
    dataDir,
    configPath,
    clock,
  );
  const { request } = await services.requests.createRequest(carol, {
    stack: benchStack,
    type: benchType,
    summary: 'public access on bucket-0',
    reason: 'benchmark',
    material: benchMaterial(0),
    ...benchItem(0),
  });
  for (const manager of [alice, bob]) {
    await services.requests.review(manager, request.id, { decision: 'approve', reason: 'ok' });
  }
  time += 2 * DAY_MS;
  await services.requests.expireDue();
  const stored = (await store.getRequest(request.id))!;
  const audit = await store.readAudit();
  await store.close();
  return { request: stored, audit, signer };
}

/**
 * Seeds `count` requests with their audit trail, as a team's year of deployments leaves them:
 * one request is made, approved and expired through the real service logic
 * (`expiredTemplate`), then cloned `count` times (new id, fingerprint and resource; created
 * evenly over the past year), each with the request's own audit entries, chained anew. The
 * lowdb store's files are written as a stream, as its compactions leave them: every (expired)
 * request archived in `requests.jsonl` with its index, `db.json` holding none, the whole trail
 * in `audit.jsonl`, and an empty journal; then the trail's head is signed, as the service signs
 * it when it stops.
 */
export async function seedScaledStore(
  dataDir: string,
  configPath: string,
  count: number,
  nowMs = Date.now(),
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { request: template, audit, signer } = await expiredTemplate(dataDir, configPath, nowMs);
  const requestText = JSON.stringify(template);
  const own = audit.filter((e) => e.subject === template.id);
  const eventTexts = own.map(({ seq: _s, hash: _h, prevHash: _p, ...event }) =>
    JSON.stringify(event),
  );
  const start = nowMs - 365 * DAY_MS;
  const step = (365 * DAY_MS) / Math.max(count, 1);
  const templateTime = Date.parse(template.createdAt);

  const archiveOut = createWriteStream(join(dataDir, `${ARCHIVE_FILE}.seeding`), { mode: 0o600 });
  const auditOut = createWriteStream(join(dataDir, `${AUDIT_FILE}.seeding`), { mode: 0o600 });
  const archived: ArchivedLine[] = [];
  let archiveEnd = 0;
  const before = audit.filter((e) => e.subject !== template.id);
  const last = before.at(-1);
  let head = last ? { seq: last.seq, hash: last.hash } : undefined;
  for (const entry of before) await write(auditOut, `${formatAuditLine(entry)}\n`);
  let archiveBatch = '';
  let auditBatch = '';
  for (let i = 0; i < count; i++) {
    const shift = Math.round(start + i * step) - templateTime;
    const line = cloneText(requestText, template, i, shift);
    const { id, stack, urn, policy, fingerprint, status, createdAt } = JSON.parse(line);
    const length = Buffer.byteLength(line);
    archived.push({
      request: { id, stack, urn, policy, fingerprint, status, createdAt },
      offset: archiveEnd,
      length,
    } as ArchivedLine);
    archiveEnd += length + 1;
    archiveBatch += `${line}\n`;
    const events = eventTexts.map((text) => JSON.parse(cloneText(text, template, i, shift)));
    const chained = chainEntries(head, events);
    const end = chained.at(-1)!;
    head = { seq: end.seq, hash: end.hash };
    for (const entry of chained) auditBatch += `${formatAuditLine(entry)}\n`;
    if (archiveBatch.length > 1 << 20 || i === count - 1) {
      await write(archiveOut, archiveBatch);
      await write(auditOut, auditBatch);
      archiveBatch = '';
      auditBatch = '';
    }
  }
  await Promise.all([finish(archiveOut), finish(auditOut)]);
  const document = {
    version: STORE_VERSION,
    requests: [],
    audit: head ?? { seq: 0, hash: GENESIS_HASH },
  };
  await writeFile(join(dataDir, DB_FILE), `${JSON.stringify(document)}\n`, { mode: 0o600 });
  await writeFile(join(dataDir, JOURNAL_FILE), '', { mode: 0o600 });
  const index = ArchiveIndex.of(archived, archiveEnd);
  await writeFile(join(dataDir, ARCHIVE_INDEX_FILE), index.encode(), { mode: 0o600 });
  await rename(join(dataDir, `${ARCHIVE_FILE}.seeding`), join(dataDir, ARCHIVE_FILE));
  await rename(join(dataDir, `${AUDIT_FILE}.seeding`), join(dataDir, AUDIT_FILE));
  // The head signed, as the service signs it when it stops.
  if (head) {
    const clock = { now: () => new Date(nowMs) };
    await (await AuditCheckpointer.open({ dataDir, signer, clock }, head)).close();
  }
}
