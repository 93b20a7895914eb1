import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAuditLine } from '@clearance/approval-service/testing';
import { GENESIS_HASH } from '@clearance/approval-service/testing';
import { type CheckItem, type Clock, systemClock } from '@clearance/client';
import { loadConfig } from '@clearance/approval-service';
import { createServices } from '@clearance/approval-service';
import type { Actor } from '@clearance/approval-service';
import { createMemoryStore } from '@clearance/approval-service';
import {
  AUDIT_FILE,
  DB_FILE,
  JOURNAL_FILE,
  STORE_VERSION,
  type StoreDocument,
} from '@clearance/approval-service/testing';
import { openSigner } from '@clearance/approval-service';
import {
  benchItem,
  benchMaterial,
  benchStack,
  benchTokens,
  benchType,
} from './service-bench-fixture.js';

/**
 * The service logic over a memory store, signing with the data directory's key (created, and
 * its creation audited, when there is none yet), and the bench users as actors.
 */
export async function seedServices(
  dataDir: string,
  configPath: string,
  clock: Clock = systemClock,
) {
  const config = loadConfig(configPath);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { signer, createdKid } = await openSigner({
    dataDir,
    clock,
    maxTokenLifetimeSeconds: 86_400,
  });
  const store = createMemoryStore();
  if (createdKid) {
    const time = clock.now().toISOString();
    await store.appendAudit([
      { time, actor: 'system', action: 'key.created', subject: createdKid },
    ]);
  }
  const services = createServices({ store, signer, config, clock });
  const actor = (token: string): Actor => {
    const found = services.auth.authenticateToken(token);
    if (!found) throw new Error('the bench config does not accept its own token');
    return found;
  };
  return {
    store,
    signer,
    services,
    carol: actor(benchTokens.carol),
    alice: actor(benchTokens.alice),
    bob: actor(benchTokens.bob),
  };
}

/**
 * Seeds `count` approved requests (each requested by carol, approved by alice and bob) through
 * the real service logic on a memory store, then writes them as the lowdb store's files (a
 * `db.json` snapshot holding them all, an empty journal, the audit trail): quicker than
 * thousands of durable changes.
 */
export async function seedApprovedRequests(
  dataDir: string,
  configPath: string,
  count: number,
): Promise<CheckItem[]> {
  const { store, services, carol, alice, bob } = await seedServices(dataDir, configPath);
  const items: CheckItem[] = [];
  for (let i = 0; i < count; i++) {
    const item = benchItem(i);
    const { request } = await services.requests.createRequest(carol, {
      stack: benchStack,
      type: benchType,
      summary: `public access on bucket-${i}`,
      reason: 'benchmark',
      material: benchMaterial(i),
      ...item,
    });
    await services.requests.review(alice, request.id, { decision: 'approve', reason: 'ok' });
    await services.requests.review(bob, request.id, { decision: 'approve', reason: 'ok' });
    items.push(item);
  }
  const requests = (await store.listRequests()).reverse();
  const audit = await store.readAudit();
  const last = audit.at(-1);
  const document: StoreDocument = {
    version: STORE_VERSION,
    requests,
    audit: last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH },
  };
  await writeFile(join(dataDir, DB_FILE), `${JSON.stringify(document)}\n`, { mode: 0o600 });
  await writeFile(join(dataDir, JOURNAL_FILE), '', { mode: 0o600 });
  await writeFile(join(dataDir, AUDIT_FILE), audit.map((e) => `${formatAuditLine(e)}\n`).join(''), {
    mode: 0o600,
  });
  await store.close();
  return items;
}
