import type * as k8s from '@pulumi/kubernetes';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  resolveProps,
  type Finding,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { ruleConfig } from '../support/config-schema.js';
import { dig, kubernetesTypes } from '../support/kubernetes-types.js';
import { asList, sortedStrings, stableSet } from '../support/values.js';

export interface ServiceOpenLoadBalancerConfig {
  /** Source ranges that count as no restriction at all. */
  openRanges: string[];
}

/** Whether the source ranges leave the load balancer open: none given, or an open range. */
function isOpen(ranges: unknown, openRanges: readonly string[]): Tri {
  const list = asList(ranges);
  if (list === UNKNOWN) return UNKNOWN;
  if (list.length === 0) return true;
  if (list.some((r) => typeof r === 'string' && openRanges.includes(r))) return true;
  return list.includes(UNKNOWN) ? UNKNOWN : false;
}

function detect(
  resource: ResourceInput,
  config: ServiceOpenLoadBalancerConfig,
): Finding | undefined {
  if (resource.type !== kubernetesTypes.service) return undefined;
  const p = resolveProps<k8s.core.v1.ServiceArgs>(resource.props);
  const type = dig(p, 'spec', 'type');
  if (type !== UNKNOWN && type !== 'LoadBalancer') return undefined;
  const ranges = dig(p, 'spec', 'loadBalancerSourceRanges');
  const open = isOpen(ranges, config.openRanges);
  const verdict: Tri = type === UNKNOWN ? (open === false ? false : UNKNOWN) : open;
  const ports = asList(dig(p, 'spec', 'ports'));
  return findingOf(
    [
      {
        verdict,
        summary: 'a LoadBalancer service reachable from any address (no loadBalancerSourceRanges)',
        item: {
          type: type ?? null,
          loadBalancerSourceRanges: sortedStrings(ranges),
          ports:
            ports === UNKNOWN
              ? UNKNOWN
              : stableSet(
                  ports.map((port) => ({
                    port: dig(port, 'port') ?? null,
                    protocol: dig(port, 'protocol') ?? 'TCP',
                  })),
                ),
        },
      },
    ],
    ([item]) => item ?? {},
  );
}

const openLoadBalancerConfig = z.object({
  openRanges: z
    .array(z.string().min(1))
    .default(['0.0.0.0/0', '::/0'])
    .describe('Source ranges that count as no restriction at all.'),
}) satisfies z.ZodType<ServiceOpenLoadBalancerConfig>;

/** A LoadBalancer service open to the internet: no source ranges, or an open one. */
export const kubernetesServiceOpenLoadBalancer: SensitiveRule<ServiceOpenLoadBalancerConfig> = {
  name: 'kubernetes-service-open-load-balancer',
  description:
    'A Service of type LoadBalancer without loadBalancerSourceRanges (or with an open range) needs an approval.',
  resourceTypes: [kubernetesTypes.service],
  ...ruleConfig(openLoadBalancerConfig),
  detect,
};
