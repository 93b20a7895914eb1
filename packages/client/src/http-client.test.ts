import { describe, expect, it } from 'vitest';
import { isClearanceError } from './errors.js';
import { ClearanceClient } from './http-client.js';

/** A client whose fetch records each URL asked and answers an empty approvals list. */
function recordingClient() {
  const urls: URL[] = [];
  const client = new ClearanceClient({
    url: 'https://clearance.test/',
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

describe('ClearanceClient construction', () => {
  const codeOf = (make: () => unknown): string => {
    try {
      make();
      return 'ok';
    } catch (err) {
      return isClearanceError(err) ? err.code : String(err);
    }
  };

  it('refuses plain http to a host other than loopback unless explicitly allowed', () => {
    expect(codeOf(() => new ClearanceClient({ url: 'http://clearance.example.com' }))).toBe(
      'ERR_INSECURE_URL',
    );
    const allowed = { url: 'http://clearance.example.com', allowInsecureHttp: true };
    expect(codeOf(() => new ClearanceClient(allowed))).toBe('ok');
    expect(codeOf(() => new ClearanceClient({ url: 'http://127.0.0.1:8080' }))).toBe('ok');
    expect(new ClearanceClient({ url: 'https://clearance.example.com/base/' }).baseUrl).toBe(
      'https://clearance.example.com/base',
    );
  });
});
