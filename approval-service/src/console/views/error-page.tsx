import type { FC } from 'hono/jsx';
import { Notice } from './components.js';
import { Layout, type PageUser } from './layout.js';

/** A page that only explains what went wrong, with a way back. */
export const ErrorPage: FC<{
  title: string;
  message: string;
  user?: PageUser | undefined;
  /** The way back; default the pending requests. */
  back?: { href: string; label: string };
}> = (p) => (
  <Layout title={p.title} user={p.user}>
    <h1>{p.title}</h1>
    <Notice kind="error" text={p.message} />
    <p>
      <a href={p.back?.href ?? '/'}>{p.back?.label ?? 'Back to pending requests'}</a>
    </p>
  </Layout>
);
