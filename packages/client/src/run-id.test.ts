import { describe, expect, it } from 'vitest';
import { runIdFromEnv, runIdsIn, runLine } from './run-id.js';

describe('runIdFromEnv', () => {
  it('takes CLEARANCE_RUN_ID first, then the CI run of GitHub Actions or GitLab', () => {
    expect(runIdFromEnv({ CLEARANCE_RUN_ID: ' deploy-42 ', GITHUB_RUN_ID: '7' })).toBe('deploy-42');
    expect(runIdFromEnv({ GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '3' })).toBe('gh-7-3');
    expect(runIdFromEnv({ GITHUB_RUN_ID: '7' })).toBe('gh-7-1');
    expect(runIdFromEnv({ CI_PIPELINE_ID: '900' })).toBe('gl-900');
  });

  it('is undefined outside CI, so the caller makes one up', () => {
    expect(runIdFromEnv({})).toBeUndefined();
    expect(runIdFromEnv({ CLEARANCE_RUN_ID: '  ', GITHUB_RUN_ID: 'x' })).toBeUndefined();
  });

  it('refuses a CLEARANCE_RUN_ID that is not one word', () => {
    expect(() => runIdFromEnv({ CLEARANCE_RUN_ID: 'a b' })).toThrow(/CLEARANCE_RUN_ID must be/);
    expect(() => runIdFromEnv({ CLEARANCE_RUN_ID: 'x'.repeat(201) })).toThrow(/up to 200/);
  });
});

describe('runLine and runIdsIn', () => {
  it('read back the run ids the lines name, once each, wherever the output puts them', () => {
    const output = [
      'Previewing update (prod)',
      `    ${runLine('gh-7-1')}`,
      `  mandatory: ${runLine('gh-7-1')}`,
      runLine('run_9f2c'),
      'Clearance run is a word, not a line',
    ].join('\n');
    expect(runIdsIn(output)).toEqual(['gh-7-1', 'run_9f2c']);
    expect(runIdsIn('nothing here')).toEqual([]);
  });
});
