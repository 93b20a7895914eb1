import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { testSigner } from '@clearance/client/testing';
import { FakeService, finding, resource, run } from '../testing/index.js';
import { createGate } from './gate.js';
import { gateItem } from './gate-item.js';

const policy = 'aws-security-group-open-ingress';
const issuedAt = Date.parse('2026-12-18T15:00:00Z') / 1000;
/** A freeze from 17:00 UTC that day, within the token's four hours. */
const freeze = { name: 'weekend', start: issuedAt + 2 * 3600, end: issuedAt + 5 * 3600 };

/** One pack process (one run) at `at`, holding `token` as CI hands it in, offline. */
async function packRun(at: number, token: string, jwks: unknown) {
  const service = new FakeService();
  const gate = createGate({
    env: {
      CLEARANCE_URL: '',
      CLEARANCE_OFFLINE: 'true',
      CLEARANCE_JWKS: JSON.stringify(jwks),
      CLEARANCE_APPROVAL_TOKENS: token,
    },
    runContext: async () => run,
    clock: new ManualClock(at * 1000),
    makeService: () => service,
    batchWindowMs: 0,
  });
  const verdict = await gate.check({
    policy,
    resource: resource(),
    finding: finding(),
    config: {},
  });
  return { verdict, calls: service.calls };
}

describe('the pack and the freezes a token carries', () => {
  it('passes a token issued before a freeze until the freeze starts, then refuses it offline', async () => {
    const signer = await testSigner();
    const { binding } = gateItem(run, policy, resource(), finding());
    const token = await signer.issue(binding, {
      iat: issuedAt,
      seconds: 4 * 3600,
      claims: { freezes: [freeze] },
    });
    const before = await packRun(freeze.start - 60, token, signer.jwks);
    expect(before.verdict).toEqual({ level: 'pass' });
    const during = await packRun(freeze.start + 60, token, signer.jwks);
    expect(during.verdict.level).toBe('mandatory');
    expect(during.verdict.level !== 'pass' && during.verdict.message).toContain(
      'the approval is not valid during the change freeze "weekend" (until 2026-12-18T20:00:00.000Z)',
    );
    expect(during.calls).toEqual([]);
  });

  it('refuses offline a token that requires a condition at deploy time: nothing can check it', async () => {
    const signer = await testSigner();
    const { binding } = gateItem(run, policy, resource(), finding());
    const token = await signer.issue(binding, {
      iat: issuedAt,
      claims: { conditions: [{ condition: 'incident-open' }] },
    });
    const { verdict } = await packRun(issuedAt + 60, token, signer.jwks);
    expect(verdict.level !== 'pass' && verdict.message).toContain(
      'the approval requires the condition "incident-open" at deploy time: it cannot be checked offline',
    );
  });
});
