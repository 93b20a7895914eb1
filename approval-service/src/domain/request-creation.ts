import type { z } from 'zod';
import {
  ClearanceError,
  requestFingerprint,
  type createRequestBodySchema,
  type Requirements,
} from '@clearance/client';
import { inAnyGroup } from './decision-checks.js';
import { assertDurationAllowed } from './durations.js';
import type { Actor, AuditEvent, StoredRequest } from './model.js';

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

/** Whether the actor may request approval under these requirements (an empty list allows anyone). */
function mayRequest(actor: Actor, requirements: Requirements): boolean {
  const groups = requirements.requesterGroups;
  return groups.length === 0 || inAnyGroup(actor, groups);
}

/** Refuses a requester the rule does not allow to ask (an empty requester list allows anyone). */
export function assertMayRequest(requester: Actor, requirements: Requirements): void {
  const groups = requirements.requesterGroups;
  if (!mayRequest(requester, requirements)) {
    throw new ClearanceError(
      'ERR_REQUESTER_NOT_ALLOWED',
      `only members of ${groups.join(' or ')} may request approval under rule "${requirements.rule}"`,
    );
  }
}

/**
 * Refuses a run report from an actor who may not request approval for one of the things it
 * names: a run is reported by the pipeline that deploys, never by a reader (an auditor) or an
 * approver alone, since the report writes to requests and to the audit trail. Each entry lists
 * the requirements any one of which would have let the actor ask (a stored request's own, or
 * the rules that could govern a new request). Pure.
 */
export function assertMayReportRun(
  actor: Actor,
  named: readonly (readonly Requirements[])[],
): void {
  const refused = named.find((options) => !options.some((r) => mayRequest(actor, r)));
  if (!refused?.[0]) return;
  const first = refused[0];
  throw new ClearanceError(
    'ERR_REQUESTER_NOT_ALLOWED',
    `only members of ${first.requesterGroups.join(' or ')} may report runs under rule "${first.rule}"`,
  );
}

/**
 * Refuses a request whose fingerprint is not the one of its own stack, URN, type, policy and
 * material (the shared canonical function, as the pack computes it): so the approvers are shown
 * exactly the change a token will cover. Pure.
 */
export function assertFingerprintMatches(input: CreateRequestInput): void {
  let computed: string;
  try {
    computed = requestFingerprint(input);
  } catch {
    throw new ClearanceError(
      'ERR_VALIDATION',
      'material: has no canonical JSON form (numbers must be finite)',
    );
  }
  if (computed === input.fingerprint) return;
  throw new ClearanceError(
    'ERR_FINGERPRINT_MISMATCH',
    `fingerprint: ${input.fingerprint} is not the fingerprint of this stack, URN, type, policy and material (${computed}); send the material the fingerprint was computed from, secrets as their hash`,
    { expected: computed },
  );
}

/** A new pending request and its audit event. Pure. */
export function newRequest(args: NewRequestArgs): { request: StoredRequest; events: AuditEvent[] } {
  const { id, requester, input, requirements, now } = args;
  assertMayRequest(requester, requirements);
  assertDurationAllowed(input.durationSeconds, requirements);
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
  request.material = input.material;
  if (input.propertyNames !== undefined) request.propertyNames = input.propertyNames;
  if (input.previewStates !== undefined) request.previewStates = input.previewStates;
  if (input.durationSeconds !== undefined) request.requestedDurationSeconds = input.durationSeconds;
  if (input.run) request.blockedRuns = [input.run.id];
  const data: Record<string, unknown> = {
    stack: input.stack,
    urn: input.urn,
    policy: input.policy,
    fingerprint: input.fingerprint,
    rule: requirements.rule,
  };
  if (input.run) data.run = { id: input.run.id, dryRun: input.run.dryRun };
  if (input.contextUrl !== undefined) request.contextUrl = input.contextUrl;
  if (requester.pipeline) {
    request.pipeline = { ...requester.pipeline };
    data.pipeline = request.pipeline;
  }
  return {
    request,
    events: [{ time: at, actor: requester.id, action: 'request.created', subject: id, data }],
  };
}
