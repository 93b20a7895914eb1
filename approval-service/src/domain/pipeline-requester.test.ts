import { describe, expect, it } from 'vitest';
import type { PipelineIdentity } from '@clearance/client';
import { assertMayDecide } from './decision-checks.js';
import { isRequester } from './pipeline-requester.js';
import { codeOf } from './thrown-code.case.js';

const pipeline: PipelineIdentity = {
  issuer: 'github',
  repository: 'acme/infra',
  workflow: 'deploy',
  runUrl: 'https://github.com/acme/infra/actions/runs/42',
  ref: 'refs/heads/main',
  commit: 'c0ffee',
  triggeredBy: 'alice-gh',
  user: 'alice',
};

describe('the requester of a request a pipeline opened', () => {
  it('is the pipeline, and the person who triggered it when they map to a user', () => {
    const request = { requester: 'github:acme/infra', pipeline };
    expect(isRequester({ id: 'github:acme/infra' }, request)).toBe(true);
    expect(isRequester({ id: 'alice' }, request)).toBe(true);
    expect(isRequester({ id: 'bob' }, request)).toBe(false);
  });

  it('is the pipeline alone when the person maps to no user', () => {
    const { user: _none, ...unmapped } = pipeline;
    expect(
      isRequester({ id: 'alice' }, { requester: 'github:acme/infra', pipeline: unmapped }),
    ).toBe(false);
    expect(isRequester({ id: 'alice' }, { requester: 'alice' })).toBe(true);
  });

  it('keeps the triggering person from approving their own change', () => {
    const request = {
      id: 'req_1',
      requester: 'github:acme/infra',
      pipeline,
      reviews: [],
      requirements: {
        rule: 'default',
        approvals: 1,
        approverGroups: ['managers'],
        requesterGroups: [],
        maxDurationSeconds: 3600,
        reasonRequired: false,
      },
    };
    const manager = (id: string) => ({ id, displayName: id, groups: ['managers'] });
    const now = new Date('2026-01-05T09:00:00Z');
    expect(codeOf(() => assertMayDecide(request, manager('alice'), now))).toBe('ERR_SELF_REVIEW');
    expect(codeOf(() => assertMayDecide(request, manager('bob'), now))).toBeUndefined();
  });
});
