import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatusStandIn, type StatusStandIn } from '../service/status-stand-in.case.js';
import { consoleHarness, TestBrowser } from './console-harness.case.js';

let standIn: StatusStandIn;
beforeAll(async () => {
  standIn = await startStatusStandIn();
});
afterAll(() => standIn.close());

describe('the request page shows its context', () => {
  it('each condition with its verdict and when it was checked, and when the freeze ends', async () => {
    standIn.answer('/incident', { json: { open: false } });
    const managers = { approverGroups: ['managers'], maxDurationSeconds: 3600 };
    const { app, openRequest } = await consoleHarness(
      {},
      {
        freezes: [
          {
            name: 'year-end',
            timeZone: 'UTC',
            start: '2026-01-05T08:00',
            end: '2026-01-06T08:00',
          },
        ],
        conditions: [
          { name: 'incident-open', url: `${standIn.url}/incident`, path: '$.open', equals: true },
        ],
        rules: [
          {
            name: 'incident',
            approvals: 2,
            conditions: [{ condition: 'incident-open', at: 'decision' }],
            ...managers,
          },
        ],
      },
    );
    const request = await openRequest();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const html = await (await alice.get(`/requests/${request.id}`)).text();
    const section = html.slice(html.indexOf('id="h-context"'));
    expect(section).toContain('<strong>Change freeze “year-end”</strong> until');
    expect(section).toContain('<time datetime="2026-01-06T08:00:00.000Z">');
    expect(section).toContain('no approval is given, and no approval deploys, until then.');
    expect(section).toContain(
      '<strong>incident-open</strong> (to approve): does not hold, checked',
    );
    expect(section).toContain('<time datetime="2026-01-05T09:00:00.000Z">');
    expect(section).toContain('condition &quot;incident-open&quot; does not hold');
  });

  it('shows no context section for a request whose rule has none', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const html = await (await alice.get(`/requests/${request.id}`)).text();
    expect(html).not.toContain('id="h-context"');
  });
});
