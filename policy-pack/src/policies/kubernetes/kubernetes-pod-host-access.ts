import type * as k8s from '@pulumi/kubernetes';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  resolveProps,
  type Finding,
  type Hit,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { ruleConfig } from '../support/config-schema.js';
import { dig, kubernetesTypes } from '../support/kubernetes-types.js';
import { asList, stableSet } from '../support/values.js';

export interface PodHostAccessConfig {
  checkPrivileged: boolean;
  checkHostNamespaces: boolean;
  checkHostPath: boolean;
}

/** Where each workload type holds its pod spec. */
const podSpecPath: Readonly<Record<string, readonly string[]>> = {
  [kubernetesTypes.pod]: ['spec'],
  [kubernetesTypes.deployment]: ['spec', 'template', 'spec'],
  [kubernetesTypes.statefulSet]: ['spec', 'template', 'spec'],
  [kubernetesTypes.daemonSet]: ['spec', 'template', 'spec'],
  [kubernetesTypes.replicaSet]: ['spec', 'template', 'spec'],
  [kubernetesTypes.job]: ['spec', 'template', 'spec'],
  [kubernetesTypes.cronJob]: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function isTrue(value: unknown): Tri {
  return value === UNKNOWN ? UNKNOWN : value === true;
}

type Item = [string, unknown];

function hostNamespaceHits(spec: unknown): Hit<Item>[] {
  return (['hostPID', 'hostNetwork'] as const).map((key) => ({
    verdict: isTrue(dig(spec, key)),
    summary: `${key} is on`,
    item: [key, true],
  }));
}

function privilegedHits(spec: unknown): Hit<Item>[] {
  return containerLists.flatMap((list) => {
    const containers = asList(dig(spec, list));
    if (containers === UNKNOWN) {
      return [{ verdict: UNKNOWN, summary: `${list} not known yet`, item: [list, UNKNOWN] }];
    }
    return containers.map((c) => {
      const name = dig(c, 'name');
      return {
        verdict: isTrue(dig(c, 'securityContext', 'privileged')),
        summary: `container ${String(name === UNKNOWN ? '?' : name)} is privileged`,
        item: ['privilegedContainers', name ?? null] as Item,
      };
    });
  });
}

function hostPathHits(spec: unknown): Hit<Item>[] {
  const volumes = asList(dig(spec, 'volumes'));
  if (volumes === UNKNOWN) {
    return [{ verdict: UNKNOWN, summary: 'volumes not known yet', item: ['volumes', UNKNOWN] }];
  }
  return volumes.map((v) => {
    const hostPath = dig(v, 'hostPath');
    const path = dig(hostPath, 'path');
    return {
      verdict: hostPath === UNKNOWN ? UNKNOWN : hostPath !== undefined && hostPath !== null,
      summary: `volume ${String(dig(v, 'name'))} mounts the host path ${String(path === UNKNOWN ? '?' : path)}`,
      item: ['hostPathVolumes', { name: dig(v, 'name') ?? null, path: path ?? null }] as Item,
    };
  });
}

/** Material: the host namespaces on, the privileged containers and the host paths, each sorted. */
function material(items: Item[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of items) {
    if (key === 'hostPID' || key === 'hostNetwork') out[key] = value;
    else out[key] = [...((out[key] as unknown[] | undefined) ?? []), value];
  }
  for (const key of ['privilegedContainers', 'hostPathVolumes']) {
    if (Array.isArray(out[key])) out[key] = stableSet(out[key]);
  }
  return out;
}

function detect(resource: ResourceInput, config: PodHostAccessConfig): Finding | undefined {
  const path = podSpecPath[resource.type];
  if (!path) return undefined;
  const p = resolveProps<k8s.core.v1.PodArgs & k8s.apps.v1.DeploymentArgs>(resource.props);
  const spec = dig(p, ...path);
  const hits: Hit<Item>[] = [];
  if (spec === UNKNOWN) {
    hits.push({
      verdict: UNKNOWN,
      summary: 'the pod spec is not known yet',
      item: ['spec', UNKNOWN],
    });
  } else {
    if (config.checkHostNamespaces) hits.push(...hostNamespaceHits(spec));
    if (config.checkPrivileged) hits.push(...privilegedHits(spec));
    if (config.checkHostPath) hits.push(...hostPathHits(spec));
  }
  return findingOf(hits, material);
}

const podHostAccessConfig = z.object({
  checkPrivileged: z.boolean().default(true).describe('Flag privileged containers.'),
  checkHostNamespaces: z.boolean().default(true).describe('Flag hostPID and hostNetwork.'),
  checkHostPath: z.boolean().default(true).describe('Flag hostPath volumes.'),
}) satisfies z.ZodType<PodHostAccessConfig>;

/** A workload that reaches the node: privileged containers, host namespaces, host paths. */
export const kubernetesPodHostAccess: SensitiveRule<PodHostAccessConfig> = {
  name: 'kubernetes-pod-host-access',
  description:
    'A pod with a privileged container, hostPID or hostNetwork, or a hostPath volume needs an approval.',
  resourceTypes: Object.keys(podSpecPath),
  ...ruleConfig(podHostAccessConfig),
  detect,
};
