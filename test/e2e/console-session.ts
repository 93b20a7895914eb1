/**
 * A person in the console of a running service, over plain HTTP as a browser without script
 * sends it: cookies kept, forms posted from the console's own origin with their form token.
 */
export class ConsoleSession {
  readonly #base: string;
  readonly #cookies = new Map<string, string>();

  constructor(base: string) {
    this.#base = base.replace(/\/+$/, '');
  }

  async get(path: string): Promise<{ status: number; html: string; location: string | null }> {
    return this.#send(path, { method: 'GET' });
  }

  /** Posts a form of `page` (its first form token) with `fields`. */
  async submit(page: string, action: string, fields: Record<string, string>) {
    const { html } = await this.get(page);
    const token = /name="_token" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`${page} has no form`);
    return this.#send(action, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.#base,
      },
      body: new URLSearchParams({ _token: token, ...fields }).toString(),
    });
  }

  /** Signs in with the login form, and answers the page it lands on. */
  async signIn(user: string, password: string) {
    const done = await this.submit('/login', '/login', { username: user, password });
    if (done.status !== 303) throw new Error(`sign-in of ${user} answered ${done.status}`);
    return done;
  }

  async signOut() {
    return this.submit('/', '/logout', {});
  }

  async #send(path: string, init: RequestInit & { headers?: Record<string, string> }) {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.cookie = cookie;
    const res = await fetch(`${this.#base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }
}
