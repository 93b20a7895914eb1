import type { RequestView } from '../client/api.js';
import { formatDuration } from './duration.js';

/** The resource name at the end of a URN (`...::name`). */
export function resourceName(urn: string): string {
  const at = urn.lastIndexOf('::');
  return at === -1 ? urn : urn.slice(at + 2);
}

function expiryLabel(view: RequestView): string {
  if (view.status === 'pending') return `${view.expiresAt} (lapses if still undecided)`;
  if (view.status === 'approved') return `${view.expiresAt} (the approval ends)`;
  return view.expiresAt;
}

/** A request as a few labelled lines, for people. */
export function formatRequest(view: RequestView): string {
  const rows: [string, string][] = [
    ['stack', view.stack],
    ['resource', `${resourceName(view.urn)} (${view.type})`],
    ['urn', view.urn],
    ['policy', view.policy],
    ['summary', view.summary],
    ['requester', view.requester + (view.reason ? ` — ${view.reason}` : '')],
  ];
  if (view.requestedDurationSeconds !== undefined) {
    rows.push(['duration', formatDuration(view.requestedDurationSeconds * 1000)]);
  }
  rows.push(['expires', expiryLabel(view)]);
  for (const review of view.reviews) {
    const verb = review.decision === 'approve' ? 'approved' : 'denied';
    rows.push([
      'review',
      `${review.reviewer} ${verb} at ${review.at}${review.reason ? ` — ${review.reason}` : ''}`,
    ]);
  }
  if (view.revokedAt) rows.push(['revoked', `${view.revokedAt} by ${view.revokedBy ?? 'unknown'}`]);
  rows.push(['link', view.url]);
  const head = `${view.id}  ${view.status}  (${view.progress.text})`;
  return `${head}\n${rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`).join('\n')}\n`;
}

/** Requests as an aligned table, one line each. */
export function formatRequestTable(views: RequestView[]): string {
  if (views.length === 0) return 'No requests.\n';
  const header = ['ID', 'STATUS', 'PROGRESS', 'POLICY', 'RESOURCE', 'EXPIRES'];
  const rows = views.map((v) => [
    v.id,
    v.status,
    v.progress.text,
    v.policy,
    resourceName(v.urn),
    v.expiresAt,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
