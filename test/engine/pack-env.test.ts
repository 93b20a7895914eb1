import { describe, expect, it } from 'vitest';
import { packEnvironment } from './pack-env.js';

const stack = { org: 'acme', project: 'shop', stack: 'prod' };

describe('packEnvironment', () => {
  it("sets what the language host sets from ConfigureStack, and nothing of the engine's own", () => {
    const env = packEnvironment({ stack, dryRun: true, config: { 'shop:region': 'eu-west-1' } });
    expect(env).toEqual({
      PULUMI_CONFIG: '{"shop:region":"eu-west-1"}',
      PULUMI_NODEJS_TYPESCRIPT: 'true',
      PULUMI_NODEJS_ORGANIZATION: 'acme',
      PULUMI_NODEJS_PROJECT: 'shop',
      PULUMI_NODEJS_STACK: 'prod',
      PULUMI_NODEJS_DRY_RUN: 'true',
    });
  });

  it('inherits the base environment and extras, with the stack variables last', () => {
    const env = packEnvironment({
      stack,
      dryRun: false,
      base: { PATH: '/bin', PULUMI_NODEJS_STACK: 'other', UNSET: undefined },
      env: { CLEARANCE_TOKEN: 't', PULUMI_NODEJS_DRY_RUN: 'true' },
    });
    expect(env).toMatchObject({
      PATH: '/bin',
      CLEARANCE_TOKEN: 't',
      PULUMI_NODEJS_STACK: 'prod',
      PULUMI_NODEJS_DRY_RUN: 'false',
      PULUMI_CONFIG: '{}',
    });
    expect(env).not.toHaveProperty('UNSET');
  });
});
