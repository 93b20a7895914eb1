import { z } from 'zod';
import { ClearanceError } from './errors.js';

/**
 * What an approval token says about the state of the world: the freeze periods
 * within its lifetime, the status conditions the pack must see hold at deploy time, and the
 * approvals that came from a condition rather than a person. All optional: tokens without
 * them keep their meaning.
 */

/** One occurrence of a change freeze, in seconds since the epoch (start inclusive, end exclusive). */
export const freezePeriodSchema = z.object({
  name: z.string().min(1),
  start: z.number().int(),
  end: z.number().int(),
});
export type FreezePeriod = z.infer<typeof freezePeriodSchema>;

/** A status condition that must hold when the token is used; `failOpen` lets an unanswered check pass. */
export const deployConditionSchema = z.object({
  condition: z.string().min(1),
  failOpen: z.boolean().optional(),
});
export type DeployCondition = z.infer<typeof deployConditionSchema>;

/** Approvals that a condition (the requester on call...) counted toward the quorum. */
export const autoApprovalSchema = z.object({
  condition: z.string().min(1),
  approvals: z.number().int().min(1),
});
export type AutoApproval = z.infer<typeof autoApprovalSchema>;

export const contextClaims = {
  freezes: z.array(freezePeriodSchema).optional(),
  conditions: z.array(deployConditionSchema).optional(),
  autoApprovals: z.array(autoApprovalSchema).optional(),
  /** The rule allows break-glass during freezes: no freeze, carried or announced, holds it back. */
  breakGlass: z.literal(true).optional(),
};

/**
 * The service's verdict on one status condition, as the approvals answer carries it: `holds`
 * is absent when the check got no usable answer (timeout, unreachable, malformed).
 */
export const conditionVerdictSchema = z.object({
  condition: z.string(),
  holds: z.boolean().exactOptional(),
  message: z.string(),
  checkedAt: z.string(),
});
export type ConditionVerdict = z.infer<typeof conditionVerdictSchema>;

/** The freeze period that `at` falls in, if any. */
export function activeFreeze(
  periods: readonly FreezePeriod[] | undefined,
  at: Date,
): FreezePeriod | undefined {
  const t = at.getTime();
  return periods?.find((p) => p.start * 1000 <= t && t < p.end * 1000);
}

interface ContextClaims {
  freezes?: FreezePeriod[] | undefined;
  breakGlass?: true | undefined;
  conditions?: DeployCondition[] | undefined;
}

/**
 * Throws why a token's context does not hold at `now`: a freeze period is on (ERR_FROZEN), or a
 * condition it requires at deploy time is false or unanswered without fail-open
 * (ERR_CONDITION_FAILED, naming the condition). Without `verdicts` (offline) a token that
 * requires conditions is refused: nothing can tell whether they hold. `announced` are the
 * freezes the service says are on now (online): they bind a token issued before the freeze
 * was configured, unless the token's rule allows break-glass.
 */
export function assertContextHolds(
  claims: ContextClaims,
  now: Date,
  verdicts: ReadonlyMap<string, ConditionVerdict> | undefined,
  announced: readonly FreezePeriod[] = [],
): void {
  const frozen =
    activeFreeze(claims.freezes, now) ??
    (claims.breakGlass ? undefined : activeFreeze(announced, now));
  if (frozen) {
    throw new ClearanceError(
      'ERR_FROZEN',
      `the approval is not valid during the change freeze "${frozen.name}" (until ${new Date(frozen.end * 1000).toISOString()})`,
      { freeze: frozen.name },
    );
  }
  for (const { condition, failOpen } of claims.conditions ?? []) {
    const verdict = verdicts?.get(condition);
    if (verdict?.holds === true) continue;
    if (verdict && verdict.holds === undefined && failOpen) continue;
    const why = verdict
      ? verdict.message
      : verdicts
        ? 'the service sent no verdict on it'
        : 'it cannot be checked offline';
    throw new ClearanceError(
      'ERR_CONDITION_FAILED',
      `the approval requires the condition "${condition}" at deploy time: ${why}`,
      { condition },
    );
  }
}
