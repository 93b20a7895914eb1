import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  redactMaterial,
  SecretValue,
  type CreateRequestBody,
  type RequestView,
} from '@clearance/client';
import { appHarness, errorOf, requestBody, requestFor, type Harness } from './app-harness.case.js';

async function refusedWithoutWrite(h: Harness, body: unknown) {
  const before = await h.snapshot();
  const error = await errorOf(await h.call('POST', '/v1/requests', { as: 'carol', body }));
  expect(await h.snapshot()).toEqual(before);
  return error;
}

describe('the service recomputes the fingerprint of every request', () => {
  it('refuses harmless material sent with the fingerprint of a dangerous one (400, nothing written)', async () => {
    const h = await appHarness();
    const dangerous = requestFor({ material: { ingress: [{ cidr: '0.0.0.0/0', port: 22 }] } });
    const shown = { ...dangerous, material: { tags: { team: 'web' } }, summary: 'adds a tag' };
    const err = await refusedWithoutWrite(h, shown);
    expect(err).toMatchObject({ status: 400, code: 'ERR_FINGERPRINT_MISMATCH' });
    expect(err.message).toContain(`fingerprint: ${dangerous.fingerprint} is not the fingerprint`);
  });

  it.each<[string, Partial<CreateRequestBody>]>([
    ['stack', { stack: 'acme/web/dev' }],
    ['URN', { urn: `${requestBody.urn}-2` }],
    ['type', { type: 'aws:ec2/securityGroupRule:SecurityGroupRule' }],
    ['policy', { policy: 'aws-s3-public-access' }],
    ['material', { material: { ingress: [] } }],
  ])('refuses a fingerprint computed for another %s', async (_field, change) => {
    const h = await appHarness();
    const err = await refusedWithoutWrite(h, { ...requestBody, ...change });
    expect(err).toMatchObject({ status: 400, code: 'ERR_FINGERPRINT_MISMATCH' });
  });

  it('refuses a request without material, since approvers would see nothing', async () => {
    const h = await appHarness();
    const { material: _material, ...rest } = requestBody;
    const err = await refusedWithoutWrite(h, rest);
    expect(err).toMatchObject({
      status: 400,
      code: 'ERR_VALIDATION',
      message: expect.stringMatching(/^material:/),
    });
  });

  it('accepts what the pack sends: its fingerprint, and material with secrets as their hash', async () => {
    const h = await appHarness();
    const material = { user: 'admin', password: new SecretValue('hunter2'), port: 5432 };
    const body = {
      ...requestBody,
      fingerprint: fingerprint({
        org: 'acme',
        project: 'web',
        stack: 'prod',
        urn: requestBody.urn,
        type: requestBody.type,
        policy: requestBody.policy,
        material,
      }),
      material: redactMaterial(material) as Record<string, unknown>,
    };
    const res = await h.call('POST', '/v1/requests', { as: 'carol', body });
    expect(res.status).toBe(201);
    const view = (await res.json()) as RequestView;
    expect(view.material).toEqual(body.material);
    expect(JSON.stringify(view)).not.toContain('hunter2');
  });
});
