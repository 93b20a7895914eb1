import type { Store } from '../store/store.js';
import {
  type BreakGlassBody,
  type BreakGlassReviewBody,
  type RequestView,
} from '@clearance/client';
import {
  applyBreakGlass,
  applyBreakGlassReview,
  breakGlassReviewState,
  mayBreakGlass,
  mayReviewBreakGlass,
} from '../domain/break-glass.js';
import type { Actor, StoredRequest } from '../domain/model.js';
import type { ApprovalSigner } from '../tokens/approval-signer.js';
import { issueToken } from './issue-token.js';
import type { NotificationType, Notifier } from './notifier.js';
import { assertStorable, type ServiceContext } from './service-context.js';
import { loadRequest, notifyChange, viewOf } from './stored-request.js';

/** A break-glass approval that its reviewers have not acknowledged or flagged yet. */
export interface NeedsReview {
  request: RequestView;
  /** Past the rule's `reviewWithinSeconds`. */
  overdue: boolean;
}

/**
 * Break-glass: a member of one of the rule's break-glass groups approves a pending
 * request, their own included, at once; the token says `breakGlass: true`, the reviewers are
 * notified straight away, and the approval waits on the "Needs review" list until one of them
 * acknowledges or flags it. Freezes and decision-time conditions apply as to any approval.
 */
export class BreakGlass {
  readonly #ctx: ServiceContext;
  readonly #signer: ApprovalSigner;
  readonly #notifier: Notifier | undefined;

  constructor(ctx: ServiceContext, signer: ApprovalSigner, notifier?: Notifier) {
    this.#ctx = ctx;
    this.#signer = signer;
    this.#notifier = notifier;
  }

  #view(stored: StoredRequest, now: Date): RequestView {
    return viewOf(this.#ctx, stored, now);
  }

  #notify(type: NotificationType, stored: StoredRequest, now: Date): void {
    notifyChange(this.#ctx, this.#notifier, type, stored, now);
  }

  /** Inside a write section, pass the section's store. */
  async #load(id: string, store: Store = this.#ctx.store): Promise<StoredRequest> {
    return loadRequest(store, id);
  }

  /** Approves the request at once by break-glass and signs its token. */
  async breakGlass(actor: Actor, id: string, body: BreakGlassBody): Promise<RequestView> {
    assertStorable(body);
    const input = { reason: body.reason ?? '', durationSeconds: body.durationSeconds };
    const { clock, writes, context } = this.#ctx;
    // Refused before any status endpoint is asked: who may not, or what is no longer pending.
    const before = await this.#load(id);
    applyBreakGlass(before, actor, input, clock.now());
    const verdicts = await context.approvalContext(before, actor.id);
    if (verdicts.refusal) {
      if (verdicts.events.length > 0) {
        await writes.run((store) => store.appendAudit(verdicts.events));
      }
      throw verdicts.refusal;
    }
    const { request, now } = await writes.run(async (store) => {
      const now = clock.now();
      const { request, events } = applyBreakGlass(await this.#load(id, store), actor, input, now);
      events.unshift(...verdicts.events);
      await issueToken(this.#signer, request, events, actor, now, context);
      await store.saveRequest(request, events);
      return { request, now };
    });
    this.#notify('request.break-glass', request, now);
    this.#notify('request.approved', request, now);
    return this.#view(request, now);
  }

  /** Records a reviewer's acknowledgement or flag of a break-glass approval. */
  async review(actor: Actor, id: string, body: BreakGlassReviewBody): Promise<RequestView> {
    assertStorable(body);
    const input = { outcome: body.outcome, reason: body.reason ?? '' };
    const { clock, writes } = this.#ctx;
    const { request, now } = await writes.run(async (store) => {
      const now = clock.now();
      const { request, events } = applyBreakGlassReview(
        await this.#load(id, store),
        actor,
        input,
        now,
      );
      await store.saveRequest(request, events);
      return { request, now };
    });
    if (request.breakGlass?.review?.outcome === 'flagged') {
      this.#notify('break-glass.flagged', request, now);
    }
    return this.#view(request, now);
  }

  /** Break-glass approvals not yet reviewed, oldest first, whatever their status now. */
  async needingReview(): Promise<NeedsReview[]> {
    const now = this.#ctx.clock.now();
    const stored = await this.#ctx.store.listRequests({ unreviewedBreakGlass: true });
    return stored
      .sort((a, b) => (a.breakGlass?.at ?? '').localeCompare(b.breakGlass?.at ?? ''))
      .map((r) => ({
        request: this.#view(r, now),
        overdue: breakGlassReviewState(r, now) === 'overdue',
      }));
  }

  /** Whether the actor may break the glass on this request now (for the console). */
  mayBreakGlass(actor: Actor, request: RequestView): boolean {
    return request.status === 'pending' && mayBreakGlass(actor, request);
  }

  /** Whether the actor may acknowledge or flag this request's break-glass (for the console). */
  mayReview(actor: Actor, request: RequestView): boolean {
    return request.breakGlass?.review === undefined && mayReviewBreakGlass(actor, request);
  }
}
