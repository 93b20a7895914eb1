import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import {
  compareMaterial,
  compareStates,
  type ComparedRow,
  type RowChange,
} from '../material-diff.js';
import { When } from './components.js';

const changeText: Readonly<Record<RowChange, string>> = {
  same: 'same',
  changed: 'changed',
  added: 'new',
  removed: 'gone',
};

const Value: FC<{ row: ComparedRow['before'] }> = ({ row }) =>
  row === undefined ? (
    <span class="empty">not set</span>
  ) : row.secret ? (
    <span class="secret">[secret]</span>
  ) : (
    <code>{row.value}</code>
  );

/** Two sides of a change, one row per property; changed rows are marked in words, not by colour alone. */
const ComparisonTable: FC<{ caption: string; left: string; right: string; rows: ComparedRow[] }> = (
  p,
) => (
  <div class="table-wrap">
    <table class="stack compare">
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Property</th>
          <th scope="col">{p.left}</th>
          <th scope="col">{p.right}</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((row) => (
          <tr class={row.change === 'same' ? undefined : 'changed'}>
            <th scope="row">
              <code>{row.name}</code>
            </th>
            <td data-label={p.left}>
              <Value row={row.before} />
            </td>
            <td data-label={p.right}>
              <Value row={row.after} />
            </td>
            <td data-label="Change">
              {row.change === 'same' ? changeText.same : <strong>{changeText[row.change]}</strong>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

function changedCount(rows: ComparedRow[]): number {
  return rows.filter((row) => row.change !== 'same').length;
}

/**
 * What changes, beside what was approved before: the last approved request for the same
 * stack, URN and policy, and for a delete or replacement the states the preview showed.
 */
export const BeforeAfter: FC<{ request: RequestView; previous?: RequestView | undefined }> = ({
  request,
  previous,
}) => {
  const states = request.previewStates;
  const stateRows = states ? compareStates(states.before, states.after) : [];
  const rows = previous ? compareMaterial(previous, request) : [];
  return (
    <section class="card" aria-labelledby="h-before-after">
      <h2 id="h-before-after">Before and after</h2>
      {states && (
        <>
          <p class="hint">
            The resource’s inputs before and after, as <code>pulumi preview</code> showed them to{' '}
            <code>clearance gate-preview</code> ({changedCount(stateRows)} changed). Sent with the
            request, not covered by the fingerprint.
          </p>
          <ComparisonTable
            caption="From the preview"
            left="Before"
            right="After"
            rows={stateRows}
          />
        </>
      )}
      {previous ? (
        <>
          <p>
            The last approved request for this resource under this policy:{' '}
            <a href={`/requests/${encodeURIComponent(previous.id)}`}>{previous.id}</a>, asked by{' '}
            {previous.requester} <When iso={previous.createdAt} /> (now {previous.status}).{' '}
            {changedCount(rows) === 0
              ? 'The same properties as now.'
              : `${changedCount(rows)} of ${rows.length} properties differ.`}
          </p>
          <ComparisonTable
            caption="Compared with the last approval"
            left="Last approved"
            right="Asked for now"
            rows={rows}
          />
        </>
      ) : (
        <p class="empty">No earlier approval of this resource under this policy.</p>
      )}
    </section>
  );
};
