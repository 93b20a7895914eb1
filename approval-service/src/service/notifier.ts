import type { RequestView } from '@clearance/client';

export type NotificationType =
  | 'request.created'
  | 'request.approved'
  | 'request.denied'
  | 'request.expired'
  | 'request.revoked'
  /** Approved at once by break-glass: its reviewers are told straight away. */
  | 'request.break-glass'
  /** A reviewer flagged a break-glass approval. */
  | 'break-glass.flagged';

export interface NotificationEvent {
  type: NotificationType;
  request: RequestView;
  at: string;
}

/**
 * Told about request changes after they are saved. Fire and forget: the service neither
 * waits for it nor lets its failure touch a decision.
 */
export interface Notifier {
  notify(event: NotificationEvent): void;
  /** Resolves once the work `notify` started has finished; the server waits for it, bounded, on close. */
  idle?(): Promise<void>;
}

/** Hands an event to the notifier, swallowing whatever it throws or rejects with. */
export function notifySafely(notifier: Notifier | undefined, event: NotificationEvent): void {
  if (!notifier) return;
  try {
    const result: unknown = notifier.notify(event);
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // A notifier failure never reaches the decision that triggered it.
  }
}
