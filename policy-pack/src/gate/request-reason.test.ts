import { describe, expect, it } from 'vitest';
import { FakeService, finding, resource, run } from '../testing/index.js';
import { gateItem } from './gate-item.js';
import { MissingApprovals } from './missing-approvals.js';

const item = () =>
  gateItem(run, 'aws-security-group-open-ingress', resource('web'), finding('0.0.0.0/0'));

async function bodyWith(why: { reason?: string; contextUrl?: string }): Promise<unknown> {
  const service = new FakeService();
  await new MissingApprovals({ service, run, batchWindowMs: 0, why }).resolve(item());
  return service.calls.find((c) => c.method === 'createRequest')?.body;
}

describe('the reason and link a run gives (CLEARANCE_REASON, CLEARANCE_CONTEXT_URL)', () => {
  it('go with the request, for approvers to see', async () => {
    const body = await bodyWith({
      reason: 'PR #12: open the bastion for the incident',
      contextUrl: 'https://github.com/acme/infra/pull/12',
    });
    expect(body).toMatchObject({
      reason: 'PR #12: open the bastion for the incident',
      contextUrl: 'https://github.com/acme/infra/pull/12',
    });
  });

  it('leave the default reason, and no link, when not given or not a web link', async () => {
    const body = await bodyWith({ reason: '', contextUrl: 'javascript:alert(1)' });
    expect(body).toMatchObject({
      reason: 'requested by the policy pack during preview of acme/shop/prod (run run_test)',
    });
    expect(body).not.toHaveProperty('contextUrl');
  });
});
