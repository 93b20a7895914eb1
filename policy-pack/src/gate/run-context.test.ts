import { describe, expect, it } from 'vitest';
import { noStackMessage, runContextFrom } from './run-context.js';

describe('runContextFrom', () => {
  const info = {
    getOrganization: () => 'acme',
    getProject: () => 'shop',
    getStack: () => 'prod',
    isDryRun: () => false,
  };

  it('names the stack org/project/stack and keeps the dry-run flag', () => {
    expect(runContextFrom(info, 'abc')).toEqual({
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
