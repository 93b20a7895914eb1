import type { RequestView } from '@clearance/client';

/** Where a set of awaited requests stands. */
export interface WaitSummary {
  total: number;
  decided: number;
  approved: RequestView[];
  /** Denied, revoked or expired: the wait has failed. */
  failed: RequestView[];
  pending: RequestView[];
}

export function summarize(views: RequestView[]): WaitSummary {
  const approved = views.filter((v) => v.status === 'approved');
  const pending = views.filter((v) => v.status === 'pending');
  const failed = views.filter((v) => v.status !== 'approved' && v.status !== 'pending');
  return { total: views.length, decided: views.length - pending.length, approved, failed, pending };
}

/** Changes whenever a status or a vote count changes. */
export function stateKey(views: RequestView[]): string {
  return views.map((v) => `${v.id}:${v.status}:${v.progress.approvals}`).join('|');
}

function listPending(pending: RequestView[], shown = 3): string {
  const named = pending.slice(0, shown).map((v) => `${v.id} (${v.progress.text})`);
  const more = pending.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/** e.g. `2/3 decided, waiting for req_x (1 of 2 managers)…` */
export function progressLine(summary: WaitSummary): string {
  const head = `${summary.decided}/${summary.total} decided`;
  return summary.pending.length === 0
    ? head
    : `${head}, waiting for ${listPending(summary.pending)}…`;
}

/** Why a request ended without approval, in one line. */
export function failureLine(view: RequestView): string {
  if (view.status === 'denied') {
    const denial = view.reviews.find((r) => r.decision === 'deny');
    const by = denial ? ` by ${denial.reviewer}${denial.reason ? `: ${denial.reason}` : ''}` : '';
    return `${view.id} was denied${by} (${view.url})`;
  }
  if (view.status === 'revoked')
    return `${view.id} was revoked by ${view.revokedBy ?? 'someone'} (${view.url})`;
  return `${view.id} expired before it was decided (${view.url})`;
}

/** The closing line of a wait that ran out of time. */
export function timeoutLine(summary: WaitSummary, after: string): string {
  return `timed out after ${after}: ${summary.decided}/${summary.total} decided; still waiting for ${listPending(summary.pending, 10)}`;
}
