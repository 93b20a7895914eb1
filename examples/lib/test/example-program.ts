import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { vi } from 'vitest';
import { parse } from 'yaml';
import { ManualClock } from '@clearance/client';
import { ruleSchema } from '@clearance/approval-service';
import { collectResources, type CollectOptions, type Collected } from './collect-resources.js';
import type { TemporarySettings } from '../settings.js';
import { approvalsFetch, type SignedApproval } from './approval-fixture.js';

/** Settings pointing at a service that the stubbed fetch answers for. */
export const stubbedService: TemporarySettings = {
  url: 'http://127.0.0.1:9',
  approvalTokens: [],
  requested: [],
  timeoutMs: 1000,
};

/** How the temporary helper sees the service in a program test. */
export interface ServiceStub {
  settings?: TemporarySettings | undefined;
  /** The active approvals the service lists (none by default). */
  approvals?: SignedApproval[] | undefined;
  jwks: JSONWebKeySet;
  /** The helper's clock. */
  now: Date;
}

/**
 * Runs an example program afresh under Pulumi's mocks. With `service`, its temporary helper
 * asks a stubbed service (`GET /v1/approvals`) at the given time.
 */
export async function runProgram<M>(
  load: () => Promise<M>,
  options: CollectOptions & { service?: ServiceStub },
): Promise<Collected<M>> {
  vi.resetModules();
  const { service, ...collect } = options;
  if (service) {
    const temporary = await import('@clearance/temporary');
    temporary.configureTemporary({
      settings: service.settings ?? stubbedService,
      clock: new ManualClock(service.now),
      fetch: approvalsFetch(() => service.approvals ?? [], service.jwks),
    });
  }
  return collectResources(load, collect);
}

/** The first rule of an example's `clearance.yaml`, read as the service reads it. */
export function exampleRule(example: URL) {
  const file = new URL('clearance.yaml', example);
  const doc = parse(readFileSync(file, 'utf8')) as { rules: unknown[] };
  return ruleSchema.parse(doc.rules[0]);
}
