import { describe, expect, it } from 'vitest';
import { gpuInstance as rule } from '../pack/gpu-instance.js';

const type = 'aws:ec2/instance:Instance';
/** The compliant baseline: a general-purpose instance. */
const instance = (change: Record<string, unknown> = {}) => ({
  type,
  name: 'trainer',
  urn: `urn:pulumi:dev::own-rule::${type}::trainer`,
  props: { ami: 'ami-0abcdef1234567890', instanceType: 'm7i.large', ...change },
});

describe('gpu-instance', () => {
  it('the baseline is compliant', () => {
    expect(rule.detect(instance(), rule.defaults)).toBeUndefined();
  });

  it('a GPU instance type needs an approval, bound to the type', () => {
    expect(rule.detect(instance({ instanceType: 'g5.xlarge' }), rule.defaults)).toEqual({
      summary: 'GPU instance type g5.xlarge',
      material: { instanceType: 'g5.xlarge' },
      unknown: false,
    });
  });

  it('the families are configurable', () => {
    expect(rule.detect(instance(), { families: ['m7i'] })).toBeDefined();
  });
});
