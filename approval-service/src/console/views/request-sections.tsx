import type { FC } from 'hono/jsx';
import type { RequestView, Requirements } from '@clearance/client';
import { describeWindow, formatDuration } from '@clearance/client';
import { namedMaterialRows } from '../material-rows.js';
import { StatusBadge, When } from './components.js';

/** The read-only sections of the request page. */

export const MaterialTable: FC<{
  material: RequestView['material'];
  names?: RequestView['propertyNames'];
}> = ({ material, names }) => {
  const rows = namedMaterialRows(material, names);
  if (rows.length === 0) return <p class="empty">The request names no sensitive properties.</p>;
  const named = rows.some((row) => row.name !== row.path);
  return (
    <div class="table-wrap">
      {named && (
        <p class="hint table-note">
          Property names as the program writes them, as the pack sent them; the values are the ones
          the service checked against the fingerprint.
        </p>
      )}
      <table class="stack material">
        <caption>Sensitive properties (secrets redacted)</caption>
        <thead>
          <tr>
            <th scope="col">Property</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <th scope="row">
                <code>{row.name}</code>
                {row.name !== row.path && (
                  <span class="meta fingerprinted">
                    fingerprinted as <code>{row.path}</code>
                  </span>
                )}
              </th>
              <td class={row.secret ? 'secret' : undefined}>
                {row.secret ? '[secret]' : <code>{row.value}</code>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

export const Reviews: FC<{ request: RequestView }> = ({ request }) =>
  request.reviews.length === 0 ? (
    <p class="empty">No reviews yet.</p>
  ) : (
    <ul class="list" aria-label="Reviews">
      {request.reviews.map((r) => (
        <li class="card">
          <div class="item-head">
            <strong>{r.reviewer}</strong>
            <span class={`badge ${r.decision === 'approve' ? 'approved' : 'denied'}`}>
              {r.decision === 'approve' ? 'approved' : 'denied'}
            </span>
            <span class="meta">
              <When iso={r.at} />
            </span>
          </div>
          {r.durationSeconds !== undefined && (
            <p class="meta">for {formatDuration(r.durationSeconds)}</p>
          )}
          <p>{r.reason === '' ? <span class="empty">No reason given.</span> : r.reason}</p>
        </li>
      ))}
    </ul>
  );

export const RequirementsList: FC<{ req: Requirements }> = ({ req }) => (
  <dl class="facts">
    <dt>Rule</dt>
    <dd>{req.rule}</dd>
    <dt>Approvals</dt>
    <dd>
      {req.approvals} from {req.approverGroups.join(' or ')}
    </dd>
    {req.requesterGroups.length > 0 && (
      <>
        <dt>Requesters</dt>
        <dd>{req.requesterGroups.join(' or ')}</dd>
      </>
    )}
    <dt>Longest approval</dt>
    <dd>{formatDuration(req.maxDurationSeconds)}</dd>
    <dt>Reason</dt>
    <dd>{req.reasonRequired ? 'required' : 'optional'}</dd>
    <dt>Window</dt>
    <dd>{req.window ? describeWindow(req.window) : 'any time'}</dd>
  </dl>
);

export const Facts: FC<{ r: RequestView; now: Date }> = ({ r, now }) => (
  <dl class="facts">
    <dt>Status</dt>
    <dd>
      <StatusBadge status={r.status} /> {r.progress.text}
    </dd>
    <dt>Asked by</dt>
    <dd>{r.requester}</dd>
    <dt>Asked at</dt>
    <dd>
      <When iso={r.createdAt} />
    </dd>
    <dt>Stack</dt>
    <dd>{r.stack}</dd>
    <dt>Resource</dt>
    <dd>
      <code>{r.urn}</code>
    </dd>
    <dt>Type</dt>
    <dd>
      <code>{r.type}</code>
    </dd>
    <dt>Policy</dt>
    <dd>{r.policy}</dd>
    {r.requestedDurationSeconds !== undefined && (
      <>
        <dt>Asked for</dt>
        <dd>{formatDuration(r.requestedDurationSeconds)}</dd>
      </>
    )}
    {r.decidedAt && (
      <>
        <dt>Decided at</dt>
        <dd>
          <When iso={r.decidedAt} />
        </dd>
      </>
    )}
    <dt>
      {r.status === 'pending' ? 'Lapses' : r.status === 'approved' ? 'Approval ends' : 'Expiry'}
    </dt>
    <dd>
      <When
        iso={r.expiresAt}
        now={r.status === 'pending' || r.status === 'approved' ? now : undefined}
      />
    </dd>
    {r.revokedAt && (
      <>
        <dt>Revoked</dt>
        <dd>
          <When iso={r.revokedAt} /> by {r.revokedBy ?? 'unknown'}
        </dd>
      </>
    )}
    <dt>Fingerprint</dt>
    <dd>
      <code>{r.fingerprint}</code>
    </dd>
  </dl>
);
