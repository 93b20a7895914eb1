import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { RequestView } from '@clearance/client';
import { inAnyGroup } from '../../domain/decision-checks.js';
import type { Actor } from '../../domain/model.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireFormToken, requireSession, sameOriginPost } from '../guards.js';
import { pageUser, refusal, renderPage, takeFlash } from '../render.js';
import type { DecisionDraft } from '../views/decision-form.js';
import { DenyConfirmPage } from '../views/deny-confirm-page.js';
import { ErrorPage } from '../views/error-page.js';
import { RequestPage } from '../views/request-page.js';

const reviewFormSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  reason: z.string().max(4000).default(''),
  durationSeconds: z.coerce
    .number()
    .int()
    .positive()
    .max(366 * 24 * 3600)
    .optional(),
  /** Sent by the confirmation page: a deny without it asks first. */
  confirm: z.literal('deny').optional(),
});

/** The form of revoke and reopen: an optional reason. */
const reasonFormSchema = z.object({ reason: z.string().max(4000).default('') });
type ReasonForm = z.infer<typeof reasonFormSchema>;

/** Approvers of the rule and the requester may revoke; the service has the final word. */
export function mayRevoke(actor: Actor, request: RequestView): boolean {
  return actor.id === request.requester || inAnyGroup(actor, request.requirements.approverGroups);
}

/** Approvers of the rule other than the requester may lift a denial; the service has the final word. */
export function mayReopen(actor: Actor, request: RequestView): boolean {
  return (
    request.status === 'denied' &&
    request.reopenedAt === undefined &&
    actor.id !== request.requester &&
    inAnyGroup(actor, request.requirements.approverGroups)
  );
}

function requestPath(id: string): string {
  return `/requests/${encodeURIComponent(id)}`;
}

/** `/requests/:id` with its decision, revoke and reopen forms. */
export function requestRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { requests, clock } = deps;

  const show = async (
    c: Context<ConsoleEnv>,
    id: string,
    extra: { error?: string; draft?: DecisionDraft; status?: ContentfulStatusCode } = {},
  ): Promise<Response> => {
    const user = pageUser(c);
    let request: RequestView;
    try {
      request = await requests.getRequest(id);
    } catch (err) {
      const { status, message } = refusal(err);
      return renderPage(
        c,
        <ErrorPage title="Request not available" message={message} user={user} />,
        status,
      );
    }
    return renderPage(
      c,
      <RequestPage
        user={user}
        request={request}
        now={clock.now()}
        eligibility={requests.eligibility(user.actor, request)}
        canRevoke={mayRevoke(user.actor, request)}
        canReopen={mayReopen(user.actor, request)}
        flash={takeFlash(c)}
        error={extra.error}
        draft={extra.draft}
        denialCooldownSeconds={requests.denialCooldownSeconds()}
        previous={await requests.previousApproval(id)}
        context={await requests.contextOf(request)}
        breakGlass={
          deps.breakGlass && {
            canBreakGlass: deps.breakGlass.mayBreakGlass(user.actor, request),
            canReview: deps.breakGlass.mayReview(user.actor, request),
          }
        }
      />,
      extra.status ?? 200,
    );
  };

  /** Asks once before a denial; a request that cannot be read is shown as refused. */
  const confirmDenial = async (
    c: Context<ConsoleEnv>,
    id: string,
    reason: string,
  ): Promise<Response> => {
    let request: RequestView;
    try {
      request = await requests.getRequest(id);
    } catch {
      return show(c, id);
    }
    return renderPage(
      c,
      <DenyConfirmPage
        user={pageUser(c)}
        request={request}
        reason={reason}
        cooldownSeconds={requests.denialCooldownSeconds()}
      />,
    );
  };

  app.get('/requests/:id', requireSession(deps), (c) => show(c, c.req.param('id')));

  app.post(
    '/requests/:id/review',
    sameOriginPost,
    requireSession(deps),
    requireFormToken,
    async (c) => {
      const id = c.req.param('id');
      const parsed = reviewFormSchema.safeParse(c.get('form'));
      if (!parsed.success) {
        return show(c, id, {
          error: 'Choose approve or deny, and a duration from the list.',
          status: 400,
        });
      }
      const { confirm, ...body } = parsed.data;
      if (body.decision === 'deny' && confirm === undefined)
        return confirmDenial(c, id, body.reason);
      try {
        const view = await requests.review(c.get('session').actor, id, body);
        const verb = body.decision === 'approve' ? 'approved' : 'denied';
        c.get('session').flash =
          `You ${verb} this request. It is now ${view.status} (${view.progress.text}).`;
        return c.redirect(requestPath(id), 303);
      } catch (err) {
        const { status, message } = refusal(err);
        return show(c, id, { error: message, status, draft: body });
      }
    },
  );

  /** A form that revokes or reopens, with a reason: acts, then shows the request again. */
  const reasonForm = (
    action: 'revoke' | 'reopen',
    act: (actor: Actor, id: string, form: ReasonForm) => Promise<unknown>,
    done: string,
  ): void => {
    app.post(
      `/requests/:id/${action}`,
      sameOriginPost,
      requireSession(deps),
      requireFormToken,
      async (c) => {
        const id = c.req.param('id');
        const parsed = reasonFormSchema.safeParse(c.get('form'));
        if (!parsed.success) return show(c, id, { error: 'The reason is too long.', status: 400 });
        try {
          await act(c.get('session').actor, id, parsed.data);
          c.get('session').flash = done;
          return c.redirect(requestPath(id), 303);
        } catch (err) {
          const { status, message } = refusal(err);
          return show(c, id, { error: message, status });
        }
      },
    );
  };

  reasonForm(
    'revoke',
    (actor, id, form) => requests.revoke(actor, id, form),
    'You revoked this approval; deployments that need it will now stop.',
  );
  reasonForm(
    'reopen',
    (actor, id, form) => requests.reopen(actor, id, form),
    'You reopened this request: the same change may now be asked for again.',
  );
}
