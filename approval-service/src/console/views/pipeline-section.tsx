import type { FC } from 'hono/jsx';
import type { PipelineIdentity } from '@clearance/client';

/** The CI pipeline that opened a request with its OIDC ID token, and who triggered it. */
export const PipelineSection: FC<{ pipeline: PipelineIdentity | undefined }> = ({ pipeline }) => {
  if (!pipeline) return null;
  return (
    <section class="card" aria-labelledby="h-pipeline">
      <h2 id="h-pipeline">Pipeline</h2>
      <p class="hint">From the pipeline's OIDC ID token, verified against its issuer.</p>
      <dl class="facts pipeline-facts">
        <dt>Repository</dt>
        <dd>{pipeline.repository}</dd>
        <dt>Workflow</dt>
        <dd>{pipeline.workflow}</dd>
        <dt>Run</dt>
        <dd>
          <a href={pipeline.runUrl} rel="noreferrer">
            {pipeline.runUrl}
          </a>
        </dd>
        <dt>Ref</dt>
        <dd>{pipeline.ref}</dd>
        <dt>Commit</dt>
        <dd>
          <code>{pipeline.commit}</code>
        </dd>
        <dt>Triggered by</dt>
        <dd>
          {pipeline.triggeredBy}
          {pipeline.user ? ` (Clearance user ${pipeline.user}, who may not approve it)` : ''}
        </dd>
      </dl>
    </section>
  );
};
