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

  /**
   * A signed-in form post on a request: the form parsed with `schema` (refused with `invalid`
   * when it does not parse), then `act`, which returns where to go and the line to show there.
   */
  const formPost = <T,>(
    path: string,
    schema: z.ZodType<T>,
    invalid: string,
    act: (c: Context<ConsoleEnv>, id: string, form: T) => Promise<{ to: string; flash: string }>,
  ) =>
    app.post(path, sameOriginPost, requireSession(deps), requireFormToken, async (c) => {
      const parsed = schema.safeParse(c.get('form'));
      if (!parsed.success) return refused(c, new ClearanceError('ERR_VALIDATION', invalid));
      try {
        const { to, flash } = await act(c, c.req.param('id') ?? '', parsed.data);
        c.get('session').flash = flash;
        return c.redirect(to, 303);
      } catch (err) {
        return refused(c, err);
      }
    });

  formPost(
    '/requests/:id/break-glass',
    breakGlassFormSchema,
    'the reason is too long',
    async (c, id, form) => {
      const view = await glass.breakGlass(c.get('session').actor, id, form);
      return {
        to: requestPath(id),
        flash: `You broke the glass: approved until ${view.expiresAt}. Its reviewers have been told.`,
      };
    },
  );

  formPost(
    '/requests/:id/break-glass/review',
    reviewFormSchema,
    'choose acknowledge or flag',
    async (c, id, form) => {
      await glass.review(c.get('session').actor, id, form);
      return {
        to: '/needs-review',
        flash:
          form.outcome === 'flag'
            ? 'You flagged this break-glass; it is reported in the audit export.'
            : 'You acknowledged this break-glass.',
      };
    },
  );
}
