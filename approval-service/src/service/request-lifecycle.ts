import type { Store } from '../store/store.js';
import { randomBytes } from 'node:crypto';
import {
  type CreateRequestBody,
  type RequestView,
  type ReopenBody,
  type ReviewBody,
  type RevokeBody,
} from '@clearance/client';
import { applyReopen, checkDenial } from '../domain/denial.js';
import { assertDurationAllowed } from '../domain/durations.js';
import { eligibility, type Eligibility } from '../domain/eligibility.js';
import { applyExpiry, applyRevoke } from '../domain/lifecycle.js';
import type { Actor, AuditEvent, StoredRequest } from '../domain/model.js';
import {
  assertFingerprintMatches,
  assertMayRequest,
  newRequest,
} from '../domain/request-creation.js';
import { effectiveStatus } from '../domain/request-status.js';
import { applyReview } from '../domain/review-decision.js';
import { withBlockedRun } from '../domain/run-tags.js';
import type { RequestFacets, RequestFilter } from '../store/store.js';
import type { ApprovalSigner } from '../tokens/approval-signer.js';
import { approvalContextEvents, autoApprove } from './context-approval.js';
import { verdictEvent } from './context-checks.js';
import { requestContext, type RequestContextView } from './context-view.js';
import { issueToken } from './issue-token.js';
import type { NotificationType, Notifier } from './notifier.js';
import { previousApproval } from './previous-approval.js';
import {
  listPage,
  storeStatuses,
  wantedStatuses,
  type PageRequest,
  type RequestListFilter,
  type RequestPage,
} from './request-page.js';
import { runBlocked } from './run-report.js';
import { assertStorable, type ServiceContext } from './service-context.js';
import { loadRequest, notifyChange, viewOf } from './stored-request.js';

/** Lapsed requests the sweep saves in one durable change (one fsync). */
export const EXPIRY_BATCH = 500;

/**
 * Approval requests from opening to their end: open, read, list, review, revoke, reopen, and
 * expire those whose time has run out. All rules come from the service config, never from the
 * caller; inputs arrive typed (the routes validate them). Methods throw ClearanceError with
 * stable codes.
 */
export class RequestLifecycle {
  readonly #ctx: ServiceContext;
  readonly #signer: ApprovalSigner;
  readonly #notifier: Notifier | undefined;

  constructor(ctx: ServiceContext, signer: ApprovalSigner, notifier?: Notifier) {
    this.#ctx = ctx;
    this.#signer = signer;
    this.#notifier = notifier;
  }

  #view(stored: StoredRequest, now = this.#ctx.clock.now()): RequestView {
    return viewOf(this.#ctx, stored, now);
  }

  #notify(type: NotificationType, stored: StoredRequest, now: Date): void {
    notifyChange(this.#ctx, this.#notifier, type, stored, now);
  }

  /** Inside a write section, pass the section's store. */
  async #load(id: string, store: Store = this.#ctx.store): Promise<StoredRequest> {
    return loadRequest(store, id);
  }

  /** Applies `change` to the request under the write lock and saves it with its audit events. */
  #change(
    id: string,
    change: (current: StoredRequest, now: Date) => { request: StoredRequest; events: AuditEvent[] },
  ): Promise<{ request: StoredRequest; now: Date }> {
    const { clock, writes } = this.#ctx;
    return writes.run(async (store) => {
      const now = clock.now();
      const { request, events } = change(await this.#load(id, store), now);
      await store.saveRequest(request, events);
      return { request, now };
    });
  }

  /**
   * Idempotent: the same (stack, urn, policy, fingerprint) while pending or approved returns it
   * with created=false. Refuses a fingerprint that is not the one of the request's own stack,
   * URN, type, policy and material (ERR_FINGERPRINT_MISMATCH), and a change whose denial
   * stands (ERR_DENIED).
   */
  async createRequest(
    actor: Actor,
    body: CreateRequestBody,
  ): Promise<{ request: RequestView; created: boolean }> {
    assertStorable(body);
    const input = { ...body, reason: body.reason ?? '' };
    assertFingerprintMatches(input);
    const { config, clock, writes } = this.#ctx;
    const chosen = await this.#ctx.context.requirementsFor(input.stack, input.policy);
    const { requirements } = chosen;
    assertMayRequest(actor, requirements);
    assertDurationAllowed(input.durationSeconds, requirements);
    const result = await writes.run(async (store) => {
      const now = clock.now();
      const existing = await store.findLatest(input);
      const status = existing && effectiveStatus(existing, now);
      if (existing && (status === 'pending' || status === 'approved')) {
        if (status === 'pending' && input.run) {
          const event = runBlocked(actor, existing.id, input, now);
          const tagged = withBlockedRun(existing, input.run.id);
          if (tagged) await store.saveRequest(tagged, [event]);
          else await store.appendAudit([event]);
          return { stored: tagged ?? existing, created: false, now };
        }
        return { stored: existing, created: false, now };
      }
      const lapsed = checkDenial(existing, now, config.denialCooldownSeconds);
      const id = `req_${randomBytes(16).toString('base64url')}`;
      const { request, events } = newRequest({
        id,
        requester: actor,
        input,
        requirements,
        now,
        pendingTtlSeconds: config.pendingTtlSeconds,
      });
      // A run that asks blocks on the request: one call both opens it and puts that on record.
      const blocked = input.run ? [runBlocked(actor, id, input, now)] : [];
      const ruleChoice = chosen.evaluations.map((e) => verdictEvent(e, 'request', actor.id, id));
      await store.saveRequest(request, [
        ...(lapsed ? [lapsed] : []),
        ...events,
        ...ruleChoice,
        ...blocked,
      ]);
      return { stored: request, created: true, now };
    });
    if (result.created) this.#notify('request.created', result.stored, result.now);
    const auto = result.created
      ? await autoApprove(this.#ctx, this.#signer, result.stored)
      : undefined;
    if (auto?.stored.status === 'approved') {
      this.#notify('request.approved', auto.stored, auto.now);
    }
    const final = auto ?? result;
    return { request: this.#view(final.stored, final.now), created: result.created };
  }

  async getRequest(id: string): Promise<RequestView> {
    return this.#view(await this.#load(id));
  }

  /**
   * The last approved request for the same stack, URN and policy before this one, for
   * comparing what is asked with what was approved; undefined when there is none.
   */
  async previousApproval(id: string): Promise<RequestView | undefined> {
    const previous = await previousApproval(this.#ctx.store, await this.#load(id));
    return previous && this.#view(previous);
  }

  async listRequests(filter: RequestFilter = {}): Promise<RequestView[]> {
    const wanted = wantedStatuses(filter.status);
    const stored = await this.#ctx.store.listRequests({
      stack: filter.stack,
      run: filter.run,
      status: storeStatuses(wanted),
    });
    const now = this.#ctx.clock.now();
    const views = stored.map((r) => this.#view(r, now));
    return wanted ? views.filter((v) => wanted.has(v.status)) : views;
  }

  /** A page of the requests `filter` matches, newest first, with their statuses as of now. */
  listPage(filter: RequestListFilter, page: PageRequest): Promise<RequestPage> {
    const now = this.#ctx.clock.now();
    return listPage(this.#ctx.store, (r) => this.#view(r, now), filter, page);
  }

  /** The distinct stacks and policies of every request, sorted: a list's filter choices. */
  requestFacets(): Promise<RequestFacets> {
    return this.#ctx.store.requestFacets();
  }

  async review(actor: Actor, id: string, body: ReviewBody): Promise<RequestView> {
    assertStorable(body);
    const input = { ...body, reason: body.reason ?? '' };
    const { clock, writes } = this.#ctx;
    const context =
      input.decision === 'approve'
        ? await approvalContextEvents(this.#ctx, await this.#load(id), actor)
        : [];
    const { request, now } = await writes.run(async (store) => {
      const now = clock.now();
      const outcome = applyReview(await this.#load(id, store), actor, input, now);
      const { request, events } = outcome;
      events.unshift(...context);
      if (outcome.approved)
        await issueToken(this.#signer, request, events, actor, now, this.#ctx.context);
      await store.saveRequest(request, events);
      return { request, now };
    });
    if (request.status !== 'pending') {
      this.#notify(
        request.status === 'approved' ? 'request.approved' : 'request.denied',
        request,
        now,
      );
    }
    return this.#view(request, now);
  }

  async revoke(actor: Actor, id: string, body: RevokeBody = {}): Promise<RequestView> {
    assertStorable(body);
    const reason = body.reason ?? '';
    const { request, now } = await this.#change(id, (current, at) =>
      applyRevoke(current, actor, reason, at),
    );
    this.#notify('request.revoked', request, now);
    return this.#view(request, now);
  }

  /** Lifts the denial of a denied request; approvers of its rule only, never its requester. */
  async reopen(actor: Actor, id: string, body: ReopenBody = {}): Promise<RequestView> {
    assertStorable(body);
    const reason = body.reason ?? '';
    const { request, now } = await this.#change(id, (current, at) =>
      applyReopen(current, actor, reason, at),
    );
    return this.#view(request, now);
  }

  /** How long a denial stands unless reopened (service config); undefined: until reopened. */
  denialCooldownSeconds(): number | undefined {
    return this.#ctx.config.denialCooldownSeconds;
  }

  /** The freeze on the request's stack and its conditions' verdicts now, for the console. */
  contextOf(request: RequestView): Promise<RequestContextView> {
    return requestContext(this.#ctx, request);
  }

  /** Whether the actor may decide the request now, and if not, why not (for the console). */
  eligibility(actor: Actor, request: RequestView | StoredRequest): Eligibility {
    return eligibility(actor, request, this.#ctx.clock.now());
  }

  /** Marks and audits every request whose pending time or approval has run out; returns how many. */
  async expireDue(): Promise<number> {
    const { clock, writes } = this.#ctx;
    const changed = await writes.run(async (store) => {
      const now = clock.now();
      const live = await store.listFrozen({ status: ['pending', 'approved'] });
      const changes = live.flatMap((current) => applyExpiry(current, now) ?? []);
      // After a long stop thousands may have lapsed at once: one durable change per batch.
      for (let at = 0; at < changes.length; at += EXPIRY_BATCH) {
        await store.saveRequests(changes.slice(at, at + EXPIRY_BATCH));
      }
      return { saved: changes.map((change) => change.request), now };
    });
    for (const request of changed.saved) this.#notify('request.expired', request, changed.now);
    return changed.saved.length;
  }
}
