import type { FC } from 'hono/jsx';
import { Notice } from './components.js';
import { Layout, type PageUser } from './layout.js';

export interface LoginPageProps {
  formToken: string;
  /** Where to go after login (a path of the console). */
  next?: string | undefined;
  error?: string | undefined;
  info?: string | undefined;
}

export const LoginPage: FC<LoginPageProps> = ({ formToken, next, error, info }) => (
  <Layout title="Sign in">
    <div class="login card">
      <h1>Sign in</h1>
      {info && <Notice kind="info" text={info} />}
      {error && <Notice kind="error" text={error} />}
      <form method="post" action="/login">
        <input type="hidden" name="_token" value={formToken} />
        {next && <input type="hidden" name="next" value={next} />}
        <div class="field">
          <label for="username">User name</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            maxlength={200}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength={1000}
          />
        </div>
        <button type="submit">Sign in</button>
      </form>
    </div>
  </Layout>
);

/** Logout without JavaScript from a plain link: a page with the confirm button. */
export const LogoutPage: FC<{ user: PageUser }> = ({ user }) => (
  <Layout title="Log out" user={user}>
    <div class="login card">
      <h1>Log out</h1>
      <form method="post" action="/logout">
        <input type="hidden" name="_token" value={user.formToken} />
        <button type="submit">Log out now</button>
      </form>
    </div>
  </Layout>
);
