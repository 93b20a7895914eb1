import type { RequestView } from '@clearance/client';
import { formatDuration, resourceName } from '@clearance/client';
import { formatTime, relativeTime } from '../console/format.js';

/** A point in time as the console shows it: "2026-01-05 10:00 UTC (in 59 min)". */
export function friendlyTime(iso: string, now: Date): string {
  return `${formatTime(iso)} (${relativeTime(iso, now)})`;
}

function expiryLabel(view: RequestView, now: Date): string {
  const at = friendlyTime(view.expiresAt, now);
  if (view.status === 'pending') return `${at}, lapses if still undecided`;
  if (view.status === 'approved') return `${at}, when the approval ends`;
  return at;
}

/** A request as a few labelled lines, for people, with the console's times. */
export function formatRequest(view: RequestView, now: Date = new Date()): string {
  const rows: [string, string][] = [
    ['stack', view.stack],
    ['resource', `${resourceName(view.urn)} (${view.type})`],
    ['urn', view.urn],
    ['policy', view.policy],
    ['summary', view.summary],
    ['requester', view.requester + (view.reason ? ` — ${view.reason}` : '')],
  ];
  if (view.requestedDurationSeconds !== undefined) {
    rows.push(['duration', formatDuration(view.requestedDurationSeconds)]);
  }
  rows.push(['expires', expiryLabel(view, now)]);
  for (const review of view.reviews) {
    const verb = review.decision === 'approve' ? 'approved' : 'denied';
    rows.push([
      'review',
      `${review.reviewer} ${verb} at ${friendlyTime(review.at, now)}${review.reason ? ` — ${review.reason}` : ''}`,
    ]);
  }
  if (view.revokedAt) {
    rows.push([
      'revoked',
      `${friendlyTime(view.revokedAt, now)} by ${view.revokedBy ?? 'unknown'}`,
    ]);
  }
  rows.push(['link', view.url]);
  const head = `${view.id}  ${view.status}  (${view.progress.text})`;
  return `${head}\n${rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`).join('\n')}\n`;
}

/** Requests as an aligned table, one line each, with the console's times. */
export function formatRequestTable(views: RequestView[], now: Date = new Date()): string {
  if (views.length === 0) return 'No requests.\n';
  const header = ['ID', 'STATUS', 'PROGRESS', 'POLICY', 'RESOURCE', 'EXPIRES'];
  const rows = views.map((v) => [
    v.id,
    v.status,
    v.progress.text,
    v.policy,
    resourceName(v.urn),
    friendlyTime(v.expiresAt, now),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
