import type { FC } from 'hono/jsx';
import { Notice } from './components.js';
import { Layout, type PageUser } from './layout.js';

/** A page that only explains what went wrong, with a way back. */
export const ErrorPage: FC<{ title: string; message: string; user?: PageUser | undefined }> = (
  p,
) => (
  <Layout title={p.title} user={p.user}>
    <h1>{p.title}</h1>
    <Notice kind="error" text={p.message} />
    <p>
      <a href="/">Back to pending requests</a>
    </p>
  </Layout>
);
