import {
  isClearanceError,
  type ClearanceError,
  type Clock,
  type ConditionVerdict,
  type FreezePeriod,
  type Requirements,
  type AutoApproval,
  type DeployCondition,
} from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import type { StatusConditionConfig } from '../config/context-schema.js';
import { judgeAnswer } from '../domain/condition-verdict.js';
import { assertContextAllowsApproval, conditionsAt } from '../domain/context-decision.js';
import { freezeAt, freezePeriodsFor } from '../domain/freezes.js';
import type { Actor, AuditEvent, StoredRequest } from '../domain/model.js';
import { autoApprovalsOf } from '../domain/request-status.js';
import { onlyWhenOf, requirementsWhen } from '../domain/rules.js';
import type { StatusProbe } from './status-probe.js';

/** One verdict and whether the endpoint was asked for it (false: it came from the cache). */
export interface Evaluation {
  verdict: ConditionVerdict;
  fresh: boolean;
}

/** Where a verdict decided something: opening, deciding or deploying, or an operator's check. */
export type Moment = 'request' | 'decision' | 'deploy' | 'check';

export interface ContextDeps {
  config: ServiceConfig;
  clock: Clock;
  probe: StatusProbe;
  /** Where header values are read from (`header.valueFromEnv`). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The claims a token gets from its context: freezes, deploy-time conditions, auto-approvals. */
export interface TokenContext {
  freezes?: FreezePeriod[];
  breakGlass?: true;
  conditions?: DeployCondition[];
  autoApprovals?: AutoApproval[];
}

/** An audit event for a verdict that decided something. */
export function verdictEvent(
  evaluation: Evaluation,
  moment: Moment,
  actor: string,
  subject: string,
  failedOpen = false,
): AuditEvent {
  const { verdict } = evaluation;
  return {
    time: verdict.checkedAt,
    actor,
    action: 'condition.evaluated',
    subject,
    data: {
      condition: verdict.condition,
      holds: verdict.holds ?? null,
      message: verdict.message,
      checkedAt: verdict.checkedAt,
      at: moment,
      cached: !evaluation.fresh,
      ...(failedOpen ? { failedOpen: true } : {}),
    },
  };
}

/**
 * The context checks of the service: change freezes from the config and status conditions
 * evaluated through the probe, each verdict reused for its condition's `cacheSeconds` (one
 * request at a time per endpoint). The rules about them are domain code; this is the I/O.
 */
export class ContextChecks {
  readonly #deps: ContextDeps;
  readonly #byName: Map<string, StatusConditionConfig>;
  readonly #cache = new Map<string, { verdict: ConditionVerdict; until: number }>();
  readonly #inflight = new Map<string, Promise<ConditionVerdict>>();

  constructor(deps: ContextDeps) {
    this.#deps = deps;
    this.#byName = new Map(deps.config.conditions.map((c) => [c.name, c]));
  }

  /** The configured conditions, in config order. */
  get conditions(): readonly StatusConditionConfig[] {
    return this.#deps.config.conditions;
  }

  /**
   * The condition's verdict: from the cache while fresh enough, else from its endpoint.
   * `requester` fills `{requester}` in its URL; `fresh` skips the cache.
   */
  async evaluate(
    name: string,
    options: { requester?: string | undefined; fresh?: boolean } = {},
  ): Promise<Evaluation> {
    const { clock } = this.#deps;
    const condition = this.#byName.get(name);
    if (!condition) {
      const verdict = {
        condition: name,
        message: `no condition "${name}" is configured`,
        checkedAt: clock.now().toISOString(),
      };
      return { verdict, fresh: true };
    }
    const url = condition.url.replaceAll(
      '{requester}',
      encodeURIComponent(options.requester ?? ''),
    );
    const key = `${name}\n${url}`;
    const cached = this.#cache.get(key);
    if (!options.fresh && cached && clock.now().getTime() < cached.until) {
      return { verdict: cached.verdict, fresh: false };
    }
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#ask(condition, url).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    const verdict = await pending;
    const until = Date.parse(verdict.checkedAt) + condition.cacheSeconds * 1000;
    this.#cache.set(key, { verdict, until });
    return { verdict, fresh: true };
  }

  async #ask(condition: StatusConditionConfig, url: string): Promise<ConditionVerdict> {
    const { clock, probe, env } = this.#deps;
    const headers: Record<string, string> = {};
    if (condition.header) {
      const value = env[condition.header.valueFromEnv];
      if (value === undefined || value === '') {
        return judgeAnswer(
          condition,
          { kind: 'unreachable', why: `${condition.header.valueFromEnv} is not set` },
          clock.now(),
        );
      }
      headers[condition.header.name] = value;
    }
    const answer = await probe.ask({ url, headers, timeoutMs: condition.timeoutMs });
    return judgeAnswer(condition, answer, clock.now());
  }

  /** Several conditions at once, by name. */
  async evaluateAll(
    names: Iterable<string>,
    options: { requester?: string; fresh?: boolean } = {},
  ): Promise<Map<string, Evaluation>> {
    const unique = [...new Set(names)];
    const results = await Promise.all(unique.map((n) => this.evaluate(n, options)));
    return new Map(unique.map((n, i) => [n, results[i] as Evaluation]));
  }

  /** The freeze period over the stack that `at` falls in, if any. */
  frozenAt(stack: string, at: Date): FreezePeriod | undefined {
    return freezeAt(this.#deps.config.freezes, stack, at);
  }

  /**
   * The requirements of a new request: the first matching rule whose `onlyWhen` condition
   * holds now. The verdicts that chose it are audited against the request.
   */
  async requirementsFor(
    stack: string,
    policy: string,
  ): Promise<{ requirements: Requirements; evaluations: Evaluation[] }> {
    const { config } = this.#deps;
    const names = onlyWhenOf(config, stack, policy);
    const evaluated = await this.evaluateAll(names);
    const requirements = requirementsWhen(
      config,
      stack,
      policy,
      (n) => evaluated.get(n)?.verdict.holds === true,
    );
    return { requirements, evaluations: [...evaluated.values()] };
  }

  /**
   * Whether the context allows approving `request` now (see `assertContextAllowsApproval`):
   * the audit events of the verdicts that decided it, and the refusal if it refuses.
   */
  async approvalContext(
    request: StoredRequest,
    actor: string,
  ): Promise<{ events: AuditEvent[]; refusal?: ClearanceError }> {
    const { requirements } = request;
    const wanted = conditionsAt(requirements, 'decision');
    const evaluated = [...(await this.evaluateAll(wanted.map((c) => c.condition))).values()];
    const verdicts = new Map(evaluated.map((e) => [e.verdict.condition, e.verdict]));
    const frozen = this.frozenAt(request.stack, this.#deps.clock.now());
    try {
      const failedOpen = new Set(assertContextAllowsApproval(requirements, frozen, verdicts));
      const events = evaluated.map((e) =>
        verdictEvent(e, 'decision', actor, request.id, failedOpen.has(e.verdict.condition)),
      );
      return { events };
    } catch (err) {
      if (!isClearanceError(err)) throw err;
      const events = evaluated.map((e) => verdictEvent(e, 'decision', actor, request.id));
      return { events, refusal: err };
    }
  }

  /** The on-call (or other) condition of the request's rule, about its requester, if it has one. */
  async autoApproval(request: StoredRequest): Promise<Evaluation | undefined> {
    const auto = request.requirements.autoApprove;
    if (!auto) return undefined;
    return this.evaluate(auto.condition, { requester: request.requester });
  }

  /** What the token of an approved request says about its context (see `ApprovalClaims`). */
  tokenContext(request: StoredRequest, iat: number, exp: number): TokenContext {
    const { requirements } = request;
    const context: TokenContext = {};
    if (requirements.breakGlassDuringFreezes) {
      context.breakGlass = true;
    } else {
      const periods = freezePeriodsFor(
        this.#deps.config.freezes,
        request.stack,
        new Date(iat * 1000),
        new Date(exp * 1000),
      );
      if (periods.length > 0) context.freezes = periods;
    }
    const deploy = conditionsAt(requirements, 'deploy');
    if (deploy.length > 0) {
      context.conditions = deploy.map((c) => ({
        condition: c.condition,
        ...(c.failOpen ? { failOpen: true } : {}),
      }));
    }
    const auto = autoApprovalsOf(request);
    if (auto.length > 0) context.autoApprovals = auto;
    return context;
  }

  /**
   * The verdicts now on every condition that an approval of `approved` requires at deploy
   * time, and the audit events of those the endpoints were asked for (a cached verdict was
   * audited when it was fresh); an unanswered one that an approval lets fail open says so.
   */
  async deployVerdicts(
    approved: readonly StoredRequest[],
    actor: Actor,
  ): Promise<{ verdicts: ConditionVerdict[]; events: AuditEvent[] }> {
    const failOpen = new Set<string>();
    const names = new Set<string>();
    for (const r of approved) {
      for (const c of conditionsAt(r.requirements, 'deploy')) {
        names.add(c.condition);
        if (c.failOpen) failOpen.add(c.condition);
      }
    }
    if (names.size === 0) return { verdicts: [], events: [] };
    const evaluated = await this.evaluateAll(names);
    const events: AuditEvent[] = [];
    for (const e of evaluated.values()) {
      if (!e.fresh) continue;
      const open = e.verdict.holds === undefined && failOpen.has(e.verdict.condition);
      events.push(verdictEvent(e, 'deploy', actor.id, `condition:${e.verdict.condition}`, open));
    }
    return { verdicts: [...evaluated.values()].map((e) => e.verdict), events };
  }
}
