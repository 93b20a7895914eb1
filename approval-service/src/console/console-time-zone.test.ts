import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { consoleConfig, consoleHarness, formToken, TestBrowser } from './console-harness.case.js';

/** The clock of the console tests starts at 2026-01-05 09:00 UTC, when the requests are opened. */
const asked = /Asked at<\/dt><dd>(.*?)<\/dd>/;

describe('times in the approver’s time zone', () => {
  it('shows UTC only until a zone is chosen in the browser, then that zone beside UTC (no script)', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const bob = new TestBrowser(app);
    await bob.login('bob');
    const before = await (await bob.get(`/requests/${request.id}`)).text();
    expect(asked.exec(before)?.[1]).toBe(
      '<time datetime="2026-01-05T09:00:00.000Z">2026-01-05 09:00 UTC</time>',
    );
    expect(before).toContain('<a href="/settings">Time zone: UTC</a>');

    const form = await (await bob.get('/settings')).text();
    expect(form).toContain('<option value="Europe/Berlin">Europe/Berlin</option>');
    const saved = await bob.post('/settings', {
      _token: formToken(form),
      timeZone: 'Europe/Berlin',
    });
    expect(saved.status).toBe(303);
    expect(decodeURIComponent(bob.cookies.get('clearance-tz') ?? '')).toBe('Europe/Berlin');

    const after = await (await bob.get(`/requests/${request.id}`)).text();
    expect(asked.exec(after)?.[1]).toBe(
      '<time datetime="2026-01-05T09:00:00.000Z">2026-01-05 09:00 UTC</time>' +
        '<span class="local"> · 2026-01-05 10:00 Europe/Berlin</span>',
    );
    expect(after).toContain('Time zone: Europe/Berlin');
    expect(await (await bob.get('/settings')).text()).toContain(
      '<option value="Europe/Berlin" selected="">Europe/Berlin</option>',
    );

    const cleared = await bob.post('/settings', { _token: formToken(after), timeZone: '' });
    expect(cleared.status).toBe(303);
    expect(bob.cookies.has('clearance-tz')).toBe(false);
    expect(await (await bob.get(`/requests/${request.id}`)).text()).not.toContain('class="local"');
  });

  it('prefers the zone set for the user in the service config, and ignores an unknown zone', async () => {
    const { users } = await consoleConfig();
    const { app, openRequest } = await consoleHarness(
      {},
      { users: users.map((u) => (u.id === 'bob' ? { ...u, timeZone: 'Asia/Tokyo' } : u)) },
    );
    const request = await openRequest();
    const bob = new TestBrowser(app);
    await bob.login('bob');
    bob.cookies.set('clearance-tz', 'Europe/Berlin');
    const page = await (await bob.get(`/requests/${request.id}`)).text();
    expect(asked.exec(page)?.[1]).toContain('· 2026-01-05 18:00 Asia/Tokyo');
    expect(await (await bob.get('/settings')).text()).toContain('Your account shows times in');

    const alice = new TestBrowser(app);
    await alice.login('alice');
    alice.cookies.set('clearance-tz', 'Mars/Olympus');
    expect(await (await alice.get(`/requests/${request.id}`)).text()).not.toContain(
      'class="local"',
    );
    const form = await (await alice.get('/settings')).text();
    const refused = await alice.post('/settings', {
      _token: formToken(form),
      timeZone: 'Mars/Olympus',
    });
    expect(refused.status).toBe(400);
  });

  it('refuses a user time zone the runtime does not know, at start-up', () => {
    const config = {
      defaultRule: { approvals: 1, approverGroups: ['ops'], maxDurationSeconds: 60 },
    };
    expect(() =>
      validateConfig(
        { ...config, users: [{ id: 'bob', name: 'Bob', timeZone: 'Mars/Olympus' }] },
        'c',
      ),
    ).toThrow(/users\[0\]\.timeZone: expected an IANA time zone/);
  });
});
