import type { FC } from 'hono/jsx';
import type { RequestStatus, RequestView } from '@clearance/client';
import { resourceName } from '@clearance/client';
import { MessageList, StatusBadge, When, type Messages } from './components.js';
import { FilterForm } from './filter-form.js';
import { Layout, type PageUser } from './layout.js';
import { PageLinks, type PageLinksProps } from './page-links.js';

export const historyStatuses: RequestStatus[] = [
  'pending',
  'approved',
  'denied',
  'expired',
  'revoked',
];

export interface HistoryFilter {
  stack?: string | undefined;
  policy?: string | undefined;
  status?: RequestStatus | undefined;
}

export interface HistoryPageProps extends Messages, PageLinksProps {
  user: PageUser;
  /** One page, newest first. */
  requests: RequestView[];
  filter: HistoryFilter;
  stacks: string[];
  policies: string[];
  /** Link to the same list as JSON Lines. */
  exportHref: string;
}

/** Requests a page at a time, newest first, with filters and an export. */
export const HistoryPage: FC<HistoryPageProps> = (p) => (
  <Layout title="History" user={p.user} section="history">
    <h1>History</h1>
    <MessageList flash={p.flash} error={p.error} />
    <FilterForm
      action="/history"
      label="Filter history"
      fields={[
        { name: 'stack', label: 'Stack', value: p.filter.stack, options: p.stacks },
        { name: 'policy', label: 'Policy', value: p.filter.policy, options: p.policies },
        { name: 'status', label: 'Status', value: p.filter.status, options: historyStatuses },
      ]}
    />
    <p>
      <a href={p.exportHref}>Export these requests as JSON Lines</a>
    </p>
    {p.requests.length === 0 ? (
      <p class="empty">No requests match.</p>
    ) : (
      <div class="table-wrap">
        <table class="stack">
          <caption>Requests, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Stack</th>
              <th scope="col">Requester</th>
              <th scope="col">Asked at</th>
              <th scope="col">Decided at</th>
            </tr>
          </thead>
          <tbody>
            {p.requests.map((r) => (
              <tr>
                <th scope="row">
                  <a href={`/requests/${encodeURIComponent(r.id)}`}>
                    {r.policy}: {resourceName(r.urn)}
                  </a>
                </th>
                <td data-label="Status">
                  <StatusBadge status={r.status} />
                </td>
                <td data-label="Stack">{r.stack}</td>
                <td data-label="Requester">{r.requester}</td>
                <td data-label="Asked at" class="nowrap">
                  <When iso={r.createdAt} />
                </td>
                <td data-label="Decided at" class="nowrap">
                  {r.decidedAt ? <When iso={r.decidedAt} /> : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    <PageLinks olderHref={p.olderHref} newestHref={p.newestHref} />
  </Layout>
);
