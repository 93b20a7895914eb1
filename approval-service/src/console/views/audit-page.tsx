import type { FC } from 'hono/jsx';
import { auditActions, type AuditEntry } from '../../domain/model.js';
import { MessageList, When, type Messages } from './components.js';
import { FilterForm } from './filter-form.js';
import { Layout, type PageUser } from './layout.js';

export interface AuditFilterValues {
  since?: string | undefined;
  until?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  subject?: string | undefined;
}

export interface AuditPageProps extends Messages {
  user: PageUser;
  /** Newest first. */
  entries: AuditEntry[];
  /** More entries matched than are shown. */
  truncated: boolean;
  filter: AuditFilterValues;
  exportHref: string;
}

/** Entries whose subject is a request id. */
function aboutRequest(e: AuditEntry): boolean {
  return /^(request|review)\./.test(e.action) || e.action === 'token.issued';
}

/** The data of an entry as key/value lines (values that are not text shown as JSON). */
const Details: FC<{ data: Record<string, unknown> }> = ({ data }) => (
  <ul class="kv">
    {Object.entries(data).map(([key, value]) => (
      <li>
        <span class="k">{key}</span>{' '}
        <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
      </li>
    ))}
  </ul>
);

/** The audit trail, newest first, with filters and a JSON Lines export. */
export const AuditPage: FC<AuditPageProps> = (p) => (
  <Layout title="Audit" user={p.user} section="audit">
    <h1>Audit trail</h1>
    <MessageList flash={p.flash} error={p.error} />
    <FilterForm
      action="/audit"
      label="Filter the audit trail"
      fields={[
        { name: 'actor', label: 'Actor', value: p.filter.actor },
        { name: 'action', label: 'Action', value: p.filter.action, options: [...auditActions] },
        { name: 'subject', label: 'Subject (request, user or key id)', value: p.filter.subject },
        { name: 'since', label: 'From (UTC)', value: p.filter.since, type: 'datetime-local' },
        { name: 'until', label: 'Until (UTC)', value: p.filter.until, type: 'datetime-local' },
      ]}
    />
    <p>
      <a href="/audit/export">Export the whole trail with its signed checkpoints</a> (JSON Lines,
      oldest first), to check with <code>clearance audit verify --file</code>, or{' '}
      <a href={p.exportHref}>export only the matching entries</a> (a part of the trail, which cannot
      be verified alone).
    </p>
    {p.truncated && <p class="hint">Showing the newest {p.entries.length} matching entries.</p>}
    {p.entries.length === 0 ? (
      <p class="empty">No audit entries match.</p>
    ) : (
      <div class="table-wrap">
        <table class="stack">
          <caption>Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {p.entries.map((e) => (
              <tr>
                <td data-label="#">{e.seq}</td>
                <td data-label="Time" class="nowrap">
                  <When iso={e.time} />
                </td>
                <td data-label="Actor">{e.actor}</td>
                <td data-label="Action">
                  <code>{e.action}</code>
                </td>
                <td data-label="Subject">
                  {aboutRequest(e) ? (
                    <a href={`/requests/${encodeURIComponent(e.subject)}`}>
                      <code>{e.subject}</code>
                    </a>
                  ) : (
                    <code>{e.subject}</code>
                  )}
                </td>
                <td data-label="Details" class="details">
                  {e.data && <Details data={e.data} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </Layout>
);
