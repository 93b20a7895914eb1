import type { FC } from 'hono/jsx';
import type { ConditionView, RequestContextView } from '../../service/context-view.js';
import { When } from './components.js';

const when: Record<ConditionView['at'], string> = {
  decision: 'to approve',
  deploy: 'to deploy',
  both: 'to approve and to deploy',
  auto: 'counts as approvals',
};

function verdictText(c: ConditionView): string {
  if (c.verdict.holds === true) return 'holds';
  if (c.verdict.holds === false) return 'does not hold';
  return c.failOpen ? 'could not be checked (the rule fails open)' : 'could not be checked';
}

/** The freeze on the request's stack, and each condition of its rule with its verdict. */
export const ContextSection: FC<{ context: RequestContextView; now: Date }> = ({
  context,
  now,
}) => {
  if (context.conditions.length === 0 && !context.freeze) return <></>;
  return (
    <section class="card" aria-labelledby="h-context">
      <h2 id="h-context">Context</h2>
      {context.freeze && (
        <p class="freeze">
          <strong>Change freeze “{context.freeze.name}”</strong> until{' '}
          <When iso={context.freeze.endsAt} now={now} />
          {context.breakGlassDuringFreezes
            ? ': this rule may break the glass during it.'
            : ': no approval is given, and no approval deploys, until then.'}
        </p>
      )}
      {context.conditions.length > 0 && (
        <ul class="conditions">
          {context.conditions.map((c) => (
            <li>
              <strong>{c.condition}</strong> ({when[c.at]}): {verdictText(c)}, checked{' '}
              <When iso={c.verdict.checkedAt} now={now} />
              <br />
              <span class="hint">{c.verdict.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
