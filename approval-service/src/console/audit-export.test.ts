import { describe, expect, it } from 'vitest';
import { JSON_LINES_CONTENT_TYPE } from '@clearance/client';
import { consoleHarness, TestBrowser } from './console-harness.case.js';

describe('the console audit export', () => {
  it('links the whole trail with its checkpoints, for clearance audit verify --file', async () => {
    const { app, openRequest } = await consoleHarness();
    await openRequest();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const page = await (await alice.get('/audit?actor=carol')).text();
    expect(page).toContain('<a href="/audit/export">Export the whole trail with its signed');
    expect(page).toContain('<code>clearance audit verify --file</code>');
    const res = await alice.get('/audit/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_LINES_CONTENT_TYPE);
    expect(res.headers.get('content-disposition')).toContain('clearance-audit-export.jsonl');
    const lines = (await res.text()).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { action?: string }).action)).toEqual([
      'request.created',
    ]);
    const carol = new TestBrowser(app);
    await carol.login('carol');
    expect((await carol.get('/audit/export')).status).toBe(403);
  });
});
