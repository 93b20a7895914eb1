import { describe, expect, it } from 'vitest';
import { noStackMessage, packRunId, runContextFrom } from './run-context.js';

describe('runContextFrom', () => {
  const info = {
    getOrganization: () => 'acme',
    getProject: () => 'shop',
    getStack: () => 'prod',
    isDryRun: () => false,
  };

  it('names the stack org/project/stack and keeps the dry-run flag', () => {
    expect(runContextFrom(info, 'run_abc')).toEqual({
      org: 'acme',
      project: 'shop',
      stack: 'prod',
      stackName: 'acme/shop/prod',
      dryRun: false,
      runId: 'run_abc',
    });
  });

  it('gives every run its own id', () => {
    expect(runContextFrom(info).runId).not.toBe(runContextFrom(info).runId);
    expect(runContextFrom(info).runId).toMatch(/^run_/);
  });

  it("takes the CI run's id from the environment, else makes one up", () => {
    expect(packRunId({ GITHUB_RUN_ID: '41', GITHUB_RUN_ATTEMPT: '2' })).toBe('gh-41-2');
    expect(packRunId({ CLEARANCE_RUN_ID: 'deploy-7' })).toBe('deploy-7');
    expect(packRunId({}, () => 'fresh')).toBe('run_fresh');
  });

  it('says clearly that no stack is known when the SDK has none (pulumi policy analyze)', () => {
    const missing = () => {
      throw new Error(
        'Missing organization name; for test mode, please call `pulumi.runtime.setMocks`',
      );
    };
    expect(() => runContextFrom({ ...info, getOrganization: missing })).toThrow(noStackMessage);
    expect(() => runContextFrom({ ...info, getStack: () => '' })).toThrow(noStackMessage);
  });
});
