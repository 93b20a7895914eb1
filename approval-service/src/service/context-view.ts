import type { ConditionVerdict, Requirements } from '@clearance/client';
import type { ServiceContext } from './service-context.js';

/** A condition of a request's rule with its current verdict, for people. */
export interface ConditionView {
  condition: string;
  /** When the rule needs it: at decision, deploy or both; `auto` for an auto-approval. */
  at: 'decision' | 'deploy' | 'both' | 'auto';
  failOpen: boolean;
  verdict: ConditionVerdict;
}

/** The state of the world a request depends on, now: its conditions and the freeze on its stack. */
export interface RequestContextView {
  conditions: ConditionView[];
  /** The freeze on the request's stack now, and when it ends. */
  freeze?: { name: string; endsAt: string };
  breakGlassDuringFreezes: boolean;
}

interface ContextSubject {
  stack: string;
  requester: string;
  requirements: Requirements;
}

/**
 * Each condition of the request's rule with its verdict (cached within its cache time, so a
 * page view seldom asks an endpoint), and the freeze on its stack. Nothing here is audited: it
 * decides nothing.
 */
export async function requestContext(
  ctx: ServiceContext,
  request: ContextSubject,
): Promise<RequestContextView> {
  const { requirements } = request;
  const wanted: Omit<ConditionView, 'verdict'>[] = (requirements.conditions ?? []).map((c) => ({
    ...c,
  }));
  const auto = requirements.autoApprove;
  if (auto) wanted.push({ condition: auto.condition, at: 'auto', failOpen: false });
  const conditions = await Promise.all(
    wanted.map(async (c) => {
      const requester = c.at === 'auto' ? request.requester : undefined;
      const { verdict } = await ctx.context.evaluate(c.condition, { requester });
      return { ...c, verdict };
    }),
  );
  const view: RequestContextView = {
    conditions,
    breakGlassDuringFreezes: requirements.breakGlassDuringFreezes === true,
  };
  const frozen = ctx.context.frozenAt(request.stack, ctx.clock.now());
  if (frozen)
    view.freeze = { name: frozen.name, endsAt: new Date(frozen.end * 1000).toISOString() };
  return view;
}
