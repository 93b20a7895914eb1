import * as k8s from '@pulumi/kubernetes';
import { expect, it } from 'vitest';
import { UNKNOWN } from '../../sensitive-rule.js';
import { dig, kubernetesTypes } from './kubernetes-types.js';

const classes: Record<keyof typeof kubernetesTypes, unknown> = {
  clusterRoleBinding: k8s.rbac.v1.ClusterRoleBinding,
  roleBinding: k8s.rbac.v1.RoleBinding,
  clusterRole: k8s.rbac.v1.ClusterRole,
  role: k8s.rbac.v1.Role,
  pod: k8s.core.v1.Pod,
  deployment: k8s.apps.v1.Deployment,
  statefulSet: k8s.apps.v1.StatefulSet,
  daemonSet: k8s.apps.v1.DaemonSet,
  replicaSet: k8s.apps.v1.ReplicaSet,
  job: k8s.batch.v1.Job,
  cronJob: k8s.batch.v1.CronJob,
  service: k8s.core.v1.Service,
  namespace: k8s.core.v1.Namespace,
};

it.each(Object.entries(kubernetesTypes))(
  '%s is the __pulumiType of its @pulumi/kubernetes class',
  (key, token) => {
    const cls = classes[key as keyof typeof kubernetesTypes] as { __pulumiType?: unknown };
    expect(cls.__pulumiType).toBe(token);
  },
);

it('dig reads a path, stopping at an unknown step or an absent one', () => {
  expect(dig({ a: { b: [1, 2] } }, 'a', 'b', 1)).toBe(2);
  expect(dig({ a: UNKNOWN }, 'a', 'b')).toBe(UNKNOWN);
  expect(dig({ a: 'x' }, 'a', 'b')).toBeUndefined();
});
