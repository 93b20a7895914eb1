import type { RequestView } from '@clearance/client';
import { isClearanceError } from '@clearance/client';
import { progressLine, stateKey, summarize, type WaitSummary } from './wait-progress.js';

export type WaitOutcome = 'approved' | 'failed' | 'timeout' | 'interrupted';

export interface WaitOptions {
  ids: string[];
  fetchRequest(id: string): Promise<RequestView>;
  timeoutMs: number;
  intervalMs: number;
  /** Repeat the progress line this often when nothing changes. */
  heartbeatMs: number;
  /** Progress lines and warnings, for people. */
  report(line: string): void;
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal | undefined;
}

export interface WaitResult {
  outcome: WaitOutcome;
  summary: WaitSummary;
}

/** Service hiccups worth riding out; anything else (unknown id, bad token) ends the wait. */
function isTransient(err: unknown): boolean {
  if (!isClearanceError(err)) return false;
  if (
    err.code === 'ERR_UNREACHABLE' ||
    err.code === 'ERR_TIMEOUT' ||
    err.code === 'ERR_RATE_LIMITED'
  )
    return true;
  const status = err.details?.status;
  return typeof status === 'number' && status >= 500;
}

/**
 * Polls the requests until all are approved, one is denied/revoked/expired, or the time is
 * up. Decided requests are not fetched again.
 */
export async function waitForDecisions(options: WaitOptions): Promise<WaitResult> {
  const { ids, timeoutMs, intervalMs, heartbeatMs, report, now, sleep, signal } = options;
  const deadline = now() + timeoutMs;
  const latest = new Map<string, RequestView>();
  let lastKey = '';
  let lastReport = -Infinity;
  let failing = false;
  for (;;) {
    const undecided = ids.filter((id) => latest.get(id)?.status !== 'approved');
    try {
      const views = await Promise.all(undecided.map((id) => options.fetchRequest(id)));
      for (const view of views) latest.set(view.id, view);
      if (failing) report('the service answers again');
      failing = false;
    } catch (err) {
      if (!isTransient(err)) throw err;
      if (!failing) report(`${(err as Error).message}; retrying`);
      failing = true;
    }
    const views = ids.flatMap((id) => latest.get(id) ?? []);
    const summary = summarize(views);
    if (views.length === ids.length) {
      if (summary.failed.length > 0) return { outcome: 'failed', summary };
      if (summary.pending.length === 0) return { outcome: 'approved', summary };
    }
    const key = stateKey(views);
    if (views.length > 0 && (key !== lastKey || now() - lastReport >= heartbeatMs)) {
      report(progressLine(summary));
      lastKey = key;
      lastReport = now();
    }
    const left = deadline - now();
    if (left <= 0) return { outcome: 'timeout', summary };
    await sleep(Math.min(intervalMs, left), signal);
    if (signal?.aborted) return { outcome: 'interrupted', summary };
  }
}
