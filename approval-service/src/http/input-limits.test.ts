import { describe, expect, it } from 'vitest';
import { jsonLimits, type RequestView } from '@clearance/client';
import { appHarness, errorOf, requestBody, requestFor, type Harness } from './app-harness.case.js';

/** Sends `raw` JSON; expects a 400 with `code` and the store unchanged. */
async function refused(
  h: Harness,
  method: string,
  path: string,
  raw: string,
  code: string,
  as: 'alice' | 'carol' = 'carol',
) {
  const before = await h.snapshot();
  const res = await h.call(method, path, { as, raw });
  const error = await errorOf(res);
  expect(error).toMatchObject({ status: 400, code });
  expect(await h.snapshot()).toEqual(before);
  return error;
}

/** `value` nested `depth` objects deep: {"a":{"a":…value…}} */
function nested(depth: number, value = '1'): string {
  return `${'{"a":'.repeat(depth)}${value}${'}'.repeat(depth)}`;
}

/** The request body with `material` replaced by raw JSON text (its fingerprint need not match). */
const withMaterial = (material: string) =>
  JSON.stringify({ ...requestBody, material: { x: 0 } }).replace('{"x":0}', material);

describe('JSON inputs keep their limits (400, nothing written)', () => {
  it('refuses material nested thousands of levels deep, and keeps serving the list', async () => {
    const h = await appHarness();
    const err = await refused(
      h,
      'POST',
      '/v1/requests',
      withMaterial(nested(4000)),
      'ERR_INPUT_LIMIT',
    );
    expect(err.message).toBe(
      `body: objects and arrays nest deeper than ${jsonLimits.maxDepth} levels`,
    );
    const list = await h.call('GET', '/v1/requests', { as: 'carol' });
    expect(list.status).toBe(200);
  });

  it('refuses a body of brackets before parsing it', async () => {
    const h = await appHarness();
    const raw = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    await refused(h, 'POST', '/v1/checks', raw, 'ERR_INPUT_LIMIT');
  });

  it('accepts material up to the depth limit and refuses one level more, wherever it comes from', async () => {
    const h = await appHarness();
    // The body is level 1: material and what it nests may take the other maxDepth - 1 levels.
    const deepest = JSON.parse(nested(jsonLimits.maxDepth - 1)) as Record<string, unknown>;
    const ok = await h.call('POST', '/v1/requests', {
      as: 'carol',
      body: requestFor({ material: deepest }),
    });
    expect(ok.status).toBe(201);
    const tooDeep = JSON.parse(nested(jsonLimits.maxDepth)) as Record<string, unknown>;
    const carol = h.services.auth.authenticateToken('demo-carol');
    if (!carol) throw new Error('no carol');
    await expect(
      h.services.requests.createRequest(carol, requestFor({ material: tooDeep })),
    ).rejects.toMatchObject({ code: 'ERR_INPUT_LIMIT' });
  });

  it('refuses too many keys, too long a string or key, too long an array', async () => {
    const h = await appHarness();
    const keys = Object.fromEntries(
      Array.from({ length: jsonLimits.maxKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    const cases: [unknown, RegExp][] = [
      [keys, /^material: more than 1000 keys$/],
      [{ s: 'x'.repeat(jsonLimits.maxStringLength + 1) }, /^material\.s: the text is longer than/],
      [{ ['k'.repeat(jsonLimits.maxStringLength + 1)]: 1 }, /^material: a key is longer than/],
      [
        { list: new Array(jsonLimits.maxArrayLength + 1).fill(0) },
        /^material\.list: more than 20000 elements$/,
      ],
    ];
    for (const [material, message] of cases) {
      const err = await refused(
        h,
        'POST',
        '/v1/requests',
        withMaterial(JSON.stringify(material)),
        'ERR_INPUT_LIMIT',
      );
      expect(err.message).toMatch(message);
    }
  });
});

describe('a lone UTF-16 surrogate is a 400, not a 500', () => {
  const lone = '\\ud800';

  it('in the reason, URN or run id of a new request', async () => {
    const h = await appHarness();
    const body = JSON.stringify(requestBody);
    for (const [field, value] of [
      ['reason', requestBody.reason],
      ['urn', requestBody.urn],
    ] as const) {
      const raw = body.replace(JSON.stringify(value), `"${value}${lone}"`);
      const err = await refused(h, 'POST', '/v1/requests', raw, 'ERR_VALIDATION');
      expect(err.message).toBe(
        `${field}: the text is not valid Unicode (it holds a lone UTF-16 surrogate)`,
      );
    }
    const run = JSON.stringify({ ...requestBody, run: { id: 'RUN', dryRun: true } });
    await refused(
      h,
      'POST',
      '/v1/requests',
      run.replace('"RUN"', `"run-${lone}"`),
      'ERR_VALIDATION',
    );
    await refused(h, 'POST', '/v1/requests', withMaterial(`{"${lone}":1}`), 'ERR_VALIDATION');
  });

  it('in the reason of a review or a revocation', async () => {
    const h = await appHarness();
    const { id } = await h.json<RequestView>('POST', '/v1/requests', 'carol', requestBody);
    const reason = `{"decision":"deny","reason":"no${lone}"}`;
    await refused(h, 'POST', `/v1/requests/${id}/reviews`, reason, 'ERR_VALIDATION', 'alice');
    await refused(h, 'POST', `/v1/requests/${id}/revoke`, `{"reason":"${lone}"}`, 'ERR_VALIDATION');
  });

  it('in the run id or URN of checks and run reports', async () => {
    const h = await appHarness();
    const item = {
      urn: requestBody.urn,
      policy: requestBody.policy,
      fingerprint: requestBody.fingerprint,
    };
    const checks = JSON.stringify({
      stack: requestBody.stack,
      items: [item],
      run: { id: 'RUN', dryRun: true },
    });
    await refused(h, 'POST', '/v1/checks', checks.replace('"RUN"', `"${lone}"`), 'ERR_VALIDATION');
    await refused(
      h,
      'POST',
      '/v1/checks',
      checks.replace('::ssh"', `::ssh${lone}"`),
      'ERR_VALIDATION',
    );
    const report = JSON.stringify({
      stack: requestBody.stack,
      run: { id: 'RUN', dryRun: false },
      used: [],
      blocked: [item],
    });
    await refused(h, 'POST', '/v1/runs', report.replace('"RUN"', `"${lone}"`), 'ERR_VALIDATION');
  });

  it('through the service itself, for callers other than the HTTP API', async () => {
    const h = await appHarness();
    const carol = h.services.auth.authenticateToken('demo-carol');
    if (!carol) throw new Error('no carol');
    await expect(
      h.services.requests.createRequest(carol, { ...requestBody, reason: 'a\ud800b' }),
    ).rejects.toMatchObject({ code: 'ERR_VALIDATION' });
    expect(await h.snapshot()).toEqual({ requests: [], audit: [] });
  });
});
