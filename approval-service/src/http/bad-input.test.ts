import { describe, expect, it } from 'vitest';
import { endpointLimits, type RequestView } from '@clearance/client';
import { appHarness, errorOf, requestBody, type Harness } from './app-harness.case.js';

/** Runs a call that must be refused and shows the store unchanged by it. */
async function refusedWithoutWrite(h: Harness, send: () => Promise<Response>) {
  const before = await h.snapshot();
  const error = await errorOf(await send());
  expect(await h.snapshot()).toEqual(before);
  return error;
}

describe('bad input is refused with a clear code and nothing written', () => {
  it('malformed JSON', async () => {
    const h = await appHarness();
    const err = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', { as: 'carol', raw: '{"stack": "acme/web/prod",' }),
    );
    expect(err).toMatchObject({
      status: 400,
      code: 'ERR_BAD_REQUEST',
      message: 'the request body is not valid JSON',
    });
    const empty = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/checks', { as: 'carol', raw: '' }),
    );
    expect(empty).toMatchObject({ status: 400, code: 'ERR_BAD_REQUEST' });
  });

  it('wrong types, naming the field', async () => {
    const h = await appHarness();
    const err = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', {
        as: 'carol',
        body: { ...requestBody, durationSeconds: '1h' },
      }),
    );
    expect(err).toMatchObject({
      status: 400,
      code: 'ERR_VALIDATION',
      message: expect.stringMatching(/^durationSeconds: expected number/),
    });
    const list = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', { as: 'carol', body: [requestBody] }),
    );
    expect(list).toMatchObject({ status: 400, code: 'ERR_VALIDATION' });
    const stack = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', { as: 'carol', body: { ...requestBody, stack: 'prod' } }),
    );
    expect(stack.message).toBe('stack: expected org/project/stack');
  });

  it('unknown fields', async () => {
    const h = await appHarness();
    const err = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', { as: 'carol', body: { ...requestBody, status: 'approved' } }),
    );
    expect(err).toEqual({ status: 400, code: 'ERR_VALIDATION', message: 'status: unknown field' });
    const { id } = (await (
      await h.call('POST', '/v1/requests', { as: 'carol', body: requestBody })
    ).json()) as RequestView;
    const review = await refusedWithoutWrite(h, () =>
      h.call('POST', `/v1/requests/${id}/reviews`, {
        as: 'alice',
        body: { decision: 'approve', approvals: 2 },
      }),
    );
    expect(review).toMatchObject({
      status: 400,
      code: 'ERR_VALIDATION',
      message: 'approvals: unknown field',
    });
    const query = await refusedWithoutWrite(h, () =>
      h.call('GET', '/v1/requests?state=pending', { as: 'carol' }),
    );
    expect(query).toMatchObject({
      status: 400,
      code: 'ERR_VALIDATION',
      message: 'state: unknown field',
    });
  });

  it('an oversized body, with or without its length announced', async () => {
    const h = await appHarness();
    const big = JSON.stringify({
      ...requestBody,
      summary: 'x'.repeat(endpointLimits.createRequest.maxBodyBytes),
    });
    const announced = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', {
        as: 'carol',
        raw: big,
        headers: { 'content-length': String(Buffer.byteLength(big)) },
      }),
    );
    expect(announced).toMatchObject({ status: 413, code: 'ERR_PAYLOAD_TOO_LARGE' });
    const streamed = await refusedWithoutWrite(h, () =>
      h.call('POST', '/v1/requests', { as: 'carol', raw: big }),
    );
    expect(streamed).toMatchObject({ status: 413, code: 'ERR_PAYLOAD_TOO_LARGE' });
  });

  it('a missing or invalid bearer token: 401, only the failure audited, without the token', async () => {
    const h = await appHarness();
    const before = await h.snapshot();
    const missing = await h.call('POST', '/v1/requests', { body: requestBody });
    expect(await errorOf(missing)).toMatchObject({ status: 401, code: 'ERR_UNAUTHENTICATED' });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await h.call('POST', '/v1/requests', {
      body: requestBody,
      headers: { authorization: 'Bearer demo-mallory' },
    });
    expect(await errorOf(wrong)).toMatchObject({ status: 401, code: 'ERR_UNAUTHENTICATED' });
    const basic = await h.call('GET', '/v1/requests', {
      headers: { authorization: 'Basic YWxpY2U6YWxpY2U=' },
    });
    expect(await errorOf(basic)).toMatchObject({ status: 401, code: 'ERR_UNAUTHENTICATED' });
    const after = await h.snapshot();
    expect(after.requests).toEqual(before.requests);
    const audit = await h.store.readAudit();
    expect(audit.map((e) => [e.action, e.actor, e.data?.reason])).toEqual([
      ['auth.failed', 'anonymous', 'no bearer token'],
      ['auth.failed', 'anonymous', 'unknown API token'],
      ['auth.failed', 'anonymous', 'malformed authorization header'],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/demo-mallory|YWxpY2U6YWxpY2U/);
  });
});

describe('routing', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const h = await appHarness();
    expect(await errorOf(await h.call('GET', '/v1/nothing-here', { as: 'carol' }))).toMatchObject({
      status: 404,
      code: 'ERR_NOT_FOUND',
    });
    expect(await errorOf(await h.call('GET', '/nothing-here'))).toMatchObject({
      status: 404,
      code: 'ERR_NOT_FOUND',
    });
    expect(
      await errorOf(await h.call('GET', '/v1/requests/req_unknown', { as: 'carol' })),
    ).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
  });

  it('serves health and the public keys without authentication', async () => {
    const h = await appHarness();
    expect(await (await h.call('GET', '/healthz')).json()).toEqual({ ok: true });
    const jwks = (await (await h.call('GET', '/.well-known/jwks.json')).json()) as {
      keys: { kid: string; d?: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual([h.signer.kid]);
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('hides internal errors behind ERR_INTERNAL', async () => {
    const h = await appHarness();
    h.store.listRequests = () => Promise.reject(new Error('disk on fire at /secret/path'));
    const err = await errorOf(await h.call('GET', '/v1/requests', { as: 'carol' }));
    expect(err).toEqual({ status: 500, code: 'ERR_INTERNAL', message: 'internal error' });
  });
});
