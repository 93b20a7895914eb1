import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '@clearance/client';
import type { DeliveryRecords, QueuedDelivery } from '../store/store.js';
import { ABANDONED, attemptDelivery, type DeliveryRequest } from './deliver.js';
import {
  CHECKPOINT_EVENT,
  notificationTypes,
  type RetryPolicy,
  type WebhookEventType,
  type WebhookTarget,
} from './notify-config.js';

/** A delivery as the store keeps it: the bodies, never a URL or a secret (those stay in env). */
export interface QueuedDoc {
  webhook: string;
  event: WebhookEventType;
  /** The request id, or `checkpoint <seq>`. */
  subject: string;
  deliveryId: string;
  /** The signed JSON body (signed again at each attempt) and the Slack message. */
  json: string;
  slack: string;
}

export interface DeliveryQueueDeps {
  records: DeliveryRecords;
  hooks: readonly WebhookTarget[];
  retry: RetryPolicy;
  timeoutMs: number;
  fetch: typeof fetch;
  clock: Clock;
  /** The HTTP request of one attempt of `doc` to `hook`. */
  request(hook: WebhookTarget, doc: QueuedDoc): DeliveryRequest;
  /** Told about every delivery that finally failed, after all its attempts. */
  onFailure(doc: QueuedDoc, attempts: number, error: string): void;
  /** How often the store is asked for due deliveries (default 1 s). */
  pollMs?: number | undefined;
}

const CLAIM_BATCH = 10;

function queuedDocOf(value: unknown): QueuedDoc | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const doc = value as Record<string, unknown>;
  const texts = ['webhook', 'subject', 'deliveryId', 'json', 'slack'] as const;
  if (!texts.every((k) => typeof doc[k] === 'string')) return undefined;
  const event = doc.event;
  const known: readonly string[] = [...notificationTypes, CHECKPOINT_EVENT];
  if (typeof event !== 'string' || !known.includes(event)) return undefined;
  return value as QueuedDoc;
}

/**
 * Webhook deliveries through a store that replicas share: queued there, claimed by one replica
 * at a time under a lease (longer than an attempt may take), one attempt per claim, put back
 * due after the backoff between attempts. A replica that stops hands its claims back; one that
 * dies leaves them until their lease runs out. Either way another replica sends them.
 */
export class DeliveryQueue {
  readonly #owner = randomUUID();
  readonly #stopping = new AbortController();
  readonly #work = new Set<Promise<unknown>>();
  readonly #leaseMs: number;
  readonly #pollMs: number;
  #wake = new AbortController();
  #running = false;
  #loop: Promise<unknown> | undefined;

  constructor(private readonly deps: DeliveryQueueDeps) {
    this.#leaseMs = deps.timeoutMs + 30_000;
    this.#pollMs = deps.pollMs ?? 1000;
  }

  /** Starts claiming due deliveries, until `stop`. */
  start(): void {
    if (this.#running || this.#stopping.signal.aborted) return;
    this.#running = true;
    this.#loop = this.#run().catch(() => undefined);
  }

  /** Queues deliveries in the store (also once stopped: another replica sends them). */
  add(docs: readonly QueuedDoc[]): void {
    if (docs.length === 0) return;
    const rows = docs.map((doc) => ({ id: doc.deliveryId, delivery: doc }));
    this.#track(
      this.deps.records.add(rows, this.deps.clock.now().getTime()).then(() => this.#wake.abort()),
    );
  }

  /** Resolves once the queueing and the attempts under way have finished. */
  async idle(): Promise<void> {
    while (this.#work.size > 0) await Promise.all([...this.#work]);
  }

  /** Stops claiming; an attempt under way ends at once and its delivery goes back to the store. */
  stop(): void {
    if (this.#stopping.signal.aborted) return;
    this.#stopping.abort();
    this.#wake.abort();
    const loop = this.#loop ?? Promise.resolve();
    this.#track(loop.then(() => this.deps.records.release(this.#owner)));
  }

  #track(work: Promise<unknown>): Promise<unknown> {
    const tracked = work.catch(() => undefined).finally(() => this.#work.delete(tracked));
    this.#work.add(tracked);
    return tracked;
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      let claimed: QueuedDelivery[] = [];
      try {
        const now = this.deps.clock.now().getTime();
        claimed = await this.deps.records.claim(this.#owner, now, this.#leaseMs, CLAIM_BATCH);
      } catch {
        // The database is down: try again at the next poll.
      }
      if (signal.aborted) break;
      if (claimed.length > 0) {
        await this.#track(Promise.all(claimed.map((c) => this.#attempt(c).catch(() => undefined))));
        continue;
      }
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
      await delay(this.#pollMs, undefined, { signal: this.#wake.signal }).catch(() => undefined);
    }
  }

  async #attempt(claimed: QueuedDelivery): Promise<void> {
    const { records, retry } = this.deps;
    const doc = queuedDocOf(claimed.delivery);
    const hook = doc && this.deps.hooks.find((h) => h.name === doc.webhook);
    if (!doc || !hook) {
      await records.done(claimed.id, this.#owner);
      if (doc) this.deps.onFailure(doc, claimed.attempts, 'the webhook is no longer configured');
      return;
    }
    const attempt = claimed.attempts + 1;
    const result = await attemptDelivery(this.deps.request(hook, doc), attempt, {
      fetch: this.deps.fetch,
      retry,
      timeoutMs: this.deps.timeoutMs,
      signal: this.#stopping.signal,
    });
    // Cut short by the stop: the release hands it to another replica, this attempt uncounted.
    if (!result.ok && result.error === ABANDONED) return;
    if (!result.ok && result.retry && attempt < retry.attempts) {
      const due = this.deps.clock.now().getTime() + result.waitMs;
      await records.retry(claimed.id, this.#owner, attempt, due);
      return;
    }
    await records.done(claimed.id, this.#owner);
    if (!result.ok) this.deps.onFailure(doc, attempt, result.error);
  }
}
