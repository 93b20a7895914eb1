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

describe('ClearanceClient, answers that are not what the API promises', () => {
  const secret = 'eyJhbGciOiJFZERTQSJ9.c2VjcmV0.c2lnbmF0dXJl';

  /** A client whose fake service answers every call with `body` (a string as it is, null as none). */
  function answering(body: unknown, init: ResponseInit = {}) {
    return new ClearanceClient({
      url: 'https://clearance.test',
      token: 'api-token-secret',
      fetch: (async () =>
        typeof body === 'string' || body === null
          ? new Response(body, init)
          : Response.json(body, init)) as typeof fetch,
    });
  }

  /** The error a call fails with, or 'ok'. */
  async function failure(call: Promise<unknown>) {
    try {
      await call;
      return 'ok';
    } catch (err) {
      if (!isClearanceError(err)) throw err;
      return { code: err.code, message: err.message };
    }
  }

  const stack = 'acme/net/prod';
  const malformed: [string, unknown, (c: ClearanceClient) => Promise<unknown>, string][] = [
    [
      'an approvals list that is not one',
      { approvals: 'all of them', keys: { keys: [] } },
      (c) => c.approvals(stack),
      'GET /v1/approvals with a malformed body (approvals: expected array)',
    ],
    [
      'an approval without its token',
      {
        approvals: [{ id: 'req_1', urn: 'u', policy: 'p', fingerprint: 'f', expiresAt: '' }],
        keys: { keys: [] },
      },
      (c) => c.approvals(stack),
      'GET /v1/approvals with a malformed body (approvals.0.token: expected string)',
    ],
    [
      'a key set whose key has no type',
      { approvals: [], keys: { keys: [{ kid: 'k1', x: secret }] } },
      (c) => c.approvals(stack),
      'GET /v1/approvals with a malformed body (keys.keys.0.kty: expected string)',
    ],
    [
      'a check result of an unknown status',
      { results: [{ urn: 'u', policy: 'p', fingerprint: 'f', status: 'maybe', token: secret }] },
      (c) => c.checks({ stack, items: [] }),
      'POST /v1/checks with a malformed body (results.0.status: invalid_union)',
    ],
    [
      'an approved check result without its token',
      {
        results: [
          { urn: 'u', policy: 'p', fingerprint: 'f', status: 'approved', id: 'r', expiresAt: '' },
        ],
      },
      (c) => c.checks({ stack, items: [] }),
      'POST /v1/checks with a malformed body (results.0.token: expected string)',
    ],
    [
      'a request view that is a list',
      [{ id: 'req_1', token: secret }],
      (c) => c.getRequest('req_1'),
      'GET /v1/requests/req_1 with a malformed body (the body: expected object)',
    ],
    [
      'a request view without its fields',
      { id: 'req_1', token: 42 },
      (c) => c.createRequest({} as never),
      'POST /v1/requests with a malformed body (stack: expected string)',
    ],
    [
      'a health answer without ok',
      { status: 'fine' },
      (c) => c.health(),
      'GET /healthz with a malformed body (ok: expected boolean)',
    ],
    [
      'a body that is not JSON',
      `<html>${secret}</html>`,
      (c) => c.jwks(),
      'GET /.well-known/jwks.json with a malformed body (not JSON)',
    ],
    [
      'an empty body',
      '',
      (c) => c.listRequests(),
      'GET /v1/requests with a malformed body (the body: expected object)',
    ],
  ];

  it.each(malformed)(
    'fails with ERR_BAD_RESPONSE on %s, in one line that shows none of it',
    async (_name, body, call, where) => {
      const error = await failure(call(answering(body)));
      expect(error).toEqual({
        code: 'ERR_BAD_RESPONSE',
        message: `the approval service at https://clearance.test answered ${where}`,
      });
      const { message } = error as { message: string };
      expect(message).not.toContain('\n');
      expect(message).not.toContain(secret);
      expect(message).not.toContain('api-token-secret');
    },
  );

  it('returns what the schema knows of a well-formed answer, unknown members dropped', async () => {
    const approval = {
      id: 'req_1',
      urn: 'u',
      policy: 'p',
      fingerprint: 'f',
      token: 't',
      expiresAt: 'e',
    };
    const body = {
      approvals: [{ ...approval, extra: 1 }],
      keys: { keys: [{ kty: 'OKP', d: 'private' }] },
    };
    expect(await answering(body).approvals(stack)).toEqual({
      approvals: [approval],
      keys: { keys: [{ kty: 'OKP' }] },
    });
  });

  it('takes an empty answer to a run report, and keeps the service’s refusals as they are', async () => {
    const report = { stack, run: { id: 'r', dryRun: true }, used: [], blocked: [] };
    expect(await failure(answering(null, { status: 204 }).reportRun(report))).toBe('ok');
    const refused = { error: { code: 'ERR_FORBIDDEN', message: 'not yours' } };
    expect(await failure(answering(refused, { status: 403 }).approvals(stack))).toEqual({
      code: 'ERR_FORBIDDEN',
      message: 'not yours',
    });
    const odd = { error: { code: 'ERR_SOMETHING_NEW', message: 7 } };
    expect(await failure(answering(odd, { status: 500 }).approvals(stack))).toEqual({
      code: 'ERR_INTERNAL',
      message: 'HTTP 500 from /v1/approvals?stack=acme%2Fnet%2Fprod',
    });
  });
});
