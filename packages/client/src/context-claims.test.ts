import { describe, expect, it } from 'vitest';
import { ApprovalSet } from './approval-set.js';
import { ManualClock } from './clock.js';
import type { FreezePeriod } from './context-claims.js';
import { testSigner } from './testing/test-signer.js';
import type { ApprovalBinding } from './token-claims.js';

const binding: ApprovalBinding = {
  stack: 'acme/shop/prod',
  urn: 'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::assets',
  policy: 'aws-s3-public-access',
  fingerprint: 'c'.repeat(64),
};
const iat = Date.parse('2026-01-05T09:00:00Z') / 1000;
const clock = new ManualClock((iat + 600) * 1000);
/** A freeze the service announces as on: configured after the tokens were signed. */
const announced: FreezePeriod = { name: 'incident-freeze', start: iat + 300, end: iat + 7200 };

async function lookup(claims: Record<string, unknown>, freezes?: FreezePeriod[]) {
  const signer = await testSigner();
  const token = await signer.issue(binding, { iat, rid: 'req_1', claims });
  const set = await ApprovalSet.fromResponse(
    {
      approvals: [{ id: 'req_1', ...binding, token, expiresAt: '' }],
      keys: signer.jwks,
      ...(freezes ? { freezes } : {}),
    },
    { clock },
  );
  const found = await set.find(binding);
  return found.ok ? 'ok' : found.refusals.map((r) => r.error.message).join('; ');
}

describe('freezes the service announces', () => {
  it('bind a token signed before the freeze was configured', async () => {
    expect(await lookup({})).toBe('ok');
    expect(await lookup({}, [announced])).toBe(
      'the approval is not valid during the change freeze "incident-freeze" (until 2026-01-05T11:00:00.000Z)',
    );
  });

  it('do not bind a token whose rule allows break-glass, nor one outside the period', async () => {
    expect(await lookup({ breakGlass: true }, [announced])).toBe('ok');
    expect(await lookup({}, [{ ...announced, start: iat + 900 }])).toBe('ok');
  });
});
