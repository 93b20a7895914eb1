import type { Child, FC } from 'hono/jsx';
import type { Actor } from '../../domain/model.js';
import { stylesheetVersion } from '../stylesheet.js';
import { ViewerTimeZone } from '../time-zone.js';

export type Section = 'pending' | 'approvals' | 'needs-review' | 'history' | 'audit';

const sections: { id: Section; href: string; label: string }[] = [
  { id: 'pending', href: '/', label: 'Pending' },
  { id: 'approvals', href: '/approvals', label: 'Active approvals' },
  { id: 'needs-review', href: '/needs-review', label: 'Needs review' },
  { id: 'history', href: '/history', label: 'History' },
  { id: 'audit', href: '/audit', label: 'Audit' },
];

/** The logged-in user with the form token of their session. */
export interface PageUser {
  actor: Actor;
  formToken: string;
  /** Whether the audit trail is open to this user; its link shows only then. */
  mayReadAudit?: boolean;
  /** Times are shown in this IANA zone too, beside UTC (see `viewerTimeZone`). */
  timeZone?: string | undefined;
}

export interface LayoutProps {
  title: string;
  /** Absent on the login page. */
  user?: PageUser | undefined;
  section?: Section;
  /** Opens this URL at once (a meta refresh: the pages run no script). */
  refreshTo?: string | undefined;
  children?: Child;
}

/** The page shell: skip link, top bar with navigation and logout, main region. */
export const Layout: FC<LayoutProps> = ({ title, user, section, refreshTo, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      {refreshTo && <meta http-equiv="refresh" content={`0;url=${refreshTo}`} />}
      <title>{`${title} · Clearance`}</title>
      <link rel="stylesheet" href={`/console.css?v=${stylesheetVersion}`} />
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="bar">
          <a class="brand" href="/">
            Clearance
          </a>
          {user && (
            <nav aria-label="Main">
              <ul>
                {sections
                  .filter((s) => s.id !== 'audit' || user.mayReadAudit === true)
                  .map((s) => (
                    <li>
                      <a href={s.href} aria-current={s.id === section ? 'page' : undefined}>
                        {s.label}
                      </a>
                    </li>
                  ))}
              </ul>
            </nav>
          )}
          {user && (
            <div class="who">
              <span>
                Signed in as <strong>{user.actor.displayName}</strong>
              </span>
              <a href="/settings">Time zone: {user.timeZone ?? 'UTC'}</a>
              <form method="post" action="/logout">
                <input type="hidden" name="_token" value={user.formToken} />
                <button type="submit">Log out</button>
              </form>
            </div>
          )}
        </div>
      </header>
      <main id="main" tabindex={-1}>
        <ViewerTimeZone.Provider value={user?.timeZone}>{children}</ViewerTimeZone.Provider>
      </main>
    </body>
  </html>
);
