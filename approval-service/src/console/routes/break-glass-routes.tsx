import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { ClearanceError } from '@clearance/client';
import type { BreakGlass } from '../../service/break-glass.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireFormToken, requireSession, sameOriginPost } from '../guards.js';
import { pageUser, refusal, renderPage, takeFlash } from '../render.js';
import { ErrorPage } from '../views/error-page.js';
import { NeedsReviewPage } from '../views/needs-review-page.js';

const breakGlassFormSchema = z.object({ reason: z.string().max(4000).default('') });
const reviewFormSchema = z.object({
  outcome: z.enum(['acknowledge', 'flag']),
  reason: z.string().max(4000).default(''),
});

function requestPath(id: string): string {
  return `/requests/${encodeURIComponent(id)}`;
}

/**
 * Break-glass in the console: the request page's form (`POST /requests/:id/break-glass`), the
 * reviewers' acknowledge or flag (`POST /requests/:id/break-glass/review`), and the "Needs
 * review" page (`/needs-review`).
 */
export function breakGlassRoutes(
  app: Hono<ConsoleEnv>,
  deps: ConsoleDeps,
  glass: BreakGlass,
): void {
  const { clock } = deps;

  app.get('/needs-review', requireSession(deps), async (c) => {
    const user = pageUser(c);
    const items = (await glass.needingReview()).map((item) => ({
      ...item,
      canReview: glass.mayReview(user.actor, item.request),
    }));
    return renderPage(
      c,
      <NeedsReviewPage user={user} items={items} now={clock.now()} flash={takeFlash(c)} />,
    );
  });

  /** Shows why an action was refused, with a way back to the request. */
  const refused = (c: Context<ConsoleEnv>, err: unknown): Response | Promise<Response> => {
    const { status, message } = refusal(err);
    return renderPage(
      c,
      <ErrorPage title="Break-glass refused" message={message} user={pageUser(c)} />,
      status,
    );
  };

  app.post(
    '/requests/:id/break-glass',
    sameOriginPost,
    requireSession(deps),
    requireFormToken,
    async (c) => {
      const id = c.req.param('id');
      const parsed = breakGlassFormSchema.safeParse(c.get('form'));
      if (!parsed.success)
        return refused(c, new ClearanceError('ERR_VALIDATION', 'the reason is too long'));
      try {
        const view = await glass.breakGlass(c.get('session').actor, id, parsed.data);
        c.get('session').flash =
          `You broke the glass: approved until ${view.expiresAt}. Its reviewers have been told.`;
        return c.redirect(requestPath(id), 303);
      } catch (err) {
        return refused(c, err);
      }
    },
  );

  app.post(
    '/requests/:id/break-glass/review',
    sameOriginPost,
    requireSession(deps),
    requireFormToken,
    async (c) => {
      const id = c.req.param('id');
      const parsed = reviewFormSchema.safeParse(c.get('form'));
      if (!parsed.success)
        return refused(c, new ClearanceError('ERR_VALIDATION', 'choose acknowledge or flag'));
      try {
        await glass.review(c.get('session').actor, id, parsed.data);
        c.get('session').flash =
          parsed.data.outcome === 'flag'
            ? 'You flagged this break-glass; it is reported in the audit export.'
            : 'You acknowledged this break-glass.';
        return c.redirect('/needs-review', 303);
      } catch (err) {
        return refused(c, err);
      }
    },
  );
}
