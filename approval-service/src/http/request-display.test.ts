import { describe, expect, it } from 'vitest';
import { requestDisplayLimits } from '@clearance/client';
import { appHarness, errorOf, requestBody } from './app-harness.case.js';

const propertyNames = { 'ingress[0].cidrBlocks[0]': 'ingress[0].cidrBlocks[0]' };
const previewStates = {
  before: { engine: 'postgres', allocatedStorage: 20, password: '[secret]' },
  after: { engine: 'postgres', allocatedStorage: 50, password: '[secret]' },
};

describe('what a request carries for people only', () => {
  it('keeps property names and preview states as sent, outside the fingerprint', async () => {
    const h = await appHarness();
    const created = await h.json('POST', '/v1/requests', 'carol', {
      ...requestBody,
      propertyNames,
      previewStates,
    });
    expect(created.fingerprint).toBe(requestBody.fingerprint);
    const read = await h.json('GET', `/v1/requests/${created.id}`, 'alice');
    expect(read.propertyNames).toEqual(propertyNames);
    expect(read.previewStates).toEqual(previewStates);
  });

  it('refuses too many names and a state past its size, and writes nothing', async () => {
    const h = await appHarness();
    const before = await h.snapshot();
    const names = Object.fromEntries(
      Array.from({ length: requestDisplayLimits.propertyNames + 1 }, (_, i) => [`a${i}`, `b${i}`]),
    );
    const tooMany = await h.call('POST', '/v1/requests', {
      as: 'carol',
      body: { ...requestBody, propertyNames: names },
    });
    expect(await errorOf(tooMany)).toMatchObject({ status: 400, code: 'ERR_VALIDATION' });
    const big = { blob: 'x'.repeat(requestDisplayLimits.stateChars) };
    const tooBig = await h.call('POST', '/v1/requests', {
      as: 'carol',
      body: { ...requestBody, previewStates: { before: big } },
    });
    expect(await errorOf(tooBig)).toMatchObject({ status: 400, code: 'ERR_VALIDATION' });
    const unknownKey = await h.call('POST', '/v1/requests', {
      as: 'carol',
      body: { ...requestBody, previewStates: { during: {} } },
    });
    expect(unknownKey.status).toBe(400);
    expect(await h.snapshot()).toEqual(before);
  });
});
