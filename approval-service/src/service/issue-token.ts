import { parseStackName } from '@clearance/client';
import type { Actor, AuditEvent, StoredRequest } from '../domain/model.js';
import { approversOf } from '../domain/request-status.js';
import type { ApprovalSigner } from '../tokens/approval-signer.js';
import type { ContextChecks } from './context-checks.js';

/**
 * Signs the token of a request that has just been approved, binding it to the request's
 * stack, resource, policy, fingerprint, approvers, lifetime and window, and (with `context`)
 * the freeze periods, deploy-time conditions and auto-approvals that apply to it; a break-glass
 * approval says so (`breakGlass: true`). Puts the token on the
 * request and its id (never the token) in a `token.issued` audit event.
 */
export async function issueToken(
  signer: ApprovalSigner,
  request: StoredRequest,
  events: AuditEvent[],
  actor: Actor,
  now: Date,
  context?: ContextChecks,
): Promise<void> {
  const { org, project } = parseStackName(request.stack);
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.floor(Date.parse(request.expiresAt ?? '') / 1000);
  if (!Number.isFinite(exp) || exp <= iat)
    throw new Error(`request ${request.id} has no future expiry`);
  const signed = await signer.sign({
    org,
    project,
    stack: request.stack,
    urn: request.urn,
    policy: request.policy,
    fingerprint: request.fingerprint,
    rid: request.id,
    approvers: approversOf(request),
    iat,
    nbf: iat,
    exp,
    ...(request.requirements.window ? { window: request.requirements.window } : {}),
    ...context?.tokenContext(request, iat, exp),
    ...(request.breakGlass ? { breakGlass: true as const } : {}),
  });
  request.token = signed.token;
  request.tokenId = signed.tokenId;
  events.push({
    time: now.toISOString(),
    actor: actor.id,
    action: 'token.issued',
    subject: request.id,
    data: { tokenId: signed.tokenId, kid: signed.kid, expiresAt: request.expiresAt },
  });
}
