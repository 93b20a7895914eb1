import {
  bindingKey,
  type ApprovalsResponse,
  type CheckResult,
  type ChecksBody,
  type RunReportBody,
} from '@clearance/client';
import type { Actor } from '../domain/model.js';
import { effectiveStatus } from '../domain/request-status.js';
import type { ApprovalSigner } from '../tokens/approval-signer.js';
import { checkResultOf } from './request-view.js';
import { recordRun } from './run-report.js';
import { assertStorable, type ServiceContext } from './service-context.js';

/** What a deployment run asks of the service: checks, the approvals of a stack, its report. */
export class RunChecks {
  readonly #ctx: ServiceContext;
  readonly #signer: ApprovalSigner;

  constructor(ctx: ServiceContext, signer: ApprovalSigner) {
    this.#ctx = ctx;
    this.#signer = signer;
  }

  /** The answer to each item, from the newest request for its resource state. */
  async checks(_actor: Actor, input: ChecksBody): Promise<CheckResult[]> {
    const { store, clock, config, publicUrl } = this.#ctx;
    const now = clock.now();
    const { stack, items } = input;
    const found = await store.findLatestFrozen(
      items.map(({ urn, policy, fingerprint }) => ({ stack, urn, policy, fingerprint })),
    );
    const cooldown = config.denialCooldownSeconds;
    return items.map((item, i) => checkResultOf(item, found[i], publicUrl, now, cooldown));
  }

  /**
   * The stack's active approvals with the keys that verify them, and the newest request of every
   * other resource state, and the verdicts now on the conditions those approvals require at
   * deploy time. A read: nothing is recorded but fresh verdicts, so a run still writes once.
   */
  async approvals(actor: Actor, stack: string): Promise<ApprovalsResponse> {
    const { store, clock, config, publicUrl, context, writes } = this.#ctx;
    const now = clock.now();
    const all = await store.listFrozen({ stack });
    const approvals: ApprovalsResponse['approvals'] = [];
    const approved: typeof all = [];
    // The latest request of each resource state, as `POST /v1/checks` would find it.
    const latest = new Map<string, (typeof all)[number]>();
    for (const r of all) {
      if (effectiveStatus(r, now) === 'approved' && r.token && r.expiresAt) {
        const { id, urn, policy, fingerprint, token, expiresAt } = r;
        approvals.push({ id, urn, policy, fingerprint, token, expiresAt });
        approved.push(r);
      }
      const seen = latest.get(bindingKey(r));
      if (!seen || seen.createdAt < r.createdAt) latest.set(bindingKey(r), r);
    }
    const approvedKeys = new Set(approvals.map(bindingKey));
    const requests: CheckResult[] = [];
    const cooldown = config.denialCooldownSeconds;
    for (const [key, r] of latest) {
      if (approvedKeys.has(key)) continue;
      const result = checkResultOf(r, r, publicUrl, now, cooldown);
      if (result.status !== 'none' && result.status !== 'approved') requests.push(result);
    }
    // Deploy-time conditions travel in this answer; a fresh verdict is the one write it makes.
    const { verdicts, events } = await context.deployVerdicts(approved, actor);
    if (events.length > 0) await writes.run((section) => section.appendAudit(events));
    const conditions = verdicts.length > 0 ? { conditions: verdicts } : {};
    const frozen = context.frozenAt(stack, now);
    const freezes = frozen ? { freezes: [frozen] } : {};
    return { approvals, keys: this.#signer.jwks(), requests, ...conditions, ...freezes };
  }

  /** Records which approvals a run used and which resources it blocked (see `recordRun`). */
  async reportRun(actor: Actor, input: RunReportBody): Promise<void> {
    assertStorable(input);
    const { config, clock, writes } = this.#ctx;
    await writes.run((store) => recordRun(store, config, actor, input, clock.now()));
  }
}
