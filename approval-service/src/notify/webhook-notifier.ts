import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { SignedCheckpoint } from '../audit/checkpoint.js';
import { systemClock, type Clock } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';
import type { NotificationEvent, Notifier } from '../service/notifier.js';
import type { DeliveryRecords } from '../store/store.js';
import { deliver, type DeliveryRequest } from './deliver.js';
import { DeliveryQueue, type QueuedDoc } from './delivery-queue.js';
import {
  CHECKPOINT_EVENT,
  parseNotifications,
  resolveWebhooks,
  type WebhookEventType,
  type WebhookTarget,
} from './notify-config.js';
import {
  checkpointJsonPayload,
  checkpointSlackPayload,
  jsonPayload,
  slackPayload,
} from './webhook-payload.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.js';

/** A delivery that failed after every attempt. Holds no URL and no secret. */
export interface WebhookFailure {
  webhook: string;
  event: WebhookEventType;
  /** The request the event is about; for `audit.checkpoint`, `checkpoint <seq>`. */
  requestId: string;
  deliveryId: string;
  attempts: number;
  error: string;
}

export interface NotifierDeps {
  fetch?: typeof fetch;
  /** Waits between attempts; may end early once the signal is aborted (`stop`). */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  clock?: Clock;
  /** Where `urlEnv` and `secretEnv` are read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Told about every delivery that finally failed; the service audits it as `webhook.failed`. */
  onFailure?: (failure: WebhookFailure) => void;
  /** How often a store queue (`useQueue`) is asked for due deliveries (default 1 s). */
  pollMs?: number;
}

/** A delivery under way, as shutdown names it when cut short: no URL, no secret. */
export interface DeliveryUnderWay {
  webhook: string;
  event: WebhookEventType;
  requestId: string;
  deliveryId: string;
}

/** A Notifier that posts to webhooks in the background. */
export interface WebhookNotifier extends Notifier {
  readonly webhooks: readonly string[];
  /** Posts a signed audit checkpoint to the webhooks that list `audit.checkpoint` (the anchor). */
  anchor(checkpoint: SignedCheckpoint): void;
  /**
   * From now on, deliveries go through `records` (PostgreSQL, shared by replicas): each is made
   * once by whichever replica claims it, and what this one leaves on `stop` another one sends.
   */
  useQueue(records: DeliveryRecords): void;
  /** Resolves when every delivery under way has finished (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Stops for good: deliveries under way end at once, each reported to `onFailure` as
   * abandoned, and later events are not sent. Returns the deliveries it cut short. With a
   * queue, nothing is abandoned: its deliveries, and later events, are left to other replicas.
   */
  stop(): DeliveryUnderWay[];
}

/** What one event puts on the wire, whichever kind it is. */
interface Outgoing {
  type: WebhookEventType;
  /** What failures and shutdown name: the request id, or `checkpoint <seq>`. */
  subject: string;
  json(deliveryId: string): string;
  slack(): string;
}

function requestOutgoing(event: NotificationEvent): Outgoing {
  return {
    type: event.type,
    subject: event.request.id,
    json: (deliveryId) => jsonPayload(event, deliveryId),
    slack: () => slackPayload(event),
  };
}

function checkpointOutgoing(checkpoint: SignedCheckpoint, at: string): Outgoing {
  return {
    type: CHECKPOINT_EVENT,
    subject: `checkpoint ${checkpoint.seq}`,
    json: (deliveryId) => checkpointJsonPayload(checkpoint, at, deliveryId),
    slack: () => checkpointSlackPayload(checkpoint),
  };
}

/** A queued delivery's bodies, as they were when it was queued. */
function queuedOutgoing(doc: QueuedDoc): Outgoing {
  return { type: doc.event, subject: doc.subject, json: () => doc.json, slack: () => doc.slack };
}

function requestFor(
  hook: WebhookTarget,
  event: Outgoing,
  deliveryId: string,
  clock: Clock,
): DeliveryRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Clearance-Webhooks/1',
  };
  if (hook.format === 'slack') return { url: hook.url, headers, body: event.slack() };
  const body = event.json(deliveryId);
  const timestamp = Math.floor(clock.now().getTime() / 1000);
  return {
    url: hook.url,
    headers: {
      ...headers,
      'x-clearance-event': event.type,
      'x-clearance-delivery': deliveryId,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(hook.secret as string, timestamp, body),
    },
    body,
  };
}

/**
 * Builds the notifier of the service from the `notifications` config (validated here; URLs
 * and secrets read from the environment now, so a mistake stops the start). `notify` returns
 * at once: deliveries, with their retries, run in the background and never reach a decision.
 */
export function createNotifier(config: unknown, deps: NotifierDeps = {}): WebhookNotifier {
  const parsed = parseNotifications(config);
  const hooks = resolveWebhooks(parsed, deps.env ?? process.env);
  const clock = deps.clock ?? systemClock;
  const sleep =
    deps.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      delay(ms, undefined, signal ? { signal } : {}).then(
        () => undefined,
        () => undefined,
      ));
  const stopping = new AbortController();
  const pending = new Map<Promise<void>, DeliveryUnderWay>();
  const send = async (hook: WebhookTarget, event: Outgoing, deliveryId: string) => {
    const result = await deliver(() => requestFor(hook, event, deliveryId, clock), {
      fetch: deps.fetch ?? fetch,
      sleep,
      retry: parsed.retry,
      timeoutMs: parsed.timeoutMs,
      signal: stopping.signal,
    });
    if (!result.ok) {
      deps.onFailure?.({
        webhook: hook.name,
        event: event.type,
        requestId: event.subject,
        deliveryId,
        attempts: result.attempts,
        error: result.error,
      });
    }
  };
  let queue: DeliveryQueue | undefined;
  const failed = (failure: WebhookFailure) => deps.onFailure?.(failure);
  const post = (event: Outgoing) => {
    if (queue) {
      const docs: QueuedDoc[] = hooks
        .filter((hook) => hook.events.has(event.type))
        .map((hook) => {
          const deliveryId = randomUUID();
          return {
            webhook: hook.name,
            event: event.type,
            subject: event.subject,
            deliveryId,
            json: event.json(deliveryId),
            slack: event.slack(),
          };
        });
      queue.add(docs);
      return;
    }
    for (const hook of hooks) {
      if (!hook.events.has(event.type)) continue;
      const deliveryId = randomUUID();
      const task = send(hook, event, deliveryId).catch(() => undefined);
      pending.set(task, {
        webhook: hook.name,
        event: event.type,
        requestId: event.subject,
        deliveryId,
      });
      void task.finally(() => pending.delete(task));
    }
  };
  return {
    webhooks: hooks.map((h) => h.name),
    notify(event) {
      post(requestOutgoing(event));
    },
    anchor(checkpoint) {
      post(checkpointOutgoing(checkpoint, clock.now().toISOString()));
    },
    useQueue(records) {
      queue = new DeliveryQueue({
        records,
        hooks,
        retry: parsed.retry,
        timeoutMs: parsed.timeoutMs,
        fetch: deps.fetch ?? fetch,
        clock,
        pollMs: deps.pollMs,
        request: (hook, doc) => requestFor(hook, queuedOutgoing(doc), doc.deliveryId, clock),
        onFailure: (doc, attempts, error) =>
          failed({
            webhook: doc.webhook,
            event: doc.event,
            requestId: doc.subject,
            deliveryId: doc.deliveryId,
            attempts,
            error,
          }),
      });
      if (!stopping.signal.aborted) queue.start();
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending.keys()]);
      await queue?.idle();
    },
    stop() {
      queue?.stop();
      const cut = [...pending.values()];
      stopping.abort();
      return cut;
    },
  };
}

/** The audit event of a failed delivery (actor `system`, subject the request). */
export function webhookFailureEvent(failure: WebhookFailure, at: Date): AuditEvent {
  return {
    time: at.toISOString(),
    actor: 'system',
    action: 'webhook.failed',
    subject: failure.requestId,
    data: {
      webhook: failure.webhook,
      event: failure.event,
      delivery: failure.deliveryId,
      attempts: failure.attempts,
      error: failure.error,
    },
  };
}
