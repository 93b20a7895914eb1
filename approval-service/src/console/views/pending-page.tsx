import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import { formatDuration, resourceName } from '@clearance/client';
import { relativeTime } from '../format.js';
import { MessageList, When, type Messages } from './components.js';
import { FilterForm } from './filter-form.js';
import { Layout, type PageUser } from './layout.js';
import { PageLinks, type PageLinksProps } from './page-links.js';

export interface PendingPageProps extends Messages, PageLinksProps {
  user: PageUser;
  /** One page, newest first. */
  requests: RequestView[];
  now: Date;
  filter: { stack?: string | undefined; policy?: string | undefined };
  stacks: string[];
  policies: string[];
}

const PendingItem: FC<{ request: RequestView; now: Date }> = ({ request: r, now }) => (
  <li class="card">
    <div class="item-head">
      <h2>
        <a href={`/requests/${encodeURIComponent(r.id)}`}>
          {r.policy}: {resourceName(r.urn)}
        </a>
      </h2>
      <strong>{r.progress.text}</strong>
    </div>
    <p class="meta">
      <span>{r.stack}</span>
      <span>{r.type}</span>
    </p>
    <p class="meta">
      <span>
        asked by {r.requester} {relativeTime(r.createdAt, now)}
      </span>
      {r.requestedDurationSeconds !== undefined && (
        <span>for {formatDuration(r.requestedDurationSeconds)}</span>
      )}
      <span>
        expires <When iso={r.expiresAt} now={now} />
      </span>
    </p>
    <p>
      <span class="hint">In the requester’s words:</span> {r.summary}
    </p>
  </li>
);

/** Pending requests a page at a time, newest first, with their quorum and the time they have left. */
export const PendingPage: FC<PendingPageProps> = (p) => (
  <Layout title="Pending requests" user={p.user} section="pending">
    <h1>Pending requests</h1>
    <MessageList flash={p.flash} error={p.error} />
    <FilterForm
      action="/"
      label="Filter pending requests"
      fields={[
        { name: 'stack', label: 'Stack', value: p.filter.stack, options: p.stacks },
        { name: 'policy', label: 'Policy', value: p.filter.policy, options: p.policies },
      ]}
    />
    {p.requests.length === 0 ? (
      <p class="empty">
        No pending requests{p.filter.stack || p.filter.policy ? ' match the filter' : ''}.
      </p>
    ) : (
      <ul class="list" aria-label="Pending requests">
        {p.requests.map((r) => (
          <PendingItem request={r} now={p.now} />
        ))}
      </ul>
    )}
    <PageLinks olderHref={p.olderHref} newestHref={p.newestHref} />
  </Layout>
);
