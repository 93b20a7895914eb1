import { describe, expect, it } from 'vitest';
import { ClearanceClient } from './http-client.js';

/** A client whose fetch records each URL asked and answers an empty approvals list. */
function recordingClient() {
  const urls: URL[] = [];
  const client = new ClearanceClient({
    url: 'http://clearance.test/',
    token: 't',
    fetch: (async (input: string) => {
      urls.push(new URL(input));
      return Response.json({ approvals: [], keys: { keys: [] } });
    }) as typeof fetch,
  });
  return { client, urls };
}

describe('ClearanceClient.approvals', () => {
  it('asks for a stack alone when no run is given', async () => {
    const { client, urls } = recordingClient();
    await client.approvals('acme/net/prod');
    expect(urls.map((u) => u.pathname + u.search)).toEqual([
      '/v1/approvals?stack=acme%2Fnet%2Fprod',
    ]);
  });

  it('names the run asking, its id and whether it is a preview', async () => {
    const { client, urls } = recordingClient();
    await client.approvals('acme/net/prod', { id: 'run_a&b c', dryRun: true });
    await client.approvals('acme/net/prod', { id: 'run_2', dryRun: false });
    expect(urls.map((u) => Object.fromEntries(u.searchParams))).toEqual([
      { stack: 'acme/net/prod', run: 'run_a&b c', dryRun: 'true' },
      { stack: 'acme/net/prod', run: 'run_2', dryRun: 'false' },
    ]);
    expect(urls.every((u) => u.pathname === '/v1/approvals')).toBe(true);
  });
});
