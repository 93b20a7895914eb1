import type { FC } from 'hono/jsx';
import { Notice } from './components.js';
import { Layout, type PageUser } from './layout.js';

export interface LoginPageProps {
  formToken: string;
  /** Where to go after login (a path of the console). */
  next?: string | undefined;
  error?: string | undefined;
  info?: string | undefined;
  /** Single sign-on: the button's text (it leads to the OpenID provider). */
  ssoLabel?: string | undefined;
  /** Whether the password form shows (false when the config switches local passwords off). */
  passwords?: boolean;
}

export const LoginPage: FC<LoginPageProps> = ({
  formToken,
  next,
  error,
  info,
  ssoLabel,
  passwords = true,
}) => (
  <Layout title="Sign in">
    <div class="login card">
      <h1>Sign in</h1>
      {info && <Notice kind="info" text={info} />}
      {error && <Notice kind="error" text={error} />}
      {ssoLabel && (
        <p>
          <a
            class="button"
            href={next ? `/login/oidc?next=${encodeURIComponent(next)}` : '/login/oidc'}
          >
            {ssoLabel}
          </a>
        </p>
      )}
      {ssoLabel && passwords && <p>Or with a local account:</p>}
      {passwords && (
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
      )}
    </div>
  </Layout>
);

/** A page that moves on by itself to `to` (signed in, or on to the IdP's logout). */
export const MovingOnPage: FC<{ title: string; text: string; to: string }> = (p) => (
  <Layout title={p.title} refreshTo={p.to}>
    <div class="login card">
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      <p>
        <a href={p.to}>Continue</a>
      </p>
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
