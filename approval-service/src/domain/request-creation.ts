import type { z } from 'zod';
import {
  ClearanceError,
  type createRequestBodySchema,
  type Requirements,
} from '../client/index.js';
import type { Actor } from '../service/approval-service.types.js';
import { inAnyGroup } from './decision-checks.js';
import type { AuditEvent, StoredRequest } from './model.js';

export type CreateRequestInput = z.output<typeof createRequestBodySchema>;

export interface NewRequestArgs {
  id: string;
  requester: Actor;
  input: CreateRequestInput;
  /** From the service's rules, never from the request body. */
  requirements: Requirements;
  now: Date;
  pendingTtlSeconds: number;
}

/** Refuses a requester the rule does not allow to ask (an empty requester list allows anyone). */
export function assertMayRequest(requester: Actor, requirements: Requirements): void {
  const groups = requirements.requesterGroups;
  if (groups.length > 0 && !inAnyGroup(requester, groups)) {
    throw new ClearanceError(
      'ERR_REQUESTER_NOT_ALLOWED',
      `only members of ${groups.join(' or ')} may request approval under rule "${requirements.rule}"`,
    );
  }
}

/** A new pending request and its audit event. Pure. */
export function newRequest(args: NewRequestArgs): { request: StoredRequest; events: AuditEvent[] } {
  const { id, requester, input, requirements, now } = args;
  assertMayRequest(requester, requirements);
  const at = now.toISOString();
  const request: StoredRequest = {
    id,
    stack: input.stack,
    urn: input.urn,
    type: input.type,
    policy: input.policy,
    fingerprint: input.fingerprint,
    summary: input.summary,
    reason: input.reason.trim(),
    requester: requester.id,
    status: 'pending',
    requirements,
    reviews: [],
    createdAt: at,
    pendingExpiresAt: new Date(now.getTime() + args.pendingTtlSeconds * 1000).toISOString(),
    runs: [],
  };
  if (input.material !== undefined) request.material = input.material;
  if (input.durationSeconds !== undefined) request.requestedDurationSeconds = input.durationSeconds;
  const data: Record<string, unknown> = {
    stack: input.stack,
    urn: input.urn,
    policy: input.policy,
    fingerprint: input.fingerprint,
    rule: requirements.rule,
  };
  if (input.run) data.run = { id: input.run.id, dryRun: input.run.dryRun };
  return {
    request,
    events: [{ time: at, actor: requester.id, action: 'request.created', subject: id, data }],
  };
}
