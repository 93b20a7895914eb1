import { describe, expect, it } from 'vitest';
import { resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { kubernetesTypes } from '../support/kubernetes-types.js';
import { kubernetesServiceOpenLoadBalancer as rule } from './kubernetes-service-open-load-balancer.js';

const config = rule.defaults;

/** The compliant baseline: a LoadBalancer reachable from the office range only. */
const service = (change: Record<string, unknown> = {}) =>
  resource(kubernetesTypes.service, {
    metadata: { name: 'web' },
    spec: {
      type: 'LoadBalancer',
      ports: [{ port: 443, protocol: 'TCP' }],
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      ...change,
    },
  });

describe('kubernetes-service-open-load-balancer', () => {
  it('the baseline is compliant', () => {
    expect(rule.detect(service(), config)).toBeUndefined();
  });

  it('no loadBalancerSourceRanges', () => {
    expect(rule.detect(service({ loadBalancerSourceRanges: undefined }), config)).toEqual({
      summary: 'a LoadBalancer service reachable from any address (no loadBalancerSourceRanges)',
      material: {
        type: 'LoadBalancer',
        loadBalancerSourceRanges: [],
        ports: [{ port: 443, protocol: 'TCP' }],
      },
      unknown: false,
    });
  });

  it('an empty list, or an open range, is no restriction', () => {
    expect(rule.detect(service({ loadBalancerSourceRanges: [] }), config)).toBeDefined();
    expect(rule.detect(service({ loadBalancerSourceRanges: ['0.0.0.0/0'] }), config)).toBeDefined();
  });

  it('another service type is not inspected further', () => {
    const internal = service({ type: 'ClusterIP', loadBalancerSourceRanges: undefined });
    expect(rule.detect(internal, config)).toBeUndefined();
  });

  it('unknown ranges at preview: unknown', () => {
    const r = service({ loadBalancerSourceRanges: UNKNOWN_SENTINEL });
    expect(rule.detect({ ...r, props: engineProps(r.props) }, config)?.unknown).toBe(true);
  });
});
