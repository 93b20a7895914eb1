import type { RetryPolicy } from './notify-config.js';

/** One HTTP request of a delivery, built afresh per attempt (a new timestamp and signature). */
export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface DeliverDeps {
  fetch: typeof fetch;
  /** Waits between attempts; may end early once `signal` is aborted. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  retry: RetryPolicy;
  timeoutMs: number;
  /** Aborting it ends the delivery at once, as a failure (the service is stopping). */
  signal?: AbortSignal;
}

export type DeliveryResult =
  { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/** The error of a delivery cut short by its signal. */
export const ABANDONED = 'abandoned: the service stopped before the delivery finished';

/** Delay before attempt `attempt + 1`: doubling from the initial delay, capped. */
export function backoffDelay(attempt: number, retry: RetryPolicy): number {
  return Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
}

function retryAfterMs(res: Response): number | undefined {
  const value = res.headers.get('retry-after');
  return value && /^\d{1,6}$/.test(value) ? Number(value) * 1000 : undefined;
}

/** Describes a failure without the URL (a Slack webhook URL is a secret). */
function describeFailure(err: unknown, timeoutMs: number): string {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return `could not connect${typeof cause === 'string' ? ` (${cause})` : ''}`;
}

/** What one attempt came to: delivered, refused for good, or worth another try after `waitMs`. */
export type AttemptResult =
  | { ok: true }
  | { ok: false; error: string; retry: false }
  | { ok: false; error: string; retry: true; waitMs: number };

/**
 * One attempt of a delivery, its `attempt`-th: network failures, timeouts, 408, 429 and 5xx are
 * worth retrying, after the backoff or the Retry-After the receiver asks for (capped); other 4xx
 * answers are final, as is an attempt cut short by `signal` (error ABANDONED).
 */
export async function attemptDelivery(
  request: DeliveryRequest,
  attempt: number,
  deps: Omit<DeliverDeps, 'sleep'>,
): Promise<AttemptResult> {
  const { signal } = deps;
  const wait = backoffDelay(attempt, deps.retry);
  try {
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    const res = await deps.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      redirect: 'error',
    });
    await res.body?.cancel();
    if (res.ok) return { ok: true };
    const error = `HTTP ${res.status}`;
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    if (!retryable) return { ok: false, error, retry: false };
    const asked = retryAfterMs(res);
    const waitMs = asked === undefined ? wait : Math.min(asked, deps.retry.maxDelayMs);
    return { ok: false, error, retry: true, waitMs };
  } catch (err) {
    if (signal?.aborted) return { ok: false, error: ABANDONED, retry: false };
    return { ok: false, error: describeFailure(err, deps.timeoutMs), retry: true, waitMs: wait };
  }
}

/** Sends a webhook, retrying as `attemptDelivery` says, up to `retry.attempts` attempts. */
export async function deliver(
  build: () => DeliveryRequest,
  deps: DeliverDeps,
): Promise<DeliveryResult> {
  let error = 'not attempted';
  const { signal } = deps;
  for (let attempt = 1; attempt <= deps.retry.attempts; attempt++) {
    if (signal?.aborted) return { ok: false, attempts: attempt - 1, error: ABANDONED };
    let request: DeliveryRequest;
    try {
      request = build();
    } catch (err) {
      if (signal?.aborted) return { ok: false, attempts: attempt, error: ABANDONED };
      error = describeFailure(err, deps.timeoutMs);
      if (attempt < deps.retry.attempts) {
        await deps.sleep(backoffDelay(attempt, deps.retry), signal);
      }
      continue;
    }
    const result = await attemptDelivery(request, attempt, deps);
    if (result.ok) return { ok: true, attempts: attempt };
    error = result.error;
    if (!result.retry) return { ok: false, attempts: attempt, error };
    if (attempt < deps.retry.attempts) await deps.sleep(result.waitMs, signal);
  }
  return { ok: false, attempts: deps.retry.attempts, error };
}
