import type { Actor, AuditEvent, StoredRequest } from '../domain/model.js';
import { applyAutoApproval } from '../domain/context-decision.js';
import { assertMayDecide, assertStillPending } from '../domain/decision-checks.js';
import { effectiveStatus, lapseTime } from '../domain/request-status.js';
import type { ApprovalSigner } from '../tokens/approval-signer.js';
import { verdictEvent } from './context-checks.js';
import { issueToken } from './issue-token.js';
import type { ServiceContext } from './service-context.js';

/**
 * The audit events of the verdicts that allow an approval of `request` now (freezes and the
 * rule's decision-time conditions). When they refuse it, puts them on record and throws the
 * refusal (ERR_FROZEN, ERR_CONDITION_FAILED).
 */
export async function approvalContextEvents(
  ctx: ServiceContext,
  request: StoredRequest,
  actor: Actor,
): Promise<AuditEvent[]> {
  // Who may not decide, or what is no longer pending, is refused first, asking no endpoint.
  const now = ctx.clock.now();
  assertStillPending(request, effectiveStatus(request, now), lapseTime(request));
  assertMayDecide(request, actor, now);
  const { events, refusal } = await ctx.context.approvalContext(request, actor.id);
  if (!refusal) return events;
  if (events.length > 0) await ctx.writes.run((store) => store.appendAudit(events));
  throw refusal;
}

/**
 * Counts the approval of the rule's `autoApprove` condition (the requester on call...) on a
 * request just opened, when the endpoint says yes and freezes and decision-time conditions
 * allow an approval; signs its token when that meets the quorum. The verdict is on record
 * either way. Undefined when the rule has no such condition.
 */
export async function autoApprove(
  ctx: ServiceContext,
  signer: ApprovalSigner,
  opened: StoredRequest,
): Promise<{ stored: StoredRequest; now: Date } | undefined> {
  const evaluation = await ctx.context.autoApproval(opened);
  if (!evaluation) return undefined;
  const auto = verdictEvent(evaluation, 'request', opened.requester, opened.id);
  const allowed =
    evaluation.verdict.holds === true
      ? await ctx.context.approvalContext(opened, opened.requester)
      : { events: [], refusal: undefined };
  const { clock, writes } = ctx;
  return writes.run(async (store) => {
    const now = clock.now();
    const current = (await store.getRequest(opened.id)) ?? opened;
    const context = [auto, ...allowed.events];
    if (allowed.refusal || current.status !== 'pending') {
      await store.appendAudit(context);
      return { stored: current, now };
    }
    const outcome = applyAutoApproval(current, evaluation.verdict, now);
    const events = [...context, ...outcome.events];
    const actor: Actor = { id: auto.actor, displayName: auto.actor, groups: [] };
    if (outcome.approved)
      await issueToken(signer, outcome.request, events, actor, now, ctx.context);
    await store.saveRequest(outcome.request, events);
    return { stored: outcome.request, now };
  });
}
