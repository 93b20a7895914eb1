import type { FC } from 'hono/jsx';
import { MessageList, type Messages } from './components.js';
import { Layout, type PageUser } from './layout.js';

export interface SettingsPageProps extends Messages {
  user: PageUser;
  /** The zone set for the user in the service config, which wins over this browser's choice. */
  accountZone: string | undefined;
  /** The zone chosen in this browser (its cookie), if any. */
  browserZone: string | undefined;
  zones: string[];
}

/** Where an approver picks the time zone the console shows beside UTC; a plain form. */
export const SettingsPage: FC<SettingsPageProps> = (p) => (
  <Layout title="Time zone" user={p.user}>
    <h1>Time zone</h1>
    <MessageList flash={p.flash} error={p.error} />
    <section class="card" aria-labelledby="h-zone">
      <h2 id="h-zone">Times beside UTC</h2>
      {p.accountZone ? (
        <p>
          Your account shows times in <strong>{p.accountZone}</strong> (set in the service config).
          A choice here applies only where the account sets none.
        </p>
      ) : (
        <p class="hint">
          Every time is shown in UTC, and also in the zone chosen here. The choice is kept in this
          browser (a cookie).
        </p>
      )}
      <form method="post" action="/settings">
        <input type="hidden" name="_token" value={p.user.formToken} />
        <div class="field">
          <label for="timeZone">Time zone</label>
          <select id="timeZone" name="timeZone">
            <option value="" selected={p.browserZone === undefined}>
              UTC only
            </option>
            {p.zones.map((zone) => (
              <option value={zone} selected={zone === p.browserZone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Save</button>
      </form>
    </section>
  </Layout>
);
