import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  checksBodySchema,
  ClearanceError,
  createRequestBodySchema,
  reopenBodySchema,
  reviewBodySchema,
  revokeBodySchema,
  runContextSchema,
  runReportBodySchema,
  systemClock,
  type ApprovalsResponse,
  type CheckResult,
  type Clock,
  type RequestStatus,
  type RequestView,
  type RunContext,
} from '@clearance/client';
import { ApiAuthThrottle } from '../auth/api-auth-throttle.js';
import type { ServiceConfig } from '../config/config-schema.js';
import { mayReadAudit } from '../domain/audit-readers.js';
import { applyReopen, checkDenial } from '../domain/denial.js';
import { assertDurationAllowed } from '../domain/durations.js';
import { eligibility } from '../domain/eligibility.js';
import { applyExpiry, applyRevoke } from '../domain/lifecycle.js';
import type { AuditEntry, AuditEvent, AuditFilter, StoredRequest } from '../domain/model.js';
import {
  assertFingerprintMatches,
  assertMayRequest,
  newRequest,
} from '../domain/request-creation.js';
import { effectiveStatus } from '../domain/request-status.js';
import { applyReview } from '../domain/review-decision.js';
import { requirementsFor } from '../domain/rules.js';
import type { RequestFilter, Store } from '../store/store.js';
import type { ApprovalSigner } from '../tokens/approval-signer.js';
import type { Actor, ApprovalServiceApi, Eligibility } from './approval-service.types.js';
import { Mutex } from './mutex.js';
import { notifySafely, type NotificationType, type Notifier } from './notifier.js';
import { issueToken } from './issue-token.js';
import { parseInput } from './parse-input.js';
import { recordRun, runBlocked } from './run-report.js';
import { checkResultOf, toRequestView } from './request-view.js';
import { UserDirectory } from './user-directory.js';

/** What the service is built from; everything with side effects is injected. */
export interface ServiceDeps {
  store: Store;
  signer: ApprovalSigner;
  config: ServiceConfig;
  clock?: Clock;
  notifier?: Notifier;
}

const stackSchema = checksBodySchema.shape.stack;
const idSchema = z.string().min(1).max(200);

/** The approval service over a store, a signer and the config's rules. */
export class ApprovalService implements ApprovalServiceApi {
  readonly #store: Store;
  readonly #signer: ApprovalSigner;
  readonly #config: ServiceConfig;
  readonly #clock: Clock;
  readonly #notifier: Notifier | undefined;
  readonly #users: UserDirectory;
  readonly #lock = new Mutex();
  readonly publicUrl: string;
  /** Limits and audits (coalesced per address) failed API authentications. */
  readonly apiAuth: ApiAuthThrottle;

  constructor(deps: ServiceDeps) {
    this.#store = deps.store;
    this.#signer = deps.signer;
    this.#config = deps.config;
    this.#clock = deps.clock ?? systemClock;
    this.#notifier = deps.notifier;
    this.#users = new UserDirectory(deps.config.users);
    this.publicUrl = (deps.config.publicUrl ?? 'http://localhost:8080').replace(/\/+$/, '');
    this.apiAuth = new ApiAuthThrottle({
      clock: this.#clock,
      settings: { trustProxy: deps.config.trustProxy, ...deps.config.apiAuthLimit },
      write: (events) => this.recordEvents(events),
    });
  }

  #view(stored: StoredRequest, now = this.#clock.now()): RequestView {
    return toRequestView(stored, this.publicUrl, now, this.#config.denialCooldownSeconds);
  }

  #notify(type: NotificationType, stored: StoredRequest, now: Date): void {
    notifySafely(this.#notifier, { type, request: this.#view(stored, now), at: now.toISOString() });
  }

  async #load(id: unknown): Promise<StoredRequest> {
    const parsed = idSchema.safeParse(id);
    const found = parsed.success ? await this.#store.getRequest(parsed.data) : undefined;
    if (!found) throw new ClearanceError('ERR_NOT_FOUND', `no request with id ${String(id)}`);
    return found;
  }

  async createRequest(
    actor: Actor,
    body: unknown,
  ): Promise<{ request: RequestView; created: boolean }> {
    const input = parseInput(createRequestBodySchema, body);
    assertFingerprintMatches(input);
    const requirements = requirementsFor(this.#config, input.stack, input.policy);
    assertMayRequest(actor, requirements);
    assertDurationAllowed(input.durationSeconds, requirements);
    const result = await this.#lock.run(async () => {
      const now = this.#clock.now();
      const existing = await this.#store.findLatest(input);
      const status = existing && effectiveStatus(existing, now);
      if (existing && (status === 'pending' || status === 'approved')) {
        if (status === 'pending' && input.run) {
          await this.#store.appendAudit([runBlocked(actor, existing.id, input, now)]);
        }
        return { stored: existing, created: false, now };
      }
      const lapsed = checkDenial(existing, now, this.#config.denialCooldownSeconds);
      const id = `req_${randomBytes(16).toString('base64url')}`;
      const pendingTtlSeconds = this.#config.pendingTtlSeconds;
      const { request, events } = newRequest({
        id,
        requester: actor,
        input,
        requirements,
        now,
        pendingTtlSeconds,
      });
      // A run that asks blocks on the request: one call both opens it and puts that on record.
      const blocked = input.run ? [runBlocked(actor, id, input, now)] : [];
      await this.#store.saveRequest(request, [...(lapsed ? [lapsed] : []), ...events, ...blocked]);
      return { stored: request, created: true, now };
    });
    if (result.created) this.#notify('request.created', result.stored, result.now);
    return { request: this.#view(result.stored, result.now), created: result.created };
  }

  async getRequest(id: string): Promise<RequestView> {
    return this.#view(await this.#load(id));
  }

  async listRequests(filter: RequestFilter = {}): Promise<RequestView[]> {
    const wanted = filter.status && filter.status.length > 0 ? new Set(filter.status) : undefined;
    // A saved pending or approved request may be expired by now: ask the store for those too.
    const storeStatuses = wanted && new Set<RequestStatus>(wanted);
    if (storeStatuses?.has('expired'))
      ['pending', 'approved'].forEach((s) => storeStatuses.add(s as RequestStatus));
    const stored = await this.#store.listRequests({
      ...(filter.stack === undefined ? {} : { stack: filter.stack }),
      ...(storeStatuses ? { status: [...storeStatuses] } : {}),
    });
    const now = this.#clock.now();
    const views = stored.map((r) => this.#view(r, now));
    return wanted ? views.filter((v) => wanted.has(v.status)) : views;
  }

  async review(actor: Actor, id: string, body: unknown): Promise<RequestView> {
    const input = parseInput(reviewBodySchema, body);
    const { request, now } = await this.#lock.run(async () => {
      const now = this.#clock.now();
      const outcome = applyReview(await this.#load(id), actor, input, now);
      const { request, events } = outcome;
      if (outcome.approved) await issueToken(this.#signer, request, events, actor, now);
      await this.#store.saveRequest(request, events);
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

  async revoke(actor: Actor, id: string, body: unknown = {}): Promise<RequestView> {
    const input = parseInput(revokeBodySchema, body ?? {});
    const { request, now } = await this.#lock.run(async () => {
      const now = this.#clock.now();
      const { request, events } = applyRevoke(await this.#load(id), actor, input.reason, now);
      await this.#store.saveRequest(request, events);
      return { request, now };
    });
    this.#notify('request.revoked', request, now);
    return this.#view(request, now);
  }

  /** Lifts a denial (approvers of the request's rule but its requester): the change may be asked for again. */
  async reopen(actor: Actor, id: string, body: unknown = {}): Promise<RequestView> {
    const input = parseInput(reopenBodySchema, body ?? {});
    const { request, now } = await this.#lock.run(async () => {
      const now = this.#clock.now();
      const { request, events } = applyReopen(await this.#load(id), actor, input.reason, now);
      await this.#store.saveRequest(request, events);
      return { request, now };
    });
    return this.#view(request, now);
  }

  async checks(_actor: Actor, body: unknown): Promise<CheckResult[]> {
    const input = parseInput(checksBodySchema, body);
    const now = this.#clock.now();
    const { stack, items } = input;
    const found = await this.#store.findLatestFrozen(
      items.map(({ urn, policy, fingerprint }) => ({ stack, urn, policy, fingerprint })),
    );
    const cooldown = this.#config.denialCooldownSeconds;
    return items.map((item, i) => checkResultOf(item, found[i], this.publicUrl, now, cooldown));
  }

  async approvals(_actor: Actor, stack: string, run?: RunContext): Promise<ApprovalsResponse> {
    const name = parseInput(stackSchema, stack);
    parseInput(runContextSchema.optional(), run);
    const now = this.#clock.now();
    const all = await this.#store.listFrozen({ stack: name });
    const keyOf = (r: { urn: string; policy: string; fingerprint: string }) =>
      `${r.urn}\n${r.policy}\n${r.fingerprint}`;
    const approvals: ApprovalsResponse['approvals'] = [];
    // The latest request of each resource state, as `POST /v1/checks` would find it.
    const latest = new Map<string, (typeof all)[number]>();
    for (const r of all) {
      if (effectiveStatus(r, now) === 'approved' && r.token && r.expiresAt) {
        const { id, urn, policy, fingerprint, token, expiresAt } = r;
        approvals.push({ id, urn, policy, fingerprint, token, expiresAt });
      }
      const seen = latest.get(keyOf(r));
      if (!seen || seen.createdAt < r.createdAt) latest.set(keyOf(r), r);
    }
    const approvedKeys = new Set(approvals.map(keyOf));
    const requests: CheckResult[] = [];
    const cooldown = this.#config.denialCooldownSeconds;
    for (const [key, r] of latest) {
      if (approvedKeys.has(key)) continue;
      const result = checkResultOf(r, r, this.publicUrl, now, cooldown);
      if (result.status !== 'none' && result.status !== 'approved') requests.push(result);
    }
    return { approvals, keys: this.#signer.jwks(), requests };
  }

  async reportRun(actor: Actor, body: unknown): Promise<void> {
    const input = parseInput(runReportBodySchema, body);
    await this.#lock.run(() => recordRun(this.#store, actor, input, this.#clock.now()));
  }

  eligibility(actor: Actor, request: RequestView | StoredRequest): Eligibility {
    return eligibility(actor, request, this.#clock.now());
  }

  readAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    return this.#store.readAudit(filter);
  }

  mayReadAudit(actor: Actor): boolean {
    return mayReadAudit(actor, this.#config);
  }

  /** Throws ERR_FORBIDDEN unless the actor may read the audit trail (see mayReadAudit). */
  assertMayReadAudit(actor: Actor): void {
    if (this.mayReadAudit(actor)) return;
    throw new ClearanceError(
      'ERR_FORBIDDEN',
      'only auditors and approvers may read the audit trail (see auditorGroups in the service config)',
    );
  }

  authenticateToken(token: string): Actor | undefined {
    return this.#users.byApiToken(token);
  }

  verifyPassword(userId: string, password: string): Promise<Actor | undefined> {
    return this.#users.byPassword(userId, password);
  }

  /** A configured user by id (for the console's session). */
  user(id: string): Actor | undefined {
    return this.#users.get(id);
  }

  async recordAuthFailure(subject: string, data: Record<string, unknown>): Promise<void> {
    const event: AuditEvent = {
      time: this.#clock.now().toISOString(),
      actor: 'anonymous',
      action: 'auth.failed',
      subject,
      data,
    };
    await this.#lock.run(() => this.#store.appendAudit([event]));
  }

  /**
   * Writes the coalesced counts of failed API authentications that are due; `all` writes every
   * pending count (at shutdown). The server calls it on its sweep.
   */
  flushAuthFailures(options: { all?: boolean } = {}): Promise<void> {
    return this.apiAuth.flush(options);
  }

  /** Appends events that change no request (webhook failures...), in turn with every other write. */
  async recordEvents(events: AuditEvent[]): Promise<void> {
    await this.#lock.run(() => this.#store.appendAudit(events));
  }

  /** Marks and audits every request whose pending time or approval has run out; returns how many. */
  async expireDue(): Promise<number> {
    const changed = await this.#lock.run(async () => {
      const now = this.#clock.now();
      const live = await this.#store.listFrozen({ status: ['pending', 'approved'] });
      const saved: StoredRequest[] = [];
      for (const current of live) {
        const change = applyExpiry(current, now);
        if (!change) continue;
        await this.#store.saveRequest(change.request, change.events);
        saved.push(change.request);
      }
      return { saved, now };
    });
    for (const request of changed.saved) this.#notify('request.expired', request, changed.now);
    return changed.saved.length;
  }

  /** Signs with a new key from now on; old tokens keep verifying. Audited. */
  async rotateSigningKey(actor: Actor): Promise<{ kid: string; retiredKid: string }> {
    return this.#lock.run(async () => {
      const rotated = await this.#signer.rotate();
      const event: AuditEvent = {
        time: this.#clock.now().toISOString(),
        actor: actor.id,
        action: 'key.rotated',
        subject: rotated.kid,
        data: { retiredKid: rotated.retiredKid },
      };
      await this.#store.appendAudit([event]);
      return rotated;
    });
  }
}
