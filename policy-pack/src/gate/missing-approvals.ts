import {
  bindingKey,
  redactMaterial,
  type CheckResult,
  type ClearanceError,
  type CreateRequestBody,
  type RequestView,
} from '@clearance/client';
import type { GateItem } from './gate-item.js';
import { mapLimited } from './map-limited.js';
import type { RequestRef } from './messages.js';
import type { RunContext } from './run-context.js';
import { asClearanceError, isUnavailable, type ServicePort } from './service-port.js';

/** What the service says about a resource state the run holds no valid approval for. */
export type MissingOutcome =
  /** Approved since the run fetched its approvals: the caller still verifies the token. */
  | { kind: 'approved'; requestId: string; token: string }
  | { kind: 'pending'; request: RequestRef; created: boolean }
  | { kind: 'denied'; id: string; url: string; deniedBy: string; reason: string }
  | { kind: 'expired'; url: string; expiredAt: string; next: RequestRef }
  | { kind: 'revoked'; url: string; revokedBy: string; revokedAt: string; next: RequestRef }
  | { kind: 'failed'; error: ClearanceError };

export interface MissingApprovalsOptions {
  service: ServicePort;
  run: RunContext;
  /** How long the first miss waits for others to share one `POST /v1/checks`. Default 10 ms. */
  batchWindowMs?: number | undefined;
  /** Requests opened at once. Default 4. */
  createConcurrency?: number;
  /** Why the run asks (`CLEARANCE_REASON`, `CLEARANCE_CONTEXT_URL`): shown to approvers. */
  why?: { reason?: string | undefined; contextUrl?: string | undefined } | undefined;
}

interface Queued {
  item: GateItem;
  resolve: (outcome: MissingOutcome) => void;
}

const MAX_SUMMARY = 4000;

function refOf(view: RequestView): RequestRef {
  return { id: view.id, url: view.url, progress: view.progress.text };
}

/**
 * Learns, per run, why resource states lack an approval and opens (or reuses) their requests.
 * Misses that arrive close together share one `POST /v1/checks`; a state is looked up once per
 * run however often and however concurrently it is analyzed. Once the service is found
 * unavailable, later misses fail at once instead of waiting for another timeout.
 */
export class MissingApprovals {
  readonly #options: MissingApprovalsOptions;
  readonly #outcomes = new Map<string, Promise<MissingOutcome>>();
  #queue: Queued[] = [];
  #down: ClearanceError | undefined;

  constructor(options: MissingApprovalsOptions) {
    this.#options = options;
  }

  /**
   * Why `item` lacks an approval. With `known` (the stack's other requests, from the run's one
   * `GET /v1/approvals`), no lookup is needed: a state the service has no request for opens one
   * at once, and the run makes at most one call per missing approval.
   */
  resolve(item: GateItem, known?: ReadonlyMap<string, CheckResult>): Promise<MissingOutcome> {
    const seen = this.#outcomes.get(item.key);
    if (seen) return seen;
    if (known) {
      const direct = this.#resolveKnown(item, known.get(item.key));
      this.#outcomes.set(item.key, direct);
      return direct;
    }
    const outcome = new Promise<MissingOutcome>((resolve) => {
      this.#queue.push({ item, resolve });
      if (this.#queue.length === 1) {
        // The first miss of a batch schedules its flush; later ones join it until then.
        setTimeout(
          () => void this.#flush(this.#queue.splice(0)),
          this.#options.batchWindowMs ?? 10,
        );
      }
    });
    this.#outcomes.set(item.key, outcome);
    return outcome;
  }

  async #flush(batch: Queued[]): Promise<void> {
    const { service, run } = this.#options;
    if (this.#down) {
      for (const q of batch) q.resolve({ kind: 'failed', error: this.#down });
      return;
    }
    let results: CheckResult[];
    try {
      const body = {
        stack: run.stackName,
        items: batch.map(({ item }) => ({
          urn: item.binding.urn,
          policy: item.binding.policy,
          fingerprint: item.binding.fingerprint,
        })),
        run: { id: run.runId, dryRun: run.dryRun },
      };
      results = (await service.checks(body)).results;
    } catch (err) {
      const error = this.#noteFailure(err);
      for (const q of batch) q.resolve({ kind: 'failed', error });
      return;
    }
    const byKey = new Map(results.map((r) => [bindingKey(r), r]));
    const outcomes = await mapLimited(batch, this.#options.createConcurrency ?? 4, ({ item }) =>
      this.#settle(item, byKey.get(item.key)),
    );
    await this.#reportBlocked(
      batch.map((q) => q.item),
      outcomes,
    );
    batch.forEach((q, i) => q.resolve(outcomes[i] as MissingOutcome));
  }

  async #resolveKnown(item: GateItem, result: CheckResult | undefined): Promise<MissingOutcome> {
    if (this.#down) return { kind: 'failed', error: this.#down };
    const outcome = await this.#settle(item, result);
    await this.#reportBlocked([item], [outcome]);
    return outcome;
  }

  #noteFailure(err: unknown): ClearanceError {
    const error = asClearanceError(err);
    if (isUnavailable(error)) this.#down ??= error;
    return error;
  }

  async #settle(item: GateItem, result: CheckResult | undefined): Promise<MissingOutcome> {
    try {
      switch (result?.status) {
        case 'approved':
          return { kind: 'approved', requestId: result.id, token: result.token };
        case 'pending':
          return {
            kind: 'pending',
            request: { id: result.id, url: result.url, progress: result.progress },
            created: false,
          };
        case 'denied':
          return {
            kind: 'denied',
            id: result.id,
            url: result.url,
            deniedBy: result.deniedBy,
            reason: result.reason,
          };
        case 'expired':
          return {
            kind: 'expired',
            url: result.url,
            expiredAt: result.expiredAt,
            next: await this.#open(item),
          };
        case 'revoked': {
          const { url, revokedBy, revokedAt } = result;
          return { kind: 'revoked', url, revokedBy, revokedAt, next: await this.#open(item) };
        }
        default: {
          const view = await this.#options.service.createRequest(this.#requestBody(item));
          if (view.status === 'approved' && view.token) {
            return { kind: 'approved', requestId: view.id, token: view.token };
          }
          return { kind: 'pending', request: refOf(view), created: true };
        }
      }
    } catch (err) {
      return { kind: 'failed', error: this.#noteFailure(err) };
    }
  }

  async #open(item: GateItem): Promise<RequestRef> {
    return refOf(await this.#options.service.createRequest(this.#requestBody(item)));
  }

  #requestBody(item: GateItem): CreateRequestBody {
    const { run, why } = this.#options;
    const phase = run.dryRun ? 'preview' : 'update';
    const context = why?.contextUrl;
    return {
      ...item.binding,
      type: item.type,
      summary: item.finding.summary.slice(0, MAX_SUMMARY),
      reason:
        why?.reason?.slice(0, 4000) ||
        `requested by the policy pack during ${phase} of ${run.stackName} (run ${run.runId})`,
      ...(context && /^https?:\/\/\S+$/.test(context) && context.length <= 2000
        ? { contextUrl: context }
        : {}),
      material: redactMaterial(item.finding.material) as Record<string, unknown>,
      run: { id: run.runId, dryRun: run.dryRun },
      ...(item.finding.propertyNames ? { propertyNames: item.finding.propertyNames } : {}),
    };
  }

  /**
   * Puts on record which resources this run blocked, where opening a request did not already
   * (the service records a block on the request it opens for a run). The violations stand even
   * if this fails.
   */
  async #reportBlocked(items: GateItem[], outcomes: MissingOutcome[]): Promise<void> {
    const blocked = items.flatMap((item, i) => {
      const o = outcomes[i] as MissingOutcome;
      if (o.kind === 'approved' || o.kind === 'failed') return [];
      // A request opened for this run (new, or after an expiry or a revocation) is on record.
      if (o.kind === 'expired' || o.kind === 'revoked' || (o.kind === 'pending' && o.created)) {
        return [];
      }
      const requestId = o.kind === 'pending' ? o.request.id : o.id;
      const { urn, policy, fingerprint } = item.binding;
      return [{ urn, policy, fingerprint, requestId }];
    });
    if (blocked.length === 0) return;
    const { run } = this.#options;
    try {
      await this.#options.service.reportRun({
        stack: run.stackName,
        run: { id: run.runId, dryRun: run.dryRun },
        used: [],
        blocked,
      });
    } catch (err) {
      this.#noteFailure(err);
    }
  }
}
